package admin

// The live blog desk: /admin/articles/{id}/live, a compact form to post an
// entry at the top (one request, the text kept when it fails), the entries
// below with edit, delete, pin and key-event controls.

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

type liveDeskPage struct {
	Layout  render.AdminLayout
	Desk    *newsroom.LiveDesk
	Post    liveEntryForm // the new entry form, as typed
	Entries []liveDeskEntry
}

type liveDeskEntry struct {
	*news.LiveEntry
	Form liveEntryForm // its edit form: as stored, or as typed when saving it failed
}

type liveEntryForm struct {
	Prefix  string // of the fields' ids
	EntryID int64
	Input   news.LiveEntryInput
	Errors  news.FieldErrors
	Authors []authorOption // whom the entry may name, those it does selected
}

type authorOption struct {
	ID       int64
	Name     string
	Selected bool
}

// withAuthors offers staff as the form's authors, selecting those of the
// input, or else the ones given.
func (f liveEntryForm) withAuthors(staff []news.Staff, otherwise ...int64) liveEntryForm {
	chosen := f.Input.AuthorIDs
	if len(chosen) == 0 {
		chosen = otherwise
	}
	f.Authors = nil
	for _, st := range staff {
		f.Authors = append(f.Authors, authorOption{ID: st.ID, Name: st.Name, Selected: slices.Contains(chosen, st.ID)})
	}
	return f
}

func liveInput(r *http.Request) news.LiveEntryInput {
	in := news.LiveEntryInput{Headline: r.PostForm.Get("headline"), Body: r.PostForm.Get("body"),
		KeyEvent: r.PostForm.Get("key_event") != "", Pinned: r.PostForm.Get("pinned") != ""}
	for _, v := range r.PostForm["authors"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			id = -1 // not one of the staff: the service says so
		}
		in.AuthorIDs = append(in.AuthorIDs, id)
	}
	return in
}

var liveFlashes = map[string]string{
	"posted": "Entry posted.", "edited": "Entry saved.", "deleted": "Entry deleted.",
	"started": "The article is live.", "closed": "The live coverage has ended.",
}

func (s *Server) renderLiveDesk(w http.ResponseWriter, r *http.Request, status int, id int64, post, edit liveEntryForm) error {
	desk, err := s.desk.LiveDesk(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	lay := s.layout(r, "Live: "+desk.Article.Headline, "articles")
	if f, ok := liveFlashes[r.URL.Query().Get("done")]; ok {
		lay.Flash = f
	}
	post.Prefix = "new"
	data := liveDeskPage{Layout: lay, Desk: desk, Post: post.withAuthors(desk.Staff, actor(r).ID)}
	for _, e := range desk.Entries {
		var byline []int64
		for _, a := range e.Byline() {
			byline = append(byline, a.ID)
		}
		form := liveEntryForm{EntryID: e.ID, Input: news.LiveEntryInput{Headline: e.Headline, Body: e.Body, KeyEvent: e.KeyEvent, Pinned: e.Pinned, AuthorIDs: byline}}
		if edit.EntryID == e.ID {
			form = edit
		}
		form = form.withAuthors(desk.Staff, byline...)
		form.Prefix = fmt.Sprintf("e%d", e.ID)
		data.Entries = append(data.Entries, liveDeskEntry{LiveEntry: e, Form: form})
	}
	return s.page(w, status, "live", data)
}

func (s *Server) liveDesk(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderLiveDesk(w, r, http.StatusOK, id, liveEntryForm{}, liveEntryForm{})
}

func (s *Server) livePost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := liveInput(r)
	_, err = s.desk.PostLiveEntry(r.Context(), actor(r), id, in)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderLiveDesk(w, r, http.StatusUnprocessableEntity, id, liveEntryForm{Input: in, Errors: fe}, liveEntryForm{})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d/live?done=posted", id), http.StatusSeeOther)
	return nil
}

func (s *Server) liveEdit(w http.ResponseWriter, r *http.Request) error {
	entryID, err := pathID(r, "entry")
	if err != nil {
		return err
	}
	in := liveInput(r)
	e, err := s.desk.LiveEntry(r.Context(), actor(r), entryID)
	if err != nil {
		return err
	}
	done := "edited"
	if r.PostForm.Get("action") == "delete" {
		err, done = s.desk.DeleteLiveEntry(r.Context(), actor(r), entryID), "deleted"
	} else {
		_, err = s.desk.EditLiveEntry(r.Context(), actor(r), entryID, in)
	}
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderLiveDesk(w, r, http.StatusUnprocessableEntity, e.ArticleID, liveEntryForm{}, liveEntryForm{EntryID: entryID, Input: in, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d/live?done=%s#entry-%d", e.ArticleID, done, entryID), http.StatusSeeOther)
	return nil
}

// liveState starts or closes an article's live coverage.
func (s *Server) liveState(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	done := "started"
	if r.PostForm.Get("action") == "close" {
		err, done = s.desk.CloseLive(r.Context(), actor(r), id), "closed"
	} else {
		err = s.desk.StartLive(r.Context(), actor(r), id)
	}
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderLiveDesk(w, r, http.StatusUnprocessableEntity, id, liveEntryForm{Errors: fe}, liveEntryForm{})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d/live?done=%s", id, done), http.StatusSeeOther)
	return nil
}

type liveHistoryPage struct {
	Layout  render.AdminLayout
	History *newsroom.LiveHistory
}

// liveHistory is an entry's revision history, deleted entries included.
func (s *Server) liveHistory(w http.ResponseWriter, r *http.Request) error {
	entryID, err := pathID(r, "entry")
	if err != nil {
		return err
	}
	h, err := s.desk.LiveEntryHistory(r.Context(), actor(r), entryID)
	if err != nil {
		return err
	}
	return s.page(w, http.StatusOK, "live_history", liveHistoryPage{Layout: s.layout(r, "History of a live entry", "articles"), History: h})
}
