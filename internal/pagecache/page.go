package pagecache

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
)

// Page is a finished response held as bytes ready to send: the body as
// rendered, gzipped, and (once the page has proved popular) brotli-compressed,
// with its validators and header values prepared once.
type Page struct {
	Status       int
	ContentType  string
	CacheControl string
	LastModified time.Time
	Body         []byte

	gzip   []byte
	brotli atomic.Pointer[[]byte]
	hits   atomic.Int32

	etag                 string // of Body, quoted, without the encoding suffix
	hType, hCache, hMod  []string
	hCSP                 []string // nil: the site's usual policy
	hVary                []string
	hTag, hTagGz, hTagBr []string
	hLen, hLenGz         []string

	heads [4 * encodings]atomic.Pointer[[]byte] // see Prepared
}

// castagnoli is CRC-32C's table (the CPU computes it in hardware).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// bodyTag is what a body's ETag is made of: its CRC-32C and its IEEE
// CRC-32, both computed in hardware (SSE 4.2, carry-less multiply) at
// several bytes a cycle. FNV-1a, one multiply a byte, took 27 µs of an
// uncached article's render for its 20 KB.
func bodyTag(body []byte) uint64 {
	return uint64(crc32.Checksum(body, castagnoli))<<32 | uint64(crc32.ChecksumIEEE(body))
}

// NewPage prepares a response for sending (and perhaps keeping). It takes
// body as its own.
func NewPage(status int, contentType, cacheControl string, lastModified time.Time, body []byte) *Page {
	body = fitted(body)
	etag := hex.EncodeToString(binary.BigEndian.AppendUint64(nil, bodyTag(body)))
	p := &Page{Status: status, ContentType: contentType, CacheControl: cacheControl, LastModified: lastModified, Body: body,
		etag:   etag,
		hType:  []string{contentType},
		hCache: []string{cacheControl},
		hVary:  []string{"Accept-Encoding"},
		hTag:   []string{`"` + etag + `"`},
		hTagGz: []string{`"` + etag + `-gzip"`},
		hTagBr: []string{`"` + etag + `-br"`},
		hLen:   []string{strconv.Itoa(len(body))},
	}
	if !lastModified.IsZero() {
		p.hMod = []string{lastModified.UTC().Format(http.TimeFormat)}
	}
	return p
}

// SetContentSecurityPolicy gives the page a policy of its own (an article
// with embeds allows their frames), sent instead of the site's usual one
// whenever the page is, from the cache too. Call it before the page is
// kept or served.
func (p *Page) SetContentSecurityPolicy(policy string) { p.hCSP = []string{policy} }

// VaryOnAccept says the page's URL answers differently by Accept (an
// ActivityStreams document for the fediverse), so that shared caches keep
// the two apart. Call it before the page is kept or served.
func (p *Page) VaryOnAccept() { p.hVary = []string{"Accept, Accept-Encoding"} }

// Size is what the page costs to keep, roughly, in bytes.
func (p *Page) Size() int64 {
	n := int64(cap(p.Body) + cap(p.gzip) + 512)
	if p.hCSP != nil {
		n += int64(len(p.hCSP[0]))
	}
	if br := p.brotli.Load(); br != nil {
		n += int64(cap(*br))
	}
	return n
}

// fitted is b in memory of its own size when the buffer it was written
// into has much more room (a buffer grows by doubling): the cache's pages
// held a third more than their bytes, outgrew its budget, and the
// collector, held to the soft memory limit, ran after every few renders.
// A quarter to spare is kept rather than copied.
func fitted(b []byte) []byte {
	if cap(b)-len(b) <= len(b)/4 {
		return b
	}
	return bytes.Clone(b)
}

// ETag is the page's validator for its uncompressed body.
func (p *Page) ETag() string { return p.hTag[0] }

// minCompress is the smallest body worth compressing.
const minCompress = 1024

// Gzip compresses the body once (a no-op for small bodies or when done).
func (p *Page) Gzip() {
	if p.gzip != nil || len(p.Body) < minCompress {
		return
	}
	p.gzip = gzipBytes(p.Body)
	p.hLenGz = []string{strconv.Itoa(len(p.gzip))}
}

// Compress makes both encodings at once, for a body that never changes and
// is asked for on every first visit (the site's stylesheet and scripts).
func (p *Page) Compress() {
	p.Gzip()
	if p.gzip != nil && p.brotli.Load() == nil {
		br := brotliBytes(p.Body)
		p.brotli.Store(&br)
	}
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return w
}}

func gzipBytes(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body) / 3)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	_, _ = zw.Write(body)
	_ = zw.Close()
	gzipWriters.Put(zw)
	return fitted(buf.Bytes())
}

