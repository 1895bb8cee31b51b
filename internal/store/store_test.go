package store_test

// The store's tests run on every backend (testutil.Backends): SQLite in a
// temporary folder and a throwaway database on the PostgreSQL test server.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

var ctx = context.Background()

// each runs fn on a new site on every backend.
func each(t *testing.T, fn func(t *testing.T, site *testutil.Site)) {
	t.Helper()
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		fn(t, testutil.NewSiteOn(t, b))
	})
}

// ids lists the articles' ids, for comparing listings.
func ids(list []*news.Article) []int64 {
	out := make([]int64, len(list))
	for i, a := range list {
		out[i] = a.ID
	}
	return out
}

func TestMigrationTwins(t *testing.T) {
	names := func(dir string) map[string]string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, e := range entries {
			if num, _, ok := strings.Cut(e.Name(), "_"); ok && strings.HasSuffix(e.Name(), ".sql") {
				m[num] = e.Name()
			}
		}
		return m
	}
	lite, pg := names("migrations/sqlite"), names("migrations/postgres")
	for num, name := range lite {
		if pg[num] == "" {
			t.Errorf("migrations/sqlite/%s has no PostgreSQL twin migrations/postgres/%s_….sql", name, num)
		}
	}
	for num, name := range pg {
		if lite[num] == "" {
			t.Errorf("migrations/postgres/%s has no SQLite twin", name)
		}
	}
}

func TestReopenAppliesNothingTwice(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		dbURL, path := b.NewDatabase(t)
		var versions []int
		for range 2 {
			st, err := store.Open(ctx, dbURL, path)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			v, err := st.SchemaVersion(ctx)
			st.Close()
			if err != nil {
				t.Fatal(err)
			}
			versions = append(versions, v)
		}
		if versions[0] < 1 || versions[0] != versions[1] {
			t.Errorf("schema versions on two opens = %v", versions)
		}
	})
}

// Instances started together on one fresh database must not race to
// migrate it: the advisory lock makes them take turns.
func TestPostgresConcurrentStart(t *testing.T) {
	dbURL := testutil.PostgresURL(t)
	const n = 4
	var wg sync.WaitGroup
	stores := make([]*store.Store, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			stores[i], errs[i] = store.OpenPostgres(ctx, dbURL)
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		defer stores[i].Close()
	}
	v, err := stores[0].SchemaVersion(ctx)
	if err != nil || v < 1 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	// Every instance works, and writes of one are seen by the others.
	if err := stores[1].SetSetting(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	for i, st := range stores {
		if v, ok, err := st.Setting(ctx, "k"); err != nil || !ok || v != "v" {
			t.Errorf("instance %d reads %q, %v, %v", i, v, ok, err)
		}
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	if _, err := store.Open(ctx, "mysql://x/y", ""); err == nil {
		t.Fatal("Open accepted a mysql URL")
	}
	if _, err := store.OpenPostgres(ctx, "postgres://u:secret@127.0.0.1:1/x?connect_timeout=1"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("OpenPostgres on a closed port: %v (must fail without showing the password)", err)
	}
}

// A read on a request the reader has left is not run: SQLite reads do not
// watch their context while they run (readContext), so it is checked first.
func TestReadsOnCancelledContext(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		gone, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := site.Store.PublishedArticles(gone, news.ArticleFilter{TagID: 1, Limit: 10}, false); !errors.Is(err, context.Canceled) {
			t.Errorf("listing on a cancelled context: %v, want context.Canceled", err)
		}
		if _, err := site.Store.PublishedArticle(gone, "2026/01/01/x"); !errors.Is(err, context.Canceled) {
			t.Errorf("article on a cancelled context: %v, want context.Canceled", err)
		}
	})
}

