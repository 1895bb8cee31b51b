package admin_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	service "masthead/internal/newsroom"
)

// The trash over HTTP: who is offered "Move to trash" and who may use it,
// the Trash screen, the editor of a trashed article, Restore, and Delete
// permanently behind its confirmation.
func TestTrashOverHTTP(t *testing.T) {
	n := newNewsroom(t)
	ctx := t.Context()
	editor, ed := n.signedIn(t, "Eve Editor", news.RoleEditor)
	author, au := n.signedIn(t, "Ari Author", news.RoleAuthor)
	contributor, _ := n.signedIn(t, "Con Tributor", news.RoleContributor)
	own := n.draft(t, au, news.Snapshot{Headline: "Ari's notes", Body: "Text."})
	published := n.draft(t, au, news.Snapshot{Headline: "Ari's story", Body: "Text."})
	if _, err := n.site.Desk.Transition(ctx, news.Actor{ID: ed.ID, Role: ed.Role}, published.ID, news.ActionPublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	trashForm := func(id int64) string { return fmt.Sprintf(`action="/admin/articles/%d/trash"`, id) }

	// Offered: to the author for their unpublished draft only; to editors for both.
	list := author.get("/admin/articles")
	if !strings.Contains(list.body, trashForm(own.ID)) || strings.Contains(list.body, trashForm(published.ID)) || !strings.Contains(list.body, `href="/admin/trash"`) {
		t.Errorf("the author's article list offers the wrong trash buttons:\n%s", list.body)
	}
	if list := editor.get("/admin/articles"); !strings.Contains(list.body, trashForm(own.ID)) || !strings.Contains(list.body, trashForm(published.ID)) {
		t.Errorf("the editor's article list lacks trash buttons")
	}
	if page := author.get(fmt.Sprintf("/admin/articles/%d", published.ID)); strings.Contains(page.body, trashForm(published.ID)) {
		t.Errorf("the editor offers an author to trash their published story")
	}
	// Refused: someone else's draft, one's own published story.
	for _, tt := range []struct {
		c  *client
		id int64
	}{{contributor, own.ID}, {author, published.ID}} {
		if res := tt.c.post(fmt.Sprintf("/admin/articles/%d/trash", tt.id), nil); res.status != http.StatusForbidden {
			t.Errorf("trashing article %d: %d, want 403", tt.id, res.status)
		}
	}

	res := author.post(fmt.Sprintf("/admin/articles/%d/trash", own.ID), nil)
	if res.status != http.StatusSeeOther || res.location != "/admin/trash?done=trashed" {
		t.Fatalf("trashing: %d %s\n%s", res.status, res.location, res.body)
	}
	trash := author.get(res.location)
	if !strings.Contains(trash.body, "Moved to the trash") || !strings.Contains(trash.body, "Ari&#39;s notes") || !strings.Contains(trash.body, fmt.Sprintf(`action="/admin/trash/%d/restore"`, own.ID)) ||
		!strings.Contains(trash.body, "by Ari Author") || strings.Contains(trash.body, "Delete permanently") {
		t.Errorf("the author's trash:\n%s", trash.body)
	}
	if list := author.get("/admin/articles"); strings.Contains(list.body, "Ari&#39;s notes") {
		t.Errorf("the article list still shows the trashed draft")
	}
	if trash := contributor.get("/admin/trash"); strings.Contains(trash.body, "Ari&#39;s notes") {
		t.Errorf("a contributor sees someone else's trash")
	}

	// The editor of a trashed article says so, offers Restore, and keeps
	// what is typed in it when a save is refused.
	edit := author.get(fmt.Sprintf("/admin/articles/%d", own.ID))
	if !strings.Contains(edit.body, "This article is in the trash") || !strings.Contains(edit.body, fmt.Sprintf(`action="/admin/trash/%d/restore"`, own.ID)) {
		t.Errorf("the editor of a trashed article:\n%s", edit.body)
	}
	current, err := n.site.Store.Article(ctx, own.ID)
	if err != nil {
		t.Fatal(err)
	}
	save := author.post(fmt.Sprintf("/admin/articles/%d", own.ID), url.Values{"version": {fmt.Sprint(current.Version)}, "headline": {"Typed while binned"}, "body": {"Text."}, "author": {fmt.Sprint(au.ID)}})
	if save.status != http.StatusUnprocessableEntity || !strings.Contains(save.body, "Restore it before changing it") || !strings.Contains(save.body, "Typed while binned") {
		t.Errorf("saving a trashed article: %d\n%s", save.status, save.body)
	}

	res = author.post(fmt.Sprintf("/admin/trash/%d/restore", own.ID), nil)
	if res.status != http.StatusSeeOther || res.location != fmt.Sprintf("/admin/articles/%d?done=restored-from-trash", own.ID) {
		t.Fatalf("restoring: %d %s", res.status, res.location)
	}
	if page := author.get(res.location); !strings.Contains(page.body, "Restored from the trash") || strings.Contains(page.body, "This article is in the trash") {
		t.Errorf("after restoring:\n%s", page.body)
	}

	// Deleting for good: editors, after a confirmation; never in one step.
	res = editor.post(fmt.Sprintf("/admin/articles/%d/trash", published.ID), nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("the editor trashing: %d", res.status)
	}
	del := fmt.Sprintf("/admin/trash/%d/delete", published.ID)
	if page := editor.get("/admin/trash"); !strings.Contains(page.body, `href="`+del+`"`) {
		t.Errorf("the editor's trash offers no Delete permanently:\n%s", page.body)
	}
	for _, c := range []*client{author, contributor} {
		if res := c.get(del); res.status != http.StatusForbidden {
			t.Errorf("a writer's deletion page: %d", res.status)
		}
		if res := c.post(del, url.Values{"confirm": {"yes"}}); res.status != http.StatusForbidden {
			t.Errorf("a writer deleting for good: %d", res.status)
		}
	}
	confirm := editor.get(del)
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, "cannot be brought back") || !strings.Contains(confirm.body, `name="confirm" value="yes"`) {
		t.Errorf("the confirmation: %d\n%s", confirm.status, confirm.body)
	}
	if res := editor.post(del, nil); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "cannot be brought back") {
		t.Errorf("an unconfirmed deletion: %d", res.status)
	}
	if _, err := n.site.Store.Article(ctx, published.ID); err != nil {
		t.Fatalf("deleted without confirmation: %v", err)
	}
	if res := editor.post(del, url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther || res.location != "/admin/trash?done=purged" {
		t.Errorf("deleting for good: %d %s", res.status, res.location)
	}
	if _, err := n.site.Store.Article(ctx, published.ID); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("after deleting for good: %v", err)
	}
	// An article not in the trash is not deleted from here.
	if res := editor.post(fmt.Sprintf("/admin/trash/%d/delete", own.ID), url.Values{"confirm": {"yes"}}); res.status != http.StatusConflict {
		t.Errorf("deleting an article not in the trash: %d", res.status)
	}
}

