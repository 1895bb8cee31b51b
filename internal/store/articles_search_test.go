package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/testutil"
)

// newsroomDesk creates articles in the newsroom's workflow states, as the
// members of staff do.
type newsroomDesk struct {
	site   *testutil.Site
	editor news.Actor
}

// draft creates a draft written by writer.
func (d newsroomDesk) draft(t *testing.T, writer news.Actor, snap news.Snapshot) *news.Article {
	t.Helper()
	if snap.Body == "" {
		snap.Body = "Nothing much happened."
	}
	a, err := d.site.Desk.Create(ctx, writer, snap)
	if err != nil {
		t.Fatalf("create %q: %v", snap.Headline, err)
	}
	return a
}

// moved creates a draft and takes it through the editor's actions.
func (d newsroomDesk) moved(t *testing.T, writer news.Actor, snap news.Snapshot, actions ...news.Action) *news.Article {
	t.Helper()
	a := d.draft(t, writer, snap)
	for _, act := range actions {
		var at time.Time
		if act == news.ActionSchedule {
			at = time.Now().Add(48 * time.Hour)
		}
		var err error
		if a, err = d.site.Desk.Transition(ctx, d.editor, a.ID, act, at, ""); err != nil {
			t.Fatalf("%s %q: %v", act, snap.Headline, err)
		}
	}
	return a
}

func TestAdminArticlesSearch(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		ann := site.Author(t, "Ann Quillfeather")
		bob := site.Author(t, "Bob Writer")
		ed := site.Staff(t, "Eda Editor", news.RoleEditor, "correct horse battery")
		annA, bobA := news.Actor{ID: ann.ID, Role: news.RoleAuthor}, news.Actor{ID: bob.ID, Role: news.RoleAuthor}
		d := newsroomDesk{site: site, editor: news.Actor{ID: ed.ID, Role: news.RoleEditor}}

		// Oldest first: the list puts the most recently changed first.
		headline := d.moved(t, annA, news.Snapshot{Headline: "Zebrafish return to the estuary", Standfirst: "Scientists are delighted."},
			news.ActionPublish)
		review := d.moved(t, bobA, news.Snapshot{Headline: "Harbour dredging delayed", Body: "Divers found a zebrafish colony."},
			news.ActionSubmit)
		scheduled := d.moved(t, annA, news.Snapshot{Headline: "Budget vote next week", Standfirst: "Councillors split over the lighthouse."},
			news.ActionSchedule)
		tagged := d.draft(t, bobA, news.Snapshot{Headline: "Ferry fares frozen", Tags: []string{"Estuarywatch"},
			Body: "A zebra crossing for the pier."})
		draft := d.draft(t, annA, news.Snapshot{Headline: "Ferry timetable changes", Body: "The harbour board discussed the zebrafish survey."})
		unpublished := d.moved(t, bobA, news.Snapshot{Headline: "Lighthouse keeper retires", Body: "After forty years."},
			news.ActionPublish, news.ActionUnpublish)

		tests := []struct {
			name string
			f    news.AdminFilter
			want []*news.Article
		}{
			{"a draft by a word in its body, headline matches first", news.AdminFilter{Text: "zebrafish"}, []*news.Article{headline, draft, review}},
			{"case and punctuation do not matter", news.AdminFilter{Text: "  ZEBRAFISH!!  "}, []*news.Article{headline, draft, review}},
			{"every word must match", news.AdminFilter{Text: "zebrafish survey"}, []*news.Article{draft}},
			// Published headlines have only "zebrafish", which "zebra" begins.
			{"a whole word only drafts use", news.AdminFilter{Text: "zebra"}, []*news.Article{headline, draft, tagged, review}},
			{"an unfinished last word", news.AdminFilter{Text: "harbour dredg"}, []*news.Article{review}},
			{"standfirst", news.AdminFilter{Text: "councillors"}, []*news.Article{scheduled}},
			{"byline", news.AdminFilter{Text: "quillfeather"}, []*news.Article{draft, scheduled, headline}},
			{"tags", news.AdminFilter{Text: "estuarywatch"}, []*news.Article{tagged}},
			{"headline and standfirst", news.AdminFilter{Text: "lighthouse"}, []*news.Article{unpublished, scheduled}},
			{"status combines with the search", news.AdminFilter{Text: "zebrafish", Status: news.StatusReview}, []*news.Article{review}},
			{"status with nothing matching", news.AdminFilter{Text: "zebrafish", Status: news.StatusScheduled}, nil},
			{"a writer's own work only", news.AdminFilter{Text: "zebrafish", AuthorID: bob.ID}, []*news.Article{review}},
			{"no words", news.AdminFilter{Text: "?!"}, nil},
			{"no such word", news.AdminFilter{Text: "hovercraft"}, nil},
			{"no search keeps the newest first", news.AdminFilter{Status: news.StatusDraft}, []*news.Article{draft, tagged}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := site.Store.AdminArticles(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				want := ids(tt.want)
				if len(want) == 0 {
					want = []int64{}
				}
				if g := ids(got); !slices.Equal(g, want) {
					t.Errorf("AdminArticles(%+v) = %v, want %v (%s)", tt.f, g, want, headlines(got))
				}
				n, err := site.Store.CountAdminArticles(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if n != len(want) {
					t.Errorf("CountAdminArticles(%+v) = %d, want %d", tt.f, n, len(want))
				}
			})
		}
	})
}