func TestArticleRoundTrip(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		sec := site.Section(t, "City Hall")
		ann, bob := site.Author(t, "Ann Reporter"), site.Author(t, "Bob Writer")
		tags := []news.Tag{site.Tag(t, "Housing"), site.Tag(t, "Budget")}
		// A zone other than UTC and sub-second precision: both must survive.
		pub := time.Date(2026, 3, 14, 9, 26, 53, 589793000, time.FixedZone("X", 5*3600))
		a := site.Article(t, &news.Article{
			Headline: "Council ‘approves’ the budget", Standfirst: "A long night.",
			Section: sec, Authors: []news.Staff{bob, ann}, Tags: tags, Featured: true,
			LeadImage: &news.Image{URL: "/media/x.png", Alt: "alt", Caption: "cap", Credit: "cred", Width: 960, Height: 540},
			SEOTitle:  "seo", SEODescription: "desc",
			PublishedAt: pub, UpdatedAt: pub.Add(2 * time.Hour),
		})
		got, err := site.Store.PublishedArticle(ctx, a.Path)
		if err != nil {
			t.Fatal(err)
		}
		if full, err := site.Store.Article(ctx, a.ID); err != nil || full.Body != a.Body {
			t.Errorf("Article: body %q (%v), want %q", full.Body, err, a.Body)
		}
		if got.Body != "" {
			t.Errorf("PublishedArticle loads the Markdown body %q; readers see the rendered one", got.Body)
		}
		if got.ID != a.ID || got.Headline != a.Headline || got.Standfirst != a.Standfirst ||
			got.BodyHTML != a.BodyHTML || got.WordCount != a.WordCount || got.Status != news.StatusPublished ||
			!got.Featured || !got.CommentsOpen || got.SEOTitle != "seo" || got.SEODescription != "desc" {
			t.Errorf("loaded article differs:\n got %+v\nwant %+v", got, a)
		}
		if got.LeadImage == nil || *got.LeadImage != *a.LeadImage {
			t.Errorf("lead image = %+v", got.LeadImage)
		}
		if got.Section == nil || got.Section.ID != sec.ID || got.Section.Slug != "city-hall" {
			t.Errorf("section = %+v", got.Section)
		}
		if !got.PublishedAt.Equal(pub) || got.PublishedAt.Location() != time.UTC || !got.UpdatedAt.Equal(pub.Add(2*time.Hour)) {
			t.Errorf("times: published %v, updated %v; want %v in UTC", got.PublishedAt, got.UpdatedAt, pub)
		}
		if got.CreatedAt.IsZero() || got.ModifiedAt.IsZero() {
			t.Errorf("created %v, modified %v", got.CreatedAt, got.ModifiedAt)
		}
		var bylines []string
		for _, au := range got.Authors {
			bylines = append(bylines, au.Name)
		}
		if want := []string{"Bob Writer", "Ann Reporter"}; !slices.Equal(bylines, want) {
			t.Errorf("bylines %v, want %v (in the order given)", bylines, want)
		}
		var tagNames []string
		for _, tg := range got.Tags {
			tagNames = append(tagNames, tg.Name)
		}
		if want := []string{"Budget", "Housing"}; !slices.Equal(tagNames, want) {
			t.Errorf("tags %v, want %v", tagNames, want)
		}

		if taken, err := site.Store.PathTaken(ctx, a.Path); err != nil || !taken {
			t.Errorf("PathTaken(%q) = %v, %v", a.Path, taken, err)
		}
		if taken, err := site.Store.PathTaken(ctx, "2000/01/01/nothing"); err != nil || taken {
			t.Errorf("PathTaken(free) = %v, %v", taken, err)
		}
		dup := &news.Article{Slug: "dup", Path: a.Path, Headline: "Dup", Status: news.StatusPublished, PublishedAt: pub}
		if err := site.Store.CreateArticle(ctx, dup); !errors.Is(err, news.ErrConflict) {
			t.Errorf("second article on %s: %v, want ErrConflict", a.Path, err)
		}
		for _, path := range []string{"2000/01/01/nothing", ""} {
			if _, err := site.Store.PublishedArticle(ctx, path); !errors.Is(err, news.ErrNotFound) {
				t.Errorf("PublishedArticle(%q): %v, want ErrNotFound", path, err)
			}
		}
	})
}

func TestPublishedArticlesFilters(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		city, sport := site.Section(t, "City"), site.Section(t, "Sport")
		ann, bob := site.Author(t, "Ann"), site.Author(t, "Bob")
		housing := site.Tag(t, "Housing")
		base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		mk := func(h string, hoursAgo int, sec *news.Section, au news.Staff, featured bool, tags ...news.Tag) *news.Article {
			return site.Article(t, &news.Article{Headline: h, Section: sec, Authors: []news.Staff{au}, Featured: featured,
				Tags: tags, PublishedAt: base.Add(-time.Duration(hoursAgo) * time.Hour)})
		}
		a1 := mk("One", 1, city, ann, true, housing)
		a2 := mk("Two", 2, sport, bob, false)
		a3 := mk("Three", 3, city, bob, false, housing)
		a4 := mk("Four", 50, sport, ann, true)
		// Drafts never list.
		draft := &news.Article{Slug: "draft", Headline: "Draft", Status: news.StatusDraft, Section: city, Authors: []news.Staff{ann}}
		if err := site.Store.CreateArticle(ctx, draft); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			f    news.ArticleFilter
			want []*news.Article
		}{
			{"all, newest first", news.ArticleFilter{}, []*news.Article{a1, a2, a3, a4}},
			{"section", news.ArticleFilter{SectionID: city.ID}, []*news.Article{a1, a3}},
			{"tag", news.ArticleFilter{TagID: housing.ID}, []*news.Article{a1, a3}},
			{"author", news.ArticleFilter{AuthorID: bob.ID}, []*news.Article{a2, a3}},
			{"since", news.ArticleFilter{Since: base.Add(-2 * time.Hour)}, []*news.Article{a1, a2}},
			{"featured", news.ArticleFilter{Featured: true}, []*news.Article{a1, a4}},
			{"exclude", news.ArticleFilter{ExcludeID: []int64{a1.ID, a3.ID}}, []*news.Article{a2, a4}},
			{"page", news.ArticleFilter{Limit: 2, Offset: 1}, []*news.Article{a2, a3}},
			{"section and author", news.ArticleFilter{SectionID: sport.ID, AuthorID: ann.ID}, []*news.Article{a4}},
			{"nothing", news.ArticleFilter{TagID: housing.ID, SectionID: sport.ID}, []*news.Article{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := site.Store.PublishedArticles(ctx, tt.f, false)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(got), ids(tt.want)) {
					t.Errorf("ids %v, want %v", ids(got), ids(tt.want))
				}
				f := tt.f
				f.Limit, f.Offset = 0, 0
				n, err := site.Store.CountPublished(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if tt.f.Limit == 0 && n != len(tt.want) {
					t.Errorf("count %d, want %d", n, len(tt.want))
				}
				for _, a := range got {
					if len(a.Authors) != 1 || a.Section == nil || a.Body != "" {
						t.Errorf("listed article %d: authors %v, section %v, body loaded %v", a.ID, a.Authors, a.Section, a.Body != "")
					}
				}
			})
		}
		// All the listings at once give the same, bylines included.
		fs := make([]news.ArticleFilter, len(tests))
		for i, tt := range tests {
			fs[i] = tt.f
		}
		lists, err := site.Store.PublishedLists(ctx, fs)
		if err != nil || len(lists) != len(tests) {
			t.Fatalf("PublishedLists: %d lists, %v", len(lists), err)
		}
		for i, tt := range tests {
			if !slices.Equal(ids(lists[i]), ids(tt.want)) {
				t.Errorf("PublishedLists, %s: ids %v, want %v", tt.name, ids(lists[i]), ids(tt.want))
			}
			for _, a := range lists[i] {
				if len(a.Authors) != 1 || a.Section == nil {
					t.Errorf("PublishedLists, %s: article %d: authors %v, section %v", tt.name, a.ID, a.Authors, a.Section)
				}
			}
		}
		withBody, err := site.Store.PublishedArticles(ctx, news.ArticleFilter{Limit: 1}, true)
		if err != nil || len(withBody) != 1 || withBody[0].Body != "" || withBody[0].BodyHTML == "" { // the rendered body only
			t.Errorf("withBody: %v, %+v", err, withBody)
		}
	})
}

