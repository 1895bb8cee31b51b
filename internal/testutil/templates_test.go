package testutil_test

import (
	"context"
	"os"
	"testing"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.RunTests(m)) }

// Copies of the migrated database are at the newest schema, as a database
// migrated by store.Open is, and each is a database of its own.
func TestMigratedDatabases(t *testing.T) {
	ctx := context.Background()
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		fresh := b.Open(t)
		url, path := b.NewDatabase(t)
		migrated, err := store.Open(ctx, url, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { migrated.Close() })
		want, err := migrated.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		other := b.Open(t)
		for _, st := range []*store.Store{fresh, other} {
			if got, err := st.SchemaVersion(ctx); err != nil || got != want {
				t.Fatalf("a copy is at schema %d (%v), want %d", got, err, want)
			}
		}
		if err := fresh.SetPublication(ctx, news.Publication{Name: "The One Copy", Language: "en"}); err != nil {
			t.Fatal(err)
		}
		if p, err := other.Publication(ctx); err != nil || p.Name == "The One Copy" {
			t.Errorf("the other copy reads %q (%v): the copies share a database", p.Name, err)
		}
	})
}
