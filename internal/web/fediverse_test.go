package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/testutil"
)

// TestFediverseComments: a reply from the fediverse, approved, shows under
// its article with its author's name, handle and profile link (nofollow
// ugc), threaded; naughty names, handles and text are shown escaped.
func TestFediverseComments(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	top := &news.Comment{ArticleID: f.middle.ID, Name: "Alice Example", Handle: "@alice@social.example", Website: "https://social.example/@alice",
		Body: "Great piece!", Status: news.CommentApproved}
	if _, err := f.site.Store.AddFedComment(ctx, top, "https://social.example/statuses/1", "https://social.example/users/alice"); err != nil {
		t.Fatal(err)
	}
	reply := &news.Comment{ArticleID: f.middle.ID, ParentID: top.ID, Name: "bob", Handle: "@bob@other.example", Website: "https://other.example/@bob",
		Body: "Agreed.", Status: news.CommentApproved}
	if _, err := f.site.Store.AddFedComment(ctx, reply, "https://other.example/statuses/2", "https://other.example/users/bob"); err != nil {
		t.Fatal(err)
	}
	page := f.get(t, f.middle.URLPath())
	mustContain(t, page.body, `<a href="https://social.example/@alice" rel="nofollow ugc noopener">Alice Example</a> <span class="comment-handle">@alice@social.example</span>`,
		fmt.Sprintf(`<ol class="comment-replies"><li class="comment" id="comment-%d">`, reply.ID), "@bob@other.example")

	strs := testutil.NaughtyStrings(t)
	for i, s := range strs {
		c := &news.Comment{ArticleID: f.first.ID, Name: markup.HTMLLine(s), Handle: "@" + markup.HTMLLine(s) + "@naughty.example",
			Website: "https://naughty.example/@" + fmt.Sprint(i), Body: markup.HTMLText(s), Status: news.CommentApproved}
		if c.Name == "" || c.Body == "" {
			c.Name, c.Body = "empty", "empty"
		}
		if _, err := f.site.Store.AddFedComment(ctx, c, fmt.Sprintf("https://naughty.example/statuses/%d", i), "https://naughty.example/users/n"); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
	}
	page = f.get(t, f.first.URLPath())
	if page.StatusCode != 200 {
		t.Fatalf("article with naughty comments: %d", page.StatusCode)
	}
	for _, s := range strs {
		if v := markup.HTMLText(s); tagLike.MatchString(v) && strings.Contains(page.body, v) {
			t.Errorf("%q shown unescaped", v)
		}
	}
}
