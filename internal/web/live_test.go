package web_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strconv"
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

// sseEvent is one Server-Sent Event as read off a stream.
type sseEvent struct{ id, name, data string }

type sseStream struct {
	res *http.Response
	in  *bufio.Reader
}

// openStream connects to a live blog's stream; lastID, when not empty, is
// sent as Last-Event-ID. It fails the test unless the stream opened.
func openStream(t *testing.T, ctx context.Context, url, lastID string) *sseStream {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream %s: %d %s", url, res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &sseStream{res: res, in: bufio.NewReader(res.Body)}
	if ev := s.next(t); ev != (sseEvent{}) {
		t.Fatalf("the stream opens with an event: %+v", ev) // rather than the retry field
	}
	return s
}

// next reads the next event, heartbeats and the retry field skipped.
func (s *sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	var ev sseEvent
	got := false
	for {
		line, err := s.in.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the stream: %v", err)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if got {
				return ev
			}
			if ev == (sseEvent{}) {
				return ev // the retry field's block
			}
		case strings.HasPrefix(line, ":"): // a heartbeat
		case strings.HasPrefix(line, "retry: "):
		case strings.HasPrefix(line, "id: "):
			ev.id, got = line[4:], true
		case strings.HasPrefix(line, "event: "):
			ev.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.data = line[6:]
		}
	}
}

var streamPattern = regexp.MustCompile(`id="live"[^>]* data-stream="([^"]+)"`)

