package render

import (
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
)

// commentOf is a comment whose every shown value is v.
func commentOf(id int64, v string, staff, edited bool) *news.Comment {
	c := &news.Comment{ID: id, Name: v, Website: v, Body: v + "\n\n> quoted " + v + "\nhttps://example.com/?a=1&b=2", IsStaff: staff, Handle: v,
		CreatedAt: time.Date(2026, 12, 6, 23, 45, 0, 0, time.UTC)}
	if edited {
		c.EditedAt = c.CreatedAt.Add(time.Hour)
	}
	return c
}

// Comments written in Go are the "comment" template's bytes, threads and
// every optional part included, in each date style and zone.
func TestCommentThreadSameBytes(t *testing.T) {
	e, err := New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	values := []string{"", "Ann Reader", `<b>"Quoted" & 'single' + more</b>`, "a\x00b\xffc", "Zoë “Ö” 東京 x",
		"javascript:alert(1)", "https://ann.example/blog?a=1&b=2+3", "@ann@social.example"}
	for _, d := range []Dates{{}, {Zone: "Asia/Tokyo", Style: "us"}, {Zone: "America/New_York"}} {
		for i, v := range values {
			flags := func(k int) bool { return (i+k)%2 == 0 }
			reply := &CommentNode{Comment: commentOf(int64(100+i), v, flags(1), flags(0)), Pending: flags(1), CanReply: flags(0)}
			thread := []*CommentNode{
				{Comment: commentOf(int64(i+1), v, flags(0), flags(1)), Pending: flags(0), CanReply: flags(1),
					Replies: []*CommentNode{reply, {Comment: commentOf(-7, "", false, false)}}},
				{Comment: commentOf(int64(50+i), v, true, true), Pending: true, CanReply: true},
			}
			checkComments(t, e, d, thread)
		}
	}
}

func checkComments(t *testing.T, e *Engine, d Dates, thread []*CommentNode) {
	t.Helper()
	pages, err := e.pagesFor(d)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for _, n := range thread {
		if err := pages["article"].ExecuteTemplate(&want, "comment", n); err != nil {
			t.Fatal(err)
		}
	}
	loc := time.UTC // the engine's; as pagesFor makes the set's functions
	if d.Zone != "" {
		if loc, err = time.LoadLocation(d.Zone); err != nil {
			t.Fatal(err)
		}
	}
	if got := string(commentThread(thread, loc, news.DateLayout(d.Style))); got != want.String() {
		t.Errorf("dates %+v: comments written in Go:\n%s\nthe template's:\n%s", d, got, want.String())
	}
}

// FuzzCommentThread holds the Go comments to the template for any values.
func FuzzCommentThread(f *testing.F) {
	e, err := New(time.UTC)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "a&b", "<x>", "javascript:x", "%4G%41", "\x00\xff+'\"", "**bold** _it_ `code`"} {
		f.Add(s, s, int64(3), uint8(5))
	}
	f.Fuzz(func(t *testing.T, name, other string, id int64, flags uint8) {
		c := commentOf(id, name, flags&1 != 0, flags&2 != 0)
		c.Website, c.Body, c.Handle = other, other, other
		n := &CommentNode{Comment: c, Pending: flags&4 != 0, CanReply: flags&8 != 0}
		if flags&16 != 0 {
			n.Replies = []*CommentNode{{Comment: commentOf(id+1, other, false, true), CanReply: true}}
		}
		checkComments(t, e, Dates{}, []*CommentNode{n})
	})
}
