package admin_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/testutil"
)

// articleID is the id in an article's editor path.
func articleID(edit string) int64 {
	id, _ := strconv.ParseInt(strings.TrimPrefix(edit, "/admin/articles/"), 10, 64)
	return id
}

// step takes a workflow step on an article as a member of staff.
func (n *newsroom) step(t *testing.T, by news.Staff, id int64, act news.Action) {
	t.Helper()
	if _, err := n.site.Desk.Transition(t.Context(), news.Actor{ID: by.ID, Role: by.Role}, id, act, time.Time{}, ""); err != nil {
		t.Fatalf("%s article %d: %v", act, id, err)
	}
}

// draft creates a draft by a member of staff, as the editor does.
func (n *newsroom) draft(t *testing.T, by news.Staff, snap news.Snapshot) *news.Article {
	t.Helper()
	a, err := n.site.Desk.Create(t.Context(), news.Actor{ID: by.ID, Role: by.Role}, snap)
	if err != nil {
		t.Fatalf("create %q: %v", snap.Headline, err)
	}
	return a
}

func TestArticleListSearch(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		n := newNewsroomOn(t, b)
		editor, ed := n.signedIn(t, "Eve Editor", news.RoleEditor)
		writer, wr := n.signedIn(t, "Wyn Writer", news.RoleAuthor)
		mine := n.draft(t, ed, news.Snapshot{Headline: "Ferry timetable changes", Body: "The harbour board discussed the zebrafish survey."})
		review := n.draft(t, ed, news.Snapshot{Headline: "Harbour dredging delayed", Body: "Divers found a zebrafish colony."})
		if _, err := n.site.Desk.Transition(t.Context(), news.Actor{ID: ed.ID, Role: ed.Role}, review.ID, news.ActionSubmit, time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
		writers := n.draft(t, wr, news.Snapshot{Headline: "Zebrafish in the estuary", Body: "Spotted again."})
		n.draft(t, ed, news.Snapshot{Headline: "Unrelated story", Body: "Nothing to see."})

		link := func(a *news.Article) string { return fmt.Sprintf(`href="/admin/articles/%d"`, a.ID) }
		tests := []struct {
			name     string
			c        *client
			path     string
			want     []string // in this order
			wantNot  []string
			wantCode int
		}{
			{"a draft by a word in its body, the headline match first", editor, "/admin/articles?q=zebrafish",
				[]string{`value="zebrafish"`, "3 articles match “zebrafish”", link(writers), link(review), link(mine)}, []string{"Unrelated story"}, 200},
			{"status combines with the search", editor, "/admin/articles?status=review&q=zebrafish",
				[]string{`href="/admin/articles?q=zebrafish&amp;status=draft"`, `name="status" value="review"`, "1 article matches", link(review)},
				[]string{link(mine), link(writers)}, 200},
			{"writers see their own work only", writer, "/admin/articles?q=zebrafish",
				[]string{link(writers)}, []string{link(mine), link(review)}, 200},
			{"nothing matches", editor, "/admin/articles?q=hovercraft",
				[]string{`value="hovercraft"`, "No articles match “hovercraft”"}, []string{"Nothing here."}, 200},
			{"nothing matches in a status", editor, "/admin/articles?status=scheduled&q=zebrafish",
				[]string{"No scheduled articles match “zebrafish”"}, nil, 200},
			{"the query is escaped", editor, "/admin/articles?q=" + url.QueryEscape(`<script>alert("x")</script> zebrafish`),
				[]string{`value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; zebrafish"`, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; zebrafish”"},
				[]string{"<script>alert"}, 200},
			{"query syntax is text", editor, "/admin/articles?q=" + url.QueryEscape(`"zebrafish" (survey* -`), []string{link(mine)}, nil, 200},
			{"a NUL and invalid UTF-8", editor, "/admin/articles?q=zebra%00fish%FF", nil, nil, 200},
			{"no search lists everything", editor, "/admin/articles", []string{`name="q" value=""`, "Unrelated story", link(writers), link(review), link(mine)}, []string{"articles match"}, 200},
			{"an unknown status", editor, "/admin/articles?status=bogus&q=zebrafish", nil, nil, 400},
			{"a page that is not a number", editor, "/admin/articles?q=zebrafish&page=x", nil, nil, 400},
			{"page zero", editor, "/admin/articles?page=0", nil, nil, 400},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := tt.c.get(tt.path)
				if res.status != tt.wantCode {
					t.Fatalf("GET %s: %d, want %d", tt.path, res.status, tt.wantCode)
				}
				rest := res.body
				for _, s := range tt.want {
					i := strings.Index(rest, s)
					if i < 0 {
						t.Errorf("GET %s lacks %q (in this place)", tt.path, s)
						continue
					}
					rest = rest[i+len(s):]
				}
				for _, s := range tt.wantNot {
					if strings.Contains(res.body, s) {
						t.Errorf("GET %s shows %q", tt.path, s)
					}
				}
			})
		}
		// The search box is labelled, in a GET form.
		res := editor.get("/admin/articles?q=zebrafish")
		contains(t, "form", res.body, `<form method="get" action="/admin/articles" role="search"`, `<label for="articles-q">`,
			`<input id="articles-q" type="search" name="q"`)
	})
}

