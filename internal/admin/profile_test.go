package admin_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
	nr "masthead/internal/newsroom"
)

var appPasswordPattern = regexp.MustCompile(`<code class="app-password">([^<]+)</code>`)

// Adding an application password asks for the account's password again,
// and a wrong one keeps what was typed; signing out everywhere revokes it
// and says so (issue 15, finding 3).
func TestProfileAppPasswords(t *testing.T) {
	n := newNewsroom(t)
	c, u := n.signedIn(t, "Pia Profile", news.RoleAuthor)
	c.get("/admin/profile")
	for _, tt := range []struct {
		name, password string
		want           string
	}{
		{"no password", "", "Enter your password to confirm it is you."},
		{"the wrong password", "not the password", "That is not your password."},
	} {
		res := c.post("/admin/profile/app-passwords", url.Values{"name": {"Phone app"}, "password": {tt.password}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, tt.want) || !strings.Contains(res.body, `value="Phone app"`) ||
			appPasswordPattern.MatchString(res.body) {
			t.Errorf("%s: %d\n%s", tt.name, res.status, res.body)
		}
	}
	res := c.post("/admin/profile/app-passwords", url.Values{"name": {"Phone app"}, "password": {password}})
	m := appPasswordPattern.FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil {
		t.Fatalf("with the password: %d\n%s", res.status, res.body)
	}
	pw := html.UnescapeString(m[1])
	if !strings.Contains(res.body, "Sign out everywhere") || !strings.Contains(res.body, "revokes all your application passwords") {
		t.Error("the profile page does not say what signing out everywhere does")
	}

	res = c.post("/admin/logout-everywhere", nil)
	if res.status != http.StatusSeeOther || res.location != "/admin/login?done=signedout" {
		t.Fatalf("sign out everywhere: %d %q", res.status, res.location)
	}
	if login := c.get(res.location); !strings.Contains(login.body, "your application passwords were revoked") {
		t.Errorf("the sign-in page does not say the application passwords went:\n%s", login.body)
	}
	if _, err := n.site.Desk.AuthenticateAppPassword(context.Background(), u.Email, pw, "192.0.2.1"); !errors.Is(err, nr.ErrBadCredentials) {
		t.Errorf("the application password survived signing out everywhere: %v", err)
	}
}

// TestProfileDetailsAndPassword: a contributor changes their own details
// (a failed save keeps what they typed) and their password, staying
// signed in in this browser.
func TestProfileDetailsAndPassword(t *testing.T) {
	n := newNewsroom(t)
	c, u := n.signedIn(t, "Cleo Contributor", news.RoleContributor)
	c.get("/admin/profile")
	res := c.post("/admin/profile", url.Values{"name": {""}, "job_title": {"Freelance"}, "bio": {"Writes about boats."}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Give your name as it should appear in bylines") ||
		!strings.Contains(res.body, "Writes about boats.") || !strings.Contains(res.body, `value="Freelance"`) {
		t.Fatalf("a failed save: %d\n%s", res.status, res.body)
	}
	res = c.post("/admin/profile", url.Values{"name": {"Cleo Harbour"}, "job_title": {"Freelance"}, "bio": {"Writes about boats."}})
	if res.status != http.StatusSeeOther || res.location != "/admin/profile?done=saved" {
		t.Fatalf("save: %d %s\n%s", res.status, res.location, res.body)
	}
	got, err := n.site.Store.StaffByID(context.Background(), u.ID)
	if err != nil || got.Name != "Cleo Harbour" || got.Bio != "Writes about boats." || got.Role != news.RoleContributor {
		t.Fatalf("stored %+v %v", got, err)
	}

	c.get("/admin/profile")
	res = c.post("/admin/profile/password", url.Values{"current": {"wrong"}, "password": {"a new long password"}, "password2": {"a new long password"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "That is not your password.") {
		t.Fatalf("wrong current password: %d\n%s", res.status, res.body)
	}
	res = c.post("/admin/profile/password", url.Values{"current": {password}, "password": {"a new long password"}, "password2": {"a new long password"}})
	if res.status != http.StatusSeeOther || res.location != "/admin/profile?done=password" {
		t.Fatalf("change: %d %s\n%s", res.status, res.location, res.body)
	}
	if page := c.get(res.location); page.status != http.StatusOK || !strings.Contains(page.body, "Your new password is set") {
		t.Errorf("after the change this browser is signed out, or not told: %d", page.status)
	}
}

// TestDeactivateOverHTTP: an administrator deactivates an author from the
// Staff page; the author's browser is signed out on its next request, and
// the account is listed as deactivated, ready to reactivate. Editors get
// 403.
func TestDeactivateOverHTTP(t *testing.T) {
	n := newNewsroom(t)
	admin, _ := n.signedIn(t, "Ada Admin", news.RoleAdmin)
	editor, _ := n.signedIn(t, "Eli Editor", news.RoleEditor)
	author, au := n.signedIn(t, "Ari Leaving", news.RoleAuthor)
	id := strconv.FormatInt(au.ID, 10)

	editor.get("/admin/")
	if res := editor.post("/admin/staff/"+id+"/deactivate", nil); res.status != http.StatusForbidden {
		t.Errorf("an editor deactivating: %d", res.status)
	}
	page := admin.get("/admin/staff")
	if !strings.Contains(page.body, `aria-label="Deactivate Ari Leaving"`) || strings.Contains(page.body, `aria-label="Deactivate Ada Admin"`) {
		t.Errorf("the Staff page's deactivate buttons:\n%s", page.body)
	}
	res := admin.post("/admin/staff/"+id+"/deactivate", nil)
	if res.status != http.StatusSeeOther || res.location != "/admin/staff?done=deactivated" {
		t.Fatalf("deactivate: %d %s\n%s", res.status, res.location, res.body)
	}
	if res := author.get("/admin/"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/admin/login") {
		t.Errorf("the deactivated author's next request: %d %s", res.status, res.location)
	}
	page = admin.get("/admin/staff?done=deactivated")
	if !strings.Contains(page.body, "Account deactivated") || !strings.Contains(page.body, `aria-label="Reactivate Ari Leaving"`) {
		t.Errorf("after deactivating:\n%s", page.body)
	}
	if res := admin.post("/admin/staff/"+id+"/reactivate", nil); res.status != http.StatusSeeOther {
		t.Errorf("reactivate: %d", res.status)
	}
}

// TestSettingsScreen: administrators rename the newspaper (a failed save
// keeps what was typed); other roles neither see the menu item nor open it.
func TestSettingsScreen(t *testing.T) {
	n := newNewsroom(t)
	admin, _ := n.signedIn(t, "Ada Admin", news.RoleAdmin)
	for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor, news.RoleEditor} {
		c, _ := n.signedIn(t, "Not Admin "+string(role), role)
		if page := c.get("/admin/"); strings.Contains(page.body, `href="/admin/settings"`) {
			t.Errorf("%s is offered Settings", role)
		}
		if page := c.get("/admin/settings"); page.status != http.StatusForbidden {
			t.Errorf("%s opened Settings: %d", role, page.status)
		}
		if res := c.post("/admin/settings", url.Values{"name": {"Taken over"}, "language": {"en"}}); res.status != http.StatusForbidden {
			t.Errorf("%s saved Settings: %d", role, res.status)
		}
	}
	page := admin.get("/admin/settings")
	if page.status != http.StatusOK || !strings.Contains(page.body, `href="/admin/settings"`) || !strings.Contains(page.body, `value="The Test Gazette"`) {
		t.Fatalf("settings: %d\n%s", page.status, page.body)
	}
	res := admin.post("/admin/settings", url.Values{"name": {"The Evening Gazette"}, "tagline": {"Since 1881"}, "language": {"not a language"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Give the language as a code") || !strings.Contains(res.body, `value="The Evening Gazette"`) {
		t.Fatalf("a failed save: %d\n%s", res.status, res.body)
	}
	res = admin.post("/admin/settings", url.Values{"name": {"The Evening Gazette"}, "tagline": {"Since 1881"}, "language": {"en-GB"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.status, res.body)
	}
	pub, err := n.site.Store.Publication(context.Background())
	if err != nil || pub.Name != "The Evening Gazette" || pub.Tagline != "Since 1881" || pub.Language != "en-GB" {
		t.Errorf("stored %+v %v", pub, err)
	}
}

// TestSectionsScreen: an editor adds a section (a failed form keeps what
// was typed) and renames it; writers get neither the menu item nor the
// screen.
func TestSectionsScreen(t *testing.T) {
	n := newNewsroom(t)
	editor, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	author, _ := n.signedIn(t, "Ari Author", news.RoleAuthor)
	if page := author.get("/admin/"); strings.Contains(page.body, `href="/admin/sections"`) {
		t.Error("an author is offered Sections")
	}
	if page := author.get("/admin/sections"); page.status != http.StatusForbidden {
		t.Errorf("an author opened Sections: %d", page.status)
	}
	page := editor.get("/admin/sections")
	if page.status != http.StatusOK || !strings.Contains(page.body, "No sections yet") {
		t.Fatalf("sections: %d\n%s", page.status, page.body)
	}
	res := editor.post("/admin/sections", url.Values{"name": {"Sport"}, "slug": {"Not A Slug"}, "description": {"Games and races."}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "A slug may contain only") || !strings.Contains(res.body, `value="Games and races."`) {
		t.Fatalf("a bad slug: %d\n%s", res.status, res.body)
	}
	if res := editor.post("/admin/sections", url.Values{"name": {"Sport"}, "description": {"Games and races."}}); res.status != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", res.status, res.body)
	}
	sec, err := n.site.Store.SectionBySlug(context.Background(), "sport")
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(sec.ID, 10)
	if res := editor.post("/admin/sections/"+id, url.Values{"name": {"Sports"}, "slug": {"sports"}}); res.status != http.StatusSeeOther {
		t.Fatalf("rename: %d\n%s", res.status, res.body)
	}
	if page := editor.get("/admin/articles/new"); !strings.Contains(page.body, ">Sports</option>") {
		t.Error("the editor does not offer the new section")
	}
}

// TestSetupInTheBrowser: a site with no administrator says so on the
// sign-in page; the set-up form, given the server's code, creates the
// administrator and signs them in; afterwards /admin/setup is closed.
func TestSetupInTheBrowser(t *testing.T) {
	n := newNewsroom(t)
	code, err := n.site.Desk.SetupCode(context.Background())
	if err != nil || code == "" {
		t.Fatalf("code %q %v", code, err)
	}
	c := n.browser(t)
	if page := c.get("/admin/login"); !strings.Contains(page.body, `href="/admin/setup"`) {
		t.Error("the sign-in page does not point to set-up")
	}
	c.get("/admin/setup")
	form := url.Values{"code": {"WRONG-CODE-1234"}, "name": {"Ada Admin"}, "email": {"ada@example.test"},
		"password": {"a long password"}, "password2": {"a long password"}}
	res := c.post("/admin/setup", form)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "That is not the set-up code") || !strings.Contains(res.body, `value="ada@example.test"`) {
		t.Fatalf("a wrong code: %d\n%s", res.status, res.body)
	}
	form.Set("code", code)
	res = c.post("/admin/setup", form)
	if res.status != http.StatusSeeOther || res.location != "/admin/?done=welcome" {
		t.Fatalf("set-up: %d %s\n%s", res.status, res.location, res.body)
	}
	if page := c.get("/admin/"); page.status != http.StatusOK || !strings.Contains(page.body, "Ada Admin") {
		t.Errorf("after set-up: %d", page.status)
	}
	if res := n.browser(t).get("/admin/setup"); res.status != http.StatusSeeOther || res.location != "/admin/login" {
		t.Errorf("set-up after an administrator exists: %d %s", res.status, res.location)
	}
}

// TestProfileWorkflowMail: each member of staff turns mail about stories'
// progress off and on again on their profile; the page says what it covers
// for their role, and that a site without a mail server sends none.
func TestProfileWorkflowMail(t *testing.T) {
	n := newNewsroom(t)
	for _, tc := range []struct {
		role    news.Role
		reviews bool
	}{{news.RoleContributor, false}, {news.RoleEditor, true}} {
		c, u := n.signedIn(t, "Pat "+string(tc.role), tc.role)
		const box = `<input type="checkbox" name="workflow_mail" value="1" checked aria-describedby="mail-hint">`
		p := c.get("/admin/profile")
		if !strings.Contains(p.body, box) || strings.Contains(p.body, "when a writer submits one for review") != tc.reviews ||
			!strings.Contains(p.body, "This site has no mail server yet, so none is sent.") {
			t.Errorf("%s: the profile's mail setting:\n%s", tc.role, p.body)
		}
		for _, on := range []bool{false, true} {
			form := url.Values{}
			if on {
				form.Set("workflow_mail", "1")
			}
			if res := c.post("/admin/profile/mail", form); res.status != http.StatusSeeOther || res.location != "/admin/profile?done=saved#mail" {
				t.Fatalf("%s: turning it %v: %d %s", tc.role, on, res.status, res.location)
			}
			got, err := n.site.Store.WorkflowMail(t.Context(), u.ID)
			if err != nil || got != on {
				t.Errorf("%s: stored %v, %v; want %v", tc.role, got, err, on)
			}
			if p := c.get("/admin/profile"); strings.Contains(p.body, box) != on {
				t.Errorf("%s: the box shows ticked %v, want %v", tc.role, !on, on)
			}
		}
	}
}
