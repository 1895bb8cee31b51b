package wpapi

// Writing categories (Masthead's sections) and tags: create, update and
// delete, with WordPress's codes. Who may is the newsroom service's
// decision: editors and administrators manage sections and tags, and
// anyone who writes may create a tag (as WordPress lets anyone who can
// assign tags create them). Deleting needs force=true, as in WordPress,
// which cannot put terms in a trash either.

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// termByID finds term id in a full list, or WordPress's 404.
func termByID(list []termJSON, id int64) (termJSON, error) {
	for _, t := range list {
		if t.ID == id {
			return t, nil
		}
	}
	return termJSON{}, apiError(http.StatusNotFound, "rest_term_invalid", "Term does not exist.")
}

// termError turns what the service refused into WordPress's answer; denied
// is the code for a role that may not.
func termError(err error, slug, denied, deniedMsg string) error {
	var taken *newsroom.TakenError
	switch {
	case errors.Is(err, news.ErrForbidden):
		return apiError(http.StatusForbidden, denied, deniedMsg)
	case errors.Is(err, news.ErrNotFound):
		return apiError(http.StatusNotFound, "rest_term_invalid", "Term does not exist.")
	case errors.As(err, &taken) && taken.SameName:
		// WordPress gives the existing term's id, so a client can use it.
		e := apiError(http.StatusBadRequest, "term_exists", "A term with the name provided already exists in this taxonomy.")
		e.Data.TermID = taken.ID
		return e
	case errors.As(err, &taken):
		return apiError(http.StatusBadRequest, "duplicate_term_slug", "The slug “"+slug+"” is already in use by another term.")
	}
	return err
}

const (
	cannotCreate = "Sorry, you are not allowed to create new terms."
	cannotUpdate = "Sorry, you are not allowed to edit this term."
	cannotDelete = "Sorry, you are not allowed to delete this term."
)

// termName reads the name a new term must have.
func termName(p params) (string, error) {
	if !p.has("name") {
		e := apiError(http.StatusBadRequest, "rest_missing_callback_param", "Missing parameter(s): name")
		e.Data.Params = map[string]string{"name": "name is required."}
		return "", e
	}
	return p.str("name"), nil
}

// checkParent accepts the parent a category already has (0 for most):
// Masthead's sections are not nested by hand.
func checkParent(p params, current int64) error {
	if v := p.str("parent"); p.has("parent") && v != strconv.FormatInt(current, 10) {
		return invalidParam("parent", "Sections are not nested in Masthead: parent must be "+strconv.FormatInt(current, 10)+".")
	}
	return nil
}

// forced reads DELETE's force flag (query or body); without it WordPress
// answers 501.
func forced(r *http.Request) error {
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return err
	}
	if v := p.str("force"); v == "true" || v == "1" {
		return nil
	}
	return apiError(http.StatusNotImplemented, "rest_trash_not_supported", "Terms do not support trashing. Set 'force=true' to delete.")
}

func (s *Server) created(t termJSON) *response {
	return &response{status: http.StatusCreated, body: t, header: http.Header{"Location": {t.Links["self"][0].Href}}}
}

func (s *Server) createCategory(r *http.Request) (*response, error) {
	u, err := s.staff(r)
	if err != nil {
		return nil, err
	}
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return nil, err
	}
	name, err := termName(p)
	if err != nil {
		return nil, err
	}
	if err := checkParent(p, 0); err != nil {
		return nil, err
	}
	in := newsroom.SectionInput{Name: name, Slug: p.str("slug"), Description: p.str("description")}
	sec, err := s.desk.CreateSection(r.Context(), actorOf(u), in)
	if err != nil {
		return nil, termError(err, in.Slug, "rest_cannot_create", cannotCreate)
	}
	return s.created(s.category(*sec, 0, 0)), nil
}

