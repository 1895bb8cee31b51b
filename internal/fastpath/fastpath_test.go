package fastpath

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
		h.Set("X-Cache", "HIT")
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

// fastOnly sends paths through the fast path, always by the handler.
func fastOnly(paths ...string) func(*http.Request) (Hit, bool) {
	return func(r *http.Request) (Hit, bool) {
		for _, p := range paths {
			if r.URL.Path == p {
				return Hit{}, true
			}
		}
		return Hit{}, false
	}
}

// pageHits answers /page as the page cache does: a kept head for the whole
// page and one for Not Modified; other paths as fastOnly(others...).
type pageHits struct {
	heads  [2]atomic.Pointer[[]byte]
	others []string
}

var pageBytes = []byte(page)

func (p *pageHits) fast(r *http.Request) (Hit, bool) {
	if r.URL.Path != "/page" {
		return fastOnly(p.others...)(r)
	}
	if r.Header.Get("If-None-Match") == `"v1"` {
		return Hit{ETag: `"v1"`, Head: &p.heads[1]}, true
	}
	return Hit{Body: pageBytes, ETag: `"v1"`, Head: &p.heads[0]}, true
}

// start serves h on a fresh port through the fast path, once tune (if
// any) has set the server up.
func start(t *testing.T, h http.Handler, fast func(*http.Request) (Hit, bool), tune func(*Server)) (*Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 30 * time.Second, MaxHeaderBytes: 64 << 10}
	s := &Server{HTTP: hs, Fast: fast}
	if tune != nil {
		tune(s)
	}
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
// handler, down to the headers — the first, which the handler makes, and
// the ones sent from its kept head without the handler.
func TestFastMatchesNetHTTP(t *testing.T) {
	var handled, answered atomic.Int32
	base := testHandler(nil)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		w.Header().Set("X-Request-Id", "from-the-handler")
		base.ServeHTTP(w, r)
	})
	hits := &pageHits{others: []string{"/sniff", "/empty"}}
	_, fastAddr := start(t, h, hits.fast, func(s *Server) {
		s.Answered = func(r *http.Request, id string, status, bytes int, start time.Time) { answered.Add(1) }
	})
	plain := &http.Server{Handler: h}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = plain.Serve(ln) }()
	t.Cleanup(func() { plain.Close() })

	requests := []struct {
		name    string
		req     string
		handled int32 // of three answers, the rest from a kept head
	}{
		{"GET", get("/page"), 1},
		{"HEAD", "HEAD /page HTTP/1.1\r\nHost: example.org\r\n\r\n", 0}, // GET's head
		{"conditional", get("/page", "If-None-Match: \"v1\"\r\n"), 1},
		{"sniffed", get("/sniff"), 3},
		{"no content", get("/empty"), 3},
	}
	for _, tc := range requests {
		t.Run(tc.name, func(t *testing.T) {
			want := roundTrip(t, ln.Addr().String(), tc.req)[0]
			handled.Store(0)
			answered.Store(0)
			ids := map[string]bool{}
			for i, fast := range roundTrip(t, fastAddr, tc.req, tc.req, tc.req) {
				if got := fast.header.Get("X-Served"); got != "fast" {
					t.Fatalf("answer %d served by %s, want the fast path", i, got)
				}
				if fast.status != want.status || fast.body != want.body {
					t.Errorf("answer %d: status %d, %d body bytes; net/http: %d, %d bytes", i, fast.status, len(fast.body), want.status, len(want.body))
				}
				ids[fast.header.Get("X-Request-Id")] = true
				for _, hh := range []http.Header{fast.header, want.header} {
					hh.Del("Date")
					hh.Del("X-Request-Id")
					hh.Del("X-Served")
				}
				for k, v := range want.header {
					if strings.Join(fast.header[k], "|") != strings.Join(v, "|") {
						t.Errorf("answer %d: %s: %q, net/http %q", i, k, fast.header[k], v)
					}
				}
				for k, v := range fast.header {
					if _, ok := want.header[k]; !ok {
						t.Errorf("answer %d: %s: %q, which net/http does not send", i, k, v)
					}
				}
			}
			// Answered is called once the answer is written, so the client
			// can read it first: wait for the three to be counted (else a
			// late count lands in the next case's).
			for deadline := time.Now().Add(5 * time.Second); handled.Load()+answered.Load() < 3 && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			if handled.Load() != tc.handled || answered.Load() != 3-tc.handled {
				t.Errorf("the handler made %d answers and %d came from a kept head, want %d and %d", handled.Load(), answered.Load(), tc.handled, 3-tc.handled)
			}
			if tc.handled < 3 && len(ids) != 3 {
				t.Errorf("request ids %v: each answer should carry its own", ids)
			}
		})
	}
}