// brotliQuality is the encoder's best: it is slow (tens of milliseconds for
// an article), so it runs in the background, and only for pages that are
// asked for again and again, where the smaller transfer pays.
const brotliQuality = 11

func brotliBytes(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body) / 4)
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotliQuality, LGWin: 22})
	_, _ = w.Write(body)
	_ = w.Close()
	return fitted(buf.Bytes())
}

// Serve sends the page: the best encoding the client accepts, validators,
// and 304 Not Modified when the client's copy is current. A HEAD request
// gets the headers alone.
func (p *Page) Serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = p.hType
	h["Cache-Control"] = p.hCache
	h["Vary"] = p.hVary
	if p.hCSP != nil {
		h["Content-Security-Policy"] = p.hCSP
	}
	cacheable := p.Status == http.StatusOK
	if cacheable && p.hMod != nil {
		h["Last-Modified"] = p.hMod
	}
	enc, br := p.encoding(r)
	body, tag, length := p.Body, p.hTag, p.hLen
	switch enc {
	case encodingBrotli:
		body, tag, length = br, p.hTagBr, []string{strconv.Itoa(len(br))}
		h["Content-Encoding"] = encBr
	case encodingGzip:
		body, tag, length = p.gzip, p.hTagGz, p.hLenGz
		h["Content-Encoding"] = encGzip
	}
	if cacheable {
		h["Etag"] = tag
		if p.notModified(r) {
			delete(h, "Content-Encoding")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h["Content-Length"] = length
	w.WriteHeader(p.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// The encodings a page is sent in.
const (
	encodingIdentity = iota
	encodingGzip
	encodingBrotli
	encodings
)

// encoding is the best encoding of the page r accepts, and the brotli body
// when that is it.
func (p *Page) encoding(r *http.Request) (int, []byte) {
	if p.gzip == nil {
		return encodingIdentity, nil
	}
	enc := r.Header.Get("Accept-Encoding")
	if br := p.brotli.Load(); br != nil && accepts(enc, "br") {
		return encodingBrotli, *br
	}
	if accepts(enc, "gzip") {
		return encodingGzip, nil
	}
	return encodingIdentity, nil
}

// Prepared is how the fast path (package fastpath) sends a kept page
// without running a handler: the body Serve would send r, the entity tag
// it would send with it, and the slot that keeps the status line and
// headers the first such answer had (package fastpath fills it). One slot
// per way of answering — each encoding, whole or Not Modified, over HTTP
// or HTTPS (which adds a header) — so a slot's head fits every request
// that reaches it. ok is false for a page the cache should not answer
// this way (not a 200).
func (p *Page) Prepared(r *http.Request, https bool) (body []byte, etag string, head *atomic.Pointer[[]byte], ok bool) {
	if p.Status != http.StatusOK {
		return nil, "", nil, false
	}
	enc, br := p.encoding(r)
	slot := enc
	switch enc {
	case encodingIdentity:
		body, etag = p.Body, p.hTag[0]
	case encodingGzip:
		body, etag = p.gzip, p.hTagGz[0]
	case encodingBrotli:
		body, etag = br, p.hTagBr[0]
	}
	if p.notModified(r) {
		body, slot = nil, slot+encodings
	}
	if https {
		slot += 2 * encodings
	}
	return body, etag, &p.heads[slot], true
}

var (
	encBr   = []string{"br"}
	encGzip = []string{"gzip"}
)

// notModified reports whether the client's copy is current. Every encoding
// of the page carries the same content, so a tag of any of them matches.
func (p *Page) notModified(r *http.Request) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, candidate := range strings.Split(inm, ",") {
			candidate = strings.TrimPrefix(strings.TrimSpace(candidate), "W/")
			if candidate == "*" {
				return true
			}
			tag := strings.Trim(candidate, `"`)
			tag = strings.TrimSuffix(strings.TrimSuffix(tag, "-gzip"), "-br")
			if tag == p.etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !p.LastModified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !p.LastModified.Truncate(time.Second).After(t)
	}
	return false
}

// AcceptsGzip reports whether the request accepts a gzipped response.
func AcceptsGzip(r *http.Request) bool { return accepts(r.Header.Get("Accept-Encoding"), "gzip") }

// accepts reports whether an Accept-Encoding header value names coding with
// a non-zero quality.
func accepts(header, coding string) bool {
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ",")
		name, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		q := strings.TrimSpace(params)
		if v, ok := strings.CutPrefix(q, "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			return err == nil && f > 0
		}
		return true
	}
	return false
}
