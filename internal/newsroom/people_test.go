package newsroom_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

func TestExtractQuotesCountsCharacters(t *testing.T) {
	text := "Zoë Ångström — a café owner — spoke. “Ça va,” said Zoë Ångström."
	qs := newsroom.ExtractQuotes(text)
	if len(qs) != 1 {
		t.Fatalf("quotes = %+v", qs)
	}
	q := qs[0]
	if got := string([]rune(text)[q.Start:q.End]); got != "Ça va," || q.Speaker != "Zoë Ångström" || q.SpeakerKind != news.KindPerson {
		t.Errorf("quote %+v: text at its offsets %q", q, got)
	}
	if q.End > utf8.RuneCountInString(text) {
		t.Errorf("offsets are bytes, not characters: %+v", q)
	}
	if qs := newsroom.ExtractQuotes("No quotations here."); qs == nil {
		t.Error("no quotations: want an empty list, not nil (nil leaves stored quotes alone)")
	}
}

// TestQuoteDecisionsSurviveEdits: an editor's confirmations, dismissals and
// speaker changes are keyed by the quotation's words, so they still apply
// after the article is edited around them and re-extracted, on a save, a
// restore and a re-extraction of the archive.
func TestQuoteDecisionsSurviveEdits(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		site := testutil.NewSiteOn(t, b)
		st, desk := site.Store, site.Desk
		ed := site.Staff(t, "Eda Editor", news.RoleEditor, "a long password")
		editor := news.Actor{ID: ed.ID, Role: news.RoleEditor}
		body := "The council met.\n\n" +
			"“We will rebuild the quay,” said Mayor Ines Darrow.\n\n" +
			"“It is a fudge,” said Priti Sandhu, who represents Old Quay for the Riverside Independents.\n\n" +
			"Traders called it a “sticking plaster”."
		a, err := desk.Create(ctx, editor, news.Snapshot{Headline: "Quay plan", Body: body, AuthorIDs: []int64{ed.ID}})
		if err != nil {
			t.Fatal(err)
		}
		byText := func() map[string]news.Quote {
			t.Helper()
			qs, err := st.ArticleQuotes(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]news.Quote{}
			for _, q := range qs {
				m[strings.TrimRight(q.Text, ",.")] = q
			}
			return m
		}
		qs := byText()
		for _, w := range []string{"We will rebuild the quay", "It is a fudge", "sticking plaster"} {
			if _, ok := qs[w]; !ok {
				t.Fatalf("no quote %q in %v", w, qs)
			}
		}
		ines := qs["We will rebuild the quay"].Person
		if ines == nil || ines.Name != "Ines Darrow" {
			t.Fatalf("speaker of the mayor's quote: %+v", ines)
		}

		// Confirm the mayor, give the fudge to Priti Sandhu, dismiss the plaster.
		if err := desk.ConfirmQuote(ctx, editor, a.ID, "We will rebuild the quay,", ines.ID); err != nil {
			t.Fatal(err)
		}
		if err := desk.ChangeSpeaker(ctx, editor, a.ID, "It is a fudge,", "Priti Sandhu", news.KindPerson); err != nil {
			t.Fatal(err)
		}
		if err := desk.DismissQuote(ctx, editor, a.ID, "sticking plaster"); err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			t.Helper()
			qs := byText()
			if q := qs["We will rebuild the quay"]; q.Status != news.QuoteConfirmed || q.Person == nil || q.Person.ID != ines.ID {
				t.Errorf("%s: the mayor's quote is %s by %+v", when, q.Status, q.Person)
			}
			if q := qs["It is a fudge"]; q.Status != news.QuoteConfirmed || q.Person == nil || q.Person.Name != "Priti Sandhu" {
				t.Errorf("%s: the fudge is %s by %+v", when, q.Status, q.Person)
			}
			if q := qs["sticking plaster"]; q.Status != news.QuoteDismissed || q.Person != nil {
				t.Errorf("%s: the plaster is %s by %+v", when, q.Status, q.Person)
			}
		}
		check("after deciding")

		// Edit: a new paragraph first moves every offset; punctuation
		// inside a quote changes; the mayor's quote gets a new attribution
		// the extractor would read differently.
		edited := "Breaking: a new paragraph at the top.\n\nThe council met on Tuesday.\n\n" +
			"Speaking on Tuesday, the mayor told reporters: “We will rebuild the quay.”\n\n" +
			"“It is a fudge,” said Priti Sandhu, who represents Old Quay for the Riverside Independents.\n\n" +
			"Traders called it a “sticking plaster”, and a new quote: “Enough,” said Bo Sample."
		cur, _ := st.Article(ctx, a.ID)
		snap := cur.Snapshot()
		snap.Body = edited
		res, err := desk.Save(ctx, editor, a.ID, cur.Version, snap, false, "")
		if err != nil {
			t.Fatal(err)
		}
		check("after an edit")
		if q := byText()["Enough"]; q.Status != news.QuoteDetected || q.Person == nil || q.Person.Name != "Bo Sample" {
			t.Errorf("the new quote: %+v", q)
		}
		if old, new := qs["It is a fudge"].Start, byText()["It is a fudge"].Start; new <= old {
			t.Errorf("offsets did not follow the edit: %d then %d", old, new)
		}

		// Restoring the first revision re-extracts the old text: the
		// decisions still apply.
		revs, err := st.Revisions(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		first := revs[len(revs)-1]
		if _, err := desk.Restore(ctx, editor, a.ID, first.ID, res.Article.Version); err != nil {
			t.Fatal(err)
		}
		check("after a restore")
		if _, err := desk.Reextract(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		check("after re-extraction")

		// Reopening forgets a decision.
		if err := desk.ReopenQuote(ctx, editor, a.ID, "sticking plaster"); err != nil {
			t.Fatal(err)
		}
		if q := byText()["sticking plaster"]; q.Status != news.QuoteDetected {
			t.Errorf("reopened quote is %s", q.Status)
		}

		// A quote that is not in the article, and a writer who may not edit it.
		var fe news.FieldErrors
		if err := desk.DismissQuote(ctx, editor, a.ID, "words nobody said"); !errors.As(err, &fe) {
			t.Errorf("deciding about a quote not in the article: %v", err)
		}
		other := site.Staff(t, "Other Writer", news.RoleAuthor, "a long password")
		if err := desk.DismissQuote(ctx, news.Actor{ID: other.ID, Role: news.RoleAuthor}, a.ID, "sticking plaster"); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("another writer dismissing: %v", err)
		}
		if err := desk.MergePeople(ctx, news.Actor{ID: other.ID, Role: news.RoleAuthor}, ines.ID, ines.ID+1); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("a writer merging people: %v", err)
		}
	})
}
