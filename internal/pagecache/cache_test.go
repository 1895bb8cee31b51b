package pagecache

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func page(body string) *Page {
	return NewPage(http.StatusOK, "text/html; charset=utf-8", "public, max-age=60", time.Time{}, []byte(body))
}

func TestInvalidateByDependency(t *testing.T) {
	c := New(1<<20, time.Hour)
	e := c.Epoch()
	c.Put("/a", page("a"), []string{"article:a"}, e)
	c.Put("/s", page("s"), []string{"section:s"}, e)
	c.Put("/", page("home"), []string{"site"}, e)
	c.Invalidate("article:a", "site")
	if c.Get("/a") != nil || c.Get("/") != nil || c.Get("/s") == nil {
		t.Errorf("after invalidating article:a and site: /a %v, / %v, /s %v", c.Get("/a"), c.Get("/"), c.Get("/s"))
	}
	c.Flush()
	if n, used := c.Stats(); n != 0 || used != 0 {
		t.Errorf("after Flush: %d pages, %d bytes", n, used)
	}
}

// A page rendered before an invalidation it depends on is not kept; one
// that depends on something else is.
func TestPutAfterInvalidation(t *testing.T) {
	c := New(1<<20, time.Hour)
	since := c.Epoch()
	c.Invalidate("article:a")
	if c.Put("/a", page("stale"), []string{"article:a"}, since) {
		t.Error("kept a page rendered before its dependency changed")
	}
	if !c.Put("/b", page("b"), []string{"article:b"}, since) {
		t.Error("refused a page whose dependency did not change")
	}
	c.Flush()
	if c.Put("/b", page("b"), []string{"article:b"}, since) {
		t.Error("kept a page rendered before a flush")
	}
}

func TestLRUByBytes(t *testing.T) {
	c := New(16<<10, time.Hour)
	body := strings.Repeat("x", 3000) // incompressible enough not to matter: pages are not gzipped here
	for _, k := range []string{"/1", "/2", "/3", "/4"} {
		c.Put(k, page(body), []string{"site"}, c.Epoch())
	}
	c.Get("/1") // now the most recently used
	c.Put("/5", page(body), []string{"site"}, c.Epoch())
	c.Put("/6", page(body), []string{"site"}, c.Epoch())
	if _, used := c.Stats(); used > 16<<10 {
		t.Errorf("uses %d bytes, more than its 16 KiB", used)
	}
	if c.Get("/1") == nil || c.Get("/2") != nil {
		t.Errorf("evicted the recently used page or kept the least recently used one")
	}
	if c.Put("/big", page(strings.Repeat("y", 8<<10)), nil, c.Epoch()) {
		t.Error("kept a page larger than a quarter of the cache")
	}
}

// A page is kept in memory of about its own size, and what it costs the
// cache is the memory it holds: a body written into a buffer that doubled
// held up to twice its bytes.
func TestPageHoldsItsOwnSize(t *testing.T) {
	for _, spare := range []int{0, 100, 3000, 30000} {
		body := make([]byte, 10000, 10000+spare)
		rnd := rand.New(rand.NewPCG(1, 2)) // text that compresses to a few KB
		for i := range body {
			body[i] = byte('a' + rnd.IntN(26))
		}
		p := NewPage(http.StatusOK, "text/html", "", time.Time{}, body)
		p.Compress()
		if c := cap(p.Body); c > 10000*5/4 {
			t.Errorf("%d spare: the body holds %d bytes for 10000", spare, c)
		}
		if g := p.gzip; cap(g) > len(g)*5/4 {
			t.Errorf("%d spare: gzip holds %d bytes for %d", spare, cap(g), len(g))
		}
		if br := *p.brotli.Load(); cap(br) > len(br)*5/4 {
			t.Errorf("%d spare: brotli holds %d bytes for %d", spare, cap(br), len(br))
		}
		if size, held := p.Size(), int64(cap(p.Body)+cap(p.gzip)+cap(*p.brotli.Load())); size < held {
			t.Errorf("%d spare: Size %d, less than the %d bytes held", spare, size, held)
		}
	}
}

func TestMaxAge(t *testing.T) {
	c := New(1<<20, time.Minute)
	now := time.Now()
	c.now = func() time.Time { return now }
	c.Put("/", page("home"), []string{"site"}, c.Epoch())
	now = now.Add(2 * time.Minute)
	if c.Get("/") != nil {
		t.Error("served a page past its maximum age")
	}
}

