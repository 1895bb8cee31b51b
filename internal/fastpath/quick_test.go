package fastpath

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
)

var quickHeads = []string{
	get("/"),
	get("/2026/12/01/the-quay-reopens"),
	get("/section/town?page=2"),
	"HEAD /tag/harbour HTTP/1.1\r\nHost: example.org:8080\r\nAccept-Encoding: gzip, br\r\n\r\n",
	get("/", "accept-encoding: gzip\r\n", "Cookie: theme=dark; mh_pending=1.sig\r\n", "If-None-Match:\t\"abc-gzip\" \r\n"),
	get("/", "X-Forwarded-Proto: https\r\n", "Sec-Fetch-Mode: navigate\r\n", "Connection: Keep-Alive\r\n"),
	get("/caf%C3%A9"),
	get("/a b"),
	get("/#top"),
	get("/", "Content-Length: 0\r\n"),
	get("/", "Transfer-Encoding: chunked\r\n"),
	get("/", "Connection: close\r\n"),
	get("/", "Accept: a\r\n", "Accept: b\r\n"),
	get("/", "Host: other.example\r\n"),
	"GET / HTTP/1.0\r\nHost: example.org\r\n\r\n",
	"POST / HTTP/1.1\r\nHost: example.org\r\n\r\n",
	"GET http://example.org/ HTTP/1.1\r\nHost: example.org\r\n\r\n",
	"GET / HTTP/1.1\r\nHost : example.org\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: example.org\r\nBad Header: x\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: exa mple.org\r\n\r\n",
	"GET  / HTTP/1.1\r\nHost: example.org\r\n\r\n",
	"GET / HTTP/1.1 \r\nHost: example.org\r\n\r\n",
	"GET / HTTP/1.1\r\n\r\n",
}

// Whatever the quick parse accepts, the standard parser reads the same
// way — method, path, query, host and every header the quick parse keeps
// — and the fast path's standard checks (conn.parse) accept it too.
func TestQuickAgreesWithStandardParser(t *testing.T) {
	accepted := 0
	for _, head := range quickHeads {
		if checkQuick(t, head) {
			accepted++
		}
	}
	if accepted < 6 {
		t.Errorf("the quick parse accepted %d of the usual heads", accepted)
	}
}

func FuzzQuickParse(f *testing.F) {
	for _, head := range quickHeads {
		f.Add(head)
	}
	f.Fuzz(func(t *testing.T, head string) {
		if !strings.HasSuffix(head, "\r\n\r\n") || strings.Count(head, "\r\n\r\n") != 1 {
			return // readHead hands parse exactly one head
		}
		checkQuick(t, head)
	})
}

// checkQuick reports whether the quick parse accepted head, failing t if
// it read it otherwise than the standard parser.
func checkQuick(t *testing.T, head string) bool {
	t.Helper()
	fc := &conn{remote: "192.0.2.1:1234", head: []byte(head)}
	q := fc.quick()
	if q == nil {
		return false
	}
	fc.in = bufio.NewReader(strings.NewReader(head))
	std := fc.parse()
	if std == nil {
		t.Fatalf("quick parse accepted %q, the fast path's standard checks do not", head)
	}
	if q.Method != std.Method || q.URL.Path != std.URL.Path || q.URL.RawQuery != std.URL.RawQuery || q.Host != std.Host ||
		q.RequestURI != std.RequestURI || q.Proto != std.Proto {
		t.Fatalf("%q: quick %s %q ? %q host %q; standard %s %q ? %q host %q", head,
			q.Method, q.URL.Path, q.URL.RawQuery, q.Host, std.Method, std.URL.Path, std.URL.RawQuery, std.Host)
	}
	for _, k := range quickHeaders {
		if k == "Host" {
			continue // the standard parser moves it to Request.Host
		}
		if got, want := q.Header.Get(k), std.Header.Get(k); got != want || len(q.Header[k]) != len(std.Header[k]) {
			t.Fatalf("%q: %s quick %q, standard %q", head, k, q.Header[k], std.Header[k])
		}
	}
	if q.Body != http.NoBody || q.RemoteAddr != fc.remote {
		t.Fatalf("%q: body %v, remote %q", head, q.Body, q.RemoteAddr)
	}
	return true
}
