package web

// People who are quoted: /people (the most quoted first, and a search of
// every published quotation), /people/{slug} (who they are and everything
// they have been quoted saying, newest first) with its feeds, and the
// quotations on article pages (marked up, and in the JSON-LD).
//
// A person's page exists only while a published article quotes them, so
// nothing from drafts shows; a merged person's slug redirects (301) to the
// person it was merged into.

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/render"
)

const (
	peoplePageSize      = 48
	personPageSize      = 40 // quote spans on a person's page
	quoteSearchPageSize = 20
	organisationsShown  = 24
)

// quotation is one quotation as pages show it: its spans (a quote split
// by its attribution has several) in one article, by one speaker.
type quotation struct {
	Spans   []string
	Anchor  string // "quote-N": the first span's id on the article page
	Person  *news.Person
	Article *news.Article
}

// URL is the quotation in its article.
func (q *quotation) URL() string { return q.Article.URLPath() + "#" + q.Anchor }

// Text is the quotation's words, its pieces joined by an ellipsis.
func (q *quotation) Text() string { return strings.Join(q.Spans, " … ") }

// quotations groups quote spans, in order, into quotations.
func quotations(qs []news.Quote, article *news.Article) []*quotation {
	var out []*quotation
	var last *quotation
	var lastGroup int
	var lastArticle int64
	for i := range qs {
		q := &qs[i]
		a := article
		if q.Article != nil {
			a = q.Article
		}
		samePerson := last != nil && (last.Person == nil) == (q.Person == nil) && (q.Person == nil || last.Person.ID == q.Person.ID)
		if last != nil && q.ArticleID == lastArticle && q.Group == lastGroup && samePerson {
			last.Spans = append(last.Spans, q.Text)
			continue
		}
		last = &quotation{Spans: []string{q.Text}, Anchor: "quote-" + strconv.Itoa(q.Position), Person: q.Person, Article: a}
		lastGroup, lastArticle = q.Group, q.ArticleID
		out = append(out, last)
	}
	return out
}

// storyQuotes are the quotations of one article on a person's page.
type storyQuotes struct {
	Article *news.Article
	Quotes  []*quotation
}

func byArticle(list []*quotation) []storyQuotes {
	var out []storyQuotes
	for _, q := range list {
		if n := len(out); n > 0 && out[n-1].Article.ID == q.Article.ID {
			out[n-1].Quotes = append(out[n-1].Quotes, q)
			continue
		}
		out = append(out, storyQuotes{Article: q.Article, Quotes: []*quotation{q}})
	}
	return out
}

type peoplePage struct {
	Layout        render.Layout
	People        []news.Person
	Organisations []news.Person
	Query         string
	Searched      bool
	Total         int
	About         bool // Total is an estimate, rounded
	Results       []*quotation
	Pager         pager
}

// peopleIndex lists the people quoted in published articles, the most
// quoted first, and searches their quotations with ?q=.
func (s *Server) peopleIndex(r *http.Request) (*page, error) {
	ctx := r.Context()
	n, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	query, _ := cleanParam(r, "q", maxQueryLen)
	title := "People in the news"
	lay, err := s.layout(r, title, "Everyone quoted in our stories, the most quoted first, with everything they said.", "/people")
	if err != nil {
		return nil, err
	}
	data := peoplePage{Layout: lay, Query: query}
	if query != "" {
		return s.quoteSearch(r, data, n)
	}
	f := news.PeopleFilter{Kind: news.KindPerson, Published: true}
	total, err := s.store.CountPeople(ctx, f)
	if err != nil {
		return nil, err
	}
	if data.Pager, err = s.paginate(&data.Layout, "/people", n, total, peoplePageSize); err != nil {
		return nil, err
	}
	f.Limit, f.Offset = peoplePageSize, (n-1)*peoplePageSize
	if data.People, err = s.store.People(ctx, f); err != nil {
		return nil, err
	}
	if n == 1 {
		if data.Organisations, err = s.store.People(ctx, news.PeopleFilter{Kind: news.KindOrganisation, Published: true, Limit: organisationsShown}); err != nil {
			return nil, err
		}
	}
	data.Layout.JSONLD = []string{s.breadcrumbsLD(
		ldListItem{Name: lay.Site.Name, Item: s.abs("/")},
		ldListItem{Name: title, Item: s.abs("/people")},
	)}
	return s.html(http.StatusOK, "people", data)
}

