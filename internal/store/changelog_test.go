package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// The change log names what each kind of write changes for readers, on
// every backend: the triggers, not the Go write paths, write it.
func TestChangeLog(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		city := site.Section(t, "City")
		ann := site.Author(t, "Ann Marlowe")
		harbour := site.Tag(t, "Harbour")
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		older := site.Article(t, &news.Article{Headline: "Older", Section: city, PublishedAt: at})
		newer := site.Article(t, &news.Article{Headline: "Newer", Section: city, PublishedAt: at.Add(2 * time.Hour)})

		since := func() int64 {
			id, err := st.LatestChange(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		changed := func(after int64) []string {
			t.Helper()
			list, complete, err := st.ChangesSince(ctx, after, 1000)
			if err != nil || !complete {
				t.Fatalf("ChangesSince: %v, complete %v", err, complete)
			}
			var out []string
			for _, c := range list {
				s := string(c.Kind) + ":" + c.Ref
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
			slices.Sort(out)
			return out
		}

		mark := since()
		middle := site.Article(t, &news.Article{Headline: "Middle", Section: city, Authors: []news.Staff{ann}, Tags: []news.Tag{harbour}, PublishedAt: at.Add(time.Hour)})
		want := []string{"article:" + middle.Path, "article:" + newer.Path, "article:" + older.Path, "author:ann-marlowe", "section:city", "site:", "tag:harbour"}
		slices.Sort(want)
		if got := changed(mark); !slices.Equal(got, want) {
			t.Errorf("publishing: %v, want %v", got, want)
		}

		mark = since()
		c := site.Comment(t, middle, &news.Comment{Status: news.CommentPending})
		if got := changed(mark); len(got) != 0 {
			t.Errorf("a pending comment: %v, want nothing", got)
		}
		if err := st.SetCommentStatus(ctx, c.ID, news.CommentApproved); err != nil {
			t.Fatal(err)
		}
		if got, want := changed(mark), []string{"article:" + middle.Path}; !slices.Equal(got, want) {
			t.Errorf("approving a comment: %v, want %v", got, want)
		}

		mark = since()
		if err := st.CreateArticle(ctx, &news.Article{Slug: "draft", Headline: "Draft", Status: news.StatusDraft, Tags: []news.Tag{harbour}}); err != nil {
			t.Fatal(err)
		}
		site.Tag(t, "Harbour") // an upsert that changes nothing
		if got := changed(mark); len(got) != 0 {
			t.Errorf("a draft and a tag lookup: %v, want nothing", got)
		}

		// A live blog's state and entries show on its article alone; a
		// draft's nowhere.
		mark = since()
		entry := &news.LiveEntry{ArticleID: middle.ID, Body: "Water.", BodyHTML: "<p>Water.</p>", CreatedAt: at}
		if err := st.StartLiveBlog(ctx, middle.ID, at); err != nil {
			t.Fatal(err)
		}
		if err := st.AddLiveEntry(ctx, entry, 0); err != nil {
			t.Fatal(err)
		}
		entry.DeletedAt = at
		if err := st.UpdateLiveEntry(ctx, entry, 0); err != nil {
			t.Fatal(err)
		}
		if err := st.CloseLiveBlog(ctx, middle.ID); err != nil {
			t.Fatal(err)
		}
		if got, want := changed(mark), []string{"article:" + middle.Path}; !slices.Equal(got, want) {
			t.Errorf("a live blog: %v, want %v", got, want)
		}
		liveDraft := &news.Article{Slug: "live-draft", Headline: "Live draft", Status: news.StatusDraft}
		if err := st.CreateArticle(ctx, liveDraft); err != nil {
			t.Fatal(err)
		}
		mark = since()
		if err := st.StartLiveBlog(ctx, liveDraft.ID, at); err != nil {
			t.Fatal(err)
		}
		if err := st.AddLiveEntry(ctx, &news.LiveEntry{ArticleID: liveDraft.ID, Body: "Soon.", BodyHTML: "<p>Soon.</p>", CreatedAt: at}, 0); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); len(got) != 0 {
			t.Errorf("a draft's live blog: %v, want nothing", got)
		}

		// The breaking-news banner shows on every page, set or cleared.
		for _, text := range []string{"Dam gives way", ""} {
			mark = since()
			if err := st.SetBreaking(ctx, &news.Breaking{Text: text, ArticleID: middle.ID, SetAt: at, ExpiresAt: at.Add(time.Hour)}, 0); err != nil {
				t.Fatal(err)
			}
			if got := changed(mark); !slices.Equal(got, []string{string(store.ChangeAll) + ":"}) {
				t.Errorf("the banner set to %q: %v, want all", text, got)
			}
		}

		mark = since()
		if err := st.SetPublication(ctx, news.Publication{Name: "Renamed", Language: "en"}); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); !slices.Equal(got, []string{string(store.ChangeAll) + ":"}) {
			t.Errorf("renaming the paper: %v, want all", got)
		}

		// Merging a tag or a section changes every page that names it.
		mark = since()
		if err := st.MergeTag(ctx, harbour.ID, site.Tag(t, "Port").ID); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); !slices.Contains(got, string(store.ChangeAll)+":") {
			t.Errorf("merging a tag: %v, want all", got)
		}
		mark = since()
		if err := st.MergeSection(ctx, city.ID, site.Section(t, "Town").ID); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); !slices.Contains(got, string(store.ChangeAll)+":") {
			t.Errorf("merging a section: %v, want all", got)
		}
		mark = since()
		if err := st.SetMenu(ctx, news.FooterMenu, []news.MenuItem{{Kind: news.MenuCustom, Label: "About", URL: "/page/about"}}); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); !slices.Equal(got, []string{string(store.ChangeAll) + ":"}) {
			t.Errorf("a menu: %v, want all", got)
		}

		// An author's links show on every page they have a byline on.
		mark = since()
		ann.Links.Mastodon = "https://mastodon.example/@ann"
		if err := st.UpdateStaff(ctx, &ann); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); !slices.Equal(got, []string{string(store.ChangeAll) + ":"}) {
			t.Errorf("an author's links: %v, want all", got)
		}
		mark = since()
		if err := st.UpdateStaff(ctx, &ann); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); len(got) != 0 {
			t.Errorf("saving an unchanged profile: %v, want nothing", got)
		}

		// The sign-up form after every story lists the newsletters, with
		// their schedules, and the archive lists their issues; who
		// subscribes changes no page.
		mark = since()
		nl := &news.Newsletter{Slug: "briefing", Name: "Briefing", Kind: news.NewsletterBriefing, FromEmail: "news@example.test", CreatedAt: at}
		if err := st.CreateNewsletter(ctx, nl); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); !slices.Equal(got, []string{string(store.ChangeAll) + ":"}) {
			t.Errorf("a new newsletter: %v, want all", got)
		}
		mark = since()
		if _, err := st.Subscribe(ctx, nl.ID, "reader@example.test", "hash", at); err != nil {
			t.Fatal(err)
		}
		if err := st.UpdateNewsletter(ctx, nl, at); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); len(got) != 0 {
			t.Errorf("a subscription and an unchanged newsletter: %v, want nothing", got)
		}
		mark = since()
		nl.Schedule = news.Schedule{Every: news.EveryDay, At: 7 * time.Hour}
		if err := st.UpdateNewsletter(ctx, nl, at); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); !slices.Equal(got, []string{string(store.ChangeAll) + ":"}) {
			t.Errorf("a new schedule: %v, want all", got)
		}
		mark = since()
		if err := st.CreateIssue(ctx, &news.NewsletterIssue{NewsletterID: nl.ID, Subject: "S", Markdown: "B", CreatedAt: at}, 0); err != nil {
			t.Fatal(err)
		}
		if got := changed(mark); !slices.Equal(got, []string{string(store.ChangeAll) + ":"}) {
			t.Errorf("an issue for the archive: %v, want all", got)
		}
	})
}

