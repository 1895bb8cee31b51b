package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// quoteTexts lists the words of quotes, for comparisons.
func quoteTexts(qs []news.Quote) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Text
	}
	return out
}

func TestQuotesStoredWithArticle(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		a := site.Article(t, &news.Article{Headline: "Café reopens",
			Body: "Café owners met on Ferry Lane.\n\n“We are flooded,” said Ilse Maranović, who runs the café. “But we will open.”\n\nThe council said it was “monitoring the situation”."})
		qs, err := st.ArticleQuotes(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := quoteTexts(qs), []string{"We are flooded,", "But we will open.", "monitoring the situation"}; !slices.Equal(got, want) {
			t.Fatalf("quotes = %q, want %q", got, want)
		}
		if council := qs[2]; council.Person != nil && council.Person.Kind != news.KindOrganisation {
			t.Errorf("the council's quote: %+v", council.Person)
		}
		qs = qs[:2]
		// Offsets are characters of the plain text: "Café" and "—" count once.
		_, text, _ := editorialText(t, a.Body)
		runes := []rune(text)
		for _, q := range qs {
			if got := string(runes[q.Start:q.End]); got != q.Text {
				t.Errorf("text[%d:%d] = %q, want %q", q.Start, q.End, got, q.Text)
			}
			if q.Person == nil || q.Person.Name != "Ilse Maranović" || q.Person.Slug != "ilse-maranovic" || q.Status != news.QuoteDetected {
				t.Errorf("quote %q: person %+v, status %s", q.Text, q.Person, q.Status)
			}
		}
		if qs[0].Group != qs[1].Group-1 && qs[0].Group != qs[1].Group {
			t.Errorf("groups %d, %d", qs[0].Group, qs[1].Group)
		}

		// The same person, written without the accent, in another article.
		site.Article(t, &news.Article{Headline: "Café open", Body: "“It is open,” said Ilse Maranovic."})
		draft := &news.Article{Headline: "Draft", Body: "“Secret plans,” said Ilse Maranović.", Status: news.StatusDraft, Slug: "draft"}
		if err := site.Desk.Prepare(ctx, draft); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateArticle(ctx, draft); err != nil {
			t.Fatal(err)
		}
		p, err := st.PersonBySlug(ctx, "ilse-maranovic")
		if err != nil {
			t.Fatal(err)
		}
		if p.QuoteCount != 2 || p.Kind != news.KindPerson {
			t.Errorf("person: %+v, want 2 published quotations (not the draft's; a split quote counts once)", p)
		}
		list, total, err := st.PersonQuotes(ctx, p.ID, 10, 0)
		if err != nil || total != 3 {
			t.Fatalf("PersonQuotes: %d, %v", total, err)
		}
		if list[0].Text != "It is open," || list[0].Article == nil || list[0].Article.Headline != "Café open" {
			t.Errorf("newest quote first, with its article: %+v", list[0])
		}
		people, err := st.People(ctx, news.PeopleFilter{Published: true, Kind: news.KindPerson})
		if err != nil || len(people) != 1 || people[0].QuoteCount != 2 {
			// Two quotations: "We are flooded, … But we will open." is one.
			t.Errorf("published people = %+v, %v; want Ilse with 2 quotations", people, err)
		}
		if n, err := st.CountPeople(ctx, news.PeopleFilter{Published: true, Kind: news.KindPerson}); err != nil || n != 1 {
			t.Errorf("CountPeople = %d, %v", n, err)
		}
		res, err := st.SearchQuotes(ctx, "FLOODED", 10, 0)
		if err != nil || res.Total != 1 || res.Quotes[0].Text != "We are flooded," {
			t.Errorf("SearchQuotes(FLOODED) = %v, %d, %v", quoteTexts(res.Quotes), res.Total, err)
		}
		if res, _ := st.SearchQuotes(ctx, "secret", 10, 0); res.Total != 0 {
			t.Errorf("search finds a draft's quote")
		}
		if res, _ := st.SearchQuotes(ctx, "maranov", 10, 0); res.Total != 3 {
			t.Errorf("search by speaker: %d hits, want 3", res.Total)
		}
	})
}

