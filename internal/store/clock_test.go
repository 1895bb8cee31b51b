package store_test

import (
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// A store opened WithClock records that clock's time, not the system's,
// and so does the store Atomically hands out.
func TestStoreClock(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		start := time.Date(2031, 3, 14, 9, 26, 53, 589000000, time.UTC)
		c := clock.NewManual(start)
		dbURL, path := b.NewDatabase(t)
		st, err := store.Open(ctx, dbURL, path, store.WithClock(c))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		site := &testutil.Site{Store: st, Desk: newsroom.New(st, newsroom.Config{Location: time.UTC}), Loc: time.UTC, Backend: b}
		a := site.Article(t, &news.Article{Headline: "Clocks go forward"})

		created := func(id int64) time.Time {
			t.Helper()
			got, err := st.Comment(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return got.CreatedAt
		}
		first := site.Comment(t, a, &news.Comment{Body: "Set by the store's clock."})
		if got := created(first.ID); !got.Equal(start) {
			t.Errorf("comment created at %v, want the clock's %v", got, start)
		}

		c.Advance(90 * time.Minute)
		var second news.Comment
		err = st.Atomically(ctx, func(tx *store.Store) error {
			second = news.Comment{ArticleID: a.ID, Name: "Reader", Email: "reader@example.test", Body: "In a transaction.", Status: news.CommentApproved}
			return tx.CreateComment(ctx, &second)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := created(second.ID), start.Add(90*time.Minute); !got.Equal(want) {
			t.Errorf("comment created in Atomically at %v, want the clock's %v", got, want)
		}
	})
}
