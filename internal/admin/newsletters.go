package admin

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// Newsletters: editors and administrators define them and send briefings
// (the service decides who may); each newsletter's screen shows how its
// latest issues are being sent.

type newslettersPage struct {
	Layout      render.AdminLayout
	Newsletters []newsroom.NewsletterSummary
	New         newsletterFields
	Errors      news.FieldErrors
}

// newsletterFields is the newsletter form's data: what was typed and the
// sections and authors a follow may follow.
type newsletterFields struct {
	Form    newsroom.NewsletterInput
	Choices *newsroom.FollowChoices
	Errors  news.FieldErrors
}

// weekdayOption is a day in the schedule's list.
type weekdayOption struct{ Value, Label string }

// Weekdays are the days a weekly newsletter may go out, Monday first.
func (newsletterFields) Weekdays() []weekdayOption {
	out := make([]weekdayOption, 7)
	for i := range out {
		d := time.Weekday((i + 1) % 7)
		out[i] = weekdayOption{strings.ToLower(d.String()), d.String()}
	}
	return out
}

type newsletterPage struct {
	Layout   render.AdminLayout
	Desk     *newsroom.NewsletterDesk
	Fields   newsletterFields
	Briefing newsroom.BriefingInput
	Chosen   map[int64]bool
	Stories  []*news.Article
	Import   *newsroom.SubscriberImport
	Errors   news.FieldErrors
	// Preview is the briefing as it will be mailed; Flash says where a
	// test went.
	Preview *newsroom.IssuePreview
	Flash   string
}

func (s *Server) newsletters(w http.ResponseWriter, r *http.Request) error {
	return s.renderNewsletters(w, r, http.StatusOK, newslettersPage{New: newsletterFields{Form: newsroom.NewsletterInput{Kind: news.NewsletterBriefing, At: "07:00"}}})
}

func (s *Server) renderNewsletters(w http.ResponseWriter, r *http.Request, status int, data newslettersPage) error {
	var err error
	if data.Newsletters, err = s.desk.NewsletterSummaries(r.Context(), actor(r)); err != nil {
		return err
	}
	if data.New.Choices, err = s.desk.FollowChoices(r.Context(), actor(r)); err != nil {
		return err
	}
	data.New.Errors = data.Errors
	data.Layout = s.layout(r, "Newsletters", "newsletters")
	return s.page(w, status, "newsletters", data)
}

func newsletterForm(r *http.Request) newsroom.NewsletterInput {
	f := r.PostForm
	in := newsroom.NewsletterInput{Name: f.Get("name"), Slug: f.Get("slug"), Description: f.Get("description"),
		Kind: news.NewsletterKind(f.Get("kind")), FromName: f.Get("from_name"), FromEmail: f.Get("from_email"),
		Every: f.Get("every"), Weekday: f.Get("weekday"), At: f.Get("at")}
	// The form has a list for each kind of follow; the kind picks one.
	topic := map[news.NewsletterKind]string{news.NewsletterSection: "section", news.NewsletterAuthor: "author"}[in.Kind]
	if topic != "" {
		// Not a number: no such section or author, as the service says.
		in.TopicID, _ = strconv.ParseInt(f.Get(topic), 10, 64)
	}
	return in
}