// A head is kept only from an answer that is the hit's: the page cache's,
// with the hit's entity tag and body, and nothing for one client alone.
func TestHeadKeptOnlyFromTheHit(t *testing.T) {
	cases := []struct {
		name   string
		handle func(w http.ResponseWriter)
	}{
		{"not from the cache", func(w http.ResponseWriter) { w.Header().Set("Etag", `"v1"`); _, _ = w.Write(pageBytes) }},
		{"another tag", func(w http.ResponseWriter) {
			w.Header().Set("X-Cache", "HIT")
			w.Header().Set("Etag", `"v2"`)
			_, _ = w.Write(pageBytes)
		}},
		{"another body", func(w http.ResponseWriter) {
			w.Header().Set("X-Cache", "HIT")
			w.Header().Set("Etag", `"v1"`)
			_, _ = w.Write(pageBytes[1:])
		}},
		{"a cookie", func(w http.ResponseWriter) {
			w.Header().Set("X-Cache", "HIT")
			w.Header().Set("Etag", `"v1"`)
			w.Header().Set("Set-Cookie", "session=one-reader")
			_, _ = w.Write(pageBytes)
		}},
		{"a redirect", func(w http.ResponseWriter) {
			w.Header().Set("X-Cache", "HIT")
			w.Header().Set("Etag", `"v1"`)
			w.Header().Set("Location", "/elsewhere")
			w.WriteHeader(http.StatusFound)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hits := &pageHits{}
			_, addr := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tc.handle(w) }), hits.fast, nil)
			roundTrip(t, addr, get("/page"))
			if hits.heads[0].Load() != nil {
				t.Errorf("kept the head of %s", tc.name)
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

// An answer larger than the socket takes at once, to a client that reads
// slowly, arrives whole; a head that arrives a byte at a time is read; and
// each answer from a kept head carries a request id of its own, the one
// Answered is told.
func TestLargeAnswersAndSplitHeads(t *testing.T) {
	big := bytes.Repeat([]byte("<p>A long page, far larger than a socket's buffer.</p>\n"), 150_000) // 8 MB
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Cache", "HIT")
		w.Header().Set("Etag", `"big"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(big)))
		_, _ = w.Write(big)
	})
	var slot atomic.Pointer[[]byte]
	fast := func(*http.Request) (Hit, bool) { return Hit{Body: big, ETag: `"big"`, Head: &slot}, true }
	var mu sync.Mutex
	var ids []string
	_, addr := start(t, h, fast, func(s *Server) {
		s.Answered = func(_ *http.Request, id string, _, _ int, _ time.Time) {
			mu.Lock()
			defer mu.Unlock()
			ids = append(ids, strings.Clone(id))
		}
	})

	c := dial(t, addr)
	br := bufio.NewReader(c)
	var sent []string
	for i := range 3 {
		req := get("/big")
		if i == 2 {
			for j := range len(req) { // a byte at a time
				if _, err := io.WriteString(c, req[j:j+1]); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Millisecond)
			}
		} else if _, err := io.WriteString(c, req); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		chunk := make([]byte, 64<<10)
		for {
			n, err := resp.Body.Read(chunk) // slowly, so the server waits for the socket
			got.Write(chunk[:n])
			if err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			if got.Len() < 1<<20 {
				time.Sleep(100 * time.Microsecond)
			}
		}
		if !bytes.Equal(got.Bytes(), big) {
			t.Fatalf("answer %d: %d bytes, not the %d of the page", i, got.Len(), len(big))
		}
		sent = append(sent, resp.Header.Get("X-Request-Id"))
	}
	mu.Lock()
	defer mu.Unlock()
	// The first answer is the handler's; the two after it come from the
	// kept head.
	if len(ids) != 2 || ids[0] != sent[1] || ids[1] != sent[2] || sent[1] == sent[2] || len(sent[2]) != 16 {
		t.Errorf("request ids sent %q, told to Answered %q: want two different ids, the same in both", sent[1:], ids)
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
	_, addr := start(t, testHandler(nil), fastOnly("/page"), func(s *Server) { s.HTTP.IdleTimeout = 200 * time.Millisecond })
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
		fast func(*http.Request) (Hit, bool)
	}{
		{"kept-head", (&pageHits{}).fast},
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