func TestArticleListPages(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		n := newNewsroomOn(t, b)
		editor, ed := n.signedIn(t, "Pam Pager", news.RoleEditor)
		const stories = 53 // a page and a bit
		for i := range stories {
			n.draft(t, ed, news.Snapshot{Headline: fmt.Sprintf("Story %02d", i), Body: "The quayside market reopens."})
		}
		n.draft(t, ed, news.Snapshot{Headline: "Lighthouse notes", Body: "Elsewhere."})
		row := regexp.MustCompile(`>Story \d\d</a>`)
		tests := []struct {
			path         string
			rows         int
			want         []string
			prev, pagerL bool
		}{
			{"/admin/articles?q=quayside", 50, []string{"53 articles match", "Page 1 of 2", `rel="next" href="/admin/articles?page=2&amp;q=quayside"`}, false, true},
			{"/admin/articles?q=quayside&page=2", 3, []string{"Page 2 of 2", `rel="prev" href="/admin/articles?q=quayside"`, "Story 00"}, true, true},
			{"/admin/articles?q=quayside&page=99", 3, []string{"Page 2 of 2"}, true, true}, // past the end: the last page
			{"/admin/articles?status=draft&q=quayside&page=2", 3, []string{`rel="prev" href="/admin/articles?q=quayside&amp;status=draft"`}, true, true},
			{"/admin/articles?q=lighthouse", 0, []string{"1 article matches"}, false, false},
			{"/admin/articles", 49, []string{"Lighthouse notes", "Page 1 of 2", `rel="next" href="/admin/articles?page=2"`}, false, true},
		}
		for _, tt := range tests {
			res := editor.get(tt.path)
			if res.status != 200 {
				t.Fatalf("GET %s: %d", tt.path, res.status)
			}
			if got := len(row.FindAllString(res.body, -1)); got != tt.rows {
				t.Errorf("GET %s: %d stories listed, want %d", tt.path, got, tt.rows)
			}
			contains(t, tt.path, res.body, tt.want...)
			if got := strings.Contains(res.body, `rel="prev"`); got != tt.prev {
				t.Errorf("GET %s: previous link %v, want %v", tt.path, got, tt.prev)
			}
			if got := strings.Contains(res.body, `class="pagination"`); got != tt.pagerL {
				t.Errorf("GET %s: pager %v, want %v", tt.path, got, tt.pagerL)
			}
		}
	})
}

var tagLike = regexp.MustCompile(`<[a-zA-Z!/]`)

// TestArticleListNaughtyStrings sends every string of the Big List of
// Naughty Strings as the search and as the page: nothing may answer 5xx or
// come back unescaped.
func TestArticleListNaughtyStrings(t *testing.T) {
	strs := testutil.NaughtyStrings(t)
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		n := newNewsroomOn(t, b)
		editor, ed := n.signedIn(t, "Nat Naughty", news.RoleEditor)
		n.draft(t, ed, news.Snapshot{Headline: "Zebra crossing", Body: "The zebra fish of the estuary."})
		for _, s := range strs {
			q := url.QueryEscape(s)
			for _, path := range []string{"/admin/articles?q=" + q, "/admin/articles?status=draft&q=" + q + "&page=2", "/admin/articles?q=zebra&page=" + q} {
				res := editor.get(path)
				if res.status >= 500 {
					t.Errorf("GET %s: %d", path, res.status)
				}
				if tagLike.MatchString(s) && strings.Contains(res.body, s) {
					t.Errorf("GET %s reflects %q unescaped", path, s)
				}
			}
		}
	})
}

