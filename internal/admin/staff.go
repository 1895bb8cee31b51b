package admin

import (
	"errors"
	"net/http"
	"strconv"

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

// staffWorkPage asks what becomes of a member's unpublished work: when
// they are deactivated (Deactivate), or on its own.
type staffWorkPage struct {
	Layout     render.AdminLayout
	Member     *newsroom.StaffWork
	Deactivate bool
	To         int64 // who takes the work over, as chosen
	Errors     news.FieldErrors
	Error      string
}

func (s *Server) renderStaffWork(w http.ResponseWriter, r *http.Request, status int, data staffWorkPage) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if data.Member, err = s.desk.UnpublishedWork(r.Context(), actor(r), id); err != nil {
		return err
	}
	title := "Hand over the work of " + data.Member.Staff.Name
	if data.Deactivate {
		title = "Deactivate " + data.Member.Staff.Name
	}
	data.Layout = s.layout(r, title, "staff")
	return s.page(w, status, "staff_work", data)
}

// staffDeactivateForm asks to confirm a deactivation, offering to hand
// the member's unpublished work to someone else.
func (s *Server) staffDeactivateForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderStaffWork(w, r, http.StatusOK, staffWorkPage{Deactivate: true})
}

// staffDeactivate closes an account, for someone who has left, first
// handing their unpublished work to the member chosen (to), if any.
func (s *Server) staffDeactivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	to, _ := strconv.ParseInt(r.PostForm.Get("to"), 10, 64)
	_, err = s.desk.DeactivateAndTransfer(r.Context(), actor(r), id, to)
	page := staffWorkPage{Deactivate: true, To: to}
	switch {
	case errors.As(err, &page.Errors):
		return s.renderStaffWork(w, r, http.StatusUnprocessableEntity, page)
	case errors.Is(err, newsroom.ErrSelf):
		page.Error = "You cannot deactivate your own account; ask another administrator."
		return s.renderStaffWork(w, r, http.StatusConflict, page)
	case errors.Is(err, newsroom.ErrLastAdmin):
		page.Error = "This is the last administrator; make someone else an administrator first."
		return s.renderStaffWork(w, r, http.StatusConflict, page)
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/admin/staff?done=deactivated", http.StatusSeeOther)
	return nil
}

// staffTransferForm offers to hand a member's unpublished work to someone
// else, without deactivating them (someone changing desk, or already gone).
func (s *Server) staffTransferForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderStaffWork(w, r, http.StatusOK, staffWorkPage{})
}

func (s *Server) staffTransfer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	to, _ := strconv.ParseInt(r.PostForm.Get("to"), 10, 64)
	_, err = s.desk.TransferWork(r.Context(), actor(r), id, to)
	page := staffWorkPage{To: to}
	if errors.As(err, &page.Errors) {
		return s.renderStaffWork(w, r, http.StatusUnprocessableEntity, page)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/staff?done=transferred", http.StatusSeeOther)
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
