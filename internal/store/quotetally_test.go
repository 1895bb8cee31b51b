package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// The tallies people carry follow every change that moves a quotation in
// or out of what readers see, and agree with counting afresh after each.
func TestQuoteTalliesFollowChanges(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		split := "“We are ready,” said Mara Quill. “The rest can wait.”\n\n“Not yet,” said Tom Brack."
		a := site.Article(t, &news.Article{Headline: "Ready", Body: split})
		b := site.Article(t, &news.Article{Headline: "Later", Body: "“Again,” said Mara Quill.",
			PublishedAt: a.PublishedAt.Add(time.Hour)})
		draft := &news.Article{Headline: "Draft", Body: "“Off the record,” said Mara Quill.", Status: news.StatusDraft, Slug: "draft"}
		if err := site.Desk.Prepare(ctx, draft); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateArticle(ctx, draft); err != nil {
			t.Fatal(err)
		}
		mara, err := st.PersonByName(ctx, "Mara Quill")
		if err != nil {
			t.Fatal(err)
		}
		tom, err := st.PersonByName(ctx, "Tom Brack")
		if err != nil {
			t.Fatal(err)
		}
		unpublish := news.StatusChange{From: news.StatusPublished, To: news.StatusDraft, Action: "unpublish"}

		steps := []struct {
			name       string
			do         func() error
			mara       int // quotations readers see
			maraSpans  int
			maraLatest *news.Article // whose date is LastQuoted; nil: never quoted
		}{
			{"as written", func() error { return nil }, 2, 3, b},
			{"a quotation dismissed", func() error {
				return st.DecideQuote(ctx, b.ID, "Again,", &news.QuoteDecision{Verdict: news.VerdictDismissed}, 0)
			}, 1, 2, a},
			{"given to someone else", func() error {
				return st.DecideQuote(ctx, a.ID, "Not yet,", &news.QuoteDecision{Verdict: news.VerdictConfirmed, PersonID: mara.ID}, 0)
			}, 2, 3, a},
			{"the article re-extracted with one quote fewer", func() error {
				return st.ReplaceQuotes(ctx, a.ID, newsroom.ExtractQuotes("“We are ready,” said Mara Quill."))
			}, 1, 1, a},
			{"redated", func() error {
				return st.SetPublishedAt(ctx, a.ID, a.PublishedAt.Add(-24*time.Hour), a.Path)
			}, 1, 1, a},
			{"unpublished", func() error { return st.ChangeStatus(ctx, a.ID, unpublish) }, 0, 0, nil},
			{"the draft published", func() error {
				return st.ChangeStatus(ctx, draft.ID, news.StatusChange{From: news.StatusDraft, To: news.StatusPublished, Action: "publish",
					Path: "/2026/draft", Slug: "draft", PublishedAt: b.PublishedAt.Add(time.Hour)})
			}, 1, 1, draft},
			{"Tom merged into Mara", func() error { return st.MergePeople(ctx, tom.ID, mara.ID) }, 1, 1, draft},
			{"the draft's article deleted", func() error { return st.DeleteArticle(ctx, draft.ID) }, 0, 0, nil},
		}
		for _, step := range steps {
			if err := step.do(); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			drift, err := store.QuoteTallyDrift(st, ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range drift {
				t.Errorf("%s: %s", step.name, d)
			}
			p, err := st.Person(ctx, mara.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, spans, err := st.PersonQuotes(ctx, mara.ID, 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			if p.QuoteCount != step.mara || spans != step.maraSpans {
				t.Errorf("%s: Mara has %d quotations (%d spans), want %d (%d)", step.name, p.QuoteCount, spans, step.mara, step.maraSpans)
			}
			var latest time.Time
			if step.maraLatest != nil {
				art, err := st.Article(ctx, step.maraLatest.ID)
				if err != nil {
					t.Fatal(err)
				}
				latest = art.PublishedAt
			}
			if !p.LastQuoted.Equal(latest) {
				t.Errorf("%s: Mara last quoted %v, want %v", step.name, p.LastQuoted, latest)
			}
		}
	})
}

// A person's pages, found by adding up their articles' tallies, tile
// their quotations exactly, newest article first, in text order within
// one, whatever the page size.
func TestPersonQuotesPages(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		var want []string
		for i, n := range []int{3, 1, 2, 4} {
			body := ""
			for j := range n {
				body += fmt.Sprintf("“Point %d of %d,” said Ada Pell.\n\n", j+1, i)
			}
			site.Article(t, &news.Article{Headline: fmt.Sprintf("Story %d", i), Body: body, PublishedAt: at.Add(time.Duration(i) * time.Hour)})
			var these []string
			for j := range n {
				these = append(these, fmt.Sprintf("Point %d of %d,", j+1, i))
			}
			want = append(these, want...) // newest story first
		}
		ada, err := st.PersonByName(ctx, "Ada Pell")
		if err != nil {
			t.Fatal(err)
		}
		for size := 1; size <= 5; size++ {
			var got []string
			for offset := 0; offset < len(want)+size; offset += size {
				page, total, err := st.PersonQuotes(ctx, ada.ID, size, offset)
				if err != nil || total != len(want) {
					t.Fatalf("size %d offset %d: total %d, %v", size, offset, total, err)
				}
				got = append(got, quoteTexts(page)...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages of %d: %q, want %q", size, got, want)
			}
		}
	})
}

// A person's slug may change until a published article quotes them: then
// their page's address is fixed.
func TestPersonSlugFixedOncePublished(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		draft := &news.Article{Headline: "Draft", Body: "“Not yet,” said Orla Finch.", Status: news.StatusDraft, Slug: "draft"}
		if err := site.Desk.Prepare(ctx, draft); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateArticle(ctx, draft); err != nil {
			t.Fatal(err)
		}
		orla, err := st.PersonByName(ctx, "Orla Finch")
		if err != nil {
			t.Fatal(err)
		}
		orla.Slug = "orla-finch-councillor"
		if err := st.UpdatePerson(ctx, orla); err != nil {
			t.Fatalf("new slug while only a draft quotes her: %v", err)
		}
		site.Article(t, &news.Article{Headline: "Now", Body: "“Now,” said Orla Finch."})
		orla.Slug = "orla-finch"
		var fe news.FieldErrors
		if err := st.UpdatePerson(ctx, orla); !errors.As(err, &fe) || fe["slug"] == "" {
			t.Errorf("new slug once a published article quotes her: %v", err)
		}
	})
}