// TestOthersBylineRefusedInTheEditor: a writer who gives an article a
// colleague's byline sees why beside the bylines, with their text kept,
// and nothing is stored.
func TestOthersBylineRefusedInTheEditor(t *testing.T) {
	n := newNewsroom(t)
	writer, me := n.signedIn(t, "Ada Author", news.RoleAuthor)
	colleague := n.site.Staff(t, "Cole League", news.RoleAuthor, "a long password")
	them := strconv.FormatInt(colleague.ID, 10)
	form := url.Values{"headline": {"Under another name"}, "body": {"Text I typed."}, "author": {them}}

	res := writer.post("/admin/articles", form)
	if res.status != 422 || !strings.Contains(res.body, "Only editors can give an article someone else") || !strings.Contains(res.body, "Text I typed.") {
		t.Fatalf("create with a colleague's byline: %d\n%s", res.status, res.body)
	}

	edit := writer.createArticle("My own story")
	form.Set("headline", "My own story")
	form.Set("version", "1")
	res = writer.post(edit, form)
	if res.status != 422 || !strings.Contains(res.body, "Only editors can give an article someone else") || !strings.Contains(res.body, "Text I typed.") {
		t.Fatalf("save with only a colleague's byline: %d\n%s", res.status, res.body)
	}
	list, _, err := n.site.Desk.Articles(t.Context(), news.Actor{ID: me.ID, Role: me.Role}, news.AdminFilter{Limit: 10})
	if err != nil || len(list) != 1 || len(list[0].Authors) != 1 || list[0].Authors[0].ID != me.ID {
		t.Fatalf("stored: %+v %v", list, err)
	}
}

// TestWorkflowButtonsSaveFirst: Schedule and Publish submit the editor
// form, so an edit made since the last save goes out with the step, and a
// refused step comes back to the editor with what was typed.
func TestWorkflowButtonsSaveFirst(t *testing.T) {
	n := newNewsroom(t)
	editor, ed := n.signedIn(t, "Eve Editor", news.RoleEditor)
	edit := editor.createArticle("Ferry timetable")
	page := editor.get(edit)
	if !strings.Contains(page.body, `form="editor" name="action" value="schedule"`) {
		t.Fatalf("the Schedule button does not submit the editor form:\n%s", page.body)
	}
	form := url.Values{"headline": {"Ferry timetable"}, "standfirst": {"A new standfirst, never saved."}, "body": {"Text."},
		"comments_open": {"1"}, "version": {"1"}, "action": {"schedule"}, "publish_at": {"2099-01-02T09:30"},
		"image_url": {"/media/x.png"}, "author": {strconv.FormatInt(ed.ID, 10)}}
	res := editor.post(edit, form)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "A new standfirst, never saved.") {
		t.Fatalf("a refused step (no alt text): %d\n%s", res.status, res.body)
	}
	form.Set("image_alt", "The ferry at the quay")
	res = editor.post(edit, form)
	if res.status != http.StatusSeeOther || !strings.HasSuffix(res.location, "?done=scheduled") {
		t.Fatalf("schedule: %d %s\n%s", res.status, res.location, res.body)
	}
	id := articleID(edit)
	a, err := n.site.Store.Article(t.Context(), id)
	if err != nil || a.Status != news.StatusScheduled || a.Standfirst != "A new standfirst, never saved." {
		t.Errorf("after Schedule: status %s, standfirst %q (%v)", a.Status, a.Standfirst, err)
	}
	// The confirmation names the step, and the editor says when.
	page = editor.get(res.location)
	for _, want := range []string{"Scheduled: it is published at the time shown below.", `for <time datetime="2099-01-02T09:30:00Z">`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("after Schedule, the editor does not show %q:\n%s", want, page.body)
		}
	}
}

