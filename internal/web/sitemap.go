package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"masthead/internal/news"
)

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type sitemapIndexDoc struct {
	XMLName  xml.Name       `xml:"sitemapindex"`
	NS       string         `xml:"xmlns,attr"`
	Sitemaps []sitemapEntry `xml:"sitemap"`
}

type sitemapEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSetDoc struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	NewsNS  string       `xml:"xmlns:news,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string       `xml:"loc"`
	LastMod string       `xml:"lastmod,omitempty"`
	News    *sitemapNews `xml:"news:news,omitempty"`
}

type sitemapNews struct {
	Publication struct {
		Name     string `xml:"news:name"`
		Language string `xml:"news:language"`
	} `xml:"news:publication"`
	PublicationDate string `xml:"news:publication_date"`
	Title           string `xml:"news:title"`
}

func w3c(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func xmlPage(doc *urlSetDoc, lastMod time.Time) (*page, error) {
	return &page{contentType: "application/xml; charset=utf-8", body: doc.xml(), cacheControl: cacheFeed, lastModified: lastMod}, nil
}

// sitemapIndex lists the child sitemaps: site pages, Google News, and one
// per month of articles (so no child nears the 50,000-URL limit).
func (s *Server) sitemapIndex(r *http.Request) (*page, error) {
	months, err := s.store.ArchiveMonths(r.Context())
	if err != nil {
		return nil, err
	}
	var newest time.Time
	for _, m := range months {
		if m.LastModified.After(newest) {
			newest = m.LastModified
		}
	}
	entries := make([]sitemapEntry, 0, len(months)+2)
	entries = append(entries, sitemapEntry{Loc: s.abs("/sitemaps/pages.xml"), LastMod: lastModOrEmpty(newest)})
	entries = append(entries, sitemapEntry{Loc: s.abs("/sitemaps/news.xml"), LastMod: lastModOrEmpty(newest)})
	for _, m := range months {
		entries = append(entries, sitemapEntry{
			Loc: s.abs("/sitemaps/articles-" + strconv.Itoa(m.Year) + "-" + twoDigits(m.Month) + ".xml"), LastMod: w3c(m.LastModified),
		})
	}
	return &page{contentType: "application/xml; charset=utf-8", body: sitemapIndexXML(entries), cacheControl: cacheFeed, lastModified: newest}, nil
}

// sitemapIndexXML writes what xml.MarshalIndent makes of a sitemapIndexDoc,
// without its reflection: a microsecond an entry, a millisecond for the
// 917 of a million-story archive, more than reading the months.
func sitemapIndexXML(entries []sitemapEntry) []byte {
	w := newXMLWriter(128 + len(entries)*144)
	w.start("sitemapindex", "xmlns", sitemapNS)
	for _, e := range entries {
		w.start("sitemap")
		w.text("loc", e.Loc)
		w.optional("lastmod", e.LastMod)
		w.end("sitemap")
	}
	w.end("sitemapindex")
	return w.bytes()
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func lastModOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return w3c(t)
}

func (s *Server) sitemapPages(r *http.Request) (*page, error) {
	ctx := r.Context()
	sections, err := s.store.Sections(ctx)
	if err != nil {
		return nil, err
	}
	tags, err := s.store.PublishedTags(ctx)
	if err != nil {
		return nil, err
	}
	authors, err := s.store.BylinedStaff(ctx)
	if err != nil {
		return nil, err
	}
	doc := urlSetDoc{NS: sitemapNS}
	doc.URLs = append(doc.URLs, sitemapURL{Loc: s.abs("/")}, sitemapURL{Loc: s.abs("/authors")})
	for _, sec := range sections {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: s.abs(sec.URLPath())})
	}
	for _, t := range tags {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: s.abs(t.URLPath())})
	}
	for _, au := range authors {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: s.abs(au.URLPath())})
	}
	people, err := s.store.People(ctx, news.PeopleFilter{Published: true, Limit: 50000})
	if err != nil {
		return nil, err
	}
	if len(people) > 0 {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: s.abs("/people")})
	}
	for i := range people {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: s.abs(people[i].URLPath()), LastMod: lastModOrEmpty(people[i].LastQuoted)})
	}
	return xmlPage(&doc, time.Time{})
}

// sitemapMonth serves /sitemaps/articles-YYYY-MM.xml.
func (s *Server) sitemapMonth(r *http.Request) (*page, error) {
	var year, month int
	name := r.PathValue("name")
	if !strings.HasPrefix(name, "articles-") || len(name) != len("articles-2006-01.xml") {
		return nil, news.ErrNotFound
	}
	if _, err := fmt.Sscanf(name, "articles-%04d-%02d.xml", &year, &month); err != nil || month < 1 || month > 12 || year < 1900 {
		return nil, news.ErrNotFound
	}
	list, err := s.store.ArticlesInMonth(r.Context(), year, month)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, news.ErrNotFound
	}
	doc := urlSetDoc{NS: sitemapNS, URLs: make([]sitemapURL, 0, len(list))}
	for _, a := range list {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: s.abs(a.URLPath()), LastMod: w3c(a.ModifiedAt)})
	}
	return xmlPage(&doc, newest(list))
}

// sitemapNews is the Google News sitemap: articles of the last 48 hours.
func (s *Server) sitemapNews(r *http.Request) (*page, error) {
	pub, err := s.publication(r.Context())
	if err != nil {
		return nil, err
	}
	since := s.desk.Now().Add(-48 * time.Hour)
	list, err := s.store.PublishedArticles(r.Context(), news.ArticleFilter{Since: since, Limit: 1000}, false)
	if err != nil {
		return nil, err
	}
	// A live blog is news while it runs, or while entries come, however
	// long ago it was first published: it is the story, not an old page.
	live, err := s.store.ActiveLiveBlogs(r.Context(), since, 100)
	if err != nil {
		return nil, err
	}
	for _, a := range live {
		if !slices.ContainsFunc(list, func(b *news.Article) bool { return b.ID == a.ID }) {
			list = append(list, a)
		}
	}
	doc := urlSetDoc{NS: sitemapNS, NewsNS: "http://www.google.com/schemas/sitemap-news/0.9"}
	for _, a := range list {
		n := &sitemapNews{PublicationDate: w3c(a.PublishedAt), Title: a.Headline}
		n.Publication.Name = pub.Name
		n.Publication.Language = pub.Language
		doc.URLs = append(doc.URLs, sitemapURL{Loc: s.abs(a.URLPath()), News: n})
	}
	p, err := xmlPage(&doc, newest(list))
	if err != nil {
		return nil, err
	}
	return p, nil
}
