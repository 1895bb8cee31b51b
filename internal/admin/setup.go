package admin

import (
	"errors"
	"net/http"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// First-run set-up: the first administrator, created in the browser with
// the one-time code the server printed in its log.

type setupPage struct {
	Layout      render.AdminLayout
	Token       string
	Name, Email string
	Errors      news.FieldErrors
	Error       string // about the whole form
}

func (s *Server) renderSetup(w http.ResponseWriter, r *http.Request, status int, data setupPage) {
	data.Layout = s.layout(r, "Set up your newsroom", "")
	data.Token = s.formToken(w, r, accountGuard)
	if err := s.page(w, status, "setup", data); err != nil {
		s.fail(w, r, err)
	}
}

func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) {
	needed, err := s.desk.SetupNeeded(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !needed {
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return
	}
	s.renderSetup(w, r, http.StatusOK, setupPage{})
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	ok, err := postedForm(w, r, accountGuard)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	data := setupPage{Name: f.Get("name"), Email: f.Get("email")}
	if !ok {
		data.Error = formExpired
		s.renderSetup(w, r, http.StatusForbidden, data)
		return
	}
	in, err := s.desk.Setup(r.Context(), f.Get("code"), newsroom.NewStaff{Name: data.Name, Email: data.Email},
		f.Get("password"), f.Get("password2"), s.client(r))
	var te *newsroom.ThrottledError
	switch {
	case errors.Is(err, newsroom.ErrSetupDone):
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return
	case errors.As(err, &data.Errors):
		s.renderSetup(w, r, http.StatusUnprocessableEntity, data)
		return
	case errors.As(err, &te):
		throttled(w, te)
		data.Error = te.Message
		s.renderSetup(w, r, http.StatusTooManyRequests, data)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	accountGuard.clear(w)
	s.setSessionCookie(w, r, in)
	http.Redirect(w, r, "/admin/?done=welcome", http.StatusSeeOther)
}