// quoteSearch answers /people?q=: published quotations whose words or
// speaker match. Like the site search it is never kept in the page cache.
func (s *Server) quoteSearch(r *http.Request, data peoplePage, n int) (*page, error) {
	data.Searched = true
	data.Layout.Robots = "noindex, follow"
	data.Layout.Title = fmt.Sprintf("Quotes matching “%s” | %s", data.Query, data.Layout.Site.Name)
	res, err := s.store.SearchQuotes(r.Context(), data.Query, quoteSearchPageSize, (n-1)*quoteSearchPageSize)
	if err != nil {
		return nil, err
	}
	hits := res.Quotes
	data.Total, data.About = res.Total, res.About
	if data.About {
		data.Total = roughly(data.Total)
	}
	pages := max((data.Total+quoteSearchPageSize-1)/quoteSearchPageSize, 1)
	if len(hits) > 0 {
		pages = max(pages, n) // a rounded estimate may fall short of the page
	}
	if n > pages || (n > 1 && len(hits) == 0) {
		return nil, news.ErrNotFound
	}
	for i := range hits { // each matching span on its own
		data.Results = append(data.Results, quotations(hits[i:i+1], nil)...)
	}
	data.Pager = pager{Page: n, Pages: pages}
	at := func(page int) string {
		v := url.Values{"q": {data.Query}}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		return "/people?" + v.Encode()
	}
	if n > 1 {
		data.Pager.PrevURL = at(n - 1)
	}
	if n < pages {
		data.Pager.NextURL = at(n + 1)
	}
	p, err := s.html(http.StatusOK, "people", data)
	if err != nil {
		return nil, err
	}
	p.cacheControl = "public, max-age=60"
	return p, nil
}

// Found says how many quotations the search found: "1 quote", "About
// 76,000 quotes".
func (p peoplePage) Found() string { return found(p.Total, p.About, "quote", "quotes") }

type personPage struct {
	Layout  render.Layout
	Person  *news.Person
	Stories []storyQuotes
	FeedURL string
	Pager   pager
}

// person loads the person whose page is /people/{slug}: not found unless a
// published article quotes them. moved is their current page when the slug
// is an old one (they were merged).
func (s *Server) person(r *http.Request) (p *news.Person, moved string, err error) {
	slug := r.PathValue("slug")
	if !news.ValidSlug(slug) {
		return nil, "", news.ErrNotFound
	}
	p, err = s.store.PersonBySlug(r.Context(), slug)
	if err != nil {
		return nil, "", err
	}
	if p.QuoteCount == 0 {
		return nil, "", news.ErrNotFound
	}
	if p.Slug != slug {
		return p, strings.Replace(r.URL.Path, "/people/"+slug, p.URLPath(), 1), nil
	}
	return p, "", nil
}

// redirect is a permanent redirect to path on this site, keeping the query.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, path string) {
	if r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, path, http.StatusMovedPermanently)
}

