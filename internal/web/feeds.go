package web

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"masthead/internal/news"
)

type feedFormat int

const (
	feedRSS feedFormat = iota
	feedAtom
	feedJSON
)

const feedSize = 30

// feedInfo describes one feed, whatever its format.
type feedInfo struct {
	Title       string
	Description string
	HomeURL     string // absolute
	SelfURL     string // absolute
	Language    string
	Publisher   string
	Articles    []*news.Article
}

func (s *Server) siteFeed(format feedFormat) func(r *http.Request) (*page, error) {
	return func(r *http.Request) (*page, error) {
		pub, err := s.publication(r.Context())
		if err != nil {
			return nil, err
		}
		list, err := s.store.PublishedArticles(r.Context(), news.ArticleFilter{Limit: feedSize}, true)
		if err != nil {
			return nil, err
		}
		return s.feed(format, feedInfo{
			Title: pub.Name, Description: cmpOr(pub.Description, pub.Tagline), HomeURL: s.abs("/"),
			SelfURL: s.abs(r.URL.Path), Language: pub.Language, Publisher: pub.Name, Articles: list,
		})
	}
}

// listFeed serves the feed of a section, tag or author page.
func (s *Server) listFeed(kind string, format feedFormat) func(r *http.Request) (*page, error) {
	return func(r *http.Request) (*page, error) {
		ctx := r.Context()
		slug := r.PathValue("slug")
		pub, err := s.publication(ctx)
		if err != nil {
			return nil, err
		}
		var f news.ArticleFilter
		var name, desc, home string
		switch kind {
		case "section":
			sec, err := s.section(r, slug)
			if err != nil {
				return nil, err
			}
			f.SectionID, name, desc, home = sec.ID, sec.Name, sec.Description, sec.URLPath()
		case "tag":
			t, err := s.tag(r, slug)
			if err != nil {
				return nil, err
			}
			f.TagID, name, desc, home = t.ID, t.Name, "Stories about "+t.Name, t.URLPath()
		default:
			au, err := s.store.StaffBySlug(ctx, slug)
			if err != nil {
				return nil, err
			}
			f.AuthorID, name, desc, home = au.ID, au.Name, "Stories by "+au.Name, au.URLPath()
		}
		f.Limit = feedSize
		list, err := s.store.PublishedArticles(ctx, f, true)
		if err != nil {
			return nil, err
		}
		return s.feed(format, feedInfo{
			Title: name + " | " + pub.Name, Description: cmpOr(desc, pub.Description), HomeURL: s.abs(home),
			SelfURL: s.abs(r.URL.Path), Language: pub.Language, Publisher: pub.Name, Articles: list,
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (s *Server) feed(format feedFormat, fi feedInfo) (*page, error) {
	var body []byte
	var ctype string
	switch format {
	case feedRSS:
		doc := s.rssDoc(fi)
		body, ctype = doc.xml(), "application/rss+xml; charset=utf-8"
	case feedAtom:
		f := s.atomFeed(fi)
		body, ctype = f.xml(), "application/atom+xml; charset=utf-8"
	default:
		doc := s.jsonFeedDoc(fi)
		body, ctype = doc.json(), "application/feed+json; charset=utf-8"
	}
	return &page{contentType: ctype, body: body, cacheControl: cacheFeed, lastModified: newest(fi.Articles)}, nil
}

func newest(list []*news.Article) time.Time {
	var t time.Time
	for _, a := range list {
		if a.ModifiedAt.After(t) {
			t = a.ModifiedAt
		}
	}
	return t
}

// absoluteHTML rewrites site-relative links and images in an article body so
// they work in a feed reader.
func (s *Server) absoluteHTML(h string) string {
	if !strings.Contains(h, `="/`) {
		return h
	}
	return string(appendAbsolute(make([]byte, 0, len(h)+len(h)/8), s.cfg.BaseURL, h, appendRaw))
}

func authorNames(a *news.Article) string {
	names := make([]string, len(a.Authors))
	for i, au := range a.Authors {
		names[i] = au.Name
	}
	return strings.Join(names, ", ")
}

// RSS 2.0 with full content in content:encoded.

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	AtomNS    string     `xml:"xmlns:atom,attr"`
	ContentNS string     `xml:"xmlns:content,attr"`
	DCNS      string     `xml:"xmlns:dc,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Generator     string    `xml:"generator"`
	Self          rssLink   `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssItem struct {
	Title       string      `xml:"title"`
	Link        string      `xml:"link"`
	GUID        rssGUID     `xml:"guid"`
	PubDate     string      `xml:"pubDate"`
	Creator     string      `xml:"dc:creator,omitempty"`
	Categories  []string    `xml:"category"`
	Description string      `xml:"description"`
	Content     string      `xml:"content:encoded"`
	body        articleBody // when set, stands for Content (feedwrite.go)
}

func (s *Server) rssDoc(fi feedInfo) rssDoc {
	doc := rssDoc{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", ContentNS: "http://purl.org/rss/1.0/modules/content/", DCNS: "http://purl.org/dc/elements/1.1/"}
	ch := rssChannel{Title: fi.Title, Link: fi.HomeURL, Description: fi.Description, Language: fi.Language, Generator: "Masthead",
		Self: rssLink{Href: fi.SelfURL, Rel: "self", Type: "application/rss+xml"}}
	if t := newest(fi.Articles); !t.IsZero() {
		ch.LastBuildDate = t.UTC().Format(time.RFC1123Z)
	}
	ch.Items = make([]rssItem, 0, len(fi.Articles))
	for _, a := range fi.Articles {
		link := s.abs(a.URLPath())
		item := rssItem{
			Title: a.Headline, Link: link, GUID: rssGUID{IsPermaLink: "true", Value: link},
			PubDate: a.PublishedAt.UTC().Format(time.RFC1123Z), Creator: authorNames(a),
			Description: a.Standfirst, body: articleBody{base: s.cfg.BaseURL, a: a},
		}
		if a.Section != nil {
			item.Categories = append(item.Categories, a.Section.Name)
		}
		ch.Items = append(ch.Items, item)
	}
	doc.Channel = ch
	return doc
}

// Atom 1.0 with full HTML content.

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Gen      string      `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Link       atomLink       `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    string         `xml:"summary,omitempty"`
	Content    atomText       `xml:"content"`
	body       articleBody    // when set, stands for Content.Value (feedwrite.go)
}

func (s *Server) atomFeed(fi feedInfo) atomFeed {
	updated := newest(fi.Articles)
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	f := atomFeed{Lang: fi.Language, Title: fi.Title, Subtitle: fi.Description, ID: fi.SelfURL, Updated: updated.UTC().Format(time.RFC3339),
		Links:  []atomLink{{Href: fi.HomeURL, Rel: "alternate", Type: "text/html"}, {Href: fi.SelfURL, Rel: "self", Type: "application/atom+xml"}},
		Author: atomPerson{Name: fi.Publisher, URI: s.abs("/")}, Gen: "Masthead"}
	f.Entries = make([]atomEntry, 0, len(fi.Articles))
	for _, a := range fi.Articles {
		link := s.abs(a.URLPath())
		e := atomEntry{
			Title: a.Headline, ID: link, Link: atomLink{Href: link, Rel: "alternate", Type: "text/html"},
			Published: a.PublishedAt.UTC().Format(time.RFC3339), Updated: a.LastModified().UTC().Format(time.RFC3339),
			Summary: a.Standfirst, Content: atomText{Type: "html"}, body: articleBody{base: s.cfg.BaseURL, a: a},
		}
		for _, au := range a.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: au.Name, URI: s.abs(au.URLPath())})
		}
		if a.Section != nil {
			e.Categories = append(e.Categories, atomCategory{Term: a.Section.Name})
		}
		f.Entries = append(f.Entries, e)
	}
	return f
}

func marshalXML(v any) ([]byte, error) {
	out, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// JSON Feed 1.1.

type jsonFeedDoc struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description,omitempty"`
	Language    string         `json:"language,omitempty"`
	Icon        string         `json:"icon,omitempty"`
	Authors     []jsonAuthor   `json:"authors,omitempty"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonFeedItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
	body          articleBody  // when set, stands for ContentHTML (feedwrite.go)
}

func (s *Server) jsonFeedDoc(fi feedInfo) jsonFeedDoc {
	doc := jsonFeedDoc{Version: "https://jsonfeed.org/version/1.1", Title: fi.Title, HomePageURL: fi.HomeURL, FeedURL: fi.SelfURL,
		Description: fi.Description, Language: fi.Language, Icon: s.abs(s.render.StaticURL("favicon.svg")),
		Authors: []jsonAuthor{{Name: fi.Publisher, URL: s.abs("/")}}, Items: make([]jsonFeedItem, 0, len(fi.Articles))}
	for _, a := range fi.Articles {
		link := s.abs(a.URLPath())
		item := jsonFeedItem{
			ID: link, URL: link, Title: a.Headline, body: articleBody{base: s.cfg.BaseURL, a: a},
			Summary: a.Standfirst, DatePublished: a.PublishedAt.UTC().Format(time.RFC3339), DateModified: a.LastModified().UTC().Format(time.RFC3339),
		}
		if a.LeadImage != nil {
			item.Image = s.absURL(a.LeadImage.URL)
		}
		for _, au := range a.Authors {
			item.Authors = append(item.Authors, jsonAuthor{Name: au.Name, URL: s.abs(au.URLPath())})
		}
		if a.Section != nil {
			item.Tags = append(item.Tags, a.Section.Name)
		}
		doc.Items = append(doc.Items, item)
	}
	return doc
}
