package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/render"
)

const listPageSize = 12

type pager struct {
	Page, Pages      int
	PrevURL, NextURL string
}

type listPage struct {
	Layout   render.Layout
	Kicker   string
	Heading  string
	Intro    string
	Author   *news.Staff
	Follow   *news.Newsletter // the section's or author's follow by email, if any
	FeedURL  string
	Articles []*news.Article
	Pager    pager
}

// pageNumber reads ?page=N; anything but a positive number is a 400.
func pageNumber(r *http.Request) (int, error) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100000 {
		return 0, edge.BadRequest("The page number must be a whole number from 1 upwards.")
	}
	return n, nil
}

// paginate fills the pager and the layout's rel=prev/next links; a page
// past the end is a 404 (except page 1 of an empty list).
func (s *Server) paginate(lay *render.Layout, base string, n, total, size int) (pager, error) {
	pages := (total + size - 1) / size
	if pages < 1 {
		pages = 1
	}
	if n > pages {
		return pager{}, news.ErrNotFound
	}
	p := pager{Page: n, Pages: pages}
	if n > 1 {
		p.PrevURL = base
		if n > 2 {
			p.PrevURL = fmt.Sprintf("%s?page=%d", base, n-1)
		}
		lay.PrevURL = s.abs(p.PrevURL)
	}
	if n < pages {
		p.NextURL = fmt.Sprintf("%s?page=%d", base, n+1)
		lay.NextURL = s.abs(p.NextURL)
	}
	if n > 1 {
		lay.Canonical = s.abs(fmt.Sprintf("%s?page=%d", base, n))
		lay.Title = fmt.Sprintf("%s (page %d)", lay.Title, n)
	}
	return p, nil
}

// listing renders one page of a filtered article list.
func (s *Server) listing(r *http.Request, data listPage, f news.ArticleFilter, base string, crumb string) (*page, error) {
	n, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	total, err := s.store.CountPublished(r.Context(), f)
	if err != nil {
		return nil, err
	}
	if data.Pager, err = s.paginate(&data.Layout, base, n, total, listPageSize); err != nil {
		return nil, err
	}
	f.Limit, f.Offset = listPageSize, (n-1)*listPageSize
	if data.Articles, err = s.store.PublishedArticles(r.Context(), f, false); err != nil {
		return nil, err
	}
	data.FeedURL = base + "/feed.xml"
	data.Layout.Feeds = append([]render.Feed{
		{Title: data.Heading + " (RSS)", Type: "application/rss+xml", URL: s.abs(base + "/feed.xml")},
		{Title: data.Heading + " (Atom)", Type: "application/atom+xml", URL: s.abs(base + "/feed.atom")},
	}, data.Layout.Feeds...)
	data.Layout.JSONLD = []string{s.breadcrumbsLD(
		ldListItem{Name: data.Layout.Site.Name, Item: s.abs("/")},
		ldListItem{Name: crumb, Item: s.abs(base)},
	)}
	if data.Author != nil {
		data.Layout.JSONLD = append(data.Layout.JSONLD, s.authorLD(data.Layout.Site, data.Author))
	}
	return s.html(http.StatusOK, "list", data)
}

func (s *Server) sectionList(r *http.Request) (*page, error) {
	sec, err := s.section(r, r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	lay, err := s.layout(r, sec.Name, sec.Description, sec.URLPath())
	if err != nil {
		return nil, err
	}
	lay.Current = sec.Slug
	data := listPage{Layout: lay, Kicker: "Section", Heading: sec.Name, Intro: sec.Description}
	sg, err := s.signups(r.Context(), sec.ID, nil)
	if err != nil {
		return nil, err
	}
	data.Follow = sg.Section
	return s.listing(r, data, news.ArticleFilter{SectionID: sec.ID}, sec.URLPath(), sec.Name)
}

func (s *Server) tagList(r *http.Request) (*page, error) {
	t, err := s.tag(r, r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	lay, err := s.layout(r, t.Name, "Stories about "+t.Name+".", t.URLPath())
	if err != nil {
		return nil, err
	}
	data := listPage{Layout: lay, Kicker: "Topic", Heading: t.Name}
	return s.listing(r, data, news.ArticleFilter{TagID: t.ID}, t.URLPath(), t.Name)
}

func (s *Server) authorList(r *http.Request) (*page, error) {
	au, err := s.store.StaffBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	desc := au.Bio
	if desc == "" {
		desc = "Stories by " + au.Name + "."
	}
	lay, err := s.layout(r, au.Name, desc, au.URLPath())
	if err != nil {
		return nil, err
	}
	data := listPage{Layout: lay, Heading: au.Name, Author: au}
	sg, err := s.signups(r.Context(), 0, []int64{au.ID})
	if err != nil {
		return nil, err
	}
	data.Follow = sg.People[au.ID]
	return s.listing(r, data, news.ArticleFilter{AuthorID: au.ID}, au.URLPath(), au.Name)
}

type authorsPage struct {
	Layout  render.Layout
	Authors []news.Staff
}

func (s *Server) authorIndex(r *http.Request) (*page, error) {
	lay, err := s.layout(r, "Our journalists", "", "/authors")
	if err != nil {
		return nil, err
	}
	authors, err := s.store.BylinedStaff(r.Context())
	if err != nil {
		return nil, err
	}
	return s.html(http.StatusOK, "authors", authorsPage{Layout: lay, Authors: authors})
}

// section finds the section at slug. A slug a section had before it was
// renamed is a *movedError to the same page at the section's new address.
func (s *Server) section(r *http.Request, slug string) (*news.Section, error) {
	sec, err := s.store.SectionBySlug(r.Context(), slug)
	if !errors.Is(err, news.ErrNotFound) {
		return sec, err
	}
	renamed, rerr := s.desk.SectionByOldSlug(r.Context(), slug)
	if rerr != nil {
		return nil, err
	}
	return nil, &movedError{to: strings.Replace(r.URL.Path, "/section/"+slug, renamed.URLPath(), 1)}
}

// tag finds the tag at slug. A slug a tag had before it was renamed, or
// merged into another, is a *movedError to the same page of the tag it
// became.
func (s *Server) tag(r *http.Request, slug string) (*news.Tag, error) {
	t, err := s.store.TagBySlug(r.Context(), slug)
	if !errors.Is(err, news.ErrNotFound) {
		return t, err
	}
	moved, merr := s.desk.TagByOldSlug(r.Context(), slug)
	if merr != nil {
		return nil, err
	}
	return nil, &movedError{to: strings.Replace(r.URL.Path, "/tag/"+slug, moved.URLPath(), 1)}
}

// movedError sends the reader on to a page's new address (301).
type movedError struct{ to string }

func (e *movedError) Error() string { return "moved to " + e.to }
