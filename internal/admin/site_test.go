package admin_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
)

// The site's own screens: settings with its logo and icon, static pages
// and the menus.

// postMultipart sends a form as multipart/form-data, as the settings form
// is sent, with files by field name.
func (c *client) postMultipart(path string, form url.Values, files map[string]file) page {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for field, f := range files {
		w, _ := mw.CreateFormFile(field, f.name)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
}

// settingsValues is the whole settings form as an administrator sends it.
func settingsValues() url.Values {
	return url.Values{"name": {"The Evening Gazette"}, "tagline": {"Since 1881"}, "description": {"News."}, "language": {"en-GB"},
		"timezone": {"Europe/London"}, "date_style": {"Y-m-d"}, "comments_default": {"closed"}, "close_after_days": {"14"},
		"moderation": {"all"}, "publisher_name": {"Gazette Media Ltd"}, "publisher_address": {"1 High Street"},
		"policy_ethicsPolicy": {"/page/ethics"}, "social": {"https://mastodon.example/@gazette\nhttps://bsky.app/profile/gazette.example"}}
}

// TestSettingsForm: an administrator sets everything on the settings form,
// uploading a logo and an icon with it; the reader site shows them at
// once. A failed save keeps what was typed and says what is wrong.
func TestSettingsForm(t *testing.T) {
	n := newMediaNewsroom(t)
	admin, _ := n.signedIn(t, "Ada Admin", news.RoleAdmin)
	editor, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	admin.get("/admin/settings")
	if res := editor.postMultipart("/admin/settings", settingsValues(), nil); res.status != http.StatusForbidden {
		t.Errorf("an editor saved the settings: %d", res.status)
	}

	bad := settingsValues()
	bad.Set("timezone", "Mars/Olympus")
	bad.Set("policy_masthead", "javascript:alert(1)")
	bad.Set("close_after_days", "soon")
	res := admin.postMultipart("/admin/settings", bad, nil)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a failed save: %d\n%s", res.status, res.body)
	}
	for _, want := range []string{"Give a time zone by its name", "Give the policy&#39;s address", "Give a number of days", `value="Mars/Olympus"`, `value="javascript:alert(1)"`, `value="The Evening Gazette"`, `href="#s-timezone"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the failed form lacks %q", want)
		}
	}

	res = admin.postMultipart("/admin/settings", settingsValues(), map[string]file{
		"logo_file": {"logo.png", testPhoto(t, 800, 200, "png")},
		"icon_file": {"icon.png", testPhoto(t, 256, 256, "png")},
	})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.status, res.body)
	}
	pub, err := n.site.Store.Publication(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(pub.LogoURL, "/media/lib/") || !strings.HasPrefix(pub.IconURL, "/media/lib/") || pub.TimeZone != "Europe/London" ||
		pub.DateStyle != "Y-m-d" || !pub.Comments.ClosedByDefault || pub.Comments.CloseAfterDays != 14 || pub.Comments.Moderation != news.ModerateAll ||
		pub.Publisher.EthicsPolicy != "/page/ethics" || len(pub.Social) != 2 {
		t.Fatalf("stored %+v", pub)
	}
	// The form shows the choices again, the uploads among the library's.
	if page := admin.get("/admin/settings"); !strings.Contains(page.body, `<option value="`+pub.LogoURL+`" selected>logo.png`) {
		t.Errorf("the logo is not chosen on the form:\n%s", page.body)
	}

	home := admin.get("/")
	for _, want := range []string{`<img class="site-logo" src="` + pub.LogoURL + `" alt="The Evening Gazette">`, `<link rel="apple-touch-icon" href="` + pub.IconURL + `">`,
		`href="https://mastodon.example/@gazette" rel="me noopener">Mastodon</a>`, `>Bluesky</a>`, `"ethicsPolicy":"http://masthead.test/page/ethics"`, `"name":"Gazette Media Ltd"`} {
		if !strings.Contains(home.body, want) {
			t.Errorf("the front page lacks %s", want)
		}
	}
	// A new article starts with comments closed, as the policy says.
	if page := admin.get("/admin/articles/new"); strings.Contains(page.body, `name="comments_open" value="1" checked`) {
		t.Error("a new article starts with comments open")
	}
}

// TestPagesScreen: editors list and start pages in the article editor,
// without section or tags; a page is not in the article list. Writers are
// not offered pages, and cannot start one.
func TestPagesScreen(t *testing.T) {
	n := newMediaNewsroom(t)
	editor, me := n.signedIn(t, "Eda Editor", news.RoleEditor)
	for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
		c, _ := n.signedIn(t, "Wri "+string(role), role)
		if page := c.get("/admin/"); strings.Contains(page.body, `href="/admin/pages"`) || strings.Contains(page.body, `href="/admin/menus"`) {
			t.Errorf("%s is offered Pages or Menus", role)
		}
		if page := c.get("/admin/pages/new"); page.status != http.StatusForbidden {
			t.Errorf("%s opened a new page: %d", role, page.status)
		}
		if res := c.post("/admin/pages", url.Values{"headline": {"My page"}, "body": {"Text."}}); res.status != http.StatusForbidden {
			t.Errorf("%s created a page: %d", role, res.status)
		}
		if page := c.get("/admin/pages"); page.status != http.StatusOK || strings.Contains(page.body, "New page") {
			t.Errorf("%s: pages list %d, offering New page", role, page.status)
		}
	}

	page := editor.get("/admin/pages/new")
	if page.status != http.StatusOK || !strings.Contains(page.body, "<h1>New page</h1>") || !strings.Contains(page.body, `action="/admin/pages"`) || strings.Contains(page.body, `name="section"`) {
		t.Fatalf("new page: %d\n%s", page.status, page.body)
	}
	if res := editor.post("/admin/pages", url.Values{"headline": {""}, "body": {"Kept text."}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Kept text.") || !strings.Contains(res.body, "<h1>New page</h1>") {
		t.Errorf("a failed page: %d\n%s", res.status, res.body)
	}
	res := editor.post("/admin/pages", url.Values{"headline": {"About the Gazette"}, "slug": {"about"}, "body": {"Who we are."}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create page: %d\n%s", res.status, res.body)
	}
	path := strings.TrimSuffix(res.location, "?done=created")
	if page := editor.get(path); !strings.Contains(page.body, "<h1>Edit page</h1>") || strings.Contains(page.body, `name="tags"`) {
		t.Errorf("the page's editor:\n%s", page.body)
	}
	if res := editor.post(path, url.Values{"version": {"1"}, "headline": {"About the Gazette"}, "slug": {"about"}, "body": {"Who we are."}, "author": {strconv.FormatInt(me.ID, 10)}, "action": {"publish"}}); res.status != http.StatusSeeOther {
		t.Fatalf("publish page: %d\n%s", res.status, res.body)
	}
	if page := editor.get("/page/about"); page.status != http.StatusOK || !strings.Contains(page.body, "Who we are.") {
		t.Errorf("/page/about: %d", page.status)
	}
	if list := editor.get("/admin/pages"); !strings.Contains(list.body, `href="/page/about"`) || !strings.Contains(list.body, "New page") {
		t.Errorf("pages list:\n%s", list.body)
	}
	if list := editor.get("/admin/articles"); strings.Contains(list.body, "About the Gazette") {
		t.Error("the article list shows a page")
	}
}

var menuIndexPattern = regexp.MustCompile(`action="/admin/menus/header/(\d+)/remove"`)

// TestMenusScreen: editors build the header and footer from sections,
// pages and links, and reorder them with buttons; the reader site follows
// at once. Writers are refused every action.
func TestMenusScreen(t *testing.T) {
	n := newMediaNewsroom(t)
	editor, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	n.site.Section(t, "Politics")
	n.site.Section(t, "Sport")
	for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
		c, _ := n.signedIn(t, "Wri "+string(role), role)
		if page := c.get("/admin/menus"); page.status != http.StatusForbidden {
			t.Errorf("%s opened Menus: %d", role, page.status)
		}
		for _, p := range []string{"/admin/menus/header/add", "/admin/menus/header/0/move", "/admin/menus/header/0/remove", "/admin/menus/header/reset"} {
			if res := c.post(p, url.Values{"kind": {"link"}, "label": {"Spam"}, "url": {"https://spam.example"}, "to": {"down"}}); res.status != http.StatusForbidden {
				t.Errorf("%s: POST %s: %d", role, p, res.status)
			}
		}
	}

	page := editor.get("/admin/menus")
	if page.status != http.StatusOK || !strings.Contains(page.body, "it lists the sections") || len(menuIndexPattern.FindAllString(page.body, -1)) != 2 {
		t.Fatalf("menus: %d\n%s", page.status, page.body)
	}
	res := editor.post("/admin/menus/footer/add", url.Values{"kind": {"link"}, "label": {"Contact"}, "url": {"mailto:x@example.org"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `value="mailto:x@example.org"`) || !strings.Contains(res.body, "Give an address on this site") {
		t.Errorf("a bad link: %d\n%s", res.status, res.body)
	}
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/admin/menus/footer/add", url.Values{"kind": {"link"}, "label": {"Contact us"}, "url": {"/page/contact"}}},
		{"/admin/menus/header/add", url.Values{"kind": {"link"}, "label": {"Puzzles"}, "url": {"https://puzzles.example/"}}},
		{"/admin/menus/header/2/move", url.Values{"to": {"up"}}},
		{"/admin/menus/header/0/remove", nil},
	} {
		if res := editor.post(step.path, step.form); res.status != http.StatusSeeOther {
			t.Fatalf("POST %s: %d\n%s", step.path, res.status, res.body)
		}
	}
	home := editor.get("/")
	nav := home.body[strings.Index(home.body, `<nav class="sections-nav"`):]
	nav = nav[:strings.Index(nav, "</nav>")]
	if !regexp.MustCompile(`(?s)>Home<.*>Puzzles<.*>Sport<`).MatchString(nav) || strings.Contains(nav, "Politics") {
		t.Errorf("header menu:\n%s", nav)
	}
	if !strings.Contains(home.body, `<a href="/page/contact">Contact us</a>`) {
		t.Error("the footer lacks its menu")
	}
	if res := editor.post("/admin/menus/header/reset", nil); res.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.status)
	}
	if home := editor.get("/"); !strings.Contains(home.body, ">Politics</a>") || strings.Contains(home.body, ">Puzzles</a>") {
		t.Error("the reset header does not list the sections")
	}
}

// TestProfileLinks: everyone gives their profiles elsewhere on their own
// profile; a link that is not a web address is refused on the form, with
// what was typed kept.
func TestProfileLinks(t *testing.T) {
	n := newNewsroom(t)
	for _, role := range news.Roles {
		c, u := n.signedIn(t, "Pat "+string(role), role)
		form := url.Values{"name": {u.Name}, "link_mastodon": {"javascript:alert(1)"}, "link_bluesky": {"https://bsky.app/profile/pat.example"}}
		res := c.post("/admin/profile", form)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Give your Mastodon profile as a web address") || !strings.Contains(res.body, `value="https://bsky.app/profile/pat.example"`) {
			t.Fatalf("%s: a bad link: %d\n%s", role, res.status, res.body)
		}
		form.Set("link_mastodon", " https://mastodon.example/@pat ")
		if res := c.post("/admin/profile", form); res.status != http.StatusSeeOther {
			t.Fatalf("%s: save: %d\n%s", role, res.status, res.body)
		}
		got, err := n.site.Store.StaffByID(context.Background(), u.ID)
		if err != nil || got.Links != (news.SocialLinks{Mastodon: "https://mastodon.example/@pat", Bluesky: "https://bsky.app/profile/pat.example"}) {
			t.Errorf("%s: stored %+v %v", role, got.Links, err)
		}
	}
}
