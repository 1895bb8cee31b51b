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

// postJSON posts a form as the visual editor's script does: with the
// current CSRF token (unless the form has one), asking for JSON.
func (c *client) postJSON(path string, form url.Values) (int, map[string]any) {
	c.t.Helper()
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		c.t.Fatalf("POST %s answered %d, not JSON: %v", path, res.StatusCode, err)
	}
	return res.StatusCode, got
}

// TestImageDialogSavesWords: the image dialog says whether the writer may
// change an image's words, saves the credit (and alt text) given on
// inserting it to the library as JSON, as the service allows, and the
// editor's figure cards then show the credit.
func TestImageDialogSavesWords(t *testing.T) {
	n := newMediaNewsroom(t)
	owner, _ := n.signedIn(t, "Cora Contributor", news.RoleContributor)
	other, _ := n.signedIn(t, "Otto Other", news.RoleContributor)
	editor, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	up := owner.upload("", "json", file{"quay.jpg", testPhoto(t, 800, 500, "jpeg")})
	var got struct {
		Items []struct {
			ID      int64
			Src     string
			MayEdit bool `json:"may_edit"`
		}
	}
	if err := json.Unmarshal([]byte(up.body), &got); err != nil || len(got.Items) != 1 || got.Items[0].ID == 0 || !got.Items[0].MayEdit {
		t.Fatalf("upload answered %d %s (%v)", up.status, up.body, err)
	}
	img := got.Items[0]
	path := fmt.Sprintf("/admin/media/%d", img.ID)
	words := func(alt, credit string) url.Values {
		return url.Values{"alt": {alt}, "caption": {"Boats at the quay."}, "credit": {credit}}
	}
	cases := []struct {
		name   string
		who    *client
		form   url.Values
		status int
		error  string // in the JSON error, when refused
	}{
		{"uploader", owner, words("Boats moored at the quay", "Photo: Jane Doe / Agency"), http.StatusOK, ""},
		{"another writer", other, words("Vandalised", "Nobody"), http.StatusForbidden, "Your role does not allow that"},
		{"without the token", editor, url.Values{"alt": {"x"}, "credit": {"x"}, "csrf": {"forged"}}, http.StatusForbidden, "did not come from the newsroom"},
		{"too long", editor, words("Boats", strings.Repeat("c", 201)), http.StatusUnprocessableEntity, "The credit is longer than 200 characters."},
		{"editor", editor, words("Boats moored at the quay at dawn", "Photo: Jane Doe / Agency"), http.StatusOK, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, res := c.who.postJSON(path, c.form)
			if status != c.status {
				t.Fatalf("%d, want %d: %v", status, c.status, res)
			}
			if c.error != "" {
				if msg, _ := res["error"].(string); !strings.Contains(msg, c.error) {
					t.Errorf("error %q, want %q", msg, c.error)
				}
				return
			}
			if res["credit"] != c.form.Get("credit") || res["alt"] != c.form.Get("alt") || res["src"] != img.Src {
				t.Errorf("answered %v", res)
			}
		})
	}
	if page := other.get(path); !strings.Contains(page.body, "Photo: Jane Doe / Agency") || !strings.Contains(page.body, "at dawn") {
		t.Error("the library item lacks the saved words")
	}

	// The library tells the other writer they may not change the words.
	req, _ := http.NewRequest("GET", other.base+"/admin/media", nil)
	req.Header.Set("Accept", "application/json")
	res, err := other.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var list struct {
		Items []struct {
			MayEdit bool `json:"may_edit"`
			Credit  string
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil || len(list.Items) != 1 || list.Items[0].MayEdit || list.Items[0].Credit == "" {
		t.Errorf("library JSON for another writer: %+v (%v)", list, err)
	}

	// The figure card shows the credit from the library.
	blocks := other.post("/admin/editor/blocks", url.Values{"body": {"![Boats](" + img.Src + ` "Cap")`}})
	if !strings.Contains(blocks.body, `<p class="ve-card-credit">Credit: Photo: Jane Doe / Agency</p>`) {
		t.Errorf("figure card without the credit:\n%s", blocks.body)
	}
}
