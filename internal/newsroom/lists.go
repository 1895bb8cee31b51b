package newsroom

import (
	"context"
	"errors"
	"time"

	"masthead/internal/media"
	"masthead/internal/news"
)

// What the newsroom's screens and the REST API list, and what each member
// of staff may see of it.

// Dashboard is the newsroom's front page for one member of staff.
type Dashboard struct {
	Counts                                 map[news.Status]int
	MyDrafts, Review, Scheduled, Published []*news.Article
	Returned                               map[int64]news.Event // of MyDrafts, those an editor sent back (and why), by article
	PendingComments                        int                  // for those who moderate
}

// Dashboard gathers actor's dashboard: their drafts (marking those an
// editor returned), the articles in review, scheduled and lately
// published, the counts of each status, and the comments waiting for
// moderators. Editors see the whole newsroom's; writers see their own
// work only (and everyone's published stories), so a colleague's
// embargoed story does not show on their dashboard.
func (s *Service) Dashboard(ctx context.Context, actor news.Actor) (*Dashboard, error) {
	var owner int64
	if !actor.Role.Can(news.PermEditAny) {
		owner = actor.ID
	}
	d := &Dashboard{}
	var err error
	if owner == 0 {
		d.Counts, err = s.store.CountByStatus(ctx)
	} else {
		d.Counts, err = s.ownCounts(ctx, owner)
	}
	if err != nil {
		return nil, err
	}
	lists := []struct {
		dst *[]*news.Article
		f   news.AdminFilter
	}{
		{&d.MyDrafts, news.AdminFilter{Status: news.StatusDraft, AuthorID: actor.ID, Limit: 10}},
		{&d.Review, news.AdminFilter{Status: news.StatusReview, AuthorID: owner, Limit: 10}},
		{&d.Scheduled, news.AdminFilter{Status: news.StatusScheduled, AuthorID: owner, Limit: 10}},
		{&d.Published, news.AdminFilter{Status: news.StatusPublished, Limit: 10}},
	}
	for _, l := range lists {
		if *l.dst, err = s.store.AdminArticles(ctx, l.f); err != nil {
			return nil, err
		}
	}
	ids := make([]int64, len(d.MyDrafts))
	for i, a := range d.MyDrafts {
		ids[i] = a.ID
	}
	last, err := s.store.LastEvents(ctx, ids)
	if err != nil {
		return nil, err
	}
	d.Returned = map[int64]news.Event{}
	for id, e := range last {
		if e.Action == string(news.ActionReturn) {
			d.Returned[id] = e
		}
	}
	if actor.Role.Can(news.PermModerate) {
		counts, err := s.store.CountCommentsByStatus(ctx)
		if err != nil {
			return nil, err
		}
		d.PendingComments = counts[news.CommentPending]
	}
	return d, nil
}

// Waiting is what waits on a member of staff, for the newsroom's menu:
// the articles in review, for editors; the comments awaiting moderation,
// for moderators.
type Waiting struct{ Review, Comments int }

// Waiting counts what waits on actor.
func (s *Service) Waiting(ctx context.Context, actor news.Actor) (Waiting, error) {
	can := s.Abilities(actor)
	if !can.EditAny && !can.Moderate {
		return Waiting{}, nil
	}
	review, comments, err := s.store.CountWaiting(ctx)
	if err != nil {
		return Waiting{}, err
	}
	var w Waiting
	if can.EditAny {
		w.Review = review
	}
	if can.Moderate {
		w.Comments = comments
	}
	return w, nil
}

// ownCounts counts a writer's articles by status.
func (s *Service) ownCounts(ctx context.Context, owner int64) (map[news.Status]int, error) {
	counts := map[news.Status]int{}
	for _, st := range []news.Status{news.StatusDraft, news.StatusReview, news.StatusScheduled, news.StatusPublished, news.StatusUnpublished} {
		n, err := s.store.CountAdminArticles(ctx, news.AdminFilter{Status: st, AuthorID: owner})
		if err != nil {
			return nil, err
		}
		counts[st] = n
	}
	return counts, nil
}