// TestNoDeadEndLinks: every newsroom link on each role's dashboard and
// article list opens for that role — a writer's list of recently published
// stories links to the public page of a colleague's story, not to an
// editor that answers "Not allowed".
func TestNoDeadEndLinks(t *testing.T) {
	n := newNewsroom(t)
	colleague := n.site.Author(t, "Cole League")
	n.site.Article(t, &news.Article{Headline: "A colleague's published story", Authors: []news.Staff{colleague}})
	_, ed := n.signedIn(t, "Eda Editor", news.RoleEditor)
	n.draft(t, ed, news.Snapshot{Headline: "An editor's draft", Body: "Text."})
	href := regexp.MustCompile(`href="(/admin/[^"#]*)"`)
	for _, role := range news.Roles {
		t.Run(string(role), func(t *testing.T) {
			c, me := n.signedIn(t, "Dead End "+string(role), role)
			n.draft(t, me, news.Snapshot{Headline: "My own draft " + string(role), Body: "Text."})
			seen := map[string]bool{}
			for _, start := range []string{"/admin/", "/admin/articles", "/admin/articles?status=published"} {
				for _, m := range href.FindAllStringSubmatch(c.get(start).body, -1) {
					link := html.UnescapeString(m[1])
					if seen[link] {
						continue
					}
					seen[link] = true
					if res := c.get(link); res.status >= 400 {
						t.Errorf("%s links to %s, which answers %d", start, link, res.status)
					}
				}
			}
		})
	}
}

// TestEditorReadOnly: a contributor's story an editor has published, or
// one in the trash, opens as it stands, with nothing to type into that
// could not be saved and a note saying why; the contributor's story in
// review, and the editor's view of either, can still be changed.
func TestEditorReadOnly(t *testing.T) {
	n := newNewsroom(t)
	contributor, con := n.signedIn(t, "Con Tributor", news.RoleContributor)
	editor, ed := n.signedIn(t, "Ed Itor", news.RoleEditor)
	edit := contributor.createArticle("Ferry landing approved")
	id := articleID(edit)
	const heading, locked, saveButton = `<h1>Article</h1>`, `<fieldset class="bare" disabled>`, `<button type="submit">Save</button>`
	check := func(name string, c *client, readOnly bool, note string) {
		t.Helper()
		p := c.get(edit)
		if p.status != http.StatusOK {
			t.Fatalf("%s: %d", name, p.status)
		}
		if got := strings.Contains(p.body, heading) && strings.Contains(p.body, locked); got != readOnly || strings.Contains(p.body, saveButton) == readOnly {
			t.Errorf("%s: read-only %v, want %v", name, got, readOnly)
		}
		if note != "" && !strings.Contains(p.body, note) {
			t.Errorf("%s: no note %q", name, note)
		}
	}
	n.step(t, con, id, news.ActionSubmit)
	check("contributor, in review", contributor, false, "Submitted for review: an editor publishes it")
	n.step(t, ed, id, news.ActionPublish)
	check("contributor, published", contributor, true, "Published: only an editor can change it now.")
	check("editor, published", editor, false, "")
	if _, err := n.site.Desk.TrashArticle(t.Context(), news.Actor{ID: ed.ID, Role: ed.Role}, id, ""); err != nil {
		t.Fatal(err)
	}
	check("editor, in the trash", editor, true, "It cannot be changed while it is in the trash.")
}

