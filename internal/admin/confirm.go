package admin

import (
	"net/http"

	"masthead/internal/render"
)

// Confirmation pages: an action that cannot be undone (deleting an image
// or an article for good) first shows what it will do on a page of its
// own, whose form sends confirm=yes with the action. A request without
// it — a form from before, a crafted POST — is answered with the same
// page, so nothing irreversible happens in one click, and no JavaScript
// is needed.

// confirmItem is one thing the action touches, linked when it has a page.
type confirmItem struct{ Label, URL, Note string }

type confirmPage struct {
	Layout       render.AdminLayout
	Heading      string
	Paragraphs   []string
	ItemsHeading string
	Items        []confirmItem
	Refusal      string // why the action is not offered; then there is no form
	Action       string // where the form posts; "" offers no form
	Button       string
	Cancel       string // where Cancel (or Back) goes
}

// confirmed reports whether a POST came from a confirmation page.
func confirmed(r *http.Request) bool { return r.PostForm.Get("confirm") == "yes" }

// confirm renders a confirmation page: 200 when asked for, 422 when an
// unconfirmed POST is answered with it.
func (s *Server) confirm(w http.ResponseWriter, r *http.Request, p confirmPage) error {
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusUnprocessableEntity
	}
	return s.page(w, status, "confirm", p)
}
