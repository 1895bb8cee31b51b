package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"masthead/internal/news"
)

// TestNoRemoteImagesInTheNewsroom (issue 15, finding 10): a draft must not
// make a reviewer's browser fetch from a server its writer chose, which
// would learn the reviewer's address. Newsroom pages allow images from the
// site only (media is served from it, whatever stores it), and the preview
// shows a remote image as a link to it.
func TestNoRemoteImagesInTheNewsroom(t *testing.T) {
	n := newNewsroom(t)
	contributor, _ := n.signedIn(t, "Cora Contributor", news.RoleContributor)
	editor, _ := n.signedIn(t, "Eli Editor", news.RoleEditor)

	for _, path := range []string{"/admin/login", "/admin/", "/admin/articles/new"} {
		csp := editor.get(path).header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "img-src 'self' data:;") || strings.Contains(csp, "https:") {
			t.Errorf("%s: Content-Security-Policy %q, want images from the site only", path, csp)
		}
	}

	body := "![x](https://evil.example/p.png)\n\n![local](/media/lib/ab/photo.jpg)\n\n" +
		`<img src="//evil.example/raw.png" alt="raw"> <img src="/\evil.example/slash.png">`
	prev := editor.post("/admin/preview", url.Values{"body": {body}})
	if prev.status != http.StatusOK {
		t.Fatalf("preview: %d %s", prev.status, prev.body)
	}
	for _, bad := range []string{`src="https://`, `src="//`, `src="/\`, "evil.example/p.png\"><"} {
		if strings.Contains(prev.body, bad) {
			t.Errorf("the preview loads a remote image (%s): %s", bad, prev.body)
		}
	}
	for _, want := range []string{`href="https://evil.example/p.png"`, `<img src="/media/lib/ab/photo.jpg"`} {
		if !strings.Contains(prev.body, want) {
			t.Errorf("the preview lacks %s: %s", want, prev.body)
		}
	}

	// The preview the editor page renders itself follows the same rule.
	contributor.get("/admin/articles/new")
	created := contributor.post("/admin/articles", url.Values{"headline": {"Pictures from afar"}, "body": {body},
		"image_url": {`/\evil.example/lead.png`}})
	if created.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	page := editor.get(created.location)
	if page.status != http.StatusOK || strings.Contains(page.body, `src="https://evil`) || !strings.Contains(page.body, `href="https://evil.example/p.png"`) {
		t.Errorf("the editor's page for %s: %d, loads or lacks the remote image", created.location, page.status)
	}
	if strings.Contains(page.body, `class="lead-preview" src="/\`) || !strings.Contains(page.body, "Image from elsewhere, not shown in the newsroom") {
		t.Errorf("the editor's page shows a lead image from another site: %s", page.body)
	}
}
