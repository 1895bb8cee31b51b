package store_test

import (
	"context"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// TestNotifyAcrossInstances: two stores on one PostgreSQL database stand in
// for two instances; a write on one wakes the other's commit hook at once.
func TestNotifyAcrossInstances(t *testing.T) {
	ctx := context.Background()
	url, _ := testutil.Postgres.NewDatabase(t)
	a, err := store.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := store.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	woke := make(chan struct{}, 16)
	if err := b.OnCommit(ctx, func() { woke <- struct{}{} }); err != nil {
		t.Fatal(err)
	}
	select { // the listener's first call, once it is listening
	case <-woke:
	case <-time.After(5 * time.Second):
		t.Fatal("listener never started")
	}
	if err := a.CreateSection(ctx, &news.Section{Slug: "notified", Name: "Notified"}); err != nil {
		t.Fatal(err)
	}
	// Usually milliseconds; the wait is long so a slow machine does not fail.
	wrote := time.Now()
	select {
	case <-woke:
		t.Logf("B heard of A's write in %v", time.Since(wrote))
	case <-time.After(20 * time.Second):
		t.Fatal("instance B never heard of A's write")
	}
}
