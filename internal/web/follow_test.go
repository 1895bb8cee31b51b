package web

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// countedLog counts the follower's looks at a real store's change log.
type countedLog struct {
	*store.Store
	looks atomic.Int64
}

func (l *countedLog) ChangesSince(ctx context.Context, after int64, limit int) ([]store.Change, bool, error) {
	l.looks.Add(1)
	return l.Store.ChangesSince(ctx, after, limit)
}

// TestFollowerLooksOncePerCommit: a commit that changes no page (a
// background job's bookkeeping) costs one look at the log however many
// requests arrive at once, and a commit that does change one is applied
// before the write returns, so the request after it sees the change.
func TestFollowerLooksOncePerCommit(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		st := b.Open(t)
		log := &countedLog{Store: st}
		var mu sync.Mutex
		var applied []store.Change
		f := newChangeFollower(log, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Hour, func(c []store.Change) {
			mu.Lock()
			defer mu.Unlock()
			applied = append(applied, c...)
		})
		if err := st.OnCommit(ctx, f.committed); err != nil {
			t.Fatal(err)
		}
		f.follow(ctx) // the first look starts from the newest change
		if b.Name == "postgres" {
			// The listener's first call, once it listens, is a hint too.
			waitFor(t, func() bool { f.follow(ctx); return f.seen.Load() == f.hint.Load() && f.hint.Load() > 0 })
		}

		// A commit that logs no change: the write pool runs a statement
		// that changes nothing a reader sees.
		before := log.looks.Load()
		if err := st.Atomically(ctx, func(*store.Store) error { return nil }); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 64 {
			wg.Go(func() { f.follow(ctx) })
		}
		wg.Wait()
		if got := log.looks.Load() - before; got != 1 {
			t.Errorf("64 requests after a commit that changed nothing looked at the log %d times, want 1", got)
		}
		for range 8 {
			f.follow(ctx)
		}
		if got := log.looks.Load() - before; got != 1 {
			t.Errorf("then 8 more requests: %d looks in all, want 1 (the poll interval is an hour)", got)
		}

		// A commit that changes pages: the next request applies it.
		mu.Lock()
		had := len(applied)
		mu.Unlock()
		if err := st.CreateSection(ctx, &news.Section{Slug: "followed", Name: "Followed"}); err != nil {
			t.Fatal(err)
		}
		f.follow(ctx)
		mu.Lock()
		defer mu.Unlock()
		if len(applied) == had {
			t.Errorf("the request after a new section applied no change")
		}
	})
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("gave up waiting")
}
