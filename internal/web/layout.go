package web

import (
	"net/http"
	"time"

	"masthead/internal/render"
)

// layout loads what every page shows around its content.
func (s *Server) layout(r *http.Request, title, description, canonicalPath string) (render.Layout, error) {
	ctx := r.Context()
	pub, err := s.store.Publication(ctx)
	if err != nil {
		return render.Layout{}, err
	}
	sections, err := s.store.Sections(ctx)
	if err != nil {
		return render.Layout{}, err
	}
	full := pub.Name
	if title != "" && title != pub.Name {
		full = title + " | " + pub.Name
	}
	if description == "" {
		description = pub.Description
	}
	return render.Layout{
		Site:        pub,
		BaseURL:     s.cfg.BaseURL,
		Sections:    sections,
		Title:       full,
		Description: description,
		Canonical:   s.abs(canonicalPath),
		Feeds: []render.Feed{
			{Title: pub.Name + " (RSS)", Type: "application/rss+xml", URL: s.abs("/feed.xml")},
			{Title: pub.Name + " (Atom)", Type: "application/atom+xml", URL: s.abs("/feed.atom")},
			{Title: pub.Name + " (JSON Feed)", Type: "application/feed+json", URL: s.abs("/feed.json")},
		},
		OG:   render.OpenGraph{Type: "website"},
		Year: time.Now().In(s.cfg.Location).Year(),
	}, nil
}
