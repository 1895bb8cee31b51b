package web_test

import (
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/testutil"
	"masthead/internal/web"
)

const baseURL = "https://news.example.test"

type fixture struct {
	site    *testutil.Site
	server  *web.Server
	handler http.Handler
	section *news.Section
	author  news.Staff
	second  news.Staff
	first   *news.Article
	middle  *news.Article
	last    *news.Article
}

// newFixture builds a small newsroom: three articles an hour apart in one
// section, the middle one with two bylines, tags, an image and an update.
func newFixture(t testing.TB) *fixture { return newFixtureLimit(t, 100) }

// newFixtureLimit is newFixture with a per-address comment limit.
func newFixtureLimit(t testing.TB, commentLimit int) *fixture {
	t.Helper()
	s := testutil.NewSite(t)
	f := &fixture{site: s}
	f.section = s.Section(t, "City Hall")
	other := s.Section(t, "Sport")
	f.author = s.Author(t, "Ana Ruiz")
	f.second = s.Author(t, "Tom Okafor")
	now := time.Now().Truncate(time.Second)
	housing := s.Tag(t, "Housing")
	f.first = s.Article(t, &news.Article{Headline: "Bridge reopens after repairs", Standfirst: "Traffic flows again.", Section: f.section,
		Authors: []news.Staff{f.author}, Tags: []news.Tag{housing}, PublishedAt: now.Add(-3 * time.Hour)})
	f.middle = s.Article(t, &news.Article{
		Headline: "Council backs 400 new homes on the old quay", Standfirst: "The vote was close.", Section: f.section,
		Authors: []news.Staff{f.author, f.second}, Tags: []news.Tag{housing, s.Tag(t, "City Council")},
		Body:        "## The vote\n\n\"This is a good day for the quay,\" said Mayor Ines Darrow.\n\n> \"We will build it.\"\n>\n> — Ines Darrow, mayor\n\nSee [the plan](https://example.org/plan).",
		LeadImage:   &news.Image{URL: "/media/demo/quay.png", Alt: "The old quay at dusk", Caption: "The quay today.", Credit: "Photo: Desk", Width: 960, Height: 540},
		PublishedAt: now.Add(-2 * time.Hour), UpdatedAt: now.Add(-time.Hour),
	})
	f.last = s.Article(t, &news.Article{Headline: "Wanderers win the derby", Section: other, Authors: []news.Staff{f.second}, PublishedAt: now.Add(-time.Hour)})
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	desk := newsroom.New(s.Store, newsroom.Config{Location: time.UTC, CommentLimit: commentLimit, CommentWindow: time.Minute})
	srv := web.New(s.Store, desk, eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: baseURL, Secret: []byte("test-secret")})
	f.server, f.handler = srv, srv.Handler()
	return f
}

type response struct {
	*http.Response
	body string
}

func (f *fixture) do(t *testing.T, req *http.Request) response {
	t.Helper()
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return response{Response: res, body: string(b)}
}

func (f *fixture) get(t *testing.T, path string) response {
	t.Helper()
	return f.do(t, httptest.NewRequest("GET", path, nil))
}

func (f *fixture) post(t *testing.T, path string, form url.Values, cookies ...*http.Cookie) response {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return f.do(t, req)
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("response lacks %q", w)
		}
	}
}

func mustNotContain(t *testing.T, body string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(body, n) {
			t.Errorf("response contains %q", n)
		}
	}
}

