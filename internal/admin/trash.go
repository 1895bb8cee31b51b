package admin

// The article trash: "Move to trash" from the editor and the article list,
// the Trash screen (who trashed what, when, and when it goes for good)
// with Restore and Delete permanently, the latter behind a confirmation.
// The newsroom service decides who may do each.

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

func init() {
	for k, v := range map[string]string{
		"trashed":             "Moved to the trash: it is off the site. Restore it below if that was a mistake; otherwise it is deleted for good after 30 days.",
		"restored-from-trash": "Restored from the trash, as it was before.",
		"purged":              "Deleted for good.",
	} {
		flashes[k] = v
	}
}

// trashTab is the article list's way to the trash.
var trashTab = statusTab{Label: "trash", URL: "/admin/trash"}

type trashRow struct {
	*news.Article
	Open    bool // the member of staff may open it in the editor
	Restore bool // and may restore it
}

type trashPage struct {
	Layout           render.AdminLayout
	Tabs             []statusTab
	Rows             []trashRow
	Total            int
	CanDelete        bool
	Page, Pages      int
	PrevURL, NextURL string
}

func trashURL(page int) string {
	if page > 1 {
		return "/admin/trash?page=" + strconv.Itoa(page)
	}
	return "/admin/trash"
}

// trashList shows the articles in the trash: everyone's to editors, their
// own to writers.
func (s *Server) trashList(w http.ResponseWriter, r *http.Request) error {
	page, err := pageNumber(r.URL.Query())
	if err != nil {
		return err
	}
	me := actor(r)
	list, total, err := s.desk.TrashedArticles(r.Context(), me, articlesPageSize, (page-1)*articlesPageSize)
	if err != nil {
		return err
	}
	data := trashPage{Layout: s.layout(r, "Trash", "articles"), Tabs: statusTabs("", ""), Total: total, CanDelete: s.desk.MayDeleteArticle(me),
		Pages: max(1, (total+articlesPageSize-1)/articlesPageSize)}
	for i := range data.Tabs {
		data.Tabs[i].Current = data.Tabs[i] == trashTab
	}
	data.Page = min(page, data.Pages)
	if data.Page > 1 {
		data.PrevURL = trashURL(data.Page - 1)
	}
	if data.Page < data.Pages {
		data.NextURL = trashURL(data.Page + 1)
	}
	for _, a := range list {
		data.Rows = append(data.Rows, trashRow{Article: a, Open: s.desk.MayOpen(me, a), Restore: s.desk.MayTrash(me, a)})
	}
	return s.page(w, http.StatusOK, "trash", data)
}

// articleTrash moves an article to the trash.
func (s *Server) articleTrash(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, err = s.desk.TrashArticle(r.Context(), actor(r), id, "")
	switch {
	case errors.Is(err, newsroom.ErrAlreadyTrashed):
		// A second click, or another tab: where it was meant to go anyway.
	case errors.Is(err, news.ErrStale):
		return &edge.Error{Status: http.StatusConflict, Message: "Someone else changed this article's status a moment ago. Reload the editor to see where it stands."}
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/admin/trash?done=trashed", http.StatusSeeOther)
	return nil
}

// trashRestore takes an article out of the trash and opens it.
func (s *Server) trashRestore(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.desk.RestoreArticle(r.Context(), actor(r), id)
	switch {
	case errors.Is(err, newsroom.ErrNotInTrash):
		// Restored already (another tab): open it all the same.
	case errors.Is(err, news.ErrStale):
		return &edge.Error{Status: http.StatusConflict, Message: "Someone else restored or changed this article a moment ago. Reload the trash to see where it stands."}
	case err != nil:
		return err
	}
	if !s.desk.MayOpen(actor(r), a) {
		http.Redirect(w, r, "/admin/trash?done=restored-from-trash", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d?done=restored-from-trash", a.ID), http.StatusSeeOther)
	return nil
}

// trashDelete deletes an article in the trash for good, once confirmed.
func (s *Server) trashDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	me := actor(r)
	if r.Method == http.MethodPost && confirmed(r) {
		_, err := s.desk.DeleteFromTrash(r.Context(), me, id)
		if errors.Is(err, newsroom.ErrNotInTrash) {
			return &edge.Error{Status: http.StatusConflict, Message: "That article is no longer in the trash (someone restored it), so it was not deleted."}
		}
		if err != nil && !errors.Is(err, news.ErrNotFound) {
			return err
		}
		http.Redirect(w, r, "/admin/trash?done=purged", http.StatusSeeOther)
		return nil
	}
	if !s.desk.MayDeleteArticle(me) {
		return news.ErrForbidden
	}
	a, err := s.desk.EditableArticle(r.Context(), me, id)
	if err != nil {
		return err
	}
	if a.Trash == nil {
		return &edge.Error{Status: http.StatusConflict, Message: "That article is not in the trash (it was restored). Move it to the trash first."}
	}
	loc, err := s.desk.Location(r.Context())
	if err != nil {
		return err
	}
	p := confirmPage{Layout: s.layout(r, "Delete for good", "articles"), Heading: "Delete “" + a.Headline + "” for good?",
		Paragraphs: []string{
			"The article, its revisions and history, its reader comments and its quotations are deleted, and cannot be brought back.",
			"Left alone, it would be deleted on " + a.Trash.PurgeAt().In(loc).Format("2 January 2006") + ".",
		},
		Action: fmt.Sprintf("/admin/trash/%d/delete", a.ID), Button: "Delete for good", Cancel: "/admin/trash"}
	return s.confirm(w, r, p)
}
