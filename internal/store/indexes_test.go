package store

import (
	"context"
	"path/filepath"
	"testing"
)

// An index on an expression of a table makes SQLite re-prepare statements
// on that table whenever a bound value changes (the planner checks bound
// values against the indexed expressions), which cost the article page a
// third of its render. Index a generated column instead.
func TestNoExpressionIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.read.QueryContext(ctx, `SELECT il.name FROM sqlite_schema t, pragma_index_list(t.name) il, pragma_index_xinfo(il.name) x
		WHERE t.type = 'table' AND x.cid = -2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		t.Errorf("index %s is on an expression", name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