// TestListingsFollowChanges checks the tag and author listings, which read
// a copy of each story's status and date kept by triggers, against the
// articles themselves as stories are published, withdrawn, re-dated,
// retagged and made static pages, for every filter combination.
func TestListingsFollowChanges(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		city, sport := site.Section(t, "City"), site.Section(t, "Sport")
		ann, bob := site.Author(t, "Ann"), site.Author(t, "Bob")
		x, y := site.Tag(t, "X"), site.Tag(t, "Y")
		base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		var all []*news.Article
		for i := range 8 {
			sec, au, tags := city, []news.Staff{ann}, []news.Tag{x}
			if i%2 == 1 {
				sec, au = sport, []news.Staff{ann, bob}
			}
			if i%3 == 0 {
				tags = append(tags, y)
			}
			all = append(all, site.Article(t, &news.Article{Headline: fmt.Sprintf("Story %d", i), Section: sec, Authors: au,
				Tags: tags, Featured: i%4 == 0, PublishedAt: base.Add(-time.Duration(i) * time.Hour)}))
		}
		draft := &news.Article{Slug: "draft", Headline: "Draft", Status: news.StatusDraft, Section: city,
			Authors: []news.Staff{ann}, Tags: []news.Tag{x}}
		if err := st.CreateArticle(ctx, draft); err != nil {
			t.Fatal(err)
		}

		// check compares each listing with the site-wide one (which reads
		// the articles) filtered here.
		check := func(t *testing.T, step string) {
			t.Helper()
			full, err := st.PublishedArticles(ctx, news.ArticleFilter{Limit: 100}, false)
			if err != nil {
				t.Fatal(err)
			}
			tagged := map[int64][]int64{} // article id -> tag ids
			for _, a := range full {
				loaded, err := st.Article(ctx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, tg := range loaded.Tags {
					tagged[a.ID] = append(tagged[a.ID], tg.ID)
				}
			}
			since := base.Add(-3 * time.Hour)
			filters := []news.ArticleFilter{
				{TagID: x.ID}, {TagID: y.ID}, {AuthorID: ann.ID}, {AuthorID: bob.ID}, {SectionID: city.ID}, {},
				{TagID: x.ID, SectionID: sport.ID}, {TagID: x.ID, Featured: true}, {TagID: x.ID, Since: since},
				{TagID: x.ID, ExcludeID: []int64{all[0].ID, all[2].ID}}, {TagID: y.ID, AuthorID: bob.ID},
				{AuthorID: bob.ID, SectionID: sport.ID}, {AuthorID: ann.ID, Featured: true, Since: since},
			}
			for _, f := range filters {
				var want []int64
				for _, a := range full {
					ok := (f.TagID == 0 || slices.Contains(tagged[a.ID], f.TagID)) &&
						(f.AuthorID == 0 || slices.ContainsFunc(a.Authors, func(au news.Staff) bool { return au.ID == f.AuthorID })) &&
						(f.SectionID == 0 || a.Section != nil && a.Section.ID == f.SectionID) &&
						(f.Since.IsZero() || !a.PublishedAt.Before(f.Since)) &&
						(!f.Featured || a.Featured) && !slices.Contains(f.ExcludeID, a.ID)
					if ok {
						want = append(want, a.ID)
					}
				}
				n, err := st.CountPublished(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if n != len(want) {
					t.Errorf("%s: %+v counts %d, want %d", step, f, n, len(want))
				}
				for _, page := range []struct{ limit, offset int }{{100, 0}, {2, 0}, {2, 3}} {
					f.Limit, f.Offset = page.limit, page.offset
					got, err := st.PublishedArticles(ctx, f, false)
					if err != nil {
						t.Fatal(err)
					}
					w := want[min(page.offset, len(want)):min(page.offset+page.limit, len(want))]
					if !slices.Equal(ids(got), w) {
						t.Errorf("%s: %+v lists %v, want %v", step, f, ids(got), w)
					}
				}
			}
		}
		check(t, "created")

		if err := st.ChangeStatus(ctx, all[1].ID, news.StatusChange{From: news.StatusPublished, To: news.StatusUnpublished, Action: "unpublish"}); err != nil {
			t.Fatal(err)
		}
		check(t, "unpublished")

		if err := st.ChangeStatus(ctx, draft.ID, news.StatusChange{From: news.StatusDraft, To: news.StatusPublished, Action: "publish",
			Path: "2026/05/01/draft", Slug: "draft", PublishedAt: base.Add(-150 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		check(t, "published")

		if err := st.SetPublishedAt(ctx, all[6].ID, base.Add(time.Hour), "2026/05/01/story-6"); err != nil {
			t.Fatal(err)
		}
		check(t, "re-dated")

		a, err := st.Article(ctx, all[3].ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Tags, a.Authors = []news.Tag{y}, []news.Staff{bob}
		if err := st.UpdateArticle(ctx, a, a.Version, 0, "save"); err != nil {
			t.Fatal(err)
		}
		check(t, "retagged")

		if err := st.PutPage(ctx, news.Page{ArticleID: all[0].ID, Slug: "about"}); err != nil {
			t.Fatal(err)
		}
		check(t, "made a page")

		a, err = st.Article(ctx, all[4].ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Section = sport
		if err := st.UpdateArticle(ctx, a, a.Version, 0, "save"); err != nil {
			t.Fatal(err)
		}
		check(t, "moved to another section")

		if err := st.MergeTag(ctx, y.ID, x.ID); err != nil {
			t.Fatal(err)
		}
		check(t, "merged tags")

		if err := st.DeleteArticle(ctx, all[2].ID); err != nil {
			t.Fatal(err)
		}
		check(t, "deleted")

		if err := st.MergeSection(ctx, city.ID, sport.ID); err != nil {
			t.Fatal(err)
		}
		check(t, "merged sections")
	})
}

func TestNeighboursAndRelated(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		city, sport := site.Section(t, "City"), site.Section(t, "Sport")
		x, y := site.Tag(t, "X"), site.Tag(t, "Y")
		at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
		a := site.Article(t, &news.Article{Headline: "A", Section: city, Tags: []news.Tag{x, y}, PublishedAt: at})
		// b and c share a timestamp: the id breaks the tie.
		b := site.Article(t, &news.Article{Headline: "B", Section: sport, Tags: []news.Tag{x, y}, PublishedAt: at.Add(time.Hour)})
		c := site.Article(t, &news.Article{Headline: "C", Section: city, PublishedAt: at.Add(time.Hour)})
		d := site.Article(t, &news.Article{Headline: "D", Section: sport, Tags: []news.Tag{x}, PublishedAt: at.Add(2 * time.Hour)})
		e := site.Article(t, &news.Article{Headline: "E", Section: sport, PublishedAt: at.Add(3 * time.Hour)})

		tests := []struct {
			of         *news.Article
			prev, next *news.Article
		}{
			{a, nil, b}, {b, a, c}, {c, b, d}, {e, d, nil},
		}
		for _, tt := range tests {
			n, err := site.Store.Neighbours(ctx, tt.of)
			if err != nil {
				t.Fatal(err)
			}
			if idOf(n.Previous) != idOf(tt.prev) || idOf(n.Next) != idOf(tt.next) {
				t.Errorf("neighbours of %s: %d, %d; want %d, %d", tt.of.Headline, idOf(n.Previous), idOf(n.Next), idOf(tt.prev), idOf(tt.next))
			}
		}

		// Related to a: b shares two tags, d one, c only the section; e nothing.
		rel, err := site.Store.Related(ctx, a, 10)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{b.ID, d.ID, c.ID}; !slices.Equal(ids(rel), want) {
			t.Errorf("related %v, want %v", ids(rel), want)
		}
		if rel, _ := site.Store.Related(ctx, a, 1); len(rel) != 1 {
			t.Errorf("limit 1: %d related", len(rel))
		}
	})
}

// TestRelatedRanking: stories found in several of an article's tags come
// first; a story found by a tag and by the section counts that tag once;
// among equals the newest, then the highest id; the article itself and
// stories sharing nothing are left out.
func TestRelatedRanking(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		city, sport := site.Section(t, "City"), site.Section(t, "Sport")
		x, y, z := site.Tag(t, "X"), site.Tag(t, "Y"), site.Tag(t, "Z")
		at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
		a := site.Article(t, &news.Article{Headline: "A", Section: city, Tags: []news.Tag{x, y, z}, PublishedAt: at})
		older := site.Article(t, &news.Article{Headline: "Older, three tags", Section: sport, Tags: []news.Tag{x, y, z}, PublishedAt: at.Add(-48 * time.Hour)})
		twoTagsSection := site.Article(t, &news.Article{Headline: "Two tags and the section", Section: city, Tags: []news.Tag{y, z}, PublishedAt: at.Add(time.Hour)})
		tieLow := site.Article(t, &news.Article{Headline: "One tag, tied, lower id", Section: sport, Tags: []news.Tag{x}, PublishedAt: at.Add(2 * time.Hour)})
		tieHigh := site.Article(t, &news.Article{Headline: "One tag, tied, higher id", Section: sport, Tags: []news.Tag{z}, PublishedAt: at.Add(2 * time.Hour)})
		newest := site.Article(t, &news.Article{Headline: "Section only, newest", Section: city, PublishedAt: at.Add(5 * time.Hour)})
		site.Article(t, &news.Article{Headline: "Nothing shared", Section: sport, PublishedAt: at.Add(3 * time.Hour)})

		tests := []struct {
			limit int
			want  []int64
		}{
			{10, []int64{older.ID, twoTagsSection.ID, tieHigh.ID, tieLow.ID, newest.ID}},
			{3, []int64{older.ID, twoTagsSection.ID, tieHigh.ID}},
			{1, []int64{older.ID}},
		}
		for _, tt := range tests {
			rel, err := site.Store.Related(ctx, a, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(rel), tt.want) {
				t.Errorf("limit %d: related %v, want %v", tt.limit, ids(rel), tt.want)
			}
		}
	})
}

// TestRelatedCards: Related reads what a card shows in one query; those
// fields are what the full listing load gives, bylines in order.
func TestRelatedCards(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		city := site.Section(t, "City")
		x := site.Tag(t, "X")
		ann, bob := site.Author(t, "Ann Writer"), site.Author(t, "Bob Writer")
		at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
		a := site.Article(t, &news.Article{Headline: "A", Section: city, Tags: []news.Tag{x}, PublishedAt: at})
		b := site.Article(t, &news.Article{Headline: "B", Standfirst: "Bee.", Section: city, Tags: []news.Tag{x}, PublishedAt: at.Add(time.Hour),
			Authors: []news.Staff{bob, ann}, LeadImage: &news.Image{URL: "/media/b.jpg", Alt: "A bee", Caption: "Bee", Credit: "Cam", Width: 800, Height: 600}})
		c := site.Article(t, &news.Article{Headline: "C", Tags: []news.Tag{x}, PublishedAt: at.Add(2 * time.Hour)})
		site.Comment(t, b, &news.Comment{})
		site.Comment(t, b, &news.Comment{})
		site.Comment(t, b, &news.Comment{Status: news.CommentPending})

		rel, err := site.Store.Related(ctx, a, 3)
		if err != nil {
			t.Fatal(err)
		}
		want, err := site.Store.PublishedArticles(ctx, news.ArticleFilter{TagID: x.ID, ExcludeID: []int64{a.ID}}, false)
		if err != nil {
			t.Fatal(err)
		}
		// One tag in common each: the newer first, as the listing has them.
		if len(rel) != 2 || len(want) != 2 || rel[0].ID != c.ID || rel[1].ID != b.ID {
			t.Fatalf("related %v, want %v", ids(rel), []int64{c.ID, b.ID})
		}
		type card struct {
			Path, Headline, Standfirst string
			Image                      news.Image
			Published                  time.Time
			Section                    news.Section
			Comments                   int
			Bylines                    []string
		}
		cardOf := func(a *news.Article) card {
			k := card{Path: a.URLPath(), Headline: a.Headline, Standfirst: a.Standfirst, Published: a.PublishedAt.UTC(), Comments: a.CommentCount}
			if a.LeadImage != nil {
				k.Image = *a.LeadImage
			}
			if a.Section != nil {
				k.Section = news.Section{ID: a.Section.ID, Slug: a.Section.Slug, Name: a.Section.Name}
			}
			for _, au := range a.Authors {
				k.Bylines = append(k.Bylines, fmt.Sprint(au.ID, au.Slug, au.Name, au.URLPath()))
			}
			return k
		}
		for i := range rel {
			if got, want := cardOf(rel[i]), cardOf(want[i]); !reflect.DeepEqual(got, want) {
				t.Errorf("card %d:\n got %+v\nwant %+v", i, got, want)
			}
		}
		if got := cardOf(rel[1]); got.Comments != 2 || len(got.Bylines) != 2 || got.Image.URL == "" {
			t.Errorf("card of b: %+v; want 2 comments, 2 bylines and the image", got)
		}
	})
}

