package web

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"masthead/internal/store"
)

// changeBatch is how many changes one look reads; a follower further
// behind than that starts afresh.
const changeBatch = 1000

// changeFollower reads the store's change log on the request path and
// hands what it finds to what keeps data between requests: the page cache
// (cache.go) and the site memo (memo.go). It looks on the first request
// after a commit through this process's store (a commit hook says so, once
// the commit has landed), otherwise at most every poll, so writes by other
// processes or instances sharing the database show within that time.
//
// A commit that changed no page (a background job's bookkeeping) costs
// one look: requests that arrive while it runs wait for it, and no more.
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
	seen     atomic.Uint64 // hint value the log has been read after; written with mu held
}

func newChangeFollower(log changeLog, warn *slog.Logger, poll time.Duration, apply func([]store.Change)) *changeFollower {
	f := &changeFollower{log: log, poll: poll, warn: warn, start: time.Now(), apply: apply}
	f.lastPoll.Store(-int64(poll)) // the first request reads the log
	return f
}

func (f *changeFollower) nanos() int64 { return int64(time.Since(f.start)) }

// committed is called by the store's commit hook (Server.committed).
func (f *changeFollower) committed() { f.hint.Add(1) }

// follow applies the changes written since it last looked, when a local
// commit happened or the poll interval has passed. After a local commit it
// waits for a look that began after the commit, rather than let a request
// see what the commit made wrong.
func (f *changeFollower) follow(ctx context.Context) {
	now := f.nanos()
	hint := f.hint.Load()
	local := hint > f.seen.Load()
	if !local && now-f.lastPoll.Load() < int64(f.poll) {
		return
	}
	if local {
		f.mu.Lock()
		if hint <= f.seen.Load() {
			f.mu.Unlock()
			return // a look that began after this commit ended while we waited
		}
	} else if !f.mu.TryLock() {
		return // someone else is looking
	}
	defer f.mu.Unlock()
	f.lastPoll.Store(now)
	// The commits hinted so far have landed: this look sees them.
	hint = f.hint.Load()
	if err := f.read(ctx); err != nil {
		if ctx.Err() == nil {
			f.warn.WarnContext(ctx, "following the change log", slog.Any("err", err))
		}
		return
	}
	f.seen.Store(hint) // hint only grows, and seen is only written here
}

// read applies new changes; f.mu is held.
func (f *changeFollower) read(ctx context.Context) (err error) {
	if !f.started {
		// Start from the newest change; nothing kept before can be trusted.
		if f.cursor, err = f.log.LatestChange(ctx); err != nil {
			return err
		}
		f.apply(nil)
		f.started = true
		return nil
	}
	changes, complete, err := f.log.ChangesSince(ctx, f.cursor, changeBatch)
	if err != nil {
		return err
	}
	if !complete || len(changes) == changeBatch {
		f.apply(nil)
		f.cursor, err = f.log.LatestChange(ctx)
		return err
	}
	if len(changes) > 0 {
		f.apply(changes)
		f.cursor = changes[len(changes)-1].ID
	}
	return nil
}
