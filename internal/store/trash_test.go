package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// Trashing takes a published article off every page readers see, through
// the change log's triggers; a restore brings it back at its address;
// deleting for good takes every row that belongs to the article, and
// nothing else.
func TestTrashRestoreAndDelete(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		city := site.Section(t, "City")
		ann := site.Author(t, "Ann Marlowe")
		harbour := site.Tag(t, "Harbour")
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		a := site.Article(t, &news.Article{Headline: "Harbour wall to be rebuilt", Section: city, Authors: []news.Staff{ann}, Tags: []news.Tag{harbour}, PublishedAt: at})
		other := site.Article(t, &news.Article{Headline: "Ferry timetable changes", Section: city, Authors: []news.Staff{ann}, PublishedAt: at.Add(time.Hour)})

		mark, err := st.LatestChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		trash := news.StatusChange{From: news.StatusPublished, To: news.StatusUnpublished, Action: "trash", UserID: ann.ID}
		if err := st.TrashArticle(ctx, a.ID, trash); err != nil {
			t.Fatal(err)
		}
		changes, _, err := st.ChangesSince(ctx, mark, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range changes {
			got = append(got, string(c.Kind)+":"+c.Ref)
		}
		for _, want := range []string{"article:" + a.Path, "site:", "section:city", "tag:harbour", "author:ann-marlowe", "article:" + other.Path} {
			if !slices.Contains(got, want) {
				t.Errorf("trashing wrote changes %v, want %s among them", got, want)
			}
		}
		if _, err := st.PublishedArticle(ctx, a.Path); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("a trashed article is still public: %v", err)
		}
		if n, _ := st.CountPublished(ctx, news.ArticleFilter{TagID: harbour.ID}); n != 0 {
			t.Errorf("a trashed article is still listed under its tag: %d", n)
		}
		if err := st.TrashArticle(ctx, a.ID, news.StatusChange{From: news.StatusUnpublished, To: news.StatusUnpublished, Action: "trash"}); !errors.Is(err, news.ErrStale) {
			t.Errorf("trashing twice: %v, want ErrStale", err)
		}
		// Nothing moves an article in the trash but a restore.
		if err := st.ChangeStatus(ctx, a.ID, news.StatusChange{From: news.StatusUnpublished, To: news.StatusPublished, Action: "publish"}); !errors.Is(err, news.ErrStale) {
			t.Errorf("publishing a trashed article: %v, want ErrStale", err)
		}
		loaded, err := st.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if tr := loaded.Trash; tr == nil || tr.From != news.StatusPublished || tr.By != ann.ID || tr.ByName != "Ann Marlowe" || loaded.Status != news.StatusUnpublished {
			t.Fatalf("loaded trashed article: status %s, trash %+v", loaded.Status, loaded.Trash)
		}
		for _, f := range []news.AdminFilter{{}, {Status: news.StatusUnpublished}, {Text: "harbour"}} {
			list, err := st.AdminArticles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(ids(list), a.ID) {
				t.Errorf("the newsroom's list %+v shows a trashed article", f)
			}
		}
		if list, err := st.AdminArticles(ctx, news.AdminFilter{Trashed: true}); err != nil || !slices.Equal(ids(list), []int64{a.ID}) || list[0].Trash == nil {
			t.Errorf("the trash: %v, %v", ids(list), err)
		}
		if counts, _ := st.CountByStatus(ctx); counts[news.StatusUnpublished] != 0 {
			t.Errorf("counts %v include the trash", counts)
		}

		if err := st.RestoreArticle(ctx, a.ID, news.StatusChange{From: news.StatusUnpublished, To: news.StatusPublished, Action: "restore", UserID: ann.ID}); err != nil {
			t.Fatal(err)
		}
		if back, err := st.PublishedArticle(ctx, a.Path); err != nil || back.ID != a.ID {
			t.Errorf("restored at %s: %v", a.Path, err)
		}
		if err := st.RestoreArticle(ctx, a.ID, news.StatusChange{From: news.StatusPublished, To: news.StatusPublished}); !errors.Is(err, news.ErrStale) {
			t.Errorf("restoring what is not in the trash: %v, want ErrStale", err)
		}

		// Everything that belongs to the article goes with it.
		it := &media.Item{Hash: "ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd", Key: "lib/ab/x.png", ContentType: "image/png", Width: 1, Height: 1, Bytes: 1, CreatedAt: at}
		if _, err := st.CreateMedia(ctx, it); err != nil {
			t.Fatal(err)
		}
		cur, err := st.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		edited := *cur
		edited.Body = "![A wall](/media/lib/ab/" + it.Hash + ".png)\n\n\"It will stand,\" said Ann Other."
		edited.Quotes = []news.Quote{{Text: "It will stand", Speaker: "Ann Other"}}
		if err := st.UpdateArticle(ctx, &edited, cur.Version, ann.ID, "save"); err != nil {
			t.Fatal(err)
		}
		c := site.Comment(t, a, &news.Comment{Body: "Call me on 555 0100."})
		if err := st.EditComment(ctx, c.ID, ann.ID, "Call me.", "phone number"); err != nil {
			t.Fatal(err)
		}
		if err := st.AddCorrection(ctx, &news.Correction{ArticleID: a.ID, Kind: "correction", Body: "An earlier version misspelt the mayor."}, ann.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.PutAutosave(ctx, ann.ID, a.ID, edited.Snapshot()); err != nil {
			t.Fatal(err)
		}
		if err := st.ChangeStatus(ctx, a.ID, news.StatusChange{From: news.StatusPublished, To: news.StatusUnpublished, Action: "unpublish", Mail: []int64{ann.ID}}); err != nil {
			t.Fatal(err)
		}
		trash.From = news.StatusUnpublished
		if err := st.TrashArticle(ctx, a.ID, trash); err != nil {
			t.Fatal(err)
		}
		belongs := map[string]string{
			"article_search": "rowid = ?", "comments": "article_id = ?", "comment_edits": "comment_id IN (SELECT id FROM comments WHERE article_id = ?)",
			"revisions": "article_id = ?", "article_events": "article_id = ?", "media_uses": "article_id = ?", "autosaves": "article_id = ?",
			"article_quotes": "article_id = ?", "corrections": "article_id = ?", "article_trash": "article_id = ?", "article_authors": "article_id = ?",
			"article_tags": "article_id = ?", "staff_mail": "article_id = ?",
		}
		count := func(table, where string, id int64) int {
			t.Helper()
			n, err := store.Count(st, ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+where, id)
			if err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			return n
		}
		for table, where := range belongs {
			if count(table, where, a.ID) == 0 && table != "comment_edits" {
				t.Errorf("the test's article has no %s to delete", table)
			}
		}
		if err := st.DeleteTrashedArticle(ctx, other.ID, time.Time{}); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("deleting an article that is not in the trash: %v, want ErrNotFound", err)
		}
		if err := st.DeleteTrashedArticle(ctx, a.ID, time.Now().Add(-time.Hour)); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("deleting an article trashed after the cut-off: %v, want ErrNotFound", err)
		}
		if err := st.DeleteTrashedArticle(ctx, a.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		for table, where := range belongs {
			if n := count(table, where, a.ID); n != 0 {
				t.Errorf("%d rows of %s left after deleting the article", n, table)
			}
		}
		if n := count("comment_edits", "comment_id = ?", c.ID); n != 0 {
			t.Errorf("%d comment edits left", n)
		}
		if _, err := st.Article(ctx, other.ID); err != nil {
			t.Errorf("the other article: %v", err)
		}
		if _, err := st.MediaItem(ctx, it.ID); err != nil {
			t.Errorf("the image the article used: %v", err)
		}
		if err := st.DeleteArticle(ctx, a.ID); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("deleting it again: %v, want ErrNotFound", err)
		}
	})
}

