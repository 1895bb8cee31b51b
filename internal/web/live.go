package web

// Live blogs' push: GET /live/{id}/events is a Server-Sent Events stream of
// one blog's changes (a new, edited or deleted entry; the end of the
// coverage), one per open page.
//
// Every change carries its push sequence number (store.LiveChangesSince),
// sent as the event's id, so a browser that lost its stream reconnects with
// Last-Event-ID and is sent from the database whatever it missed; a page
// fresh from the cache connects with ?after= the number it was rendered at.
// One hub per process follows the numbers — at once after a commit through
// this process's store, after any instance's commit on PostgreSQL (NOTIFY,
// through the same hook), and otherwise every livePoll — and renders each
// change once for every stream of its blog. A stream too slow to keep up
// is ended: its browser reconnects and catches up from the database.
//
// An open stream costs its socket and a small struct: once its request has
// been answered with what the browser missed, the connection is taken
// from net/http and the hub's few writer goroutines write to it, so no
// goroutine (nor net/http's buffers) waits per reader.

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"masthead/internal/edge"
	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/render"
)

// Live stream defaults, used when Config leaves them zero. Every open page
// holds a stream (for the breaking-news banner), and one address may be a
// whole office or household behind NAT; a stream costs about a kilobyte
// and no goroutine, so the cap is there against hoarding, not for room.
const (
	DefaultLiveStreamsPerClient = 32
	DefaultLiveHeartbeat        = 20 * time.Second
)

const (
	livePoll         = 250 * time.Millisecond // when no commit hook says more
	liveBatch        = 500                    // changes read at once
	liveBacklog      = 64                     // events a stream may fall behind by
	liveRetry        = 3000                   // ms a browser waits before reconnecting
	liveHookTries    = 5                      // reads after a hook, which fires just before its commit lands
	liveWriters      = 64                     // goroutines writing events to streams, at most
	liveWriteTimeout = 5 * time.Second        // a stream that takes longer to take a write is ended
	liveProbe        = 5 * time.Millisecond   // how long closedByPeer waits for a read
)

// liveEvent is one change, ready to send: formatted once, written as it
// is to every stream.
type liveEvent struct {
	seq   int64  // 0: a heartbeat
	wire  []byte // the event as the stream carries it
	close bool   // the blog closed: the stream ends after this
}

// newLiveEvent formats an event named name ("entry", "closed", "breaking").
func newLiveEvent(seq int64, name string, data []byte) liveEvent {
	return liveEvent{seq: seq, wire: fmt.Appendf(nil, "id: %d\nevent: %s\ndata: %s\n\n", seq, name, data)}
}

// liveHeartbeat is the comment idle streams are sent, for proxies.
const liveHeartbeat = ": heartbeat\n\n"

// liveConn is one open stream. Once its handler has sent the headers and
// what the browser missed, it takes the connection from net/http and hands
// it to the hub, and its goroutine ends: an open stream is this struct and
// its socket, and nothing reads it (a reader gone is found by the next
// write, a heartbeat at the latest).
type liveConn struct {
	article int64
	client  string

	// Guarded by the hub's mu.
	conn  net.Conn     // nil until handed over
	queue []*liveEvent // to write; shared events, never changed
	busy  bool         // with its handler, waiting for a writer or being written
	dead  bool         // left the hub

	sent int64 // the last event's number written; its writer's (or handler's) alone
}

// write sends evs the stream has not had; end is true when the stream is
// over (the blog closed) or cannot take them.
func (c *liveConn) write(evs []*liveEvent, timeout time.Duration) (end bool) {
	for _, ev := range evs {
		if ev.seq != 0 && ev.seq <= c.sent {
			continue // had it already
		}
		if ev.seq != 0 {
			c.sent = ev.seq
		}
		// A deadline per write: a reader that stopped reading holds one
		// writer for a while, never the others; its browser reconnects
		// and catches up from the database.
		if c.conn.SetWriteDeadline(time.Now().Add(timeout)) != nil {
			return true
		}
		if _, err := c.conn.Write(ev.wire); err != nil || ev.close {
			return true
		}
	}
	return false
}

