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
