package store_test

import (
	"errors"
	"testing"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// TestAtomically: everything done through the transaction's store lands
// together or not at all, and a failed statement inside a store method
// (here a unique violation) does not spoil the rest on PostgreSQL.
func TestAtomically(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		boom := errors.New("boom")
		err := site.Store.Atomically(ctx, func(tx *store.Store) error {
			if err := tx.CreateSection(ctx, &news.Section{Slug: "gone", Name: "Gone"}); err != nil {
				return err
			}
			if _, err := tx.SectionBySlug(ctx, "gone"); err != nil {
				t.Errorf("the transaction does not see its own write: %v", err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Atomically returned %v", err)
		}
		if _, err := site.Store.SectionBySlug(ctx, "gone"); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("a rolled-back section is there: %v", err)
		}

		au := site.Author(t, "Ann Other")
		first := site.Article(t, &news.Article{Headline: "First", Authors: []news.Staff{au}})
		err = site.Store.Atomically(ctx, func(tx *store.Store) error {
			dup := &news.Article{Headline: "Dup", Slug: "dup", Path: first.Path, Status: news.StatusPublished, Authors: []news.Staff{au}}
			if err := tx.CreateArticle(ctx, dup); !errors.Is(err, news.ErrConflict) {
				t.Errorf("a taken path: %v, want a conflict", err)
			}
			return tx.CreateSection(ctx, &news.Section{Slug: "kept", Name: "Kept"})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := site.Store.SectionBySlug(ctx, "kept"); err != nil {
			t.Errorf("the committed section: %v", err)
		}
	})
}

// TestPages: a page leaves the news listings and moves to /page/{slug};
// old WordPress links resolve through the map.
func TestPages(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		au := site.Author(t, "Ann Other")
		news1 := site.Article(t, &news.Article{Headline: "News", Authors: []news.Staff{au}})
		about := site.Article(t, &news.Article{Headline: "About us", Authors: []news.Staff{au}})
		if err := site.Store.PutPage(ctx, news.Page{ArticleID: about.ID, Slug: "about"}); err != nil {
			t.Fatal(err)
		}
		list, err := site.Store.PublishedArticles(ctx, news.ArticleFilter{}, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != news1.ID {
			t.Errorf("listing %v, want the news article alone", ids(list))
		}
		a, err := site.Store.PublishedArticle(ctx, "page/about")
		if err != nil || a.ID != about.ID {
			t.Fatalf("page/about: %v %v", a, err)
		}
		if err := site.Store.PutPage(ctx, news.Page{ArticleID: news1.ID, Slug: "about"}); !errors.Is(err, news.ErrConflict) {
			t.Errorf("a second page at the same slug: %v", err)
		}

		for _, m := range []store.WPMapping{
			{Site: "https://old.example", Kind: "post", WPID: "12", TargetID: news1.ID, OldPath: "2020/01/02/news"},
			{Site: "https://old.example", Kind: "page", WPID: "7", TargetID: about.ID, OldPath: "about"},
			{Site: "https://old.example", Kind: "author", WPID: "ann", TargetID: au.ID, OldPath: "author/ann"},
		} {
			if err := site.Store.PutWPMapping(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range []struct{ kind, key, want string }{
			{"post", "12", "/" + news1.Path},
			{"post", "7", "/page/about"},
			{"page", "7", "/page/about"},
			{"", "2020/01/02/news", "/" + news1.Path},
			{"", "about", "/page/about"},
			{"author", "ann", "/author/" + au.Slug},
		} {
			got, err := site.Store.OldLink(ctx, tt.kind, tt.key)
			if err != nil || got != tt.want {
				t.Errorf("OldLink(%q, %q) = %q, %v; want %q", tt.kind, tt.key, got, err, tt.want)
			}
		}
		if _, err := site.Store.OldLink(ctx, "post", "99"); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("an unknown id: %v", err)
		}
	})
}

// TestNestedSavepoints: inside Atomically each store method's transaction
// is a savepoint; an inner one that fails is rolled back and released, so
// an outer one that then fails rolls back its own work, all of it.
func TestNestedSavepoints(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		set := func(exec func(string, ...any) error, key string) error {
			return exec(`INSERT INTO settings (key, value) VALUES (?, 'x')`, key)
		}
		boom := errors.New("boom")
		err := site.Store.Atomically(ctx, func(tx *store.Store) error {
			if err := store.InTx(tx, ctx, func(exec func(string, ...any) error) error { return set(exec, "kept") }); err != nil {
				return err
			}
			err := store.InTx(tx, ctx, func(exec func(string, ...any) error) error {
				if err := set(exec, "outer.before"); err != nil {
					return err
				}
				inner := store.InTx(tx, ctx, func(exec func(string, ...any) error) error {
					if err := set(exec, "inner"); err != nil {
						return err
					}
					return boom
				})
				if !errors.Is(inner, boom) {
					t.Errorf("inner savepoint: %v", inner)
				}
				if err := set(exec, "outer.after"); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Errorf("outer savepoint: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]bool{"kept": true, "outer.before": false, "inner": false, "outer.after": false} {
			_, ok, err := site.Store.Setting(ctx, key)
			if err != nil || ok != want {
				t.Errorf("setting %q: present %v (%v), want %v", key, ok, err, want)
			}
		}
	})
}