type liveHub struct {
	site         *Server
	perClient    int
	heartbeat    time.Duration
	writeTimeout time.Duration
	wake         chan struct{}

	mu      sync.Mutex
	streams map[int64]map[*liveConn]struct{}  // by article id
	clients map[string]map[*liveConn]struct{} // by client address
	ready   []*liveConn                       // streams with events to write, oldest first
	writers int                               // goroutines writing them
	writing int                               // of which in a write
	running bool
	closed  bool
	cursor  int64 // last sequence number handed out
}

func newLiveHub(site *Server, perClient int, heartbeat time.Duration) *liveHub {
	return &liveHub{site: site, perClient: perClient, heartbeat: heartbeat, writeTimeout: liveWriteTimeout, wake: make(chan struct{}, 1),
		streams: map[int64]map[*liveConn]struct{}{}, clients: map[string]map[*liveConn]struct{}{}}
}

// poke says a commit happened; it never blocks.
func (h *liveHub) poke() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

var errTooManyStreams = errors.New("too many streams")

// join opens a stream on a blog for client, held by its handler until
// handOver. The first stream starts the hub's loop, from the newest
// sequence number.
func (h *liveHub) join(ctx context.Context, articleID int64, client string) (*liveConn, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errors.New("live streams are closed")
	}
	if len(h.clients[client]) >= h.perClient {
		h.dropGone(client)
		if h.closed {
			return nil, errors.New("live streams are closed")
		}
		if len(h.clients[client]) >= h.perClient {
			return nil, errTooManyStreams
		}
	}
	if !h.running {
		cursor, err := h.site.store.LatestLiveSeq(ctx)
		if err != nil {
			return nil, err
		}
		h.cursor, h.running = cursor, true
		go h.run()
	}
	c := &liveConn{article: articleID, client: client, busy: true}
	if h.streams[articleID] == nil {
		h.streams[articleID] = map[*liveConn]struct{}{}
	}
	h.streams[articleID][c] = struct{}{}
	if h.clients[client] == nil {
		h.clients[client] = map[*liveConn]struct{}{}
	}
	h.clients[client][c] = struct{}{}
	return c, nil
}

// dropGone ends client's streams whose browsers closed them (a reload, a
// page left), which the hub would otherwise find only at their next
// writes; h.mu is held, and let go meanwhile.
func (h *liveHub) dropGone(client string) {
	type open struct {
		c    *liveConn
		conn net.Conn
	}
	var conns []open
	for c := range h.clients[client] {
		if c.conn != nil {
			conns = append(conns, open{c, c.conn})
		}
	}
	h.mu.Unlock()
	var gone []*liveConn
	for _, o := range conns {
		if closedByPeer(o.conn) {
			gone = append(gone, o.c)
		}
	}
	h.mu.Lock()
	for _, c := range gone {
		h.remove(c)
	}
}

