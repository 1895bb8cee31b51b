package cli

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"masthead/internal/demo"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// demoSite writes the demo newsroom into a new SQLite file and returns its path.
func demoSite(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "masthead.db")
	st, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	nr, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	files, err := media.NewLocal(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, st, newsroom.New(st, newsroom.Config{Location: time.UTC}), nr, files, time.Now()); err != nil {
		t.Fatal(err)
	}
	// A draft (in the search index, never public) and a secret setting.
	if err := st.CreateArticle(ctx, &news.Article{Slug: "draft", Headline: "Unpublished harbour draft", Status: news.StatusDraft}); err != nil {
		t.Fatal(err)
	}
	if _, err := siteSecret(ctx, st); err != nil {
		t.Fatal(err)
	}
	return path
}

func runCopy(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := Main(context.Background(), Env{Stdout: &out, Stderr: &out}, append([]string{"copy"}, args...))
	return out.String(), err
}

func checksums(t *testing.T, target string) []store.TableCopy {
	t.Helper()
	st, err := openDatabase(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sums, err := st.TableChecksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

// A demo-sized site goes SQLite → PostgreSQL → SQLite and comes back
// identical, table by table, search index included; PostgreSQL serves it in
// between, and new rows there get fresh ids.
func TestCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	original := demoSite(t)
	pg := testutil.PostgresURL(t)
	back := filepath.Join(t.TempDir(), "back.db")

	out, err := runCopy(t, "--from", original, "--to", pg)
	if err != nil {
		t.Fatalf("copy to PostgreSQL: %v\n%s", err, out)
	}
	for _, want := range []string{"copied articles:", "copied comments:", "copied article_search:", "verifying", "Copied and verified"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\r") {
		t.Errorf("a progress bar was drawn on a non-terminal:\n%q", out)
	}

	// Running it again is refused, and changes nothing; --replace redoes it.
	if out, err := runCopy(t, "--from", original, "--to", pg); !errors.Is(err, store.ErrTargetNotEmpty) {
		t.Fatalf("second run into a full database: %v\n%s", err, out)
	}
	if out, err := runCopy(t, "--from", original, "--to", pg, "--replace"); err != nil {
		t.Fatalf("--replace: %v\n%s", err, out)
	}

	if out, err := runCopy(t, "--from", pg, "--to", back); err != nil {
		t.Fatalf("copy back to SQLite: %v\n%s", err, out)
	}
	a, p, b := checksums(t, original), checksums(t, pg), checksums(t, back)
	if !slices.Equal(a, b) {
		t.Errorf("the round trip changed the site:\n before %v\n after  %v", a, b)
	}
	if !slices.Equal(a, p) {
		t.Errorf("PostgreSQL holds another site:\n SQLite     %v\n PostgreSQL %v", a, p)
	}
	var articles int64
	for _, c := range a {
		if c.Table == "articles" {
			articles = c.Rows
		}
	}
	if articles < 30 {
		t.Errorf("only %d articles: the demo site did not load", articles)
	}

	// The copy turned PostgreSQL's triggers and secondary indexes off while
	// it wrote: they are all back, as a new database has them.
	if got, want := pgIndexes(t, pg), pgIndexes(t, freshPostgres(t)); !slices.Equal(got, want) {
		t.Errorf("indexes after the copy:\n %v\nin a new database:\n %v", got, want)
	}
	// And it vacuumed what it wrote: index-only scans need pages marked
	// all-visible, which autovacuum (when on at all) would mark only later.
	if n := pgAllVisible(t, pg, "articles"); n == 0 {
		t.Errorf("no page of articles is marked all-visible after the copy")
	}

	// The copies answer like the original: listings, search, comments.
	src, _ := openDatabase(ctx, original)
	defer src.Close()
	for _, target := range []string{pg, back} {
		dst, err := openDatabase(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		defer dst.Close()
		// The same engine answers exactly as before; the other stems words
		// its own way (Snowball, not Porter), so it need only find them.
		for _, q := range []string{"quay", "council budget", "festiv", "bus strike"} {
			before, err1 := src.Search(ctx, news.SearchQuery{Text: q, Limit: 50})
			after, err2 := dst.Search(ctx, news.SearchQuery{Text: q, Limit: 50})
			want, wantTotal, got, gotTotal := before.Hits, before.Total, after.Hits, after.Total
			if err1 != nil || err2 != nil || wantTotal == 0 || gotTotal == 0 {
				t.Errorf("%s: search %q finds %d (%v), the original %d (%v)", dst.Backend(), q, gotTotal, err2, wantTotal, err1)
				continue
			}
			if dst.Backend() != src.Backend() {
				continue
			}
			if gotTotal != wantTotal || len(got) != len(want) {
				t.Errorf("search %q finds %d after the round trip, %d before", q, gotTotal, wantTotal)
				continue
			}
			for i := range want {
				if want[i].Article.ID != got[i].Article.ID || want[i].Snippet != got[i].Snippet {
					t.Errorf("search %q hit %d differs after the round trip", q, i)
				}
			}
		}
		// Quotations: SQLite's index of them is filled by its triggers as
		// the quotes arrive, PostgreSQL's is an index of the table.
		quoted, err := src.SearchQuotes(ctx, "the", 50, 0)
		if err != nil || len(quoted.Quotes) == 0 || quoted.Quotes[0].Person == nil {
			t.Fatalf("the demo site's quotes: %+v, %v", quoted, err)
		}
		for _, q := range []string{"the", quoted.Quotes[0].Person.Name} {
			before, err1 := src.SearchQuotes(ctx, q, 50, 0)
			after, err2 := dst.SearchQuotes(ctx, q, 50, 0)
			if err1 != nil || err2 != nil || before.Total == 0 || after.Total == 0 {
				t.Errorf("%s: quote search %q finds %d (%v), the original %d (%v)", dst.Backend(), q, after.Total, err2, before.Total, err1)
				continue
			}
			if dst.Backend() != src.Backend() {
				continue
			}
			if after.Total != before.Total || len(after.Quotes) != len(before.Quotes) {
				t.Errorf("quote search %q finds %d after the round trip, %d before", q, after.Total, before.Total)
				continue
			}
			for i := range before.Quotes {
				if before.Quotes[i].ID != after.Quotes[i].ID {
					t.Errorf("quote search %q hit %d differs after the round trip", q, i)
				}
			}
		}
		// The pagers' counts, which the copy counts afresh on PostgreSQL.
		secs, err := src.Sections(ctx)
		if err != nil || len(secs) == 0 {
			t.Fatalf("sections: %v, %v", secs, err)
		}
		for _, f := range []news.ArticleFilter{{SectionID: secs[0].ID}, {AuthorID: 1}} {
			want, err1 := src.CountPublished(ctx, f)
			got, err2 := dst.CountPublished(ctx, f)
			if err1 != nil || err2 != nil || got != want || want == 0 {
				t.Errorf("%s: %+v counts %d (%v), the original %d (%v)", dst.Backend(), f, got, err2, want, err1)
			}
		}
		// People's quote tallies come with the copy.
		before, err1 := src.People(ctx, news.PeopleFilter{Published: true})
		after, err2 := dst.People(ctx, news.PeopleFilter{Published: true})
		if err1 != nil || err2 != nil || len(before) == 0 || len(after) != len(before) {
			t.Fatalf("%s: people %d (%v), the original %d (%v)", dst.Backend(), len(after), err2, len(before), err1)
		}
		for i := range before {
			if after[i].ID != before[i].ID || after[i].QuoteCount != before[i].QuoteCount || !after[i].LastQuoted.Equal(before[i].LastQuoted) {
				t.Errorf("%s: person %d is %+v, the original %+v", dst.Backend(), i, after[i], before[i])
			}
		}
		list, err := dst.PublishedArticles(ctx, news.ArticleFilter{Limit: 5}, false)
		if err != nil || len(list) != 5 {
			t.Fatalf("%s: listing %d, %v", dst.Backend(), len(list), err)
		}
		loaded, err := dst.PublishedArticle(ctx, list[0].Path)
		if err != nil || len(loaded.Authors) == 0 {
			t.Errorf("%s: article %q: %v", dst.Backend(), list[0].Path, err)
		}
		// Ids carried over; new ones continue after them.
		sec := &news.Section{Slug: "new-section", Name: "New"}
		if err := dst.CreateSection(ctx, sec); err != nil {
			t.Fatalf("%s: new row after the copy: %v", dst.Backend(), err)
		}
		if secs, _ := src.Sections(ctx); sec.ID <= secs[len(secs)-1].ID && sec.ID <= int64(len(secs)) {
			t.Errorf("%s: new section got id %d, reusing a copied one", dst.Backend(), sec.ID)
		}
		// The change log starts afresh (one entry) and its triggers log
		// the new section.
		changes, _, err := dst.ChangesSince(ctx, 0, 10)
		if err != nil || len(changes) != 2 {
			t.Errorf("%s: change log after the copy and a new section: %+v, %v", dst.Backend(), changes, err)
		}
	}
}

func TestCopyUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"--from", "x.db"}, {"--from", "a.db", "--to", "a.db"}} {
		if _, err := runCopy(t, args...); !errors.Is(err, ErrUsage) {
			t.Errorf("copy %q: %v, want a usage error", args, err)
		}
	}
	if out, err := runCopy(t, "--from", filepath.Join(t.TempDir(), "missing.db"), "--to", filepath.Join(t.TempDir(), "b.db")); err == nil {
		t.Errorf("a missing source was accepted:\n%s", out)
	}
}

