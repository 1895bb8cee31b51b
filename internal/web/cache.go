package web

// The page cache.
//
// Published pages — front page, articles, section/tag/author listings,
// feeds, sitemaps — are rendered once and then sent from memory as prebuilt
// bytes (plain, gzip, and brotli once popular). The cache sits in two
// places only: cached() in front of the routes looks a request up, and
// write() in respond.go keeps what a handler produced. Handlers know
// nothing of it.
//
// What a page depends on follows from its route: an article page on its
// path, a listing or its feed on the section, tag or author slug, and every
// other page on "site". The store's change log (store.Change) names the
// same things, written by triggers in the writing transaction, so the cache
// drops exactly what a write made wrong: publishing or editing an article
// drops it, its neighbours, its listings and the site-wide pages; an
// approved comment drops its article alone.
//
// The cache follows the log on the request path (changeFollower, in
// follow.go, which the site memo shares): on every request after a commit
// through this process's store (a commit hook says so), otherwise at most
// every Config.CachePoll, so writes by other processes or instances
// sharing the database show within that time.
//
// Never kept: anything but GET and HEAD, search results, responses other
// than 200, and responses marked private or no-store (a reader's own
// pending comment, the account pages); requests carrying the
// pending-comment cookie are never answered from the cache, nor are
// article pages asked for with a reader's session cookie (their comment
// form names the reader). Every other page is the same for a signed-in
// reader as for anyone, and is served from the cache.

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"masthead/internal/activitypub"
	"masthead/internal/edge"
	"masthead/internal/pagecache"
	"masthead/internal/store"
)

// changeLog is what the cache and the memo read of the store's change log.
type changeLog interface {
	LatestChange(ctx context.Context) (int64, error)
	ChangesSince(ctx context.Context, after int64, limit int) ([]store.Change, bool, error)
	OnCommit(ctx context.Context, fn func()) error
}

// Cache defaults, used when Config leaves them zero.
const (
	DefaultCacheBytes = 64 << 20
	DefaultCacheAge   = 10 * time.Minute
	DefaultCachePoll  = 100 * time.Millisecond
)

type pageCache struct {
	pages *pagecache.Cache

	forgetMu sync.Mutex
	forget   map[time.Time]*time.Timer // pending flushes, by when
}

func newPageCache(maxBytes int64, maxAge time.Duration) *pageCache {
	return &pageCache{pages: pagecache.New(maxBytes, maxAge)}
}

// apply drops the pages the changes made wrong; nil changes: every page.
func (pc *pageCache) apply(changes []store.Change) {
	if changes == nil {
		pc.pages.Flush()
		return
	}
	deps := make([]string, 0, len(changes))
	for _, c := range changes {
		deps = append(deps, changeDep(c))
	}
	pc.pages.Invalidate(deps...)
}

// changeDep is the cache dependency a change names.
func changeDep(c store.Change) string {
	switch c.Kind {
	case store.ChangeSite:
		return depSite
	case store.ChangeArticle, store.ChangeSection, store.ChangeTag, store.ChangeAuthor:
		return string(c.Kind) + ":" + c.Ref
	}
	return pagecache.DepAll // "all", and any kind this version does not know
}

const depSite = "site"

// cacheKey is what a request is kept under, and whether it may be answered
// from the cache at all. Only the query parameters pages read are part of
// the key, so tracking parameters do not multiply copies.
func cacheKey(r *http.Request) (string, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return "", false
	}
	if accept, ok := r.Header["Accept"]; ok && len(accept) > 0 && activitypub.WantsActivity(accept[0]) {
		return "", false // the ActivityStreams document (package federation), never the page
	}
	path := r.URL.Path
	if path == "/search" || path == "/healthz" || strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/account") ||
		strings.HasPrefix(path, "/live/") {
		return "", false
	}
	if _, ok := r.Header["Cookie"]; ok {
		if c, err := r.Cookie(pendingCookie); err == nil && c.Value != "" {
			return "", false // shows the reader's own comments awaiting moderation
		}
		if isArticlePath(path) && hasReaderCookie(r) {
			return "", false // the comment form of a signed-in reader
		}
	}
	key := path
	if r.URL.RawQuery == "" {
		return key, true
	}
	q := r.URL.Query()
	if q.Get("q") != "" {
		return "", false // a search (the quote search on /people): its words are endless
	}
	if v := q.Get("page"); v != "" {
		key += "?page=" + v
	}
	if v := q.Get("replyto"); v != "" {
		key += "?replyto=" + v
	}
	if v := q.Get("from"); v != "" {
		key += "?from=" + v // a live blog's older entries
	}
	return key, true
}

// isArticlePath reports, cheaply and before routing, whether path has the
// shape of an article's (/YYYY/MM/DD/slug).
func isArticlePath(path string) bool {
	if len(path) < 13 || path[0] != '/' || path[5] != '/' || path[8] != '/' || path[11] != '/' {
		return false
	}
	for _, i := range []int{1, 2, 3, 4, 6, 7, 9, 10} {
		if path[i] < '0' || path[i] > '9' {
			return false
		}
	}
	return !strings.Contains(path[12:], "/")
}