func TestLeadOneRendererPerKey(t *testing.T) {
	c := New(1<<20, time.Hour)
	done, leader := c.Lead(context.Background(), "/")
	if !leader {
		t.Fatal("first caller is not the leader")
	}
	waited := make(chan bool)
	go func() {
		_, leader := c.Lead(context.Background(), "/")
		waited <- leader
	}()
	select {
	case <-waited:
		t.Fatal("second caller did not wait for the leader")
	case <-time.After(20 * time.Millisecond):
	}
	done()
	if <-waited {
		t.Error("second caller became a leader while the first was rendering")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done, _ = c.Lead(context.Background(), "/x")
	defer done()
	cancel()
	if _, leader := c.Lead(ctx, "/x"); leader {
		t.Error("a caller whose request ended became the leader")
	}
}

func TestServe(t *testing.T) {
	p := NewPage(http.StatusOK, "text/html; charset=utf-8", "public, max-age=60", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		bytes.Repeat([]byte("<p>Hello, readers.</p>\n"), 200))
	p.Gzip()
	tests := []struct {
		name, accept, inm, ims string
		status                 int
		encoding               string
	}{
		{"plain", "", "", "", 200, ""},
		{"gzip", "gzip, deflate", "", "", 200, "gzip"},
		{"gzip refused", "gzip;q=0, identity", "", "", 200, ""},
		{"brotli not ready yet", "br", "", "", 200, ""},
		{"etag", "", p.ETag(), "", 304, ""},
		{"gzip etag on a plain request", "", strings.TrimSuffix(p.ETag(), `"`) + `-gzip"`, "", 304, ""},
		{"weak etag list", "", `"nope", W/` + p.ETag(), "", 304, ""},
		{"other etag", "", `"nope"`, "", 200, ""},
		{"if-modified-since", "", "", "Fri, 02 Jan 2026 03:04:05 GMT", 304, ""},
		{"modified since", "", "", "Thu, 01 Jan 2026 00:00:00 GMT", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			for k, v := range map[string]string{"Accept-Encoding": tt.accept, "If-None-Match": tt.inm, "If-Modified-Since": tt.ims} {
				if v != "" {
					req.Header.Set(k, v)
				}
			}
			rec := httptest.NewRecorder()
			p.Serve(rec, req)
			if rec.Code != tt.status || rec.Header().Get("Content-Encoding") != tt.encoding || rec.Header().Get("Vary") != "Accept-Encoding" {
				t.Errorf("status %d, Content-Encoding %q, Vary %q", rec.Code, rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"))
			}
		})
	}
}

// A page asked for again and again gets a brotli encoding, in the
// background, and is then sent with it.
func TestBrotliForPopularPages(t *testing.T) {
	c := New(1<<20, time.Hour)
	p := page(strings.Repeat("<p>A popular story about the harbour.</p>\n", 100))
	p.Gzip()
	c.Put("/", p, []string{"site"}, c.Epoch())
	for range promoteAfter {
		c.Get("/")
	}
	deadline := time.Now().Add(10 * time.Second)
	for p.brotli.Load() == nil {
		if time.Now().After(deadline) {
			t.Fatal("never compressed with brotli")
		}
		time.Sleep(5 * time.Millisecond)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip, br")
	rec := httptest.NewRecorder()
	c.Get("/").Serve(rec, req)
	if rec.Header().Get("Content-Encoding") != "br" || rec.Body.Len() >= len(p.gzip) {
		t.Errorf("Content-Encoding %q, %d bytes (gzip: %d)", rec.Header().Get("Content-Encoding"), rec.Body.Len(), len(p.gzip))
	}
	if _, used := c.Stats(); used < p.Size() {
		t.Errorf("cache accounts %d bytes for a %d-byte page", used, p.Size())
	}
}

// A page with a policy of its own sends it in place of the site's, on a
// 304 too, as often as it is served; a page without one leaves the site's.
func TestServeOwnPolicy(t *testing.T) {
	const site, own = "default-src 'self'", "default-src 'self'; frame-src https://player.example"
	withPolicy := page("<p>embeds</p>")
	withPolicy.SetContentSecurityPolicy(own)
	tests := []struct {
		name string
		page *Page
		inm  string
		want string
	}{
		{"own policy", withPolicy, "", own},
		{"own policy, again", withPolicy, "", own},
		{"own policy, not modified", withPolicy, withPolicy.ETag(), own},
		{"site policy", page("<p>plain</p>"), "", site},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			if tt.inm != "" {
				req.Header.Set("If-None-Match", tt.inm)
			}
			rec := httptest.NewRecorder()
			rec.Header().Set("Content-Security-Policy", site) // as the site's middleware does
			tt.page.Serve(rec, req)
			if got := rec.Header().Get("Content-Security-Policy"); got != tt.want {
				t.Errorf("status %d, Content-Security-Policy %q, want %q", rec.Code, got, tt.want)
			}
		})
	}
}
