package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"masthead/internal/demo"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/store"
	"masthead/internal/web"
)

// benchSite loads the demo newsroom into a fresh SQLite database and returns
// the reader site and one of its articles with comments.
func benchSite(b *testing.B) (h httpHandler, articlePath string) { return benchSiteCache(b, -1) }

// benchSiteCache is benchSite with a page cache of cacheBytes (negative:
// none, so every request renders from the store).
func benchSiteCache(b *testing.B, cacheBytes int64) (h httpHandler, articlePath string) {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "masthead.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	files, err := media.NewLocal(filepath.Join(dir, "media"))
	if err != nil {
		b.Fatal(err)
	}
	nr, err := demo.Load()
	if err != nil {
		b.Fatal(err)
	}
	if err := demo.Seed(ctx, st, newsroom.New(st, newsroom.Config{Location: time.UTC}), nr, files, time.Now()); err != nil {
		b.Fatal(err)
	}
	list, err := st.PublishedArticles(ctx, news.ArticleFilter{Limit: 50}, false)
	if err != nil || len(list) == 0 {
		b.Fatalf("no demo articles: %v", err)
	}
	best := list[0]
	for _, a := range list {
		if a.CommentCount > best.CommentCount {
			best = a
		}
	}
	eng, err := render.New(time.UTC)
	if err != nil {
		b.Fatal(err)
	}
	srv := web.New(st, newsroom.New(st, newsroom.Config{Location: time.UTC}), eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: "https://news.example.test", Secret: []byte("x"), CacheBytes: cacheBytes})
	return srv.Handler(), best.URLPath()
}

type httpHandler = interface {
	ServeHTTP(w http.ResponseWriter, r *http.Request)
}

func benchmarkPage(b *testing.B, path string, h httpHandler) {
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
	}
}

// BenchmarkArticlePage renders the most-commented demo article from the
// store on every request (no page cache).
func BenchmarkArticlePage(b *testing.B) {
	h, path := benchSite(b)
	benchmarkPage(b, path, h)
}

// BenchmarkHomePage renders the front page from the store.
func BenchmarkHomePage(b *testing.B) {
	h, _ := benchSite(b)
	benchmarkPage(b, "/", h)
}

// BenchmarkArticlePageCached answers the same article from the page cache,
// gzipped, as most readers get it.
func BenchmarkArticlePageCached(b *testing.B) {
	h, path := benchSiteCache(b, 0)
	benchmarkEncoded(b, path, h, "gzip")
}

// BenchmarkArticlePageCachedPlain is the cache hit without compression
// (what a load generator that sends no Accept-Encoding measures).
func BenchmarkArticlePageCachedPlain(b *testing.B) {
	h, path := benchSiteCache(b, 0)
	benchmarkEncoded(b, path, h, "")
}

// BenchmarkHomePageCached answers the front page from the page cache.
func BenchmarkHomePageCached(b *testing.B) {
	h, _ := benchSiteCache(b, 0)
	benchmarkEncoded(b, "/", h, "gzip")
}

// BenchmarkSearch runs a two-word search (never cached) on the demo site.
func BenchmarkSearch(b *testing.B) {
	h, _ := benchSite(b)
	benchmarkPage(b, "/search?q=council+budget", h)
}

func benchmarkEncoded(b *testing.B, path string, h httpHandler, encoding string) {
	b.ReportAllocs()
	req := httptest.NewRequest("GET", path, nil)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	h.ServeHTTP(httptest.NewRecorder(), req) // fill the cache
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Header().Get("X-Cache") != "HIT" {
			b.Fatalf("GET %s: %d, X-Cache %q", path, rec.Code, rec.Header().Get("X-Cache"))
		}
	}
}

// BenchmarkSitemapIndex renders the sitemap index of an archive 915
// months deep (a million-story archive's), a story a month: its cost is a
// row and an entry a month, not the stories.
func BenchmarkSitemapIndex(b *testing.B) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(b.TempDir(), "masthead.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	var batch []store.BulkArticle
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i := range 915 {
		when := at.AddDate(0, -i, 0)
		slug := fmt.Sprintf("story-%d", i)
		batch = append(batch, store.BulkArticle{Article: &news.Article{Slug: slug, Path: when.Format("2006/01/02/") + slug,
			Headline: "Story", Status: news.StatusPublished, PublishedAt: when}})
	}
	if err := st.InsertBatch(ctx, batch); err != nil {
		b.Fatal(err)
	}
	eng, err := render.New(time.UTC)
	if err != nil {
		b.Fatal(err)
	}
	h := web.New(st, newsroom.New(st, newsroom.Config{Location: time.UTC}), eng, slog.New(slog.DiscardHandler),
		web.Config{BaseURL: "https://news.example.test", Secret: []byte("x"), CacheBytes: -1}).Handler()
	benchmarkPage(b, "/sitemap.xml", h)
}

// BenchmarkFeed renders the site's feeds from the store each time (the
// demo's 30 latest stories, about 130 KB each).
func BenchmarkFeed(b *testing.B) {
	h, _ := benchSite(b)
	for _, path := range []string{"/feed.xml", "/feed.atom", "/feed.json"} {
		b.Run(path[1:], func(b *testing.B) { benchmarkPage(b, path, h) })
	}
}
