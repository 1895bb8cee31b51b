package newsroom_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/testutil"
)

// Editors set and clear the breaking-news banner; it shows until it
// expires, links only to a published story, and every change takes the
// next push number.
func TestBreakingNews(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))
	site := testutil.NewSiteAt(t, clk)
	staff := site.StaffByRole(t, "Break", "a long password")
	editor := staff[news.RoleEditor]
	story := site.Article(t, &news.Article{Headline: "Dam gives way"})
	draft, err := site.Desk.Create(ctx, editor, news.Snapshot{Headline: "Not yet out", Body: "Draft."})
	if err != nil {
		t.Fatal(err)
	}

	if b, seq, err := site.Desk.CurrentBreaking(ctx); b != nil || seq != 0 || err != nil {
		t.Fatalf("a new site's banner: %v %d %v", b, seq, err)
	}
	for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
		if _, err := site.Desk.SetBreaking(ctx, staff[role], news.BreakingInput{Text: "Hi", For: time.Hour}); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s setting the banner: %v, want ErrForbidden", role, err)
		}
		if err := site.Desk.ClearBreaking(ctx, staff[role]); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s clearing the banner: %v, want ErrForbidden", role, err)
		}
		if _, err := site.Desk.BreakingDesk(ctx, staff[role]); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s opening the banner's screen: %v, want ErrForbidden", role, err)
		}
	}
	tests := []struct {
		name  string
		in    news.BreakingInput
		field string
	}{
		{"no text", news.BreakingInput{Text: " \n ", For: time.Hour}, "text"},
		{"too long", news.BreakingInput{Text: strings.Repeat("x", news.BreakingTextMax+1), For: time.Hour}, "text"},
		{"no duration", news.BreakingInput{Text: "Dam gives way"}, "for"},
		{"odd duration", news.BreakingInput{Text: "Dam gives way", For: 7 * time.Minute}, "for"},
		{"a draft", news.BreakingInput{Text: "Dam gives way", ArticleID: draft.ID, For: time.Hour}, "article"},
		{"no such article", news.BreakingInput{Text: "Dam gives way", ArticleID: 99999, For: time.Hour}, "article"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fe news.FieldErrors
			if _, err := site.Desk.SetBreaking(ctx, editor, tt.in); !errors.As(err, &fe) || fe[tt.field] == "" {
				t.Errorf("%+v: %v, want an error for %s", tt.in, err, tt.field)
			}
		})
	}

	set, err := site.Desk.SetBreaking(ctx, editor, news.BreakingInput{Text: "  Dam  gives way: <b>leave</b> the valley ", ArticleID: story.ID, For: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	b, seq, err := site.Desk.CurrentBreaking(ctx)
	if err != nil || b == nil {
		t.Fatalf("after setting: %v %v", b, err)
	}
	if b.Text != "Dam gives way: <b>leave</b> the valley" || b.Link != story.URLPath() || seq != set.Seq || seq == 0 ||
		!b.ExpiresAt.Equal(clk.Now().Add(time.Hour)) {
		t.Errorf("the banner: %+v (seq %d)", b, seq)
	}
	desk, err := site.Desk.BreakingDesk(ctx, editor)
	if err != nil || !desk.Shown || len(desk.Targets) == 0 || desk.Current.SetBy == "" {
		t.Errorf("the newsroom's view: %+v %v", desk, err)
	}

	clk.Advance(time.Hour)
	if b, seq2, _ := site.Desk.CurrentBreaking(ctx); b != nil || seq2 != seq {
		t.Errorf("at its expiry: %+v %d", b, seq2)
	}
	if _, err := site.Desk.SetBreaking(ctx, editor, news.BreakingInput{Text: "Again", For: 30 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	if err := site.Desk.ClearBreaking(ctx, editor); err != nil {
		t.Fatal(err)
	}
	if b, seq3, _ := site.Desk.CurrentBreaking(ctx); b != nil || seq3 <= seq+1 {
		t.Errorf("after clearing: %+v %d", b, seq3)
	}
}
