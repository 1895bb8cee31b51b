package admin

import (
	"errors"
	"fmt"
	"net/http"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

type staffPage struct {
	Layout      render.AdminLayout
	Staff       []news.Staff
	Deactivated []news.Staff
	Roles       []news.Role
	Invite      inviteForm // the invitation form, as typed
}

func (s *Server) staffList(w http.ResponseWriter, r *http.Request) error {
	return s.renderStaff(w, r, http.StatusOK, inviteForm{})
}

func (s *Server) staffRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = s.desk.ChangeRole(r.Context(), actor(r), id, news.Role(r.PostForm.Get("role")))
	var fe news.FieldErrors
	switch {
	case errors.As(err, &fe):
		return edge.BadRequest(fe["role"])
	case errors.Is(err, newsroom.ErrLastAdmin):
		return &edge.Error{Status: http.StatusConflict, Message: "This is the last administrator; make someone else an administrator first."}
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/admin/staff?done=role", http.StatusSeeOther)
	return nil
}

// staffDeactivate closes an account, for someone who has left, once
// confirmed: a GET, or a POST without confirm=yes, shows what it does.
func (s *Server) staffDeactivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost && confirmed(r) {
		err = s.desk.Deactivate(r.Context(), actor(r), id)
	} else {
		var u *news.Staff
		if u, err = s.desk.StaffToDeactivate(r.Context(), actor(r), id); err == nil {
			return s.confirm(w, r, confirmPage{Layout: s.layout(r, "Deactivate "+u.Name, "staff"), Heading: "Deactivate " + u.Name + "’s account?",
				Paragraphs: []string{
					u.Name + " (" + u.Email + ") will no longer be able to sign in. Their sessions end at once, everywhere, and their application passwords are revoked, so programs using the REST API as them stop working too.",
					"Their bylines and author page stay. An administrator can reactivate the account later; they then sign in with their old password or ask for a reset link.",
				},
				Action: fmt.Sprintf("/admin/staff/%d/deactivate", id), Button: "Deactivate the account", Cancel: "/admin/staff"})
		}
	}
	switch {
	case errors.Is(err, newsroom.ErrSelf):
		return &edge.Error{Status: http.StatusConflict, Message: "You cannot deactivate your own account; ask another administrator."}
	case errors.Is(err, newsroom.ErrLastAdmin):
		return &edge.Error{Status: http.StatusConflict, Message: "This is the last administrator; make someone else an administrator first."}
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/admin/staff?done=deactivated", http.StatusSeeOther)
	return nil
}

// staffReactivate opens a deactivated account again.
func (s *Server) staffReactivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.desk.Reactivate(r.Context(), actor(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/staff?done=reactivated", http.StatusSeeOther)
	return nil
}
