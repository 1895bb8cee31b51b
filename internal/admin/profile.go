package admin

import (
	"errors"
	"net/http"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// The profile page: who you are, and your application passwords for the
// WordPress REST API (package wpapi).

type profilePage struct {
	Layout      render.AdminLayout
	Profile     newsroom.Profile // the details form, as typed when it failed
	Passwords   []news.AppPassword
	NewPassword string // shown once, right after it is made
	NewName     string
	Name        string // the program's name as typed, when the form is shown again
	Errors      news.FieldErrors
	Error       string // about the whole form
	// WorkflowMail: they get mail about stories' progress; Reviews: about
	// stories submitted for review too (editors); SiteMails: the site has a
	// mail server to send it with.
	WorkflowMail, Reviews, SiteMails bool
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) error {
	return s.renderProfile(w, r, http.StatusOK, profilePage{})
}

func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, status int, data profilePage) error {
	var err error
	data.Layout = s.layout(r, "Your profile", "profile")
	if data.Profile == (newsroom.Profile{}) {
		u := data.Layout.User
		data.Profile = newsroom.Profile{Name: u.Name, JobTitle: u.JobTitle, Bio: u.Bio, PhotoURL: u.PhotoURL, Links: u.Links}
	}
	if data.Passwords, err = s.desk.AppPasswords(r.Context(), actor(r)); err != nil {
		return err
	}
	if data.WorkflowMail, err = s.desk.WorkflowMail(r.Context(), actor(r)); err != nil {
		return err
	}
	data.Reviews, data.SiteMails = s.desk.Abilities(actor(r)).EditAny, s.desk.SendsStaffMail()
	return s.page(w, status, "profile", data)
}

// profileMail turns the signed-in member of staff's mail about stories'
// progress on or off.
func (s *Server) profileMail(w http.ResponseWriter, r *http.Request) error {
	if err := s.desk.SetWorkflowMail(r.Context(), actor(r), r.PostForm.Get("workflow_mail") != ""); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/profile?done=saved#mail", http.StatusSeeOther)
	return nil
}

// appPasswordCreate makes an application password, once the member of
// staff has given their password again, and shows it once.
func (s *Server) appPasswordCreate(w http.ResponseWriter, r *http.Request) error {
	name := r.PostForm.Get("name")
	made, pw, err := s.desk.CreateAppPassword(r.Context(), actor(r), name, r.PostForm.Get("password"), s.client(r))
	var fe news.FieldErrors
	var te *newsroom.ThrottledError
	switch {
	case errors.As(err, &fe):
		return s.renderProfile(w, r, http.StatusUnprocessableEntity, profilePage{Name: name, Errors: fe})
	case errors.As(err, &te):
		throttled(w, te)
		return s.renderProfile(w, r, http.StatusTooManyRequests, profilePage{Name: name, Error: te.Message})
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

// profileSave changes the signed-in member of staff's own details.
func (s *Server) profileSave(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	p := newsroom.Profile{Name: f.Get("name"), JobTitle: f.Get("job_title"), Bio: f.Get("bio"), PhotoURL: f.Get("photo_url")}
	for _, l := range p.Links.All() {
		p.Links.Put(l.Field, f.Get("link_"+l.Field))
	}
	_, err := s.desk.UpdateProfile(r.Context(), actor(r), p)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderProfile(w, r, http.StatusUnprocessableEntity, profilePage{Profile: p, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/profile?done=saved", http.StatusSeeOther)
	return nil
}

// passwordChange sets a new password for the signed-in member of staff,
// who gives the current one first; this browser stays signed in with a
// fresh session, every other one is signed out.
func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	in, err := s.desk.ChangePassword(r.Context(), actor(r), f.Get("current"), f.Get("password"), f.Get("password2"), s.client(r))
	var fe news.FieldErrors
	var te *newsroom.ThrottledError
	switch {
	case errors.As(err, &fe):
		return s.renderProfile(w, r, http.StatusUnprocessableEntity, profilePage{Errors: fe})
	case errors.As(err, &te):
		throttled(w, te)
		return s.renderProfile(w, r, http.StatusTooManyRequests, profilePage{Errors: news.FieldErrors{"current": te.Message}})
	case err != nil:
		return err
	}
	s.setSessionCookie(w, r, in)
	http.Redirect(w, r, "/admin/profile?done=password", http.StatusSeeOther)
	return nil
}