func idOf(a *news.Article) int64 {
	if a == nil {
		return 0
	}
	return a.ID
}

func TestArchiveMonths(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		jan := time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC)
		// 23:30 on 31 March in UTC is 1 April in UTC+2: months are UTC.
		mar := time.Date(2026, 4, 1, 1, 30, 0, 0, time.FixedZone("UTC+2", 2*3600))
		a := site.Article(t, &news.Article{Headline: "Jan", PublishedAt: jan})
		b := site.Article(t, &news.Article{Headline: "Mar 1", PublishedAt: mar})
		c := site.Article(t, &news.Article{Headline: "Mar 2", PublishedAt: mar.Add(-24 * time.Hour)})
		months, err := site.Store.ArchiveMonths(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range months {
			got = append(got, fmt.Sprintf("%d-%02d", m.Year, m.Month))
			// The latest change among the month's articles.
			in, err := site.Store.ArticlesInMonth(ctx, m.Year, m.Month)
			if err != nil {
				t.Fatal(err)
			}
			var want time.Time
			for _, a := range in {
				if a.ModifiedAt.After(want) {
					want = a.ModifiedAt
				}
			}
			if want.IsZero() || !m.LastModified.Equal(want) {
				t.Errorf("%d-%02d last modified %v, want %v", m.Year, m.Month, m.LastModified, want)
			}
		}
		if want := []string{"2026-03", "2026-01"}; !slices.Equal(got, want) {
			t.Errorf("months %v, want %v", got, want)
		}
		inMar, err := site.Store.ArticlesInMonth(ctx, 2026, 3)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{b.ID, c.ID}; !slices.Equal(ids(inMar), want) {
			t.Errorf("March %v, want %v", ids(inMar), want)
		}
		if inJan, _ := site.Store.ArticlesInMonth(ctx, 2026, 1); !slices.Equal(ids(inJan), []int64{a.ID}) {
			t.Errorf("January %v", ids(inJan))
		}
	})
}

