package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"masthead/internal/diff"
	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/render"
)

type revisionsPage struct {
	Layout    render.AdminLayout
	Article   *news.Article
	Revisions []news.Revision
}

func (s *Server) revisionList(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadEditable(r)
	if err != nil {
		return err
	}
	revs, err := s.desk.Revisions(r.Context(), actor(r), a.ID)
	if err != nil {
		return err
	}
	return s.page(w, http.StatusOK, "revisions", revisionsPage{Layout: s.layout(r, "Revisions", "articles"), Article: a, Revisions: revs})
}

type diffField struct {
	Name    string
	Changed bool
	Lines   []diff.Line
}

type diffPage struct {
	Layout    render.AdminLayout
	Article   *news.Article
	FromLabel string
	ToLabel   string
	Fields    []diffField
	Restore   int64 // revision that may be restored from this page
}

func compare(from, to news.Snapshot) []diffField {
	pairs := []struct{ name, a, b string }{
		{"Headline", from.Headline, to.Headline},
		{"Standfirst", from.Standfirst, to.Standfirst},
		{"Body", from.Body, to.Body},
		{"Tags", strings.Join(from.Tags, ", "), strings.Join(to.Tags, ", ")},
		{"Lead image", from.ImageURL + "\n" + from.ImageAlt + "\n" + from.ImageCaption + "\n" + from.ImageCredit, to.ImageURL + "\n" + to.ImageAlt + "\n" + to.ImageCaption + "\n" + to.ImageCredit},
		{"SEO", from.SEOTitle + "\n" + from.SEODescription, to.SEOTitle + "\n" + to.SEODescription},
	}
	out := make([]diffField, len(pairs))
	for i, p := range pairs {
		lines := diff.Lines(p.a, p.b)
		out[i] = diffField{Name: p.name, Changed: diff.Changed(lines), Lines: lines}
	}
	return out
}

// revisionShow compares one revision with the current article and offers
// to restore it.
func (s *Server) revisionShow(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadEditable(r)
	if err != nil {
		return err
	}
	revID, err := pathID(r, "rev")
	if err != nil {
		return err
	}
	rev, err := s.desk.Revision(r.Context(), actor(r), a.ID, revID)
	if err != nil {
		return err
	}
	loc, err := s.desk.Location(r.Context())
	if err != nil {
		return err
	}
	data := diffPage{Layout: s.layout(r, "Revision", "articles"), Article: a,
		FromLabel: fmt.Sprintf("the current version (%d)", a.Version),
		ToLabel:   fmt.Sprintf("revision of %s by %s (%s)", rev.CreatedAt.In(loc).Format("2 Jan 2006 15:04"), orDash(rev.UserName), rev.Kind),
		Fields:    compare(a.Snapshot(), rev.Snapshot)}
	if s.desk.MayEdit(actor(r), a) {
		data.Restore = rev.ID
	}
	return s.page(w, http.StatusOK, "diff", data)
}

// revisionDiff compares two revisions (?from=&to=), or a revision with the
// current article when to is missing.
func (s *Server) revisionDiff(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadEditable(r)
	if err != nil {
		return err
	}
	loc, err := s.desk.Location(r.Context())
	if err != nil {
		return err
	}
	load := func(param string) (news.Snapshot, string, error) {
		v := r.URL.Query().Get(param)
		if v == "" {
			return a.Snapshot(), "the current version", nil
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return news.Snapshot{}, "", edge.BadRequest("Choose two revisions to compare.")
		}
		rev, err := s.desk.Revision(r.Context(), actor(r), a.ID, id)
		if err != nil {
			return news.Snapshot{}, "", err
		}
		return rev.Snapshot, fmt.Sprintf("the revision of %s by %s", rev.CreatedAt.In(loc).Format("2 Jan 2006 15:04"), orDash(rev.UserName)), nil
	}
	from, fromLabel, err := load("from")
	if err != nil {
		return err
	}
	to, toLabel, err := load("to")
	if err != nil {
		return err
	}
	return s.page(w, http.StatusOK, "diff", diffPage{Layout: s.layout(r, "Compare revisions", "articles"), Article: a,
		FromLabel: fromLabel, ToLabel: toLabel, Fields: compare(from, to)})
}

func (s *Server) revisionRestore(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadEditable(r)
	if err != nil {
		return err
	}
	revID, err := pathID(r, "rev")
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		return edge.BadRequest("The form is missing the article's version. Reload the page.")
	}
	if _, err := s.desk.Restore(r.Context(), actor(r), a.ID, revID, version); err != nil {
		if err == news.ErrStale {
			return &edge.Error{Status: http.StatusConflict, Message: "Someone saved this article since you opened the revision. Reload and try again."}
		}
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/articles/%d?done=restored", a.ID), http.StatusSeeOther)
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
