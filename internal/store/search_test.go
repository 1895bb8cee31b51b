package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

func search(site *testutil.Site, q string, limit, offset int) ([]news.SearchHit, int, error) {
	return searchQuery(site, news.SearchQuery{Text: q, Limit: limit, Offset: offset})
}

func searchQuery(site *testutil.Site, q news.SearchQuery) ([]news.SearchHit, int, error) {
	res, err := site.Store.Search(ctx, q)
	return res.Hits, res.Total, err
}

// expectFound wants the first page (of ten) of search q to be the
// articles want, in order, and its total their number.
func expectFound(t *testing.T, site *testutil.Site, step string, q news.SearchQuery, want ...int64) {
	t.Helper()
	q.Limit = 10
	hits, total, err := searchQuery(site, q)
	if err != nil {
		t.Fatalf("%s: search %q: %v", step, q.Text, err)
	}
	var got []int64
	for _, h := range hits {
		got = append(got, h.Article.ID)
	}
	if !slices.Equal(got, want) || total != len(want) {
		t.Errorf("%s: %q found %v (total %d), want %v", step, q.Text, got, total, want)
	}
}

func TestSearch(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		now := time.Now().Add(-time.Hour).Truncate(time.Second)
		ann := site.Author(t, "Ann Marlowe")
		sec := site.Section(t, "City")
		harbour := site.Tag(t, "Harbour")
		inBody := site.Article(t, &news.Article{Headline: "Council meets", Section: sec, PublishedAt: now,
			Body: "The meeting was long and the agenda longer still, with items on parking, bins, libraries, street lights and the summer fair. " +
				"Much later, councillors discussed the old quay and its future. " +
				"Nobody agreed on anything at all that night, and the chair adjourned the meeting until the following week, when the budget returns."})
		inHeadline := site.Article(t, &news.Article{Headline: "Homes planned on the old quay", Section: sec, PublishedAt: now.Add(-48 * time.Hour),
			Body: "Four hundred homes are planned."})
		inStandfirst := site.Article(t, &news.Article{Headline: "Plans unveiled", Standfirst: "The quay will change.", PublishedAt: now.Add(-24 * time.Hour)})
		byAuthor := site.Article(t, &news.Article{Headline: "A column", Authors: []news.Staff{ann}, PublishedAt: now.Add(-time.Hour)})
		tagged := site.Article(t, &news.Article{Headline: "Boats return", Tags: []news.Tag{harbour}, PublishedAt: now.Add(-2 * time.Hour)})
		if err := site.Store.CreateArticle(ctx, &news.Article{Slug: "secret", Headline: "Secret quay draft", Status: news.StatusDraft}); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			q     string
			want  []int64 // in order
			total int
		}{
			{"quay", []int64{inHeadline.ID, inStandfirst.ID, inBody.ID}, 3},
			{"QUAY", []int64{inHeadline.ID, inStandfirst.ID, inBody.ID}, 3},
			{"qua", []int64{inHeadline.ID, inStandfirst.ID, inBody.ID}, 3},                       // prefix while typing
			{"old quay", []int64{inHeadline.ID, inBody.ID}, 2},                                   // every word must match
			{"quay old", []int64{inHeadline.ID, inBody.ID}, 2},                                   // in any order
			{"homes planned", []int64{inHeadline.ID}, 1},                                         // stemming: planned ~ plan
			{"marlowe", []int64{byAuthor.ID}, 1},                                                 // bylines are indexed
			{"harbour", []int64{tagged.ID}, 1},                                                   // and tags
			{"secret", nil, 0},                                                                   // drafts never show
			{"", nil, 0},                                                                         // nothing typed
			{`"unbalanced AND (`, nil, 0},                                                        // syntax is just text
			{"qu'ay: & | ! <-> * NEAR(a b) -x ^y", nil, 0},                                       // never a syntax error
			{strings.Repeat("quay ", 40), []int64{inHeadline.ID, inStandfirst.ID, inBody.ID}, 3}, // long input is cut
		}
		for _, tt := range tests {
			t.Run(tt.q, func(t *testing.T) {
				hits, total, err := search(site, tt.q, 10, 0)
				if err != nil {
					t.Fatalf("search %q: %v", tt.q, err)
				}
				var got []int64
				for _, h := range hits {
					got = append(got, h.Article.ID)
				}
				if !slices.Equal(got, tt.want) || total != tt.total {
					t.Errorf("search %q = %v (total %d), want %v (total %d)", tt.q, got, total, tt.want, tt.total)
				}
			})
		}

		// Whatever a reader types is a query, never an error.
		for _, q := range []string{"東京 タワー", "naïve café", "İstanbul ǅemal", "🦆 duck", "\xff\xfe\xfd", "x\x00y", "a:*A", "''", `\'`, "١٢٣", "the", "a the of"} {
			if _, _, err := search(site, q, 10, 0); err != nil {
				t.Errorf("search %q: %v", q, err)
			}
		}

		hits, total, err := search(site, "quay", 1, 1)
		if err != nil || total != 3 || len(hits) != 1 || hits[0].Article.ID != inStandfirst.ID {
			t.Errorf("second page of one: %v, total %d, %v", hits, total, err)
		}
		if hits, total, err := search(site, "quay", 10, 10); err != nil || total != 3 || len(hits) != 0 {
			t.Errorf("page past the end: %v, total %d, %v", hits, total, err)
		}

		hits, _, err = search(site, "quay", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.Article.Section == nil && h.Article.ID == inBody.ID {
				t.Errorf("hit without its section")
			}
		}
		body := hits[2] // inBody: the match is in the body, mid-text
		if !strings.Contains(body.Snippet, store.SnippetOpen+"quay"+store.SnippetClose) {
			t.Errorf("snippet %q does not mark the match", body.Snippet)
		}
		if !strings.HasPrefix(body.Snippet, "…") || !strings.HasSuffix(body.Snippet, "…") {
			t.Errorf("snippet %q cut from the middle of the body should show it", body.Snippet)
		}
		if strings.Count(body.Snippet, " ") > 30 {
			t.Errorf("snippet %q is too long", body.Snippet)
		}
	})
}