// TestReturnWithNote: an editor sends a story back with a note on what to
// change; the writer finds it above their draft (and in the history) until
// it moves on. A note too long is refused with everything typed kept.
func TestReturnWithNote(t *testing.T) {
	n := newNewsroom(t)
	writer, wr := n.signedIn(t, "Wyn Writer", news.RoleContributor)
	editor, _ := n.signedIn(t, "Ed Itor", news.RoleEditor)
	edit := writer.createArticle("Library hours cut")
	id := articleID(edit)
	n.step(t, wr, id, news.ActionSubmit)
	form := func(note string) url.Values {
		a, err := n.site.Store.Article(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return url.Values{"headline": {a.Headline}, "standfirst": {"Typed with the step."}, "body": {a.Body}, "comments_open": {"1"},
			"version": {strconv.Itoa(a.Version)}, "author": {strconv.FormatInt(wr.ID, 10)}, "action": {"return"}, "note": {note}}
	}
	res := editor.post(edit, form(strings.Repeat("x", 1001)))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Keep the note under 1,000 characters.") ||
		!strings.Contains(res.body, strings.Repeat("x", 1001)+"</textarea>") || !strings.Contains(res.body, "Typed with the step.") {
		t.Fatalf("a note too long: %d\n%s", res.status, res.body)
	}
	res = editor.post(edit, form("  Needs a quote from the library service.  "))
	if res.status != http.StatusSeeOther || !strings.HasSuffix(res.location, "?done=returned") {
		t.Fatalf("return: %d %s\n%s", res.status, res.location, res.body)
	}
	if p := editor.get(res.location); !strings.Contains(p.body, "Sent back to the writer as a draft.") {
		t.Errorf("no confirmation after returning:\n%s", p.body)
	}
	p := writer.get(edit)
	for _, want := range []string{"<strong>Returned to the writer</strong> by Ed Itor", `<blockquote class="step-note">Needs a quote from the library service.</blockquote>`,
		"return (review → draft) — Needs a quote from the library service."} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the writer's draft does not show %q:\n%s", want, p.body)
		}
	}
	if p := writer.get("/admin/"); !strings.Contains(p.body, "returned by Ed Itor, with a note") {
		t.Errorf("the writer's dashboard does not mark the draft returned:\n%s", p.body)
	}
	n.step(t, wr, id, news.ActionSubmit)
	if p := writer.get(edit); strings.Contains(p.body, "Returned to the writer") {
		t.Error("the note stays above the story once it is submitted again")
	}
}

// TestMenuCounts: the newsroom's menu tells editors how many stories wait
// for review (a story in the trash does not), and moderators how many
// comments wait for moderation; a writer's menu has neither.
func TestMenuCounts(t *testing.T) {
	n := newNewsroom(t)
	writer, wr := n.signedIn(t, "Wyn Writer", news.RoleContributor)
	editor, ed := n.signedIn(t, "Ed Itor", news.RoleEditor)
	for _, headline := range []string{"Ferry landing approved", "Library hours cut", "Bus lane opens"} {
		n.step(t, wr, articleID(writer.createArticle(headline)), news.ActionSubmit)
	}
	thrown := n.draft(t, ed, news.Snapshot{Headline: "Not needed", Body: "Text."})
	n.step(t, ed, thrown.ID, news.ActionSubmit)
	if _, err := n.site.Desk.TrashArticle(t.Context(), news.Actor{ID: ed.ID, Role: ed.Role}, thrown.ID, ""); err != nil {
		t.Fatal(err)
	}
	a := n.site.Article(t, &news.Article{Headline: "Out already"})
	for range 2 {
		n.site.Comment(t, a, &news.Comment{Status: news.CommentPending})
	}
	n.site.Comment(t, a, &news.Comment{})
	for _, c := range []struct {
		name      string
		client    *client
		want, not []string
	}{
		{"editor", editor, []string{`Articles <span class="count">3<span class="visually-hidden"> in review</span></span>`,
			`Comments <span class="count">2<span class="visually-hidden"> awaiting moderation</span></span>`}, nil},
		{"writer", writer, nil, []string{`class="count"`}},
	} {
		p := c.client.get("/admin/people")
		for _, want := range c.want {
			if !strings.Contains(p.body, want) {
				t.Errorf("%s: the menu lacks %q", c.name, want)
			}
		}
		for _, not := range c.not {
			if strings.Contains(p.body, not) {
				t.Errorf("%s: the menu shows %q", c.name, not)
			}
		}
	}
}

