package newsroom

import (
	"context"

	"masthead/internal/news"
)

// Sections and tags: public, so anyone may read them.

// Sections lists the site's sections in navigation order.
func (s *Service) Sections(ctx context.Context) ([]news.Section, error) {
	return s.store.Sections(ctx)
}

// SectionParents maps each nested section's id to its parent's.
func (s *Service) SectionParents(ctx context.Context) (map[int64]int64, error) {
	return s.store.SectionParents(ctx)
}

// SectionCounts maps each section's id to its number of published articles.
func (s *Service) SectionCounts(ctx context.Context) (map[int64]int, error) {
	return s.store.SectionCounts(ctx)
}

// Tags lists every tag with its count of published articles.
func (s *Service) Tags(ctx context.Context) ([]news.Tag, error) {
	return s.store.Tags(ctx)
}