func editorialText(t *testing.T, body string) (string, string, error) {
	t.Helper()
	a := &news.Article{Headline: "x", Body: body}
	if err := newsroom.New(nil, newsroom.Config{Location: time.UTC}).Prepare(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	return a.BodyHTML, a.BodyText, nil
}

func TestQuoteWritesAreIdempotent(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		a := site.Article(t, &news.Article{Headline: "Vote", Body: "“Yes,” said Ann Other.\n\n“No,” said Bo Sample."})
		before, err := st.LatestChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		qs := newsroom.ExtractQuotes("“Yes,” said Ann Other.\n\n“No,” said Bo Sample.")
		if err := st.ReplaceQuotes(ctx, a.ID, qs); err != nil {
			t.Fatal(err)
		}
		if after, _ := st.LatestChange(ctx); after != before {
			t.Errorf("re-storing the same quotes logged changes (%d → %d)", before, after)
		}
		// One fewer quote: one row goes, and the article's page is named.
		if err := st.ReplaceQuotes(ctx, a.ID, qs[:1]); err != nil {
			t.Fatal(err)
		}
		changes, _, err := st.ChangesSince(ctx, before, 100)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, c := range changes {
			seen[string(c.Kind)+":"+c.Ref] = true
		}
		if !seen["article:"+a.Path] || !seen["site:"] {
			t.Errorf("changes after dropping a quote: %v", seen)
		}
		got, _ := st.ArticleQuotes(ctx, a.ID)
		if !slices.Equal(quoteTexts(got), []string{"Yes,"}) {
			t.Errorf("quotes = %q", quoteTexts(got))
		}
	})
}

func TestMergePeople(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		a := site.Article(t, &news.Article{Headline: "One", Body: "“First,” said Ines Darrow."})
		b := site.Article(t, &news.Article{Headline: "Two", Body: "“Second,” said Mayor Inez Darrow."})
		c := site.Article(t, &news.Article{Headline: "Three", Body: "“Third,” said Ines D. Darrow-Smith."})
		ines, err := st.PersonByName(ctx, "Ines Darrow")
		if err != nil {
			t.Fatal(err)
		}
		inez, err := st.PersonByName(ctx, "Inez Darrow")
		if err != nil || inez.ID == ines.ID {
			t.Fatalf("Inez: %+v, %v", inez, err)
		}
		third, err := st.PersonByName(ctx, "Ines D. Darrow-Smith")
		if err != nil {
			t.Fatal(err)
		}
		inez.Description = "Mayor of Northgate"
		inez.Aliases = []string{"Mayor Darrow"}
		if err := st.UpdatePerson(ctx, inez); err != nil {
			t.Fatal(err)
		}
		// A name that is someone else's is refused.
		ines.Aliases = []string{"Inez Darrow"}
		var fe news.FieldErrors
		if err := st.UpdatePerson(ctx, ines); !errors.As(err, &fe) || fe["aliases"] == "" {
			t.Errorf("taking someone else's name: %v", err)
		}
		ines.Aliases = nil
		// A decision naming the merged person moves with them.
		if err := st.DecideQuote(ctx, c.ID, "Third,", &news.QuoteDecision{Verdict: news.VerdictConfirmed, PersonID: inez.ID}, 0); err != nil {
			t.Fatal(err)
		}
		if err := st.MergePeople(ctx, third.ID, inez.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.MergePeople(ctx, inez.ID, ines.ID); err != nil {
			t.Fatal(err)
		}
		for _, slug := range []string{inez.Slug, third.Slug, ines.Slug} {
			p, err := st.PersonBySlug(ctx, slug)
			if err != nil || p.ID != ines.ID {
				t.Errorf("PersonBySlug(%s) = %+v, %v; want Ines Darrow", slug, p, err)
			}
		}
		p, err := st.Person(ctx, ines.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.QuoteCount != 3 || p.Description != "Mayor of Northgate" {
			t.Errorf("merged person: %+v", p)
		}
		if want := []string{"Ines D. Darrow-Smith", "Inez Darrow", "Mayor Darrow"}; !slices.Equal(p.Aliases, want) {
			t.Errorf("aliases = %q, want %q", p.Aliases, want)
		}
		for _, art := range []*news.Article{a, b, c} {
			qs, _ := st.ArticleQuotes(ctx, art.ID)
			if len(qs) != 1 || qs[0].Person == nil || qs[0].Person.ID != ines.ID {
				t.Errorf("%s: quotes %+v", art.Headline, qs)
			}
		}
		// New quotes under the merged names find the person they were merged into.
		site.Article(t, &news.Article{Headline: "Four", Body: "“Fourth,” said Inez Darrow."})
		if p, _ := st.Person(ctx, ines.ID); p.QuoteCount != 4 {
			t.Errorf("after a new article: %d quotes, want 4", p.QuoteCount)
		}
		people, err := st.People(ctx, news.PeopleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range people {
			if p.ID == inez.ID || p.ID == third.ID {
				t.Errorf("merged person %s still listed", p.Name)
			}
		}
		if err := st.MergePeople(ctx, inez.ID, ines.ID); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("merging a merged person again: %v", err)
		}
	})
}

