package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/pagecache"
	"masthead/internal/render"
)

// page is a finished response: everything needed to send it, or to keep it.
type page struct {
	status       int
	contentType  string
	body         []byte
	lastModified time.Time
	cacheControl string
	csp          string // "": the site's usual Content-Security-Policy
}

const (
	cacheHTML   = "public, max-age=60, stale-while-revalidate=300"
	cacheFeed   = "public, max-age=300"
	cachePrivat = "private, no-store"
)

// page adapts a handler that builds a page into an http.HandlerFunc.
func (s *Server) page(fn func(r *http.Request) (*page, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := fn(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.write(w, r, p)
	}
}

// html renders a template into an HTML page.
func (s *Server) html(status int, name string, data any) (*page, error) {
	body, err := s.render.Render(name, data)
	if err != nil {
		return nil, err
	}
	return &page{status: status, contentType: "text/html; charset=utf-8", body: body, cacheControl: cacheHTML}, nil
}

// write sends a page with its validators and compression, answering
// conditional requests with 304. This is the one place pages leave the
// site, so it is also where the page cache keeps them (see cache.go).
func (s *Server) write(w http.ResponseWriter, r *http.Request, p *page) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	out := pagecache.NewPage(p.status, p.contentType, p.cacheControl, p.lastModified, p.body)
	if p.csp != "" {
		out.SetContentSecurityPolicy(p.csp)
	}
	if isArticlePath(r.URL.Path) || strings.HasPrefix(r.URL.Path, "/author/") {
		out.VaryOnAccept() // the fediverse gets an ActivityStreams document at the same URL
	}
	if !s.keep(r, out) && pagecache.AcceptsGzip(r) {
		out.Gzip()
	}
	out.Serve(w, r)
}

// errorPage is the data of the error template.
type errorPage struct {
	Layout  render.Layout
	Status  int
	Heading string
	Message string
	Latest  []*news.Article
}

// fail turns an error into a reader-facing error page, logging it once if
// it is the server's fault.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, heading, message := http.StatusInternalServerError, "Something went wrong", "We could not show this page. Please try again in a moment."
	var he *edge.Error
	var moved *movedError
	switch {
	case errors.As(err, &moved):
		s.redirect(w, r, moved.to)
		return
	case errors.Is(err, news.ErrNotFound):
		status, heading, message = http.StatusNotFound, "Page not found", "We could not find that page. It may have moved, or the address may be mistyped. Try a search, or one of our latest stories."
	case errors.As(err, &he):
		status, heading, message = he.Status, http.StatusText(he.Status), he.Message
	case errors.Is(r.Context().Err(), context.Canceled):
		return // the reader went away; nothing to send or log
	default:
		s.log.ErrorContext(r.Context(), "request failed", slog.String("path", r.URL.Path), slog.Any("err", err), slog.String("request_id", edge.RequestID(r.Context())))
	}
	s.write(w, r, s.errorPage(r, status, heading, message))
}

func (s *Server) errorPage(r *http.Request, status int, heading, message string) *page {
	data := errorPage{Status: status, Heading: heading, Message: message}
	lay, err := s.layout(r, heading, message, r.URL.Path)
	if err == nil {
		data.Layout = lay
		data.Layout.Robots = "noindex"
		data.Latest, _ = s.store.PublishedArticles(r.Context(), news.ArticleFilter{Limit: 5}, false)
	} else {
		data.Layout = render.Layout{Title: heading, Site: news.Publication{Name: "Masthead", Language: "en"}, Year: s.desk.Now().Year()}
	}
	p, err := s.html(status, "error", data)
	if err != nil {
		s.log.ErrorContext(r.Context(), "render error page", slog.Any("err", err))
		return &page{status: status, contentType: "text/plain; charset=utf-8", body: []byte(heading + "\n"), cacheControl: cachePrivat}
	}
	p.cacheControl = "no-store"
	return p
}

func (s *Server) notFound(r *http.Request) (*page, error) { return nil, news.ErrNotFound }
