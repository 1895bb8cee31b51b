package newsroom

import (
	"context"
	"errors"
	"fmt"

	"masthead/internal/news"
)

// Static pages ("About us", "Contact") are articles marked as pages: they
// are written, reviewed and published like any article, and live at
// /page/{slug} once published. A page's slug is site-wide, so, as in
// WordPress (where edit_pages is an editor's capability), only editors and
// administrators start pages; who may then see or change one is decided as
// for its article.

// ErrPagesForEditors refuses to start a page for a writer.
var ErrPagesForEditors = fmt.Errorf("%w: only editors start pages", news.ErrForbidden)

// maxPageSuffix bounds the search for a free page slug (about-2, about-3 …).
const maxPageSuffix = 100

// CreatePage starts a new draft, written by actor, that is a static page
// at the article's slug, and takes step on it (see CreateAndStep). A slug
// another page has gets the first free suffix, as WordPress does: about-2,
// about-3 … The draft and its page are stored together or not at all.
func (s *Service) CreatePage(ctx context.Context, actor news.Actor, snap news.Snapshot, step Step) (*news.Article, error) {
	if !actor.Role.Can(news.PermEditAny) {
		return nil, ErrPagesForEditors
	}
	a, change, err := s.newDraft(ctx, actor, snap, step)
	if err != nil {
		return a, err
	}
	base := a.Slug
	for n := 1; n <= maxPageSuffix; n++ {
		if n > 1 {
			a.Slug = news.SlugWithSuffix(base, n)
		}
		taken, err := s.store.PageSlugTaken(ctx, a.Slug, 0)
		if err != nil {
			return a, err
		}
		if taken {
			continue
		}
		err = s.insertDraft(ctx, actor, a, &news.Page{Slug: a.Slug})
		if errors.Is(err, news.ErrConflict) {
			continue // another page took the slug between check and insert
		}
		if err != nil {
			return a, fmt.Errorf("create page %q: %w", a.Slug, err)
		}
		return s.takeStep(ctx, a, change)
	}
	return a, fmt.Errorf("create page: no free slug for %q: %w", base, news.ErrConflict)
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
