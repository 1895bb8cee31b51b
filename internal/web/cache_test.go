package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/store"
	"masthead/internal/testutil"
	"masthead/internal/web"
)

// cacheState fetches path and reports the X-Cache header ("HIT", "MISS",
// or "" for a request the cache never answers), failing on a non-200.
func (f *fixture) cacheState(t *testing.T, path string) (string, string) {
	t.Helper()
	res := f.get(t, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, res.StatusCode)
	}
	return res.Header.Get("X-Cache"), res.body
}

// warm requests every path until the cache answers it.
func (f *fixture) warm(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		f.cacheState(t, p)
		if state, _ := f.cacheState(t, p); state != "HIT" {
			t.Fatalf("GET %s twice: X-Cache %q, want HIT", p, state)
		}
	}
}

// expect checks whether each path is answered fresh (MISS) or from the
// cache (HIT), and that fresh pages show want.
func (f *fixture) expect(t *testing.T, state string, want string, paths ...string) {
	t.Helper()
	for _, p := range paths {
		got, body := f.cacheState(t, p)
		if got != state {
			t.Errorf("GET %s: X-Cache %q, want %q", p, got, state)
		}
		if state == "MISS" && want != "" && !strings.Contains(body, want) {
			t.Errorf("GET %s does not show %q", p, want)
		}
	}
}

func TestCacheArticlePublished(t *testing.T) {
	f := newFixture(t)
	listings := []string{"/", "/section/city-hall", "/section/city-hall/feed.xml", "/tag/housing", "/tag/housing/feed.atom",
		"/author/ana-ruiz", "/feed.xml", "/feed.json", "/sitemap.xml", "/sitemaps/news.xml", "/sitemaps/pages.xml", "/authors"}
	untouched := []string{f.first.URLPath(), f.middle.URLPath(), "/section/sport", "/tag/city-council", "/author/tom-okafor/feed.xml"}
	f.warm(t, append(append([]string{f.last.URLPath()}, listings...), untouched...)...)

	fresh := f.site.Article(t, &news.Article{Headline: "Ferry returns to the quay", Section: f.section,
		Authors: []news.Staff{f.author}, Tags: []news.Tag{f.site.Tag(t, "Housing")}, PublishedAt: time.Now()})

	f.expect(t, "MISS", fresh.Headline, fresh.URLPath())
	// The previous newest article now links to the new one as "next".
	f.expect(t, "MISS", fresh.Headline, f.last.URLPath())
	for _, p := range listings {
		want := fresh.Headline
		if strings.HasPrefix(p, "/sitemap.xml") || p == "/sitemaps/pages.xml" || p == "/authors" {
			want = ""
		}
		f.expect(t, "MISS", want, p)
	}
	f.expect(t, "HIT", "", untouched...)
}

func TestCacheArticleEdited(t *testing.T) {
	f := newFixture(t)
	pages := []string{f.middle.URLPath(), f.first.URLPath(), f.last.URLPath(), "/section/city-hall", "/tag/city-council", "/author/tom-okafor", "/"}
	f.warm(t, append(pages, "/section/sport")...)

	// The newsroom's path: a save through the store, as the admin does.
	edited := *f.middle
	edited.Headline = "Council backs 450 new homes on the old quay"
	if err := f.site.Store.UpdateArticle(context.Background(), &edited, f.middle.Version, 0, "save"); err != nil {
		t.Fatal(err)
	}
	// The article, both neighbours (their previous/next links), its
	// listings and the front page show the new headline.
	f.expect(t, "MISS", edited.Headline, pages...)
	f.expect(t, "HIT", "", "/section/sport")
}

func TestCacheCommentApproved(t *testing.T) {
	f := newFixture(t)
	others := []string{"/", "/section/city-hall", f.first.URLPath(), f.last.URLPath(), "/feed.xml"}
	f.warm(t, append([]string{f.middle.URLPath()}, others...)...)

	// A comment awaiting moderation changes nothing readers see.
	pending := f.site.Comment(t, f.middle, &news.Comment{Body: "Held for a moderator.", Status: news.CommentPending})
	f.expect(t, "HIT", "", f.middle.URLPath())

	// Approval refreshes its article, and only its article.
	if err := f.site.Store.SetCommentStatus(context.Background(), pending.ID, news.CommentApproved); err != nil {
		t.Fatal(err)
	}
	f.expect(t, "MISS", "Held for a moderator.", f.middle.URLPath())
	f.expect(t, "HIT", "", others...)

	// So does a comment approved as it is posted.
	f.site.Comment(t, f.middle, &news.Comment{Body: "Straight in."})
	f.expect(t, "MISS", "Straight in.", f.middle.URLPath())
	f.expect(t, "HIT", "", others...)
}