// A bulk load with the change log suspended logs one "everything changed"
// entry (or nothing, when it wrote nothing); afterwards, and after a load
// that rolled back, the triggers log as before.
func TestSuspendChangeLog(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		city := site.Section(t, "City")
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		latest := func() int64 {
			t.Helper()
			id, err := st.LatestChange(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		kinds := func(after int64) []string {
			t.Helper()
			list, _, err := st.ChangesSince(ctx, after, 1000)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range list {
				out = append(out, string(c.Kind)+":"+c.Ref)
			}
			return out
		}
		load := func(slug string, wrote, fail bool) error {
			return st.Atomically(ctx, func(tx *store.Store) error {
				resume, err := tx.SuspendChangeLog(ctx)
				if err != nil {
					return err
				}
				if wrote {
					a := &news.Article{Slug: slug, Path: "2026/03/01/" + slug, Headline: "Bulk", Section: city, Status: news.StatusPublished, PublishedAt: at}
					if err := tx.InsertBatch(ctx, []store.BulkArticle{{Article: a, Comments: []*news.Comment{{Name: "Reader", Email: "r@example.org", Body: "Yes.", Status: news.CommentApproved}}}}); err != nil {
						return err
					}
				}
				if fail {
					return errBulk
				}
				return resume(ctx, wrote)
			})
		}
		for _, tt := range []struct {
			name        string
			wrote, fail bool
			want        []string
		}{
			{"wrote", true, false, []string{"all:"}},
			{"wrote nothing", false, false, nil},
			{"rolled back", true, true, nil},
		} {
			mark := latest()
			if err := load(news.Slugify(tt.name), tt.wrote, tt.fail); err != nil && !errors.Is(err, errBulk) {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got := kinds(mark); !slices.Equal(got, tt.want) {
				t.Errorf("%s: logged %v, want %v", tt.name, got, tt.want)
			}
			// The months, counted afresh where the counting triggers were
			// off (PostgreSQL), are what the triggers would have kept.
			if kept, counted, err := store.MonthCounts(st, ctx); err != nil || !slices.Equal(kept, counted) {
				t.Errorf("%s: months kept %v, counted %v (%v)", tt.name, kept, counted, err)
			}
			mark = latest()
			a := site.Article(t, &news.Article{Headline: "After " + tt.name, Section: city, PublishedAt: at.Add(time.Hour)})
			if got := kinds(mark); !slices.Contains(got, "article:"+a.Path) {
				t.Errorf("%s: publishing afterwards logged %v, want its path among them", tt.name, got)
			}
		}
	})
}

var errBulk = errors.New("bulk load failed")

// The search vocabulary (did-you-mean and completions) and the documents'
// words (search_lexemes) after a load with the change log suspended are
// what the triggers would have kept, and a search ending in a word's
// beginning finds the load's stories.
func TestSuspendChangeLogVocabulary(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		load := func(suspend bool) (vocab, lexemes []string) {
			site := testutil.NewSiteOn(t, b)
			st := site.Store
			site.Article(t, &news.Article{Headline: "Harbour wall repaired", Standfirst: "The council paid.", PublishedAt: at})
			err := st.Atomically(ctx, func(tx *store.Store) error {
				resume := func(context.Context, bool) error { return nil }
				if suspend {
					var err error
					if resume, err = tx.SuspendChangeLog(ctx); err != nil {
						return err
					}
				}
				var batch []store.BulkArticle
				for i, h := range []string{"Harbour ferry returns", "Council votes on the harbour", "Ferry fares rise again, again"} {
					slug := news.Slugify(h)
					batch = append(batch, store.BulkArticle{Article: &news.Article{Slug: slug, Path: "2026/03/02/" + slug, Headline: h,
						Standfirst: "Story " + strconv.Itoa(i), Status: news.StatusPublished, PublishedAt: at.Add(time.Duration(i) * time.Hour)}})
				}
				if err := tx.InsertBatch(ctx, batch); err != nil {
					return err
				}
				return resume(ctx, true)
			})
			if err != nil {
				t.Fatal(err)
			}
			words, err := store.Vocabulary(st, ctx)
			if err != nil {
				t.Fatal(err)
			}
			lexemes, err = store.SearchLexemes(st, ctx)
			if err != nil {
				t.Fatal(err)
			}
			res, err := st.Search(ctx, news.SearchQuery{Text: "harbour fer", Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var heads []string
			for _, h := range res.Hits {
				heads = append(heads, h.Article.Headline)
			}
			if want := []string{"Harbour ferry returns"}; !slices.Equal(heads, want) {
				t.Errorf("suspended %v: search \"harbour fer\" found %q, want %q", suspend, heads, want)
			}
			return words, lexemes
		}
		gotVocab, gotLexemes := load(true)
		wantVocab, wantLexemes := load(false)
		if !slices.Equal(gotVocab, wantVocab) {
			t.Errorf("search vocabulary after a suspended load %v, want %v", gotVocab, wantVocab)
		}
		if !slices.Equal(gotLexemes, wantLexemes) {
			t.Errorf("search_lexemes after a suspended load %v, want %v", gotLexemes, wantLexemes)
		}
		if b.Name == "postgres" && !slices.Contains(gotLexemes, "ferri") {
			t.Errorf("search_lexemes %v lacks the load's words", gotLexemes)
		}
	})
}
