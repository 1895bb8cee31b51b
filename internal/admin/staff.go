package admin

import (
	"net/http"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/render"
)

type staffPage struct {
	Layout render.AdminLayout
	Staff  []news.Staff
	Roles  []news.Role
	Invite inviteForm // the invitation form, as typed
}

func (s *Server) staffList(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).Role.Can(news.PermManageStaff) {
		return news.ErrForbidden
	}
	list, err := s.store.Staff(r.Context())
	if err != nil {
		return err
	}
	return s.page(w, http.StatusOK, "staff", staffPage{Layout: s.layout(r, "Staff", "staff"), Staff: list, Roles: news.Roles})
}

func (s *Server) staffRole(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).Role.Can(news.PermManageStaff) {
		return news.ErrForbidden
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	role := news.Role(r.PostForm.Get("role"))
	if !news.ValidRole(role) {
		return edge.BadRequest("Unknown role.")
	}
	u, err := s.store.StaffByID(r.Context(), id)
	if err != nil {
		return err
	}
	if u.Role == news.RoleAdmin && role != news.RoleAdmin {
		n, err := s.store.CountStaffWithRole(r.Context(), news.RoleAdmin)
		if err != nil {
			return err
		}
		if n <= 1 {
			return &edge.Error{Status: http.StatusConflict, Message: "This is the last administrator; make someone else an administrator first."}
		}
	}
	u.Role = role
	if err := s.store.UpdateStaff(r.Context(), u); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/staff?done=role", http.StatusSeeOther)
	return nil
}
