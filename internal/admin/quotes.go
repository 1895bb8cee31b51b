package admin

// Quotes and the people who said them, in the newsroom: the editor's
// Quotes panel (confirm a quotation and its speaker, give it another
// speaker, or dismiss words that are not a quotation — decisions that
// follow each quote's words through later edits), and the People pages
// where editors rename, describe and merge the people the extractor made.
// Every member of staff may look; changing people is for editors, and
// deciding about a quote for whoever may edit its article.

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/render"
)

// speakerChoices is how many of the most quoted people the editor offers
// as speakers (any name may be typed).
const speakerChoices = 300

// quotesPanel loads what the editor's Quotes panel shows for article a.
func (s *Server) quotesPanel(r *http.Request, a *news.Article) ([]news.Quote, []news.Person, error) {
	qs, err := s.desk.ArticleQuotes(r.Context(), actor(r), a.ID)
	if err != nil || len(qs) == 0 {
		return qs, nil, err
	}
	people, err := s.desk.People(r.Context(), actor(r), news.PeopleFilter{Limit: speakerChoices})
	return qs, people, err
}

// quoteDecide applies an editor's decision about one quotation of an
// article: confirm, dismiss, reopen (forget the decision) or speaker.
func (s *Server) quoteDecide(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadEditable(r)
	if err != nil {
		return err
	}
	ctx, me, f := r.Context(), actor(r), r.PostForm
	text := f.Get("quote")
	switch f.Get("action") {
	case "confirm":
		personID, _ := strconv.ParseInt(f.Get("person"), 10, 64)
		err = s.desk.ConfirmQuote(ctx, me, a.ID, text, personID)
	case "dismiss":
		err = s.desk.DismissQuote(ctx, me, a.ID, text)
	case "reopen":
		err = s.desk.ReopenQuote(ctx, me, a.ID, text)
	case "speaker":
		err = s.desk.ChangeSpeaker(ctx, me, a.ID, text, f.Get("speaker"), news.PersonKind(f.Get("kind")))
	default:
		return edge.BadRequest("Unknown action for a quote.")
	}
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderEditor(w, r, http.StatusUnprocessableEntity, a, a.Snapshot(), a.Version, fe, 0)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d?done=saved#quotes-h", a.ID), http.StatusSeeOther)
	return nil
}

type peopleAdminPage struct {
	Layout  render.AdminLayout
	Query   string
	Kind    news.PersonKind
	People  []news.Person
	CanEdit bool
	More    bool
}

const peopleAdminLimit = 200

// peopleList lists people, the most quoted first, found by name with ?q=.
func (s *Server) peopleList(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	kind := news.PersonKind(r.URL.Query().Get("kind"))
	if kind != "" && !news.ValidPersonKind(kind) {
		return edge.BadRequest("Unknown kind.")
	}
	people, err := s.desk.People(r.Context(), actor(r), news.PeopleFilter{Query: q, Kind: kind, Limit: peopleAdminLimit + 1})
	if err != nil {
		return err
	}
	data := peopleAdminPage{Layout: s.layout(r, "People", "people"), Query: q, Kind: kind, People: people,
		CanEdit: s.desk.Abilities(actor(r)).EditAny}
	if len(people) > peopleAdminLimit {
		data.People, data.More = people[:peopleAdminLimit], true
	}
	return s.page(w, http.StatusOK, "people", data)
}

// personQuotesShown is how many of a person's quotations their page lists.
const personQuotesShown = 100

type personAdminPage struct {
	Layout  render.AdminLayout
	Person  *news.Person
	Form    news.Person
	Aliases string
	Quotes  []news.Quote
	Others  []news.Person // merge candidates
	Into    string
	Errors  news.FieldErrors
	CanEdit bool
}

// loadPerson reads the person the path names, and the quotations of theirs
// the member of staff may see.
func (s *Server) loadPerson(r *http.Request) (*news.Person, []news.Quote, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	return s.desk.Person(r.Context(), actor(r), id, personQuotesShown)
}

func (s *Server) personEdit(w http.ResponseWriter, r *http.Request) error {
	p, qs, err := s.loadPerson(r)
	if err != nil {
		return err
	}
	return s.renderPerson(w, r, http.StatusOK, p, qs, *p, "", nil)
}

// renderPerson shows a person's page in the newsroom with form values.
func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, status int, p *news.Person, quotes []news.Quote, form news.Person, into string, errs news.FieldErrors) error {
	data := personAdminPage{Layout: s.layout(r, p.Name, "people"), Person: p, Quotes: quotes, Form: form, Aliases: strings.Join(form.Aliases, "\n"),
		Into: into, Errors: errs, CanEdit: s.desk.Abilities(actor(r)).EditAny}
	if data.CanEdit {
		others, err := s.desk.People(r.Context(), actor(r), news.PeopleFilter{Limit: speakerChoices})
		if err != nil {
			return err
		}
		for _, o := range others {
			if o.ID != p.ID {
				data.Others = append(data.Others, o)
			}
		}
	}
	return s.page(w, status, "person", data)
}

func (s *Server) personSave(w http.ResponseWriter, r *http.Request) error {
	p, qs, err := s.loadPerson(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	form := news.Person{ID: p.ID, Name: f.Get("name"), Kind: news.PersonKind(f.Get("kind")), Description: f.Get("description"),
		Slug: strings.TrimSpace(f.Get("slug")), Aliases: strings.Split(strings.ReplaceAll(f.Get("aliases"), "\r\n", "\n"), "\n")}
	err = s.desk.UpdatePerson(r.Context(), actor(r), &form)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderPerson(w, r, http.StatusUnprocessableEntity, p, qs, form, "", fe)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/people/%d?done=saved", p.ID), http.StatusSeeOther)
	return nil
}

// personMerge merges the person into the one named in the form (by name
// or alias): their quotes and names move there, and their page redirects.
func (s *Server) personMerge(w http.ResponseWriter, r *http.Request) error {
	p, qs, err := s.loadPerson(r)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostForm.Get("into"))
	into, err := s.desk.PersonByName(r.Context(), actor(r), name)
	if errors.Is(err, news.ErrNotFound) || err == nil && into.ID == p.ID {
		msg := "Nobody is known by that name. Type the name of the person to keep."
		if err == nil {
			msg = "Choose someone else: a person cannot be merged into themselves."
		}
		return s.renderPerson(w, r, http.StatusUnprocessableEntity, p, qs, *p, name, news.FieldErrors{"into": msg})
	}
	if err != nil {
		return err
	}
	err = s.desk.MergePeople(r.Context(), actor(r), p.ID, into.ID)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderPerson(w, r, http.StatusUnprocessableEntity, p, qs, *p, name, fe)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/people/%d?done=moved", into.ID), http.StatusSeeOther)
	return nil
}
