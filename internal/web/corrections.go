package web

import (
	"net/http"
	"strconv"

	"masthead/internal/news"
	"masthead/internal/render"
)

type correctionsPage struct {
	Layout      render.Layout
	Corrections []news.Correction
	Pager       pager
}

const correctionsPageSize = 30

// correctionsLog is the public log of corrections and updates.
func (s *Server) correctionsLog(r *http.Request) (*page, error) {
	n, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	lay, err := s.layout(r, "Corrections and updates", "Corrections and updates to our published stories.", "/corrections")
	if err != nil {
		return nil, err
	}
	list, err := s.store.RecentCorrections(r.Context(), correctionsPageSize+1, (n-1)*correctionsPageSize)
	if err != nil {
		return nil, err
	}
	data := correctionsPage{Layout: lay, Pager: pager{Page: n, Pages: n}}
	if n > 1 {
		if len(list) == 0 {
			return nil, news.ErrNotFound
		}
		data.Pager.PrevURL = "/corrections?page=" + strconv.Itoa(n-1)
	}
	if len(list) > correctionsPageSize {
		list = list[:correctionsPageSize]
		data.Pager.NextURL = "/corrections?page=" + strconv.Itoa(n+1)
		data.Pager.Pages = n + 1
	}
	data.Corrections = list
	return s.html(http.StatusOK, "corrections", data)
}
