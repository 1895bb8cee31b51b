package web

import (
	"net/http"
	"slices"

	"masthead/internal/news"
	"masthead/internal/render"
)

type sectionBlock struct {
	Section  news.Section
	Articles []*news.Article
}

type homePage struct {
	Layout    render.Layout
	Lead      *news.Article
	Top       []*news.Article // beside the lead
	Second    []*news.Article // under the lead
	BySection []sectionBlock
	Latest    []*news.Article
	Tags      []news.Tag
}

// home is the front page: the lead story (the newest featured one, else the
// newest), four top stories, then the latest from each section.
func (s *Server) home(r *http.Request) (*page, error) {
	ctx := r.Context()
	lay, err := s.layout(r, "", "", "/")
	if err != nil {
		return nil, err
	}
	lay.IsHome = true
	lay.Title = lay.Site.Name
	if lay.Site.Tagline != "" {
		lay.Title += " | " + lay.Site.Tagline
	}
	lay.JSONLD = []string{s.webSiteLD(lay.Site)}
	data := homePage{Layout: lay}

	// Two queries for the lists and two for their bylines: the sections
	// leave out what the top of the page shows.
	lists, err := s.store.PublishedLists(ctx, []news.ArticleFilter{{Limit: 12}, {Featured: true, Limit: 1}})
	if err != nil {
		return nil, err
	}
	latest, featured := lists[0], lists[1]
	if len(featured) > 0 {
		data.Lead = featured[0]
	} else if len(latest) > 0 {
		data.Lead = latest[0]
	}
	shown := map[int64]bool{}
	if data.Lead != nil {
		shown[data.Lead.ID] = true
	}
	for _, a := range latest {
		if shown[a.ID] {
			continue
		}
		switch {
		case len(data.Top) < 4:
			data.Top = append(data.Top, a)
		case len(data.Second) < 2:
			data.Second = append(data.Second, a)
		default:
			continue
		}
		shown[a.ID] = true
	}
	data.Latest = latest
	exclude := make([]int64, 0, len(shown))
	for id := range shown {
		exclude = append(exclude, id)
	}
	slices.Sort(exclude)
	bySection := make([]news.ArticleFilter, len(lay.Sections))
	for i, sec := range lay.Sections {
		bySection[i] = news.ArticleFilter{SectionID: sec.ID, ExcludeID: exclude, Limit: 3}
	}
	if lists, err = s.store.PublishedLists(ctx, bySection); err != nil {
		return nil, err
	}
	for i, sec := range lay.Sections {
		if len(lists[i]) > 0 {
			data.BySection = append(data.BySection, sectionBlock{Section: sec, Articles: lists[i]})
		}
	}
	if data.Tags, err = s.popularTags(ctx, 15); err != nil {
		return nil, err
	}
	return s.html(http.StatusOK, "home", data)
}