func TestComments(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		a := site.Article(t, &news.Article{Headline: "Commented"})
		other := site.Article(t, &news.Article{Headline: "Other"})
		st := site.Store
		at := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)
		first := site.Comment(t, a, &news.Comment{Email: "Reader@Example.TEST", Body: "first", CreatedAt: at, IP: "192.0.2.1", UserAgent: "ua", Website: "https://x.test"})
		reply := site.Comment(t, a, &news.Comment{ParentID: first.ID, Body: "reply", CreatedAt: at.Add(time.Minute), IsStaff: true})
		pending := site.Comment(t, a, &news.Comment{Body: "pending", Status: news.CommentPending, CreatedAt: at.Add(2 * time.Minute)})
		spam := site.Comment(t, a, &news.Comment{Body: "spam", Status: news.CommentSpam, CreatedAt: at.Add(3 * time.Minute)})

		got, err := st.Comment(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Email != "reader@example.test" || got.Body != "first" || got.IP != "192.0.2.1" || got.UserAgent != "ua" ||
			got.Website != "https://x.test" || got.Status != news.CommentApproved || !got.CreatedAt.Equal(at) || got.IsStaff {
			t.Errorf("comment = %+v", got)
		}
		if r, _ := st.Comment(ctx, reply.ID); r == nil || r.ParentID != first.ID || !r.IsStaff {
			t.Errorf("reply = %+v", r)
		}
		if _, err := st.Comment(ctx, 999999); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("missing comment: %v", err)
		}
		// A reply must belong to its parent's article.
		bad := &news.Comment{ArticleID: other.ID, ParentID: first.ID, Name: "x", Email: "x@example.test", Body: "x", Status: news.CommentApproved}
		if err := st.CreateComment(ctx, bad); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("reply across articles: %v, want ErrNotFound", err)
		}

		tests := []struct {
			name        string
			alsoPending []int64
			want        []int64
		}{
			{"approved only", nil, []int64{first.ID, reply.ID}},
			{"with own pending", []int64{pending.ID}, []int64{first.ID, reply.ID, pending.ID}},
			{"spam shows only to its author (as pending)", []int64{spam.ID}, []int64{first.ID, reply.ID, spam.ID}},
		}
		for _, tt := range tests {
			list, err := st.ArticleComments(ctx, a.ID, tt.alsoPending)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, c := range list {
				got = append(got, c.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}

		for email, want := range map[string]bool{"READER@example.test": true, "nobody@example.test": false} {
			if ok, err := st.HasApprovedComment(ctx, email); err != nil || ok != want {
				t.Errorf("HasApprovedComment(%s) = %v, %v", email, ok, err)
			}
		}
		if err := st.SetCommentStatus(ctx, pending.ID, news.CommentApproved); err != nil {
			t.Fatal(err)
		}
		if err := st.SetCommentStatus(ctx, 999999, news.CommentApproved); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("moderating a missing comment: %v", err)
		}
		loaded, err := st.PublishedArticle(ctx, a.Path)
		if err != nil || loaded.CommentCount != 3 {
			t.Errorf("comment count %d, %v; want 3 approved", loaded.CommentCount, err)
		}
	})
}

