// Package fastpath answers the requests a page cache can answer on its own
// — a simple HTTP/1.1 GET or HEAD for a page already rendered — without
// net/http's per-request machinery, and hands every other connection to
// net/http.
//
// net/http spends more on each request than a cache hit costs: a goroutine
// to watch for the client going away, deadline juggling, and two writes for
// a page larger than its 4 KiB buffer. For a newsroom's front page and
// articles that is most of the work, so a connection starts here: a
// keep-alive loop that parses each request head with the standard library's
// parser and asks the page cache for the page (Server.Fast). The first time
// a page is sent a given way (an encoding, whole or Not Modified) the
// site's own handler answers it — the same middleware, headers, logs and
// metrics as any request — into a buffer, and the status line and headers
// it wrote are kept with the page; from then on the kept head, the date, a
// request id and the page's bytes go out in one vectored write, with no
// handler, no header map and no copy of the body, and the request is
// logged and counted as the handler would have (Server.Answered). The
// first request the fast path should not answer — a cache miss, a POST,
// anything unusual or malformed — hands the connection, with every byte
// read so far, to the net/http server, which keeps it from then on.
package fastpath

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"masthead/internal/edge"
)

// Server serves a listener: fast-path requests itself, the rest through
// HTTP.
type Server struct {
	// HTTP serves every connection handed over; its Handler also answers
	// fast-path requests, and its IdleTimeout, ReadHeaderTimeout and
	// WriteTimeout apply to them.
	HTTP *http.Server
	// Fast finds the page-cache hit that answers a request, if any. It
	// sees a request that has not been routed yet.
	Fast func(*http.Request) (Hit, bool)
	// Answered logs and counts a request answered from a kept head, which
	// no handler saw; id is the request id the answer carried. r and id
	// are the connection's own, reused for its next request: Answered
	// must not keep them.
	Answered func(r *http.Request, id string, status, bytes int, start time.Time)

	handoff  *handoffListener
	dateLine atomic.Pointer[dateStamp]
	shutting atomic.Bool
	mu       sync.Mutex
	ln       net.Listener
	conns    map[*conn]struct{}
	active   sync.WaitGroup
}

// Hit is a page the fast path can send without a handler once it holds
// the page's head.
type Hit struct {
	Body []byte // the encoded body; nil for Not Modified
	ETag string // the entity tag sent with it
	// Head keeps the status line and header lines (not Date nor
	// X-Request-Id) of the first answer the handler made for this page
	// sent this way; nil until then.
	// A Hit without a slot is answered by the handler every time.
	Head *atomic.Pointer[[]byte]
}

func (h Hit) kept() []byte {
	if h.Head == nil {
		return nil
	}
	if p := h.Head.Load(); p != nil {
		return *p
	}
	return nil
}

// headBuffer is the most of a request head the fast path reads; a longer
// head (a browser with many cookies) goes to net/http, whose limit is
// MaxHeaderBytes.
const headBuffer = 8 << 10

// Serve accepts connections on ln until Shutdown; it returns
// http.ErrServerClosed after Shutdown, like net/http.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.conns = map[*conn]struct{}{}
	s.handoff = &handoffListener{conns: make(chan net.Conn), done: make(chan struct{}), addr: ln.Addr()}
	s.mu.Unlock()
	httpDone := make(chan error, 1)
	go func() { httpDone <- s.HTTP.Serve(s.handoff) }()

	var backoff time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.shutting.Load() {
				return http.ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// Out of file descriptors and the like: wait and try again,
			// as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.logf("fastpath: accept: %v; retrying in %v", err, backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		fc := s.track(c)
		if fc == nil {
			c.Close()
			continue
		}
		go s.serve(fc)
	}
}

