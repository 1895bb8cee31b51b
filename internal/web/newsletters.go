package web

// Newsletters on the reader site: the sign-up page and endpoint (the same
// form sits after every article, so it carries no per-reader token — the
// double opt-in and the per-address and per-client limits are what keep
// it from mailing a third party), the confirmation link, the preferences
// page and unsubscribe link every email carries, and the archive of sent
// issues. The links' tokens are the authority: no cookie, no sign-in.
// POST /newsletters/unsubscribe/{token} is RFC 8058's one-click
// unsubscribe, which mail providers send from their servers with no
// cookie and no page, so it is exempt from cross-origin protection
// (middleware.go; see SECURITY.md).

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// newslettersPage is the data of the newsletters template; View picks
// what it shows: "index" (the sign-up form), "sent" (check your email),
// "confirm" (a button to confirm a sign-up), "confirmed", "gone" (a link
// unknown, used or expired), "prefs" (an email's preferences page),
// "unsubscribe" (a button), "unsubscribed", "archive" (a newsletter's
// sent issues) and "issue" (one of them).
type newslettersPage struct {
	Layout     render.Layout
	View       string
	Signup     render.Signup
	Newsletter *news.Newsletter
	Action     string
	Prefs      *newsroom.NewsletterPreferences
	Issues     []news.NewsletterIssue
	Issue      *news.NewsletterIssue
	IssueHTML  template.HTML
}

