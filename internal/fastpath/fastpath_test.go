package fastpath

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// servedBy tells which server answered: net/http puts itself in the
// request's context, the fast path does not.
func servedBy(r *http.Request) string {
	if r.Context().Value(http.ServerContextKey) != nil {
		return "net/http"
	}
	return "fast"
}

var page = strings.Repeat("<p>A page of some length, larger than net/http's buffers.</p>\n", 200)

func testHandler(slow chan struct{}) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Etag", `"v1"`)
		h.Set("Cache-Control", "public, max-age=60")
		h.Add("Vary", "Accept-Encoding")
		h.Add("X-Multi", "one")
		h.Add("X-Multi", "two")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Length", strconv.Itoa(len(page)))
		_, _ = io.WriteString(w, page)
	})
	mux.HandleFunc("GET /sniff", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "<!doctype html><title>x</title>")
	})
	mux.HandleFunc("GET /empty", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		if slow != nil {
			<-slow
		}
		_, _ = io.WriteString(w, "done")
	})
	mux.HandleFunc("POST /form", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write(b)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served", servedBy(r))
		mux.ServeHTTP(w, r)
	})
}

func fastOnly(paths ...string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		for _, p := range paths {
			if r.URL.Path == p {
				return true
			}
		}
		return false
	}
}

// start serves h on a fresh port through the fast path.
func start(t *testing.T, h http.Handler, fast func(*http.Request) bool, tune func(*http.Server)) (*Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 30 * time.Second, MaxHeaderBytes: 64 << 10}
	if tune != nil {
		tune(hs)
	}
	s := &Server{HTTP: hs, Fast: fast}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return s, ln.Addr().String()
}

type exchange struct {
	status int
	header http.Header
	body   string
}

// roundTrip sends raw requests on one connection and reads one response
// for each.
func roundTrip(t *testing.T, addr string, raw ...string) []exchange {
	t.Helper()
	c := dial(t, addr)
	br := bufio.NewReader(c)
	var out []exchange
	for _, req := range raw {
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatal(err)
		}
		out = append(out, readResponse(t, br, req))
	}
	return out
}

func readResponse(t *testing.T, br *bufio.Reader, req string) exchange {
	t.Helper()
	method := strings.Fields(req)[0]
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", req, err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the body of the answer to %q: %v", req, err)
	}
	resp.Body.Close()
	return exchange{resp.StatusCode, resp.Header, string(b)}
}

func get(path string, headers ...string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: example.org\r\n" + strings.Join(headers, "") + "\r\n"
}

// The fast path's answers are the ones net/http gives for the same
// handler, down to the headers.
func TestFastMatchesNetHTTP(t *testing.T) {
	h := testHandler(nil)
	_, fastAddr := start(t, h, fastOnly("/page", "/sniff", "/empty"), nil)
	plain := &http.Server{Handler: h}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = plain.Serve(ln) }()
	t.Cleanup(func() { plain.Close() })

	requests := map[string]string{
		"GET":         get("/page"),
		"HEAD":        "HEAD /page HTTP/1.1\r\nHost: example.org\r\n\r\n",
		"conditional": get("/page", "If-None-Match: \"v1\"\r\n"),
		"sniffed":     get("/sniff"),
		"no content":  get("/empty"),
	}
	for name, req := range requests {
		t.Run(name, func(t *testing.T) {
			fast := roundTrip(t, fastAddr, req)[0]
			want := roundTrip(t, ln.Addr().String(), req)[0]
			if got := fast.header.Get("X-Served"); got != "fast" {
				t.Fatalf("served by %s, want the fast path", got)
			}
			if fast.status != want.status || fast.body != want.body {
				t.Errorf("status %d, %d body bytes; net/http: %d, %d bytes", fast.status, len(fast.body), want.status, len(want.body))
			}
			for _, hh := range []http.Header{fast.header, want.header} {
				hh.Del("Date")
				hh.Del("X-Served")
			}
			for k, v := range want.header {
				if strings.Join(fast.header[k], "|") != strings.Join(v, "|") {
					t.Errorf("%s: %q, net/http %q", k, fast.header[k], v)
				}
			}
			for k, v := range fast.header {
				if _, ok := want.header[k]; !ok {
					t.Errorf("%s: %q, which net/http does not send", k, v)
				}
			}
		})
	}
}

// A connection starts on the fast path and moves to net/http at the first
// request the fast path leaves alone, with nothing lost in the move.
func TestKeepAliveHandOff(t *testing.T) {
	_, addr := start(t, testHandler(nil), fastOnly("/page"), nil)
	got := roundTrip(t, addr,
		get("/page"),
		get("/page", "Connection: keep-alive\r\n"),
		"POST /form HTTP/1.1\r\nHost: example.org\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world",
		get("/page"),
	)
	served := []string{"fast", "fast", "net/http", "net/http"}
	for i, ex := range got {
		if ex.status != http.StatusOK || ex.header.Get("X-Served") != served[i] {
			t.Errorf("request %d: %d from %s, want 200 from %s", i, ex.status, ex.header.Get("X-Served"), served[i])
		}
	}
	if got[2].body != "hello world" {
		t.Errorf("the posted body arrived as %q", got[2].body)
	}
	if got[3].body != page {
		t.Errorf("after the hand-off the page came back with %d bytes", len(got[3].body))
	}
}

