package admin

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"masthead/internal/auth"
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
	if data.Passwords, err = s.store.AppPasswords(r.Context(), actor(r).ID); err != nil {
		return err
	}
	return s.page(w, status, "profile", data)
}

// appPasswordCreate makes an application password and shows it once.
func (s *Server) appPasswordCreate(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return s.renderProfile(w, r, http.StatusUnprocessableEntity, profilePage{Error: "Name the program the password is for (up to 100 characters)."})
	}
	pw, hash := auth.NewAppPassword()
	if _, err := s.store.CreateAppPassword(r.Context(), actor(r).ID, name, hash); err != nil {
		return err
	}
	return s.renderProfile(w, r, http.StatusOK, profilePage{NewPassword: pw, NewName: name})
}

// appPasswordRevoke deletes one of the signed-in member of staff's
// application passwords.
func (s *Server) appPasswordRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeAppPassword(r.Context(), actor(r).ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/profile#app-passwords", http.StatusSeeOther)
	return nil
}
