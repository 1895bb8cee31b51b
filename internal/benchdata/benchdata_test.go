package benchdata_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"masthead/internal/benchdata"
	"masthead/internal/news"
	"masthead/internal/store"
)

func TestGenerate(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	if err := benchdata.Generate(ctx, st, benchdata.Options{Articles: 2500, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	t.Logf("2500 articles in %v", time.Since(start))
	n, err := st.CountPublished(ctx, news.ArticleFilter{})
	if err != nil || n != 2500 {
		t.Fatalf("count = %d, %v", n, err)
	}
}

// TestGenerateSame checks that the same options make the same archive,
// and that the change log, suspended while batches are written, is back
// whole: its triggers all there, one "everything changed" entry, and the
// listings' counts (kept by triggers that stay on) right.
func TestGenerateSame(t *testing.T) {
	ctx := context.Background()
	opt := benchdata.Options{Articles: 1500, Seed: 3, Now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	var dumps [2]string
	for i := range dumps {
		path := filepath.Join(t.TempDir(), "masthead.db")
		st, err := store.OpenSQLite(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		db := openRaw(t, path)
		before := queryAll(t, db, `SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
		if err := benchdata.Generate(ctx, st, opt); err != nil {
			t.Fatal(err)
		}
		st.Close()
		if after := queryAll(t, db, `SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`); after != before {
			t.Errorf("triggers after the seed:\n%s\nwant\n%s", after, before)
		}
		if got := queryAll(t, db, `SELECT kind, ref FROM changes`); got != "all|\n" {
			t.Errorf("change log = %q, want one 'all' entry", got)
		}
		for _, q := range [][2]string{
			{`SELECT ref, n FROM listing_counts WHERE kind = 'section' ORDER BY ref`,
				`SELECT section_id, COUNT(*) FROM articles WHERE status = 'published' GROUP BY section_id ORDER BY section_id`},
			{`SELECT ref, n FROM listing_counts WHERE kind = 'tag' ORDER BY ref`,
				`SELECT tag_id, COUNT(*) FROM article_tags GROUP BY tag_id ORDER BY tag_id`},
			{`SELECT ref, n FROM listing_counts WHERE kind = 'author' ORDER BY ref`,
				`SELECT user_id, COUNT(*) FROM article_authors GROUP BY user_id ORDER BY user_id`},
		} {
			if got, want := queryAll(t, db, q[0]), queryAll(t, db, q[1]); got != want {
				t.Errorf("%s:\n%s\nwant\n%s", q[0], got, want)
			}
		}
		var b strings.Builder
		for _, table := range []string{"articles", "article_tags", "article_authors", "comments", "article_search_data",
			"search_words_data", "search_heads_data", "listing_months", "archive_months"} {
			fmt.Fprintf(&b, "%s\n%s", table, queryAll(t, db, `SELECT * FROM `+table+` ORDER BY 1, 2`))
		}
		dumps[i] = b.String()
	}
	if dumps[0] != dumps[1] {
		t.Error("two archives of the same options differ")
	}
}

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queryAll is the rows of q, a line each, columns separated by "|".
func queryAll(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if i > 0 {
				b.WriteByte('|')
			}
			fmt.Fprintf(&b, "%v", v)
		}
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestLoadFresh checks that the seeder's shortcuts (store.LoadFresh: the
// journal in memory, the full-text indexes merged once at the end) make
// the same archive as a plain bulk load: the same rows, the same postings
// in every full-text index (its segments aside), the options back to the
// defaults, and the write-ahead log back on.
func TestLoadFresh(t *testing.T) {
	ctx := context.Background()
	opt := benchdata.Options{Articles: 1500, Seed: 5, Now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	loads := []struct {
		name string
		load func(st *store.Store, fn func() error) error
	}{
		{"bulk", func(st *store.Store, fn func() error) error { return st.Bulk(ctx, fn) }},
		{"fresh", func(st *store.Store, fn func() error) error { return st.LoadFresh(ctx, fn) }},
	}
	var dumps [2]string
	for i, l := range loads {
		path := filepath.Join(t.TempDir(), "masthead.db")
		st, err := store.OpenSQLite(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CountPublished(ctx, news.ArticleFilter{}); err != nil { // an idle reader, as the seeder leaves
			t.Fatal(err)
		}
		if err := l.load(st, func() error { return benchdata.Generate(ctx, st, opt) }); err != nil {
			t.Fatalf("%s: %v", l.name, err)
		}
		st.Close()
		db := openRaw(t, path)
		if got := queryAll(t, db, `PRAGMA journal_mode`); got != "wal\n" {
			t.Errorf("%s: journal mode %q, want wal", l.name, got)
		}
		var b strings.Builder
		for _, table := range []string{"articles", "article_tags", "article_authors", "comments", "listing_counts",
			"listing_months", "archive_months"} {
			fmt.Fprintf(&b, "%s\n%s", table, queryAll(t, db, `SELECT * FROM `+table+` ORDER BY 1, 2`))
		}
		// The triggers, put back by the fresh load (search_lines').
		b.WriteString(queryAll(t, db, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`))
		for _, fts := range []string{"article_search", "search_heads", "search_words", "quote_search", "search_lines"} {
			fmt.Fprintf(&b, "%s\n%s%s%s", fts,
				queryAll(t, db, `SELECT * FROM `+fts+`_config ORDER BY 1`),
				queryAll(t, db, `SELECT id, sz FROM `+fts+`_docsize ORDER BY id`),
				queryAll(t, db, `SELECT block FROM `+fts+`_data WHERE id = 1`)) // the totals
			// The postings, read through the index itself.
			if _, err := db.Exec(`CREATE VIRTUAL TABLE temp.v_` + fts + ` USING fts5vocab(main, ` + fts + `, 'instance')`); err != nil {
				t.Fatal(err)
			}
			b.WriteString(queryAll(t, db, `SELECT * FROM temp.v_`+fts+` ORDER BY 1, 2, 3, 4`))
		}
		dumps[i] = b.String()
		if l.name == "fresh" {
			for _, fts := range []string{"article_search", "search_heads", "search_words", "search_lines"} {
				if got := queryAll(t, db, `SELECT count(*) FROM `+fts+`_idx GROUP BY segid`); strings.Count(got, "\n") != 1 {
					t.Errorf("%s: %d segments, want 1", fts, strings.Count(got, "\n"))
				}
			}
		}
	}
	if dumps[0] != dumps[1] {
		t.Error("a fresh load and a bulk load of the same options differ")
	}
}