// A two-word search's last word is a prefix: on PostgreSQL it is asked
// for as the words of the documents it begins, when they are few
// (postgres/0041), or as a prefix when they are many. Either way it finds
// what the prefix finds, and a word first written after the index was
// made is found too.
func TestSearchLastWordExpanded(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		now := time.Now().Add(-time.Hour).Truncate(time.Second)
		headline := site.Article(t, &news.Article{Headline: "School budget approved", PublishedAt: now})
		other := site.Article(t, &news.Article{Headline: "Budget day", PublishedAt: now.Add(-time.Hour)})
		standfirst := site.Article(t, &news.Article{Headline: "New rules", Standfirst: "School budgetary rules change.", PublishedAt: now.Add(-2 * time.Hour)})
		body := site.Article(t, &news.Article{Headline: "Cuts", Body: "Every school budgets for less this year.", PublishedAt: now.Add(-3 * time.Hour)})
		site.Article(t, &news.Article{Headline: "School trip", Body: "A bus to the coast.", PublishedAt: now.Add(-4 * time.Hour)})
		var many []string // more words with one prefix than are ever spelled out
		for c := 'a'; c <= 'x'; c++ {
			many = append(many, "zqx"+string(c)+"word")
		}
		lots := site.Article(t, &news.Article{Headline: "School words", Body: strings.Join(many, " "), PublishedAt: now.Add(-5 * time.Hour)})

		check := func(q string, want ...int64) {
			t.Helper()
			expectFound(t, site, "search", news.SearchQuery{Text: q}, want...)
		}
		check("school budg", headline.ID, standfirst.ID, body.ID)
		check("budget school", headline.ID, body.ID) // budget ~ budgets, not budgetary
		check("budget scho", headline.ID, body.ID)
		check("school zqx", lots.ID)
		check("school zqxk", lots.ID)
		check("school zzz")
		check("day budg", other.ID)

		later := site.Article(t, &news.Article{Headline: "School budgetline", PublishedAt: now.Add(30 * time.Minute)})
		check("school budg", later.ID, headline.ID, standfirst.ID, body.ID)
		check("school budgetl", later.ID)
	})
}

