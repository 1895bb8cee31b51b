package newsroom_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/testutil"
)

// Editors start and close live coverage; whoever may edit the article posts,
// edits and deletes its entries. An edit of an entry's words marks it
// updated; a deleted entry leaves readers' pages and the push stream says
// so; every step takes the next push number.
func TestLiveBlog(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	site := testutil.NewSiteAt(t, clk)
	staff := site.StaffByRole(t, "Live", "a long password")
	a := site.Article(t, &news.Article{})

	for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
		if err := site.Desk.StartLive(ctx, staff[role], a.ID); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s starting a live blog: %v, want ErrForbidden", role, err)
		}
	}
	if _, err := site.Desk.PostLiveEntry(ctx, staff[news.RoleEditor], a.ID, news.LiveEntryInput{Body: "Too early."}); err == nil {
		t.Error("posted to an article that is not live")
	}
	if err := site.Desk.StartLive(ctx, staff[news.RoleEditor], a.ID); err != nil {
		t.Fatal(err)
	}
	// A writer not on the story may not post to it.
	for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
		if _, err := site.Desk.PostLiveEntry(ctx, staff[role], a.ID, news.LiveEntryInput{Body: "Not mine."}); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s posting to another's live blog: %v, want ErrForbidden", role, err)
		}
	}
	var fe news.FieldErrors
	for _, in := range []news.LiveEntryInput{
		{Body: "  \n "},
		{Body: strings.Repeat("x", news.LiveBodyMax+1)},
		{Body: "Fine.", Headline: strings.Repeat("h", news.LiveHeadlineMax+1)},
	} {
		if _, err := site.Desk.PostLiveEntry(ctx, staff[news.RoleEditor], a.ID, in); !errors.As(err, &fe) {
			t.Errorf("posting %.20q / %.20q: %v, want field errors", in.Headline, in.Body, err)
		}
	}

	first, err := site.Desk.PostLiveEntry(ctx, staff[news.RoleEditor], a.ID, news.LiveEntryInput{
		Headline: " Water  rises ", Body: "The river is **over** its banks.<script>alert(1)</script>", KeyEvent: true})
	if err != nil {
		t.Fatal(err)
	}
	if first.Headline != "Water rises" || !strings.Contains(first.BodyHTML, "<strong>over</strong>") || strings.Contains(first.BodyHTML, "<script") {
		t.Errorf("posted: %+v", first)
	}
	clk.Advance(time.Minute)
	second, err := site.Desk.PostLiveEntry(ctx, staff[news.RoleAdmin], a.ID, news.LiveEntryInput{Body: "Sandbags at the bridge."})
	if err != nil {
		t.Fatal(err)
	}
	if second.Seq <= first.Seq {
		t.Errorf("push numbers %d then %d", first.Seq, second.Seq)
	}

	// Pinning is no update; changing the words is.
	clk.Advance(time.Minute)
	pinned, err := site.Desk.EditLiveEntry(ctx, staff[news.RoleEditor], second.ID, news.LiveEntryInput{Body: second.Body, Pinned: true})
	if err != nil || pinned.Updated() || !pinned.Pinned {
		t.Fatalf("pinned: %+v, %v", pinned, err)
	}
	edited, err := site.Desk.EditLiveEntry(ctx, staff[news.RoleEditor], first.ID, news.LiveEntryInput{Body: "The river is over its banks at Mill Lane.", KeyEvent: true})
	if err != nil || !edited.UpdatedAt.Equal(clk.Now()) {
		t.Fatalf("edited: %+v, %v", edited, err)
	}

	page, err := site.Store.LiveEntries(ctx, a.ID, 0, false, 10)
	if err != nil || len(page) != 1 || page[0].ID != first.ID {
		t.Fatalf("unpinned entries: %+v, %v", page, err)
	}
	keys, err := site.Store.LiveKeyEvents(ctx, a.ID, 10)
	if err != nil || len(keys) != 1 || keys[0].ID != first.ID {
		t.Errorf("key events: %+v, %v", keys, err)
	}

	for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
		if err := site.Desk.DeleteLiveEntry(ctx, staff[role], first.ID); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s deleting an entry: %v, want ErrForbidden", role, err)
		}
	}
	if err := site.Desk.DeleteLiveEntry(ctx, staff[news.RoleEditor], first.ID); err != nil {
		t.Fatal(err)
	}
	if page, _ := site.Store.LiveEntries(ctx, a.ID, 0, false, 10); len(page) != 0 {
		t.Errorf("a deleted entry is still shown: %+v", page)
	}
	if _, err := site.Desk.EditLiveEntry(ctx, staff[news.RoleEditor], first.ID, news.LiveEntryInput{Body: "Back."}); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("editing a deleted entry: %v", err)
	}

	// The stream has every change in order: the last state of each entry.
	changes, err := site.Store.LiveChangesSince(ctx, a.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 || changes[0].Entry.ID != second.ID || changes[1].Entry.ID != first.ID || !changes[1].Entry.Deleted() {
		t.Errorf("changes: %+v", changes)
	}

	for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
		if err := site.Desk.CloseLive(ctx, staff[role], a.ID); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s closing a live blog: %v, want ErrForbidden", role, err)
		}
	}
	clk.Advance(time.Hour)
	if err := site.Desk.CloseLive(ctx, staff[news.RoleEditor], a.ID); err != nil {
		t.Fatal(err)
	}
	desk, err := site.Desk.LiveDesk(ctx, staff[news.RoleEditor], a.ID)
	if err != nil || desk.Blog.Live() || !desk.Blog.ClosedAt.Equal(clk.Now()) || desk.MayPost || !desk.MayStart || len(desk.Entries) != 1 {
		t.Errorf("closed desk: %+v, %v", desk, err)
	}
	if _, err := site.Desk.PostLiveEntry(ctx, staff[news.RoleEditor], a.ID, news.LiveEntryInput{Body: "After the end."}); !errors.As(err, &fe) {
		t.Errorf("posting after close: %v", err)
	}
	changes, err = site.Store.LiveChangesSince(ctx, 0, changes[len(changes)-1].Seq, 100)
	if err != nil || len(changes) != 1 || !changes[0].Closed || changes[0].ArticleID != a.ID {
		t.Errorf("changes after close: %+v, %v", changes, err)
	}
}

