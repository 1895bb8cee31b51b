package fastpath

import (
	"net/http"
	"net/url"
	"strings"
	"unsafe"
)

// A request answered from a kept head needs no more of its head than the
// page cache reads, so the fast path parses the common case itself,
// without the standard parser's allocations: a request line of GET or
// HEAD, an origin-form target of plain characters, HTTP/1.1, and header
// lines of a known few names. Whatever else a head holds — an escaped or
// unusual target, a body, a repeated or unknown-but-meaningful header —
// goes to the standard parser as before (conn.parse). The request is the
// connection's own and reused, and its strings are the bytes of fc.head,
// which the next request head overwrites: nothing may keep either.

// quickHeaders are the header names the fast path keeps; every other
// header is read past, except quickRefused.
var quickHeaders = []string{"Host", "Accept", "Accept-Encoding", "Cookie", "If-None-Match", "If-Modified-Since",
	"X-Forwarded-Proto", "X-Forwarded-For", "Connection", "User-Agent", "Referer"}

// quickRefused are headers that change what a request means: the standard
// parser and net/http decide about them.
var quickRefused = []string{"Content-Length", "Transfer-Encoding", "Expect", "Upgrade", "Te", "Trailer"}

// headerNamed is the one of names that name is, in any case, or "".
func headerNamed(name string, names []string) string {
	for _, n := range names {
		if len(n) == len(name) && strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}

// quickRequest is a connection's reusable request for the quick parse.
type quickRequest struct {
	req    http.Request
	url    url.URL
	header http.Header
	values [16]string
}

// quick parses fc.head, or returns nil for the standard parser. It does
// not consume the head from fc.in.
func (fc *conn) quick() *http.Request {
	if !plainHead(fc.head) {
		return nil
	}
	q := &fc.q
	if q.header == nil {
		q.header = make(http.Header, len(quickHeaders))
	}
	clear(q.header)
	// Every string below is part of s, which allocates nothing: a cache hit
	// makes no garbage to collect.
	s := unsafe.String(unsafe.SliceData(fc.head), len(fc.head))
	line, rest, _ := strings.Cut(s, "\r\n")
	method, line, _ := strings.Cut(line, " ")
	target, proto, _ := strings.Cut(line, " ")
	if method != http.MethodGet && method != http.MethodHead || proto != "HTTP/1.1" || !plainTarget(target) {
		return nil
	}
	n := 0
	for rest != "\r\n" {
		line, rest, _ = strings.Cut(rest, "\r\n")
		name, value, ok := strings.Cut(line, ":")
		if !ok || !token(name) {
			return nil
		}
		if headerNamed(name, quickRefused) != "" {
			return nil
		}
		key := headerNamed(name, quickHeaders)
		if key == "" {
			continue
		}
		if _, twice := q.header[key]; twice || n == len(q.values) {
			return nil
		}
		q.values[n] = strings.Trim(value, " \t")
		q.header[key] = q.values[n : n+1 : n+1]
		n++
	}
	if c, ok := q.header["Connection"]; ok && !strings.EqualFold(c[0], "keep-alive") {
		return nil
	}
	host := q.header["Host"]
	if len(host) != 1 || !validHost(host[0]) {
		return nil
	}
	path, query, _ := strings.Cut(target, "?")
	q.url = url.URL{Path: path, RawQuery: query}
	q.req = http.Request{Method: method, URL: &q.url, Proto: proto, ProtoMajor: 1, ProtoMinor: 1,
		Header: q.header, Body: http.NoBody, Host: host[0], RequestURI: target, RemoteAddr: fc.remote}
	return &q.req
}

// plainTarget reports whether an origin-form target needs no decoding:
// the characters a path or query may hold as they are, no percent escapes,
// no fragment.
func plainTarget(t string) bool {
	return len(t) > 0 && t[0] == '/' && alnumOr(t, "-._~/!$&'()*+,;=:@?")
}