func TestArticlePage(t *testing.T) {
	f := newFixture(t)
	res := f.get(t, f.middle.URLPath())
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if !regexp.MustCompile(`^/\d{4}/\d{2}/\d{2}/council-backs-400-new-homes-on-the-old-quay$`).MatchString(f.middle.URLPath()) {
		t.Errorf("article path %q is not /YYYY/MM/DD/slug", f.middle.URLPath())
	}
	mustContain(t, res.body,
		`<a href="/section/city-hall">City Hall</a>`,
		`<h1 class="headline">Council backs 400 new homes on the old quay</h1>`,
		`<p class="standfirst">The vote was close.</p>`,
		`By <a href="/author/ana-ruiz">Ana Ruiz</a> and <a href="/author/tom-okafor">Tom Okafor</a>`,
		`<time datetime="`+f.middle.PublishedAt.UTC().Format(time.RFC3339)+`"`,
		`Updated <time datetime="`+f.middle.UpdatedAt.UTC().Format(time.RFC3339)+`"`,
		"min read",
		`<img src="/media/demo/quay.png" alt="The old quay at dusk"`,
		`<figcaption>The quay today. <span class="credit">Photo: Desk</span></figcaption>`,
		"<h2>The vote</h2>",
		// quotations are marked up as such (people_test.go has the details)
		`<q id="quote-0" cite="`+baseURL+`/people/ines-darrow">This is a good day for the quay,</q> said Mayor Ines Darrow.`,
		`<blockquote class="pullquote" cite="`+baseURL+`/people/ines-darrow">`,
		// prev/next, chronological
		`<a class="prev" rel="prev" href="`+f.first.URLPath()+`"><span class="label">Previous article</span> <span class="title">Bridge reopens after repairs</span>`,
		`<a class="next" rel="next" href="`+f.last.URLPath()+`"><span class="label">Next article</span> <span class="title">Wanderers win the derby</span>`,
		// author box
		`<section class="author-box" aria-label="About Ana Ruiz">`, `<span class="author-photo initials" aria-hidden="true">AR</span>`, "Ana Ruiz covers the city.",
		// related: same tag
		`Related stories`, `href="`+f.first.URLPath()+`">Bridge reopens after repairs</a></h3>`,
		// comments
		"0 comments", "Leave a Reply", `name="comment"`, `name="email"`, `name="website"`,
		`<link rel="canonical" href="`+baseURL+f.middle.URLPath()+`">`,
		`<meta property="og:type" content="article">`,
		`<meta property="og:image" content="`+baseURL+`/media/demo/quay.png">`,
		`<meta name="twitter:card" content="summary_large_image">`,
	)
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "ETag", "Last-Modified"} {
		if res.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "img-src 'self' https: data:;") {
		t.Errorf("CSP allows inline code, or not articles' images from elsewhere: %s", csp)
	}

	// The first article has no previous one; the last no next.
	mustNotContain(t, f.get(t, f.first.URLPath()).body, "Previous article")
	mustNotContain(t, f.get(t, f.last.URLPath()).body, "Next article")
}

func TestArticleJSONLD(t *testing.T) {
	f := newFixture(t)
	res := f.get(t, f.middle.URLPath())
	docs := jsonLD(t, res.body)
	var article map[string]any
	for _, d := range docs {
		if d["@type"] == "NewsArticle" {
			article = d
		}
	}
	if article == nil {
		t.Fatalf("no NewsArticle in %d JSON-LD documents", len(docs))
	}
	checks := map[string]any{
		"headline":      f.middle.Headline,
		"datePublished": f.middle.PublishedAt.UTC().Format(time.RFC3339),
		"dateModified":  f.middle.UpdatedAt.UTC().Format(time.RFC3339),
	}
	for k, want := range checks {
		if article[k] != want {
			t.Errorf("%s = %v, want %v", k, article[k], want)
		}
	}
	authors, _ := article["author"].([]any)
	if len(authors) != 2 {
		t.Fatalf("author = %v, want two people", article["author"])
	}
	first := authors[0].(map[string]any)
	if first["@type"] != "Person" || first["name"] != "Ana Ruiz" || first["url"] != baseURL+"/author/ana-ruiz" {
		t.Errorf("first author = %v", first)
	}
	pub := article["publisher"].(map[string]any)
	if pub["name"] != "The Test Gazette" || pub["logo"] == nil {
		t.Errorf("publisher = %v", pub)
	}
	if img, _ := article["image"].([]any); len(img) != 1 || img[0] != baseURL+"/media/demo/quay.png" {
		t.Errorf("image = %v", article["image"])
	}
	if main, _ := article["mainEntityOfPage"].(map[string]any); main["@id"] != nil && main["url"] != baseURL+f.middle.URLPath() {
		t.Errorf("mainEntityOfPage = %v", main)
	}
	// The home page describes the WebSite, section pages their breadcrumbs.
	if !hasType(jsonLD(t, f.get(t, "/").body), "WebSite") {
		t.Error("home page has no WebSite JSON-LD")
	}
	if !hasType(jsonLD(t, f.get(t, "/section/city-hall").body), "BreadcrumbList") {
		t.Error("section page has no BreadcrumbList JSON-LD")
	}
}

