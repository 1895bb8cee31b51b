package web

import (
	"net/http"
	"strconv"

	"masthead/internal/render"
)

// layout loads what every page shows around its content.
func (s *Server) layout(r *http.Request, title, description, canonicalPath string) (render.Layout, error) {
	site, err := s.siteData(r.Context())
	if err != nil {
		return render.Layout{}, err
	}
	pub, breaking := site.pub, site.breaking
	if breaking != nil && s.cache != nil {
		// Its expiry writes nothing: the pages that show it are forgotten then.
		s.cache.forgetAt(breaking.ExpiresAt, breaking.ExpiresAt.Sub(s.desk.Now()))
	}
	full := pub.Name
	if title != "" && title != pub.Name {
		full = title + " | " + pub.Name
	}
	if description == "" {
		description = pub.Description
	}
	year := s.desk.Now().In(s.desk.LocationOf(pub)).Year()
	var chrome *render.Chrome
	if site.year == year {
		chrome = site.chrome // else a new year's eve: the footer is rendered on the page
	}
	return render.Layout{
		Site:        pub,
		BaseURL:     s.cfg.BaseURL,
		Sections:    site.sections,
		Header:      site.header,
		Footer:      site.footer,
		Social:      site.social,
		Title:       full,
		Description: description,
		Canonical:   s.abs(canonicalPath),
		Feeds: []render.Feed{
			{Title: pub.Name + " (RSS)", Type: "application/rss+xml", URL: s.abs("/feed.xml")},
			{Title: pub.Name + " (Atom)", Type: "application/atom+xml", URL: s.abs("/feed.atom")},
			{Title: pub.Name + " (JSON Feed)", Type: "application/feed+json", URL: s.abs("/feed.json")},
		},
		OG:             render.OpenGraph{Type: "website"},
		Year:           year,
		Breaking:       breaking,
		BreakingStream: "/live/events?after=" + strconv.FormatInt(site.seq, 10),
		Chrome:         chrome,
	}, nil
}
