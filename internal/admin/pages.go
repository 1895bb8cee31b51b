package admin

import (
	"fmt"
	"net/http"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// Static pages (About, Contact, Ethics …): a list of them, and the
// article editor for a new one, which leaves out what only news has. Once
// created a page is edited in the same editor as any article, at
// /admin/articles/{id}. Editors and administrators start pages (the
// service decides); a writer bylined on one sees it here.

type pagesPage struct {
	Layout  render.AdminLayout
	Pages   []pageRow
	CanNew  bool
	HasMore bool // more pages than one screen lists
}

type pageRow struct {
	articleRow
	Path string // "/page/about"
}

// pagesListed is how many pages the list shows: a site has a handful.
const pagesListed = 200

func (s *Server) pageList(w http.ResponseWriter, r *http.Request) error {
	me := actor(r)
	list, total, err := s.desk.Articles(r.Context(), me, news.AdminFilter{Kind: news.KindPage, Limit: pagesListed})
	if err != nil {
		return err
	}
	pages, err := s.desk.PagesByArticle(r.Context())
	if err != nil {
		return err
	}
	data := pagesPage{Layout: s.layout(r, "Pages", "pages"), CanNew: s.desk.Abilities(me).EditAny, HasMore: total > len(list)}
	for _, row := range s.articleRows(me, list) {
		data.Pages = append(data.Pages, pageRow{articleRow: row, Path: "/page/" + pages[row.ID].Slug})
	}
	return s.page(w, http.StatusOK, "pages", data)
}

func (s *Server) pageNew(w http.ResponseWriter, r *http.Request) error {
	if !s.desk.Abilities(actor(r)).EditAny {
		return newsroom.ErrPagesForEditors
	}
	form, err := s.newForm(r, newsroom.NewPageDraft)
	if err != nil {
		return err
	}
	return s.renderEditorOf(w, r, http.StatusOK, nil, &news.Page{}, form, 0, nil, 0)
}

func (s *Server) pageCreate(w http.ResponseWriter, r *http.Request) error {
	form := parseForm(r)
	a, err := s.desk.CreatePage(r.Context(), actor(r), form, newsroom.Step{})
	if fe, ok := formErrors(err); ok {
		return s.renderEditorOf(w, r, http.StatusUnprocessableEntity, nil, &news.Page{}, form, 0, fe, 0)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d?done=created", a.ID), http.StatusSeeOther)
	return nil
}
