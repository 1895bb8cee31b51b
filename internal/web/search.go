package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"masthead/internal/render"
	"masthead/internal/store"
)

const (
	searchPageSize = 10
	maxQueryLen    = 200
)

type searchPage struct {
	Layout  render.Layout
	Query   string
	Message string
	Total   int
	Hits    []store.SearchHit
	Pager   pager
}

func (s *Server) search(r *http.Request) (*page, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if !utf8.ValidString(q) {
		q = strings.ToValidUTF8(q, "")
	}
	data := searchPage{Query: q}
	if utf8.RuneCountInString(q) > maxQueryLen {
		data.Query = string([]rune(q)[:maxQueryLen])
		data.Message = "Your search was shortened to 200 characters."
	}
	n, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	lay, err := s.layout(r, "Search", "", "/search")
	if err != nil {
		return nil, err
	}
	lay.Robots = "noindex, follow"
	lay.Query = data.Query
	data.Layout = lay
	if data.Query != "" {
		data.Hits, data.Total, err = s.store.Search(r.Context(), data.Query, searchPageSize, (n-1)*searchPageSize)
		if err != nil {
			return nil, err
		}
		base := "/search?q=" + url.QueryEscape(data.Query)
		pages := (data.Total + searchPageSize - 1) / searchPageSize
		data.Pager = pager{Page: n, Pages: max(pages, 1)}
		if n > 1 {
			data.Pager.PrevURL = base + "&page=" + strconv.Itoa(n-1)
		}
		if n < pages {
			data.Pager.NextURL = base + "&page=" + strconv.Itoa(n+1)
		}
		if data.Total == 0 {
			data.Message = "Nothing matched. Try fewer or different words."
		}
	}
	p, err := s.html(http.StatusOK, "search", data)
	if err != nil {
		return nil, err
	}
	p.cacheControl = "public, max-age=60"
	return p, nil
}
