package admin

import (
	"errors"
	"net/http"

	"masthead/internal/news"
	"masthead/internal/render"
)

// The profile page: who you are, and your application passwords for the
// WordPress REST API (package wpapi).

type profilePage struct {
	Layout      render.AdminLayout
	Passwords   []news.AppPassword
	NewPassword string // shown once, right after it is made
	NewName     string
	Error       string
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) error {
	return s.renderProfile(w, r, http.StatusOK, profilePage{})
}

func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, status int, data profilePage) error {
	var err error
	data.Layout = s.layout(r, "Your profile", "profile")
	if data.Passwords, err = s.desk.AppPasswords(r.Context(), actor(r)); err != nil {
		return err
	}
	return s.page(w, status, "profile", data)
}

// appPasswordCreate makes an application password and shows it once.
func (s *Server) appPasswordCreate(w http.ResponseWriter, r *http.Request) error {
	made, pw, err := s.desk.CreateAppPassword(r.Context(), actor(r), r.PostForm.Get("name"))
	var fe news.FieldErrors
	switch {
	case errors.As(err, &fe):
		return s.renderProfile(w, r, http.StatusUnprocessableEntity, profilePage{Error: fe["name"]})
	case err != nil:
		return err
	}
	return s.renderProfile(w, r, http.StatusOK, profilePage{NewPassword: pw, NewName: made.Name})
}

// appPasswordRevoke deletes one of the signed-in member of staff's
// application passwords.
func (s *Server) appPasswordRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.desk.RevokeAppPassword(r.Context(), actor(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/profile#app-passwords", http.StatusSeeOther)
	return nil
}
