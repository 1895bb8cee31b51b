package newsroom_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// Who may move what to the trash, restore it and delete it for good:
// editors and administrators anything; a writer their own article that
// was never published; deleting for good is the editors'.
func TestTrashRoles(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	staff := site.StaffByRole(t, "Staff", "a long password")
	other := site.Staff(t, "Someone Else", news.RoleAuthor, "a long password")
	editor := staff[news.RoleEditor]
	type kind int
	const (
		ownDraft kind = iota
		ownPublished
		othersDraft
		othersPublished
	)
	// article makes an article of kind for actor.
	article := func(t *testing.T, actor news.Actor, k kind) int64 {
		t.Helper()
		owner := actor
		if k == othersDraft || k == othersPublished {
			owner = news.Actor{ID: other.ID, Role: news.RoleAuthor}
		}
		a, err := site.Desk.Create(ctx, owner, news.Snapshot{Headline: "Story", Body: "Text.", AuthorIDs: []int64{owner.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if k == ownPublished || k == othersPublished {
			if _, err := site.Desk.Transition(ctx, editor, a.ID, news.ActionPublish, time.Time{}, ""); err != nil {
				t.Fatal(err)
			}
		}
		return a.ID
	}
	tests := []struct {
		role  news.Role
		kind  kind
		trash bool
	}{
		{news.RoleContributor, ownDraft, true},
		{news.RoleContributor, ownPublished, false},
		{news.RoleContributor, othersDraft, false},
		{news.RoleAuthor, ownDraft, true},
		{news.RoleAuthor, ownPublished, false},
		{news.RoleAuthor, othersDraft, false},
		{news.RoleAuthor, othersPublished, false},
		{news.RoleEditor, othersDraft, true},
		{news.RoleEditor, othersPublished, true},
		{news.RoleAdmin, othersPublished, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			actor := staff[tt.role]
			id := article(t, actor, tt.kind)
			_, err := site.Desk.TrashArticle(ctx, actor, id, "")
			if got := err == nil; got != tt.trash {
				t.Fatalf("%s trashing article kind %d: allowed %v, want %v (%v)", tt.role, tt.kind, got, tt.trash, err)
			}
			if err != nil {
				if !errors.Is(err, news.ErrForbidden) {
					t.Errorf("refusal %v is not ErrForbidden", err)
				}
				if _, err := site.Desk.TrashArticle(ctx, editor, id, ""); err != nil {
					t.Fatal(err)
				}
			}
			// Whoever may put it in the trash may take it out.
			if _, err := site.Desk.RestoreArticle(ctx, actor, id); (err == nil) != tt.trash {
				t.Errorf("%s restoring: %v", tt.role, err)
			}
			if _, err := site.Desk.TrashArticle(ctx, editor, id, ""); err != nil && !errors.Is(err, newsroom.ErrAlreadyTrashed) {
				t.Fatal(err)
			}
			_, err = site.Desk.DeleteFromTrash(ctx, actor, id)
			if want := tt.role == news.RoleEditor || tt.role == news.RoleAdmin; (err == nil) != want {
				t.Errorf("%s deleting for good: %v, want allowed %v", tt.role, err, want)
			}
		})
	}
}

// A published article in the trash is off the site, out of the newsroom's
// lists and closed to changes; restored, it is published again at the
// same address; the history says who did what.
func TestTrashAndRestore(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	site := testutil.NewSiteAt(t, clk)
	staff := site.StaffByRole(t, "Staff", "a long password")
	editor, author := staff[news.RoleEditor], staff[news.RoleAuthor]
	a, err := site.Desk.Create(ctx, author, news.Snapshot{Headline: "Harbour wall to be rebuilt", Body: "Text."})
	if err != nil {
		t.Fatal(err)
	}
	if a, err = site.Desk.Transition(ctx, author, a.ID, news.ActionPublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	path := a.Path

	trashed, err := site.Desk.TrashArticle(ctx, editor, a.ID, "legal asked")
	if err != nil {
		t.Fatal(err)
	}
	if trashed.Trash == nil || trashed.Trash.From != news.StatusPublished || trashed.Status != news.StatusUnpublished || !trashed.Trash.At.Equal(clk.Now()) {
		t.Fatalf("trashed: %s %+v", trashed.Status, trashed.Trash)
	}
	if _, err := site.Desk.PublicArticle(ctx, a.ID); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("a trashed article is public: %v", err)
	}
	if _, err := site.Desk.TrashArticle(ctx, editor, a.ID, ""); !errors.Is(err, newsroom.ErrAlreadyTrashed) {
		t.Errorf("trashing twice: %v", err)
	}
	list, total, err := site.Desk.Articles(ctx, editor, news.AdminFilter{})
	if err != nil || total != 0 || len(list) != 0 {
		t.Errorf("the article list shows the trash: %d", total)
	}
	for _, actor := range []news.Actor{editor, author} {
		if list, _, err := site.Desk.TrashedArticles(ctx, actor, 50, 0); err != nil || len(list) != 1 || list[0].Trash.ByName != "Staff editor" {
			t.Errorf("%s's trash: %v", actor.Role, err)
		}
	}
	if list, _, _ := site.Desk.TrashedArticles(ctx, staff[news.RoleContributor], 50, 0); len(list) != 0 {
		t.Errorf("a contributor sees someone else's trash")
	}
	// Closed to changes until restored: saving, stepping, the lead image.
	var fe news.FieldErrors
	if _, err := site.Desk.Save(ctx, editor, a.ID, trashed.Version, trashed.Snapshot(), false, ""); !errors.As(err, &fe) || fe["status"] == "" {
		t.Errorf("saving a trashed article: %v", err)
	}
	if _, err := site.Desk.Transition(ctx, editor, a.ID, news.ActionPublish, time.Time{}, ""); !errors.As(err, &fe) || fe["status"] == "" {
		t.Errorf("publishing a trashed article: %v", err)
	}
	if _, err := site.Desk.ArticleToChange(ctx, editor, a.ID); !errors.As(err, &fe) {
		t.Errorf("changing a trashed article's lead image: %v", err)
	}

	clk.Advance(time.Hour)
	restored, err := site.Desk.RestoreArticle(ctx, editor, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if restored.Status != news.StatusPublished || restored.Path != path || restored.Trash != nil {
		t.Errorf("restored: %s at %s, trash %+v; want published at %s", restored.Status, restored.Path, restored.Trash, path)
	}
	if _, err := site.Desk.RestoreArticle(ctx, editor, a.ID); !errors.Is(err, newsroom.ErrNotInTrash) {
		t.Errorf("restoring twice: %v", err)
	}
	events, err := site.Desk.History(ctx, editor, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		got = append(got, e.Action+" "+string(e.FromStatus)+"→"+string(e.ToStatus)+" "+e.UserName+" "+e.Note)
	}
	for _, want := range []string{"trash published→unpublished Staff editor legal asked", "restore unpublished→published Staff editor "} {
		if !slices.Contains(got, want) {
			t.Errorf("history %q lacks %q", got, want)
		}
	}
}

// A scheduled article in the trash is not published when its time comes;
// restored before then it is scheduled again, after then it is a draft.
func TestTrashScheduled(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	site := testutil.NewSiteAt(t, clk)
	author := site.StaffByRole(t, "Staff", "a long password")[news.RoleAuthor]
	at := clk.Now().Add(2 * time.Hour)
	a, err := site.Desk.Create(ctx, author, news.Snapshot{Headline: "Embargoed", Body: "Text."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Desk.Transition(ctx, author, a.ID, news.ActionSchedule, at, ""); err != nil {
		t.Fatal(err)
	}
	// A writer may throw away their own scheduled story: no reader saw it.
	trashed, err := site.Desk.TrashArticle(ctx, author, a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if trashed.Status != news.StatusDraft || !trashed.PublishAt.IsZero() || !trashed.Trash.PublishAt.Equal(at) {
		t.Errorf("trashed: %s at %v, trash %+v", trashed.Status, trashed.PublishAt, trashed.Trash)
	}
	restored, err := site.Desk.RestoreArticle(ctx, author, a.ID)
	if err != nil || restored.Status != news.StatusScheduled || !restored.PublishAt.Equal(at) {
		t.Fatalf("restored before its time: %v %s %v", err, restored.Status, restored.PublishAt)
	}
	if _, err := site.Desk.TrashArticle(ctx, author, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	clk.Advance(3 * time.Hour)
	if n, err := site.Desk.PublishDue(ctx); err != nil || n != 0 {
		t.Errorf("the scheduler published %d from the trash (%v)", n, err)
	}
	restored, err = site.Desk.RestoreArticle(ctx, author, a.ID)
	if err != nil || restored.Status != news.StatusDraft {
		t.Fatalf("restored after its time: %v %s", err, restored.Status)
	}
}

// The trash empties itself after 30 days by the newsroom's clock, when
// the server's job runs: what was due while it was down goes at the next
// run; nothing younger goes.
func TestPurgeTrash(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	site := testutil.NewSiteAt(t, clk)
	editor := site.StaffByRole(t, "Staff", "a long password")[news.RoleEditor]
	old := site.Article(t, &news.Article{Headline: "Old news"})
	comment := site.Comment(t, old, &news.Comment{})
	if _, err := site.Desk.TrashArticle(ctx, editor, old.ID, ""); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * 24 * time.Hour)
	young := site.Article(t, &news.Article{Headline: "Younger news"})
	if _, err := site.Desk.TrashArticle(ctx, editor, young.ID, ""); err != nil {
		t.Fatal(err)
	}
	kept := site.Article(t, &news.Article{Headline: "Kept"})

	clk.Advance(20*24*time.Hour - time.Second) // a second short of 30 days for the old one
	if n, err := site.Desk.PurgeTrash(ctx); err != nil || n != 0 {
		t.Fatalf("purged %d early (%v)", n, err)
	}
	clk.Advance(2 * time.Second)
	if n, err := site.Desk.PurgeTrash(ctx); err != nil || n != 1 {
		t.Fatalf("purged %d, want 1 (%v)", n, err)
	}
	if _, err := site.Store.Article(ctx, old.ID); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("the old article: %v", err)
	}
	if _, err := site.Store.Comment(ctx, comment.ID); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("its comment: %v", err)
	}
	for _, id := range []int64{young.ID, kept.ID} {
		if _, err := site.Store.Article(ctx, id); err != nil {
			t.Errorf("article %d: %v", id, err)
		}
	}
	clk.Advance(10 * 24 * time.Hour)
	if n, err := site.Desk.PurgeTrash(ctx); err != nil || n != 1 {
		t.Fatalf("purged %d, want the younger one (%v)", n, err)
	}
	if _, err := site.Store.Article(ctx, kept.ID); err != nil {
		t.Errorf("an article never trashed: %v", err)
	}
}
