package newsroom

import (
	"context"
	"fmt"

	"masthead/internal/news"
)

// Static pages ("About us", "Contact") are articles marked as pages: they
// are written, reviewed and published like any article, and live at
// /page/{slug} once published. Who may see or change one is decided as
// for its article.

// CreatePage starts a new draft, written by actor, that is a static page
// at the article's slug. Anyone who may start an article may start a page.
func (s *Service) CreatePage(ctx context.Context, actor news.Actor, snap news.Snapshot) (*news.Article, error) {
	a, err := s.Create(ctx, actor, snap)
	if err != nil {
		return a, err
	}
	if err := s.store.PutPage(ctx, news.Page{ArticleID: a.ID, Slug: a.Slug}); err != nil {
		return a, fmt.Errorf("make article %d a page: %w", a.ID, err)
	}
	return a, nil
}

// PageOf returns the page article id is, or news.ErrNotFound for a news
// article.
func (s *Service) PageOf(ctx context.Context, id int64) (news.Page, error) {
	return s.store.PageOf(ctx, id)
}

// PagesByArticle returns every static page, by its article's id.
func (s *Service) PagesByArticle(ctx context.Context) (map[int64]news.Page, error) {
	list, err := s.store.Pages(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]news.Page, len(list))
	for _, p := range list {
		out[p.ArticleID] = p
	}
	return out, nil
}
