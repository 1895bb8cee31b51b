package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"masthead/internal/news"
	"masthead/internal/render"
)

const (
	searchPageSize = 10
	maxQueryLen    = 200
	dateInput      = "2006-01-02" // what <input type="date"> sends
	// suggestBelow is the number of results under which a spelling is offered.
	suggestBelow = 3
)

// searchFilters are the search form's filters as the reader set them.
type searchFilters struct {
	Section string // slug
	Author  string // slug
	From    string // YYYY-MM-DD
	To      string
}

type searchPage struct {
	Layout     render.Layout
	Query      string
	Filters    searchFilters
	Sections   []news.Section
	Authors    []news.Staff
	Messages   []string
	Searched   bool // words or filters were given
	Total      int
	About      bool // Total is an estimate, rounded
	Hits       []news.SearchHit
	Suggestion string // a respelling of Query that finds more
	SuggestURL string
	Pager      pager
}

// values is the query string for this search with other words and page.
func (p *searchPage) values(q string, page int) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	for name, val := range map[string]string{"section": p.Filters.Section, "author": p.Filters.Author, "from": p.Filters.From, "to": p.Filters.To} {
		if val != "" {
			v.Set(name, val)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/search?" + v.Encode()
}

// cleanParam is a query parameter as valid, trimmed UTF-8 of at most n runes.
func cleanParam(r *http.Request, name string, n int) (string, bool) {
	v := strings.TrimSpace(strings.ToValidUTF8(r.URL.Query().Get(name), ""))
	if utf8.RuneCountInString(v) > n {
		return string([]rune(v)[:n]), true
	}
	return v, false
}

func (s *Server) search(r *http.Request) (*page, error) {
	ctx := r.Context()
	data := searchPage{}
	var cut bool
	data.Query, cut = cleanParam(r, "q", maxQueryLen)
	if cut {
		data.Messages = append(data.Messages, "Your search was shortened to 200 characters.")
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
	data.Sections = lay.Sections
	if data.Authors, err = s.store.BylinedStaff(ctx); err != nil {
		return nil, err
	}

	q := news.SearchQuery{Text: data.Query, Limit: searchPageSize, Offset: (n - 1) * searchPageSize}
	data.Filters.Section, _ = cleanParam(r, "section", 100)
	if slug := data.Filters.Section; slug != "" {
		for _, sec := range data.Sections {
			if sec.Slug == slug {
				q.SectionID = sec.ID
			}
		}
		if q.SectionID == 0 {
			data.Messages = append(data.Messages, "There is no such section; showing results from every section.")
			data.Filters.Section = ""
		}
	}
	data.Filters.Author, _ = cleanParam(r, "author", 100)
	if slug := data.Filters.Author; slug != "" {
		for _, au := range data.Authors {
			if au.Slug == slug {
				q.AuthorID = au.ID
			}
		}
		if q.AuthorID == 0 {
			data.Messages = append(data.Messages, "We have no stories by that author; showing results by anyone.")
			data.Filters.Author = ""
		}
	}
	var from, to time.Time
	from, data.Filters.From, data.Messages = s.dateParam(r, "from", "start", data.Messages)
	to, data.Filters.To, data.Messages = s.dateParam(r, "to", "end", data.Messages)
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		from, to = to, from
		data.Filters.From, data.Filters.To = data.Filters.To, data.Filters.From
		data.Messages = append(data.Messages, "The dates were the wrong way round, so we swapped them.")
	}
	q.From = from
	if !to.IsZero() {
		q.To = to.AddDate(0, 0, 1) // the whole of the last day
	}

	data.Searched = q.Text != "" || q.Filtered()
	if data.Searched {
		res, err := s.store.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		data.Hits, data.Total, data.About = res.Hits, res.Total, res.About
		if data.About {
			data.Total = roughly(data.Total)
		}
		pages := max((data.Total+searchPageSize-1)/searchPageSize, 1)
		data.Pager = pager{Page: n, Pages: pages}
		if n > 1 {
			data.Pager.PrevURL = data.values(data.Query, n-1)
		}
		if n < pages {
			data.Pager.NextURL = data.values(data.Query, n+1)
		}
		if q.Text != "" && data.Total < suggestBelow {
			if data.Suggestion, err = s.store.Suggest(ctx, q.Text); err != nil {
				return nil, err
			}
			if data.Suggestion != "" {
				data.SuggestURL = data.values(data.Suggestion, 1)
			}
		}
		if data.Total == 0 {
			data.Messages = append(data.Messages, "Nothing matched. Try fewer or different words, or widen the filters.")
		}
	}
	p, err := s.html(http.StatusOK, "search", data)
	if err != nil {
		return nil, err
	}
	p.cacheControl = "public, max-age=60"
	return p, nil
}

// Found says how many stories the search found: "1 story", "12 stories",
// "About 76,000 stories".
func (p searchPage) Found() string { return found(p.Total, p.About, "story", "stories") }

// found is a count of things found, grouped in thousands, "About" one
// that is an estimate.
func found(total int, about bool, one, many string) string {
	n := strconv.Itoa(total)
	for i := len(n) - 3; i > 0; i -= 3 {
		n = n[:i] + "," + n[i:]
	}
	noun := many
	if total == 1 {
		noun = one
	}
	if about {
		return "About " + n + " " + noun
	}
	return n + " " + noun
}

// roughly rounds an estimated count to two significant figures, as it
// is shown: "about 76,000".
func roughly(n int) int {
	unit := 1
	for n/unit >= 100 {
		unit *= 10
	}
	return (n + unit/2) / unit * unit
}

// dateParam reads a YYYY-MM-DD parameter as the start of that day in the
// newsroom's time zone. A date that does not parse is dropped with a note,
// never an error page.
func (s *Server) dateParam(r *http.Request, name, label string, msgs []string) (time.Time, string, []string) {
	v, _ := cleanParam(r, name, 10)
	if v == "" {
		return time.Time{}, "", msgs
	}
	loc, err := s.desk.Location(r.Context())
	if err != nil {
		loc = s.desk.DefaultLocation() // the page's other reads will report the database
	}
	t, err := time.ParseInLocation(dateInput, v, loc)
	if err != nil || t.Year() < 1000 || t.Year() > 9999 {
		return time.Time{}, "", append(msgs, "The "+label+" date was not a date we understand (use YYYY-MM-DD), so we left it out.")
	}
	return t, v, msgs
}