// TestCopyOldName: scripts written for "masthead migrate" keep working,
// told the command's new name.
func TestCopyOldName(t *testing.T) {
	var out bytes.Buffer
	err := Main(context.Background(), Env{Stdout: &out, Stderr: &out}, []string{"migrate", "--from", "x.db"})
	if !errors.Is(err, ErrUsage) || !strings.Contains(out.String(), `now called "copy"`) || !strings.Contains(out.String(), "Usage: masthead copy") {
		t.Errorf("masthead migrate: %v\n%s", err, out.String())
	}
	out.Reset()
	usage(&out, commands())
	if strings.Contains(out.String(), "migrate") {
		t.Errorf("the old name is listed:\n%s", out.String())
	}
}

// freshPostgres is a new PostgreSQL database with the schema and nothing else.
func freshPostgres(t *testing.T) string {
	t.Helper()
	url := testutil.PostgresURL(t)
	st, err := openDatabase(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return url
}

// pgAllVisible is how many of a PostgreSQL table's pages its visibility
// map marks all-visible.
func pgAllVisible(t *testing.T, url, table string) int {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT relallvisible FROM pg_class WHERE oid = to_regclass($1)`, table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// pgIndexes lists a PostgreSQL database's index definitions.
func pgIndexes(t *testing.T, url string) []string {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexdef`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var def string
		if err := rows.Scan(&def); err != nil {
			t.Fatal(err)
		}
		out = append(out, def)
	}
	return out
}
