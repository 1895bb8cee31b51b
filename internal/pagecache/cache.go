// Package pagecache keeps finished HTTP responses in memory, ready to send,
// and forgets exactly the ones a change makes wrong.
//
// Each page is kept under a key (the request it answers) with the names of
// what it shows, its dependencies ("article:2026/11/24/slug", "section:sport",
// "site" …). Invalidate drops every page that depends on a name; Flush
// drops all. Memory is bounded by bytes, least recently used pages going
// first, and every page also expires after a maximum age, which bounds how
// stale anything no dependency names (a "related stories" box, a comment
// count in a listing) can get.
//
// A page rendered while a change it depends on was being applied must not
// be kept: callers take Epoch before they start rendering and pass it to
// Put, which refuses the page when one of its dependencies was invalidated
// since. Lead lets one request render a missing page while others asking
// for the same key wait for it, so a popular page that was just dropped is
// rendered once, not once per waiting reader.
//
// Pages asked for repeatedly are compressed again with brotli in the
// background; until then they are sent gzipped (or as they are).
package pagecache

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// DepAll is the dependency every page has: invalidating it is Flush.
const DepAll = "all"

// Cache is a memory-bounded page cache. The zero value is not usable; call New.
type Cache struct {
	maxBytes int64
	maxAge   time.Duration
	now      func() time.Time

	mu      sync.Mutex
	used    int64
	entries map[string]*entry
	lru     list.List // of *entry, most recently used at the front
	byDep   map[string]map[*entry]struct{}
	epoch   uint64
	recent  []invalidation // ring of the latest invalidations
	next    int            // where the ring writes next
	flights map[string]chan struct{}

	compress chan *entry
	working  bool // a background compressor is running
}

type entry struct {
	key     string
	page    *Page
	deps    []string
	expires time.Time
	size    int64
	elem    *list.Element
}

type invalidation struct {
	epoch uint64
	dep   string
}

// ringSize is how many invalidations Put can look back over; a render that
// began longer ago than that is not kept.
const ringSize = 1024

// promoteAfter is how many hits make a page worth brotli.
const promoteAfter = 3

// New returns a cache holding up to maxBytes of pages, each for at most maxAge.
func New(maxBytes int64, maxAge time.Duration) *Cache {
	return &Cache{
		maxBytes: maxBytes,
		maxAge:   maxAge,
		now:      time.Now,
		entries:  map[string]*entry{},
		byDep:    map[string]map[*entry]struct{}{},
		recent:   make([]invalidation, 0, ringSize),
		flights:  map[string]chan struct{}{},
		compress: make(chan *entry, 64),
	}
}

// Get returns the page kept under key, or nil.
func (c *Cache) Get(key string) *Page {
	c.mu.Lock()
	e := c.entries[key]
	if e == nil {
		c.mu.Unlock()
		return nil
	}
	if c.now().After(e.expires) {
		c.remove(e)
		c.mu.Unlock()
		return nil
	}
	c.lru.MoveToFront(e.elem)
	c.mu.Unlock()
	if e.page.hits.Add(1) == promoteAfter && e.page.gzip != nil {
		c.promote(e)
	}
	return e.page
}

// Epoch is the cache's invalidation counter; take it before rendering a page
// that will be given to Put.
func (c *Cache) Epoch() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// Put keeps page under key with its dependencies, unless one of them (or
// everything) was invalidated after epoch since, or the page alone is larger
// than a quarter of the cache. It reports whether the page was kept.
func (c *Cache) Put(key string, page *Page, deps []string, since uint64) bool {
	size := page.Size() + int64(len(key))
	for _, d := range deps {
		size += int64(len(d)) + 48
	}
	if size > c.maxBytes/4 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.invalidatedSince(since, deps) {
		return false
	}
	if old := c.entries[key]; old != nil {
		c.remove(old)
	}
	e := &entry{key: key, page: page, deps: deps, expires: c.now().Add(c.maxAge), size: size}
	e.elem = c.lru.PushFront(e)
	c.entries[key] = e
	for _, d := range deps {
		set := c.byDep[d]
		if set == nil {
			set = map[*entry]struct{}{}
			c.byDep[d] = set
		}
		set[e] = struct{}{}
	}
	c.used += size
	c.evict()
	return true
}