func TestPeopleSectionsTags(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		ann := site.Author(t, "Ann Reporter")
		idle := site.Author(t, "Idle Person")
		if err := st.CreateStaff(ctx, &news.Staff{Email: strings.ToUpper(ann.Email), Name: "Dup", Slug: "dup", Role: news.RoleAuthor}); !errors.Is(err, news.ErrConflict) {
			t.Errorf("same email in other case: %v, want ErrConflict", err)
		}
		if err := st.CreateStaff(ctx, &news.Staff{Email: "new@example.test", Name: "Dup", Slug: ann.Slug, Role: news.RoleAuthor}); !errors.Is(err, news.ErrConflict) {
			t.Errorf("same slug: %v, want ErrConflict", err)
		}
		got, err := st.StaffBySlug(ctx, ann.Slug)
		if err != nil || *got != ann {
			t.Errorf("StaffBySlug = %+v, %v; want %+v", got, err, ann)
		}
		if _, err := st.StaffBySlug(ctx, "nobody"); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("missing author: %v", err)
		}

		news1, sport := site.Section(t, "News"), site.Section(t, "Sport")
		if err := st.CreateSection(ctx, &news.Section{Slug: "news", Name: "Again"}); !errors.Is(err, news.ErrConflict) {
			t.Errorf("duplicate section: %v", err)
		}
		secs, err := st.Sections(ctx)
		if err != nil || len(secs) != 2 || secs[0].ID != news1.ID || secs[1].ID != sport.ID || secs[0].Description == "" {
			t.Errorf("sections %+v, %v", secs, err)
		}
		if s, err := st.SectionBySlug(ctx, "sport"); err != nil || s.ID != sport.ID {
			t.Errorf("SectionBySlug = %+v, %v", s, err)
		}
		if _, err := st.SectionBySlug(ctx, "nope"); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("missing section: %v", err)
		}

		t1, err := st.EnsureTag(ctx, " Harbour Works ")
		if err != nil || t1.Slug != "harbour-works" || t1.Name != "Harbour Works" {
			t.Fatalf("EnsureTag = %+v, %v", t1, err)
		}
		t2, err := st.EnsureTag(ctx, "harbour works")
		if err != nil || t2.ID != t1.ID || t2.Name != "Harbour Works" {
			t.Errorf("EnsureTag again = %+v, %v; want the first tag", t2, err)
		}
		if tg, err := st.TagBySlug(ctx, "harbour-works"); err != nil || tg.ID != t1.ID {
			t.Errorf("TagBySlug = %+v, %v", tg, err)
		}
		if _, err := st.TagBySlug(ctx, "nope"); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("missing tag: %v", err)
		}
		rare := site.Tag(t, "Rare")
		site.Article(t, &news.Article{Headline: "One", Authors: []news.Staff{ann}, Tags: []news.Tag{t1, rare}})
		site.Article(t, &news.Article{Headline: "Two", Authors: []news.Staff{ann}, Tags: []news.Tag{t1}})
		if err := st.CreateArticle(ctx, &news.Article{Slug: "d", Headline: "Draft", Status: news.StatusDraft, Authors: []news.Staff{idle}, Tags: []news.Tag{rare, site.Tag(t, "Unused")}}); err != nil {
			t.Fatal(err)
		}
		popular, err := st.PopularTags(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tg := range popular {
			names = append(names, fmt.Sprintf("%s:%d", tg.Name, tg.Count))
		}
		if want := []string{"Harbour Works:2", "Rare:1"}; !slices.Equal(names, want) {
			t.Errorf("popular tags %v, want %v (published articles only)", names, want)
		}
		bylined, err := st.BylinedStaff(ctx)
		if err != nil || len(bylined) != 1 || bylined[0].ID != ann.ID {
			t.Errorf("bylined %+v, %v; want only Ann", bylined, err)
		}
	})
}

