package newsroom

import (
	"context"
	"errors"
	"fmt"
	"time"

	"masthead/internal/markup"
	"masthead/internal/news"
)

// PreviewRequest names what the newsroom's full-page preview shows: a
// stored article (ArticleID), or one not yet created (ArticleID 0; NewPage
// says whether it is a static page). Form, when set, is what the editor
// holds, unsaved; without it the article is shown as stored.
type PreviewRequest struct {
	ArticleID int64
	NewPage   bool
	Form      *news.Snapshot
}

// ReaderPreview is an article as readers will see it once published, with
// what the site's pages show around it.
type ReaderPreview struct {
	Article *news.Article // its BodyHTML rendered as the newsroom's preview renders it
	Static  bool          // a page (About, Contact …): no byline, dates or author boxes
	Unsaved bool          // shows the editor's form, not what is stored
	// LeadElsewhere: the lead image is on another site, so it is left out
	// (a reviewer's browser loads nothing from a server a writer chose).
	LeadElsewhere bool

	Site                   news.Publication
	Sections               []news.Section
	Header, Footer, Social []news.MenuLink
	Year                   int // this year where the site is, for the footer
}

// ReaderPreview builds the full-page preview of an article for actor, who
// must be allowed to open it in the editor (or, for a new one, to start
// it). Nothing is stored: tags not yet made are shown by name.
func (s *Service) ReaderPreview(ctx context.Context, actor news.Actor, req PreviewRequest) (ReaderPreview, error) {
	var p ReaderPreview
	a := &news.Article{Status: news.StatusDraft}
	switch {
	case req.ArticleID > 0:
		stored, err := s.EditableArticle(ctx, actor, req.ArticleID)
		if err != nil {
			return p, err
		}
		a = stored
		switch _, err := s.store.PageOf(ctx, a.ID); {
		case err == nil:
			p.Static = true
		case !errors.Is(err, news.ErrNotFound):
			return p, err
		}
	case req.ArticleID < 0 || req.Form == nil:
		return p, news.ErrNotFound
	case req.NewPage && !actor.Role.Can(news.PermEditAny):
		return p, ErrPagesForEditors
	case !actor.Role.Can(news.PermWriteOwn):
		return p, news.ErrForbidden
	default:
		p.Static = req.NewPage
	}
	if req.Form != nil {
		p.Unsaved = true
		if err := s.apply(ctx, a, *req.Form, s.tagToShow); err != nil {
			return p, err
		}
	}
	h, text, err := s.markup.WithLibrary(s.libraryImage(ctx)).PreviewText(a.Body)
	if err != nil {
		return p, fmt.Errorf("preview %d: %w", a.ID, err)
	}
	a.BodyHTML, a.BodyText, a.WordCount = h, text, news.CountWords(text)
	if a.LeadImage != nil && !markup.OnThisSite(a.LeadImage.URL) {
		a.LeadImage, p.LeadElsewhere = nil, true
	}
	for i := range a.Authors {
		if !markup.OnThisSite(a.Authors[i].PhotoURL) {
			a.Authors[i].PhotoURL = "" // their initials instead, as for no photo
		}
	}
	if !a.IsPublic() {
		// Dated as if published now, or when it is scheduled to be.
		a.PublishedAt = s.Now()
		if a.Status == news.StatusScheduled && !a.PublishAt.IsZero() {
			a.PublishedAt = a.PublishAt
		}
		a.UpdatedAt = time.Time{}
	}
	if err := s.previewSite(ctx, &p); err != nil {
		return p, err
	}
	p.Article = a
	return p, nil
}

// tagToShow is the tag named name if it exists, else one as it would be
// made, without making it.
func (s *Service) tagToShow(ctx context.Context, name string) (news.Tag, error) {
	t, err := s.store.TagBySlug(ctx, news.Slugify(name))
	if errors.Is(err, news.ErrNotFound) {
		return news.Tag{Name: name, Slug: news.Slugify(name)}, nil
	}
	if err != nil {
		return news.Tag{}, err
	}
	return *t, nil
}

// previewSite fills in what the reader site's pages show around an
// article: its name and settings, sections, menus and profiles elsewhere.
func (s *Service) previewSite(ctx context.Context, p *ReaderPreview) error {
	pub, err := s.store.Publication(ctx)
	if err != nil {
		return err
	}
	sections, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	menus, err := s.store.Menus(ctx)
	if err != nil {
		return err
	}
	if !markup.OnThisSite(pub.LogoURL) {
		pub.LogoURL = "" // the name instead, as for no logo
	}
	if !markup.OnThisSite(pub.IconURL) {
		pub.IconURL = ""
	}
	p.Site, p.Sections = pub, sections
	p.Header, p.Footer = menus.Links(sections)
	p.Social = news.ProfileLinks(pub.Social)
	p.Year = s.Now().In(s.LocationOf(pub)).Year()
	return nil
}