// Shutdown stops accepting, closes idle connections, lets requests in
// progress finish, and shuts the net/http server down; when ctx ends first
// it closes what is left and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutting.Store(true)
	s.mu.Lock()
	ln := s.ln
	for fc := range s.conns {
		fc.closeIfIdle()
	}
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	httpErr := make(chan error, 1)
	go func() { httpErr <- s.HTTP.Shutdown(ctx) }()
	done := make(chan struct{})
	go func() { s.active.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.mu.Lock()
		for fc := range s.conns {
			fc.c.Close()
		}
		s.mu.Unlock()
	}
	return <-httpErr
}

func (s *Server) logf(format string, args ...any) {
	if s.HTTP.ErrorLog != nil {
		s.HTTP.ErrorLog.Printf(format, args...)
	}
}

// Connection states: waiting for a request (may be closed by Shutdown),
// serving one, or closed by Shutdown.
const (
	stateIdle int32 = iota
	stateActive
	stateClosed
)

type conn struct {
	c      net.Conn
	remote string
	state  atomic.Int32
	raw    *rawIO        // c's socket, where it has one
	in     *bufio.Reader // the connection's bytes
	head   []byte        // a copy of the request head being parsed
	id     [16]byte      // the request id of the answer being sent
	resp   response
	q      quickRequest

	readArmed, writeArmed time.Time // when the deadlines were last set
}

func (fc *conn) closeIfIdle() {
	if fc.state.CompareAndSwap(stateIdle, stateClosed) {
		fc.c.Close()
	}
}

func (s *Server) track(c net.Conn) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shutting.Load() {
		return nil
	}
	fc := &conn{c: c, remote: c.RemoteAddr().String(), raw: newRawIO(c)}
	var in io.Reader = c
	if fc.raw != nil {
		in = fc.raw
	}
	fc.in = bufio.NewReaderSize(in, headBuffer)
	s.conns[fc] = struct{}{}
	s.active.Add(1)
	return fc
}

func (s *Server) untrack(fc *conn) {
	s.mu.Lock()
	delete(s.conns, fc)
	s.mu.Unlock()
	s.active.Done()
}

// serve is one connection's keep-alive loop.
func (s *Server) serve(fc *conn) {
	handedOff := false
	defer func() {
		if v := recover(); v != nil && v != http.ErrAbortHandler {
			s.logf("fastpath: panic serving %s: %v", fc.remote, v)
		}
		if !handedOff {
			fc.c.Close()
		}
		s.untrack(fc)
	}()
	for {
		if idle := cmpDuration(s.HTTP.IdleTimeout, s.HTTP.ReadTimeout); idle > 0 {
			fc.armRead(time.Now(), idle)
		}
		if _, err := fc.in.Peek(1); err != nil {
			return
		}
		if !fc.state.CompareAndSwap(stateIdle, stateActive) {
			return // closed by Shutdown
		}
		head, err := s.readHead(fc)
		if err != nil {
			if errors.Is(err, errHandOff) {
				handedOff = s.handOff(fc, nil)
			}
			return
		}
		fc.head = append(fc.head[:0], head...)
		r := fc.quick()
		var hit Hit
		ok := false
		if r != nil {
			hit, ok = s.Fast(r)
		}
		switch head := hit.kept(); {
		case ok && head != nil:
			fc.in.Discard(len(fc.head))
			err = s.send(fc, r, head, hit.Body)
		case r != nil && !ok:
			fc.in.Discard(len(fc.head))
			handedOff = s.handOff(fc, fc.head)
			return
		default:
			// The handler answers, with a request of its own from the
			// standard parser, which consumes the head.
			ok = false
			if r = fc.parse(); r != nil {
				hit, ok = s.Fast(r)
			}
			if !ok {
				// net/http reads the head again from the copy.
				handedOff = s.handOff(fc, fc.head)
				return
			}
			r.RemoteAddr = fc.remote
			if head := hit.kept(); head != nil {
				err = s.send(fc, r, head, hit.Body)
			} else {
				err = s.respond(fc, r, hit)
			}
		}
		if err != nil {
			return
		}
		fc.state.Store(stateIdle)
		if s.shutting.Load() {
			fc.closeIfIdle()
			return
		}
	}
}