func (s *Server) updateCategory(r *http.Request) (*response, error) {
	u, cur, err := s.termOf(r, s.allCategories)
	if err != nil {
		return nil, err
	}
	id := cur.ID
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return nil, err
	}
	if err := checkParent(p, *cur.Parent); err != nil {
		return nil, err
	}
	in := newsroom.SectionInput{Name: cur.Name, Slug: cur.Slug, Description: cur.Description}
	if p.has("name") {
		in.Name = p.str("name")
	}
	if p.has("slug") {
		in.Slug = p.str("slug")
	}
	if p.has("description") {
		in.Description = p.str("description")
	}
	if err := s.desk.UpdateSection(r.Context(), actorOf(u), id, in); err != nil {
		return nil, termError(err, in.Slug, "rest_cannot_update", cannotUpdate)
	}
	return s.getCategory(r)
}

// deleteCategory deletes a section; its articles are left without one,
// as the newsroom's deletion with "no section" does.
func (s *Server) deleteCategory(r *http.Request) (*response, error) {
	return s.deleteTerm(r, s.allCategories, func(ctx context.Context, actor news.Actor, id int64) error {
		return s.desk.DeleteSection(ctx, actor, id, 0)
	})
}

// deleteTerm deletes the term of the taxonomy listed by all, with del,
// answering the term as it was, as WordPress does; terms have no trash.
func (s *Server) deleteTerm(r *http.Request, all func(*http.Request) ([]termJSON, error),
	del func(ctx context.Context, actor news.Actor, id int64) error) (*response, error) {
	u, previous, err := s.termOf(r, all)
	if err != nil {
		return nil, err
	}
	if err := forced(r); err != nil {
		return nil, err
	}
	if err := del(r.Context(), actorOf(u), previous.ID); err != nil {
		return nil, termError(err, "", "rest_cannot_delete", cannotDelete)
	}
	return &response{body: map[string]any{"deleted": true, "previous": previous}}, nil
}

func (s *Server) createTag(r *http.Request) (*response, error) {
	u, err := s.staff(r)
	if err != nil {
		return nil, err
	}
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return nil, err
	}
	name, err := termName(p)
	if err != nil {
		return nil, err
	}
	if p.has("parent") {
		return nil, apiError(http.StatusBadRequest, "rest_taxonomy_not_hierarchical", "Cannot set parent term, taxonomy is not hierarchical.")
	}
	// A description is accepted and dropped: Masthead's tags have none.
	in := newsroom.TagInput{Name: name, Slug: p.str("slug")}
	t, err := s.desk.CreateTag(r.Context(), actorOf(u), in)
	if err != nil {
		return nil, termError(err, in.Slug, "rest_cannot_create", cannotCreate)
	}
	return s.created(s.tag(*t)), nil
}

func (s *Server) updateTag(r *http.Request) (*response, error) {
	u, cur, err := s.termOf(r, s.allTags)
	if err != nil {
		return nil, err
	}
	id := cur.ID
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return nil, err
	}
	if p.has("parent") {
		return nil, apiError(http.StatusBadRequest, "rest_taxonomy_not_hierarchical", "Cannot set parent term, taxonomy is not hierarchical.")
	}
	in := newsroom.TagInput{Name: cur.Name, Slug: cur.Slug}
	if p.has("name") {
		in.Name = p.str("name")
	}
	if p.has("slug") {
		in.Slug = p.str("slug")
	}
	if _, err := s.desk.UpdateTag(r.Context(), actorOf(u), id, in); err != nil {
		return nil, termError(err, in.Slug, "rest_cannot_update", cannotUpdate)
	}
	return s.getTag(r)
}

// deleteTag deletes a tag; its articles lose it.
func (s *Server) deleteTag(r *http.Request) (*response, error) {
	return s.deleteTerm(r, s.allTags, s.desk.DeleteTag)
}

// termOf reads who asks and the term of the taxonomy listed by all that a
// /categories/{id} or /tags/{id} request names.
func (s *Server) termOf(r *http.Request, all func(*http.Request) ([]termJSON, error)) (*news.Staff, termJSON, error) {
	u, err := s.staff(r)
	if err != nil {
		return nil, termJSON{}, err
	}
	id, err := pathID(r, "rest_term_invalid")
	if err != nil {
		return nil, termJSON{}, err
	}
	terms, err := all(r)
	if err != nil {
		return nil, termJSON{}, err
	}
	t, err := termByID(terms, id)
	return u, t, err
}
