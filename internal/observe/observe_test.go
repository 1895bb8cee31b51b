package observe

import (
	"context"
	"io"
	"log/slog"
	"masthead/internal/edge"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMiddlewareRecoversAndCounts(t *testing.T) {
	var logs strings.Builder
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	m := NewMetrics()
	mux := http.NewServeMux()
	mux.HandleFunc("/boom", func(w http.ResponseWriter, r *http.Request) { panic("kaboom") })
	mux.HandleFunc("/cached", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Cache", "HIT")
		io.WriteString(w, "from the cache")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if edge.RequestID(r.Context()) == "" {
			t.Error("no request id in context")
		}
		io.WriteString(w, "ok")
	})
	h := Middleware(log, m, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "sorry", http.StatusInternalServerError)
	}, mux)
	for _, p := range []string{"/", "/boom", "/2026/11/24/a-story", "/cached"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if p == "/boom" && (rec.Code != 500 || !strings.Contains(rec.Body.String(), "sorry")) {
			t.Errorf("panic: %d %q", rec.Code, rec.Body.String())
		}
		if rec.Header().Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id", p)
		}
	}
	if !strings.Contains(logs.String(), `"panic":"kaboom"`) || !strings.Contains(logs.String(), `"stack"`) {
		t.Errorf("panic not logged with stack: %s", logs.String())
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{`masthead_http_requests_total{code="500",route="other"} 1`, `route="article"`, `masthead_page_cache_requests_total{result="hit"} 1`, "masthead_http_request_duration_seconds_bucket", "go_goroutines"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestLogPathHidesSecrets(t *testing.T) {
	for in, want := range map[string]string{"/admin/reset/abc123": "/admin/reset/[redacted]", "/admin/invite/x": "/admin/invite/[redacted]", "/admin/articles/1": "/admin/articles/1"} {
		if got := LogPath(in); got != want {
			t.Errorf("LogPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRoute(t *testing.T) {
	for path, want := range map[string]string{"/": "home", "/2026/11/24/x": "article", "/section/news": "listing", "/section/news/feed.xml": "feed", "/admin/articles": "admin", "/search": "search", "/2026/11/24/x/comments": "comment", "/nope": "other"} {
		if got := Route(path); got != want {
			t.Errorf("Route(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestWatchNewsletters(t *testing.T) {
	m := NewMetrics()
	m.WatchNewsletters(func(context.Context) ([]NewsletterStat, error) {
		return []NewsletterStat{{Slug: "daily", Subscribers: 3, Deliveries: map[string]int{"sent": 2, "queued": 1, "sending": 2, "sent_recent": 90}}}, nil
	})
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`masthead_newsletter_subscribers{newsletter="daily"} 3`,
		`masthead_newsletter_deliveries{newsletter="daily",state="sent"} 2`,
		`masthead_newsletter_deliveries{newsletter="daily",state="queued"} 1`,
		`masthead_newsletter_deliveries{newsletter="daily",state="failed"} 0`,
		`masthead_newsletter_remaining{newsletter="daily"} 3`,
		`masthead_newsletter_send_rate{newsletter="daily"} 1.5`,
	} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("no %s in\n%s", want, rec.Body.String())
		}
	}
}