// cmpDuration is the first non-zero duration, as net/http picks its idle
// timeout.
func cmpDuration(a, b time.Duration) time.Duration {
	if a != 0 {
		return a
	}
	return b
}

var errHandOff = errors.New("request head is not for the fast path")

// readHead returns the next request head, up to and including its blank
// line, without consuming it.
func (s *Server) readHead(fc *conn) ([]byte, error) {
	deadlineSet := false
	searched := 0
	for {
		buf, _ := fc.in.Peek(fc.in.Buffered())
		if i := bytes.Index(buf[searched:], crlfcrlf); i >= 0 {
			return buf[:searched+i+len(crlfcrlf)], nil
		}
		if len(buf) == fc.in.Size() || bytes.Contains(buf, lflf) {
			return nil, errHandOff // longer than the fast path reads, or bare line feeds
		}
		searched = max(0, len(buf)-len(crlfcrlf)+1)
		if !deadlineSet && s.HTTP.ReadHeaderTimeout > 0 {
			fc.c.SetReadDeadline(time.Now().Add(s.HTTP.ReadHeaderTimeout))
			fc.readArmed = time.Time{} // the idle deadline is set again after this head
			deadlineSet = true
		}
		if _, err := fc.in.Peek(len(buf) + 1); err != nil {
			if len(buf) > 0 && !errors.Is(err, io.EOF) {
				// A partial head and a timeout or reset: let net/http
				// answer what it can.
				return nil, errHandOff
			}
			return nil, err
		}
	}
}

var crlfcrlf, lflf = []byte("\r\n\r\n"), []byte("\n\n")

// parse reads a request head the fast path may answer, or returns nil for
// anything it leaves to net/http: other methods, other protocol versions,
// bodies, upgrades, connection options other than keep-alive, absolute-form
// targets, repeated or odd Host headers, and anything the standard parser
// rejects.
//
// The head is complete in fc.in (readHead saw its blank line), so the
// parser reads no further than the head; parse leaves fc.in after it,
// whatever the parser made of it.
func (fc *conn) parse() *http.Request {
	head := fc.head
	end := fc.in.Buffered() - len(head) // buffered bytes after the head
	defer func() { fc.in.Discard(fc.in.Buffered() - end) }()
	if !bytes.HasPrefix(head, []byte("GET /")) && !bytes.HasPrefix(head, []byte("HEAD /")) || !plainHead(head) {
		return nil
	}
	r, err := http.ReadRequest(fc.in)
	if err != nil || r.ProtoMajor != 1 || r.ProtoMinor != 1 || r.Close || r.ContentLength != 0 {
		return nil
	}
	h := r.Header
	for _, k := range []string{"Content-Length", "Transfer-Encoding", "Expect", "Upgrade"} {
		if _, ok := h[k]; ok {
			return nil
		}
	}
	// Browsers say keep-alive; any other connection option is net/http's.
	if c, ok := h["Connection"]; ok && (len(c) != 1 || !strings.EqualFold(c[0], "keep-alive")) {
		return nil
	}
	if hostLines(head) != 1 || !validHost(r.Host) {
		return nil
	}
	r.Body = http.NoBody
	return r
}

// plainHead reports whether a head holds only visible ASCII, spaces, tabs
// inside lines, and CRLF line ends: no bare CR or LF, no folded lines, no
// control bytes. Anything else is net/http's to judge.
func plainHead(head []byte) bool {
	for i := 0; i < len(head); i++ {
		switch b := head[i]; {
		case b == '\r':
			if i+1 >= len(head) || head[i+1] != '\n' {
				return false
			}
			i++
			if i+1 < len(head) && (head[i+1] == ' ' || head[i+1] == '\t') {
				return false // obsolete line folding
			}
		case b == '\t' || (b >= ' ' && b < 0x7f):
		default:
			return false
		}
	}
	return true
}