// The search tier (headline, standfirst, …) comes first, then recency.
func TestSearchRecencyWithinTier(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		base := time.Now().Add(-24 * time.Hour).Truncate(time.Second)
		var want []int64
		for i := range 3 {
			a := site.Article(t, &news.Article{Headline: fmt.Sprintf("Ferry timetable %d", i), PublishedAt: base.Add(time.Duration(i) * time.Hour)})
			want = append([]int64{a.ID}, want...)
		}
		hits, _, err := search(site, "ferry", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, h := range hits {
			got = append(got, h.Article.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("order %v, want newest first %v", got, want)
		}
	})
}

// Searches for two words whose matches are mostly in the byline-and-tags
// and body tiers, with stories published out of the order they were
// written: every page size pages through the same ranking — tier, then
// newest first, by date and not by id — with the same total, filtered or
// not.
func TestSearchTiersPageByDate(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		city, sport, harbour := site.Section(t, "City"), site.Section(t, "Sport"), site.Section(t, "Harbour")
		tag := site.Tag(t, "Ferry budget")
		base := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
		type made struct {
			id      int64
			tier    int
			at      time.Time
			section *news.Section
		}
		var all []made
		for i := range 24 {
			// Dates run against ids in steps, with ties, so id order is not date order.
			at := base.Add(time.Duration((i*7)%24/2) * time.Hour)
			a := &news.Article{Headline: fmt.Sprintf("Story %d", i), Body: "Nothing here.", PublishedAt: at, Section: city}
			tier := i % 4
			switch tier {
			case 0:
				a.Headline = fmt.Sprintf("Ferry budget %d", i)
			case 1:
				a.Standfirst = "The ferry budget."
			case 2:
				a.Headline, a.Tags = fmt.Sprintf("Ferry %d", i), []news.Tag{tag}
			case 3:
				a.Body = "The ferry has a budget."
			}
			if i%5 == 0 {
				a.Section = sport
			}
			if tier >= 2 && i%3 == 0 {
				a.Section = harbour // no headline or standfirst there has both words
			}
			got := site.Article(t, a)
			all = append(all, made{got.ID, tier, at, a.Section})
		}
		if err := site.Store.CreateArticle(ctx, &news.Article{Slug: "draft", Headline: "Ferry budget draft", Status: news.StatusDraft}); err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(all, func(a, b made) int {
			if a.tier != b.tier {
				return a.tier - b.tier
			}
			if c := b.at.Compare(a.at); c != 0 {
				return c
			}
			return int(b.id - a.id)
		})
		ranked := func(section *news.Section) []int64 {
			var ids []int64
			for _, m := range all {
				if section == nil || m.section.ID == section.ID {
					ids = append(ids, m.id)
				}
			}
			return ids
		}
		// On PostgreSQL, once the planner knows how few articles there are,
		// a search matching one in 50 of them walks them and counts its
		// matches apart (walkShare); before, it ranks them all.
		analyse := []string{"as written"}
		if site.Backend.Name == testutil.Postgres.Name {
			analyse = append(analyse, "analysed")
		}
		// On SQLite a small tier's page is found by walking the newest
		// stories or, past the walk, by looking its matches' dates up
		// (walkFor): every page the same either way.
		walks := []struct {
			name    string
			stories int
		}{{"", 0}, {"dates looked up, ", -1}, {"walking 5, ", 5}}
		for _, stats := range analyse {
			if stats == "analysed" {
				if err := store.Exec(site.Store, ctx, `ANALYZE articles`); err != nil {
					t.Fatal(err)
				}
			}
			for _, tt := range []struct {
				name    string
				text    string
				section *news.Section
			}{
				{"two words", "ferry budget", nil},
				{"two words, last typed", "ferry budg", nil},
				{"two words in a section", "ferry budget", sport},
				{"two words no headline in the section has", "ferry budget", harbour},
			} {
				want := ranked(tt.section)
				for _, walk := range walks {
					store.SetSearchWalk(site.Store, walk.stories)
					for _, size := range []int{1, 3, 5, 10, 50} {
						t.Run(fmt.Sprintf("%s, %s%s, pages of %d", stats, walk.name, tt.name, size), func(t *testing.T) {
							var got []int64
							for offset := 0; offset < len(want)+size; offset += size {
								q := news.SearchQuery{Text: tt.text, Limit: size, Offset: offset}
								if tt.section != nil {
									q.SectionID = tt.section.ID
								}
								hits, total, err := searchQuery(site, q)
								if err != nil {
									t.Fatal(err)
								}
								if total != len(want) {
									t.Fatalf("offset %d: total %d, want %d", offset, total, len(want))
								}
								for _, h := range hits {
									got = append(got, h.Article.ID)
								}
							}
							if !slices.Equal(got, want) {
								t.Errorf("pages give %v, want %v", got, want)
							}
						})
					}
				}
				store.SetSearchWalk(site.Store, 0)
			}
		}
	})
}