// pageDeps names what the page answering r shows, from its route.
func pageDeps(r *http.Request) []string {
	if y := r.PathValue("year"); y != "" {
		return []string{"article:" + y + "/" + r.PathValue("month") + "/" + r.PathValue("day") + "/" + r.PathValue("slug")}
	}
	if slug := r.PathValue("slug"); slug != "" {
		kind, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		switch kind {
		case "section", "tag", "author":
			return []string{kind + ":" + slug}
		}
	}
	return []string{depSite}
}

// CachedAnswer is how the fast path (package fastpath) sends the page the
// cache holds for r as it stands, without a handler: see
// pagecache.Page.Prepared. ok is false when the cache cannot answer r, or
// when r's query holds more than the page's key (a WordPress link to
// "/?p=123" is redirected before the cache is asked). A page of the site's
// own that the cache does not hold yet is ok with nothing to send: the fast
// path has the handler render it (and the cache keep it), so that a
// keep-alive connection — a reverse proxy's, above all — stays on the fast
// path through every publication that empties the cache, rather than
// going to net/http at its first miss for good.
func (s *Server) CachedAnswer(r *http.Request) (body []byte, etag string, head *atomic.Pointer[[]byte], ok bool) {
	if s.cache == nil {
		return nil, "", nil, false
	}
	key, ok := cacheKey(r)
	if !ok || !keyedQuery(r.URL.RawQuery) {
		return nil, "", nil, false
	}
	s.changes.follow(r.Context())
	p := s.cache.pages.Get(key)
	if p == nil {
		return nil, "", nil, renderedPage(r.URL.Path)
	}
	return p.Prepared(r, edge.IsHTTPS(r, s.cfg.TrustProxy))
}

// renderedPage reports whether path is one of the pages the site renders
// in memory and the cache keeps: never a stream, a file or another
// surface's route.
func renderedPage(path string) bool {
	if path == "/" || isArticlePath(path) {
		return true
	}
	for _, prefix := range []string{"/section/", "/tag/", "/author/", "/authors", "/people", "/corrections", "/feed.", "/sitemap"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

// keyedQuery reports whether a query holds only parameters that are part
// of the cache key, each once.
func keyedQuery(raw string) bool {
	seen := 0
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		name, _, _ := strings.Cut(part, "=")
		bit := 0
		switch name {
		case "page":
			bit = 1
		case "replyto":
			bit = 2
		case "from":
			bit = 4
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
	}
	return true
}

// X-Cache tells load tests and curious operators whether the page cache
// answered.
var (
	cacheHit  = []string{"HIT"}
	cacheMiss = []string{"MISS"}
)

type fillKey struct{}

// fill travels with a request the cache could not answer, so that write()
// can keep the page the handler produces.
type fill struct {
	key   string
	since uint64
}

// cached answers requests from the page cache and arranges for misses to be
// kept.
func (s *Server) cached(next http.Handler) http.Handler {
	if s.cache == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := cacheKey(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		pc := s.cache
		s.changes.follow(r.Context())
		if p := pc.pages.Get(key); p != nil {
			w.Header()["X-Cache"] = cacheHit
			p.Serve(w, r)
			return
		}
		done, leader := pc.pages.Lead(r.Context(), key)
		defer done()
		if !leader {
			if p := pc.pages.Get(key); p != nil {
				w.Header()["X-Cache"] = cacheHit
				p.Serve(w, r)
				return
			}
		}
		w.Header()["X-Cache"] = cacheMiss
		f := &fill{key: key, since: pc.pages.Epoch()}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), fillKey{}, f)))
	})
}

// keep stores a freshly rendered page if the request asked for it and the
// page may be kept; it compresses what it keeps.
func (s *Server) keep(r *http.Request, p *pagecache.Page) bool {
	f, _ := r.Context().Value(fillKey{}).(*fill)
	if f == nil || s.cache == nil || p.Status != http.StatusOK ||
		strings.Contains(p.CacheControl, "private") || strings.Contains(p.CacheControl, "no-store") {
		return false
	}
	p.Gzip()
	return s.cache.pages.Put(f.key, p, pageDeps(r), f.since)
}

// forgetAt drops every page after wait, at when (once per when): for what
// stops showing without a write, the breaking-news banner's expiry. A page
// rendered before then and kept after it is refused by the epoch check.
func (c *pageCache) forgetAt(when time.Time, wait time.Duration) {
	c.forgetMu.Lock()
	defer c.forgetMu.Unlock()
	if _, ok := c.forget[when]; ok {
		return
	}
	if c.forget == nil {
		c.forget = map[time.Time]*time.Timer{}
	}
	c.forget[when] = time.AfterFunc(max(wait, 0), func() {
		c.pages.Flush()
		c.forgetMu.Lock()
		delete(c.forget, when)
		c.forgetMu.Unlock()
	})
}