// eventHandler finds an event handler attribute in a tag.
var eventHandler = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)

// Naughty strings as an entry's headline and body are taken, or refused
// with a message, never an error; what is taken is sanitised.
func TestLiveEntryNaughtyStrings(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	editor := site.StaffByRole(t, "Naughty", "a long password")[news.RoleEditor]
	a := site.Article(t, &news.Article{})
	if err := site.Desk.StartLive(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	for _, s := range testutil.NaughtyStrings(t) {
		e, err := site.Desk.PostLiveEntry(ctx, editor, a.ID, news.LiveEntryInput{Headline: s, Body: s + "\n\n<img src=x onerror=alert(1)><script>alert(1)</script>"})
		var fe news.FieldErrors
		if errors.As(err, &fe) {
			continue
		}
		if err != nil {
			t.Fatalf("posting %q: %v", s, err)
		}
		if strings.Contains(e.BodyHTML, "<script") || eventHandler.MatchString(e.BodyHTML) {
			t.Fatalf("posting %q kept markup: %s", s, e.BodyHTML)
		}
	}
}

// An entry names its authors, in order (the one posting it when none are
// chosen); an unknown one is refused; a pin keeps the byline.
func TestLiveEntryAuthors(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	staff := site.StaffByRole(t, "Byline", "a long password")
	editor := staff[news.RoleEditor]
	second := staff[news.RoleAdmin]
	a := site.Article(t, &news.Article{})
	if err := site.Desk.StartLive(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	ids := func(e *news.LiveEntry) []int64 {
		var out []int64
		for _, s := range e.Byline() {
			out = append(out, s.ID)
		}
		return out
	}
	own, err := site.Desk.PostLiveEntry(ctx, editor, a.ID, news.LiveEntryInput{Body: "Mine."})
	if err != nil || !slices.Equal(ids(own), []int64{editor.ID}) {
		t.Fatalf("an entry without chosen authors: %v %v", ids(own), err)
	}
	two, err := site.Desk.PostLiveEntry(ctx, editor, a.ID, news.LiveEntryInput{Body: "Ours.", AuthorIDs: []int64{second.ID, editor.ID, second.ID}})
	if err != nil || !slices.Equal(ids(two), []int64{second.ID, editor.ID}) {
		t.Fatalf("two authors: %v %v", ids(two), err)
	}
	var fe news.FieldErrors
	if _, err := site.Desk.PostLiveEntry(ctx, editor, a.ID, news.LiveEntryInput{Body: "Whose?", AuthorIDs: []int64{-1}}); !errors.As(err, &fe) || fe["authors"] == "" {
		t.Errorf("an unknown author: %v", err)
	}
	if _, err := site.Desk.EditLiveEntry(ctx, editor, two.ID, news.LiveEntryInput{Body: "Ours.", Pinned: true}); err != nil {
		t.Fatal(err)
	}
	stored, err := site.Store.LiveEntry(ctx, two.ID)
	if err != nil || !slices.Equal(ids(stored), []int64{second.ID, editor.ID}) || !stored.Pinned {
		t.Errorf("after pinning: %v pinned %v, %v", ids(stored), stored.Pinned, err)
	}
}