func (s *Server) newsletterCreate(w http.ResponseWriter, r *http.Request) error {
	in := newsletterForm(r)
	n, err := s.desk.CreateNewsletter(r.Context(), actor(r), in)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderNewsletters(w, r, http.StatusUnprocessableEntity, newslettersPage{New: newsletterFields{Form: in}, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/newsletters/"+strconv.FormatInt(n.ID, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) newsletterShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderNewsletter(w, r, http.StatusOK, newsletterPage{})
}

func (s *Server) renderNewsletter(w http.ResponseWriter, r *http.Request, status int, data newsletterPage) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if data.Desk, err = s.desk.NewsletterDesk(r.Context(), actor(r), id); err != nil {
		return err
	}
	if data.Stories, err = s.desk.BriefingStories(r.Context(), actor(r)); err != nil {
		return err
	}
	if data.Fields.Form.Name == "" {
		n := data.Desk.Newsletter
		data.Fields.Form = newsroom.NewsletterInput{Name: n.Name, Slug: n.Slug, Description: n.Description, Kind: n.Kind,
			FromName: n.FromName, FromEmail: n.FromEmail, TopicID: n.TopicID}
		data.Fields.Form.Every, data.Fields.Form.Weekday, data.Fields.Form.At = newsroom.ScheduleInput(n.Schedule)
	}
	if data.Fields.Choices, err = s.desk.FollowChoices(r.Context(), actor(r)); err != nil {
		return err
	}
	data.Fields.Errors = data.Errors
	// The briefing prepared for the next time fills an untouched form.
	if d := data.Desk.Draft; d != nil && data.Briefing.Subject == "" && data.Briefing.Intro == "" && data.Briefing.Stories == nil {
		data.Briefing = newsroom.BriefingInput{Subject: d.Subject, Intro: d.Intro, Stories: d.Stories}
	}
	data.Chosen = map[int64]bool{}
	for _, id := range data.Briefing.Stories {
		data.Chosen[id] = true
	}
	data.Layout = s.layout(r, data.Desk.Newsletter.Name, "newsletters")
	if data.Flash != "" {
		data.Layout.Flash = data.Flash
	}
	return s.page(w, status, "newsletter", data)
}

func (s *Server) newsletterUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := newsletterForm(r)
	_, err = s.desk.UpdateNewsletter(r.Context(), actor(r), id, in)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderNewsletter(w, r, http.StatusUnprocessableEntity, newsletterPage{Fields: newsletterFields{Form: in}, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, r.URL.Path+"?done=saved", http.StatusSeeOther)
	return nil
}

// newsletterSend queues a briefing; the sender in `serve` delivers it.
func (s *Server) newsletterSend(w http.ResponseWriter, r *http.Request) error {
	return s.briefing(w, r, "queued", func(id int64, in newsroom.BriefingInput) error {
		_, err := s.desk.SendBriefing(r.Context(), actor(r), id, in)
		return err
	})
}

// newsletterPrepare keeps a briefing for the newsletter's next scheduled
// time.
func (s *Server) newsletterPrepare(w http.ResponseWriter, r *http.Request) error {
	return s.briefing(w, r, "prepared", func(id int64, in newsroom.BriefingInput) error {
		_, err := s.desk.PrepareBriefing(r.Context(), actor(r), id, in)
		return err
	})
}

// briefing reads the briefing form and does what the button asked.
func (s *Server) briefing(w http.ResponseWriter, r *http.Request, done string, do func(id int64, in newsroom.BriefingInput) error) error {
	id, in, ok, err := s.briefingForm(w, r)
	if !ok {
		return err
	}
	var fe news.FieldErrors
	if err := do(id, in); errors.As(err, &fe) {
		return s.renderNewsletter(w, r, http.StatusUnprocessableEntity, newsletterPage{Briefing: in, Errors: fe})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/newsletters/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

// briefingForm reads the posted briefing form of the newsletter in the
// path. Not ok: the request is answered (err is the answer's error), with
// the screen shown again, what was typed kept, for a story that is not a
// number.
func (s *Server) briefingForm(w http.ResponseWriter, r *http.Request) (id int64, in newsroom.BriefingInput, ok bool, err error) {
	if id, err = pathID(r, "id"); err != nil {
		return 0, in, false, err
	}
	in = newsroom.BriefingInput{Subject: r.PostForm.Get("subject"), Intro: r.PostForm.Get("intro"), Stories: []int64{}}
	for _, v := range r.PostForm["story"] {
		sid, err := strconv.ParseInt(v, 10, 64)
		if err != nil || sid <= 0 {
			return 0, in, false, s.renderNewsletter(w, r, http.StatusUnprocessableEntity, newsletterPage{Briefing: in,
				Errors: news.FieldErrors{"stories": "Choose stories from the list."}})
		}
		in.Stories = append(in.Stories, sid)
	}
	return id, in, true, nil
}

// newsletterDiscard drops the briefing prepared for the next time.
func (s *Server) newsletterDiscard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.desk.DiscardBriefing(r.Context(), actor(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/newsletters/"+strconv.FormatInt(id, 10)+"?done=discarded", http.StatusSeeOther)
	return nil
}

// newsletterDigest sends a follow's digest now rather than at its time.
func (s *Server) newsletterDigest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, err = s.desk.SendDigestNow(r.Context(), actor(r), id)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderNewsletter(w, r, http.StatusUnprocessableEntity, newsletterPage{Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/newsletters/"+strconv.FormatInt(id, 10)+"?done=queued", http.StatusSeeOther)
	return nil
}

// subscribersImport reads an uploaded CSV export and shows what the
// import did, rows left out included.
func (s *Server) subscribersImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return s.renderNewsletter(w, r, http.StatusUnprocessableEntity, newsletterPage{Errors: news.FieldErrors{"file": "Choose a CSV file to import."}})
	}
	defer file.Close()
	rep, err := s.desk.ImportSubscribers(r.Context(), actor(r), id, file)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderNewsletter(w, r, http.StatusUnprocessableEntity, newsletterPage{Errors: fe})
	}
	if err != nil {
		return err
	}
	status := http.StatusOK
	if rep.Refused {
		status = http.StatusUnprocessableEntity
	}
	return s.renderNewsletter(w, r, status, newsletterPage{Import: rep})
}

// subscribersExport downloads the confirmed subscribers as CSV.
func (s *Server) subscribersExport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	// Written to a buffer first, so a refusal is still an error page.
	var b bytes.Buffer
	if err := s.desk.ExportSubscribers(r.Context(), actor(r), id, &b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="subscribers-`+strconv.FormatInt(id, 10)+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b.Bytes())
	return err
}