func TestCacheSiteSettings(t *testing.T) {
	f := newFixture(t)
	paths := []string{"/", f.middle.URLPath(), "/section/sport", "/feed.xml"}
	f.warm(t, paths...)
	if err := f.site.Store.SetPublication(context.Background(), news.Publication{Name: "The Renamed Gazette", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	f.expect(t, "MISS", "The Renamed Gazette", paths...)
}

func TestCacheNeverKept(t *testing.T) {
	f := newFixture(t)
	path := f.middle.URLPath()
	f.warm(t, path)

	// A reader with a comment awaiting moderation sees it, never the
	// cached page, and their page is never kept.
	res := f.post(t, path+"/comments", commentForm("Jo Reader", "jo@example.test", "Mine, pending."))
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) != 1 {
		t.Fatalf("post: %d %v", res.StatusCode, res.Cookies())
	}
	for range 2 {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(res.Cookies()[0])
		mine := f.do(t, req)
		if mine.Header.Get("X-Cache") != "" || !strings.Contains(mine.body, "Mine, pending.") || !strings.Contains(mine.Header.Get("Cache-Control"), "private") {
			t.Fatalf("pending reader: X-Cache %q, Cache-Control %q", mine.Header.Get("X-Cache"), mine.Header.Get("Cache-Control"))
		}
	}
	if state, body := f.cacheState(t, path); state != "HIT" || strings.Contains(body, "Mine, pending.") {
		t.Errorf("others: X-Cache %q, shows pending comment: %v", state, strings.Contains(body, "Mine, pending."))
	}

	// Search results, errors and conditional answers are not kept.
	for range 2 {
		if res := f.get(t, "/search?q=quay"); res.Header.Get("X-Cache") != "" {
			t.Errorf("search: X-Cache %q", res.Header.Get("X-Cache"))
		}
		if res := f.get(t, "/section/nope"); res.StatusCode != 404 || res.Header.Get("X-Cache") != "MISS" {
			t.Errorf("404: %d, X-Cache %q", res.StatusCode, res.Header.Get("X-Cache"))
		}
		if res := f.get(t, "/section/city-hall?page=abc"); res.StatusCode != 400 || res.Header.Get("X-Cache") != "MISS" {
			t.Errorf("400: %d, X-Cache %q", res.StatusCode, res.Header.Get("X-Cache"))
		}
	}
	// Tracking parameters share the page's entry.
	if state, _ := f.cacheState(t, path+"?utm_source=x"); state != "HIT" {
		t.Errorf("with a tracking parameter: X-Cache %q", state)
	}
}

func TestCacheEncodings(t *testing.T) {
	f := newFixture(t)
	path := f.middle.URLPath()
	f.warm(t, path)
	plain := f.get(t, path)
	// Brotli bytes are made in the background after a few hits, so a
	// client offering br may get either br or gzip, depending on timing.
	for _, tt := range []struct{ accept, encoding string }{{"", ""}, {"gzip", "gzip"}, {"gzip, deflate, br", "gzip|br"}, {"gzip;q=0", ""}} {
		req := httptest.NewRequest("GET", path, nil)
		if tt.accept != "" {
			req.Header.Set("Accept-Encoding", tt.accept)
		}
		res := f.do(t, req)
		got := res.Header.Get("Content-Encoding")
		if !slices.Contains(strings.Split(tt.encoding, "|"), got) || res.Header.Get("Vary") != "Accept, Accept-Encoding" { // Accept: the article's ActivityStreams twin
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, Vary %q", tt.accept, got, res.Header.Get("Vary"))
		}
		// Any encoding's tag revalidates.
		req = httptest.NewRequest("GET", path, nil)
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		if got := f.do(t, req); got.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match %s: status %d", res.Header.Get("ETag"), got.StatusCode)
		}
	}
	// A popular page is brotli-compressed in the background.
	deadline := time.Now().Add(10 * time.Second)
	for {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept-Encoding", "gzip, br")
		res := f.do(t, req)
		if res.Header.Get("Content-Encoding") == "br" {
			if res.Header.Get("ETag") == plain.Header.Get("ETag") || len(res.body) >= len(plain.body)/2 {
				t.Errorf("brotli: ETag %s (plain %s), %d bytes of %d", res.Header.Get("ETag"), plain.Header.Get("ETag"), len(res.body), len(plain.body))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("popular page never served with brotli")
		}
		time.Sleep(10 * time.Millisecond)
	}
	head := f.do(t, httptest.NewRequest("HEAD", path, nil))
	if head.StatusCode != 200 || head.body != "" || head.Header.Get("Content-Length") != plain.Header.Get("Content-Length") {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %s", head.StatusCode, len(head.body), head.Header.Get("Content-Length"))
	}
}

// Another process (here: a second store on the same file, with no commit
// hook into this one) writes; the cache sees it at its next poll.
func TestCacheOtherWriter(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "masthead.db")
	open := func() *store.Store {
		st, err := store.OpenSQLite(ctx, dbPath)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	reader, writer := open(), open()
	site := &testutil.Site{Store: writer, Desk: newsroom.New(writer, newsroom.Config{Location: time.UTC}), Loc: time.UTC}
	if err := writer.SetPublication(ctx, news.Publication{Name: "Shared", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	sec := site.Section(t, "Town")
	site.Article(t, &news.Article{Headline: "First story", Section: sec})
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	const poll = 30 * time.Millisecond
	srv := web.New(reader, newsroom.New(reader, newsroom.Config{Location: time.UTC}), eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: baseURL, Secret: []byte("x"), CachePoll: poll})
	f := &fixture{site: site, handler: srv.Handler()}
	f.warm(t, "/", "/section/town")

	site.Article(t, &news.Article{Headline: "Second story", Section: sec})
	time.Sleep(2 * poll)
	f.expect(t, "MISS", "Second story", "/", "/section/town")
}

// CachedAnswer, which lets the fast path answer a request, agrees with what
// the cache itself would do, and leaves to the handlers what more than the
// cache key would change.
func TestCachedAgreesWithCache(t *testing.T) {
	f := newFixture(t)
	article := f.middle.URLPath()
	f.warm(t, article, "/")
	request := func(method, target string, cookie *http.Cookie) *http.Request {
		r := httptest.NewRequest(method, target, nil)
		if cookie != nil {
			r.AddCookie(cookie)
		}
		return r
	}
	as2 := func(accept string) *http.Request {
		r := request("GET", article, nil)
		r.Header.Set("Accept", accept)
		return r
	}
	cases := []struct {
		name string
		r    *http.Request
		want bool
	}{
		{"kept article", request("GET", article, nil), true},
		{"a browser's Accept", as2("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), true},
		// The fediverse asks the same URL for the ActivityStreams document
		// (package federation): never the cached page.
		{"ActivityStreams", as2("application/activity+json"), false},
		{"JSON-LD", as2(`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`), false},
		{"HEAD", request("HEAD", article, nil), true},
		{"front page", request("GET", "/", nil), true},
		// Kept, but the cache answers them behind the handlers that read
		// queries (an old WordPress link to "/?p=123" is redirected).
		{"tracking parameters", request("GET", article+"?utm_source=feed", nil), false},
		{"WordPress link", request("GET", "/?p=123", nil), false},
		{"page number twice", request("GET", "/?page=2&page=3", nil), false},
		{"another page number, not yet rendered", request("GET", "/?page=2", nil), true},
		// The fast path has the handlers render it.
		{"not yet rendered", request("GET", f.first.URLPath(), nil), true},
		{"not a page", request("GET", "/media/2026/12/photo.jpg", nil), false},
		{"reader with a pending comment", request("GET", article, &http.Cookie{Name: "mh_pending", Value: "1.sig"}), false},
		{"other cookies", request("GET", article, &http.Cookie{Name: "theme", Value: "dark"}), true},
		{"search", request("GET", "/search?q=quay", nil), false},
		{"POST", request("POST", article, nil), false},
	}
	for _, tc := range cases {
		if _, _, _, got := f.server.CachedAnswer(tc.r); got != tc.want {
			t.Errorf("%s: CachedAnswer = %v, want %v", tc.name, got, tc.want)
		}
	}
	// An approved comment takes the article out at once.
	f.site.Comment(t, f.middle, &news.Comment{Body: "Seen at once.", Status: news.CommentApproved})
	if body, _, _, _ := f.server.CachedAnswer(request("GET", article, nil)); body != nil {
		t.Error("CachedAnswer still sends the page after the article changed")
	}
}