// hostLines counts the head's Host header lines (the parser keeps only
// the first, and net/http refuses a request with more than one).
func hostLines(head []byte) int {
	n := 0
	for line := range bytes.SplitSeq(head, []byte("\r\n")) {
		if len(line) >= 5 && bytes.EqualFold(line[:5], []byte("host:")) {
			n++
		}
	}
	return n
}

// validHost accepts a plain host name or address with an optional port.
func validHost(h string) bool { return h != "" && alnumOr(h, ".-:[]_") }

// alnumOr reports whether s holds only ASCII letters, digits and bytes of
// extra.
func alnumOr(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9':
		case strings.IndexByte(extra, b) >= 0:
		default:
			return false
		}
	}
	return true
}

// handOff gives the connection to net/http, which reads head (a request
// head the fast path parsed), then what the fast path read beyond it, then
// the connection.
func (s *Server) handOff(fc *conn, head []byte) bool {
	fc.c.SetReadDeadline(time.Time{})
	fc.c.SetWriteDeadline(time.Time{})
	return s.handoff.give(&handedConn{Conn: fc.c, head: head, in: fc.in})
}

// respond runs the handler for r, writes its answer in one write, and
// keeps its head for hit's later answers when it is hit's.
func (s *Server) respond(fc *conn, r *http.Request, hit Hit) error {
	w := &fc.resp
	w.reset(r)
	s.HTTP.Handler.ServeHTTP(w, r)
	s.writeDeadline(fc, time.Now())
	bufs := w.finish()
	_, err := bufs.WriteTo(fc.c)
	if head := w.keepable(hit); head != nil {
		hit.Head.Store(&head)
	}
	w.release()
	return err
}

// send writes a kept head, the date, a new request id and body (unless
// the answer has none) in one write, and reports the request answered.
func (s *Server) send(fc *conn, r *http.Request, head, body []byte) error {
	start := time.Now()
	edge.AppendRequestID(fc.id[:0])
	out := &fc.resp.out
	out.Reset()
	out.Write(head)
	out.WriteString("Date: ")
	out.Write(s.date(start))
	out.WriteString("\r\nX-Request-Id: ")
	out.Write(fc.id[:])
	out.WriteString("\r\n\r\n")
	status := headStatus(head)
	if r.Method == http.MethodHead || !bodyAllowed(status) {
		body = nil
	}
	s.writeDeadline(fc, start)
	var err error
	if fc.raw != nil {
		err = fc.raw.writev(out.Bytes(), body)
	} else {
		bufs := net.Buffers{out.Bytes(), body}
		_, err = bufs.WriteTo(fc.c)
	}
	if s.Answered != nil {
		s.Answered(r, unsafe.String(&fc.id[0], len(fc.id)), status, len(body), start)
	}
	return err
}

// Deadlines are set again at most once a second (rearm): a keep-alive
// connection asking for one page after another would otherwise pay for
// two timer changes per request, and a deadline a second early is as
// good.
const rearm = time.Second

func (s *Server) writeDeadline(fc *conn, now time.Time) {
	if t := s.HTTP.WriteTimeout; t > 0 && now.Sub(fc.writeArmed) >= rearm {
		fc.c.SetWriteDeadline(now.Add(t))
		fc.writeArmed = now
	}
}

func (fc *conn) armRead(now time.Time, idle time.Duration) {
	if now.Sub(fc.readArmed) >= rearm {
		fc.c.SetReadDeadline(now.Add(idle))
		fc.readArmed = now
	}
}

// headStatus reads the status code of a kept head ("HTTP/1.1 200 OK…").
func headStatus(head []byte) int {
	return int(head[9]-'0')*100 + int(head[10]-'0')*10 + int(head[11]-'0')
}

