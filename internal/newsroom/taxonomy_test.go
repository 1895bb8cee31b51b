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