func (s *Server) personShow(w http.ResponseWriter, r *http.Request) {
	p, moved, err := s.person(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if moved != "" {
		s.redirect(w, r, moved)
		return
	}
	pg, err := s.personPage(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.write(w, r, pg)
}

func (s *Server) personPage(r *http.Request, p *news.Person) (*page, error) {
	n, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	desc := p.Description
	if desc == "" {
		desc = "Everything " + p.Name + " has been quoted saying in our stories."
	}
	lay, err := s.layout(r, p.Name, desc, p.URLPath())
	if err != nil {
		return nil, err
	}
	data := personPage{Layout: lay, Person: p, FeedURL: p.URLPath() + "/feed.atom"}
	qs, total, err := s.store.PersonQuotes(r.Context(), p.ID, personPageSize, (n-1)*personPageSize)
	if err != nil {
		return nil, err
	}
	if data.Pager, err = s.paginate(&data.Layout, p.URLPath(), n, total, personPageSize); err != nil {
		return nil, err
	}
	data.Stories = byArticle(quotations(qs, nil))
	data.Layout.Feeds = append([]render.Feed{
		{Title: p.Name + " (Atom)", Type: "application/atom+xml", URL: s.abs(p.URLPath() + "/feed.atom")},
		{Title: p.Name + " (RSS)", Type: "application/rss+xml", URL: s.abs(p.URLPath() + "/feed.xml")},
	}, data.Layout.Feeds...)
	data.Layout.OG.Type = "profile"
	data.Layout.JSONLD = []string{s.personLD(p), s.breadcrumbsLD(
		ldListItem{Name: lay.Site.Name, Item: s.abs("/")},
		ldListItem{Name: "People in the news", Item: s.abs("/people")},
		ldListItem{Name: p.Name, Item: s.abs(p.URLPath())},
	)}
	pg, err := s.html(http.StatusOK, "person", data)
	if err != nil {
		return nil, err
	}
	pg.lastModified = p.LastQuoted
	return pg, nil
}

// personFeed serves a person's quotations, newest first, as a feed: one
// entry a quotation, linking to it in its article.
func (s *Server) personFeed(format feedFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, moved, err := s.person(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if moved != "" {
			s.redirect(w, r, moved)
			return
		}
		pg, err := s.quoteFeed(r, p, format)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.write(w, r, pg)
	}
}

func (s *Server) quoteFeed(r *http.Request, p *news.Person, format feedFormat) (*page, error) {
	pub, err := s.publication(r.Context())
	if err != nil {
		return nil, err
	}
	qs, _, err := s.store.PersonQuotes(r.Context(), p.ID, feedSize*2, 0)
	if err != nil {
		return nil, err
	}
	list := quotations(qs, nil)
	if len(list) > feedSize {
		list = list[:feedSize]
	}
	title := p.Name + " | " + pub.Name
	desc := cmpOr(p.Description, "Quotes from "+p.Name+" in "+pub.Name)
	home, self := s.abs(p.URLPath()), s.abs(r.URL.Path)
	var updated time.Time
	for _, q := range list {
		if t := q.Article.LastModified(); t.After(updated) {
			updated = t
		}
	}
	entryTitle := func(q *quotation) string {
		t := q.Text()
		if utf8.RuneCountInString(t) > 90 {
			t = string([]rune(t)[:90])
			if i := strings.LastIndex(t, " "); i > 40 {
				t = t[:i]
			}
			t += "…"
		}
		return p.Name + ": “" + t + "”"
	}
	content := func(q *quotation) string {
		return `<blockquote cite="` + htmlEscape(s.abs(q.Article.URLPath())) + `"><p>` + htmlEscape(q.Text()) + `</p></blockquote>` +
			`<p>— ` + htmlEscape(p.Name) + `, in <a href="` + htmlEscape(s.abs(q.URL())) + `">` + htmlEscape(q.Article.Headline) + `</a></p>`
	}
	var body []byte
	var ctype string
	if format == feedRSS {
		ch := rssChannel{Title: title, Link: home, Description: desc, Language: pub.Language, Generator: "Masthead",
			Self: rssLink{Href: self, Rel: "self", Type: "application/rss+xml"}}
		if !updated.IsZero() {
			ch.LastBuildDate = updated.UTC().Format(time.RFC1123Z)
		}
		for _, q := range list {
			ch.Items = append(ch.Items, rssItem{
				Title: entryTitle(q), Link: s.abs(q.URL()), GUID: rssGUID{IsPermaLink: "true", Value: s.abs(q.URL())},
				PubDate: q.Article.PublishedAt.UTC().Format(time.RFC1123Z), Creator: p.Name,
				Description: q.Text(), Content: content(q),
			})
		}
		doc := rssDoc{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", ContentNS: "http://purl.org/rss/1.0/modules/content/",
			DCNS: "http://purl.org/dc/elements/1.1/", Channel: ch}
		body = doc.xml()
		ctype = "application/rss+xml; charset=utf-8"
	} else {
		if updated.IsZero() {
			updated = time.Unix(0, 0)
		}
		f := atomFeed{Lang: pub.Language, Title: title, Subtitle: desc, ID: self, Updated: updated.UTC().Format(time.RFC3339),
			Links:  []atomLink{{Href: home, Rel: "alternate", Type: "text/html"}, {Href: self, Rel: "self", Type: "application/atom+xml"}},
			Author: atomPerson{Name: pub.Name, URI: s.abs("/")}, Gen: "Masthead"}
		for _, q := range list {
			f.Entries = append(f.Entries, atomEntry{
				Title: entryTitle(q), ID: s.abs(q.URL()), Link: atomLink{Href: s.abs(q.URL()), Rel: "alternate", Type: "text/html"},
				Published: q.Article.PublishedAt.UTC().Format(time.RFC3339), Updated: q.Article.LastModified().UTC().Format(time.RFC3339),
				Authors: []atomPerson{{Name: p.Name, URI: home}}, Summary: q.Text(), Content: atomText{Type: "html", Value: content(q)},
			})
		}
		body = f.xml()
		ctype = "application/atom+xml; charset=utf-8"
	}
	return &page{contentType: ctype, body: body, cacheControl: cacheFeed, lastModified: updated}, nil
}

var htmlEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace

// articleQuotes loads the quotations readers see in an article: the spans
// to mark up in its body, its JSON-LD Quotation items, and who is quoted.
func (s *Server) articleQuotes(r *http.Request, a *news.Article) (spans []markup.QuoteSpan, items []ldQuotation, people []*news.Person, err error) {
	qs, err := s.store.ArticleQuotes(r.Context(), a.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	public := qs[:0]
	seen := map[int64]bool{}
	for _, q := range qs {
		if !q.Public() {
			continue
		}
		public = append(public, q)
		sp := markup.QuoteSpan{Text: q.Text, ID: "quote-" + strconv.Itoa(q.Position)}
		if q.Person != nil {
			sp.Cite = s.abs(q.Person.URLPath())
			if !seen[q.Person.ID] {
				seen[q.Person.ID] = true
				people = append(people, q.Person)
			}
		}
		spans = append(spans, sp)
	}
	for _, q := range quotations(public, a) {
		item := ldQuotation{Type: "Quotation", Text: q.Text(), URL: s.abs(q.URL())}
		if p := q.Person; p != nil {
			item.SpokenBy = &ldThing{Type: "Person", Name: p.Name, URL: s.abs(p.URLPath())}
			if p.IsOrganisation() {
				item.SpokenBy.Type = "Organization"
			}
		}
		items = append(items, item)
	}
	return spans, items, people, nil
}