func TestSearchFilters(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		city, sport := site.Section(t, "City"), site.Section(t, "Sport")
		ann, bob := site.Author(t, "Ann"), site.Author(t, "Bob")
		at := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
		a := site.Article(t, &news.Article{Headline: "Harbour news", Section: city, Authors: []news.Staff{ann}, PublishedAt: at})
		b := site.Article(t, &news.Article{Headline: "Harbour match", Section: sport, Authors: []news.Staff{bob}, PublishedAt: at.AddDate(0, 0, 10)})
		c := site.Article(t, &news.Article{Headline: "Harbour budget", Section: city, Authors: []news.Staff{bob}, PublishedAt: at.AddDate(0, 0, 20)})
		tests := []struct {
			name string
			q    news.SearchQuery
			want []int64
		}{
			{"words only", news.SearchQuery{Text: "harbour"}, []int64{c.ID, b.ID, a.ID}},
			{"section", news.SearchQuery{Text: "harbour", SectionID: city.ID}, []int64{c.ID, a.ID}},
			{"author", news.SearchQuery{Text: "harbour", AuthorID: bob.ID}, []int64{c.ID, b.ID}},
			{"from", news.SearchQuery{Text: "harbour", From: at.AddDate(0, 0, 10)}, []int64{c.ID, b.ID}},
			{"to", news.SearchQuery{Text: "harbour", To: at.AddDate(0, 0, 10)}, []int64{a.ID}},
			{"all filters", news.SearchQuery{Text: "harbour", SectionID: city.ID, AuthorID: bob.ID, From: at, To: at.AddDate(0, 1, 0)}, []int64{c.ID}},
			{"filters without words", news.SearchQuery{SectionID: sport.ID}, []int64{b.ID}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.q.Limit = 10
				hits, total, err := searchQuery(site, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, h := range hits {
					got = append(got, h.Article.ID)
				}
				if !slices.Equal(got, tt.want) || total != len(tt.want) {
					t.Errorf("got %v (total %d), want %v", got, total, tt.want)
				}
			})
		}
	})
}