// A live blog's page shows its entries, sanitised, newest first, and
// names its stream; the stream pushes a new entry at once, resumes after
// Last-Event-ID with what was missed, refuses a client too many streams,
// and ends when the coverage closes. The cached page follows every entry.
func TestLiveBlogStream(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(f.handler)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	editor := f.site.StaffByRole(t, "Live", "a long password")[news.RoleEditor]
	a := f.middle
	if err := f.site.Desk.StartLive(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	post := func(body string, key bool) *news.LiveEntry {
		t.Helper()
		e, err := f.site.Desk.PostLiveEntry(ctx, editor, a.ID, news.LiveEntryInput{Body: body, KeyEvent: key})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	first := post(`Sandbags at the bridge. <img src=x onerror=alert(1)><script>alert(2)</script>[x](javascript:alert(3))`, true)

	page := f.get(t, a.URLPath())
	mustContain(t, page.body, `id="entry-`+strconv.FormatInt(first.ID, 10)+`"`, "Sandbags at the bridge.", "Key events", "/static/live.")
	mustNotContain(t, page.body, "onerror", "<script>alert", "javascript:alert")
	docs := jsonLD(t, page.body)
	if !hasType(docs, "LiveBlogPosting") || docs[0]["coverageStartTime"] == nil || docs[0]["liveBlogUpdate"] == nil {
		t.Errorf("structured data: %v", docs[0])
	}
	m := streamPattern.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("the page names no stream")
	}
	streamURL := srv.URL + strings.ReplaceAll(m[1], "&amp;", "&")

	s := openStream(t, ctx, streamURL, "")
	second := post("The water is rising.", false)
	ev := s.next(t)
	if ev.name != "entry" || ev.id != strconv.FormatInt(second.Seq, 10) || !strings.Contains(ev.data, `"state":"new"`) ||
		!strings.Contains(ev.data, "The water is rising.") {
		t.Fatalf("pushed: %+v", ev)
	}
	// The page cache shows the new entry too, and so does the blog's feed.
	mustContain(t, f.get(t, a.URLPath()).body, "The water is rising.", a.URLPath()+"/live.atom")
	feed := f.get(t, a.URLPath()+"/live.atom")
	if feed.StatusCode != http.StatusOK || !strings.HasPrefix(feed.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("the live feed: %d %s", feed.StatusCode, feed.Header.Get("Content-Type"))
	}
	mustContain(t, feed.body, "<title>The water is rising.</title>", "Sandbags at the bridge.", "?from="+strconv.FormatInt(second.ID, 10)+"#entry-")
	mustNotContain(t, feed.body, "onerror")
	if res := f.get(t, f.first.URLPath()+"/live.atom"); res.StatusCode != http.StatusNotFound {
		t.Errorf("the live feed of an article that is not live: %d", res.StatusCode)
	}

	// A dropped connection resumes where it left off.
	s.res.Body.Close()
	third := post("Mill Lane is closed.", false)
	if _, err := f.site.Desk.EditLiveEntry(ctx, editor, second.ID, news.LiveEntryInput{Body: "The water is rising fast."}); err != nil {
		t.Fatal(err)
	}
	s = openStream(t, ctx, streamURL, ev.id)
	if ev := s.next(t); ev.id != strconv.FormatInt(third.Seq, 10) || !strings.Contains(ev.data, "Mill Lane") {
		t.Errorf("first after resuming: %+v", ev)
	}
	if ev := s.next(t); !strings.Contains(ev.data, `"state":"updated"`) || !strings.Contains(ev.data, "rising fast") {
		t.Errorf("second after resuming: %+v", ev)
	}
	if err := f.site.Desk.DeleteLiveEntry(ctx, editor, third.ID); err != nil {
		t.Fatal(err)
	}
	if ev := s.next(t); ev.data != fmt.Sprintf(`{"id":%d,"state":"deleted"}`, third.ID) {
		t.Errorf("deleted: %+v", ev)
	}

	// One client may hold a few streams, not more.
	for range web.DefaultLiveStreamsPerClient - 1 {
		openStream(t, ctx, streamURL, "")
	}
	res, err := http.Get(streamURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("a stream over the cap: %d", res.StatusCode)
	}

	if err := f.site.Desk.CloseLive(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	if ev := s.next(t); ev.name != "closed" {
		t.Errorf("after closing: %+v", ev)
	}
	page = f.get(t, a.URLPath())
	mustContain(t, page.body, "This live coverage ended", "rising fast")
	mustNotContain(t, page.body, "Mill Lane")
	if streamPattern.MatchString(page.body) {
		t.Error("a closed live blog's page names a stream")
	}
	if docs := jsonLD(t, page.body); docs[0]["coverageEndTime"] == nil {
		t.Errorf("no coverageEndTime: %v", docs[0])
	}
}

// An entry posted through instance A reaches a reader whose stream is on
// instance B, sharing A's PostgreSQL database (the target: within a second).
func TestLiveTwoInstancesOnPostgres(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	url, _ := testutil.Postgres.NewDatabase(t)
	open := func() *store.Store {
		st, err := store.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b := open(), open()
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	siteB := web.New(b, newsroom.New(b, newsroom.Config{Location: time.UTC}), eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: baseURL, Secret: []byte("x")})
	srv := httptest.NewServer(siteB.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(siteB.CloseStreams)

	deskA := newsroom.New(a, newsroom.Config{Location: time.UTC})
	u := news.Staff{Slug: "lee-live", Name: "Lee Live", Email: "lee@example.test", Role: news.RoleEditor}
	if err := a.CreateStaff(ctx, &u); err != nil {
		t.Fatal(err)
	}
	me := news.Actor{ID: u.ID, Role: news.RoleEditor}
	article := &news.Article{Headline: "Live across instances", Body: "Text.", Authors: []news.Staff{u}}
	if err := deskA.CreatePublished(ctx, article); err != nil {
		t.Fatal(err)
	}
	if err := deskA.StartLive(ctx, me, article.ID); err != nil {
		t.Fatal(err)
	}
	s := openStream(t, ctx, fmt.Sprintf("%s/live/%d/events", srv.URL, article.ID), "")
	got := make(chan sseEvent, 1)
	go func() {
		for {
			line, err := s.in.ReadString('\n')
			if err != nil {
				return
			}
			if strings.HasPrefix(line, "data: ") {
				got <- sseEvent{data: line}
				return
			}
		}
	}()
	if _, err := deskA.PostLiveEntry(ctx, me, article.ID, news.LiveEntryInput{Body: "Posted on A."}); err != nil {
		t.Fatal(err)
	}
	// The target is a second; a test only checks that it arrives (a slow
	// machine must not fail it) and says how long it took.
	posted := time.Now()
	select {
	case ev := <-got:
		if !strings.Contains(ev.data, "Posted on A.") {
			t.Errorf("B pushed %s", ev.data)
		}
		t.Logf("A's entry reached B's reader in %v", time.Since(posted))
	case <-ctx.Done():
		t.Fatal("instance B never pushed A's entry")
	}
}

// liveServer serves a new site's reader pages, configured as cfg.
func liveServer(t *testing.T, cfg web.Config) (*testutil.Site, *httptest.Server) {
	t.Helper()
	site := testutil.NewSite(t)
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseURL, cfg.Secret = baseURL, []byte("x")
	srv := httptest.NewServer(web.New(site.Store, site.Desk, eng, slog.New(slog.DiscardHandler), cfg).Handler())
	t.Cleanup(srv.Close)
	return site, srv
}

// An idle stream sends a comment now and then, so that proxies keep it.
func TestLiveHeartbeat(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	site, srv := liveServer(t, web.Config{LiveHeartbeat: 10 * time.Millisecond})
	a := site.Article(t, &news.Article{})
	if err := site.Desk.StartLive(ctx, site.StaffByRole(t, "Beat", "a long password")[news.RoleEditor], a.ID); err != nil {
		t.Fatal(err)
	}
	s := openStream(t, ctx, fmt.Sprintf("%s/live/%d/events", srv.URL, a.ID), "")
	for {
		line, err := s.in.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == ": heartbeat\n" {
			return
		}
	}
}

// A live blog on an article readers cannot see — a draft, or one taken
// down — has no stream and no feed: nothing of it leaks before (or after)
// it is published.
func TestLiveBlogUnpublishedHidden(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(f.handler)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	editor := f.site.StaffByRole(t, "Hidden", "a long password")[news.RoleEditor]
	draft, err := f.site.Desk.Create(ctx, editor, news.Snapshot{Headline: "Embargoed: polls close", Body: "Not yet."})
	if err != nil {
		t.Fatal(err)
	}
	down := f.last
	for _, a := range []*news.Article{draft, down} {
		if err := f.site.Desk.StartLive(ctx, editor, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.site.Desk.PostLiveEntry(ctx, editor, a.ID, news.LiveEntryInput{Body: "Secret exit poll figures."}); err != nil {
			t.Fatal(err)
		}
	}
	feedPath := down.URLPath() + "/live.atom"
	if res := f.get(t, feedPath); res.StatusCode != http.StatusOK {
		t.Fatalf("the published blog's feed: %d", res.StatusCode)
	}
	if _, err := f.site.Desk.Transition(ctx, editor, down.ID, news.ActionUnpublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path string }{
		{"draft's stream", fmt.Sprintf("/live/%d/events", draft.ID)},
		{"draft's stream resumed", fmt.Sprintf("/live/%d/events?after=0", draft.ID)},
		{"unpublished article's stream", fmt.Sprintf("/live/%d/events", down.ID)},
		{"unpublished article's feed", feedPath},
		{"unpublished article's page", down.URLPath()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+tt.path, nil)
			req.Header.Set("Last-Event-ID", "0")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d %s, want 404", tt.path, res.StatusCode, res.Header.Get("Content-Type"))
			}
		})
	}
}

// The Google News sitemap lists a live blog while it runs, though it was
// first published days ago: it is today's story. An old article that is
// not live stays out.
func TestLiveBlogInNewsSitemap(t *testing.T) {
	f := newFixture(t)
	editor := f.site.StaffByRole(t, "Sitemap", "a long password")[news.RoleEditor]
	old := time.Now().Add(-5 * 24 * time.Hour).Truncate(time.Second)
	blog := f.site.Article(t, &news.Article{Headline: "Flood: live updates", PublishedAt: old})
	quiet := f.site.Article(t, &news.Article{Headline: "An old quiet story", PublishedAt: old})
	if err := f.site.Desk.StartLive(t.Context(), editor, blog.ID); err != nil {
		t.Fatal(err)
	}
	res := f.get(t, "/sitemaps/news.xml")
	mustContain(t, res.body, baseURL+blog.URLPath()+"</loc>", "<news:title>Flood: live updates</news:title>", baseURL+f.first.URLPath()+"</loc>")
	mustNotContain(t, res.body, quiet.URLPath())
}

// An open stream holds no goroutine of the server's: once it has been
// sent what it missed, its request ends and the hub writes to it, so many
// readers cost their sockets, not a goroutine (and buffers) each.
func TestLiveStreamsHoldNoGoroutines(t *testing.T) {
	const readers = 40
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	site, srv := liveServer(t, web.Config{LiveStreamsPerClient: readers + 1})
	editor := site.StaffByRole(t, "Many", "a long password")[news.RoleEditor]
	a := site.Article(t, &news.Article{})
	if err := site.Desk.StartLive(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	// Plain connections: the http client's transport would add
	// goroutines of its own to the count.
	open := func() *bufio.Reader {
		t.Helper()
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		if dl, ok := ctx.Deadline(); ok {
			conn.SetDeadline(dl)
		}
		fmt.Fprintf(conn, "GET /live/%d/events HTTP/1.1\r\nHost: x\r\n\r\n", a.ID)
		in := bufio.NewReader(conn)
		res, err := http.ReadResponse(in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK || len(res.TransferEncoding) > 0 || !res.Close {
			t.Fatalf("stream: %d %v close=%v", res.StatusCode, res.TransferEncoding, res.Close)
		}
		if line, err := in.ReadString('\n'); err != nil || line != "retry: 3000\n" {
			t.Fatalf("stream opens with %q, %v", line, err)
		}
		return in
	}
	streams := []*bufio.Reader{open()} // the hub's own goroutine is running now
	settled := func(limit int) int {
		n := runtime.NumGoroutine()
		for n > limit && ctx.Err() == nil {
			time.Sleep(20 * time.Millisecond) // handlers finishing after handing over
			n = runtime.NumGoroutine()
		}
		return n
	}
	before := runtime.NumGoroutine() // perhaps with the first handler's, finishing
	for range readers - 1 {
		streams = append(streams, open())
	}
	if n := settled(before + 2); n > before+2 {
		t.Errorf("%d streams opened, goroutines %d -> %d", readers-1, before, n)
	}
	e, err := site.Desk.PostLiveEntry(ctx, editor, a.ID, news.LiveEntryInput{Body: "Everyone gets this."})
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range streams {
		ev := (&sseStream{in: in}).next(t)
		for ev == (sseEvent{}) { // the retry field's blank line
			ev = (&sseStream{in: in}).next(t)
		}
		if ev.id != strconv.FormatInt(e.Seq, 10) || !strings.Contains(ev.data, "Everyone gets this.") {
			t.Errorf("stream %d: %+v", i, ev)
		}
	}
}
