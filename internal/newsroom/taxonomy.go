package newsroom

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"masthead/internal/news"
	"masthead/internal/store"
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

// TakenError refuses a section's or tag's slug that another has, or had:
// ID is that section or tag, which SameName says is called the same (the
// REST API tells a client it exists). It unwraps to the form's field error.
type TakenError struct {
	ID       int64
	SameName bool
	fields   news.FieldErrors
}

func (e *TakenError) Error() string { return e.fields.Error() }
func (e *TakenError) Unwrap() error { return e.fields }

// sectionTaken is the TakenError for a section named name at slug.
func (s *Service) sectionTaken(ctx context.Context, name, slug string) error {
	te := &TakenError{fields: errSlugTaken}
	sec, err := s.store.SectionBySlug(ctx, slug)
	if errors.Is(err, news.ErrNotFound) {
		sec, err = s.store.SectionByOldSlug(ctx, slug)
	}
	if err == nil {
		te.ID, te.SameName = sec.ID, strings.EqualFold(sec.Name, name)
	}
	return te
}

// CreateSection adds a section at the end of the navigation.
func (s *Service) CreateSection(ctx context.Context, actor news.Actor, in SectionInput) (*news.Section, error) {
	if !actor.Role.Can(news.PermEditAny) {
		return nil, news.ErrForbidden
	}
	if fe := in.check(); len(fe) > 0 {
		return nil, fe
	}
	if _, err := s.store.SectionByOldSlug(ctx, in.Slug); err == nil {
		return nil, s.sectionTaken(ctx, in.Name, in.Slug)
	}
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return nil, err
	}
	sec := &news.Section{Name: in.Name, Slug: in.Slug, Description: in.Description, Position: len(secs)}
	if err := s.store.CreateSection(ctx, sec); errors.Is(err, news.ErrConflict) {
		return nil, s.sectionTaken(ctx, in.Name, in.Slug)
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
		return s.sectionTaken(ctx, in.Name, in.Slug)
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

// MergeSection merges section id into section into: every article of id
// moves to into, id's address (and every address it had, and its feeds)
// answers with a 301 to into's, and id is removed — all at once.
func (s *Service) MergeSection(ctx context.Context, actor news.Actor, id, into int64) error {
	if !actor.Role.Can(news.PermEditAny) {
		return news.ErrForbidden
	}
	if into == 0 || into == id {
		return news.FieldErrors{"merge_into": "Choose another section to merge it into."}
	}
	err := s.store.MergeSection(ctx, id, into)
	if errors.Is(err, news.ErrNotFound) {
		secs, lerr := s.store.Sections(ctx)
		if lerr != nil {
			return lerr
		}
		if slices.ContainsFunc(secs, func(sec news.Section) bool { return sec.ID == id }) {
			return news.FieldErrors{"merge_into": "That section no longer exists."}
		}
	}
	return err
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

// Tags: writers make them as they tag their articles (and through the
// REST API, as WordPress lets anyone who writes create tags); editors and
// administrators — who manage sections — rename, merge and delete them.

// TagInput is a tag as an editor gives it.
type TagInput struct {
	Name, Slug string
}

// check tidies in and says what is wrong with it; the slug is made from
// the name when empty.
func (in *TagInput) check() news.FieldErrors {
	in.Name, in.Slug = strings.Join(strings.Fields(in.Name), " "), strings.TrimSpace(in.Slug)
	if in.Slug == "" {
		in.Slug = news.Slugify(in.Name)
	}
	fe := news.FieldErrors{}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		fe["name"] = "Name the tag (up to 200 characters)."
	}
	if !news.ValidSlug(in.Slug) || len(in.Slug) > 200 {
		fe["slug"] = "A slug may contain only lowercase letters, digits and single hyphens (up to 200)."
	}
	return fe
}

// tagTaken is the TakenError for a tag named name at slug.
func (s *Service) tagTaken(ctx context.Context, name, slug string) error {
	te := &TakenError{fields: news.FieldErrors{"slug": "Another tag has, or had, that slug; choose another, or merge the two."}}
	t, err := s.store.TagBySlug(ctx, slug)
	if errors.Is(err, news.ErrNotFound) {
		t, err = s.store.TagByOldSlug(ctx, slug)
	}
	if err == nil {
		te.ID, te.SameName = t.ID, strings.EqualFold(t.Name, name)
	}
	return te
}

// TagsToManage lists the tags whose name or slug contains text, by name
// or most used first, with their counts, and how many match in all.
func (s *Service) TagsToManage(ctx context.Context, actor news.Actor, text string, byUse bool, limit, offset int) ([]news.Tag, int, error) {
	if !actor.Role.Can(news.PermEditAny) {
		return nil, 0, news.ErrForbidden
	}
	return s.store.ManagedTags(ctx, store.TagQuery{Text: strings.TrimSpace(text), ByUse: byUse, Limit: limit, Offset: offset})
}

// TagToManage is one tag, with its counts, for editors.
func (s *Service) TagToManage(ctx context.Context, actor news.Actor, id int64) (*news.Tag, error) {
	if !actor.Role.Can(news.PermEditAny) {
		return nil, news.ErrForbidden
	}
	return s.store.TagByID(ctx, id)
}

// CreateTag adds a tag; anyone who writes may.
func (s *Service) CreateTag(ctx context.Context, actor news.Actor, in TagInput) (*news.Tag, error) {
	if !actor.Role.Can(news.PermWriteOwn) {
		return nil, news.ErrForbidden
	}
	if fe := in.check(); len(fe) > 0 {
		return nil, fe
	}
	if _, err := s.store.TagByOldSlug(ctx, in.Slug); err == nil {
		return nil, s.tagTaken(ctx, in.Name, in.Slug)
	}
	t := &news.Tag{Name: in.Name, Slug: in.Slug}
	if err := s.store.CreateTag(ctx, t); errors.Is(err, news.ErrConflict) {
		return nil, s.tagTaken(ctx, in.Name, in.Slug)
	} else if err != nil {
		return nil, err
	}
	return t, nil
}

// UpdateTag renames tag id; a new slug keeps the old address answering
// with a 301 to the new one.
func (s *Service) UpdateTag(ctx context.Context, actor news.Actor, id int64, in TagInput) (*news.Tag, error) {
	if !actor.Role.Can(news.PermEditAny) {
		return nil, news.ErrForbidden
	}
	if fe := in.check(); len(fe) > 0 {
		return nil, fe
	}
	t := &news.Tag{ID: id, Name: in.Name, Slug: in.Slug}
	err := s.store.RenameTag(ctx, t)
	if errors.Is(err, news.ErrConflict) {
		return nil, s.tagTaken(ctx, in.Name, in.Slug)
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

// MergeTag merges tag id into the tag named (or slugged) into: its
// articles get that tag instead (once), its address answers with a 301 to
// the other's, and it is removed. Typing its name later gets the other
// tag. It returns the tag merged into.
func (s *Service) MergeTag(ctx context.Context, actor news.Actor, id int64, into string) (*news.Tag, error) {
	if !actor.Role.Can(news.PermEditAny) {
		return nil, news.ErrForbidden
	}
	into = strings.TrimSpace(into)
	if into == "" {
		return nil, news.FieldErrors{"merge_into": "Name the tag to merge it into."}
	}
	target, err := s.store.TagBySlug(ctx, into)
	if errors.Is(err, news.ErrNotFound) {
		target, err = s.store.TagBySlug(ctx, news.Slugify(into))
	}
	if errors.Is(err, news.ErrNotFound) {
		target, err = s.store.TagByOldSlug(ctx, news.Slugify(into))
	}
	if errors.Is(err, news.ErrNotFound) {
		return nil, news.FieldErrors{"merge_into": "There is no tag “" + into + "”."}
	}
	if err != nil {
		return nil, err
	}
	if target.ID == id {
		return nil, news.FieldErrors{"merge_into": "That is this tag; name another."}
	}
	return target, s.store.MergeTag(ctx, id, target.ID)
}

// DeleteTag removes tag id from every article, and the tag.
func (s *Service) DeleteTag(ctx context.Context, actor news.Actor, id int64) error {
	if !actor.Role.Can(news.PermEditAny) {
		return news.ErrForbidden
	}
	return s.store.DeleteTag(ctx, id)
}

// TagByOldSlug finds the tag that used to be at slug (renamed, or merged
// into it), for the reader site to send old links on.
func (s *Service) TagByOldSlug(ctx context.Context, slug string) (*news.Tag, error) {
	return s.store.TagByOldSlug(ctx, slug)
}