// Search's headline tiers read their own index (search_heads on SQLite),
// kept by triggers: every change to what a story says, its status or its
// date shows in the next search.
func TestSearchFollowsChanges(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		older := site.Article(t, &news.Article{Headline: "Ferry fares rise", PublishedAt: base})
		newer := site.Article(t, &news.Article{Headline: "Ferry timetable changes", PublishedAt: base.Add(time.Hour)})
		inBody := site.Article(t, &news.Article{Headline: "Harbour report", Body: "The ferry was late again.", PublishedAt: base.Add(2 * time.Hour)})
		check := func(step string, q news.SearchQuery, want ...int64) {
			t.Helper()
			expectFound(t, site, step, q, want...)
		}
		ferry := news.SearchQuery{Text: "ferry"}
		check("created", ferry, newer.ID, older.ID, inBody.ID)
		// Bounds inside a second select by the exact time.
		check("bounds within a second", news.SearchQuery{Text: "ferry", From: base.Add(time.Millisecond), To: base.Add(time.Hour + time.Millisecond)}, newer.ID)

		if err := st.SetPublishedAt(ctx, older.ID, base.Add(3*time.Hour), older.Path); err != nil {
			t.Fatal(err)
		}
		check("re-dated", ferry, older.ID, newer.ID, inBody.ID)

		a, err := st.Article(ctx, newer.ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Headline, a.Body = "Timetable changes", "The ferry leaves earlier."
		if err := st.UpdateArticle(ctx, a, a.Version, 0, "save"); err != nil {
			t.Fatal(err)
		}
		check("headline edited", ferry, older.ID, inBody.ID, newer.ID)
		check("new headline found", news.SearchQuery{Text: "timetable"}, newer.ID)

		if err := st.ChangeStatus(ctx, older.ID, news.StatusChange{From: news.StatusPublished, To: news.StatusUnpublished, Action: "unpublish"}); err != nil {
			t.Fatal(err)
		}
		check("unpublished", ferry, inBody.ID, newer.ID)

		// "ferr" is unfinished; "ferries" is in no headline, only in a body.
		ferries := site.Article(t, &news.Article{Headline: "Crossings", Body: "Two ferries collided.", PublishedAt: base})
		check("a prefix stands for its completions", news.SearchQuery{Text: "ferr"}, inBody.ID, newer.ID, ferries.ID)
		// "ferr" begins a headline word, but bodies may have the word itself.
		itself := site.Article(t, &news.Article{Headline: "Rowing", Body: "An old word: ferr.", PublishedAt: base})
		completed := site.Article(t, &news.Article{Headline: "Ferrymen strike", PublishedAt: base.Add(-time.Hour)})
		hits, _, err := search(site, "ferr", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		found := map[int64]bool{}
		for _, h := range hits {
			found[h.Article.ID] = true
		}
		if !found[itself.ID] || !found[completed.ID] {
			t.Errorf("ferr found %v, want the word itself (%d) and its completion (%d)", found, itself.ID, completed.ID)
		}
		// A new headline word is a completion at once (SQLite keeps
		// completions while the vocabulary stays as it was): "fer" stood
		// for "ferrymen", and now for "ferrules" too.
		if _, _, err := search(site, "fer", 10, 0); err != nil {
			t.Fatal(err)
		}
		ferrule := site.Article(t, &news.Article{Headline: "Ferrules", PublishedAt: base.Add(-2 * time.Hour)})
		hits, _, err = search(site, "fer", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(hits, func(h news.SearchHit) bool { return h.Article.ID == ferrule.ID }) {
			t.Errorf("fer found %v, want the new headline word's story (%d) too", hits, ferrule.ID)
		}
	})
}

// The byline-and-tags tier reads its own index on SQLite (search_lines),
// kept by triggers on the article, its authors and its tags: it ranks
// newest first by date, and follows a re-tagging, a renamed tag and a
// story taken down.
func TestSearchBylineTierFollowsChanges(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		ferries, harbour := site.Tag(t, "Ferries"), site.Tag(t, "Harbour")
		tagged := site.Article(t, &news.Article{Headline: "Lifeboat crew honoured", Tags: []news.Tag{ferries}, PublishedAt: base.Add(time.Hour)})
		inBody := site.Article(t, &news.Article{Headline: "Pier repairs", Body: "The ferries wait.", PublishedAt: base.Add(3 * time.Hour)})
		// Written later, dated earlier: the tier is in date order.
		older := site.Article(t, &news.Article{Headline: "Night crossings", Tags: []news.Tag{harbour, ferries}, PublishedAt: base})
		byline := site.Article(t, &news.Article{Headline: "Quay notes", Authors: []news.Staff{site.Author(t, "Wren Quayle")}, PublishedAt: base.Add(2 * time.Hour)})
		check := func(step, text string, want ...int64) {
			t.Helper()
			expectFound(t, site, step, news.SearchQuery{Text: text}, want...)
		}
		check("created", "ferries", tagged.ID, older.ID, inBody.ID)
		check("by byline", "quayle", byline.ID)
		// Words split between headline and tags are the tier's too.
		check("across columns", "crossings harbour", older.ID)
		if err := st.SetPublishedAt(ctx, older.ID, base.Add(4*time.Hour), older.Path); err != nil {
			t.Fatal(err)
		}
		check("re-dated", "ferries", older.ID, tagged.ID, inBody.ID)

		a, err := st.Article(ctx, tagged.ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Tags = []news.Tag{harbour}
		if err := st.UpdateArticle(ctx, a, a.Version, 0, "save"); err != nil {
			t.Fatal(err)
		}
		check("re-tagged", "ferries", older.ID, inBody.ID)
		check("new tag found", "harbour", older.ID, tagged.ID)

		harbour.Name = "Docks"
		if err := st.RenameTag(ctx, &harbour); err != nil {
			t.Fatal(err)
		}
		check("tag renamed", "docks", older.ID, tagged.ID)
		check("old tag name", "harbour")

		if err := st.ChangeStatus(ctx, older.ID, news.StatusChange{From: news.StatusPublished, To: news.StatusUnpublished, Action: "unpublish"}); err != nil {
			t.Fatal(err)
		}
		check("unpublished", "docks", tagged.ID)
	})
}

