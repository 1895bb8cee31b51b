package newsroom_test

import (
	"context"
	"errors"
	"testing"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// TestSections: editors and administrators create, rename (the old slug
// answering for the new), reorder and delete sections, never losing an
// article; writers may not.
func TestSections(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		site := testutil.NewSiteOn(t, b)
		staff := site.StaffByRole(t, "Staff", "a long password")
		editor := staff[news.RoleEditor]
		for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
			if _, err := site.Desk.CreateSection(ctx, staff[role], newsroom.SectionInput{Name: "Mine"}); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s created a section: %v", role, err)
			}
			if _, _, err := site.Desk.SectionsToManage(ctx, staff[role]); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s opened the sections: %v", role, err)
			}
		}
		local, err := site.Desk.CreateSection(ctx, editor, newsroom.SectionInput{Name: "  Local   News "})
		if err != nil || local.Slug != "local-news" || local.Name != "Local News" {
			t.Fatalf("create: %+v %v", local, err)
		}
		sport, err := site.Desk.CreateSection(ctx, staff[news.RoleAdmin], newsroom.SectionInput{Name: "Sport", Description: "Games."})
		if err != nil {
			t.Fatal(err)
		}
		var fe news.FieldErrors
		if _, err := site.Desk.CreateSection(ctx, editor, newsroom.SectionInput{Name: "Local news"}); !errors.As(err, &fe) || fe["slug"] == "" {
			t.Errorf("a taken slug: %v", err)
		}
		story := site.Article(t, &news.Article{Headline: "Derby day", Section: sport})

		// Rename: the old slug now finds the section, and stays reserved.
		if err := site.Desk.UpdateSection(ctx, editor, local.ID, newsroom.SectionInput{Name: "City", Slug: "city"}); err != nil {
			t.Fatal(err)
		}
		if got, err := site.Desk.SectionByOldSlug(ctx, "local-news"); err != nil || got.Slug != "city" {
			t.Errorf("old slug: %+v %v", got, err)
		}
		if _, err := site.Desk.CreateSection(ctx, editor, newsroom.SectionInput{Name: "Local news"}); !errors.As(err, &fe) || fe["slug"] == "" {
			t.Errorf("a slug a section had was given out again: %v", err)
		}
		if err := site.Desk.UpdateSection(ctx, editor, sport.ID, newsroom.SectionInput{Name: "Sport", Slug: "city"}); !errors.As(err, &fe) || fe["slug"] == "" {
			t.Errorf("renamed onto another section's slug: %v", err)
		}
		// Renaming back to an old slug of its own is fine.
		if err := site.Desk.UpdateSection(ctx, editor, local.ID, newsroom.SectionInput{Name: "Local News", Slug: "local-news"}); err != nil {
			t.Errorf("back to its own old slug: %v", err)
		}

		// Reorder.
		if err := site.Desk.MoveSection(ctx, editor, sport.ID, -1); err != nil {
			t.Fatal(err)
		}
		secs, _ := site.Desk.Sections(ctx)
		if len(secs) != 2 || secs[0].ID != sport.ID {
			t.Errorf("after moving Sport up: %+v", secs)
		}

		// Delete, moving the articles.
		if err := site.Desk.DeleteSection(ctx, editor, sport.ID, sport.ID); !errors.As(err, &fe) || fe["into"] == "" {
			t.Errorf("delete into itself: %v", err)
		}
		if err := site.Desk.DeleteSection(ctx, staff[news.RoleAuthor], sport.ID, local.ID); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("an author deleted a section: %v", err)
		}
		if err := site.Desk.DeleteSection(ctx, editor, sport.ID, local.ID); err != nil {
			t.Fatal(err)
		}
		moved, err := site.Store.Article(ctx, story.ID)
		if err != nil || moved.Section == nil || moved.Section.ID != local.ID {
			t.Errorf("the article after its section went: %+v %v", moved.Section, err)
		}
		if err := site.Desk.DeleteSection(ctx, editor, sport.ID, 0); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("deleting it again: %v", err)
		}
	})
}

