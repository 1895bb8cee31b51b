package newsroom

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

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

// Sections are the newspaper's own arrangement: editors and administrators
// create, rename, reorder and delete them, as WordPress lets editors
// manage categories.

// SectionInput is a section as an editor gives it.
type SectionInput struct {
	Name, Slug, Description string
}

// check tidies in and says what is wrong with it; the slug is made from
// the name when empty.
func (in *SectionInput) check() news.FieldErrors {
	in.Name, in.Slug, in.Description = strings.Join(strings.Fields(in.Name), " "), strings.TrimSpace(in.Slug), strings.TrimSpace(in.Description)
	if in.Slug == "" {
		in.Slug = news.Slugify(in.Name)
	}
	fe := news.FieldErrors{}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		fe["name"] = "Name the section (up to 100 characters)."
	}
	if !news.ValidSlug(in.Slug) || len(in.Slug) > 80 {
		fe["slug"] = "A slug may contain only lowercase letters, digits and single hyphens (up to 80)."
	}
	if utf8.RuneCountInString(in.Description) > 500 {
		fe["description"] = "Keep the description under 500 characters."
	}
	return fe
}

// errSlugTaken is the field error for a slug another section has or had.
var errSlugTaken = news.FieldErrors{"slug": "Another section has, or had, that slug; choose another."}

// CreateSection adds a section at the end of the navigation.
func (s *Service) CreateSection(ctx context.Context, actor news.Actor, in SectionInput) (*news.Section, error) {
	if !actor.Role.Can(news.PermEditAny) {
		return nil, news.ErrForbidden
	}
	if fe := in.check(); len(fe) > 0 {
		return nil, fe
	}
	if _, err := s.store.SectionByOldSlug(ctx, in.Slug); err == nil {
		return nil, errSlugTaken
	}
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return nil, err
	}
	sec := &news.Section{Name: in.Name, Slug: in.Slug, Description: in.Description, Position: len(secs)}
	if err := s.store.CreateSection(ctx, sec); errors.Is(err, news.ErrConflict) {
		return nil, errSlugTaken
	} else if err != nil {
		return nil, err
	}
	return sec, nil
}

// UpdateSection renames section id; a new slug keeps the old address
// answering with a 301 to the new one.
func (s *Service) UpdateSection(ctx context.Context, actor news.Actor, id int64, in SectionInput) error {
	if !actor.Role.Can(news.PermEditAny) {
		return news.ErrForbidden
	}
	if fe := in.check(); len(fe) > 0 {
		return fe
	}
	err := s.store.RenameSection(ctx, &news.Section{ID: id, Name: in.Name, Slug: in.Slug, Description: in.Description})
	if errors.Is(err, news.ErrConflict) {
		return errSlugTaken
	}
	return err
}

// MoveSection moves section id one place earlier (by -1) or later (+1)
// in the navigation.
func (s *Service) MoveSection(ctx context.Context, actor news.Actor, id int64, by int) error {
	if !actor.Role.Can(news.PermEditAny) {
		return news.ErrForbidden
	}
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, len(secs))
	at := -1
	for i, sec := range secs {
		ids[i] = sec.ID
		if sec.ID == id {
			at = i
		}
	}
	if at < 0 {
		return news.ErrNotFound
	}
	to := at + by
	if to < 0 || to >= len(ids) {
		return nil // already first or last
	}
	ids[at], ids[to] = ids[to], ids[at]
	return s.store.OrderSections(ctx, ids)
}

// DeleteSection removes section id, moving its articles to section into
// (0: no section) so that none is lost; into must be another section.
func (s *Service) DeleteSection(ctx context.Context, actor news.Actor, id, into int64) error {
	if !actor.Role.Can(news.PermEditAny) {
		return news.ErrForbidden
	}
	if into == id {
		return news.FieldErrors{"into": "Move the articles to another section, or to none."}
	}
	if into != 0 {
		secs, err := s.store.Sections(ctx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(secs, func(sec news.Section) bool { return sec.ID == into }) {
			return news.FieldErrors{"into": "That section no longer exists."}
		}
	}
	return s.store.DeleteSection(ctx, id, into)
}

// SectionByOldSlug finds the section that used to be at slug, for the
// reader site to send old links on.
func (s *Service) SectionByOldSlug(ctx context.Context, slug string) (*news.Section, error) {
	return s.store.SectionByOldSlug(ctx, slug)
}

// SectionsToManage lists the sections with their counts of published
// articles, for the editors' Sections screen.
func (s *Service) SectionsToManage(ctx context.Context, actor news.Actor) ([]news.Section, map[int64]int, error) {
	if !actor.Role.Can(news.PermEditAny) {
		return nil, nil, news.ErrForbidden
	}
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return nil, nil, err
	}
	counts, err := s.store.SectionCounts(ctx)
	return secs, counts, err
}