// InsertBatch writes the byline-and-tags tier's rows and the listing
// counts itself, once a batch (sqlite/0042), rather than through the
// triggers: a batch's stories are found by byline and tag, newest first,
// the counts are as counted afresh, and the triggers are back for the
// writes after it (a new story, a re-tagging of one from the batch).
func TestInsertBatchHeldTriggers(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		ferries, harbour, moorings := site.Tag(t, "Ferries"), site.Tag(t, "Harbour"), site.Tag(t, "Moorings")
		wren, ann := site.Author(t, "Wren Quayle"), site.Author(t, "Ann Marlowe")
		city := site.Section(t, "City")
		stories := []struct {
			headline string
			tags     []news.Tag
			authors  []news.Staff
			at       time.Duration // after base: not in the batch's order, over two months
			section  *news.Section
		}{
			{"Lifeboat crew honoured", []news.Tag{ferries, harbour}, []news.Staff{wren}, 2 * time.Hour, city},
			{"Night crossings", []news.Tag{harbour}, []news.Staff{ann, wren}, -40 * 24 * time.Hour, city},
			{"Pier repairs", nil, []news.Staff{ann}, 3 * time.Hour, nil},
			{"Tide tables", []news.Tag{ferries}, nil, time.Hour, city},
		}
		earlier := site.Article(t, &news.Article{Headline: "Earlier", Section: city, Tags: []news.Tag{ferries}, Authors: []news.Staff{ann}, PublishedAt: base}) // counts to add to
		var batch []store.BulkArticle
		for i, s := range stories {
			slug := fmt.Sprintf("batch-%d", i)
			batch = append(batch, store.BulkArticle{Article: &news.Article{Slug: slug, Path: "2026/05/01/" + slug, Headline: s.headline,
				Status: news.StatusPublished, Section: s.section, Tags: s.tags, Authors: s.authors, PublishedAt: base.Add(s.at)}})
		}
		if err := st.InsertBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		id := func(i int) int64 { return batch[i].Article.ID }
		check := func(step, text string, want ...int64) {
			t.Helper()
			expectFound(t, site, step, news.SearchQuery{Text: text}, want...)
		}
		check("batch, by tag", "ferries", id(0), id(3), earlier.ID)
		check("batch, by second tag", "harbour", id(0), id(1))
		check("batch, by byline", "quayle", id(0), id(1))
		check("batch, second author", "marlowe", id(2), earlier.ID, id(1))
		check("batch, across columns", "crossings harbour", id(1))
		if site.Backend.Name == testutil.SQLite.Name {
			drift, err := store.ListingCountDrift(st, ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range drift {
				t.Errorf("after the batch, listing counts: %s", d)
			}
		}

		later := site.Article(t, &news.Article{Headline: "Ferry timetable", Tags: []news.Tag{moorings}, PublishedAt: base.Add(4 * time.Hour)})
		check("after the batch, new story", "moorings", later.ID)
		a, err := st.Article(ctx, id(2))
		if err != nil {
			t.Fatal(err)
		}
		a.Tags = []news.Tag{moorings}
		if err := st.UpdateArticle(ctx, a, a.Version, 0, "save"); err != nil {
			t.Fatal(err)
		}
		check("batch story re-tagged", "moorings", later.ID, id(2))
		check("batch story's byline kept", "marlowe", id(2), earlier.ID, id(1))
	})
}

