package newsroom_test

import (
	"context"
	"errors"
	"testing"

	"masthead/internal/news"
	"masthead/internal/testutil"
)

func TestCreatePage(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	staff := map[news.Role]news.Actor{}
	for _, r := range news.Roles {
		u := site.Staff(t, "Staff "+string(r), r, "a long password")
		staff[r] = news.Actor{ID: u.ID, Role: r}
	}
	tests := []struct {
		name     string
		actor    news.Actor
		headline string
		slug     string
		wantSlug string
		wantErr  error
	}{
		{"contributor", staff[news.RoleContributor], "Contact us", "", "contact-us", nil},
		{"author", staff[news.RoleAuthor], "Corrections policy", "", "corrections-policy", nil},
		{"editor", staff[news.RoleEditor], "About the paper", "about", "about", nil},
		{"admin", staff[news.RoleAdmin], "Advertise with us", "advertise", "advertise", nil},
		{"no role", news.Actor{ID: staff[news.RoleAdmin].ID, Role: "reader"}, "Not allowed", "", "", news.ErrForbidden},
		{"a taken page slug", staff[news.RoleEditor], "About us", "about", "", news.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := site.Desk.CreatePage(ctx, tt.actor, news.Snapshot{Headline: tt.headline, Slug: tt.slug, Body: "Text."})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			pg, err := site.Desk.PageOf(ctx, a.ID)
			if err != nil || pg.Slug != tt.wantSlug || pg.ParentID != 0 || a.Status != news.StatusDraft {
				t.Errorf("page %+v (%v) of a %s article", pg, err, a.Status)
			}
		})
	}
	pages, err := site.Desk.PagesByArticle(ctx)
	if err != nil || len(pages) != 4 {
		t.Errorf("%d pages, want 4 (%v)", len(pages), err)
	}
	story, err := site.Desk.Create(ctx, staff[news.RoleAuthor], news.Snapshot{Headline: "A news story", Body: "Text."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Desk.PageOf(ctx, story.ID); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("a news article is a page: %v", err)
	}
	if _, ok := pages[story.ID]; ok {
		t.Error("a news article is listed among the pages")
	}
}