// TestMergeSection: merging moves every article, of every status, to the
// other section, and the merged section's slugs (its own and its old ones)
// find the other; writers may not merge.
func TestMergeSection(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		site := testutil.NewSiteOn(t, b)
		staff := site.StaffByRole(t, "Staff", "a long password")
		editor := staff[news.RoleEditor]
		city, sport := site.Section(t, "City"), site.Section(t, "Sport")
		if err := site.Desk.UpdateSection(ctx, editor, city.ID, newsroom.SectionInput{Name: "Town", Slug: "town"}); err != nil {
			t.Fatal(err)
		}
		story := site.Article(t, &news.Article{Headline: "Council meets", Section: &news.Section{ID: city.ID}})
		draft, err := site.Desk.Create(ctx, staff[news.RoleAuthor], news.Snapshot{Headline: "Draft", Body: "Text.", SectionID: city.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
			if err := site.Desk.MergeSection(ctx, staff[role], city.ID, sport.ID); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s merged a section: %v", role, err)
			}
		}
		var fe news.FieldErrors
		for _, into := range []int64{0, city.ID} {
			if err := site.Desk.MergeSection(ctx, editor, city.ID, into); !errors.As(err, &fe) || fe["merge_into"] == "" {
				t.Errorf("merge into %d: %v", into, err)
			}
		}
		if err := site.Desk.MergeSection(ctx, editor, city.ID, 999999); !errors.As(err, &fe) || fe["merge_into"] == "" {
			t.Errorf("merge into a section that is gone: %v", err)
		}
		if err := site.Desk.MergeSection(ctx, staff[news.RoleAdmin], city.ID, sport.ID); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{story.ID, draft.ID} {
			a, err := site.Store.Article(ctx, id)
			if err != nil || a.Section == nil || a.Section.ID != sport.ID {
				t.Errorf("article %d after the merge: %+v %v", id, a.Section, err)
			}
		}
		for _, slug := range []string{"town", "city"} {
			if got, err := site.Desk.SectionByOldSlug(ctx, slug); err != nil || got.ID != sport.ID {
				t.Errorf("/section/%s leads to %+v %v, want Sport", slug, got, err)
			}
		}
		secs, _ := site.Desk.Sections(ctx)
		if len(secs) != 1 || secs[0].ID != sport.ID {
			t.Errorf("sections after the merge: %+v", secs)
		}
		if err := site.Desk.MergeSection(ctx, editor, city.ID, sport.ID); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("merging it again: %v", err)
		}
		if _, err := site.Desk.CreateSection(ctx, editor, newsroom.SectionInput{Name: "Town"}); !errors.As(err, &fe) || fe["slug"] == "" {
			t.Errorf("a merged section's slug was given out again: %v", err)
		}
	})
}

