package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// Sign-ups of one new address to several newsletters at once, and of
// several at once to one: every one is recorded (the reader row they
// share was once inserted twice, and all but one failed on PostgreSQL).
func TestSubscribeConcurrently(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		st := b.Open(t)
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var letters []*news.Newsletter
		for i := range 5 {
			nl := &news.Newsletter{Slug: fmt.Sprintf("briefing-%d", i), Name: "Briefing", Kind: news.NewsletterBriefing, FromEmail: "news@example.test", CreatedAt: at}
			if err := st.CreateNewsletter(ctx, nl); err != nil {
				t.Fatal(err)
			}
			letters = append(letters, nl)
		}
		var wg sync.WaitGroup
		for round := range 3 {
			for _, nl := range letters {
				wg.Go(func() {
					if _, err := st.Subscribe(ctx, nl.ID, "new@example.test", fmt.Sprint("hash-", round, nl.ID), at); err != nil {
						t.Error(err)
					}
				})
			}
		}
		wg.Wait()
		n, err := store.Count(st, ctx, `SELECT COUNT(*) FROM subscriptions s JOIN readers r ON r.id = s.reader_id
			WHERE r.email = 'new@example.test' AND s.status = 'pending'`)
		if err != nil || n != len(letters) {
			t.Errorf("%d pending subscriptions, want %d (%v)", n, len(letters), err)
		}
	})
}