var ldPattern = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

func jsonLD(t *testing.T, body string) []map[string]any {
	t.Helper()
	var docs []map[string]any
	for _, m := range ldPattern.FindAllStringSubmatch(body, -1) {
		var d map[string]any
		if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		docs = append(docs, d)
	}
	return docs
}

func hasType(docs []map[string]any, typ string) bool {
	for _, d := range docs {
		if d["@type"] == typ {
			return true
		}
	}
	return false
}

func TestListPages(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 13; i++ {
		f.site.Article(t, &news.Article{Section: f.section, Authors: []news.Staff{f.author}, PublishedAt: time.Now().Add(-time.Duration(10+i) * time.Hour)})
	}
	tests := []struct {
		path   string
		status int
		wants  []string
	}{
		{"/", 200, []string{`<h1 class="site-title">`, "Wanderers win the derby", "Council backs 400 new homes", `href="/section/city-hall"`}},
		{"/section/city-hall", 200, []string{"<h1>City Hall</h1>", `<link rel="next" href="` + baseURL + `/section/city-hall?page=2">`, "Page 1 of 2"}},
		{"/section/city-hall?page=2", 200, []string{`<link rel="prev" href="` + baseURL + `/section/city-hall">`, "Page 2 of 2", `<link rel="canonical" href="` + baseURL + `/section/city-hall?page=2">`}},
		{"/section/city-hall?page=3", 404, []string{"Page not found"}},
		{"/section/city-hall?page=abc", 400, []string{"The page number must be a whole number"}},
		{"/section/nope", 404, []string{"Page not found", `action="/search"`, "Latest stories"}},
		{"/tag/housing", 200, []string{"<h1>Housing</h1>", "Bridge reopens after repairs"}},
		{"/author/ana-ruiz", 200, []string{"<h1>Ana Ruiz</h1>", "Ana Ruiz covers the city.", "Stories by Ana Ruiz", "Council backs 400 new homes"}},
		{"/authors", 200, []string{"Our journalists", `href="/author/tom-okafor"`}},
		{"/2026/99/99/no-such-story", 404, []string{"Page not found"}},
		{"/2026/1/1/x", 404, nil},
		{"/robots.txt", 200, []string{"Sitemap: " + baseURL + "/sitemap.xml"}},
		{"/healthz", 200, []string{"ok"}},
		{"/opensearch.xml", 200, []string{baseURL + "/search?q={searchTerms}"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := f.get(t, tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", res.StatusCode, tt.status)
			}
			mustContain(t, res.body, tt.wants...)
		})
	}
}

