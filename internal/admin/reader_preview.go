package admin

import (
	"net/http"
	"strconv"
	"strings"

	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// readerPreviewPage is the reader site's article page for a story not yet
// published, or for changes not yet saved (the "preview" page template).
type readerPreviewPage struct {
	Layout render.Layout
	newsroom.ReaderPreview
	Editor string // the article's editor, for a preview of what is stored
}

// readerPreview shows an article in the site's design, as readers will see
// it: a GET shows it as stored, a POST what the editor's form holds (its
// Preview button opens it in a new tab). Nothing is saved.
func (s *Server) readerPreview(w http.ResponseWriter, r *http.Request) error {
	req := newsroom.PreviewRequest{NewPage: strings.HasPrefix(r.URL.Path, "/admin/pages/")}
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		req.ArticleID = id
	}
	if r.Method == http.MethodPost {
		form := parseForm(r)
		req.Form = &form
	}
	p, err := s.desk.ReaderPreview(r.Context(), actor(r), req)
	if err != nil {
		return err
	}
	a := p.Article
	if a.Headline == "" {
		a.Headline = "Untitled article"
		if p.Static {
			a.Headline = "Untitled page"
		}
	}
	data := readerPreviewPage{ReaderPreview: p, Layout: render.Layout{
		Site: p.Site, Sections: p.Sections, Header: p.Header, Footer: p.Footer, Social: p.Social,
		Title:       "Preview: " + a.Headline + " | " + p.Site.Name,
		Description: a.Standfirst,
		Canonical:   r.URL.Path,
		Robots:      "noindex, nofollow",
		OG:          render.OpenGraph{Type: "website"},
		Year:        p.Year,
	}}
	if a.Section != nil {
		data.Layout.Current = a.Section.Slug
	}
	if a.ID != 0 && !p.Unsaved {
		data.Editor = "/admin/articles/" + strconv.FormatInt(a.ID, 10)
	}
	body, err := s.render.Render("preview", data)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err = w.Write(body)
	return err
}