func TestSettings(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		if v, ok, err := st.Setting(ctx, "missing"); err != nil || ok || v != "" {
			t.Errorf("missing setting = %q, %v, %v", v, ok, err)
		}
		for _, v := range []string{"one", "two", ""} {
			if err := st.SetSetting(ctx, "k", v); err != nil {
				t.Fatal(err)
			}
			if got, ok, err := st.Setting(ctx, "k"); err != nil || !ok || got != v {
				t.Errorf("after SetSetting(%q): %q, %v, %v", v, got, ok, err)
			}
		}
		// Racing initialisers agree on one value.
		var wg sync.WaitGroup
		got := make([]string, 8)
		for i := range got {
			wg.Go(func() {
				v, err := st.SettingOrInit(ctx, "secret", func() string { return fmt.Sprint("value-", i) })
				if err != nil {
					t.Error(err)
				}
				got[i] = v
			})
		}
		wg.Wait()
		for _, v := range got {
			if v != got[0] || v == "" {
				t.Fatalf("SettingOrInit gave %q", got)
			}
		}
		p := news.Publication{Name: "The Ledger", Tagline: "Daily", Description: "News.", Language: "cy",
			LogoURL: "/media/logo.png", IconURL: "/media/icon.png", TimeZone: "Europe/London", DateStyle: "Y-m-d",
			Comments:  news.CommentPolicy{ClosedByDefault: true, CloseAfterDays: 14, Moderation: news.ModerateAll},
			Publisher: news.Publisher{Name: "Ledger Media Ltd", Address: "1 High Street\nCardiff", EthicsPolicy: "/page/ethics", NoBylinesPolicy: "https://example.org/nb"},
			Social:    []string{"https://mastodon.example/@ledger", "https://bsky.app/profile/ledger.example"}}
		if err := st.SetPublication(ctx, p); err != nil {
			t.Fatal(err)
		}
		if back, err := st.Publication(ctx); err != nil || !reflect.DeepEqual(back, p) {
			t.Errorf("Publication = %+v, %v; want %+v", back, err, p)
		}
	})
}

