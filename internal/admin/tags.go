package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// Tags: editors and administrators — who manage sections — list, rename,
// merge and delete them; anyone who writes adds tags in the editor (the
// service decides who may).

// tagsPageSize is how many tags one page of the list shows.
const tagsPageSize = 50

type tagsPage struct {
	Layout                     render.AdminLayout
	Tags                       []news.Tag
	Query                      string
	ByUse                      bool // most used first
	Total, Page, Pages         int
	PrevURL, NextURL, ClearURL string
	ByNameURL, ByUseURL        string
	New                        newsroom.TagInput // the new-tag form, as typed
	Errors                     news.FieldErrors
}

// tagsURL is the list with a search, an order and a page.
func tagsURL(q string, byUse bool, page int) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if byUse {
		v.Set("sort", "use")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/admin/tags"
	}
	return "/admin/tags?" + v.Encode()
}

// tagList lists the tags, by name or most used first (?sort=use), with a
// search over names and slugs (?q=) and pages (?page=).
func (s *Server) tagList(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	page, err := pageNumber(qs)
	if err != nil {
		return err
	}
	return s.renderTags(w, r, http.StatusOK, tagsPage{Query: searchText(qs.Get("q")), ByUse: qs.Get("sort") == "use", Page: page})
}

func (s *Server) renderTags(w http.ResponseWriter, r *http.Request, status int, data tagsPage) error {
	list := func() (err error) {
		data.Tags, data.Total, err = s.desk.TagsToManage(r.Context(), actor(r), data.Query, data.ByUse, tagsPageSize, (data.Page-1)*tagsPageSize)
		return err
	}
	if err := list(); err != nil {
		return err
	}
	data.Pages = max(1, (data.Total+tagsPageSize-1)/tagsPageSize)
	if data.Page > data.Pages { // past the end (tags just merged away): the last page
		data.Page = data.Pages
		if err := list(); err != nil {
			return err
		}
	}
	if data.Page > 1 {
		data.PrevURL = tagsURL(data.Query, data.ByUse, data.Page-1)
	}
	if data.Page < data.Pages {
		data.NextURL = tagsURL(data.Query, data.ByUse, data.Page+1)
	}
	data.ClearURL, data.ByNameURL, data.ByUseURL = tagsURL("", data.ByUse, 1), tagsURL(data.Query, false, 1), tagsURL(data.Query, true, 1)
	data.Layout = s.layout(r, "Tags", "tags")
	return s.page(w, status, "tags", data)
}

func (s *Server) tagCreate(w http.ResponseWriter, r *http.Request) error {
	in := newsroom.TagInput{Name: r.PostForm.Get("name"), Slug: r.PostForm.Get("slug")}
	_, err := s.desk.CreateTag(r.Context(), actor(r), in)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderTags(w, r, http.StatusUnprocessableEntity, tagsPage{Page: 1, New: in, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/tags?done=tag-added", http.StatusSeeOther)
	return nil
}

type tagPage struct {
	Layout    render.AdminLayout
	Tag       *news.Tag
	Form      newsroom.TagInput // the rename form, as typed
	MergeInto string            // the merge form, as typed
	Errors    news.FieldErrors
}

func (s *Server) tagEdit(w http.ResponseWriter, r *http.Request) error {
	return s.renderTag(w, r, http.StatusOK, tagPage{})
}

func (s *Server) renderTag(w http.ResponseWriter, r *http.Request, status int, data tagPage) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if data.Tag, err = s.desk.TagToManage(r.Context(), actor(r), id); err != nil {
		return err
	}
	if data.Form == (newsroom.TagInput{}) {
		data.Form = newsroom.TagInput{Name: data.Tag.Name, Slug: data.Tag.Slug}
	}
	data.Layout = s.layout(r, "Tag: "+data.Tag.Name, "tags")
	return s.page(w, status, "tag", data)
}

func (s *Server) tagUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := newsroom.TagInput{Name: r.PostForm.Get("name"), Slug: r.PostForm.Get("slug")}
	_, err = s.desk.UpdateTag(r.Context(), actor(r), id, in)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderTag(w, r, http.StatusUnprocessableEntity, tagPage{Form: in, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/tags/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

// tagMerge merges a tag into the one named, and shows that one.
func (s *Server) tagMerge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	into := r.PostForm.Get("merge_into")
	target, err := s.desk.MergeTag(r.Context(), actor(r), id, into)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderTag(w, r, http.StatusUnprocessableEntity, tagPage{MergeInto: into, Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/tags/"+strconv.FormatInt(target.ID, 10)+"?done=tag-merged", http.StatusSeeOther)
	return nil
}

func (s *Server) tagDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteTag(r.Context(), actor(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/tags?done=tag-deleted", http.StatusSeeOther)
	return nil
}
