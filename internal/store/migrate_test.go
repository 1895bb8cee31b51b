package store_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/store"
	"masthead/internal/testutil"
)

// applyMigrationsUpTo brings a new PostgreSQL database to the schema of
// migration last, as the store's migrate would have (no PostgreSQL
// migration has a step in Go).
func applyMigrationsUpTo(t *testing.T, db *sql.DB, last int) {
	t.Helper()
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("migrations/postgres/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		prefix, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(prefix)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if version > last {
			continue
		}
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("apply %s: %v", name, err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())`, version, name); err != nil {
			t.Fatal(err)
		}
	}
}

// TestStrippedDocumentsUpgrade: migration 0044 strips the search documents
// a PostgreSQL site already has, rather than computing them again from
// the bodies; each then holds the words a row written since holds.
func TestStrippedDocumentsUpgrade(t *testing.T) {
	dbURL := testutil.PostgresURL(t)
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applyMigrationsUpTo(t, db, 42)

	type texts struct{ headline, standfirst, body, byline, tags string }
	rows := []texts{
		{"Council approves the school budget", "Budgets rise by 4%", "The council voted on Tuesday. Schools, budgets and the budget's future were discussed.", "Ada Byline", "Education, Council"},
		{"", "", "", "", ""},
		{"Café owners protest", "Résumé of a long night", "<p>Not HTML here: 3.5 million — and the café's owners' protests.</p>", "", "Business"},
		{"The the the", "and of to", "Stop words only, and running runners ran.", "Running Reporter", ""},
	}
	write := func(id int, r texts) {
		t.Helper()
		if _, err := db.Exec(`INSERT INTO articles (id, created_at, modified_at, slug, headline) VALUES ($1, now(), now(), $2, $3)`,
			id, "story-"+strconv.Itoa(id), r.headline); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO article_search (rowid, headline, standfirst, body, byline, tags) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, r.headline, r.standfirst, r.body, r.byline, r.tags); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range rows {
		write(i+1, r) // before 0044: a weighted document with positions
	}

	st, err := store.Open(t.Context(), dbURL, "")
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	st.Close()

	for i, r := range rows {
		write(1001+i, r) // since: the document set by 0044's trigger
	}
	for i := range rows {
		var old, fresh, body string
		if err := db.QueryRow(`SELECT o.document::text, n.document::text, o.body || n.body FROM article_search o, article_search n
			WHERE o.rowid = $1 AND n.rowid = $2`, i+1, 1001+i).Scan(&old, &fresh, &body); err != nil {
			t.Fatal(err)
		}
		if old != fresh || body != "" {
			t.Errorf("row %d upgraded: document %s, body %q; written since: %s", i+1, old, body, fresh)
		}
	}
	var nullable string
	if err := db.QueryRow(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 'article_search' AND column_name = 'document'`).Scan(&nullable); err != nil || nullable != "NO" {
		t.Errorf("article_search.document nullable = %q (%v), want NO", nullable, err)
	}
}
