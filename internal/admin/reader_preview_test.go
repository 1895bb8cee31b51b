package admin_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
)

// TestReaderPreview: the editor's Preview opens a story in the site's
// design before it is published — as stored, or as the form holds it,
// saving nothing — for whoever may open it in the editor, and for no one
// else. Like the rest of the newsroom it loads nothing from elsewhere.
func TestReaderPreview(t *testing.T) {
	n := newNewsroom(t)
	sec := n.site.Section(t, "Harbour")
	n.site.Tag(t, "Ferries")
	writer, wr := n.signedIn(t, "Wyn Writer", news.RoleContributor)
	other, _ := n.signedIn(t, "Oli Other", news.RoleContributor)
	editor, ed := n.signedIn(t, "Ed Itor", news.RoleEditor)
	edit := writer.createArticle("Ferry timetable changes")
	id := articleID(edit)

	form := url.Values{
		"headline": {"Ferry timetable changes from Monday"}, "standfirst": {"Two crossings fewer."},
		"body": {"The **first** ferry leaves at six.\n\n![pier](https://evil.example/pier.jpg)"}, "section": {strconv.FormatInt(sec.ID, 10)},
		"tags": {"Ferries, Winter timetable"}, "author": {strconv.FormatInt(wr.ID, 10)},
		"image_url": {"https://evil.example/lead.jpg"}, "image_alt": {"The pier"}, "comments_open": {"1"},
	}
	for _, tc := range []struct {
		name     string
		c        *client
		method   string
		path     string
		form     url.Values
		status   int
		want     []string
		dontWant []string
	}{
		{name: "as stored", c: writer, method: "GET", path: edit + "/preview", status: http.StatusOK,
			want: []string{`<h1 class="headline">Ferry timetable changes</h1>`, "Preview</strong> of the article as last saved.",
				"Not published: only the newsroom can open it.", "Dated as if it went out now.", `<meta name="robots" content="noindex, nofollow">`,
				`<a href="` + edit + `">Back to the editor</a>`, `aria-label="About Wyn Writer"`, `class="site-footer"`}},
		{name: "the form, unsaved", c: writer, method: "POST", path: edit + "/preview", form: form, status: http.StatusOK,
			want: []string{`<h1 class="headline">Ferry timetable changes from Monday</h1>`, "of what the editor holds, not yet saved.",
				"The <strong>first</strong> ferry leaves at six.", `<p class="kicker"><a href="/section/harbour">Harbour</a></p>`,
				`href="/tag/ferries" rel="tag">Ferries</a>`, `href="/tag/winter-timetable" rel="tag">Winter timetable</a>`,
				`class="remote-image" href="https://evil.example/pier.jpg"`, "The lead image is on another site, so it is not shown here."},
			dontWant: []string{`src="https://evil.example`, "Back to the editor"}},
		{name: "its reading time", c: writer, method: "POST", path: edit + "/preview", status: http.StatusOK,
			form: url.Values{"headline": {"Long read"}, "body": {strings.Repeat("Ferry words. ", 250)}, "author": {strconv.FormatInt(wr.ID, 10)}},
			want: []string{"<span>3 min read</span>"}},
		{name: "an editor", c: editor, method: "GET", path: edit + "/preview", status: http.StatusOK, want: []string{"Ferry timetable changes"}},
		{name: "another writer", c: other, method: "GET", path: edit + "/preview", status: http.StatusForbidden},
		{name: "another writer's form", c: other, method: "POST", path: edit + "/preview", form: form, status: http.StatusForbidden},
		{name: "no such article", c: editor, method: "GET", path: "/admin/articles/999999/preview", status: http.StatusNotFound},
		{name: "a new article", c: writer, method: "POST", path: "/admin/articles/new/preview", form: form, status: http.StatusOK,
			want: []string{"Ferry timetable changes from Monday", "of what the editor holds, not yet saved."}},
		{name: "a new article without a headline yet", c: writer, method: "POST", path: "/admin/articles/new/preview",
			form: url.Values{"body": {"Words first."}, "author": {strconv.FormatInt(wr.ID, 10)}}, status: http.StatusOK,
			want: []string{`<h1 class="headline">Untitled article</h1>`, "<title>Preview: Untitled article | "}},
		{name: "a new page, by a writer", c: writer, method: "POST", path: "/admin/pages/new/preview", form: form, status: http.StatusForbidden},
		{name: "a new page", c: editor, method: "POST", path: "/admin/pages/new/preview",
			form: url.Values{"headline": {"About us"}, "body": {"Who we are."}, "author": {strconv.FormatInt(wr.ID, 10)}}, status: http.StatusOK,
			want: []string{`<h1 class="headline">About us</h1>`, "Who we are."}, dontWant: []string{"Dated as", `class="byline-row"`, `class="author-box"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.get("/admin/")
			var p page
			if tc.method == "POST" {
				p = tc.c.post(tc.path, tc.form)
			} else {
				p = tc.c.get(tc.path)
			}
			if p.status != tc.status {
				t.Fatalf("%s %s: %d, want %d\n%s", tc.method, tc.path, p.status, tc.status, p.body)
			}
			if tc.status != http.StatusOK {
				return
			}
			if cc := p.header.Get("Cache-Control"); cc != "private, no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
			if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") {
				t.Errorf("Content-Security-Policy %q, want the newsroom's", csp)
			}
			for _, s := range tc.want {
				if !strings.Contains(p.body, s) {
					t.Errorf("lacks %s", s)
				}
			}
			for _, s := range tc.dontWant {
				if strings.Contains(p.body, s) {
					t.Errorf("has %s", s)
				}
			}
			if t.Failed() {
				t.Log(p.body)
			}
		})
	}

	// Nothing was saved: not the text, nor the new tag.
	a, err := n.site.Store.Article(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Headline != "Ferry timetable changes" || a.Version != 1 {
		t.Errorf("after previews the article reads %q, version %d", a.Headline, a.Version)
	}
	if _, err := n.site.Store.TagBySlug(t.Context(), "winter-timetable"); err == nil {
		t.Error("a preview made a tag")
	}

	// The editor offers it: a button sending the form to a new tab, and a
	// link where the form is read-only; so does the list of articles.
	if p := writer.get(edit); !strings.Contains(p.body, `formaction="`+edit+`/preview" formtarget="_blank"`) {
		t.Errorf("the editor has no Preview button:\n%s", p.body)
	}
	if p := editor.get("/admin/articles"); !strings.Contains(p.body, `<a href="`+edit+`/preview">preview<`) {
		t.Errorf("the article list links to no preview of the draft:\n%s", p.body)
	}
	if _, err := n.site.Desk.TrashArticle(t.Context(), news.Actor{ID: ed.ID, Role: ed.Role}, id, ""); err != nil {
		t.Fatal(err)
	}
	if p := editor.get(edit); !strings.Contains(p.body, `<a href="`+edit+`/preview">See it as readers will</a>`) {
		t.Errorf("the read-only editor links to no preview:\n%s", p.body)
	}
}