// A search's total follows every change to what is indexed and what is
// published. On PostgreSQL, once the planner knows the articles, a search
// like this walks for its page and counts its matches from the index
// (walkShare), reading article_search's narrow rows (postgres/0036); the
// same steps are checked before, when it ranks them all.
func TestSearchCountsFollowChanges(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		analyse := []string{"as written"}
		if site.Backend.Name == testutil.Postgres.Name {
			analyse = append(analyse, "analysed")
		}
		for pass, stats := range analyse {
			t.Run(stats, func(t *testing.T) {
				st := site.Store
				word := []string{"kittiwake", "guillemot"}[pass] // each pass its own
				base := time.Date(2026, 4, 1+pass, 12, 0, 0, 0, time.UTC)
				for i := range 20 { // the word in a few stories of some twenty
					site.Article(t, &news.Article{Headline: fmt.Sprintf("Harbour notes %d", pass*100+i), PublishedAt: base.Add(-time.Duration(i+2) * time.Hour)})
				}
				inHead := site.Article(t, &news.Article{Headline: "Ferry " + word, PublishedAt: base})
				inBody := site.Article(t, &news.Article{Headline: fmt.Sprintf("Harbour report %d", pass), Body: "The ferry " + word + " was late.", PublishedAt: base.Add(time.Hour)})
				draft := &news.Article{Slug: "draft-" + word, Headline: "Ferry " + word + " draft", Status: news.StatusDraft}
				if err := st.CreateArticle(ctx, draft); err != nil {
					t.Fatal(err)
				}
				if stats == "analysed" {
					if err := store.Exec(st, ctx, `ANALYZE`); err != nil {
						t.Fatal(err)
					}
				}
				edited := func(id int64, change func(a *news.Article)) func() error {
					return func() error {
						a, err := st.Article(ctx, id)
						if err != nil {
							return err
						}
						change(a)
						return st.UpdateArticle(ctx, a, a.Version, 0, "save")
					}
				}
				steps := []struct {
					name   string
					change func() error
					want   []int64
				}{
					{"created, a draft among them", func() error { return nil }, []int64{inHead.ID, inBody.ID}},
					{"the draft published", func() error {
						return st.ChangeStatus(ctx, draft.ID, news.StatusChange{From: news.StatusDraft, To: news.StatusPublished, Action: "publish",
							Path: "2026/03/01/draft-" + word, Slug: "draft-" + word, PublishedAt: base.Add(-time.Hour)})
					}, []int64{inHead.ID, draft.ID, inBody.ID}},
					{"a body edited to lose the word", edited(inBody.ID, func(a *news.Article) { a.Body = "The boat was late." }), []int64{inHead.ID, draft.ID}},
					{"a headline edited to gain it", edited(inBody.ID, func(a *news.Article) { a.Headline = "Harbour ferry " + word }), []int64{inBody.ID, inHead.ID, draft.ID}},
					{"one unpublished", func() error {
						return st.ChangeStatus(ctx, inHead.ID, news.StatusChange{From: news.StatusPublished, To: news.StatusUnpublished, Action: "unpublish"})
					}, []int64{inBody.ID, draft.ID}},
					{"one deleted", func() error { return st.DeleteArticle(ctx, draft.ID) }, []int64{inBody.ID}},
				}
				for _, step := range steps {
					if err := step.change(); err != nil {
						t.Fatalf("%s: %v", step.name, err)
					}
					for _, text := range []string{"ferry " + word, word} {
						hits, total, err := search(site, text, 10, 0)
						if err != nil {
							t.Fatal(err)
						}
						var got []int64
						for _, h := range hits {
							got = append(got, h.Article.ID)
						}
						if !slices.Equal(got, step.want) || total != len(step.want) {
							t.Errorf("%s: %q found %v (total %d), want %v", step.name, text, got, total, step.want)
						}
					}
				}
			})
		}
	})
}

