package newsroom_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// TestCreatePage: pages are site-wide, so only editors and administrators
// start them (issue 15, finding 10); a taken slug gets WordPress's suffix;
// a refused step stores nothing.
func TestCreatePage(t *testing.T) {
	ctx := context.Background()
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		site := testutil.NewSiteOn(t, b)
		staff := site.StaffByRole(t, "Staff", "a long password")
		publish := newsroom.Step{Action: news.ActionPublish}
		tests := []struct {
			name       string
			actor      news.Actor
			snap       news.Snapshot
			step       newsroom.Step
			wantSlug   string
			wantStatus news.Status
			wantErr    error
			field      string // a news.FieldErrors key
		}{
			{"contributor", staff[news.RoleContributor], news.Snapshot{Headline: "Contact us", Body: "Text."}, newsroom.Step{}, "", "", news.ErrForbidden, ""},
			{"author", staff[news.RoleAuthor], news.Snapshot{Headline: "Corrections policy", Body: "Text."}, newsroom.Step{}, "", "", news.ErrForbidden, ""},
			{"editor", staff[news.RoleEditor], news.Snapshot{Headline: "About the paper", Slug: "about", Body: "Text."}, newsroom.Step{}, "about", news.StatusDraft, nil, ""},
			{"admin", staff[news.RoleAdmin], news.Snapshot{Headline: "Advertise with us", Slug: "advertise", Body: "Text."}, publish, "advertise", news.StatusPublished, nil, ""},
			{"no role", news.Actor{ID: staff[news.RoleAdmin].ID, Role: "reader"}, news.Snapshot{Headline: "Not allowed", Body: "Text."}, newsroom.Step{}, "", "", news.ErrForbidden, ""},
			{"a taken page slug", staff[news.RoleEditor], news.Snapshot{Headline: "About us", Slug: "about", Body: "Text."}, newsroom.Step{}, "about-2", news.StatusDraft, nil, ""},
			{"and again", staff[news.RoleEditor], news.Snapshot{Headline: "About", Body: "Text."}, newsroom.Step{}, "about-3", news.StatusDraft, nil, ""},
			{"a refused step", staff[news.RoleEditor], news.Snapshot{Headline: "Empty page", Slug: "empty"}, publish, "", "", nil, "body"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				a, err := site.Desk.CreatePage(ctx, tt.actor, tt.snap, tt.step)
				var fe news.FieldErrors
				switch {
				case tt.field != "":
					if !errors.As(err, &fe) || fe[tt.field] == "" {
						t.Fatalf("error %v, want a complaint about %s", err, tt.field)
					}
					return
				case !errors.Is(err, tt.wantErr):
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				case err != nil:
					return
				}
				pg, err := site.Desk.PageOf(ctx, a.ID)
				if err != nil || pg.Slug != tt.wantSlug || pg.ParentID != 0 || a.Status != tt.wantStatus {
					t.Errorf("page %+v (%v) of a %s article, want %q %s", pg, err, a.Status, tt.wantSlug, tt.wantStatus)
				}
			})
		}
		pages, err := site.Desk.PagesByArticle(ctx)
		if err != nil || len(pages) != 4 {
			t.Errorf("%d pages, want 4 (%v)", len(pages), err)
		}
		// Nothing refused was left behind, as a page or as an article.
		all, err := site.Store.AdminArticles(ctx, news.AdminFilter{Limit: 100})
		if err != nil || len(all) != 4 {
			t.Errorf("%d articles, want the 4 pages (%v)", len(all), err)
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
	})
}

// TestWritersDoNotPublishPages: a writer an editor bylined on a page may
// work on its draft, but publishing, scheduling and withdrawing the site's
// pages is the editors'.
func TestWritersDoNotPublishPages(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	staff := site.StaffByRole(t, "Staff", "a long password")
	author, editor := staff[news.RoleAuthor], staff[news.RoleEditor]
	pg, err := site.Desk.CreatePage(ctx, editor, news.Snapshot{Headline: "About us", Body: "Who we are.", AuthorIDs: []int64{author.ID}}, newsroom.Step{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Desk.Save(ctx, author, pg.ID, pg.Version, news.Snapshot{Headline: "About us", Body: "Who we are, and why.", AuthorIDs: []int64{author.ID}}, false, "")
	if err != nil {
		t.Fatalf("the bylined writer could not edit the page's draft: %v", err)
	}
	for _, act := range []news.Action{news.ActionPublish, news.ActionSchedule} {
		if _, err := site.Desk.Transition(ctx, author, pg.ID, act, time.Now().Add(time.Hour), ""); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("the writer could %s the page: %v", act, err)
		}
	}
	if acts, _, err := site.Desk.Actions(ctx, author, res.Article, []news.Action{news.ActionSubmit, news.ActionPublish, news.ActionSchedule}); err != nil || len(acts) != 1 || acts[0] != news.ActionSubmit {
		t.Errorf("the editor offers the writer %v (%v), want only submit", acts, err)
	}
	if _, err := site.Desk.Transition(ctx, editor, pg.ID, news.ActionPublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Desk.Transition(ctx, author, pg.ID, news.ActionUnpublish, time.Time{}, ""); !errors.Is(err, news.ErrForbidden) {
		t.Errorf("the writer could withdraw the page: %v", err)
	}
}

// TestWaitingOnAnEditor: a contributor whose story is in review, or an
// editor has scheduled, has no workflow step to take; the editor says
// why, where an editor has the steps and no note.
func TestWaitingOnAnEditor(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	staff := site.StaffByRole(t, "Staff", "a long password")
	contributor, editor := staff[news.RoleContributor], staff[news.RoleEditor]
	among := []news.Action{news.ActionSubmit, news.ActionReturn, news.ActionPublish, news.ActionSchedule, news.ActionUnschedule, news.ActionUnpublish}
	a, err := site.Desk.CreateAndStep(ctx, contributor, news.Snapshot{Headline: "Ferry landing approved", Body: "Text.", AuthorIDs: []int64{contributor.ID}},
		newsroom.Step{Action: news.ActionSubmit})
	if err != nil {
		t.Fatal(err)
	}
	in, err := site.Desk.Transition(ctx, editor, a.ID, news.ActionSchedule, time.Now().Add(24*time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		who     news.Actor
		article *news.Article
		held    string // "" for none
	}{
		{"contributor, in review", contributor, a, "Submitted for review"},
		{"editor, in review", editor, a, ""},
		{"contributor, scheduled", contributor, in, "Scheduled by an editor"},
		{"editor, scheduled", editor, in, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			acts, held, err := site.Desk.Actions(ctx, c.who, c.article, among)
			if err != nil {
				t.Fatal(err)
			}
			if c.held == "" && (held != "" || len(acts) == 0) || c.held != "" && (!strings.HasPrefix(held, c.held) || len(acts) != 0) {
				t.Errorf("actions %v, note %q; want a note beginning %q only with no actions", acts, held, c.held)
			}
		})
	}
}