// TestTags: anyone who writes creates tags; editors and administrators
// list, rename, merge and delete them, and old slugs lead on.
func TestTags(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		site := testutil.NewSiteOn(t, b)
		staff := site.StaffByRole(t, "Staff", "a long password")
		editor := staff[news.RoleEditor]
		for _, role := range news.Roles {
			if _, err := site.Desk.CreateTag(ctx, staff[role], newsroom.TagInput{Name: "By " + string(role)}); err != nil {
				t.Errorf("%s creating a tag: %v", role, err)
			}
		}
		roads, err := site.Desk.CreateTag(ctx, staff[news.RoleContributor], newsroom.TagInput{Name: " Roads "})
		if err != nil || roads.Slug != "roads" || roads.Name != "Roads" {
			t.Fatalf("create: %+v %v", roads, err)
		}
		var taken *newsroom.TakenError
		if _, err := site.Desk.CreateTag(ctx, editor, newsroom.TagInput{Name: "roads"}); !errors.As(err, &taken) || taken.ID != roads.ID || !taken.SameName {
			t.Errorf("a tag of the same name: %v", err)
		}
		transport := site.Tag(t, "Transport")
		both := site.Article(t, &news.Article{Headline: "Bus lanes", Tags: []news.Tag{*roads, transport}})
		one := site.Article(t, &news.Article{Headline: "Potholes", Tags: []news.Tag{*roads}})

		for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
			a := staff[role]
			if _, _, err := site.Desk.TagsToManage(ctx, a, "", false, 50, 0); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s listed tags: %v", role, err)
			}
			if _, err := site.Desk.UpdateTag(ctx, a, roads.ID, newsroom.TagInput{Name: "Mine"}); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s renamed a tag: %v", role, err)
			}
			if _, err := site.Desk.MergeTag(ctx, a, roads.ID, "Transport"); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s merged a tag: %v", role, err)
			}
			if err := site.Desk.DeleteTag(ctx, a, roads.ID); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s deleted a tag: %v", role, err)
			}
		}

		list, total, err := site.Desk.TagsToManage(ctx, editor, "ROAD", false, 50, 0)
		if err != nil || total != 1 || len(list) != 1 || list[0].Count != 2 || list[0].Articles != 2 {
			t.Errorf("search: %+v %d %v", list, total, err)
		}
		if list, _, _ := site.Desk.TagsToManage(ctx, editor, "", true, 2, 0); len(list) != 2 || list[0].ID != roads.ID {
			t.Errorf("most used first: %+v", list)
		}

		// Rename: the old slug leads on, and search finds the new name.
		if _, err := site.Desk.UpdateTag(ctx, editor, roads.ID, newsroom.TagInput{Name: "Highways", Slug: "transport"}); !errors.As(err, &taken) || taken.ID != transport.ID {
			t.Errorf("renamed onto another tag's slug: %v", err)
		}
		if _, err := site.Desk.UpdateTag(ctx, editor, roads.ID, newsroom.TagInput{Name: "Highways"}); err != nil {
			t.Fatal(err)
		}
		if got, err := site.Desk.TagByOldSlug(ctx, "roads"); err != nil || got.Slug != "highways" {
			t.Errorf("old slug: %+v %v", got, err)
		}
		if found, n, err := site.Desk.Articles(ctx, editor, news.AdminFilter{Text: "highways", Limit: 10}); err != nil || n != 2 || len(found) != 2 {
			t.Errorf("search for the new name: %d %v", n, err)
		}

		// Merge: every article gets the other tag once; both old slugs lead
		// to it; typing the merged name gets it.
		var fe news.FieldErrors
		for _, into := range []string{"", "Highways", "nothing-like-it"} {
			if _, err := site.Desk.MergeTag(ctx, editor, roads.ID, into); !errors.As(err, &fe) || fe["merge_into"] == "" {
				t.Errorf("merge into %q: %v", into, err)
			}
		}
		target, err := site.Desk.MergeTag(ctx, staff[news.RoleAdmin], roads.ID, "transport")
		if err != nil || target.ID != transport.ID {
			t.Fatalf("merge: %+v %v", target, err)
		}
		for id, want := range map[int64]int{both.ID: 1, one.ID: 1} {
			a, err := site.Store.Article(ctx, id)
			if err != nil || len(a.Tags) != want || a.Tags[0].ID != transport.ID {
				t.Errorf("article %d's tags after the merge: %+v %v", id, a.Tags, err)
			}
		}
		for _, slug := range []string{"roads", "highways"} {
			if got, err := site.Desk.TagByOldSlug(ctx, slug); err != nil || got.ID != transport.ID {
				t.Errorf("/tag/%s leads to %+v %v", slug, got, err)
			}
		}
		if found, _, _ := site.Desk.Articles(ctx, editor, news.AdminFilter{Text: "highways", Limit: 10}); len(found) != 0 {
			t.Errorf("the merged name is still indexed: %d articles", len(found))
		}
		if again := site.Tag(t, "Highways"); again.ID != transport.ID {
			t.Errorf("typing the merged tag's name gave %+v, want Transport", again)
		}
		if _, err := site.Desk.CreateTag(ctx, editor, newsroom.TagInput{Name: "Roads"}); !errors.As(err, &taken) || taken.ID != transport.ID {
			t.Errorf("creating a merged tag again: %v", err)
		}

		// Delete: articles lose the tag, and its old slugs go with it.
		if err := site.Desk.DeleteTag(ctx, editor, transport.ID); err != nil {
			t.Fatal(err)
		}
		if a, _ := site.Store.Article(ctx, one.ID); len(a.Tags) != 0 {
			t.Errorf("tags after the delete: %+v", a.Tags)
		}
		if _, err := site.Desk.TagByOldSlug(ctx, "roads"); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("a deleted tag's old slug: %v", err)
		}
		if err := site.Desk.DeleteTag(ctx, editor, transport.ID); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("deleting it again: %v", err)
		}
	})
}
