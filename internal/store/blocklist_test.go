package store_test

import (
	"errors"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/testutil"
)

func TestBlocklist(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		editor := site.Staff(t, "Bea Blocker", news.RoleEditor, "a long enough password")
		b, err := news.NewBlock(news.BlockDomain, "https://www.Pills.example/x", "pharmacy spam")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AddBlock(ctx, &b, editor.ID); err != nil || b.ID == 0 {
			t.Fatalf("add: %v (id %d)", err, b.ID)
		}
		again, _ := news.NewBlock(news.BlockDomain, "pills.example", "")
		if err := st.AddBlock(ctx, &again, editor.ID); !errors.Is(err, news.ErrConflict) {
			t.Errorf("duplicate: %v, want ErrConflict", err)
		}
		ip, _ := news.NewBlock(news.BlockIP, "203.0.113.0/24", "")
		if err := st.AddBlock(ctx, &ip, 0); err != nil {
			t.Fatal(err)
		}
		list, err := st.Blocklist(ctx)
		if err != nil || len(list) != 2 {
			t.Fatalf("list %+v, %v", list, err)
		}
		got := list[0] // domain sorts before ip
		if got.Value != "pills.example" || got.Note != "pharmacy spam" || got.AddedBy != "Bea Blocker" || got.CreatedAt.IsZero() {
			t.Errorf("entry %+v", got)
		}
		if _, ok := list.MatchIP("203.0.113.9"); !ok {
			t.Error("stored range does not match")
		}
		if err := st.RemoveBlock(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.RemoveBlock(ctx, b.ID); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("remove twice: %v", err)
		}
		if list, _ := st.Blocklist(ctx); len(list) != 1 {
			t.Errorf("after remove: %+v", list)
		}
	})
}

func TestCheckedCommentsAndStaffReplies(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		a := site.Article(t, &news.Article{})
		text := "Exactly the same words, posted by more than one reader."
		post := func(email string, status news.CommentStatus, check news.SpamCheck) *news.Comment {
			t.Helper()
			c := &news.Comment{ArticleID: a.ID, Name: "R", Email: email, Body: text, Status: status}
			if err := st.CreateCheckedComment(ctx, c, check); err != nil {
				t.Fatal(err)
			}
			return c
		}
		fp := news.TextFingerprint(text)
		held := post("one@example.test", news.CommentSpam, news.SpamCheck{Score: 12, Fingerprint: fp,
			Signals: []news.SpamSignal{{Rule: "links", Points: 12, Reason: "7 links."}}})
		post("two@example.test", news.CommentPending, news.SpamCheck{Fingerprint: fp})

		others, same, err := st.RepeatedText(ctx, fp, "ONE@example.test", time.Now().Add(-time.Hour))
		if err != nil || others != 1 || same != 1 {
			t.Errorf("repeats: others %d same %d, %v; want 1 1", others, same, err)
		}
		if others, _, _ := st.RepeatedText(ctx, fp, "three@example.test", time.Now().Add(time.Hour)); others != 0 {
			t.Errorf("repeats outside the window: %d", others)
		}

		checks, err := st.CommentChecks(ctx, []int64{held.ID, 999999})
		if err != nil || len(checks) != 1 {
			t.Fatalf("checks %+v, %v", checks, err)
		}
		if c := checks[held.ID]; c.Score != 12 || c.Fingerprint != fp || len(c.Signals) != 1 || c.Signals[0].Reason != "7 links." {
			t.Errorf("check %+v", c)
		}

		// A reader's own held comment comes back as pending, whatever held it.
		mine, err := st.ArticleComments(ctx, a.ID, []int64{held.ID})
		if err != nil || len(mine) != 1 || mine[0].ID != held.ID || mine[0].Status != news.CommentPending {
			t.Errorf("own held comment: %+v, %v", mine, err)
		}
		if none, _ := st.ArticleComments(ctx, a.ID, nil); len(none) != 0 {
			t.Errorf("held comments shown to others: %+v", none)
		}

		// A staff reply to a pending comment approves it in the same step.
		pending := site.Comment(t, a, &news.Comment{Status: news.CommentPending})
		editor := site.Staff(t, "Rae Replier", news.RoleEditor, "a long enough password")
		reply, approve, err := news.StaffReply(editor, a.ID, pending, "Thanks, we have corrected it.")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateStaffReply(ctx, reply, approve); err != nil {
			t.Fatal(err)
		}
		if p, _ := st.Comment(ctx, pending.ID); p.Status != news.CommentApproved {
			t.Errorf("parent is %s", p.Status)
		}
		public, _ := st.ArticleComments(ctx, a.ID, nil)
		if len(public) != 2 || !public[1].IsStaff || public[1].Name != "Rae Replier" || public[1].ParentID != pending.ID {
			t.Errorf("public comments %+v", public)
		}
		other := site.Article(t, &news.Article{})
		stray := &news.Comment{ArticleID: other.ID, ParentID: pending.ID, Name: "X", Email: "x@example.test", Body: "x", Status: news.CommentApproved, IsStaff: true}
		if err := st.CreateStaffReply(ctx, stray, true); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("reply across articles: %v", err)
		}

		all, err := st.ArticleThread(ctx, a.ID)
		if err != nil || len(all) != 4 {
			t.Errorf("whole thread: %d comments, %v; want 4", len(all), err)
		}
	})
}