// Requests sent without waiting for answers are answered in order, across
// the hand-off too.
func TestPipelining(t *testing.T) {
	_, addr := start(t, testHandler(nil), fastOnly("/page"), nil)
	c := dial(t, addr)
	reqs := []string{get("/page"), "HEAD /page HTTP/1.1\r\nHost: example.org\r\n\r\n", get("/sniff"), get("/page")}
	if _, err := io.WriteString(c, strings.Join(reqs, "")); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	wantBody := []string{page, "", "<!doctype html><title>x</title>", page}
	for i, req := range reqs {
		ex := readResponse(t, br, req)
		if ex.status != http.StatusOK || ex.body != wantBody[i] {
			t.Errorf("answer %d: %d with %d bytes, want 200 with %d", i, ex.status, len(ex.body), len(wantBody[i]))
		}
	}
}

// Whatever is unusual goes to net/http, which answers or refuses it as it
// always has.
func TestUnusualRequestsGoToNetHTTP(t *testing.T) {
	_, addr := start(t, testHandler(nil), fastOnly("/page"), nil)
	cases := []struct {
		name   string
		req    string
		status int
	}{
		{"HTTP/1.0", "GET /page HTTP/1.0\r\nHost: example.org\r\n\r\n", 200},
		{"closing", get("/page", "Connection: close\r\n"), 200},
		{"connection options", get("/page", "Connection: keep-alive, X-Foo\r\n"), 200},
		{"two hosts", "GET /page HTTP/1.1\r\nHost: example.org\r\nHost: other.example\r\n\r\n", 400},
		{"no host", "GET /page HTTP/1.1\r\nAccept: */*\r\n\r\n", 400},
		{"odd host", "GET /page HTTP/1.1\r\nHost: exa mple\r\n\r\n", 400},
		{"absolute form", "GET http://example.org/page HTTP/1.1\r\nHost: example.org\r\n\r\n", 200},
		{"folded header", "GET /page HTTP/1.1\r\nHost: example.org\r\nX-A: one\r\n two\r\n\r\n", 200},
		{"bare LF", "GET /page HTTP/1.1\nHost: example.org\n\n", 200},
		{"body on GET", "GET /page HTTP/1.1\r\nHost: example.org\r\nContent-Length: 3\r\n\r\nabc", 200},
		{"chunked", "GET /page HTTP/1.1\r\nHost: example.org\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 200},
		{"long head", get("/page", "Cookie: "+strings.Repeat("a", 10<<10)+"\r\n"), 200},
		{"too long head", get("/page", "Cookie: "+strings.Repeat("a", 70<<10)+"\r\n"), 431},
		{"control byte", "GET /page HTTP/1.1\r\nHost: example.org\r\nX-A: a\x01b\r\n\r\n", 400},
		{"garbage", "NONSENSE\r\n\r\n", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex := roundTrip(t, addr, tc.req)[0]
			if ex.status != tc.status {
				t.Errorf("status %d, want %d", ex.status, tc.status)
			}
			if by := ex.header.Get("X-Served"); by == "fast" {
				t.Errorf("the fast path answered it")
			}
		})
	}
}

// Shutdown closes idle connections at once and lets a request in progress
// finish.
func TestShutdown(t *testing.T) {
	slow := make(chan struct{})
	s, addr := start(t, testHandler(slow), fastOnly("/page", "/slow"), nil)

	idle := dial(t, addr)
	idleIn := bufio.NewReader(idle)
	_, _ = io.WriteString(idle, get("/page"))
	readResponse(t, idleIn, get("/page"))

	busy := dial(t, addr)
	_, _ = io.WriteString(busy, get("/slow"))
	time.Sleep(100 * time.Millisecond) // the request reaches the handler

	stopped := make(chan error, 1)
	go func() { stopped <- s.Shutdown(context.Background()) }()
	if _, err := idleIn.ReadByte(); !errors.Is(err, io.EOF) {
		t.Errorf("idle connection: read %v, want EOF", err)
	}
	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned (%v) with a request in progress", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(slow)
	if ex := readResponse(t, bufio.NewReader(busy), get("/slow")); ex.status != 200 || ex.body != "done" {
		t.Errorf("request in progress: %d %q", ex.status, ex.body)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("still accepting connections after Shutdown")
	}
}

// A keep-alive connection that stays quiet is closed after IdleTimeout.
func TestIdleTimeout(t *testing.T) {
	_, addr := start(t, testHandler(nil), fastOnly("/page"), func(hs *http.Server) { hs.IdleTimeout = 200 * time.Millisecond })
	c := dial(t, addr)
	br := bufio.NewReader(c)
	_, _ = io.WriteString(c, get("/page"))
	readResponse(t, br, get("/page"))
	if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
		t.Errorf("read %v, want EOF once the connection has been idle", err)
	}
}

// BenchmarkServe answers a 12 KB page over loopback keep-alive connections,
// through the fast path and through net/http alone, for comparison.
func BenchmarkServe(b *testing.B) {
	h := testHandler(nil)
	for _, tc := range []struct {
		name string
		fast func(*http.Request) bool
	}{
		{"fastpath", fastOnly("/page")},
		{"net-http", fastOnly()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			s := &Server{HTTP: &http.Server{Handler: h}, Fast: tc.fast}
			go func() { _ = s.Serve(ln) }()
			defer s.Shutdown(context.Background())
			req := []byte(get("/page"))
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				c, err := net.Dial("tcp", ln.Addr().String())
				if err != nil {
					b.Error(err)
					return
				}
				defer c.Close()
				br := bufio.NewReaderSize(c, 64<<10)
				for pb.Next() {
					if _, err := c.Write(req); err != nil {
						b.Error(err)
						return
					}
					resp, err := http.ReadResponse(br, nil)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		})
	}
}

// dial connects to addr for the rest of the test, giving up on any read or
// write after ten seconds.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}
