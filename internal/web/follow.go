package web

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"masthead/internal/store"
)

// commitWindow is how long after a local commit the follower keeps looking
// at the log on every request: the hook fires just before the commit lands.
const commitWindow = 100 * time.Millisecond

// changeBatch is how many changes one look reads; a follower further
// behind than that starts afresh.
const changeBatch = 1000

// changeFollower reads the store's change log on the request path and
// hands what it finds to what keeps data between requests: the page cache
// (cache.go) and the site memo (memo.go). It looks on every request after
// a commit through this process's store (a commit hook says so), otherwise
// at most every poll, so writes by other processes or instances sharing
// the database show within that time.
type changeFollower struct {
	log   changeLog
	poll  time.Duration
	warn  *slog.Logger
	start time.Time // monotonic base for the atomics below
	// apply is given each batch of new changes, oldest first; nil when
	// the follower cannot tell what changed, so everything may have.
	apply func(changes []store.Change)

	mu       sync.Mutex // held while reading the log
	started  bool
	cursor   int64 // last change applied
	lastPoll atomic.Int64
	hint     atomic.Uint64 // commits seen by the hook
	hintAt   atomic.Int64
	seen     atomic.Uint64 // hint value the log has been read after
}

func newChangeFollower(log changeLog, warn *slog.Logger, poll time.Duration, apply func([]store.Change)) *changeFollower {
	f := &changeFollower{log: log, poll: poll, warn: warn, start: time.Now(), apply: apply}
	f.lastPoll.Store(-int64(poll)) // the first request reads the log
	return f
}

func (f *changeFollower) nanos() int64 { return int64(time.Since(f.start)) }

// committed is called by the store's commit hook (Server.committed).
func (f *changeFollower) committed() {
	f.hintAt.Store(f.nanos())
	f.hint.Add(1)
}

// follow applies the changes written since it last looked, when a local
// commit happened or the poll interval has passed. After a local commit it
// waits for the log rather than let a request see what the commit made
// wrong.
func (f *changeFollower) follow(ctx context.Context) {
	now := f.nanos()
	hint := f.hint.Load()
	local := hint != f.seen.Load()
	if !local && now-f.lastPoll.Load() < int64(f.poll) {
		return
	}
	if local {
		f.mu.Lock()
	} else if !f.mu.TryLock() {
		return // someone else is looking
	}
	defer f.mu.Unlock()
	f.lastPoll.Store(now)
	found, err := f.read(ctx)
	if err != nil {
		if ctx.Err() == nil {
			f.warn.WarnContext(ctx, "following the change log", slog.Any("err", err))
		}
		return
	}
	// The hook fires before its commit is visible: keep looking until the
	// commit shows, or the window has passed.
	if found || now-f.hintAt.Load() > int64(commitWindow) {
		f.seen.Store(hint)
	}
}

// read applies new changes; f.mu is held.
func (f *changeFollower) read(ctx context.Context) (found bool, err error) {
	if !f.started {
		// Start from the newest change; nothing kept before can be trusted.
		if f.cursor, err = f.log.LatestChange(ctx); err != nil {
			return false, err
		}
		f.apply(nil)
		f.started = true
		return true, nil
	}
	changes, complete, err := f.log.ChangesSince(ctx, f.cursor, changeBatch)
	if err != nil {
		return false, err
	}
	if !complete || len(changes) == changeBatch {
		f.apply(nil)
		f.cursor, err = f.log.LatestChange(ctx)
		return true, err
	}
	if len(changes) == 0 {
		return false, nil
	}
	f.apply(changes)
	f.cursor = changes[len(changes)-1].ID
	return true, nil
}