// date is the Date header's value for now, formatted once a second.
func (s *Server) date(now time.Time) []byte {
	sec := now.Unix()
	if d := s.dateLine.Load(); d != nil && d.sec == sec {
		return d.text
	}
	d := &dateStamp{sec: sec, text: now.UTC().AppendFormat(nil, http.TimeFormat)}
	s.dateLine.Store(d)
	return d.text
}

type dateStamp struct {
	sec  int64
	text []byte
}

// response collects a handler's answer.
type response struct {
	req     *http.Request
	header  http.Header
	status  int
	written int
	body    []byte
	out     bytes.Buffer
	bufs    [2][]byte
}

func (w *response) reset(r *http.Request) {
	w.req = r
	if w.header == nil {
		w.header = make(http.Header, 16)
	}
	clear(w.header)
	w.status, w.written = 0, 0
	w.body = w.body[:0]
	w.out.Reset()
}

// release drops buffers grown for an unusually large answer.
func (w *response) release() {
	w.req = nil
	if cap(w.body) > 256<<10 {
		w.body = nil
	}
	if w.out.Cap() > 64<<10 {
		w.out = bytes.Buffer{}
	}
}

func (w *response) Header() http.Header { return w.header }

func (w *response) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if w.status != 0 || code < 200 {
		return // informational answers are not sent from here
	}
	w.status = code
}

func (w *response) Write(p []byte) (int, error) {
	if err := w.startBody(len(p)); err != nil {
		return 0, err
	}
	if w.req.Method != http.MethodHead {
		w.body = append(w.body, p...)
	}
	return len(p), nil
}

// WriteString saves handlers that write strings a copy, as net/http does.
func (w *response) WriteString(s string) (int, error) {
	if err := w.startBody(len(s)); err != nil {
		return 0, err
	}
	if w.req.Method != http.MethodHead {
		w.body = append(w.body, s...)
	}
	return len(s), nil
}

func (w *response) startBody(n int) error {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return http.ErrBodyNotAllowed
	}
	w.written += n
	return nil
}

// isLength reports whether a Content-Length value says n (pages carry a
// prepared one, which the fast path keeps rather than format anew).
func isLength(v string, n int) bool {
	got, err := strconv.Atoi(v)
	return err == nil && got == n
}

func bodyAllowed(status int) bool {
	return status != http.StatusNoContent && status != http.StatusNotModified && status >= 200
}

// finish serialises the status line and headers as net/http would for the
// same handler, and returns them with the body for one vectored write.
func (w *response) finish() net.Buffers {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	h := w.header
	if bodyAllowed(w.status) {
		if _, ok := h["Content-Type"]; !ok && w.written > 0 && h.Get("Content-Encoding") == "" {
			h["Content-Type"] = []string{http.DetectContentType(w.body)}
		}
		if w.req.Method != http.MethodHead {
			if cl := h["Content-Length"]; len(cl) != 1 || !isLength(cl[0], len(w.body)) {
				h["Content-Length"] = []string{strconv.Itoa(len(w.body))}
			}
		} else if _, ok := h["Content-Length"]; !ok && w.written > 0 {
			h["Content-Length"] = []string{strconv.Itoa(w.written)}
		}
	} else {
		delete(h, "Content-Length")
		if w.status == http.StatusNotModified {
			delete(h, "Content-Type")
		}
	}
	delete(h, "Transfer-Encoding")
	out := &w.out
	writeStatusLine(out, w.status)
	if _, ok := h["Date"]; !ok {
		var date [len(http.TimeFormat)]byte
		out.WriteString("Date: ")
		out.Write(time.Now().UTC().AppendFormat(date[:0], http.TimeFormat))
		out.WriteString("\r\n")
	}
	writeHeader(out, h)
	out.WriteString("\r\n")
	w.bufs = [2][]byte{out.Bytes(), w.body}
	if len(w.body) == 0 || w.req.Method == http.MethodHead || !bodyAllowed(w.status) {
		return net.Buffers(w.bufs[:1])
	}
	return net.Buffers(w.bufs[:])
}