// Articles lists the articles f selects and counts them all; writers
// (who may not edit everyone's work) see only their own.
func (s *Service) Articles(ctx context.Context, actor news.Actor, f news.AdminFilter) ([]*news.Article, int, error) {
	if !actor.Role.Can(news.PermEditAny) {
		f.AuthorID = actor.ID
	}
	total, err := s.store.CountAdminArticles(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	// A page past the end (its articles just moved to another status)
	// shows the last page rather than nothing.
	if f.Limit > 0 && f.Offset >= total {
		f.Offset = max(0, (total-1)/f.Limit*f.Limit)
	}
	list, err := s.store.AdminArticles(ctx, f)
	return list, total, err
}

// APIArticles lists articles for the REST API. Published articles are
// for anyone; asking for other statuses, or the trash, needs a member of
// staff (viewer non-nil, else ErrForbidden), and shows writers their own
// work only.
func (s *Service) APIArticles(ctx context.Context, viewer *news.Staff, f news.APIFilter) ([]*news.Article, int, error) {
	if f.Trashed || len(f.Statuses) > 0 && !(len(f.Statuses) == 1 && f.Statuses[0] == news.StatusPublished) {
		if viewer == nil {
			return nil, 0, news.ErrForbidden
		}
		if !viewer.Role.Can(news.PermEditAny) {
			f.OwnerID = viewer.ID
		}
	}
	return s.store.APIArticles(ctx, f)
}

// MayView reports whether viewer (nil: anonymous) may see a: anyone a
// public article, its writers and editors the rest.
func (s *Service) MayView(viewer *news.Staff, a *news.Article) bool {
	return a.IsPublic() || (viewer != nil && mayEdit(news.Actor{ID: viewer.ID, Role: viewer.Role}, a))
}

// APIArticle returns post or page id (pages says which the client asked
// for) as viewer (nil: anonymous) may see it: news.ErrNotFound when there
// is no such post, or it is the other kind; news.ErrForbidden when viewer
// may not see it. The page is nil for a post.
func (s *Service) APIArticle(ctx context.Context, viewer *news.Staff, id int64, pages bool) (*news.Article, *news.Page, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	pg, err := s.store.PageOf(ctx, id)
	isPage := err == nil
	if err != nil && !errors.Is(err, news.ErrNotFound) {
		return nil, nil, err
	}
	if isPage != pages {
		return nil, nil, news.ErrNotFound
	}
	if !s.MayView(viewer, a) {
		return nil, nil, news.ErrForbidden
	}
	if !isPage {
		return a, nil, nil
	}
	return a, &pg, nil
}

// PublicArticle returns article id if readers may see it, else
// news.ErrNotFound.
func (s *Service) PublicArticle(ctx context.Context, id int64) (*news.Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.IsPublic() {
		return nil, news.ErrNotFound
	}
	return a, nil
}

// History lists the workflow events of an article actor may open.
func (s *Service) History(ctx context.Context, actor news.Actor, id int64) ([]news.Event, error) {
	if _, err := s.EditableArticle(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.store.ArticleEvents(ctx, id)
}

// Revisions lists the saved versions of an article actor may open, newest
// first.
func (s *Service) Revisions(ctx context.Context, actor news.Actor, id int64) ([]news.Revision, error) {
	if _, err := s.EditableArticle(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.store.Revisions(ctx, id)
}

// Revision returns one saved version of an article actor may open.
func (s *Service) Revision(ctx context.Context, actor news.Actor, id, revisionID int64) (news.Revision, error) {
	if _, err := s.EditableArticle(ctx, actor, id); err != nil {
		return news.Revision{}, err
	}
	return s.store.Revision(ctx, id, revisionID)
}

// ArticleQuotes lists the quotations of an article actor may open, in text
// order, dismissed ones included: the editor's Quotes panel.
func (s *Service) ArticleQuotes(ctx context.Context, actor news.Actor, id int64) ([]news.Quote, error) {
	if _, err := s.EditableArticle(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.store.ArticleQuotes(ctx, id)
}

// BylineChoices lists the staff a byline may name, for the editor's menus.
// Every member of staff sees it: bylines are public, and the service
// decides which of them a writer may use (checkBylines).
func (s *Service) BylineChoices(ctx context.Context) ([]news.Staff, error) {
	return s.store.Staff(ctx)
}

// EditableArticle returns article id for actor to edit: ErrNotFound when
// there is none, ErrForbidden when it is not theirs to open.
func (s *Service) EditableArticle(ctx context.Context, actor news.Actor, id int64) (*news.Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.MayOpen(actor, a) {
		return nil, news.ErrForbidden
	}
	return a, nil
}

// MayOpen reports whether actor may open a in the editor (and its
// revisions): editors any article, writers their own. Lists use it to link
// only to what will open.
func (s *Service) MayOpen(actor news.Actor, a *news.Article) bool {
	return actor.Role.Can(news.PermEditAny) || a.OwnedBy(actor.ID)
}

// ArticleToChange returns article id if actor may change it (its text,
// its lead image), else ErrForbidden.
func (s *Service) ArticleToChange(ctx context.Context, actor news.Actor, id int64) (*news.Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayEdit(actor, a) {
		return nil, news.ErrForbidden
	}
	if a.Trash != nil {
		return a, inTrash()
	}
	return a, nil
}

// UseAsLead puts image it into actor's working copy of article articleID
// (0: a new article) — their autosave when it is newer than the article,
// else the article — for the editor to open, check and save.
func (s *Service) UseAsLead(ctx context.Context, actor news.Actor, articleID int64, it *media.Item) error {
	snap, err := s.NewSnapshot(ctx, actor)
	if err != nil {
		return err
	}
	var since time.Time
	if articleID > 0 {
		a, err := s.ArticleToChange(ctx, actor, articleID)
		if err != nil {
			return err
		}
		snap, since = a.Snapshot(), a.ModifiedAt
	}
	saved, at, ok, err := s.store.Autosave(ctx, actor.ID, articleID)
	if err != nil {
		return err
	}
	if ok && at.After(since) {
		snap = saved
	}
	snap.ImageURL, snap.ImageAlt, snap.ImageCaption, snap.ImageCredit = it.LeadURL(), it.Alt, it.Caption, it.Credit
	return s.store.PutAutosave(ctx, actor.ID, articleID, snap)
}

// Autosave keeps the editor's state for actor: of article articleID, or
// of a new article when it is 0. It returns the colleagues changing the
// same article meanwhile (OthersEditing).
func (s *Service) Autosave(ctx context.Context, actor news.Actor, articleID int64, snap news.Snapshot) ([]news.UnsavedEdit, error) {
	if articleID < 0 && articleID != NewPageDraft {
		return nil, news.ErrNotFound
	}
	if articleID > 0 {
		a, err := s.store.Article(ctx, articleID)
		if err != nil {
			return nil, err
		}
		if !mayEdit(actor, a) {
			return nil, news.ErrForbidden
		}
	}
	if err := s.store.PutAutosave(ctx, actor.ID, articleID, snap); err != nil {
		return nil, err
	}
	return s.othersEditing(ctx, actor, articleID)
}

// editingLately is how recently a colleague's unsaved changes must have
// been kept for the editor to say they are changing the article: the
// editor keeps them every few seconds while they type.
const editingLately = 15 * time.Minute

// OthersEditing lists the colleagues changing article a who have not
// saved, and whose changes were kept lately, newest first: whichever of
// them saves second will be asked to compare (ErrStale), so the editor
// says so before anyone does.
func (s *Service) OthersEditing(ctx context.Context, actor news.Actor, a *news.Article) ([]news.UnsavedEdit, error) {
	if !s.MayOpen(actor, a) {
		return nil, news.ErrForbidden
	}
	return s.othersEditing(ctx, actor, a.ID)
}

func (s *Service) othersEditing(ctx context.Context, actor news.Actor, id int64) ([]news.UnsavedEdit, error) {
	if id <= 0 {
		return nil, nil // a new article's kept text is its writer's alone
	}
	all, err := s.store.OthersAutosaves(ctx, id, actor.ID)
	if err != nil {
		return nil, err
	}
	since := s.Now().Add(-editingLately)
	lately := all[:0]
	for _, e := range all {
		if e.SavedAt.After(since) {
			lately = append(lately, e)
		}
	}
	return lately, nil
}

// NewPageDraft is the autosave slot of a page not yet created, as 0 is a
// new article's: the two editors keep their unsaved text apart.
const NewPageDraft int64 = -1

// Autosaved returns actor's autosaved editor state of article articleID
// (0: a new article; NewPageDraft: a new page), and when it was saved; ok is false when there is none.
func (s *Service) Autosaved(ctx context.Context, actor news.Actor, articleID int64) (snap news.Snapshot, at time.Time, ok bool, err error) {
	return s.store.Autosave(ctx, actor.ID, articleID)
}
