package admin

// Editing a reader comment's text from its newsroom page (editors and
// administrators), with an optional note; the page also shows the text's
// history, which readers never see.

import (
	"errors"
	"fmt"
	"net/http"

	"masthead/internal/news"
)

// commentEditForm is the edit form as typed, with what was wrong.
type commentEditForm struct {
	Body, Note string
	Errors     news.FieldErrors
}

// commentEdit saves a comment's new text; a refused one comes back to the
// form with what was typed.
func (s *Server) commentEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, me := r.Context(), actor(r)
	form := commentEditForm{Body: r.PostForm.Get("body"), Note: r.PostForm.Get("note")}
	_, err = s.desk.EditComment(ctx, me, id, form.Body, form.Note)
	if errors.As(err, &form.Errors) {
		conv, err := s.desk.CommentInContext(ctx, me, id)
		if err != nil {
			return err
		}
		return s.renderThreadEdit(w, r, http.StatusUnprocessableEntity, conv, replyForm{}, form)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/comments/%d?done=edited#edit-heading", id), http.StatusSeeOther)
	return nil
}
