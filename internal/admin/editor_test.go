package admin_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"masthead/internal/news"
)

// TestEditorEndpoints: the visual editor's blocks for Markdown and for
// pasted HTML, for any signed-in member of staff with the form's token and
// for nobody else.
func TestEditorEndpoints(t *testing.T) {
	n := newNewsroom(t)
	contributor, _ := n.signedIn(t, "Cora Contributor", news.RoleContributor)
	docs, err := os.ReadFile("../wpcontent/testdata/clipboard-google-docs.html")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		form       url.Values
		want       []string
	}{
		{"blocks", "/admin/editor/blocks", url.Values{"body": {"## Sub\r\n\r\nText **bold**\r\n"}},
			[]string{`<h2 data-md="## Sub" data-sep="`, `<strong>bold</strong>`}},
		{"a figure card", "/admin/editor/blocks", url.Values{"body": {`![Alt](/media/x.jpg "Cap")`}},
			[]string{`data-kind="figure"`, `data-caption="Cap"`}},
		{"paste from Google Docs", "/admin/editor/paste", url.Values{"html": {string(docs)}},
			[]string{`<h2 data-md="## Harbour ferry`, `<strong>every twenty minutes</strong>`, `<em>six-week</em>`,
				`<a href="https://example.org/northgate-ferry/timetable">timetable</a>`,
				`<li>the first crossing leaves Ferry Lane at 6.40am;</li><li>bicycles travel free <strong>before 8am</strong>.</li>`}},
		{"paste is cleaned", "/admin/editor/paste", url.Values{"html": {`<p style="color:red" onclick="x()">Hi<script>alert(1)</script></p>`}},
			[]string{"<p data-md=\"Hi\" data-sep=\"\n\">Hi</p>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := contributor.post(c.path, c.form)
			if res.status != http.StatusOK {
				t.Fatalf("%d %s", res.status, res.body)
			}
			for _, w := range c.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("lacks %s:\n%s", w, res.body)
				}
			}
		})
	}

	// Nobody signed in, or a form without the token: refused.
	stranger := n.browser(t)
	if res := stranger.post("/admin/editor/paste", url.Values{"html": {"<p>x</p>"}, "csrf": {"x"}}); res.status != http.StatusUnauthorized {
		t.Errorf("signed out: %d", res.status)
	}
	for _, path := range []string{"/admin/editor/paste", "/admin/editor/blocks"} {
		if res := contributor.post(path, url.Values{"html": {"<p>x</p>"}, "csrf": {"forged"}}); res.status != http.StatusForbidden {
			t.Errorf("%s without the token: %d", path, res.status)
		}
	}
	if res := contributor.post("/admin/editor/paste", url.Values{"html": {strings.Repeat("x", 2<<20+1)}}); res.status != http.StatusRequestEntityTooLarge {
		t.Errorf("huge paste: %d", res.status)
	}
}

// TestEditorPageCarriesBlocks: the editor page holds the body as the
// visual editor's blocks, beside the textarea that is the form's field.
func TestEditorPageCarriesBlocks(t *testing.T) {
	n := newNewsroom(t)
	c, me := n.signedIn(t, "Cora Contributor", news.RoleContributor)
	a := n.draft(t, me, news.Snapshot{Headline: "Blocks", Body: "First *para*.\n\n> Quote\n", AuthorIDs: []int64{me.ID}})
	res := c.get(fmt.Sprintf("/admin/articles/%d", a.ID))
	for _, want := range []string{`<textarea id="f-body" name="body"`, `<template id="f-body-visual">`, `<p data-md="First *para*." data-sep="`, `<em>para</em>`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the editor page lacks %s", want)
		}
	}
}

// TestLibraryJSON: the visual editor's image dialog lists the library and
// uploads into it, and gets what a figure needs.
func TestLibraryJSON(t *testing.T) {
	n := newMediaNewsroom(t)
	c, _ := n.signedIn(t, "Cora Contributor", news.RoleContributor)
	c.get("/admin/media")
	up := c.upload("", "json", file{"quay.jpg", testPhoto(t, 800, 500, "jpeg")})
	var got struct {
		Items []struct{ Src, Thumb, Filename, Alt string }
	}
	if err := json.Unmarshal([]byte(up.body), &got); err != nil || up.status != 200 || len(got.Items) != 1 ||
		!strings.HasPrefix(got.Items[0].Src, "/media/") || got.Items[0].Filename != "quay.jpg" {
		t.Fatalf("upload answered %d %s (%v)", up.status, up.body, err)
	}
	req, _ := http.NewRequest("GET", c.base+"/admin/media?q=quay", nil)
	req.Header.Set("Accept", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var list struct {
		Items []struct{ Src, Thumb string }
		Total int
	}
	if err := json.Unmarshal(body, &list); err != nil || list.Total != 1 || list.Items[0].Src != got.Items[0].Src || list.Items[0].Thumb == "" {
		t.Errorf("library JSON: %s (%v)", body, err)
	}
}