// A search matching more articles than are worth counting one by one says
// about how many it found; its pages still follow the ranking.
func TestSearchEstimatesLargeTotals(t *testing.T) {
	site := testutil.NewSiteOn(t, testutil.SQLite) // InsertBatch is for SQLite
	city := site.Section(t, "City")
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 6000
	var batch []store.BulkArticle
	var harbour, lighthouse []string // headlines of the stories with the word, newest first
	for i := range n {
		slug := fmt.Sprintf("story-%d", i)
		body := "The ferry sailed on time."
		if i%3 != 0 {
			body += " The harbour was calm."
			harbour = append([]string{fmt.Sprintf("Story %d", i)}, harbour...)
		}
		if i%10 == 0 {
			body += " The lighthouse shone."
			lighthouse = append([]string{fmt.Sprintf("Story %d", i)}, lighthouse...)
		}
		batch = append(batch, store.BulkArticle{Article: &news.Article{Slug: slug, Path: "2025/" + slug, Headline: fmt.Sprintf("Story %d", i),
			Body: body, Status: news.StatusPublished, Section: city, PublishedAt: base.Add(time.Duration(i) * time.Minute)}})
		if len(batch) == store.MaxBatch {
			if err := site.Store.InsertBatch(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}
	// The newest match of every word is a draft: never shown or counted.
	if err := site.Store.CreateArticle(ctx, &news.Article{Slug: "draft", Headline: "Draft", Body: "The ferry left the harbour by the lighthouse.", Status: news.StatusDraft}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q     news.SearchQuery
		total int
		about bool
		first string
	}{
		{news.SearchQuery{Text: "ferry"}, n, true, fmt.Sprintf("Story %d", n-21)},
		{news.SearchQuery{Text: "ferry", SectionID: city.ID}, n, true, fmt.Sprintf("Story %d", n-21)},
		// Fewer matches than are counted one by one, but enough among
		// the newest ids to be estimated from them.
		{news.SearchQuery{Text: "harbour"}, len(harbour), true, harbour[20]},
		{news.SearchQuery{Text: "harbour", SectionID: city.ID}, len(harbour), true, harbour[20]},
		// Too few among the newest ids: counted over all of them, exactly.
		{news.SearchQuery{Text: "lighthouse"}, len(lighthouse), false, lighthouse[20]},
	} {
		q := tt.q
		q.Limit, q.Offset = 10, 20
		res, err := site.Store.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if res.About != tt.about || res.Total < tt.total*9/10 || res.Total > tt.total*11/10 || (!tt.about && res.Total != tt.total) {
			t.Errorf("%+v: total %d (about: %v), want %d (about: %v)", q, res.Total, res.About, tt.total, tt.about)
		}
		if len(res.Hits) != 10 || res.Hits[0].Article.Headline != tt.first {
			t.Errorf("%+v: third page starts with %q, want %q", q, res.Hits[0].Article.Headline, tt.first)
		}
	}
}
