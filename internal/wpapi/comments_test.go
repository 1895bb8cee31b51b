package wpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/testutil"
	"masthead/internal/wpapi"
)

// TestComments pins the comment endpoints' answers for readers, staff who
// do not moderate, and moderators: what each may see, and WordPress's error
// codes for what each may not do.
func TestComments(t *testing.T) {
	f := newFixture(t, testutil.SiteBackend())
	ctx := context.Background()
	public := f.site.Article(t, &news.Article{Headline: "Comments welcome"})
	other := f.site.Article(t, &news.Article{Headline: "Another story"})
	writer, writerPW := f.password("Wanda Writer", news.RoleAuthor)
	editor, editorPW := f.password("Eddie Editor", news.RoleEditor)
	draft, err := f.site.Desk.Create(ctx, news.Actor{ID: writer.ID, Role: writer.Role}, news.Snapshot{Headline: "Not out yet", Body: "Text."})
	if err != nil {
		t.Fatal(err)
	}
	approved := f.site.Comment(t, public, &news.Comment{Email: "approved@example.test", Body: "Approved."})
	pending := f.site.Comment(t, public, &news.Comment{Status: news.CommentPending, Body: "Waiting."})
	onDraft := f.site.Comment(t, draft, &news.Comment{Body: "On a draft."})
	elsewhere := f.site.Comment(t, other, &news.Comment{Body: "Elsewhere."})

	type who struct{ user, pw string }
	anon, author, mod := who{}, who{writer.Email, writerPW}, who{editor.Email, editorPW}
	id := func(c *news.Comment) string { return fmt.Sprint(c.ID) }
	tests := []struct {
		name, method, path string
		as                 who
		body               string
		status             int
		code               string // the error's code, or text the body must contain
	}{
		{"readers list approved comments on public articles", "GET", "/wp-json/wp/v2/comments", anon, "", 200, `Approved.`},
		{"readers never see emails", "GET", "/wp-json/wp/v2/comments/" + id(approved), anon, "", 200, `"author_name"`},
		{"moderators see emails", "GET", "/wp-json/wp/v2/comments/" + id(approved), mod, "", 200, `"author_email":"approved@example.test"`},
		{"readers ask for held comments", "GET", "/wp-json/wp/v2/comments?status=hold", anon, "", 401, "rest_forbidden_param"},
		{"writers ask for held comments", "GET", "/wp-json/wp/v2/comments?status=hold", author, "", 401, "rest_forbidden_param"},
		{"moderators list held comments", "GET", "/wp-json/wp/v2/comments?status=hold", mod, "", 200, `Waiting.`},
		{"moderators ask for an unknown status", "GET", "/wp-json/wp/v2/comments?status=bogus", mod, "", 400, "rest_invalid_param"},
		{"readers ask for a held comment", "GET", "/wp-json/wp/v2/comments/" + id(pending), anon, "", 404, "rest_comment_invalid_id"},
		{"writers ask for a held comment", "GET", "/wp-json/wp/v2/comments/" + id(pending), author, "", 404, "rest_comment_invalid_id"},
		{"readers ask for a comment on a draft", "GET", "/wp-json/wp/v2/comments/" + id(onDraft), anon, "", 404, "rest_comment_invalid_id"},
		{"moderators see a held comment", "GET", "/wp-json/wp/v2/comments/" + id(pending), mod, "", 200, `"status":"hold"`},
		{"a missing comment", "GET", "/wp-json/wp/v2/comments/999999", mod, "", 404, "rest_comment_invalid_id"},
		{"readers comment through the API", "POST", "/wp-json/wp/v2/comments", anon, `{"post":` + fmt.Sprint(public.ID) + `,"content":"Hi"}`, 401, "rest_comment_login_required"},
		{"writers comment as staff", "POST", "/wp-json/wp/v2/comments", author, `{"post":` + fmt.Sprint(public.ID) + `,"content":"Hi"}`, 403, "rest_comment_invalid_author"},
		{"a staff comment on a missing post", "POST", "/wp-json/wp/v2/comments", mod, `{"post":999999,"content":"Hi"}`, 404, "rest_comment_invalid_post_id"},
		{"a staff reply to a missing comment", "POST", "/wp-json/wp/v2/comments", mod, `{"post":` + fmt.Sprint(public.ID) + `,"parent":999999,"content":"Hi"}`, 400, "rest_comment_invalid_parent"},
		{"a staff reply to a comment on another post", "POST", "/wp-json/wp/v2/comments", mod, `{"post":` + fmt.Sprint(public.ID) + `,"parent":` + id(elsewhere) + `,"content":"Hi"}`, 404, "rest_not_found"},
		{"an empty staff comment", "POST", "/wp-json/wp/v2/comments", mod, `{"post":` + fmt.Sprint(public.ID) + `,"content":"  "}`, 400, "rest_invalid_param"},
		{"writers moderate", "POST", "/wp-json/wp/v2/comments/" + id(pending), author, `{"status":"approved"}`, 403, "rest_cannot_edit"},
		{"writers load a comment for editing", "POST", "/wp-json/wp/v2/comments/" + id(approved), author, `{}`, 403, "rest_cannot_edit"},
		{"moderators use an unknown status", "POST", "/wp-json/wp/v2/comments/" + id(pending), mod, `{"status":"pending"}`, 400, "rest_invalid_param"},
		{"moderators moderate a missing comment", "POST", "/wp-json/wp/v2/comments/999999", mod, `{"status":"spam"}`, 404, "rest_not_found"},
		{"moderators send a comment to spam", "POST", "/wp-json/wp/v2/comments/" + id(elsewhere), mod, `{"status":"spam"}`, 200, `"status":"spam"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			res, got := f.do(tt.method, tt.path, tt.as.user, tt.as.pw, body, "Content-Type", "application/json")
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, got)
			}
			if tt.status >= 400 {
				var e wpapi.Error
				if err := json.Unmarshal(got, &e); err != nil || e.Code != tt.code || e.Data.Status != tt.status {
					t.Errorf("error %s, want code %s", got, tt.code)
				}
				return
			}
			if !strings.Contains(string(got), tt.code) {
				t.Errorf("body lacks %s: %s", tt.code, got)
			}
			if tt.as == anon && (strings.Contains(string(got), "author_email") || strings.Contains(string(got), "Waiting.") || strings.Contains(string(got), "On a draft.")) {
				t.Errorf("a reader sees emails or comments readers do not: %s", got)
			}
		})
	}

	// A staff reply to a held comment approves it and is signed by its author.
	res, got := f.do("POST", "/wp-json/wp/v2/comments", editor.Email, editorPW,
		strings.NewReader(`{"post":`+fmt.Sprint(public.ID)+`,"parent":`+id(pending)+`,"content":"Thanks &amp; <b>welcome</b>."}`), "Content-Type", "application/json")
	if res.StatusCode != 201 {
		t.Fatalf("staff reply: %d %s", res.StatusCode, got)
	}
	var reply struct {
		ID     int64  `json:"id"`
		Parent int64  `json:"parent"`
		Name   string `json:"author_name"`
	}
	if err := json.Unmarshal(got, &reply); err != nil || reply.Parent != pending.ID || reply.Name != editor.Name {
		t.Errorf("reply: %s", got)
	}
	stored, err := f.site.Store.Comment(ctx, reply.ID)
	if err != nil || !stored.IsStaff || stored.Body != "Thanks & welcome." || stored.Status != news.CommentApproved {
		t.Errorf("stored reply %+v %v", stored, err)
	}
	if parent, _ := f.site.Store.Comment(ctx, pending.ID); parent.Status != news.CommentApproved {
		t.Errorf("the answered comment is %s", parent.Status)
	}
}
