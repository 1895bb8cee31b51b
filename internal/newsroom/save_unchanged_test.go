package newsroom_test

import (
	"context"
	"testing"

	"masthead/internal/news"
	"masthead/internal/testutil"
)

// TestSaveWithoutChanges: saving an editor with nothing changed keeps no
// new revision and leaves the version alone, so opening a story and
// saving it is not an edit; any change is one.
func TestSaveWithoutChanges(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	me := site.StaffByRole(t, "Staff", "a long password")[news.RoleAuthor]
	a, err := site.Desk.Create(ctx, me, news.Snapshot{Headline: "Ferry returns", Body: "Text.\n\n- a\n- b\n", Tags: []string{"Transport"}})
	if err != nil {
		t.Fatal(err)
	}
	form := a.Snapshot()
	form.Headline += " " // as a form may send it
	res, err := site.Desk.Save(ctx, me, a.ID, a.Version, form, false, "")
	if err != nil {
		t.Fatal(err)
	}
	revs, _ := site.Store.Revisions(ctx, a.ID)
	if res.Article.Version != a.Version || len(revs) != 1 {
		t.Errorf("an unchanged save made version %d (was %d) and %d revisions, want 1", res.Article.Version, a.Version, len(revs))
	}
	for _, change := range []func(*news.Snapshot){
		func(s *news.Snapshot) { s.Body += "\n" },
		func(s *news.Snapshot) { s.Tags = nil },
	} {
		cur, _ := site.Store.Article(ctx, a.ID)
		form := cur.Snapshot()
		change(&form)
		if _, err := site.Desk.Save(ctx, me, a.ID, cur.Version, form, false, ""); err != nil {
			t.Fatal(err)
		}
	}
	if revs, _ := site.Store.Revisions(ctx, a.ID); len(revs) != 3 {
		t.Errorf("two changed saves: %d revisions, want 3", len(revs))
	}
}
