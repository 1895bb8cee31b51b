package admin

import (
	"errors"
	"net/http"

	"masthead/internal/news"
	"masthead/internal/render"
)

// The site's settings: the newspaper's name, tagline, description and
// language (administrators).

type settingsPage struct {
	Layout render.AdminLayout
	Form   news.Publication // as stored, or as typed when a save failed
	Errors news.FieldErrors
}

func (s *Server) settings(w http.ResponseWriter, r *http.Request) error {
	pub, err := s.desk.SettingsToEdit(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return s.page(w, http.StatusOK, "settings", settingsPage{Layout: s.layout(r, "Settings", "settings"), Form: pub})
}

func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	form := news.Publication{Name: f.Get("name"), Tagline: f.Get("tagline"), Description: f.Get("description"), Language: f.Get("language")}
	err := s.desk.UpdateSettings(r.Context(), actor(r), form)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.page(w, http.StatusUnprocessableEntity, "settings", settingsPage{Layout: s.layout(r, "Settings", "settings"), Form: form, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/settings?done=saved", http.StatusSeeOther)
	return nil
}
