package newsroom_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// commentDesk is a newsroom on a fresh site whose clock the test moves.
func commentDesk(t *testing.T, limit int) (*testutil.Site, *newsroom.Service, *clock.Manual) {
	t.Helper()
	site := testutil.NewSite(t)
	clk := clock.NewManual(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	return site, newsroom.New(site.Store, newsroom.Config{Location: time.UTC, Clock: clk, CommentLimit: limit, CommentWindow: 10 * time.Minute}), clk
}

func reader(name, email, body string) news.CommentInput {
	return news.CommentInput{Name: name, Email: email, Body: body}
}

const remark = "The vote was much closer than the headline suggests, as anyone there saw."

func TestPostComment(t *testing.T) {
	ctx := context.Background()
	site, desk, clk := commentDesk(t, 100)
	open := site.Article(t, &news.Article{Headline: "Open for comments"})
	closed := site.ClosedArticle(t, &news.Article{Headline: "Closed for comments"})
	site.Comment(t, open, &news.Comment{Email: "regular@example.test"})
	block, err := news.NewBlock(news.BlockIP, "203.0.113.0/24", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := site.Store.AddBlock(ctx, &block, 0); err != nil {
		t.Fatal(err)
	}
	other := site.Article(t, &news.Article{Headline: "Elsewhere"})
	elsewhere := site.Comment(t, other, &news.Comment{})
	held := site.Comment(t, open, &news.Comment{Status: news.CommentPending})
	binned := site.Comment(t, open, &news.Comment{Status: news.CommentSpam})
	trashed := site.Comment(t, open, &news.Comment{Status: news.CommentTrash})
	replyTo := func(parent *news.Comment) news.CommentInput {
		return news.CommentInput{ParentID: parent.ID, Name: "A", Email: "a@example.test", Body: "Hello."}
	}

	tests := []struct {
		name    string
		article *news.Article
		in      news.CommentInput
		from    newsroom.CommentOrigin
		want    news.CommentStatus
		err     error  // errors.Is
		field   string // a news.FieldErrors key
	}{
		{"a new reader waits", open, reader("New Reader", "new@example.test", remark), newsroom.CommentOrigin{IP: "198.51.100.1"}, news.CommentPending, nil, ""},
		{"a known reader is published", open, reader("Regular", " Regular@Example.test ", remark+" Again."), newsroom.CommentOrigin{IP: "198.51.100.2"}, news.CommentApproved, nil, ""},
		{"the honeypot sends to spam", open, reader("Bot", "bot@example.test", remark+" Bot."), newsroom.CommentOrigin{IP: "198.51.100.3", Honeypot: true}, news.CommentSpam, nil, ""},
		{"a blocked address goes to spam", open, reader("Blocked", "blocked@example.test", remark+" Blocked."), newsroom.CommentOrigin{IP: "203.0.113.9"}, news.CommentSpam, nil, ""},
		{"closed comments", closed, reader("A", "a@example.test", "Hello."), newsroom.CommentOrigin{IP: "198.51.100.4"}, "", newsroom.ErrCommentsClosed, ""},
		{"closed is forbidden", closed, reader("A", "a@example.test", "Hello."), newsroom.CommentOrigin{IP: "198.51.100.4"}, "", news.ErrForbidden, ""},
		{"no name", open, reader(" ", "a@example.test", "Hello."), newsroom.CommentOrigin{IP: "198.51.100.4"}, "", nil, "name"},
		{"a reply to a comment on another article", open, replyTo(elsewhere), newsroom.CommentOrigin{IP: "198.51.100.4"}, "", nil, "comment"},
		// Readers answer only what they can see (issue 15, finding 10).
		{"a reply to a pending comment", open, replyTo(held), newsroom.CommentOrigin{IP: "198.51.100.4"}, "", nil, "comment"},
		{"a reply to a spam comment", open, replyTo(binned), newsroom.CommentOrigin{IP: "198.51.100.4"}, "", nil, "comment"},
		{"a reply to a trashed comment", open, replyTo(trashed), newsroom.CommentOrigin{IP: "198.51.100.4"}, "", nil, "comment"},
		{"a reply to a missing comment", open, news.CommentInput{ParentID: 999999, Name: "A", Email: "a@example.test", Body: "Hello."}, newsroom.CommentOrigin{IP: "198.51.100.4"}, "", nil, "comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := desk.PostComment(ctx, tt.article, tt.in, tt.from)
			var fe news.FieldErrors
			switch {
			case tt.err != nil:
				if !errors.Is(err, tt.err) {
					t.Fatalf("err %v, want %v", err, tt.err)
				}
			case tt.field != "":
				if !errors.As(err, &fe) || fe[tt.field] == "" {
					t.Fatalf("err %v, want a complaint about %s", err, tt.field)
				}
			case err != nil:
				t.Fatal(err)
			default:
				stored, err := site.Store.Comment(ctx, c.ID)
				if err != nil || stored.Status != tt.want || stored.IP != tt.from.IP || !stored.CreatedAt.Equal(clk.Now()) {
					t.Errorf("stored %+v %v, want status %s at %s", stored, err, tt.want, clk.Now())
				}
			}
		})
	}
}

// TestCommentRateLimit: an address may post the limit within the window,
// then waits until the window has moved on; ill-formed comments do not
// count, and other addresses are not held up.
func TestCommentRateLimit(t *testing.T) {
	ctx := context.Background()
	site, desk, clk := commentDesk(t, 2)
	a := site.Article(t, &news.Article{Headline: "Busy thread"})
	from := newsroom.CommentOrigin{IP: "198.51.100.7"}
	post := func(body string, from newsroom.CommentOrigin) error {
		_, err := desk.PostComment(ctx, a, reader("Fast", "fast@example.test", body), from)
		return err
	}
	steps := []struct {
		name    string
		advance time.Duration
		body    string
		from    newsroom.CommentOrigin
		wait    time.Duration // 0: allowed
	}{
		{"first", 0, "one", from, 0},
		{"an empty one does not count", time.Minute, "", from, -1},
		{"second", time.Minute, "two", from, 0},
		{"third is refused", time.Minute, "three", from, 7 * time.Minute},
		{"another address", 0, "elsewhere", newsroom.CommentOrigin{IP: "198.51.100.8"}, 0},
		{"still refused", 6 * time.Minute, "three again", from, time.Minute},
		{"the first has left the window", time.Minute, "three at last", from, 0},
	}
	for _, s := range steps {
		clk.Advance(s.advance)
		err := post(s.body, s.from)
		var limited *newsroom.RateLimitError
		var fe news.FieldErrors
		switch {
		case s.wait < 0:
			if !errors.As(err, &fe) {
				t.Errorf("%s: %v, want a field error", s.name, err)
			}
		case s.wait == 0:
			if err != nil {
				t.Errorf("%s: %v", s.name, err)
			}
		case !errors.As(err, &limited) || limited.Wait != s.wait:
			t.Errorf("%s: %v, want a wait of %s", s.name, err, s.wait)
		}
	}
}

// TestRepeatWindowFollowsTheClock: the same text from other addresses
// counts against a comment only within news.RepeatWindow of the clock.
func TestRepeatWindowFollowsTheClock(t *testing.T) {
	ctx := context.Background()
	site, desk, clk := commentDesk(t, 100)
	a := site.Article(t, &news.Article{Headline: "Petition"})
	text := "Everyone should read https://petition.example/sign and https://petition.example/share today"
	for i, email := range []string{"one@example.test", "two@example.test"} {
		if _, err := desk.PostComment(ctx, a, reader("Copier", email, text), newsroom.CommentOrigin{IP: "198.51.100." + string(rune('1'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(news.RepeatWindow + time.Hour)
	c, err := desk.PostComment(ctx, a, reader("Copier", "three@example.test", text), newsroom.CommentOrigin{IP: "198.51.100.9"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != news.CommentPending {
		t.Errorf("a copy after the window is %s, want pending", c.Status)
	}
}

// TestModerationByRole: only roles with news.PermModerate (editors and
// administrators) may moderate, reply as staff or keep the blocklist.
func TestModerationByRole(t *testing.T) {
	ctx := context.Background()
	site, desk, _ := commentDesk(t, 100)
	a := site.Article(t, &news.Article{Headline: "Moderated"})
	c := site.Comment(t, a, &news.Comment{Status: news.CommentPending})
	block, _ := news.NewBlock(news.BlockWord, "casino", "")
	if err := site.Store.AddBlock(ctx, &block, 0); err != nil {
		t.Fatal(err)
	}
	actions := map[string]func(me news.Actor) error{
		"moderate": func(me news.Actor) error { return desk.Moderate(ctx, me, []int64{c.ID}, news.CommentPending) },
		"moderate one": func(me news.Actor) error {
			_, err := desk.ModerateComment(ctx, me, c.ID, "")
			return err
		},
		"queue": func(me news.Actor) error {
			_, err := desk.ModerationQueue(ctx, me, news.CommentPending, 1)
			return err
		},
		"comment in context": func(me news.Actor) error {
			_, err := desk.CommentInContext(ctx, me, c.ID)
			return err
		},
		"article conversation": func(me news.Actor) error {
			_, err := desk.ArticleConversation(ctx, me, a.ID)
			return err
		},
		"reply": func(me news.Actor) error {
			_, err := desk.ReplyAsStaff(ctx, me, 0, c.ID, "Thanks.", "192.0.2.1", "test")
			return err
		},
		"blocklist": func(me news.Actor) error {
			_, err := desk.Blocklist(ctx, me)
			return err
		},
		"block": func(me news.Actor) error {
			_, err := desk.AddBlock(ctx, me, news.BlockWord, "poker", "")
			return err
		},
		"unblock": func(me news.Actor) error { return desk.RemoveBlock(ctx, me, block.ID) },
	}
	tests := []struct {
		role    news.Role
		allowed bool
	}{
		{news.RoleContributor, false},
		{news.RoleAuthor, false},
		{news.RoleEditor, true},
		{news.RoleAdmin, true},
		{"", false}, // nobody signed in
	}
	for _, tt := range tests {
		var me news.Actor
		if tt.role != "" {
			u := site.Staff(t, "Staff "+string(tt.role), tt.role, "a long password")
			me = news.Actor{ID: u.ID, Role: tt.role}
		}
		for name, act := range actions {
			err := act(me)
			if tt.allowed && err != nil {
				t.Errorf("%q %s: %v", tt.role, name, err)
			}
			if !tt.allowed && !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%q %s: %v, want forbidden", tt.role, name, err)
			}
		}
	}
}

func TestModerationRules(t *testing.T) {
	ctx := context.Background()
	site, desk, _ := commentDesk(t, 100)
	ed := site.Staff(t, "Ida Editor", news.RoleEditor, "a long password")
	me := news.Actor{ID: ed.ID, Role: news.RoleEditor}
	a := site.Article(t, &news.Article{Headline: "Rules"})
	b := site.Article(t, &news.Article{Headline: "Other rules"})
	question := site.Comment(t, a, &news.Comment{Status: news.CommentPending})
	junk := site.Comment(t, a, &news.Comment{Status: news.CommentSpam})
	onB := site.Comment(t, b, &news.Comment{})

	var fe news.FieldErrors
	if err := desk.Moderate(ctx, me, []int64{junk.ID}, "publish"); !errors.As(err, &fe) || fe["status"] == "" {
		t.Errorf("an unknown status: %v", err)
	}
	if err := desk.Moderate(ctx, me, []int64{999999, junk.ID}, news.CommentTrash); err != nil {
		t.Errorf("a vanished comment stops the rest: %v", err)
	}
	if _, err := desk.ModerateComment(ctx, me, 999999, news.CommentTrash); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("moderating one missing comment: %v", err)
	}
	if _, err := desk.ModerationQueue(ctx, me, "deleted", 1); !errors.As(err, &fe) || fe["status"] == "" {
		t.Errorf("an unknown folder: %v", err)
	}
	if q, err := desk.ModerationQueue(ctx, me, news.CommentTrash, 9); err != nil || q.Page != 1 || len(q.Items) != 1 || q.Counts[news.CommentPending] != 1 {
		t.Errorf("a page past the end: %+v %v", q, err)
	}

	replies := []struct {
		name              string
		article, parentID int64
		body              string
		err               error
		field             string
	}{
		{"no such article", 999999, 0, "Hello.", newsroom.ErrNoArticle, ""},
		{"no such parent", a.ID, 999999, "Hello.", newsroom.ErrNoParent, ""},
		{"a parent on another article", a.ID, onB.ID, "Hello.", news.ErrNotFound, ""},
		{"a parent in the bin", 0, junk.ID, "Hello.", nil, "reply"},
		{"an empty reply", a.ID, 0, "  ", nil, "reply"},
	}
	for _, tt := range replies {
		_, err := desk.ReplyAsStaff(ctx, me, tt.article, tt.parentID, tt.body, "", "")
		if tt.err != nil && !errors.Is(err, tt.err) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.err)
		}
		if tt.field != "" && (!errors.As(err, &fe) || fe[tt.field] == "") {
			t.Errorf("%s: %v, want a complaint about %s", tt.name, err, tt.field)
		}
	}
	reply, err := desk.ReplyAsStaff(ctx, me, 0, question.ID, "We asked the council.", "192.0.2.1", "Browser/1.0")
	if err != nil {
		t.Fatal(err)
	}
	if reply.ArticleID != a.ID || !reply.IsStaff || reply.Name != ed.Name || reply.Status != news.CommentApproved {
		t.Errorf("reply %+v", reply)
	}
	if got, _ := site.Store.Comment(ctx, question.ID); got.Status != news.CommentApproved {
		t.Errorf("the answered comment is %s", got.Status)
	}

	if added, err := desk.AddBlock(ctx, me, news.BlockEmail, "Troll@Example.test", ""); !added || err != nil {
		t.Errorf("block: %v %v", added, err)
	}
	if added, err := desk.AddBlock(ctx, me, news.BlockEmail, "troll@example.test", ""); added || err != nil {
		t.Errorf("blocking twice: %v %v", added, err)
	}
	if _, err := desk.AddBlock(ctx, me, news.BlockIP, "not an address", ""); !errors.As(err, &fe) {
		t.Errorf("an invalid entry: %v", err)
	}
	if err := desk.RemoveBlock(ctx, me, 999999); err != nil {
		t.Errorf("removing what is gone: %v", err)
	}
}

// TestCommentVisibility: readers and staff who do not moderate see what
// the site shows; moderators see everything, with emails.
func TestCommentVisibility(t *testing.T) {
	ctx := context.Background()
	site, desk, _ := commentDesk(t, 100)
	public := site.Article(t, &news.Article{Headline: "Public"})
	w := site.Staff(t, "Will Writer", news.RoleAuthor, "a long password")
	writer := news.Actor{ID: w.ID, Role: news.RoleAuthor}
	draft, err := site.Desk.Create(ctx, writer, news.Snapshot{Headline: "Draft", Body: "Text."})
	if err != nil {
		t.Fatal(err)
	}
	approved := site.Comment(t, public, &news.Comment{})
	held := site.Comment(t, public, &news.Comment{Status: news.CommentPending})
	onDraft := site.Comment(t, draft, &news.Comment{})
	e := site.Staff(t, "Edna Editor", news.RoleEditor, "a long password")
	editor := news.Actor{ID: e.ID, Role: news.RoleEditor}

	tests := []struct {
		name    string
		actor   news.Actor
		id      int64
		visible bool
	}{
		{"a reader, an approved comment", news.Actor{}, approved.ID, true},
		{"a reader, a held comment", news.Actor{}, held.ID, false},
		{"a reader, a comment on a draft", news.Actor{}, onDraft.ID, false},
		{"a writer, a held comment", writer, held.ID, false},
		{"an editor, a held comment", editor, held.ID, true},
		{"an editor, a comment on a draft", editor, onDraft.ID, true},
	}
	for _, tt := range tests {
		c, full, err := desk.CommentFor(ctx, tt.actor, tt.id)
		if tt.visible && (err != nil || c.ID != tt.id || full != (tt.actor == editor)) {
			t.Errorf("%s: %v %v", tt.name, full, err)
		}
		if !tt.visible && !errors.Is(err, news.ErrNotFound) {
			t.Errorf("%s: %v, want not found", tt.name, err)
		}
	}

	held2 := []news.CommentStatus{news.CommentPending}
	if _, err := desk.Comments(ctx, writer, newsroom.CommentQuery{Statuses: held2, Limit: 10}); !errors.Is(err, news.ErrForbidden) {
		t.Errorf("a writer lists held comments: %v", err)
	}
	if list, err := desk.Comments(ctx, news.Actor{}, newsroom.CommentQuery{Limit: 10}); err != nil || list.Total != 1 || list.Full {
		t.Errorf("a reader's list: %+v %v", list, err)
	}
	if list, err := desk.Comments(ctx, editor, newsroom.CommentQuery{Statuses: held2, Limit: 10}); err != nil || list.Total != 1 || !list.Full {
		t.Errorf("an editor's list of held comments: %+v %v", list, err)
	}
}

// TestStaffEmailEarnsNoTrust (issue 15, finding 7): a staff reply is not
// a reader's approved comment, and a reader who signs with a staff
// member's email is held for a moderator, however many approved comments
// that address has.
func TestStaffEmailEarnsNoTrust(t *testing.T) {
	ctx := context.Background()
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		site := testutil.NewSiteOn(t, b)
		desk := newsroom.New(site.Store, newsroom.Config{Location: time.UTC, CommentLimit: 100})
		ed := site.Staff(t, "Ida Editor", news.RoleEditor, "a long password")
		a := site.Article(t, &news.Article{Headline: "Trust"})
		question := site.Comment(t, a, &news.Comment{})
		if _, err := desk.ReplyAsStaff(ctx, news.Actor{ID: ed.ID, Role: ed.Role}, 0, question.ID, "We asked the council.", "192.0.2.1", "test"); err != nil {
			t.Fatal(err)
		}
		site.Comment(t, a, &news.Comment{Email: ed.Email}) // one the editor left as a reader, approved
		// A staff reply brought in by an import, under an address that is
		// no account's.
		site.Comment(t, a, &news.Comment{Email: "former.staff@example.test", IsStaff: true})

		tests := []struct {
			name   string
			email  string
			signal string // the spam check's rule that says why, if any
		}{
			{"an address known only from a staff reply", "former.staff@example.test", ""},
			{"a staff member's address", ed.Email, "staff-email"},
			{"a staff member's address, differently written", " " + strings.ToUpper(ed.Email) + " ", "staff-email"},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c, err := desk.PostComment(ctx, a, reader(ed.Name, tt.email, remark+strings.Repeat(" Indeed.", i+1)), newsroom.CommentOrigin{IP: "198.51.100.20"})
				if err != nil {
					t.Fatal(err)
				}
				if c.Status != news.CommentPending {
					t.Errorf("status %s, want pending", c.Status)
				}
				checks, err := site.Store.CommentChecks(ctx, []int64{c.ID})
				if err != nil {
					t.Fatal(err)
				}
				rules := map[string]bool{}
				for _, s := range checks[c.ID].Signals {
					rules[s.Rule] = true
				}
				if rules["known-reader"] || (tt.signal != "" && !rules[tt.signal]) {
					t.Errorf("signals %+v, want %q and no known-reader", checks[c.ID].Signals, tt.signal)
				}
			})
		}
	})
}