func TestConditionalAndCompressed(t *testing.T) {
	f := newFixture(t)
	res := f.get(t, f.middle.URLPath())
	etag := res.Header.Get("ETag")
	req := httptest.NewRequest("GET", f.middle.URLPath(), nil)
	req.Header.Set("If-None-Match", etag)
	if got := f.do(t, req); got.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", got.StatusCode)
	}
	req = httptest.NewRequest("GET", f.middle.URLPath(), nil)
	req.Header.Set("If-Modified-Since", res.Header.Get("Last-Modified"))
	if got := f.do(t, req); got.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since: status %d, want 304", got.StatusCode)
	}
	req = httptest.NewRequest("GET", f.middle.URLPath(), nil)
	req.Header.Set("Accept-Encoding", "gzip, br")
	got := f.do(t, req)
	if got.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(got.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("not gzipped: %v", got.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(got.body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != res.body {
		t.Error("gzipped body differs from the plain one")
	}
	// Static assets are fingerprinted and cached for a year.
	css := regexp.MustCompile(`href="(/static/site\.[0-9a-f]+\.css)"`).FindStringSubmatch(res.body)
	if css == nil {
		t.Fatal("no fingerprinted stylesheet link")
	}
	st := f.get(t, css[1])
	if st.StatusCode != 200 || !strings.Contains(st.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(st.Header.Get("Content-Type"), "text/css") {
		t.Errorf("static: %d %v", st.StatusCode, st.Header)
	}
	// …and sent compressed to browsers that take it: brotli first.
	for _, tc := range []struct{ accept, encoding string }{{"gzip, deflate, br", "br"}, {"gzip", "gzip"}, {"", ""}} {
		req := httptest.NewRequest("GET", css[1], nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		got := f.do(t, req)
		if got.StatusCode != 200 || got.Header.Get("Content-Encoding") != tc.encoding || !strings.Contains(got.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("static with Accept-Encoding %q: %d %v", tc.accept, got.StatusCode, got.Header)
		}
		if tc.encoding != "" && len(got.body) >= len(st.body)/2 {
			t.Errorf("static %s body is %d bytes of %d", tc.encoding, len(got.body), len(st.body))
		}
		again := httptest.NewRequest("GET", css[1], nil)
		again.Header.Set("Accept-Encoding", tc.accept)
		again.Header.Set("If-None-Match", got.Header.Get("ETag"))
		if nm := f.do(t, again); nm.StatusCode != http.StatusNotModified {
			t.Errorf("static revalidation with Accept-Encoding %q: %d", tc.accept, nm.StatusCode)
		}
	}
}

func TestFeeds(t *testing.T) {
	f := newFixture(t)
	type rss struct {
		Channel struct {
			Title string `xml:"title"`
			Link  string `xml:"link"`
			Items []struct {
				Title   string `xml:"title"`
				Link    string `xml:"link"`
				PubDate string `xml:"pubDate"`
				Creator string `xml:"http://purl.org/dc/elements/1.1/ creator"`
				Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	type atom struct {
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Entries []struct {
			Title     string `xml:"title"`
			ID        string `xml:"id"`
			Published string `xml:"published"`
			Updated   string `xml:"updated"`
			Authors   []struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	for _, path := range []string{"/feed.xml", "/section/city-hall/feed.xml", "/tag/housing/feed.xml", "/author/ana-ruiz/feed.xml"} {
		res := f.get(t, path)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/rss+xml") {
			t.Fatalf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		var doc rss
		if err := xml.Unmarshal([]byte(res.body), &doc); err != nil {
			t.Fatalf("%s does not parse: %v", path, err)
		}
		if len(doc.Channel.Items) == 0 {
			t.Fatalf("%s has no items", path)
		}
		for _, it := range doc.Channel.Items {
			if !strings.HasPrefix(it.Link, baseURL+"/") {
				t.Errorf("%s: relative link %q", path, it.Link)
			}
			if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
				t.Errorf("%s: pubDate %q: %v", path, it.PubDate, err)
			}
			if it.Creator == "" || it.Content == "" {
				t.Errorf("%s: item %q lacks author or content", path, it.Title)
			}
		}
	}
	var site rss
	_ = xml.Unmarshal([]byte(f.get(t, "/feed.xml").body), &site)
	if got := site.Channel.Items[1]; got.Title != f.middle.Headline || !strings.Contains(got.Content, `src="`+baseURL+`/media/demo/quay.png"`) {
		t.Errorf("second item = %q, content %q", got.Title, got.Content)
	}

	for _, path := range []string{"/feed.atom", "/section/city-hall/feed.atom", "/author/tom-okafor/feed.atom"} {
		res := f.get(t, path)
		var doc atom
		if err := xml.Unmarshal([]byte(res.body), &doc); err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %d, %v", path, res.StatusCode, err)
		}
		for _, e := range doc.Entries {
			if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || len(e.Authors) == 0 || e.Content == "" {
				t.Errorf("%s: entry %q incomplete: %+v", path, e.Title, e)
			}
		}
	}

	res := f.get(t, "/feed.json")
	var jf struct {
		Version string `json:"version"`
		Items   []struct {
			ID            string `json:"id"`
			ContentHTML   string `json:"content_html"`
			DatePublished string `json:"date_published"`
			Authors       []struct {
				Name string `json:"name"`
			} `json:"authors"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(res.body), &jf); err != nil {
		t.Fatal(err)
	}
	if jf.Version != "https://jsonfeed.org/version/1.1" || len(jf.Items) != 3 || jf.Items[0].Authors[0].Name != "Tom Okafor" {
		t.Errorf("json feed = %+v", jf)
	}
}

func TestSitemaps(t *testing.T) {
	f := newFixture(t)
	f.site.Article(t, &news.Article{Headline: "An old story", Section: f.section, PublishedAt: time.Now().AddDate(0, -3, 0)})
	type urlset struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
			News    *struct {
				Title string `xml:"title"`
				Date  string `xml:"publication_date"`
				Pub   struct {
					Name     string `xml:"name"`
					Language string `xml:"language"`
				} `xml:"publication"`
			} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
		} `xml:"url"`
	}
	var index struct {
		Sitemaps []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal([]byte(f.get(t, "/sitemap.xml").body), &index); err != nil {
		t.Fatal(err)
	}
	if len(index.Sitemaps) < 4 { // pages, news, and two months
		t.Fatalf("index lists %d sitemaps", len(index.Sitemaps))
	}
	articles := 0
	for _, sm := range index.Sitemaps {
		path := strings.TrimPrefix(sm.Loc, baseURL)
		res := f.get(t, path)
		var set urlset
		if err := xml.Unmarshal([]byte(res.body), &set); err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %d %v", path, res.StatusCode, err)
		}
		if strings.Contains(path, "articles-") {
			articles += len(set.URLs)
			if sm.LastMod == "" {
				t.Errorf("%s has no lastmod in the index", path)
			}
		}
		if strings.HasSuffix(path, "news.xml") {
			if len(set.URLs) != 3 {
				t.Errorf("news sitemap has %d URLs, want the 3 recent ones", len(set.URLs))
			}
			for _, u := range set.URLs {
				if u.News == nil || u.News.Pub.Name != "The Test Gazette" || u.News.Pub.Language != "en" || u.News.Title == "" {
					t.Errorf("news entry %s incomplete", u.Loc)
				}
			}
		}
	}
	if articles != 4 {
		t.Errorf("monthly sitemaps list %d articles, want 4", articles)
	}
}

func TestSearch(t *testing.T) {
	f := newFixture(t)
	f.site.Article(t, &news.Article{Headline: "Quay <script>alert(1)</script> festival", Body: "The <b>quay</b> festival returns."})
	tests := []struct {
		q      string
		status int
		wants  []string
	}{
		{"quay", 200, []string{"Council backs 400 new homes on the old quay", "<mark>quay</mark>", "stories found"}},
		{"qua", 200, []string{"Council backs 400 new homes"}},
		{`"unbalanced AND (`, 200, []string{"0 stories found"}},
		{"festival", 200, []string{"Quay &lt;script&gt;alert(1)&lt;/script&gt; festival"}},
		{"", 200, []string{"Search the archive"}},
	}
	for _, tt := range tests {
		res := f.get(t, "/search?q="+url.QueryEscape(tt.q))
		if res.StatusCode != tt.status {
			t.Fatalf("q=%q: status %d", tt.q, res.StatusCode)
		}
		mustContain(t, res.body, tt.wants...)
		mustNotContain(t, res.body, "<script>alert(1)")
	}
}
