package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"
)

func (s *Server) robots(r *http.Request) (*page, error) {
	var b strings.Builder
	b.WriteString("User-agent: *\nDisallow: /admin/\nDisallow: /search\nAllow: /\n\n")
	fmt.Fprintf(&b, "Sitemap: %s\nSitemap: %s\n", s.abs("/sitemap.xml"), s.abs("/sitemaps/news.xml"))
	return &page{contentType: "text/plain; charset=utf-8", body: []byte(b.String()), cacheControl: "public, max-age=3600"}, nil
}

type openSearchDoc struct {
	XMLName       xml.Name `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string   `xml:"ShortName"`
	Description   string   `xml:"Description"`
	InputEncoding string   `xml:"InputEncoding"`
	Image         struct {
		Type   string `xml:"type,attr"`
		Width  int    `xml:"width,attr"`
		Height int    `xml:"height,attr"`
		URL    string `xml:",chardata"`
	} `xml:"Image"`
	URL struct {
		Type     string `xml:"type,attr"`
		Method   string `xml:"method,attr"`
		Template string `xml:"template,attr"`
	} `xml:"Url"`
}

func (s *Server) openSearch(r *http.Request) (*page, error) {
	pub, err := s.store.Publication(r.Context())
	if err != nil {
		return nil, err
	}
	doc := openSearchDoc{ShortName: truncate(pub.Name, 16), Description: "Search " + pub.Name, InputEncoding: "UTF-8"}
	doc.Image.Type, doc.Image.Width, doc.Image.Height, doc.Image.URL = "image/svg+xml", 64, 64, s.abs(s.render.StaticURL("favicon.svg"))
	doc.URL.Type, doc.URL.Method, doc.URL.Template = "text/html", "get", s.abs("/search?q={searchTerms}")
	body, err := marshalXML(doc)
	if err != nil {
		return nil, err
	}
	return &page{contentType: "application/opensearchdescription+xml", body: body, cacheControl: "public, max-age=86400"}, nil
}

func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, s.render.StaticURL("favicon.svg"), http.StatusMovedPermanently)
}

// healthz answers 200 while the database answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unavailable")
		return
	}
	fmt.Fprintln(w, "ok")
}
