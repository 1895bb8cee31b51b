package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"masthead/internal/demo"
	"masthead/internal/editorial"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/render"
	"masthead/internal/store"
	"masthead/internal/web"
)

// benchSite loads the demo newsroom into a fresh SQLite database and returns
// the reader site and one of its articles with comments.
func benchSite(b *testing.B) (h httpHandler, articlePath string) {
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
	if err := editorial.New(st, time.UTC).LoadDemo(ctx, nr, files, time.Now()); err != nil {
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
	srv := web.New(st, eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: "https://news.example.test", Secret: []byte("x")})
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