// TestOthersEditing: two editors changing the same story learn of each
// other before either saves — on opening the editor, and from the editor's
// autosave while they type — as WordPress warns that a post is being
// edited. Changes kept long ago, or saved since, say nothing.
func TestOthersEditing(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC))
	n := newNewsroomAt(t, clk)
	writer, _ := n.signedIn(t, "Wyn Writer", news.RoleContributor)
	ed, _ := n.signedIn(t, "Ed Itor", news.RoleEditor)
	eva, _ := n.signedIn(t, "Eva Editor", news.RoleEditor)
	edit := writer.createArticle("Bridge closed for repairs")
	id := articleID(edit)
	autosave := func(c *client) page {
		t.Helper()
		c.get(edit)
		return c.post("/admin/autosave?article="+strconv.FormatInt(id, 10), url.Values{"headline": {"Bridge closed"}, "body": {"Typed."}})
	}
	const evaTyping, edTyping = "<strong>Eva Editor</strong> is changing this article too", "<strong>Ed Itor</strong> is changing this article too"

	if res := autosave(ed); res.status != http.StatusNoContent {
		t.Fatalf("the first to type: %d %s", res.status, res.body)
	}
	clk.Advance(90 * time.Second)
	if p := eva.get(edit); !strings.Contains(p.body, edTyping+": their changes, kept a minute ago, are not saved yet.") {
		t.Errorf("the second editor is not told:\n%s", p.body)
	}
	if res := autosave(eva); res.status != http.StatusOK || !strings.Contains(res.body, edTyping) || strings.Contains(res.body, evaTyping) {
		t.Errorf("the second editor's autosave: %d %s", res.status, res.body)
	}
	if res := autosave(ed); res.status != http.StatusOK || !strings.Contains(res.body, evaTyping+": their changes, kept just now") {
		t.Errorf("the first editor's next autosave: %d %s", res.status, res.body)
	}
	if p := writer.get(edit); !strings.Contains(p.body, edTyping) || !strings.Contains(p.body, evaTyping) {
		t.Errorf("the writer is not told of both:\n%s", p.body)
	}

	clk.Advance(16 * time.Minute) // both stopped typing long ago
	if p := writer.get(edit); strings.Contains(p.body, "is changing this article too") {
		t.Errorf("changes kept 16 minutes ago still shown:\n%s", p.body)
	}
	autosave(ed)
	a, err := n.site.Store.Article(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if res := ed.post(edit, url.Values{"headline": {"Bridge closed"}, "body": {"Saved."}, "version": {strconv.Itoa(a.Version)},
		"author": {strconv.FormatInt(a.Authors[0].ID, 10)}}); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	if p := writer.get(edit); strings.Contains(p.body, "is changing this article too") {
		t.Errorf("changes since saved still shown:\n%s", p.body)
	}
}

// TestWordCount: the editor counts the body's words as readers will see
// them (not the Markdown's marks or a link's address), with the reading
// time the article page shows; its live preview says the same as the
// writer types.
func TestWordCount(t *testing.T) {
	n := newNewsroom(t)
	writer, _ := n.signedIn(t, "Wyn Writer", news.RoleContributor)
	edit := writer.createArticle("Counting words")
	for _, tc := range []struct {
		body           string
		words, minutes string
	}{
		{"## Three words here\n\nAnd **four** [more](https://example.org/a-long-address) words.", "7", "1"},
		{"One", "1", "1"},
		{strings.Repeat("ferry ", 231), "231", "2"},
	} {
		res := writer.post("/admin/preview", url.Values{"body": {tc.body}})
		if w, m := res.header.Get("X-Word-Count"), res.header.Get("X-Reading-Minutes"); res.status != http.StatusOK || w != tc.words || m != tc.minutes {
			t.Errorf("preview of %.30q: %d, %s words, %s minutes; want %s, %s", tc.body, res.status, w, m, tc.words, tc.minutes)
		}
	}
	a, err := n.site.Store.Article(t.Context(), articleID(edit))
	if err != nil {
		t.Fatal(err)
	}
	res := writer.post(edit, url.Values{"headline": {a.Headline}, "body": {"## Three words here\n\nAnd **four** [more](https://example.org/x) words."},
		"version": {strconv.Itoa(a.Version)}, "author": {strconv.FormatInt(a.Authors[0].ID, 10)}})
	if p := writer.get(res.location); !strings.Contains(p.body, `<p class="hint word-count" id="word-count">7 words · 1 min read</p>`) {
		t.Errorf("the editor shows no count of 7 words:\n%s", p.body)
	}
}