// TestReextractionCorrectsKind: a speaker the extractor once stored as a
// person and now finds to be an organisation becomes one, unless an editor
// has changed the entry since, whose word stands.
func TestReextractionCorrectsKind(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		clk := clock.NewManual(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
		site := testutil.NewSiteOnAt(t, b, clk)
		st := site.Store
		a := site.Article(t, &news.Article{Headline: "Ferry", Body: "The ferry was late."})
		quote := func(speaker string, kind news.PersonKind) news.Quote {
			return news.Quote{Start: 0, End: 3, Text: "The", Speaker: speaker, SpeakerKind: kind, Cue: "said"}
		}
		kindOf := func(slug string) news.PersonKind {
			t.Helper()
			p, err := st.PersonBySlug(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			return p.Kind
		}
		if err := st.ReplaceQuotes(ctx, a.ID, []news.Quote{quote("Harbour Board", news.KindPerson)}); err != nil {
			t.Fatal(err)
		}
		if err := st.ReplaceQuotes(ctx, a.ID, []news.Quote{quote("Harbour Board", news.KindOrganisation)}); err != nil {
			t.Fatal(err)
		}
		if k := kindOf("harbour-board"); k != news.KindOrganisation {
			t.Errorf("re-extracted as an organisation, the entry is a %s", k)
		}

		if err := st.ReplaceQuotes(ctx, a.ID, []news.Quote{quote("Tide Hall", news.KindPerson)}); err != nil {
			t.Fatal(err)
		}
		p, err := st.PersonBySlug(ctx, "tide-hall")
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute) // the editor's change comes later than the entry
		p.Description = "Harbour master."
		if err := st.UpdatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := st.ReplaceQuotes(ctx, a.ID, []news.Quote{quote("Tide Hall", news.KindOrganisation)}); err != nil {
			t.Fatal(err)
		}
		if k := kindOf("tide-hall"); k != news.KindPerson {
			t.Errorf("an entry an editor changed became a %s", k)
		}
	})
}

