package newsroom_test

import (
	"context"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// TestDraftsInABatch stores new drafts, an article in review and an
// unpublished article two ways — one by one through the desk, and built
// by NewDraft or checked by CheckStep then stored by store.InsertBatch
// with their steps (as a WordPress import does) — and wants the same
// database: articles, revisions, history, quotations, people, search.
func TestDraftsInABatch(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	body := "The harbour will reopen in spring.\n\n\u201cWe will reopen the pier by April,\u201d said Ann Marlowe, the harbour master.\n\nFerries run as usual."
	posts := []struct {
		headline string
		to       news.Status
	}{
		{"Harbour draft", news.StatusDraft},
		{"Ferry timetable in review", news.StatusReview},
		{"Quiet pier, unpublished", news.StatusUnpublished},
		{"Second draft on the moorings", news.StatusDraft},
	}
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		type world struct {
			site *testutil.Site
			au   news.Staff
			sec  *news.Section
			tag  news.Tag
		}
		newWorld := func() world {
			site := testutil.NewSiteOnAt(t, b, clock.NewManual(at))
			return world{site: site, au: site.Author(t, "Wren Quayle"), sec: site.Section(t, "Harbour"), tag: site.Tag(t, "Ferries")}
		}
		one, batch := newWorld(), newWorld()
		step := func(to news.Status) newsroom.Step {
			switch to {
			case news.StatusReview:
				return newsroom.Step{Action: news.ActionSubmit, Note: "imported"}
			case news.StatusUnpublished:
				return newsroom.Step{Action: news.ActionUnpublish, Note: "imported"}
			}
			return newsroom.Step{}
		}
		published := func(w world, headline string) *news.Article {
			return &news.Article{Headline: headline, Slug: news.Slugify(headline), Body: body, Section: w.sec,
				Authors: []news.Staff{w.au}, Tags: []news.Tag{w.tag}, PublishedAt: at.Add(-48 * time.Hour)}
		}
		snap := func(w world, headline string) news.Snapshot {
			return news.Snapshot{Headline: headline, Body: body, SectionID: w.sec.ID, AuthorIDs: []int64{w.au.ID}, Tags: []string{w.tag.Name}}
		}

		// One by one, as the desk stores them.
		who := news.Actor{ID: one.au.ID, Role: news.RoleAdmin}
		for _, p := range posts {
			if p.to != news.StatusUnpublished {
				if _, err := one.site.Desk.CreateAndStep(ctx, who, snap(one, p.headline), step(p.to)); err != nil {
					t.Fatal(err)
				}
				continue
			}
			a := published(one, p.headline)
			if err := one.site.Desk.CreatePublished(ctx, a); err != nil {
				t.Fatal(err)
			}
			if err := one.site.Store.RecordFirstRevision(ctx, a, one.au.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := one.site.Desk.Transition(ctx, who, a.ID, news.ActionUnpublish, time.Time{}, "imported"); err != nil {
				t.Fatal(err)
			}
		}

		// Together.
		who = news.Actor{ID: batch.au.ID, Role: news.RoleAdmin}
		var bulk []store.BulkArticle
		for _, p := range posts {
			if p.to != news.StatusUnpublished {
				d, change, err := batch.site.Desk.NewDraft(ctx, who, snap(batch, p.headline), step(p.to))
				if err != nil {
					t.Fatal(err)
				}
				bulk = append(bulk, store.BulkArticle{Article: d, History: true, By: batch.au.ID, Step: change})
				continue
			}
			a := published(batch, p.headline)
			if err := batch.site.Desk.Prepare(ctx, a); err != nil {
				t.Fatal(err)
			}
			a.Status, a.ModifiedAt = news.StatusPublished, a.LastModified()
			a.Path = news.ArticlePath(a.PublishedAt, time.UTC, a.Slug)
			change, err := batch.site.Desk.CheckStep(ctx, who, a, step(p.to))
			if err != nil {
				t.Fatal(err)
			}
			bulk = append(bulk, store.BulkArticle{Article: a, History: true, By: batch.au.ID, Step: change})
		}
		if err := batch.site.Store.InsertBatch(ctx, bulk); err != nil {
			t.Fatal(err)
		}
		for i, p := range posts {
			if got := bulk[i].Article.Status; got != p.to {
				t.Errorf("%q: status %s, want %s", p.headline, got, p.to)
			}
		}

		want, err := one.site.Store.TableChecksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := batch.site.Store.TableChecksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wanted := map[string]store.TableCopy{}
		for _, tc := range want {
			wanted[tc.Table] = tc
		}
		for _, tc := range got {
			if w := wanted[tc.Table]; w != tc {
				t.Errorf("%s: %+v in a batch, %+v one by one", tc.Table, tc, w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%d tables in a batch, %d one by one", len(got), len(want))
		}
		// What the tables say, seen from the newsroom: a draft's history.
		events, err := batch.site.Store.ArticleEvents(ctx, bulk[1].Article.ID)
		if err != nil || len(events) != 2 || events[0].Action != "create" || events[1].Action != "submit" {
			t.Errorf("events of the article in review: %+v (%v), want create then submit", events, err)
		}
	})
}