// closedByPeer reports whether conn's other end closed it: nothing is
// read from a stream, so a read that waits a moment finds its end at once,
// or times out while the browser is there.
func closedByPeer(conn net.Conn) bool {
	if conn.SetReadDeadline(time.Now().Add(liveProbe)) != nil {
		return true
	}
	var b [1]byte
	_, err := conn.Read(b[:])
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// handOver gives the hub a stream's connection, the handler done with it
// (having sent up to c.sent).
func (h *liveHub) handOver(c *liveConn, conn net.Conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.dead { // fell behind meanwhile, or the hub closed
		conn.Close()
		return
	}
	c.conn, c.busy = conn, false
	if len(c.queue) > 0 {
		h.schedule(c)
	}
}

// leave closes a stream.
func (h *liveHub) leave(c *liveConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.remove(c)
}

// remove ends a stream, closing its connection; h.mu is held.
func (h *liveHub) remove(c *liveConn) {
	if c.dead {
		return
	}
	c.dead, c.queue = true, nil
	if c.conn != nil {
		c.conn.Close() // a write under way fails
	}
	delete(h.streams[c.article], c)
	if len(h.streams[c.article]) == 0 {
		delete(h.streams, c.article)
	}
	delete(h.clients[c.client], c)
	if len(h.clients[c.client]) == 0 {
		delete(h.clients, c.client)
	}
}

// close ends every stream; no new ones open.
func (h *liveHub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, set := range h.streams {
		for c := range set {
			h.remove(c)
		}
	}
	h.poke()
}

// run hands out changes, and heartbeats, while any stream is open.
func (h *liveHub) run() {
	tick := time.NewTicker(livePoll)
	defer tick.Stop()
	beat := time.NewTicker(h.heartbeat)
	defer beat.Stop()
	heartbeat := &liveEvent{wire: []byte(liveHeartbeat)}
	for {
		hooked := false
		select {
		case <-h.wake:
			hooked = true
		case <-tick.C:
		case <-beat.C:
			h.sendAll(heartbeat)
			continue
		}
		h.mu.Lock()
		if len(h.streams) == 0 {
			h.running = false
			h.mu.Unlock()
			return
		}
		h.mu.Unlock()
		for try := 0; ; try++ {
			found, err := h.dispatch()
			if err != nil {
				h.site.log.Warn("live blogs: reading changes", "err", err)
			}
			if found || !hooked || try == liveHookTries {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// dispatch sends every change since the cursor to the streams of its blog.
func (h *liveHub) dispatch() (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	latest, err := h.site.store.LatestLiveSeq(ctx)
	if err != nil || latest <= h.cursor {
		return false, err
	}
	var lay *render.Layout
	for h.cursor < latest {
		changes, err := h.site.store.LiveChangesSince(ctx, 0, h.cursor, liveBatch)
		if err != nil {
			return true, err
		}
		if len(changes) == 0 {
			h.cursor = latest // numbers of unpublished articles' entries
			break
		}
		for _, c := range changes {
			h.mu.Lock()
			n := len(h.streams[c.ArticleID])
			if c.Breaking != nil {
				n = len(h.streams) // every page
			}
			h.mu.Unlock()
			if n == 0 {
				continue
			}
			if lay == nil {
				if lay, err = h.site.liveLayout(ctx); err != nil {
					return true, err
				}
			}
			ev, err := h.site.liveEvent(*lay, c)
			if err != nil {
				return true, err
			}
			if c.Breaking != nil {
				h.sendAll(&ev)
			} else {
				h.send(c.ArticleID, &ev)
			}
		}
		h.cursor = changes[len(changes)-1].Seq
	}
	return true, nil
}

// send queues ev for every stream of a blog; a stream whose backlog is
// full is ended, and catches up from the database when its browser
// reconnects.
func (h *liveHub) send(articleID int64, ev *liveEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sendLocked(articleID, ev)
}

func (h *liveHub) sendLocked(articleID int64, ev *liveEvent) {
	for c := range h.streams[articleID] {
		if len(c.queue) >= liveBacklog {
			h.remove(c)
			continue
		}
		c.queue = append(c.queue, ev)
		if !c.busy {
			h.schedule(c)
		}
	}
}

// sendAll queues ev for every stream, of every blog and of other pages.
func (h *liveHub) sendAll(ev *liveEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id := range h.streams {
		h.sendLocked(id, ev)
	}
}

// schedule puts a stream in line for a writer, starting one if fewer
// than the line are free (and fewer than liveWriters run); h.mu is held.
func (h *liveHub) schedule(c *liveConn) {
	c.busy = true
	h.ready = append(h.ready, c)
	if h.writers-h.writing < len(h.ready) && h.writers < liveWriters {
		h.writers++
		go h.writeReady()
	}
}

// writeReady writes streams' events until none wait.
func (h *liveHub) writeReady() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for len(h.ready) > 0 {
		c := h.ready[0]
		h.ready[0], h.ready = nil, h.ready[1:]
		if c.dead {
			continue
		}
		evs, timeout := c.queue, h.writeTimeout
		c.queue = nil
		h.writing++
		h.mu.Unlock()
		end := c.write(evs, timeout)
		h.mu.Lock()
		h.writing--
		switch {
		case end:
			h.remove(c)
		case len(c.queue) > 0:
			h.ready = append(h.ready, c)
		default:
			c.busy = false
		}
	}
	h.ready = nil // its array, which held every stream
	h.writers--
}

// liveLayout is what entries are rendered with outside a page: the site's
// dates.
func (s *Server) liveLayout(ctx context.Context) (*render.Layout, error) {
	pub, err := s.store.Publication(ctx)
	if err != nil {
		return nil, err
	}
	return &render.Layout{Site: pub, BaseURL: s.cfg.BaseURL}, nil
}

// livePush is an entry as the stream sends it: the page's script puts
// HTML in place of, or before, what it shows.
type livePush struct {
	ID     int64  `json:"id"`
	State  string `json:"state"` // new, updated, deleted
	Pinned bool   `json:"pinned,omitempty"`
	HTML   string `json:"html,omitempty"`
}

// liveEvent renders a change for the stream.
func (s *Server) liveEvent(lay render.Layout, c news.LiveChange) (liveEvent, error) {
	if c.Breaking != nil {
		return s.breakingEvent(c.Seq, c.Breaking)
	}
	if c.Closed || c.Entry == nil {
		ev := newLiveEvent(c.Seq, "closed", []byte("{}"))
		ev.close = true
		return ev, nil
	}
	e := c.Entry
	p := livePush{ID: e.ID, State: "new", Pinned: e.Pinned}
	switch {
	case e.Deleted():
		p.State = "deleted"
	case e.Updated():
		p.State = "updated"
	}
	if !e.Deleted() {
		view := liveEntryView{Layout: lay, Entry: e}
		body, err := s.render.RenderPart("article", "livepush", view)
		if err != nil {
			return liveEvent{}, err
		}
		p.HTML = string(body)
	}
	data, err := json.Marshal(p)
	if err != nil {
		return liveEvent{}, err
	}
	return newLiveEvent(c.Seq, "entry", data), nil
}

// breakingPush is the banner as the stream sends it: the HTML the page
// shows, "" when it shows none.
type breakingPush struct {
	HTML string `json:"html"`
}

// breakingEvent renders the banner for the stream, as it stands now.
func (s *Server) breakingEvent(seq int64, b *news.Breaking) (liveEvent, error) {
	var p breakingPush
	if b.ShownAt(s.desk.Now()) {
		body, err := s.render.RenderPart("article", "breaking", b)
		if err != nil {
			return liveEvent{}, err
		}
		p.HTML = string(body)
	}
	data, err := json.Marshal(p)
	if err != nil {
		return liveEvent{}, err
	}
	return newLiveEvent(seq, "breaking", data), nil
}

type liveEntryView struct {
	Layout render.Layout
	Entry  *news.LiveEntry
}

// liveEvents is GET /live/{id}/events: a published live blog's stream.
func (s *Server) liveEvents(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, news.ErrNotFound)
		return
	}
	blog, err := s.store.PublishedLiveBlog(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.stream(w, r, blog)
}

// siteEvents is GET /live/events: the stream of every other page, which
// carries the breaking-news banner only.
func (s *Server) siteEvents(w http.ResponseWriter, r *http.Request) { s.stream(w, r, nil) }

// stream sends a blog's changes (blog nil: the banner's alone) after the
// number the browser names, then as they come.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, blog *news.LiveBlog) {
	ctx := r.Context()
	after, err := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if err != nil {
		after, _ = strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	}
	if after < 0 {
		after = 0
	}
	var id int64
	if blog != nil {
		id = blog.ArticleID
	}
	client := edge.ClientIP(r, s.cfg.TrustProxy)
	c, err := s.live.join(ctx, id, client)
	if errors.Is(err, errTooManyStreams) {
		w.Header().Set("Retry-After", "30")
		s.fail(w, r, &edge.Error{Status: http.StatusTooManyRequests, Message: "Too many live pages are open from your address; close one and reload."})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	handed := false
	defer func() {
		if !handed {
			s.live.leave(c)
		}
	}()

	// What happened since the page (or the last event) the browser has.
	var missed []news.LiveChange
	if blog != nil {
		missed, err = s.store.LiveChangesSince(ctx, id, after, liveBatch)
	} else {
		missed, err = s.breakingSince(ctx, after)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if blog != nil && !blog.Live() && len(missed) == 0 {
		w.WriteHeader(http.StatusNoContent) // over: a browser does not reconnect
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass events on at once
	// No chunks: the body ends when the connection closes, so the hub can
	// write events to the connection as they are.
	h.Set("Transfer-Encoding", "identity")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := fmt.Fprintf(w, "retry: %d\n\n", liveRetry); err != nil {
		return
	}
	c.sent = after
	if len(missed) > 0 {
		lay, err := s.liveLayout(ctx)
		if err != nil {
			return
		}
		for _, ch := range missed {
			ev, err := s.liveEvent(*lay, ch)
			if err != nil {
				return
			}
			if ev.seq <= c.sent {
				continue // had it already
			}
			c.sent = ev.seq
			if _, err := w.Write(ev.wire); err != nil || ev.close {
				return
			}
		}
		if len(missed) == liveBatch {
			return // far behind: the browser reconnects for the rest
		}
	}
	if err := rc.Flush(); err != nil {
		return
	}
	// The hub writes from here; the request ends (and is logged) now.
	conn, _, err := rc.Hijack()
	if err != nil {
		return // not HTTP/1 (no such server here): the browser comes back for more
	}
	handed = true
	s.live.handOver(c, conn)
}

// breakingSince is the banner, when it changed after sequence number after.
func (s *Server) breakingSince(ctx context.Context, after int64) ([]news.LiveChange, error) {
	b, err := s.store.Breaking(ctx)
	if err != nil || b.Seq <= after {
		return nil, err
	}
	return []news.LiveChange{{Seq: b.Seq, Breaking: b}}, nil
}

// liveEntriesPerPage is how many entries a live blog's page shows; older
// ones are a link away (?from=), so a long blog stays fast.
const liveEntriesPerPage = 20

// liveKeyEvents is how many key events the page lists.
const liveKeyEvents = 50

// livePage is a live blog's part of its article's page.
type livePage struct {
	Blog      *news.LiveBlog
	Entries   news.LiveEntryPage
	KeyEvents []liveKeyEvent
	From      int64  // the page shows entries from this id down; 0: the newest
	Stream    string // the events URL for the page's script; "" once closed
}

type liveKeyEvent struct {
	Entry *news.LiveEntry
	Href  string // on this page, or the page that shows it
	Label string // its headline, or its first words
}

// livePage loads a's live blog for its page; nil when it has none.
func (s *Server) livePage(r *http.Request, a *news.Article) (*livePage, error) {
	ctx := r.Context()
	blog, err := s.store.PublishedLiveBlog(ctx, a.ID)
	if errors.Is(err, news.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// The number first: a change after it is pushed, even if the page
	// already shows it.
	seq, err := s.store.LatestLiveSeq(ctx)
	if err != nil {
		return nil, err
	}
	p := &livePage{Blog: blog}
	if v := r.URL.Query().Get("from"); v != "" {
		if p.From, err = strconv.ParseInt(v, 10, 64); err != nil || p.From <= 0 {
			return nil, news.ErrNotFound
		}
	}
	if p.From == 0 {
		if p.Entries.Pinned, err = s.store.LiveEntries(ctx, a.ID, 0, true, liveEntriesPerPage); err != nil {
			return nil, err
		}
	}
	entries, err := s.store.LiveEntries(ctx, a.ID, p.From, false, liveEntriesPerPage+1)
	if err != nil {
		return nil, err
	}
	if len(entries) > liveEntriesPerPage {
		entries = entries[:liveEntriesPerPage]
		p.Entries.Older = entries[len(entries)-1].ID - 1
	}
	p.Entries.Entries = entries
	shown := map[int64]bool{}
	for _, e := range append(p.Entries.Pinned, entries...) {
		shown[e.ID] = true
	}
	keys, err := s.store.LiveKeyEvents(ctx, a.ID, liveKeyEvents)
	if err != nil {
		return nil, err
	}
	for _, e := range keys {
		href := "#" + e.Anchor()
		if !shown[e.ID] {
			href = a.URLPath() + "?from=" + strconv.FormatInt(e.ID, 10) + href
			if e.Pinned {
				href = a.URLPath() + "#" + e.Anchor()
			}
		}
		label := e.Headline
		if label == "" {
			label = headlineOf(markup.Text(e.BodyHTML))
		}
		p.KeyEvents = append(p.KeyEvents, liveKeyEvent{Entry: e, Href: href, Label: label})
	}
	if blog.Live() && p.From == 0 {
		p.Stream = "/live/" + strconv.FormatInt(a.ID, 10) + "/events?after=" + strconv.FormatInt(seq, 10)
	}
	return p, nil
}

// modified is when anything the page shows of the blog last changed (a
// deletion aside, which the page's ETag tells).
func (p *livePage) modified() time.Time {
	if p == nil {
		return time.Time{}
	}
	t := latest(p.Blog.StartedAt, p.Blog.ClosedAt)
	for _, e := range append(p.Entries.Pinned, p.Entries.Entries...) {
		t = latest(t, e.CreatedAt, e.UpdatedAt)
	}
	return t
}

// html is every entry's HTML on the page, for what it embeds.
func (p *livePage) html() string {
	if p == nil {
		return ""
	}
	var out []byte
	for _, e := range append(p.Entries.Pinned, p.Entries.Entries...) {
		out = append(out, e.BodyHTML...)
	}
	return string(out)
}

// liveFeed is GET /YYYY/MM/DD/slug/live.atom: a live blog's entries as an
// Atom feed, newest first, for feed readers and newsroom tools.
func (s *Server) liveFeed(r *http.Request) (*page, error) {
	ctx := r.Context()
	path, ok := articlePath(r)
	if !ok {
		return nil, news.ErrNotFound
	}
	a, err := s.store.PublishedArticle(ctx, path)
	if err != nil {
		return nil, err
	}
	blog, err := s.store.PublishedLiveBlog(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	pub, err := s.store.Publication(ctx)
	if err != nil {
		return nil, err
	}
	pinned, err := s.store.LiveEntries(ctx, a.ID, 0, true, feedSize)
	if err != nil {
		return nil, err
	}
	rest, err := s.store.LiveEntries(ctx, a.ID, 0, false, feedSize)
	if err != nil {
		return nil, err
	}
	entries := append(pinned, rest...)
	slices.SortFunc(entries, func(x, y *news.LiveEntry) int { return cmp.Compare(y.ID, x.ID) })
	entries = entries[:min(len(entries), feedSize)]

	updated := blog.StartedAt
	for _, e := range entries {
		updated = latest(updated, e.CreatedAt, e.UpdatedAt)
	}
	updated = latest(updated, blog.ClosedAt)
	home, self := s.abs(a.URLPath()), s.abs(r.URL.Path)
	f := atomFeed{Lang: pub.Language, Title: a.Headline + " | " + pub.Name, Subtitle: a.Standfirst, ID: self, Updated: updated.UTC().Format(time.RFC3339),
		Links:  []atomLink{{Href: home, Rel: "alternate", Type: "text/html"}, {Href: self, Rel: "self", Type: "application/atom+xml"}},
		Author: atomPerson{Name: pub.Name, URI: s.abs("/")}, Gen: "Masthead"}
	for _, e := range entries {
		link := s.abs(a.URLPath() + "?from=" + strconv.FormatInt(e.ID, 10) + "#" + e.Anchor())
		title := e.Headline
		if title == "" {
			title = headlineOf(markup.Text(e.BodyHTML))
		}
		ae := atomEntry{Title: title, ID: link, Link: atomLink{Href: link, Rel: "alternate", Type: "text/html"},
			Published: e.CreatedAt.UTC().Format(time.RFC3339), Updated: latest(e.CreatedAt, e.UpdatedAt).UTC().Format(time.RFC3339),
			Content: atomText{Type: "html", Value: s.absoluteHTML(markup.WithoutFacades(e.BodyHTML))}}
		if e.Author != nil {
			ae.Authors = []atomPerson{{Name: e.Author.Name, URI: s.abs(e.Author.URLPath())}}
		}
		f.Entries = append(f.Entries, ae)
	}
	return &page{contentType: "application/atom+xml; charset=utf-8", body: f.xml(), cacheControl: cacheFeed, lastModified: updated}, nil
}

// latest is the latest of times.
func latest(times ...time.Time) time.Time {
	var t time.Time
	for _, u := range times {
		if u.After(t) {
			t = u
		}
	}
	return t
}