func headlines(list []*news.Article) string {
	var out []string
	for _, a := range list {
		out = append(out, a.Headline)
	}
	return strings.Join(out, " | ")
}

func TestAdminArticlesSearchPages(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		ann := site.Author(t, "Ann Pager")
		d := newsroomDesk{site: site}
		annA := news.Actor{ID: ann.ID, Role: news.RoleAuthor}
		// The oldest has the word in its headline, so it ranks first; the
		// rest follow newest first.
		top := d.draft(t, annA, news.Snapshot{Headline: "Harbourmaster resigns"})
		var want []int64
		for i := range 7 {
			a := d.draft(t, annA, news.Snapshot{Headline: "Story " + string(rune('A'+i)), Body: "The harbourmaster spoke."})
			want = append([]int64{a.ID}, want...)
		}
		want = append([]int64{top.ID}, want...)
		d.draft(t, annA, news.Snapshot{Headline: "Unrelated"})

		f := news.AdminFilter{Text: "harbourmaster", Limit: 3}
		if n, err := site.Store.CountAdminArticles(ctx, f); err != nil || n != len(want) {
			t.Fatalf("count = %d, %v; want %d", n, err, len(want))
		}
		tests := []struct {
			offset int
			want   []int64
		}{
			{0, want[0:3]},
			{3, want[3:6]},
			{6, want[6:8]},
			{9, nil},
			{-1, want[0:3]}, // a negative offset is the first page
		}
		for _, tt := range tests {
			f.Offset = tt.offset
			got, err := site.Store.AdminArticles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if g := ids(got); !slices.Equal(g, tt.want) && !(len(g) == 0 && len(tt.want) == 0) {
				t.Errorf("offset %d: %v, want %v", tt.offset, g, tt.want)
			}
		}
	})
}

// Whatever is typed in the newsroom's search box, the search either finds
// articles or finds none: no input is query syntax.
func TestAdminArticlesOddSearches(t *testing.T) {
	odd := []string{
		`"`, `""`, `"unbalanced`, `(`, `)`, `(()`, `*`, `zeb*`, `^zebra`, `-zebra`, `+zebra`, `zebra OR`, `AND`, `NOT zebra`,
		`NEAR(zebra fish)`, `{headline}: zebra`, `headline:zebra`, `zebra:*`, `'`, `''zebra''`, `zebra & | !`, `\`, `%_`,
		"zebra\x00fish", "\x00", "\xff\xfe zebra", "ze\xc3bra", "\U0010FFFF", "ǅemal", "١٢٣", "ｚｅｂｒａ", "ze\u0301bra",
		strings.Repeat("zebra ", 5000), strings.Repeat("z", 5000), strings.Repeat("(", 1000), strings.Repeat("zé", 3000) + "*",
	}
	odd = append(odd, testutil.NaughtyStrings(t)...)
	each(t, func(t *testing.T, site *testutil.Site) {
		ann := site.Author(t, "Ann Odd")
		d := newsroomDesk{site: site}
		d.draft(t, news.Actor{ID: ann.ID, Role: news.RoleAuthor}, news.Snapshot{Headline: "Zebra crossing", Body: "The zebra fish of the estuary."})
		for _, q := range odd {
			for _, f := range []news.AdminFilter{{Text: q}, {Text: q, Status: news.StatusDraft, AuthorID: ann.ID, Limit: 2, Offset: 1}} {
				list, err := site.Store.AdminArticles(ctx, f)
				if err != nil {
					t.Errorf("AdminArticles(%q): %v", q, err)
					continue
				}
				n, err := site.Store.CountAdminArticles(ctx, f)
				if err != nil {
					t.Errorf("CountAdminArticles(%q): %v", q, err)
					continue
				}
				if n < len(list)+f.Offset && len(list) > 0 {
					t.Errorf("%q: count %d, but %d listed from offset %d", q, n, len(list), f.Offset)
				}
			}
		}
	})
}
