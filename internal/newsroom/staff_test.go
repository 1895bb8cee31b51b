package newsroom_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// TestTransferWork: administrators hand a member's drafts and articles in
// review to another member, whose byline takes their place; published and
// scheduled work keeps its byline, and each handed-over article's history
// says so. Nobody else may.
func TestTransferWork(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		site := testutil.NewSiteOn(t, b)
		staff := site.StaffByRole(t, "Staff", "a long password")
		admin, editor := staff[news.RoleAdmin], staff[news.RoleEditor]
		leaverU := site.Staff(t, "Lee Leaving", news.RoleAuthor, "a long password")
		takerU := site.Staff(t, "Tam Taking", news.RoleAuthor, "a long password")
		co := site.Author(t, "Cora Cowriter")
		leaver := news.Actor{ID: leaverU.ID, Role: leaverU.Role}

		draft, err := site.Desk.Create(ctx, leaver, news.Snapshot{Headline: "Half-written", Body: "Text."})
		if err != nil {
			t.Fatal(err)
		}
		review, err := site.Desk.Create(ctx, editor, news.Snapshot{Headline: "Ready", Body: "Text.", AuthorIDs: []int64{co.ID, leaverU.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := site.Desk.Transition(ctx, leaver, review.ID, news.ActionSubmit, time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
		scheduled, err := site.Desk.Create(ctx, leaver, news.Snapshot{Headline: "Tomorrow", Body: "Text."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := site.Desk.Transition(ctx, leaver, scheduled.ID, news.ActionSchedule, time.Now().Add(24*time.Hour), ""); err != nil {
			t.Fatal(err)
		}
		published := site.Article(t, &news.Article{Headline: "Out already", Authors: []news.Staff{leaverU}})
		// An editor's draft bylined to the leaver is theirs to hand over too.
		bylined, err := site.Desk.Create(ctx, editor, news.Snapshot{Headline: "For Lee", Body: "Text.", AuthorIDs: []int64{leaverU.ID}})
		if err != nil {
			t.Fatal(err)
		}

		for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor, news.RoleEditor} {
			if _, err := site.Desk.TransferWork(ctx, staff[role], leaverU.ID, takerU.ID); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s handed over work: %v", role, err)
			}
			if _, err := site.Desk.UnpublishedWork(ctx, staff[role], leaverU.ID); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s saw the work to hand over: %v", role, err)
			}
		}
		var fe news.FieldErrors
		for _, to := range []int64{0, leaverU.ID, 999999} {
			if _, err := site.Desk.TransferWork(ctx, admin, leaverU.ID, to); !errors.As(err, &fe) || fe["to"] == "" {
				t.Errorf("hand over to %d: %v", to, err)
			}
		}
		sw, err := site.Desk.UnpublishedWork(ctx, admin, leaverU.ID)
		if err != nil || len(sw.Work) != 3 || slices.ContainsFunc(sw.Takers, func(u news.Staff) bool { return u.ID == leaverU.ID }) {
			t.Fatalf("the work to hand over: %+v %v", sw, err)
		}

		// Deactivating, handing the work over at once.
		n, err := site.Desk.DeactivateAndTransfer(ctx, admin, leaverU.ID, takerU.ID)
		if err != nil || n != 3 {
			t.Fatalf("deactivate and hand over: %d %v", n, err)
		}
		bylines := func(id int64) []int64 {
			a, err := site.Store.Article(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, au := range a.Authors {
				ids = append(ids, au.ID)
			}
			return ids
		}
		for id, want := range map[int64][]int64{
			draft.ID: {takerU.ID}, review.ID: {co.ID, takerU.ID}, bylined.ID: {takerU.ID},
			scheduled.ID: {leaverU.ID}, published.ID: {leaverU.ID},
		} {
			if got := bylines(id); !slices.Equal(got, want) {
				t.Errorf("article %d's bylines %v, want %v", id, got, want)
			}
		}
		taker := news.Actor{ID: takerU.ID, Role: takerU.Role}
		if _, err := site.Desk.Save(ctx, taker, draft.ID, draft.Version, news.Snapshot{Headline: "Finished", Body: "Text.", AuthorIDs: []int64{takerU.ID}}, false, "save"); err != nil {
			t.Errorf("the new owner saving the draft: %v", err)
		}
		events, _ := site.Desk.History(ctx, admin, review.ID)
		if last := events[len(events)-1]; last.Action != "transfer" || last.UserID != admin.ID || last.Note != "Handed over from Lee Leaving to Tam Taking." {
			t.Errorf("history: %+v", last)
		}
		// A deactivated member's work can still be handed over; there is
		// none left now.
		if sw, err := site.Desk.UnpublishedWork(ctx, admin, leaverU.ID); err != nil || !sw.Deactivated || len(sw.Work) != 0 {
			t.Errorf("after the handover: %+v %v", sw, err)
		}
		if n, err := site.Desk.TransferWork(ctx, admin, leaverU.ID, takerU.ID); err != nil || n != 0 {
			t.Errorf("handing over nothing: %d %v", n, err)
		}
		if _, err := site.Desk.DeactivateAndTransfer(ctx, admin, admin.ID, takerU.ID); !errors.Is(err, newsroom.ErrSelf) {
			t.Errorf("deactivating oneself: %v", err)
		}
	})
}
