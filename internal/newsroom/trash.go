package newsroom

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
)

// The article trash. Moving an article to the trash takes it off the
// reader site at once (its page, listings, feeds, sitemaps and search, as
// unpublishing does) and out of the newsroom's lists; a restore within
// news.TrashDays gives it back as it was, a published article at the same
// address; after that PurgeTrash deletes it for good, with its revisions,
// history, comments, quotations and media uses.
//
// Who may: editors and administrators any article; a writer their own
// article that was never published (no reader has seen it), as a way to
// throw away a draft. Deleting for good, from the trash or at once
// (the REST API's force), is for editors and administrators.

// inTrash is the answer to changing an article that is in the trash:
// shown on the editor's form like any refusal, with what was typed kept.
func inTrash() news.FieldErrors {
	return news.FieldErrors{"status": "This article is in the trash. Restore it before changing it."}
}

// ErrNotInTrash is returned for restoring an article that is not in the
// trash.
var ErrNotInTrash = errors.New("the article is not in the trash")

// ErrAlreadyTrashed is returned for moving an article to the trash twice.
var ErrAlreadyTrashed = errors.New("the article is already in the trash")

// MayTrash reports whether actor may move a to the trash and restore it
// from there.
func (s *Service) MayTrash(actor news.Actor, a *news.Article) bool {
	if actor.Role.Can(news.PermEditAny) {
		return true
	}
	return mayEdit(actor, a) && a.Path == "" && a.PublishedAt.IsZero()
}

// MayDeleteArticle reports whether actor may delete articles for good.
func (s *Service) MayDeleteArticle(actor news.Actor) bool { return actor.Role.Can(news.PermEditAny) }

// trashedStatus is the status an article in status from has in the
// trash: none that readers see or the scheduler publishes.
func trashedStatus(from news.Status) news.Status {
	switch from {
	case news.StatusPublished:
		return news.StatusUnpublished
	case news.StatusScheduled:
		return news.StatusDraft
	}
	return from
}

// TrashArticle moves article id to the trash for actor and returns it as
// it now is. note, if any, goes into its history.
func (s *Service) TrashArticle(ctx context.Context, actor news.Actor, id int64, note string) (*news.Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.MayTrash(actor, a) {
		return a, fmt.Errorf("%w: only editors move published articles, or other people's, to the trash", news.ErrForbidden)
	}
	if a.Trash != nil {
		return a, ErrAlreadyTrashed
	}
	kind := ""
	if a.Status == news.StatusPublished {
		kind = "Delete"
	}
	err = s.federated(ctx, a.ID, kind, func(st *store.Store) error {
		return st.TrashArticle(ctx, a.ID, news.StatusChange{From: a.Status, To: trashedStatus(a.Status), Action: "trash", UserID: actor.ID, Note: strings.TrimSpace(note)})
	})
	if err != nil {
		return a, err
	}
	return s.store.Article(ctx, id)
}

// RestoreArticle takes article id out of the trash for actor, back to the
// status it had: a published article comes back published at the same
// address. A scheduled article whose time passed while it was in the
// trash comes back as a draft, to be scheduled again, rather than going
// out unannounced.
func (s *Service) RestoreArticle(ctx context.Context, actor news.Actor, id int64) (*news.Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.MayTrash(actor, a) {
		return a, fmt.Errorf("%w: only editors restore published articles, or other people's", news.ErrForbidden)
	}
	if a.Trash == nil {
		return a, ErrNotInTrash
	}
	c := news.StatusChange{From: a.Status, To: a.Trash.From, Action: "restore", UserID: actor.ID}
	if c.To == news.StatusScheduled {
		if a.Trash.PublishAt.After(s.clock.Now()) {
			c.PublishAt = a.Trash.PublishAt
		} else {
			c.To, c.Note = news.StatusDraft, "its scheduled time passed while it was in the trash"
		}
	}
	kind := ""
	if c.To == news.StatusPublished {
		kind = "Create"
	}
	if err := s.federated(ctx, id, kind, func(st *store.Store) error { return st.RestoreArticle(ctx, id, c) }); err != nil {
		return a, err
	}
	return s.store.Article(ctx, id)
}

// DeleteArticle deletes article id for good, in the trash or not (as the
// REST API's force=true does), with everything that belongs to it, and
// returns it as it was.
func (s *Service) DeleteArticle(ctx context.Context, actor news.Actor, id int64) (*news.Article, error) {
	if !s.MayDeleteArticle(actor) {
		return nil, fmt.Errorf("%w: only editors delete articles for good", news.ErrForbidden)
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Status != news.StatusPublished || a.Trash != nil || !s.Federating(ctx) {
		return a, s.store.DeleteArticle(ctx, id)
	}
	// Still public: its followers are told it is gone, in the same
	// transaction (the Delete is built from the article as it was).
	return a, s.store.Atomically(ctx, func(tx *store.Store) error {
		if err := s.queueArticleAs(ctx, tx, a, "Delete"); err != nil {
			return err
		}
		return tx.DeleteArticle(ctx, id)
	})
}

// DeleteFromTrash deletes article id for good, as DeleteArticle does, if
// it is in the trash (else ErrNotInTrash: someone restored it meanwhile).
func (s *Service) DeleteFromTrash(ctx context.Context, actor news.Actor, id int64) (*news.Article, error) {
	if !s.MayDeleteArticle(actor) {
		return nil, fmt.Errorf("%w: only editors delete articles for good", news.ErrForbidden)
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Trash == nil {
		return a, ErrNotInTrash
	}
	err = s.store.DeleteTrashedArticle(ctx, id, time.Time{})
	if errors.Is(err, news.ErrNotFound) {
		return a, ErrNotInTrash // restored since it was read
	}
	return a, err
}

// TrashedArticles lists a page of the articles in the trash, most recently
// trashed first, and counts them all: everyone's to editors, their own to
// writers.
func (s *Service) TrashedArticles(ctx context.Context, actor news.Actor, limit, offset int) ([]*news.Article, int, error) {
	return s.Articles(ctx, actor, news.AdminFilter{Trashed: true, Limit: limit, Offset: offset})
}

// PurgeTrash deletes for good every article that has been in the trash for
// news.TrashDays, and returns how many. Each goes in its own transaction;
// it is safe to run from several instances at once (an article another
// one deleted first, or someone restored meanwhile, is skipped), and what
// was due while the server was down goes at the next run.
func (s *Service) PurgeTrash(ctx context.Context) (int, error) {
	due := s.clock.Now().AddDate(0, 0, -news.TrashDays)
	ids, err := s.store.TrashedBefore(ctx, due)
	if err != nil {
		return 0, err
	}
	purged := 0
	for _, id := range ids {
		err := s.store.DeleteTrashedArticle(ctx, id, due)
		if errors.Is(err, news.ErrNotFound) {
			continue // restored or deleted since
		}
		if err != nil {
			return purged, err
		}
		purged++
	}
	return purged, nil
}