// TestListingMonths checks the months the triggers keep (0034) against
// the articles counted afresh, the sitemap index's months that read them,
// and every page of the section, tag and author listings, each found
// from its month, against the same stories walked by OFFSET, as stories
// are edited, withdrawn, scheduled, re-dated, moved, retagged, made
// static pages, merged and deleted.
func TestListingMonths(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		store.SetListingSeek(st, 1) // every page but the first seeks
		city, sport := site.Section(t, "City"), site.Section(t, "Sport")
		ann, bob := site.Author(t, "Ann"), site.Author(t, "Bob")
		x, y := site.Tag(t, "X"), site.Tag(t, "Y")
		base := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
		var all []*news.Article
		for i := range 30 {
			sec, au, tags := city, []news.Staff{ann}, []news.Tag{x}
			if i%3 == 1 {
				sec, au = sport, []news.Staff{ann, bob}
			}
			if i%4 == 0 {
				tags = append(tags, y)
			}
			// Some share a time: the id orders them.
			at := base.Add(-time.Duration(i/2*9*24) * time.Hour)
			all = append(all, site.Article(t, &news.Article{Headline: fmt.Sprintf("Story %d", i), Section: sec, Authors: au,
				Tags: tags, PublishedAt: at}))
		}
		// A static page in the city section, counted in its months, not listed.
		if err := st.PutPage(ctx, news.Page{ArticleID: all[5].ID, Slug: "about"}); err != nil {
			t.Fatal(err)
		}
		scheduled := &news.Article{Slug: "later", Headline: "Later", Status: news.StatusScheduled, Section: city,
			Authors: []news.Staff{bob}, Tags: []news.Tag{y}, PublishAt: base.Add(time.Hour)}
		if err := st.CreateArticle(ctx, scheduled); err != nil {
			t.Fatal(err)
		}

		check := func(t *testing.T, step string) {
			t.Helper()
			kept, counted, err := store.MonthCounts(st, ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(kept, counted) {
				t.Errorf("%s: months kept\n%s\nwant\n%s", step, strings.Join(kept, "\n"), strings.Join(counted, "\n"))
			}
			months, err := st.ArchiveMonths(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, m := range months {
				got = append(got, fmt.Sprintf("archive 0 %d-%02d %s", m.Year, m.Month, m.LastModified.Format(time.RFC3339Nano)))
			}
			for i := len(counted) - 1; i >= 0; i-- { // newest first
				if f := strings.Fields(counted[i]); f[0] == "archive" {
					want = append(want, strings.Join(slices.Delete(f, 3, 4), " "))
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: archive months %v, want %v", step, got, want)
			}
			for _, f := range []news.ArticleFilter{{SectionID: city.ID}, {SectionID: sport.ID}, {TagID: x.ID}, {TagID: y.ID},
				{AuthorID: ann.ID}, {AuthorID: bob.ID}} {
				f.Limit = 1000
				full, err := st.PublishedArticles(ctx, f, false) // offset 0: walked
				if err != nil {
					t.Fatal(err)
				}
				for _, limit := range []int{1, 3, 7} {
					for offset := 1; offset <= len(full)+1; offset++ {
						f.Limit, f.Offset = limit, offset
						page, err := st.PublishedArticles(ctx, f, false)
						if err != nil {
							t.Fatal(err)
						}
						if want := ids(full[min(offset, len(full)):min(offset+limit, len(full))]); !slices.Equal(ids(page), want) {
							t.Errorf("%s: %+v lists %v, want %v", step, f, ids(page), want)
						}
					}
				}
			}
		}
		check(t, "created")

		a, err := st.Article(ctx, all[2].ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Headline = "Story 2, edited"
		if err := st.UpdateArticle(ctx, a, a.Version, 0, "save"); err != nil {
			t.Fatal(err)
		}
		check(t, "edited")

		// The month's latest change is stamped earlier (an import's own
		// time): the month's latest is another story's.
		if err := st.SetModified(ctx, all[2].ID, base.Add(-90*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		check(t, "stamped earlier")

		if err := st.ChangeStatus(ctx, all[0].ID, news.StatusChange{From: news.StatusPublished, To: news.StatusUnpublished, Action: "unpublish"}); err != nil {
			t.Fatal(err)
		}
		check(t, "unpublished")

		if err := st.ChangeStatus(ctx, scheduled.ID, news.StatusChange{From: news.StatusScheduled, To: news.StatusPublished, Action: "publish",
			Path: "2026/05/20/later", Slug: "later", PublishedAt: base.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		check(t, "scheduled and published")

		if err := st.SetPublishedAt(ctx, all[6].ID, base.Add(-200*24*time.Hour), "2025/11/01/story-6"); err != nil {
			t.Fatal(err)
		}
		check(t, "re-dated to another month")

		if err := st.PutPage(ctx, news.Page{ArticleID: all[9].ID, Slug: "contact"}); err != nil {
			t.Fatal(err)
		}
		check(t, "made a page")

		a, err = st.Article(ctx, all[10].ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Section, a.Tags, a.Authors = sport, []news.Tag{y}, []news.Staff{bob}
		if err := st.UpdateArticle(ctx, a, a.Version, 0, "save"); err != nil {
			t.Fatal(err)
		}
		check(t, "moved and retagged")

		if err := st.DeleteArticle(ctx, all[12].ID); err != nil {
			t.Fatal(err)
		}
		check(t, "deleted")

		if err := st.MergeTag(ctx, y.ID, x.ID); err != nil {
			t.Fatal(err)
		}
		check(t, "merged tags")

		if err := st.MergeSection(ctx, city.ID, sport.ID); err != nil {
			t.Fatal(err)
		}
		check(t, "merged sections")
	})
}

// TestLastEvents: each article's latest workflow event, by article, and
// none for an article without any.
func TestLastEvents(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		returned := site.Article(t, &news.Article{Headline: "Sent back"})
		published := site.Article(t, &news.Article{Headline: "Out"})
		steps := []struct {
			id     int64
			change news.StatusChange
		}{
			{returned.ID, news.StatusChange{From: news.StatusPublished, To: news.StatusUnpublished, Action: "unpublish"}},
			{returned.ID, news.StatusChange{From: news.StatusUnpublished, To: news.StatusDraft, Action: "return", Note: "Needs a second source."}},
			{published.ID, news.StatusChange{From: news.StatusPublished, To: news.StatusUnpublished, Action: "unpublish"}},
		}
		for _, s := range steps {
			if err := st.ChangeStatus(ctx, s.id, s.change); err != nil {
				t.Fatal(err)
			}
		}
		last, err := st.LastEvents(ctx, []int64{returned.ID, published.ID, 1 << 40})
		if err != nil {
			t.Fatal(err)
		}
		if len(last) != 2 || last[returned.ID].Action != "return" || last[returned.ID].Note != "Needs a second source." || last[published.ID].Action != "unpublish" {
			t.Errorf("last events: %+v", last)
		}
		if none, err := st.LastEvents(ctx, nil); err != nil || len(none) != 0 {
			t.Errorf("no articles: %v, %v", none, err)
		}
	})
}