// Deleting a library image over HTTP: the image page links to a
// confirmation naming the articles that use it; only a confirmed POST
// deletes, and only for those who may.
func TestMediaDeleteOverHTTP(t *testing.T) {
	n := newMediaNewsroom(t)
	ctx := t.Context()
	editor, ed := n.signedIn(t, "Eve Editor", news.RoleEditor)
	author, _ := n.signedIn(t, "Ari Author", news.RoleAuthor)
	contributor, _ := n.signedIn(t, "Con Tributor", news.RoleContributor)
	page, _ := author.uploaded("quay.jpg", testPhoto(t, 800, 500, "jpeg"))
	id := mustAtoi(t, strings.TrimPrefix(page, "/admin/media/"))
	it, err := n.site.Store.MediaItem(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	a, err := n.site.Desk.CreateAndStep(ctx, news.Actor{ID: ed.ID, Role: ed.Role}, news.Snapshot{Headline: "The quay at dusk", Body: "Text.\n\n![The quay](" + it.LeadURL() + ")",
		ImageURL: it.LeadURL(), ImageAlt: "The quay"}, service.Step{Action: news.ActionPublish})
	if err != nil {
		t.Fatal(err)
	}
	del := page + "/delete"

	if item := author.get(page); !strings.Contains(item.body, `href="`+del+`"`) {
		t.Errorf("the uploader is not offered to delete")
	}
	if item := contributor.get(page); strings.Contains(item.body, `href="`+del+`"`) {
		t.Errorf("a contributor is offered to delete someone else's image")
	}
	// The uploader may not delete what an article uses; the page says why.
	refused := author.get(del)
	if refused.status != http.StatusOK || !strings.Contains(refused.body, "only an editor may delete it") || strings.Contains(refused.body, `name="confirm"`) || !strings.Contains(refused.body, "The quay at dusk") {
		t.Errorf("the uploader's confirmation: %d\n%s", refused.status, refused.body)
	}
	for _, c := range []*client{author, contributor} {
		if res := c.post(del, url.Values{"confirm": {"yes"}}); res.status != http.StatusForbidden {
			t.Errorf("deleting without the right: %d", res.status)
		}
	}
	confirm := editor.get(del)
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, "used by 1 article") || !strings.Contains(confirm.body, fmt.Sprintf(`href="/admin/articles/%d"`, a.ID)) ||
		!strings.Contains(confirm.body, `name="confirm" value="yes"`) {
		t.Errorf("the editor's confirmation: %d\n%s", confirm.status, confirm.body)
	}
	if res := editor.post(del, nil); res.status != http.StatusUnprocessableEntity {
		t.Errorf("an unconfirmed deletion: %d", res.status)
	}
	res := editor.post(del, url.Values{"confirm": {"yes"}})
	if res.status != http.StatusSeeOther || res.location != "/admin/media?done=mediadeleted" {
		t.Fatalf("deleting: %d %s\n%s", res.status, res.location, res.body)
	}
	if item := editor.get(page); item.status != http.StatusNotFound {
		t.Errorf("the image's page after deleting: %d", item.status)
	}
	if res, err := http.Get(n.srv.URL + it.LeadURL()); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("the image's file after deleting: %v %v", res.StatusCode, err)
	}
	// The reader page shows no broken image: neither as lead nor in the text.
	res2, err := http.Get(n.srv.URL + "/" + a.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Body.Close()
	body, err := io.ReadAll(res2.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res2.StatusCode != http.StatusOK || strings.Contains(string(body), it.Hash) {
		t.Errorf("the article after its image was deleted: %d, still names the image", res2.StatusCode)
	}
}

// Editing a reader comment over HTTP: editors and administrators, from
// the comment's page, with the text's history there and only there.
func TestCommentEditOverHTTP(t *testing.T) {
	n := newNewsroom(t)
	editor, _ := n.signedIn(t, "Eve Editor", news.RoleEditor)
	author, _ := n.signedIn(t, "Ari Author", news.RoleAuthor)
	a := n.site.Article(t, &news.Article{})
	c := n.site.Comment(t, a, &news.Comment{Body: "Ring me on 555 0100."})
	path := fmt.Sprintf("/admin/comments/%d", c.ID)

	if res := author.post(path+"/edit", url.Values{"body": {"Changed."}}); res.status != http.StatusForbidden {
		t.Errorf("a writer editing a comment: %d", res.status)
	}
	if page := editor.get(path); !strings.Contains(page.body, `action="`+path+`/edit"`) || !strings.Contains(page.body, ">Ring me on 555 0100.</textarea>") {
		t.Errorf("the comment's page has no edit form:\n%s", page.body)
	}
	refused := editor.post(path+"/edit", url.Values{"body": {"  "}, "note": {"typed note"}})
	if refused.status != http.StatusUnprocessableEntity || !strings.Contains(refused.body, "cannot be empty") || !strings.Contains(refused.body, `value="typed note"`) {
		t.Errorf("an empty edit: %d\n%s", refused.status, refused.body)
	}
	res := editor.post(path+"/edit", url.Values{"body": {"Ring me."}, "note": {"a phone number"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, path+"?done=edited") {
		t.Fatalf("editing: %d %s\n%s", res.status, res.location, res.body)
	}
	page := editor.get(res.location)
	for _, want := range []string{"Comment text saved", "As the reader wrote it", "Ring me on 555 0100.", "a phone number", ">Ring me.</textarea>", "edited by the newsroom"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the comment's page after editing lacks %q", want)
		}
	}
}