func (s *Server) renderNewsletters(w http.ResponseWriter, r *http.Request, status int, title string, data newslettersPage, cacheable bool) {
	lay, err := s.layout(r, title, "", r.URL.Path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !cacheable {
		lay.Robots = "noindex"
	}
	lay.Feeds = append(data.Layout.Feeds, lay.Feeds...)
	data.Layout = lay
	p, err := s.html(status, "newsletters", data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !cacheable {
		p.cacheControl = cachePrivat
	}
	s.write(w, r, p)
}

// newslettersIndex lists the newsletters with the sign-up form.
func (s *Server) newslettersIndex(w http.ResponseWriter, r *http.Request) {
	list, err := s.desk.Newsletters(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderNewsletters(w, r, http.StatusOK, "Newsletters", newslettersPage{View: "index", Signup: render.Signup{Newsletters: list}}, true)
}

// subscribe takes the sign-up form, from /newsletters or an article.
func (s *Server) subscribe(w http.ResponseWriter, r *http.Request) {
	if !s.parseReaderForm(w, r) {
		return
	}
	form := render.Signup{Chosen: r.PostForm.Get("newsletter"), Email: r.PostForm.Get("email")}
	data := newslettersPage{View: "index"}
	err := s.desk.SubscribeNewsletter(r.Context(), form.Chosen, form.Email, s.client(r))
	var fe news.FieldErrors
	var te *newsroom.ThrottledError
	status := http.StatusOK
	switch {
	case err == nil:
		data.View, form.Email = "sent", newsroom.NormalEmail(form.Email)
	case errors.As(err, &fe):
		form.Errors, status = fe, http.StatusUnprocessableEntity
	case errors.As(err, &te):
		w.Header().Set("Retry-After", strconv.Itoa(int(te.RetryAfter.Seconds()+0.5)))
		form.Errors, status = news.FieldErrors{"email": te.Message}, http.StatusTooManyRequests
	default:
		s.fail(w, r, err)
		return
	}
	data.Signup = form
	if data.Signup.Newsletters, err = s.desk.Newsletters(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderNewsletters(w, r, status, "Newsletters", data, false)
}

// confirmPage asks to confirm a sign-up: following the link only shows
// a button, so a mail scanner that opens links confirms nothing.
func (s *Server) confirmPage(w http.ResponseWriter, r *http.Request) {
	s.renderNewsletters(w, r, http.StatusOK, "Confirm your subscription", newslettersPage{View: "confirm", Action: r.URL.Path}, false)
}

func (s *Server) confirmSubscription(w http.ResponseWriter, r *http.Request) {
	n, err := s.desk.ConfirmSubscription(r.Context(), r.PathValue("token"))
	if errors.Is(err, news.ErrNotFound) {
		s.renderNewsletters(w, r, http.StatusGone, "Link expired", newslettersPage{View: "gone"}, false)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderNewsletters(w, r, http.StatusOK, "Subscribed", newslettersPage{View: "confirmed", Newsletter: n}, false)
}

// preferences is the page every email links to: the reader's newsletters,
// each with a button to unsubscribe.
func (s *Server) preferences(w http.ResponseWriter, r *http.Request) {
	prefs, ok := s.mailedPreferences(w, r)
	if !ok {
		return
	}
	s.renderNewsletters(w, r, http.StatusOK, "Your newsletters", newslettersPage{View: "prefs", Prefs: prefs,
		Action: "/newsletters/unsubscribe/" + r.PathValue("token")}, false)
}

// unsubscribePage shows the button behind an email's visible link.
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	prefs, ok := s.mailedPreferences(w, r)
	if !ok {
		return
	}
	s.renderNewsletters(w, r, http.StatusOK, "Unsubscribe", newslettersPage{View: "unsubscribe", Newsletter: prefs.From, Action: r.URL.Path}, false)
}

// mailedPreferences reads the newsletters of the reader whose mailed
// token the URL holds; false once it has answered a dead link or an error.
func (s *Server) mailedPreferences(w http.ResponseWriter, r *http.Request) (*newsroom.NewsletterPreferences, bool) {
	prefs, err := s.desk.NewsletterPreferences(r.Context(), r.PathValue("token"))
	if errors.Is(err, news.ErrNotFound) {
		s.renderNewsletters(w, r, http.StatusNotFound, "Link not valid", newslettersPage{View: "gone"}, false)
		return nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return prefs, true
}

// unsubscribe unsubscribes the token's reader: from the newsletter the
// mail came from, or from the one the preferences page names. It takes
// RFC 8058 one-click POSTs (body "List-Unsubscribe=One-Click") as well as
// the pages' buttons.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	if !s.parseReaderForm(w, r) {
		return
	}
	var id int64
	if v := r.PostForm.Get("newsletter"); v != "" {
		var err error
		if id, err = strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
			s.renderNewsletters(w, r, http.StatusBadRequest, "Link not valid", newslettersPage{View: "gone"}, false)
			return
		}
	}
	n, err := s.desk.UnsubscribeByToken(r.Context(), r.PathValue("token"), id)
	if errors.Is(err, news.ErrNotFound) {
		s.renderNewsletters(w, r, http.StatusNotFound, "Link not valid", newslettersPage{View: "gone"}, false)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderNewsletters(w, r, http.StatusOK, "Unsubscribed", newslettersPage{View: "unsubscribed", Newsletter: n,
		Action: "/newsletters/preferences/" + r.PathValue("token")}, false)
}

// archive lists a newsletter's sent issues.
func (s *Server) archive(w http.ResponseWriter, r *http.Request) {
	a, err := s.desk.NewsletterArchive(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderNewsletters(w, r, http.StatusOK, a.Newsletter.Name, newslettersPage{View: "archive", Newsletter: a.Newsletter, Issues: a.Issues,
		Layout: render.Layout{Feeds: s.archiveFeeds(a.Newsletter)}}, true)
}

// archiveFeeds is the link to a newsletter's archive feed.
func (s *Server) archiveFeeds(n *news.Newsletter) []render.Feed {
	return []render.Feed{{Title: n.Name + " (Atom)", Type: "application/atom+xml", URL: s.abs("/newsletters/" + n.Slug + "/feed.atom")}}
}

// archiveFeed is an Atom feed of a newsletter's sent issues, each with
// its web archive URL and its text.
func (s *Server) archiveFeed(r *http.Request) (*page, error) {
	a, err := s.desk.NewsletterArchive(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	pub, err := s.store.Publication(r.Context())
	if err != nil {
		return nil, err
	}
	n := a.Newsletter
	home := s.abs("/newsletters/" + n.Slug)
	var updated time.Time
	feedUpdated := time.Unix(0, 0)
	if len(a.Issues) > 0 {
		updated, feedUpdated = a.Issues[0].CreatedAt, a.Issues[0].CreatedAt
	}
	f := atomFeed{Lang: pub.Language, Title: n.Name + " | " + pub.Name, Subtitle: n.Description, ID: s.abs(r.URL.Path),
		Updated: feedUpdated.UTC().Format(time.RFC3339),
		Links:   []atomLink{{Href: home, Rel: "alternate", Type: "text/html"}, {Href: s.abs(r.URL.Path), Rel: "self", Type: "application/atom+xml"}},
		Author:  atomPerson{Name: cmpOr(n.FromName, pub.Name), URI: s.abs("/")}, Gen: "Masthead"}
	for i, is := range a.Issues {
		if i == feedSize {
			break
		}
		u := home + "/" + strconv.FormatInt(is.ID, 10)
		at := is.CreatedAt.UTC().Format(time.RFC3339)
		f.Entries = append(f.Entries, atomEntry{Title: is.Subject, ID: u, Link: atomLink{Href: u, Rel: "alternate", Type: "text/html"},
			Published: at, Updated: at, Content: atomText{Type: "html", Value: s.absoluteHTML(is.HTML)}})
	}
	return &page{contentType: "application/atom+xml; charset=utf-8", body: f.xml(), cacheControl: cacheFeed, lastModified: updated}, nil
}

// archivedIssue shows one sent issue, or the archive's feed (a pattern
// of its own would clash with the links' /newsletters/confirm/{token}).
func (s *Server) archivedIssue(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") == "feed.atom" {
		s.page(s.archiveFeed)(w, r)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, news.ErrNotFound)
		return
	}
	n, is, err := s.desk.ArchivedIssue(r.Context(), r.PathValue("slug"), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderNewsletters(w, r, http.StatusOK, is.Subject, newslettersPage{View: "issue", Newsletter: n, Issue: is,
		IssueHTML: template.HTML(is.HTML), Layout: render.Layout{Feeds: s.archiveFeeds(n)}}, true) // #nosec G203 -- the article renderer's sanitised output
}