// Editing a comment keeps every earlier text; deleting one moves its
// replies up a level.
func TestCommentEditsAndDeletion(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		ed := site.Staff(t, "Eve Editor", news.RoleEditor, "a long password")
		a := site.Article(t, &news.Article{})
		top := site.Comment(t, a, &news.Comment{Body: "Ring 555 0100, the mayor is a crook."})
		reply := site.Comment(t, a, &news.Comment{ParentID: top.ID, Body: "Indeed."})
		deeper := site.Comment(t, a, &news.Comment{ParentID: reply.ID, Body: "Quite."})

		pending := site.Comment(t, a, &news.Comment{Body: "Held.", Status: news.CommentPending})
		mark, err := st.LatestChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []string{"Ring me, the mayor is a crook.", "Ring me."} {
			if err := st.EditComment(ctx, top.ID, ed.ID, body, "redacted"); err != nil {
				t.Fatal(err)
			}
		}
		// The change log: an approved comment's edit refreshes its article;
		// a held one's changes nothing readers see.
		changes, _, err := st.ChangesSince(ctx, mark, 100)
		if err != nil || len(changes) != 2 || changes[0].Kind != store.ChangeArticle || changes[0].Ref != a.Path {
			t.Errorf("changes of two edits: %+v, %v", changes, err)
		}
		mark, _ = st.LatestChange(ctx)
		if err := st.EditComment(ctx, pending.ID, ed.ID, "Held, edited.", ""); err != nil {
			t.Fatal(err)
		}
		if changes, _, _ := st.ChangesSince(ctx, mark, 100); len(changes) != 0 {
			t.Errorf("editing a held comment: %+v", changes)
		}
		c, err := st.Comment(ctx, top.ID)
		if err != nil || c.Body != "Ring me." || c.EditedAt.IsZero() {
			t.Fatalf("edited comment: %+v, %v", c, err)
		}
		edits, err := st.CommentEdits(ctx, top.ID)
		if err != nil || len(edits) != 2 || edits[0].OldBody != "Ring 555 0100, the mayor is a crook." || edits[1].NewBody != "Ring me." || edits[0].UserName != "Eve Editor" || edits[1].Note != "redacted" {
			t.Fatalf("edits: %+v, %v", edits, err)
		}
		if err := st.EditComment(ctx, 999999, ed.ID, "x", ""); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("editing no comment: %v", err)
		}

		if err := st.DeleteComment(ctx, reply.ID); err != nil {
			t.Fatal(err)
		}
		if d, err := st.Comment(ctx, deeper.ID); err != nil || d.ParentID != top.ID {
			t.Errorf("the deleted comment's reply: %+v, %v; want it under %d", d, err, top.ID)
		}
		if err := st.DeleteComment(ctx, top.ID); err != nil {
			t.Fatal(err)
		}
		if d, err := st.Comment(ctx, deeper.ID); err != nil || d.ParentID != 0 {
			t.Errorf("after deleting the top comment: %+v, %v", d, err)
		}
		if edits, _ := st.CommentEdits(ctx, top.ID); len(edits) != 0 {
			t.Errorf("edits of a deleted comment: %v", edits)
		}
		if err := st.DeleteComment(ctx, top.ID); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("deleting it again: %v", err)
		}
	})
}