// invalidatedSince reports whether any of deps, or everything, was
// invalidated after epoch since. c.mu is held.
func (c *Cache) invalidatedSince(since uint64, deps []string) bool {
	if since == c.epoch {
		return false
	}
	if c.epoch-since > uint64(len(c.recent)) {
		return true // too long ago to tell
	}
	for _, inv := range c.recent {
		if inv.epoch <= since {
			continue
		}
		if inv.dep == DepAll {
			return true
		}
		for _, d := range deps {
			if d == inv.dep {
				return true
			}
		}
	}
	return false
}

// Invalidate drops every page that depends on any of deps; DepAll drops all.
func (c *Cache) Invalidate(deps ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range deps {
		c.epoch++
		inv := invalidation{epoch: c.epoch, dep: d}
		if len(c.recent) < ringSize {
			c.recent = append(c.recent, inv)
		} else {
			c.recent[c.next] = inv
		}
		c.next = (c.next + 1) % ringSize
		if d == DepAll {
			c.entries = map[string]*entry{}
			c.byDep = map[string]map[*entry]struct{}{}
			c.lru.Init()
			c.used = 0
			continue
		}
		for e := range c.byDep[d] {
			c.remove(e)
		}
	}
}

// Flush drops every page.
func (c *Cache) Flush() { c.Invalidate(DepAll) }

// Stats reports the number of pages kept and the bytes they use.
func (c *Cache) Stats() (pages int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.used
}

// remove forgets e. c.mu is held.
func (c *Cache) remove(e *entry) {
	if c.entries[e.key] != e {
		return
	}
	delete(c.entries, e.key)
	c.lru.Remove(e.elem)
	for _, d := range e.deps {
		if set := c.byDep[d]; set != nil {
			delete(set, e)
			if len(set) == 0 {
				delete(c.byDep, d)
			}
		}
	}
	c.used -= e.size
}

// evict drops least recently used pages until the cache fits. c.mu is held.
func (c *Cache) evict() {
	for c.used > c.maxBytes {
		back := c.lru.Back()
		if back == nil {
			return
		}
		c.remove(back.Value.(*entry))
	}
}

// Lead arranges for one caller at a time to render the page for key. The
// first caller gets leader true and must call done when it has finished
// (kept the page or not). Later callers wait until then, or until ctx ends,
// and get leader false: they should look the page up again, and render it
// themselves if it still is not there.
func (c *Cache) Lead(ctx context.Context, key string) (done func(), leader bool) {
	c.mu.Lock()
	if wait, ok := c.flights[key]; ok {
		c.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
		}
		return func() {}, false
	}
	ch := make(chan struct{})
	c.flights[key] = ch
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		delete(c.flights, key)
		c.mu.Unlock()
		close(ch)
	}, true
}

// promote queues a popular page for brotli, if the queue has room.
func (c *Cache) promote(e *entry) {
	select {
	case c.compress <- e:
	default:
		return
	}
	c.mu.Lock()
	start := !c.working
	c.working = true
	c.mu.Unlock()
	if start {
		go c.compressor()
	}
}

// compressor brotli-compresses queued pages, one at a time so it never takes
// more than one core from serving, and stops when the queue is empty.
func (c *Cache) compressor() {
	for {
		var e *entry
		select {
		case e = <-c.compress:
		default:
			c.mu.Lock()
			select {
			case e = <-c.compress:
				c.mu.Unlock()
			default:
				c.working = false
				c.mu.Unlock()
				return
			}
		}
		if e.page.brotli.Load() != nil {
			continue
		}
		br := brotliBytes(e.page.Body)
		c.mu.Lock()
		if c.entries[e.key] == e {
			e.page.brotli.Store(&br)
			grow := int64(len(br))
			e.size += grow
			c.used += grow
			c.evict()
		}
		c.mu.Unlock()
	}
}