func TestSearchQuotes(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		now := time.Now().Truncate(time.Second)
		older := site.Article(t, &news.Article{Headline: "Port news", PublishedAt: now.Add(-3 * time.Hour),
			Body: "“We have a harbour plan,” said Ann Other.\n\n“Ferries will run,” said Bo Sample.\n\n“We have boats too,” said Cy Third."})
		newer := site.Article(t, &news.Article{Headline: "Port fees", PublishedAt: now.Add(-time.Hour),
			Body: "“We have time,” said Bo Sample.\n\n“Harbour fees rise,” said Ann Other."})
		draft := &news.Article{Headline: "Draft", Body: "“We have a harbour secret,” said Ann Other.", Status: news.StatusDraft, Slug: "draft-port"}
		if err := site.Desk.Prepare(ctx, draft); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateArticle(ctx, draft); err != nil {
			t.Fatal(err)
		}
		if err := st.DecideQuote(ctx, newer.ID, "Harbour fees rise", &news.QuoteDecision{Verdict: news.VerdictDismissed}, 0); err != nil {
			t.Fatal(err)
		}

		search := func(t *testing.T, text string, limit, offset int) ([]string, int) {
			t.Helper()
			res, err := st.SearchQuotes(ctx, text, limit, offset)
			if err != nil {
				t.Fatalf("SearchQuotes(%q): %v", text, err)
			}
			if res.About {
				t.Errorf("SearchQuotes(%q): an estimate of %d", text, res.Total)
			}
			for _, q := range res.Quotes {
				if q.Article == nil || q.Article.Status != news.StatusPublished {
					t.Errorf("SearchQuotes(%q): %q without its published article", text, q.Text)
				}
			}
			return quoteTexts(res.Quotes), res.Total
		}
		for _, c := range []struct {
			name, text    string
			limit, offset int
			want          []string
			total         int
		}{
			{"a word", "harbour", 10, 0, []string{"We have a harbour plan,"}, 1},
			{"any case", "HARBOUR", 10, 0, []string{"We have a harbour plan,"}, 1},
			{"the last word a prefix", "harb", 10, 0, []string{"We have a harbour plan,"}, 1},
			{"a prefix of a plural", "ferr", 10, 0, []string{"Ferries will run,"}, 1},
			{"every word, newest story first, text order", "we have", 10, 0,
				[]string{"We have time,", "We have a harbour plan,", "We have boats too,"}, 3},
			{"words in any order", "have we", 10, 0,
				[]string{"We have time,", "We have a harbour plan,", "We have boats too,"}, 3},
			{"a later page", "we have", 2, 1, []string{"We have a harbour plan,", "We have boats too,"}, 3},
			{"past the end", "we have", 2, 4, nil, 3},
			{"every word must match", "harbour time", 10, 0, nil, 0},
			{"a speaker's name", "bo sample", 10, 0, []string{"We have time,", "Ferries will run,"}, 2},
			{"part of a name", "sampl", 10, 0, []string{"We have time,", "Ferries will run,"}, 2},
			{"a speaker, dismissed and draft quotes left out", "ann other", 10, 0, []string{"We have a harbour plan,"}, 1},
			{"a draft's words", "secret", 10, 0, nil, 0},
			{"query syntax is text", `"harbour" OR ferr*`, 10, 0, nil, 0},
			{"syntax alone", `*"(`, 10, 0, nil, 0},
			{"nothing", "", 10, 0, nil, 0},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, total := search(t, c.text, c.limit, c.offset)
				if !slices.Equal(got, c.want) || total != c.total {
					t.Errorf("SearchQuotes(%q, %d, %d) = %q, %d; want %q, %d", c.text, c.limit, c.offset, got, total, c.want, c.total)
				}
			})
		}

		// Edits, decisions and deletions show at once.
		for _, c := range []struct {
			name   string
			change func() error
			text   string
			want   []string
		}{
			{"a quote's words edited", func() error {
				return st.ReplaceQuotes(ctx, newer.ID, newsroom.ExtractQuotes("“We have ships,” said Bo Sample.\n\n“Harbour fees rise,” said Ann Other."))
			}, "we have", []string{"We have ships,", "We have a harbour plan,", "We have boats too,"}},
			{"the old words gone", nil, "time", nil},
			{"a dismissal undone", func() error {
				return st.DecideQuote(ctx, newer.ID, "Harbour fees rise", nil, 0)
			}, "harbour", []string{"Harbour fees rise,", "We have a harbour plan,"}},
			{"quotes dropped", func() error {
				return st.ReplaceQuotes(ctx, older.ID, newsroom.ExtractQuotes("“We have a harbour plan,” said Ann Other."))
			}, "ferr", nil},
			{"a story deleted", func() error { return st.DeleteArticle(ctx, older.ID) }, "harbour", []string{"Harbour fees rise,"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				if c.change != nil {
					if err := c.change(); err != nil {
						t.Fatal(err)
					}
				}
				if got, total := search(t, c.text, 10, 0); !slices.Equal(got, c.want) || total != len(c.want) {
					t.Errorf("SearchQuotes(%q) = %q, %d; want %q", c.text, got, total, c.want)
				}
			})
		}
	})
}

