package wpimport_test

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"masthead/internal/markup"
	"masthead/internal/testutil"
	"masthead/internal/wpimport"
)

// TestEditorRoundTrip: every post and page of WordPress's Theme Unit Test,
// imported, then opened in the newsroom's visual editor and saved without
// changes, is the same Markdown byte for byte: the editor's blocks (each
// top-level element's data-md and data-sep, which the editor writes back
// for every block the writer did not touch) add up to the body.
func TestEditorRoundTrip(t *testing.T) {
	site := testutil.NewSite(t)
	ctx := context.Background()
	sum, err := importFile(t, site.Store, themeUnitTest(t), wpimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := markup.New()
	checked, cards := 0, 0
	for _, kind := range []string{wpimport.KindPost, wpimport.KindPage} {
		mappings, err := site.Store.WPMappingsOfKind(ctx, sum.Site, kind)
		if err != nil {
			t.Fatal(err)
		}
		for id, m := range mappings {
			a, err := site.Store.Article(ctx, m.TargetID)
			if err != nil {
				t.Fatal(err)
			}
			got, n := editorSource(t, r.Editor(a.Body))
			if got != a.Body {
				t.Errorf("%s %s (%q): the editor's blocks give back different Markdown:\n got %q\nwant %q", kind, id, a.Headline, got, a.Body)
			}
			checked++
			cards += n
		}
	}
	if checked != 58+21 {
		t.Errorf("checked %d posts and pages, want 79", checked)
	}
	t.Logf("%d bodies, %d blocks shown as cards", checked, cards)
}

// editorSource concatenates the data-md and data-sep of the editor's
// top-level elements, and counts the cards among them.
func editorSource(t *testing.T, h string) (string, int) {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(h), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	cards := 0
	for _, n := range nodes {
		var md, sep, kind string
		for _, a := range n.Attr {
			switch a.Key {
			case "data-md":
				md = a.Val
			case "data-sep":
				sep = a.Val
			case "data-kind":
				kind = a.Val
			}
		}
		if kind != "" {
			cards++
		}
		b.WriteString(md + sep)
	}
	return b.String(), cards
}
