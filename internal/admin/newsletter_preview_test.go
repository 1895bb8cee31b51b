package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
)

// TestNewsletterPreviewScreen: Preview and Send a test to me post the
// briefing form, need its CSRF token, and show the screen again with what
// was typed; the preview frames the HTML part under a policy that allows
// its inline styles by hash only; a test is not an issue.
func TestNewsletterPreviewScreen(t *testing.T) {
	n := newNewsroom(t)
	editor, me := n.signedIn(t, "Eda Editor", news.RoleEditor)
	author, _ := n.signedIn(t, "Ari Author", news.RoleAuthor)
	story := n.site.Article(t, &news.Article{Headline: "Council meets", Standfirst: "The budget passes."})
	created := editor.post("/admin/newsletters", url.Values{"name": {"Morning Briefing"}, "kind": {"briefing"},
		"from_name": {"The Gazette"}, "from_email": {"news@gazette.test"}})
	if created.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", created.status, created.body)
	}
	page := strings.TrimSuffix(created.location, "?done=saved")
	if body := editor.get(page).body; !strings.Contains(body, `formaction="`+page+`/preview#preview-heading"`) || !strings.Contains(body, "Send a test to me") {
		t.Fatalf("the screen offers no preview or test:\n%s", body)
	}
	sid := strconv.FormatInt(story.ID, 10)
	form := func() url.Values {
		return url.Values{"subject": {`<b>Monday</b> "news"`}, "intro": {"Good *morning*.\n<script>x</script>"}, "story": {sid}}
	}

	tests := []struct {
		name   string
		who    *client
		path   string
		form   url.Values
		csrf   string
		status int
		want   []string
	}{
		{name: "preview", who: editor, path: "/preview", form: form(), status: http.StatusOK, want: []string{
			`value="&lt;b&gt;Monday&lt;/b&gt; &#34;news&#34;"`, "Good *morning*.\n&lt;script&gt;x&lt;/script&gt;</textarea>",
			`value="` + sid + `" checked`, `id="preview-heading"`, `<iframe class="issue-preview-html" sandbox srcdoc="`,
			"&lt;em&gt;morning&lt;/em&gt;", "Council meets", "&lt;news@gazette.test&gt;", "/newsletters/unsubscribe/test"}},
		{name: "preview, no subject", who: editor, path: "/preview", form: url.Values{"intro": {"Kept."}}, status: http.StatusUnprocessableEntity,
			want: []string{"Kept.</textarea>", "Give the issue a subject."}},
		{name: "preview, a story not in the list", who: editor, path: "/preview", form: url.Values{"subject": {"Kept"}, "story": {"x"}},
			status: http.StatusUnprocessableEntity, want: []string{`value="Kept"`, "Choose stories from the list."}},
		{name: "preview, forged token", who: editor, path: "/preview", form: form(), csrf: "forged", status: http.StatusForbidden},
		{name: "preview by an author", who: author, path: "/preview", form: form(), status: http.StatusForbidden},
		{name: "test", who: editor, path: "/test", form: form(), status: http.StatusOK, want: []string{
			`class="flash"`, me.Email, `value="&lt;b&gt;Monday&lt;/b&gt; &#34;news&#34;"`, "Good *morning*."}},
		{name: "test, forged token", who: editor, path: "/test", form: form(), csrf: "forged", status: http.StatusForbidden},
		{name: "test by an author", who: author, path: "/test", form: form(), status: http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.csrf != "" {
				tt.form.Set("csrf", tt.csrf)
			}
			res := tt.who.post(page+tt.path, tt.form)
			if res.status != tt.status {
				t.Fatalf("%d, want %d\n%s", res.status, tt.status, res.body)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("the page lacks %q:\n%s", w, res.body)
				}
			}
			if strings.Contains(res.body, "<script>x") {
				t.Error("the introduction's markup reached the page unescaped")
			}
			csp := res.header.Get("Content-Security-Policy")
			if tt.name == "preview" && (!strings.Contains(csp, "style-src 'self' 'unsafe-hashes' 'sha256-") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "img-src 'self' data:;")) {
				t.Errorf("the preview's policy: %q", csp)
			}
			if tt.name != "preview" && strings.Contains(csp, "unsafe-hashes") {
				t.Errorf("a policy loosened outside the preview: %q", csp)
			}
		})
	}
	arch, err := n.site.Desk.NewsletterArchive(context.Background(), "morning-briefing")
	if err != nil || len(arch.Issues) != 0 {
		t.Errorf("a preview or test became an issue: %+v, %v", arch, err)
	}
}
