package store_test

import (
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// Article bodies are deflated on SQLite, read back as they were written,
// and rows written as text before (or copied in as text) read the same;
// migration 0030 deflates those, without logging a change readers see.
func TestPackedBodies(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		site := testutil.NewSiteOn(t, b)
		long := strings.Repeat("The council met on Tuesday to discuss the harbour. ", 40)
		cases := []struct{ name, body string }{
			{"long", long},
			{"short", "Nothing much happened."},
			{"empty", ""},
		}
		for _, c := range cases {
			a := site.Article(t, &news.Article{Headline: "Packed " + c.name, Body: c.body, BodyHTML: "<p>" + c.body + "</p>"})
			got, err := site.Store.Article(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Body != a.Body || got.BodyHTML != a.BodyHTML {
				t.Errorf("%s: body %q, html %q; want %q, %q", c.name, got.Body, got.BodyHTML, a.Body, a.BodyHTML)
			}
			if b.Name != "sqlite" {
				continue
			}
			blobs, err := store.Count(site.Store, ctx, `SELECT COUNT(*) FROM articles WHERE id = ? AND typeof(body) = 'blob' AND typeof(body_html) = 'blob'`, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := c.body == long; (blobs == 1) != want {
				t.Errorf("%s: stored deflated %v, want %v", c.name, blobs == 1, want)
			}
		}
		if b.Name != "sqlite" {
			return
		}
		// A row as an older version wrote it: text.
		old := site.Article(t, &news.Article{Headline: "Written before", Body: long, BodyHTML: "<p>" + long + "</p>"})
		if err := store.Exec(site.Store, ctx, `UPDATE articles SET body = CAST(? AS TEXT), body_html = CAST(? AS TEXT) WHERE id = ?`, long, "<p>"+long+"</p>", old.ID); err != nil {
			t.Fatal(err)
		}
		changes, err := store.Count(site.Store, ctx, `SELECT COUNT(*) FROM changes`)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.PackBodies(site.Store, ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := store.Count(site.Store, ctx, `SELECT COUNT(*) FROM articles WHERE typeof(body) = 'text' AND length(body) > 256`); err != nil || n != 0 {
			t.Errorf("text bodies left after packing: %d (%v)", n, err)
		}
		if n, err := store.Count(site.Store, ctx, `SELECT COUNT(*) FROM changes`); err != nil || n != changes {
			t.Errorf("packing logged changes: %d rows, was %d (%v)", n, changes, err)
		}
		got, err := site.Store.Article(ctx, old.ID)
		if err != nil || got.Body != long || got.BodyHTML != "<p>"+long+"</p>" {
			t.Errorf("packed row reads %q (%v)", got.Body, err)
		}
		// The trigger set aside is back: an edit is logged.
		if err := store.Exec(site.Store, ctx, `UPDATE articles SET body_html = '<p>new</p>' WHERE id = ?`, old.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := store.Count(site.Store, ctx, `SELECT COUNT(*) FROM changes`); err != nil || n <= changes {
			t.Errorf("an edit after packing logged nothing (%v)", err)
		}
	})
}
