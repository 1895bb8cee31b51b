package admin_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"masthead/internal/news"
)

// panelQuote is one quotation as the editor's Quotes panel shows it.
type panelQuote struct{ text, meta string }

var panelItem = regexp.MustCompile(`(?s)<li class="quote-(\w+)">\s*<blockquote><p>(.*?)</p></blockquote>\s*<p class="meta">(.*?)</p>`)

// quotesPanel reads the editor's Quotes panel: each quote's words, its
// status and what it says about the speaker.
func quotesPanel(t *testing.T, body string) map[string]panelQuote {
	t.Helper()
	i := strings.Index(body, `<h2 id="quotes-h">Quotes</h2>`)
	if i < 0 {
		t.Fatal("the editor has no Quotes panel")
	}
	out := map[string]panelQuote{}
	for _, m := range panelItem.FindAllStringSubmatch(body[i:], -1) {
		text := strings.TrimRight(html.UnescapeString(m[2]), ",.")
		out[text] = panelQuote{text: m[1], meta: html.UnescapeString(m[3])}
	}
	return out
}

func TestEditorQuotesPanel(t *testing.T) {
	n := newNewsroom(t)
	ed, me := n.signedIn(t, "Eda Editor", news.RoleEditor)
	path := ed.createArticle("Quay plan")
	ver := func() string {
		return regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(ed.get(path).body)[1]
	}
	save := func(body string) {
		t.Helper()
		if res := ed.post(path, url.Values{"version": {ver()}, "headline": {"Quay plan"}, "body": {body}, "author": {fmt.Sprint(me.ID)}}); res.status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", res.status, res.body)
		}
	}
	save("The council met.\n\n“We will rebuild the quay,” said Mayor Ines Darrow.\n\n" +
		"“It is a fudge,” said Priti Sandhu, who represents Old Quay for the Riverside Independents.\n\n" +
		"Traders called it a “sticking plaster”.")
	res := ed.get(path)
	panel := quotesPanel(t, res.body)
	if q := panel["We will rebuild the quay"]; q.text != "detected" || !strings.Contains(q.meta, "Ines Darrow") || !strings.Contains(q.meta, "not checked") {
		t.Errorf("the mayor's quote in the panel: %+v", q)
	}
	if _, ok := panel["sticking plaster"]; !ok {
		t.Fatalf("panel: %v", panel)
	}
	person := regexp.MustCompile(`name="quote" value="We will rebuild the quay,">\s*<input type="hidden" name="person" value="(\d+)">`).FindStringSubmatch(res.body)
	if person == nil {
		t.Fatal("no confirm form for the mayor's quote")
	}
	decide := func(form url.Values) {
		t.Helper()
		if res := ed.post(path+"/quotes", form); res.status != http.StatusSeeOther {
			t.Fatalf("decide %v: %d\n%s", form, res.status, res.body)
		}
	}
	decide(url.Values{"quote": {"We will rebuild the quay,"}, "person": {person[1]}, "action": {"confirm"}})
	decide(url.Values{"quote": {"It is a fudge,"}, "speaker": {"Priti Sandhu"}, "kind": {"person"}, "action": {"speaker"}})
	decide(url.Values{"quote": {"sticking plaster"}, "action": {"dismiss"}})

	check := func(when string) {
		t.Helper()
		panel := quotesPanel(t, ed.get(path).body)
		if q := panel["We will rebuild the quay"]; q.text != "confirmed" || !strings.Contains(q.meta, "Ines Darrow") {
			t.Errorf("%s: the mayor's quote: %+v", when, q)
		}
		if q := panel["It is a fudge"]; q.text != "confirmed" || !strings.Contains(q.meta, "Priti Sandhu") || strings.Contains(q.meta, "Riverside") {
			t.Errorf("%s: the fudge: %+v", when, q)
		}
		if q := panel["sticking plaster"]; q.text != "dismissed" || !strings.Contains(q.meta, "Not a quote") {
			t.Errorf("%s: the plaster: %+v", when, q)
		}
	}
	check("after deciding")
	// Edit the text around the quotes: they move, the decisions follow.
	save("New first paragraph.\n\nThe council met on Tuesday night.\n\n“We will rebuild the quay,” the mayor told a packed chamber.\n\n" +
		"“It is a fudge,” said Priti Sandhu, who represents Old Quay for the Riverside Independents.\n\n" +
		"Traders called it a “sticking plaster”. “Enough,” said Bo Sample.")
	check("after an edit")
	if q := quotesPanel(t, ed.get(path).body)["Enough"]; q.text != "detected" || !strings.Contains(q.meta, "Bo Sample") {
		t.Errorf("the new quote: %+v", q)
	}

	// A writer may not decide about someone else's article.
	author, _ := n.signedIn(t, "Au Thor", news.RoleAuthor)
	if res := author.post(path+"/quotes", url.Values{"quote": {"Enough,"}, "action": {"dismiss"}}); res.status != http.StatusForbidden {
		t.Errorf("another writer deciding: %d", res.status)
	}
	// Words that are no longer in the article are refused, with a message.
	if res := ed.post(path+"/quotes", url.Values{"quote": {"words nobody said"}, "action": {"dismiss"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "no longer in the article") {
		t.Errorf("deciding about words not there: %d", res.status)
	}
}

func TestPeopleAdmin(t *testing.T) {
	n := newNewsroom(t)
	ctx := context.Background()
	ed, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	st := n.site.Store
	n.site.Article(t, &news.Article{Headline: "One", Body: "“First,” said Mayor Ines Darrow."})
	n.site.Article(t, &news.Article{Headline: "Two", Body: "“Second,” said Inez Darrow."})
	ines, _ := st.PersonByName(ctx, "Ines Darrow")
	inez, _ := st.PersonByName(ctx, "Inez Darrow")

	list := ed.get("/admin/people")
	if list.status != 200 || !strings.Contains(list.body, fmt.Sprintf(`<a href="/admin/people/%d">Ines Darrow</a>`, ines.ID)) {
		t.Fatalf("people list: %d\n%s", list.status, list.body)
	}
	if res := ed.get("/admin/people?q=inez"); strings.Contains(res.body, ">Ines Darrow<") || !strings.Contains(res.body, ">Inez Darrow<") {
		t.Error("search by name")
	}
	page := fmt.Sprintf("/admin/people/%d", ines.ID)
	if res := ed.get(page); res.status != 200 || !strings.Contains(res.body, "First,") {
		t.Fatalf("person page: %d", res.status)
	}
	res := ed.post(page, url.Values{"name": {"Ines Darrow"}, "kind": {"person"}, "description": {"Mayor of Northgate"}, "aliases": {"Mayor Darrow\r\nI. Darrow"}, "slug": {ines.Slug}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save person: %d\n%s", res.status, res.body)
	}
	p, _ := st.Person(ctx, ines.ID)
	if p.Description != "Mayor of Northgate" || strings.Join(p.Aliases, "|") != "I. Darrow|Mayor Darrow" {
		t.Errorf("saved person: %+v", p)
	}
	// Taking a name someone else has is refused.
	res = ed.post(page, url.Values{"name": {"Ines Darrow"}, "kind": {"person"}, "aliases": {"Inez Darrow"}, "slug": {ines.Slug}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Merge the two instead") {
		t.Errorf("taken alias: %d", res.status)
	}
	// Merge Inez into Ines: the quote moves, the old page redirects.
	res = ed.post(fmt.Sprintf("/admin/people/%d/merge", inez.ID), url.Values{"into": {"mayor darrow"}})
	if res.status != http.StatusSeeOther || res.location != page+"?done=moved" {
		t.Fatalf("merge: %d %s\n%s", res.status, res.location, res.body)
	}
	if p, err := st.PersonBySlug(ctx, inez.Slug); err != nil || p.ID != ines.ID || p.QuoteCount != 2 {
		t.Errorf("after the merge, %s is %+v (%v)", inez.Slug, p, err)
	}
	if res := ed.get(fmt.Sprintf("/admin/people/%d", inez.ID)); res.status != http.StatusNotFound {
		t.Errorf("merged person's newsroom page: %d", res.status)
	}
	if res := ed.post(page+"/merge", url.Values{"into": {"Nobody Known"}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("merge into nobody: %d", res.status)
	}

	// Writers may look but not change.
	author, _ := n.signedIn(t, "Au Thor", news.RoleAuthor)
	if res := author.get(page); res.status != 200 || strings.Contains(res.body, "Merge") {
		t.Errorf("writer's view: %d", res.status)
	}
	if res := author.post(page, url.Values{"name": {"Vandal"}, "kind": {"person"}}); res.status != http.StatusForbidden {
		t.Errorf("writer renaming: %d", res.status)
	}
}