// keepable is the head of the answer just made, without Date and
// X-Request-Id, when it is the answer hit describes: a page-cache hit
// (X-Cache), with hit's entity tag and body, and nothing meant for this
// client alone (a cookie). Otherwise nil: an answer the handler made some
// other way is never repeated to anyone else.
func (w *response) keepable(hit Hit) []byte {
	h := w.header
	if hit.Head == nil || len(h["X-Cache"]) != 1 || h["X-Cache"][0] != "HIT" || len(h["Etag"]) != 1 || h["Etag"][0] != hit.ETag {
		return nil
	}
	if _, ok := h["Set-Cookie"]; ok {
		return nil
	}
	switch {
	case w.status == http.StatusOK && hit.Body != nil:
		if cl := h["Content-Length"]; len(cl) != 1 || !isLength(cl[0], len(hit.Body)) ||
			(w.req.Method != http.MethodHead && !bytes.Equal(w.body, hit.Body)) {
			return nil
		}
	case w.status == http.StatusNotModified && hit.Body == nil:
	default:
		return nil
	}
	var out bytes.Buffer
	writeStatusLine(&out, w.status)
	if id, ok := h["X-Request-Id"]; ok {
		delete(h, "X-Request-Id")
		defer func() { h["X-Request-Id"] = id }()
	}
	writeHeader(&out, h)
	return out.Bytes()
}

func writeStatusLine(out *bytes.Buffer, status int) {
	out.WriteString("HTTP/1.1 ")
	out.WriteString(strconv.Itoa(status))
	out.WriteByte(' ')
	out.WriteString(http.StatusText(status))
	out.WriteString("\r\n")
}

// writeHeader writes header lines as net/http does, without its sorting
// (order carries no meaning): names that are not tokens are left out, and
// line breaks inside values become spaces.
func writeHeader(out *bytes.Buffer, h http.Header) {
	for k, vs := range h {
		if !token(k) {
			continue
		}
		for _, v := range vs {
			out.WriteString(k)
			out.WriteString(": ")
			start := out.Len()
			out.WriteString(strings.TrimSpace(v))
			for i, b := range out.Bytes()[start:] {
				if b == '\r' || b == '\n' {
					out.Bytes()[start+i] = ' '
				}
			}
			out.WriteString("\r\n")
		}
	}
}

// token reports whether s is a valid header field name.
func token(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b <= ' ' || b >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, b) >= 0 {
			return false
		}
	}
	return true
}

// handedConn is a connection net/http takes over, starting with the bytes
// the fast path had read.
type handedConn struct {
	net.Conn
	head []byte        // unread
	in   *bufio.Reader // then this, until drained; nil after
}

// Read drops the fast path's buffers once drained, so a connection held
// long (a live blog's stream) keeps none of their memory.
func (c *handedConn) Read(p []byte) (int, error) {
	if len(c.head) > 0 {
		n := copy(p, c.head)
		if c.head = c.head[n:]; len(c.head) == 0 {
			c.head = nil
		}
		return n, nil
	}
	if c.in != nil {
		if c.in.Buffered() > 0 {
			return c.in.Read(p)
		}
		c.in = nil
	}
	return c.Conn.Read(p)
}

// CloseWrite lets net/http half-close, so a client reads an error answer
// before the connection goes.
func (c *handedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// ReadFrom keeps sendfile for media files.
func (c *handedConn) ReadFrom(r io.Reader) (int64, error) { return io.Copy(c.Conn, r) }

// handoffListener is how connections reach net/http's Serve.
type handoffListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
	addr  net.Addr
}

func (l *handoffListener) give(c net.Conn) bool {
	select {
	case l.conns <- c:
		return true
	case <-l.done:
		return false
	}
}

func (l *handoffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *handoffListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *handoffListener) Addr() net.Addr { return l.addr }
