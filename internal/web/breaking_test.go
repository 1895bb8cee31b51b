package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/render"
	"masthead/internal/testutil"
	"masthead/internal/web"
)

var breakingStream = regexp.MustCompile(`id="breaking" aria-live="polite" data-stream="([^"]+)"`)

// The breaking-news banner: an editor sets it and every open page's
// stream — a live blog's, and every other page's — pushes it at once;
// cached pages show it on their next request, escaped; clearing it is
// pushed and shown the same way, and a stream opened after a change
// (from a page rendered before it) is sent it at once.
func TestBreakingNewsBanner(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(f.handler)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	editor := f.site.StaffByRole(t, "Breaking", "a long password")[news.RoleEditor]
	if err := f.site.Desk.StartLive(ctx, editor, f.middle.ID); err != nil {
		t.Fatal(err)
	}

	home := f.get(t, "/")
	f.get(t, f.first.URLPath()) // both pages cached
	mustNotContain(t, home.body, "breaking-news")
	m := breakingStream.FindStringSubmatch(home.body)
	if m == nil {
		t.Fatal("the page names no stream for the banner")
	}
	site := openStream(t, ctx, srv.URL+m[1], "")
	live := openStream(t, ctx, fmt.Sprintf("%s/live/%d/events", srv.URL, f.middle.ID), "")

	text := `Dam gives way <script>alert(1)</script> & "leave"`
	set, err := f.site.Desk.SetBreaking(ctx, editor, news.BreakingInput{Text: text, ArticleID: f.last.ID, For: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*sseStream{"site": site, "live blog": live} {
		ev := s.next(t)
		if ev.name != "breaking" || ev.id != fmt.Sprint(set.Seq) || !strings.Contains(ev.data, f.last.URLPath()) ||
			!strings.Contains(ev.data, `Dam gives way \u0026lt;script\u0026gt;`) {
			t.Errorf("the %s stream pushed %+v", name, ev)
		}
	}
	for _, path := range []string{"/", f.first.URLPath()} {
		page := f.get(t, path)
		mustContain(t, page.body, `<strong class="breaking-label">Breaking</strong> <a href="`+f.last.URLPath()+`">Dam gives way &lt;script&gt;`)
		mustNotContain(t, page.body, "<script>alert(1)")
	}
	// A page rendered before the change catches up when its stream opens.
	late := openStream(t, ctx, srv.URL+m[1], "")
	if ev := late.next(t); ev.name != "breaking" || !strings.Contains(ev.data, "Dam gives way") {
		t.Errorf("a stream opened after the change: %+v", ev)
	}

	if err := f.site.Desk.ClearBreaking(ctx, editor); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*sseStream{"site": site, "live blog": live, "late": late} {
		if ev := s.next(t); ev.name != "breaking" || ev.data != `{"html":""}` {
			t.Errorf("the %s stream, cleared: %+v", name, ev)
		}
	}
	mustNotContain(t, f.get(t, "/").body, "breaking-news")
}

// A banner goes from cached pages when it expires, though nothing was
// written then.
func TestBreakingNewsExpires(t *testing.T) {
	ctx := t.Context()
	start := time.Now().Truncate(time.Second)
	clk := clock.NewManual(start)
	site := testutil.NewSiteAt(t, clk)
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	h := web.New(site.Store, site.Desk, eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: baseURL, Secret: []byte("x")}).Handler()
	get := func() string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		return rec.Body.String()
	}
	editor := site.StaffByRole(t, "Expiry", "a long password")[news.RoleEditor]
	if _, err := site.Desk.SetBreaking(ctx, editor, news.BreakingInput{Text: "Storm warning", For: 30 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	// A moment before it expires, the page is rendered with it and kept.
	clk.Set(start.Add(30*time.Minute - 200*time.Millisecond))
	mustContain(t, get(), "Storm warning")
	clk.Set(start.Add(30 * time.Minute))
	began := time.Now()
	for strings.Contains(get(), "Storm warning") {
		if time.Since(began) > 15*time.Second {
			t.Fatal("the cached page still shows the banner 15 s after it expired")
		}
		time.Sleep(20 * time.Millisecond) // the cache forgets it on a timer
	}
	t.Logf("the cached page lost the banner %v after its expiry", time.Since(began))
}
