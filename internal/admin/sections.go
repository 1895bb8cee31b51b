package admin

import (
	"errors"
	"net/http"
	"strconv"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// Sections: editors and administrators create, rename, reorder, merge
// and delete them (the service decides who may).

type sectionsPage struct {
	Layout   render.AdminLayout
	Sections []news.Section
	Counts   map[int64]int // published articles per section
	New      newsroom.SectionInput
	Editing  int64 // the section whose form failed, shown with Form
	Form     newsroom.SectionInput
	Errors   news.FieldErrors
}

func (s *Server) sections(w http.ResponseWriter, r *http.Request) error {
	return s.renderSections(w, r, http.StatusOK, sectionsPage{})
}

func (s *Server) renderSections(w http.ResponseWriter, r *http.Request, status int, data sectionsPage) error {
	var err error
	if data.Sections, data.Counts, err = s.desk.SectionsToManage(r.Context(), actor(r)); err != nil {
		return err
	}
	data.Layout = s.layout(r, "Sections", "sections")
	return s.page(w, status, "sections", data)
}

func sectionForm(r *http.Request) newsroom.SectionInput {
	f := r.PostForm
	return newsroom.SectionInput{Name: f.Get("name"), Slug: f.Get("slug"), Description: f.Get("description")}
}

func (s *Server) sectionCreate(w http.ResponseWriter, r *http.Request) error {
	in := sectionForm(r)
	_, err := s.desk.CreateSection(r.Context(), actor(r), in)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderSections(w, r, http.StatusUnprocessableEntity, sectionsPage{New: in, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/sections?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) sectionUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := sectionForm(r)
	err = s.desk.UpdateSection(r.Context(), actor(r), id, in)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderSections(w, r, http.StatusUnprocessableEntity, sectionsPage{Editing: id, Form: in, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/sections?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) sectionMove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	by := 1
	if r.PostForm.Get("to") == "up" {
		by = -1
	}
	if err := s.desk.MoveSection(r.Context(), actor(r), id, by); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/sections", http.StatusSeeOther)
	return nil
}

func (s *Server) sectionDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	into, _ := strconv.ParseInt(r.PostForm.Get("into"), 10, 64)
	err = s.desk.DeleteSection(r.Context(), actor(r), id, into)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderSections(w, r, http.StatusUnprocessableEntity, sectionsPage{Editing: id, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/sections?done=deleted", http.StatusSeeOther)
	return nil
}

// sectionMerge merges a section into another: its articles, address and
// feeds go to the other.
func (s *Server) sectionMerge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	into, _ := strconv.ParseInt(r.PostForm.Get("merge_into"), 10, 64)
	err = s.desk.MergeSection(r.Context(), actor(r), id, into)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderSections(w, r, http.StatusUnprocessableEntity, sectionsPage{Editing: id, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/sections?done=merged", http.StatusSeeOther)
	return nil
}
