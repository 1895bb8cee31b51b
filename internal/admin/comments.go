package admin

import (
	"net/http"
	"strconv"

	"masthead/internal/news"
	"masthead/internal/render"
	"masthead/internal/store"
)

type folder struct {
	Status news.CommentStatus
	Label  string
	Count  int
}

type commentsPage struct {
	Layout  render.AdminLayout
	Status  news.CommentStatus
	Folders []folder
	Items   []store.ModerationItem
}

var commentFolders = []folder{
	{Status: news.CommentPending, Label: "Pending"},
	{Status: news.CommentApproved, Label: "Approved"},
	{Status: news.CommentSpam, Label: "Spam"},
	{Status: news.CommentTrash, Label: "Trash"},
}

func validCommentStatus(st news.CommentStatus) bool {
	for _, f := range commentFolders {
		if f.Status == st {
			return true
		}
	}
	return false
}

func (s *Server) commentQueue(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).Role.Can(news.PermModerate) {
		return news.ErrForbidden
	}
	status := news.CommentStatus(r.URL.Query().Get("status"))
	if status == "" {
		status = news.CommentPending
	}
	if !validCommentStatus(status) {
		return badRequest("Unknown comment folder.")
	}
	counts, err := s.store.CountCommentsByStatus(r.Context())
	if err != nil {
		return err
	}
	data := commentsPage{Layout: s.layout(r, "Comments", "comments"), Status: status}
	for _, f := range commentFolders {
		f.Count = counts[f.Status]
		data.Folders = append(data.Folders, f)
	}
	if data.Items, err = s.store.CommentsByStatus(r.Context(), status, 100, 0); err != nil {
		return err
	}
	return s.page(w, http.StatusOK, "comments", data)
}

// commentModerate applies one action to the selected comments.
func (s *Server) commentModerate(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).Role.Can(news.PermModerate) {
		return news.ErrForbidden
	}
	to := news.CommentStatus(r.PostForm.Get("action"))
	if !validCommentStatus(to) {
		return badRequest("Choose what to do with the selected comments.")
	}
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return badRequest("Unknown comment.")
		}
		if err := s.store.SetCommentStatus(r.Context(), id, to); err != nil && err != news.ErrNotFound {
			return err
		}
	}
	from := r.PostForm.Get("from")
	if !validCommentStatus(news.CommentStatus(from)) {
		from = string(news.CommentPending)
	}
	http.Redirect(w, r, "/admin/comments?status="+from+"&done=moderated", http.StatusSeeOther)
	return nil
}
