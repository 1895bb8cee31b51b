// Package editorial carries out the newsroom's operations on articles: it
// applies the domain rules in package news (slugs, dated paths, rendering)
// and persists the result through the store. The admin, the importer, the
// demo seeder and test fixtures all create articles through it, so an
// article is prepared the same way whichever door it came in by.
package editorial

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/store"
)

// Service is the newsroom desk.
type Service struct {
	store  *store.Store
	markup *markup.Renderer
	loc    *time.Location
}

// New builds the desk for a newsroom in time zone loc.
func New(st *store.Store, loc *time.Location) *Service {
	return &Service{store: st, markup: markup.New(), loc: loc}
}

// Prepare fills in what is derived from what the journalist wrote: the slug
// (from the headline when empty), the rendered body, its plain text, the
// word count and the quotations in it (stored with the article, where the
// newsroom's decisions about them are applied).
func (s *Service) Prepare(a *news.Article) error {
	a.Headline = strings.TrimSpace(a.Headline)
	if a.Slug == "" {
		a.Slug = news.Slugify(a.Headline)
	}
	if !news.ValidSlug(a.Slug) {
		return news.FieldErrors{"slug": "A slug may contain only lowercase letters, digits and single hyphens."}
	}
	h, text, err := s.markup.Article(a.Body)
	if err != nil {
		return fmt.Errorf("render article %q: %w", a.Slug, err)
	}
	a.BodyHTML, a.BodyText, a.WordCount = h, text, news.CountWords(text)
	a.Quotes = ExtractQuotes(text)
	return nil
}

// CreatePublished stores a new published article, giving it the first free
// dated path for its slug (slug, slug-2, slug-3 … on the same day).
func (s *Service) CreatePublished(ctx context.Context, a *news.Article) error {
	if err := s.Prepare(a); err != nil {
		return err
	}
	a.Status = news.StatusPublished
	if a.PublishedAt.IsZero() {
		a.PublishedAt = time.Now()
	}
	if a.ModifiedAt.IsZero() {
		a.ModifiedAt = a.LastModified()
	}
	base := a.Slug
	for n := 1; ; n++ {
		if n > 1 {
			a.Slug = news.SlugWithSuffix(base, n)
		}
		a.Path = news.ArticlePath(a.PublishedAt, s.loc, a.Slug)
		taken, err := s.store.PathTaken(ctx, a.Path)
		if err != nil {
			return err
		}
		if taken {
			continue
		}
		err = s.store.CreateArticle(ctx, a)
		if errors.Is(err, news.ErrConflict) && n < 100 {
			continue // another writer took the path between check and insert
		}
		return err
	}
}