// TestSearchQuotesMany covers searches matching more quotations than are
// sorted by date, and more than are counted one by one: they are read from
// the index a page at a time, newest story first and in text order, across
// stories, and their total is an estimate.
func TestSearchQuotesMany(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		now := time.Now().Truncate(time.Second)
		many := func(a *news.Article, n int, word string) []string {
			qs := make([]news.Quote, n)
			texts := make([]string, n)
			for i := range qs {
				texts[i] = fmt.Sprintf("%s number %d of story %d", word, i, a.ID)
				qs[i] = news.Quote{Start: i * 40, End: i*40 + 30, Text: texts[i], Group: i}
			}
			if err := st.ReplaceQuotes(ctx, a.ID, qs); err != nil {
				t.Fatal(err)
			}
			return texts
		}
		older := site.Article(t, &news.Article{Headline: "Older", PublishedAt: now.Add(-2 * time.Hour), Body: "No quotes."})
		newer := site.Article(t, &news.Article{Headline: "Newer", PublishedAt: now.Add(-time.Hour), Body: "No quotes."})
		all := append(many(newer, 1300, "Alpha"), many(older, 1300, "Alpha")...)
		for _, c := range []struct {
			text          string
			limit, offset int
			want          []string
		}{
			{"alpha", 20, 0, all[:20]},
			{"alpha", 20, 1290, all[1290:1310]},
			{"alpha", 20, 2590, all[2590:]},
			{"alpha numb", 5, 1300, all[1300:1305]},
		} {
			res, err := st.SearchQuotes(ctx, c.text, c.limit, c.offset)
			if err != nil {
				t.Fatal(err)
			}
			if got := quoteTexts(res.Quotes); !slices.Equal(got, c.want) || !res.About || res.Total < c.offset+len(got) {
				t.Errorf("SearchQuotes(%q, %d, %d) = %q, %d (about %v); want %q, about 2600", c.text, c.limit, c.offset, got, res.Total, res.About, c.want)
			}
		}

		// Fewer than are estimated, more than are sorted: an exact count.
		many(older, 0, "")
		res, err := st.SearchQuotes(ctx, "alpha", 20, 1290)
		if got := quoteTexts(res.Quotes); err != nil || !slices.Equal(got, all[1290:1300]) || res.Total != 1300 || res.About {
			t.Errorf("SearchQuotes(alpha) = %q, %d (about %v), %v; want %q, 1300", got, res.Total, res.About, err, all[1290:1300])
		}
	})
}

// InsertBatch stores an article's quotations last first (for SQLite's
// full-text index); they read back in order, with ids in order, and each
// is found by a word of its own.
func TestInsertBatchQuotes(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		words := [][]string{{"ferries", "lighthouse", "cobbles"}, {"orchard", "granary"}}
		var batch []store.BulkArticle
		for n, ws := range words {
			slug := fmt.Sprintf("harbour-%d", n)
			a := &news.Article{Slug: slug, Path: "2026/03/01/" + slug, Headline: "Harbour " + slug, Status: news.StatusPublished, PublishedAt: at}
			for i, w := range ws {
				a.Quotes = append(a.Quotes, news.Quote{Text: "The " + w + " stay", Start: 10 * i, End: 10*i + 5, Cue: "said",
					Speaker: "Ann Marlowe", SpeakerKind: news.KindPerson})
			}
			batch = append(batch, store.BulkArticle{Article: a, History: true})
		}
		if err := st.InsertBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		for n, ws := range words {
			qs, err := st.ArticleQuotes(ctx, batch[n].Article.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(qs) != len(ws) {
				t.Fatalf("article %d: %d quotations, want %d", n, len(qs), len(ws))
			}
			for i, q := range qs {
				if q.Position != i || q.Text != "The "+ws[i]+" stay" || i > 0 && q.ID <= qs[i-1].ID || q.Person == nil {
					t.Errorf("article %d quotation %d: position %d, id %d, %q, person %v", n, i, q.Position, q.ID, q.Text, q.Person)
				}
				res, err := st.SearchQuotes(ctx, ws[i], 10, 0)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Quotes) != 1 || res.Quotes[0].ID != q.ID {
					t.Errorf("search for %q found %v, want quotation %d", ws[i], quoteTexts(res.Quotes), q.ID)
				}
			}
		}
		// The batch's people are tallied as it commits.
		drift, err := store.QuoteTallyDrift(st, ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range drift {
			t.Error(d)
		}
	})
}
