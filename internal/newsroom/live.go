package newsroom

// Live blogs: an article made live gains entries, posted, edited and taken
// down by whoever may edit the article; editors start and close the
// coverage. Readers are pushed every change (package web follows
// store.LiveChangesSince).

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"masthead/internal/news"
)

// LiveDesk is a live blog as the newsroom works on it.
type LiveDesk struct {
	Article  *news.Article
	Blog     *news.LiveBlog    // nil when the article was never live
	Entries  []*news.LiveEntry // newest first, pinned ones included; deleted ones left out
	Deleted  []*news.LiveEntry // taken down, the latest first; their history stays
	MayPost  bool              // post, edit and delete entries
	MayStart bool              // make the article live (again)
	MayClose bool              // end the coverage
	Staff    []news.Staff      // who an entry may name as its authors
}

// deskEntries is how many entries the newsroom's live screen lists.
const deskEntries = 200

// LiveDesk returns article id's live blog for actor, who must be able to
// open the article.
func (s *Service) LiveDesk(ctx context.Context, actor news.Actor, id int64) (*LiveDesk, error) {
	a, err := s.EditableArticle(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	d := &LiveDesk{Article: a}
	if d.Blog, err = s.liveBlog(ctx, id); err != nil {
		return nil, err
	}
	editor := actor.Role.Can(news.PermEditAny)
	d.MayStart = editor && !d.Blog.Live()
	d.MayClose = editor && d.Blog.Live()
	d.MayPost = d.Blog.Live() && mayEdit(actor, a)
	if d.Staff, err = s.store.Staff(ctx); err != nil {
		return nil, err
	}
	if d.Blog != nil {
		pinned, err := s.store.LiveEntries(ctx, id, 0, true, deskEntries)
		if err != nil {
			return nil, err
		}
		rest, err := s.store.LiveEntries(ctx, id, 0, false, deskEntries)
		if err != nil {
			return nil, err
		}
		d.Entries = append(pinned, rest...)
		if d.Deleted, err = s.store.DeletedLiveEntries(ctx, id, deskEntries); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// LiveHistory is an entry and every version of it.
type LiveHistory struct {
	Article   *news.Article
	Entry     *news.LiveEntry // as it stands, deleted or not
	Revisions []news.LiveRevision
}

// LiveEntryHistory returns an entry's history, deleted entries included,
// for anyone who may open its article.
func (s *Service) LiveEntryHistory(ctx context.Context, actor news.Actor, entryID int64) (*LiveHistory, error) {
	e, err := s.store.LiveEntry(ctx, entryID)
	if err != nil {
		return nil, err
	}
	a, err := s.EditableArticle(ctx, actor, e.ArticleID)
	if err != nil {
		return nil, err
	}
	revs, err := s.store.LiveEntryRevisions(ctx, entryID)
	if err != nil {
		return nil, err
	}
	return &LiveHistory{Article: a, Entry: e, Revisions: revs}, nil
}

// liveBlog is article id's live blog, nil when it was never made live.
func (s *Service) liveBlog(ctx context.Context, id int64) (*news.LiveBlog, error) {
	b, err := s.store.LiveBlog(ctx, id)
	if errors.Is(err, news.ErrNotFound) {
		return nil, nil
	}
	return b, err
}

// StartLive makes an article live, or live again: editors only.
func (s *Service) StartLive(ctx context.Context, actor news.Actor, id int64) error {
	if !actor.Role.Can(news.PermEditAny) {
		return fmt.Errorf("%w: only editors start live coverage", news.ErrForbidden)
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return err
	}
	if _, err := s.store.PageOf(ctx, a.ID); err == nil {
		return news.FieldErrors{"live": "A static page cannot be a live blog."}
	}
	return s.store.StartLiveBlog(ctx, id, s.clock.Now())
}

// CloseLive ends a live blog's coverage: the article keeps its entries and
// its readers' streams end. Editors only.
func (s *Service) CloseLive(ctx context.Context, actor news.Actor, id int64) error {
	if !actor.Role.Can(news.PermEditAny) {
		return fmt.Errorf("%w: only editors close live coverage", news.ErrForbidden)
	}
	b, err := s.liveBlog(ctx, id)
	if err != nil {
		return err
	}
	if !b.Live() {
		return news.FieldErrors{"live": "This article is not live."}
	}
	return s.store.CloseLiveBlog(ctx, id)
}

// PostLiveEntry adds an entry to a live blog, as actor.
func (s *Service) PostLiveEntry(ctx context.Context, actor news.Actor, articleID int64, in news.LiveEntryInput) (*news.LiveEntry, error) {
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if !mayEdit(actor, a) {
		return nil, fmt.Errorf("%w: you may not edit this article", news.ErrForbidden)
	}
	b, err := s.liveBlog(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if !b.Live() {
		return nil, news.FieldErrors{"body": "This article is not live: entries can no longer be posted."}
	}
	e := &news.LiveEntry{ArticleID: articleID, CreatedAt: s.clock.Now()}
	if len(in.AuthorIDs) == 0 {
		in.AuthorIDs = []int64{actor.ID} // by the one posting it
	}
	if err := s.fillLiveEntry(ctx, e, in); err != nil {
		return nil, err
	}
	if err := s.store.AddLiveEntry(ctx, e, actor.ID); err != nil {
		return nil, err
	}
	return e, nil
}

// EditLiveEntry changes an entry. A change of its words marks it updated
// for readers; pinning it or marking it a key event does not.
func (s *Service) EditLiveEntry(ctx context.Context, actor news.Actor, entryID int64, in news.LiveEntryInput) (*news.LiveEntry, error) {
	e, err := s.entryToChange(ctx, actor, entryID)
	if err != nil {
		return nil, err
	}
	headline, body := e.Headline, e.Body
	if err := s.fillLiveEntry(ctx, e, in); err != nil {
		return e, err
	}
	if e.Headline != headline || e.Body != body {
		e.UpdatedAt = s.clock.Now()
	}
	return e, s.store.UpdateLiveEntry(ctx, e, actor.ID)
}

// DeleteLiveEntry takes an entry down: readers no longer see it, the
// newsroom's history keeps it.
func (s *Service) DeleteLiveEntry(ctx context.Context, actor news.Actor, entryID int64) error {
	e, err := s.entryToChange(ctx, actor, entryID)
	if err != nil {
		return err
	}
	e.DeletedAt = s.clock.Now()
	return s.store.UpdateLiveEntry(ctx, e, actor.ID)
}

// LiveEntry returns an entry actor may change, for its edit form.
func (s *Service) LiveEntry(ctx context.Context, actor news.Actor, entryID int64) (*news.LiveEntry, error) {
	return s.entryToChange(ctx, actor, entryID)
}

func (s *Service) entryToChange(ctx context.Context, actor news.Actor, entryID int64) (*news.LiveEntry, error) {
	e, err := s.store.LiveEntry(ctx, entryID)
	if err != nil {
		return nil, err
	}
	if e.Deleted() {
		return nil, news.ErrNotFound
	}
	a, err := s.store.Article(ctx, e.ArticleID)
	if err != nil {
		return nil, err
	}
	if !mayEdit(actor, a) {
		return nil, fmt.Errorf("%w: you may not edit this article", news.ErrForbidden)
	}
	return e, nil
}

// liveAuthorsMax is how many authors one entry may name.
const liveAuthorsMax = 10

// fillLiveEntry checks what was written and renders it into e, sanitised
// as an article's body is.
func (s *Service) fillLiveEntry(ctx context.Context, e *news.LiveEntry, in news.LiveEntryInput) error {
	in.Headline = strings.Join(strings.Fields(in.Headline), " ")
	in.Body = strings.TrimSpace(in.Body)
	fe := news.FieldErrors{}
	if in.Body == "" {
		fe["body"] = "Write the update."
	} else if len([]rune(in.Body)) > news.LiveBodyMax {
		fe["body"] = fmt.Sprintf("An entry may be at most %d characters long.", news.LiveBodyMax)
	}
	if len([]rune(in.Headline)) > news.LiveHeadlineMax {
		fe["headline"] = fmt.Sprintf("A headline may be at most %d characters long.", news.LiveHeadlineMax)
	}
	e.Headline, e.Body, e.KeyEvent, e.Pinned = in.Headline, in.Body, in.KeyEvent, in.Pinned
	// The byline: as chosen, or as it was when nothing is (a pin or a
	// key-event mark sends no authors).
	if len(in.AuthorIDs) > liveAuthorsMax {
		fe["authors"] = fmt.Sprintf("An entry may name at most %d authors.", liveAuthorsMax)
	} else if len(in.AuthorIDs) > 0 {
		var authors []news.Staff
		for _, id := range in.AuthorIDs {
			if slices.ContainsFunc(authors, func(a news.Staff) bool { return a.ID == id }) {
				continue
			}
			a, err := s.store.StaffByID(ctx, id)
			if errors.Is(err, news.ErrNotFound) {
				fe["authors"] = "Choose the authors from the newsroom's staff."
				break
			}
			if err != nil {
				return err
			}
			authors = append(authors, *a)
		}
		e.Authors = authors
	}
	if len(fe) > 0 {
		return fe
	}
	h, _, err := s.markup.WithLibrary(s.libraryImage(ctx)).Article(in.Body)
	if err != nil {
		return fmt.Errorf("render live entry: %w", err)
	}
	e.BodyHTML = h
	return nil
}

// SeedEntry is an entry of a live blog written at a given time, for the
// demo newsroom.
type SeedEntry struct {
	Input    news.LiveEntryInput
	AuthorID int64
	At       time.Time
}

// SeedLiveBlog makes article id a live blog started at started, with
// entries as given: for loading the demo newsroom, with no one acting.
func (s *Service) SeedLiveBlog(ctx context.Context, id int64, started time.Time, entries []SeedEntry) error {
	if err := s.store.StartLiveBlog(ctx, id, started); err != nil {
		return err
	}
	for _, se := range entries {
		e := &news.LiveEntry{ArticleID: id, CreatedAt: se.At}
		if err := s.fillLiveEntry(ctx, e, se.Input); err != nil {
			return fmt.Errorf("live entry of %s: %w", se.At, err)
		}
		if err := s.store.AddLiveEntry(ctx, e, se.AuthorID); err != nil {
			return err
		}
	}
	return nil
}
