package admin

// The breaking-news banner: /admin/breaking, where an editor sets its
// text, the story or live blog it links to and how long it shows, or
// clears it.

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

type breakingPage struct {
	Layout    render.AdminLayout
	Desk      *newsroom.BreakingDesk
	Form      breakingForm
	Durations []breakingDuration
}

type breakingForm struct {
	Text      string
	ArticleID int64
	For       time.Duration
	Errors    news.FieldErrors
}

type breakingDuration struct {
	Value   time.Duration
	Minutes int // the form's value
	Label   string
}

func durationLabel(d time.Duration) string {
	switch {
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " minutes"
	case d == time.Hour:
		return "1 hour"
	default:
		return strconv.Itoa(int(d.Hours())) + " hours"
	}
}

var breakingFlashes = map[string]string{"set": "The banner is showing.", "cleared": "The banner was taken down."}

func (s *Server) renderBreaking(w http.ResponseWriter, r *http.Request, status int, form breakingForm) error {
	desk, err := s.desk.BreakingDesk(r.Context(), actor(r))
	if err != nil {
		return err
	}
	lay := s.layout(r, "Breaking news", "breaking")
	if f, ok := breakingFlashes[r.URL.Query().Get("done")]; ok {
		lay.Flash = f
	}
	if form.For == 0 {
		form.For = time.Hour
	}
	data := breakingPage{Layout: lay, Desk: desk, Form: form}
	for _, d := range newsroom.BreakingDurations() {
		data.Durations = append(data.Durations, breakingDuration{Value: d, Minutes: int(d.Minutes()), Label: durationLabel(d)})
	}
	return s.page(w, status, "breaking", data)
}

func (s *Server) breaking(w http.ResponseWriter, r *http.Request) error {
	return s.renderBreaking(w, r, http.StatusOK, breakingForm{})
}

// breakingSave sets the banner, or clears it (action=clear).
func (s *Server) breakingSave(w http.ResponseWriter, r *http.Request) error {
	if r.PostForm.Get("action") == "clear" {
		if err := s.desk.ClearBreaking(r.Context(), actor(r)); err != nil {
			return err
		}
		http.Redirect(w, r, "/admin/breaking?done=cleared", http.StatusSeeOther)
		return nil
	}
	form := breakingForm{Text: r.PostForm.Get("text")}
	form.ArticleID, _ = strconv.ParseInt(r.PostForm.Get("article"), 10, 64)
	minutes, _ := strconv.Atoi(r.PostForm.Get("for"))
	form.For = time.Duration(minutes) * time.Minute
	_, err := s.desk.SetBreaking(r.Context(), actor(r), news.BreakingInput{Text: form.Text, ArticleID: form.ArticleID, For: form.For})
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		form.Errors = fe
		return s.renderBreaking(w, r, http.StatusUnprocessableEntity, form)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/breaking?done=set", http.StatusSeeOther)
	return nil
}
