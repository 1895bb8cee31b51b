package newsroom

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"masthead/internal/markup"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/store"
)

// Prepare fills in what is derived from what the journalist wrote: the slug
// (from the headline when empty), the rendered body, its plain text, the
// word count and the quotations in it (stored with the article, where the
// newsroom's decisions about them are applied). A media-library image in
// the body is shown with the library's credit and variants as they are now.
func (s *Service) Prepare(ctx context.Context, a *news.Article) error {
	if err := s.Render(ctx, a); err != nil {
		return err
	}
	a.Quotes = ExtractQuotes(a.BodyText)
	return nil
}

// Render is Prepare without looking for quotations, for a loader that
// stores none (store.BulkArticle without History: a synthetic archive,
// where finding them was a seventh of the seed's CPU for nothing).
func (s *Service) Render(ctx context.Context, a *news.Article) error {
	a.Headline = strings.TrimSpace(a.Headline)
	if a.Slug == "" {
		a.Slug = news.Slugify(a.Headline)
	}
	if !news.ValidSlug(a.Slug) {
		return news.FieldErrors{"slug": "A slug may contain only lowercase letters, digits and single hyphens."}
	}
	h, text, err := s.markup.WithLibrary(s.libraryImage(ctx)).Article(a.Body)
	if err != nil {
		return fmt.Errorf("render article %q: %w", a.Slug, err)
	}
	a.BodyHTML, a.BodyText, a.WordCount = h, text, news.CountWords(text)
	return nil
}

// libraryImage looks the images of a body up in the media library, by the
// hash their address carries, for the renderer; nil without a store.
func (s *Service) libraryImage(ctx context.Context) markup.Library {
	if s.store == nil {
		return nil
	}
	return func(url string) (*markup.LibraryImage, error) {
		hash := media.HashOf(url)
		if hash == "" {
			return nil, nil
		}
		it, err := s.store.MediaByHash(ctx, hash)
		if errors.Is(err, news.ErrNotFound) {
			return nil, nil // an address that looks like the library's, of nothing in it
		}
		if err != nil {
			return nil, err
		}
		img := &markup.LibraryImage{Alt: it.Alt, Credit: it.Credit, Width: it.Width, Height: it.Height}
		if p := media.PictureOf(it.LeadURL()); p.Width > 0 {
			img.Srcset, img.AVIF, img.WebP, img.Width, img.Height = p.Srcset, p.AVIF, p.WebP, p.Width, p.Height
		}
		return img, nil
	}
}

// CreatePublished stores a new published article, giving it the first free
// dated path for its slug (slug, slug-2, slug-3 … on the same day).
func (s *Service) CreatePublished(ctx context.Context, a *news.Article) error {
	if err := s.Prepare(ctx, a); err != nil {
		return err
	}
	a.Status = news.StatusPublished
	if a.PublishedAt.IsZero() {
		a.PublishedAt = s.clock.Now()
	}
	if a.ModifiedAt.IsZero() {
		a.ModifiedAt = a.LastModified()
	}
	loc, err := s.Location(ctx)
	if err != nil {
		return err
	}
	base := a.Slug
	for n := 1; ; n++ {
		if n > 1 {
			a.Slug = news.SlugWithSuffix(base, n)
		}
		a.Path = news.ArticlePath(a.PublishedAt, loc, a.Slug)
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

// apply copies an editor's snapshot onto an article, resolving the section,
// bylines (by id) and tags (by name, with tag: store.EnsureTag creates them
// on the fly, a preview's only looks).
func (s *Service) apply(ctx context.Context, a *news.Article, snap news.Snapshot, tag func(context.Context, string) (news.Tag, error)) error {
	a.Headline, a.Slug, a.Standfirst, a.Body = strings.TrimSpace(snap.Headline), strings.TrimSpace(snap.Slug), strings.TrimSpace(snap.Standfirst), snap.Body
	a.SEOTitle, a.SEODescription = strings.TrimSpace(snap.SEOTitle), strings.TrimSpace(snap.SEODescription)
	a.CommentsOpen, a.Featured = snap.CommentsOpen, snap.Featured
	a.Section = nil
	if snap.SectionID != 0 {
		secs, err := s.store.Sections(ctx)
		if err != nil {
			return err
		}
		for i := range secs {
			if secs[i].ID == snap.SectionID {
				a.Section = &secs[i]
			}
		}
	}
	a.Authors = a.Authors[:0]
	for _, id := range snap.AuthorIDs {
		u, err := s.store.StaffByID(ctx, id)
		if errors.Is(err, news.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		a.Authors = append(a.Authors, *u)
	}
	a.Tags = a.Tags[:0]
	for _, name := range snap.Tags {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		t, err := tag(ctx, name)
		if err != nil {
			return err
		}
		a.Tags = append(a.Tags, t)
	}
	a.LeadImage = nil
	if snap.ImageURL != "" {
		a.LeadImage = &news.Image{URL: snap.ImageURL, Alt: snap.ImageAlt, Caption: snap.ImageCaption, Credit: snap.ImageCredit}
	}
	return nil
}

// validate checks what an editor submitted before it is stored.
func validate(a *news.Article) error {
	fe := news.FieldErrors{}
	if a.Headline == "" {
		fe["headline"] = "Every article needs a headline, even a draft."
	} else if len([]rune(a.Headline)) > 300 {
		fe["headline"] = "Keep the headline under 300 characters."
	}
	if a.Slug != "" && !news.ValidSlug(a.Slug) {
		fe["slug"] = "A slug may contain only lowercase letters, digits and single hyphens."
	}
	if len(a.Body) > 2<<20 {
		fe["body"] = "The body is longer than 2 MB."
	}
	if len(a.Authors) == 0 {
		fe["authors"] = "Give the article at least one byline."
	}
	return fe.Err()
}

// Step is a workflow action asked for together with a create or a save
// (the REST API's status field). It is checked before anything is stored,
// so a refused step changes nothing.
type Step struct {
	Action    news.Action // none when empty
	PublishAt time.Time   // for news.ActionSchedule
	Note      string      // for the article's history (an editor's reason for returning it), at most maxStepNote characters
	Alerts    []int64     // breaking-news newsletters to send the article to as it is published
}

// scheduleNoteLayout is how a schedule's note in the history gives its time.
const scheduleNoteLayout = "2 January 2006 at 15:04 MST"

// maxStepNote is the longest note a step may carry into the history.
const maxStepNote = 1000

// Create starts a new draft written by actor.
func (s *Service) Create(ctx context.Context, actor news.Actor, snap news.Snapshot) (*news.Article, error) {
	return s.CreateAndStep(ctx, actor, snap, Step{})
}

// CreateAndStep starts a new draft written by actor and takes step on it,
// as Transition would. A step actor may not take (or a publication the
// article is not ready for) is refused before the draft is stored.
func (s *Service) CreateAndStep(ctx context.Context, actor news.Actor, snap news.Snapshot, step Step) (*news.Article, error) {
	a, change, err := s.newDraft(ctx, actor, snap, step)
	if err != nil {
		return a, err
	}
	if err := s.insertDraft(ctx, actor, a, nil); err != nil {
		return a, err
	}
	if a, err = s.takeStep(ctx, a, change); err != nil {
		return a, err
	}
	return a, s.sendAlerts(ctx, actor, a, step)
}

// NewDraft builds, checks and prepares, without storing it, the draft
// actor would start with snap and take step on (CreateAndStep), and
// returns it with the status change step makes (nil for none): for a
// loader that stores new drafts many at a time (store.InsertBatch, with
// History and the change as its Step) instead of with CreateAndStep. It
// sends no alerts: a step with Alerts is refused.
func (s *Service) NewDraft(ctx context.Context, actor news.Actor, snap news.Snapshot, step Step) (*news.Article, *news.StatusChange, error) {
	if len(step.Alerts) > 0 {
		return nil, nil, errors.New("newsroom: a draft stored later sends no alerts")
	}
	return s.newDraft(ctx, actor, snap, step)
}

// CheckStep checks, as Transition would, that actor may take step on a,
// and returns the status change it makes, without making it (see
// NewDraft). A first publication, whose path is chosen as it is made, is
// not for it.
func (s *Service) CheckStep(ctx context.Context, actor news.Actor, a *news.Article, step Step) (*news.StatusChange, error) {
	change, err := s.checkStep(ctx, actor, a, step)
	if err == nil && change != nil && change.To == news.StatusPublished && a.Path == "" {
		return nil, errors.New("newsroom: a first publication is made by Transition")
	}
	return change, err
}

// newDraft builds, without storing it, the draft actor starts with snap,
// and checks step on it.
func (s *Service) newDraft(ctx context.Context, actor news.Actor, snap news.Snapshot, step Step) (*news.Article, *news.StatusChange, error) {
	if !actor.Role.Can(news.PermWriteOwn) {
		return nil, nil, news.ErrForbidden
	}
	a := &news.Article{Status: news.StatusDraft, CreatedBy: actor.ID}
	if len(snap.AuthorIDs) == 0 {
		snap.AuthorIDs = []int64{actor.ID} // a writer's own story unless they say otherwise
	}
	if err := checkBylines(actor, nil, snap.AuthorIDs); err != nil {
		return nil, nil, err
	}
	if !actor.Role.Can(news.PermEditAny) {
		snap.Featured = false // the front page is the editors' to arrange
	}
	if err := s.apply(ctx, a, snap, s.store.EnsureTag); err != nil {
		return nil, nil, err
	}
	if err := validate(a); err != nil {
		return a, nil, err
	}
	if err := s.Prepare(ctx, a); err != nil {
		return a, nil, err
	}
	change, err := s.checkStep(ctx, actor, a, step)
	return a, change, err
}

// insertDraft stores a new draft with its first revision and, when page is
// set, as that static page: all of it or nothing.
func (s *Service) insertDraft(ctx context.Context, actor news.Actor, a *news.Article, page *news.Page) error {
	err := s.store.Atomically(ctx, func(tx *store.Store) error {
		if err := tx.CreateArticle(ctx, a); err != nil {
			return err
		}
		if err := tx.RecordFirstRevision(ctx, a, actor.ID); err != nil {
			return err
		}
		if page == nil {
			return nil
		}
		page.ArticleID = a.ID
		return tx.PutPage(ctx, *page)
	})
	if err != nil {
		a.ID = 0 // rolled back
		return err
	}
	slot := int64(0)
	if page != nil {
		slot = NewPageDraft
	}
	_ = s.store.DeleteAutosave(ctx, actor.ID, slot)
	return nil
}

// checkStep checks that actor may take step on a (as it would be stored)
// now, and returns the status change it makes; nil for no step.
func (s *Service) checkStep(ctx context.Context, actor news.Actor, a *news.Article, step Step) (*news.StatusChange, error) {
	if step.Action == "" {
		return nil, nil
	}
	if a.Trash != nil {
		return nil, inTrash()
	}
	to, err := transition(actor, a, step.Action)
	if err != nil {
		return nil, err
	}
	if err := s.checkTakedown(ctx, actor, a, to); err != nil {
		return nil, err
	}
	if err := s.checkPagePublishing(ctx, actor, a, to); err != nil {
		return nil, err
	}
	for _, id := range step.Alerts {
		if err := s.checkAlert(ctx, actor, to, id); err != nil {
			return nil, err
		}
	}
	if utf8.RuneCountInString(step.Note) > maxStepNote {
		return nil, news.FieldErrors{"note": "Keep the note under 1,000 characters."}
	}
	change := news.StatusChange{From: a.Status, To: to, Action: string(step.Action), UserID: actor.ID, Note: step.Note}
	switch to {
	case news.StatusPublished:
		if fe := a.CheckPublishable(); len(fe) > 0 {
			return nil, fe
		}
	case news.StatusScheduled:
		if fe := a.CheckPublishable(); len(fe) > 0 {
			return nil, fe
		}
		if !step.PublishAt.After(s.clock.Now()) {
			return nil, news.FieldErrors{"publish_at": "Choose a time in the future to schedule publication."}
		}
		change.PublishAt = step.PublishAt
		if change.Note == "" {
			// The history (and the writer's mail) says for when.
			loc, err := s.Location(ctx)
			if err != nil {
				return nil, err
			}
			change.Note = "for " + step.PublishAt.In(loc).Format(scheduleNoteLayout)
		}
	}
	return &change, nil
}

// takeStep makes change (checkStep's; nil for none) to stored article a
// and returns the article as it now is.
func (s *Service) takeStep(ctx context.Context, a *news.Article, change *news.StatusChange) (*news.Article, error) {
	if change == nil {
		return a, nil
	}
	if err := s.changeStatus(ctx, a, *change); err != nil {
		return a, err
	}
	return s.store.Article(ctx, a.ID)
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// SaveResult says what happened to a save.
type SaveResult struct {
	Article    *news.Article
	ConflictID int64 // set when another save won: the losing text was kept as this revision
}

// Save stores an editor's changes to article id, which they loaded at
// version. If someone else saved in between, nothing is overwritten: the
// submission is kept as a "conflict" revision and news.ErrStale returned.
// markUpdated stamps a published article as visibly updated.
func (s *Service) Save(ctx context.Context, actor news.Actor, id int64, version int, snap news.Snapshot, markUpdated bool, kind string) (SaveResult, error) {
	return s.save(ctx, actor, id, version, snap, markUpdated, kind, Step{})
}

// SaveAndStep saves like Save and then takes step, as Transition would. A
// step actor may not take is refused before anything is saved.
func (s *Service) SaveAndStep(ctx context.Context, actor news.Actor, id int64, version int, snap news.Snapshot, step Step) (SaveResult, error) {
	return s.save(ctx, actor, id, version, snap, false, "save", step)
}

func (s *Service) save(ctx context.Context, actor news.Actor, id int64, version int, snap news.Snapshot, markUpdated bool, kind string, step Step) (SaveResult, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return SaveResult{}, err
	}
	if !mayEdit(actor, a) {
		return SaveResult{Article: a}, news.ErrForbidden
	}
	if a.Trash != nil {
		return SaveResult{Article: a}, inTrash()
	}
	if !actor.Role.Can(news.PermEditAny) {
		snap.Featured = a.Featured // the front page is the editors' to arrange
	}
	if step.Action != "" && !markUpdated && version == a.Version && sameText(a.Snapshot(), snap) {
		// A workflow button on an editor with nothing changed: the step
		// alone, not a revision and an "edit" in the history as well.
		next, err := s.stepOn(ctx, actor, id, step)
		return SaveResult{Article: next}, err
	}
	if step.Action == "" && !markUpdated && version == a.Version && sameText(a.Snapshot(), snap) {
		// Saved with nothing changed (the visual editor gives back the
		// very Markdown it was given): nothing to keep, so no revision
		// and no "edit" in the history.
		return SaveResult{Article: a}, nil
	}
	if err := checkBylines(actor, bylineIDs(a), snap.AuthorIDs); err != nil {
		return SaveResult{Article: a}, err
	}
	if a.Path != "" {
		// The public URL is fixed at first publication; links must not break.
		snap.Slug = a.Slug
	}
	if err := s.apply(ctx, a, snap, s.store.EnsureTag); err != nil {
		return SaveResult{}, err
	}
	if err := validate(a); err != nil {
		return SaveResult{Article: a}, err
	}
	if err := s.Prepare(ctx, a); err != nil {
		return SaveResult{Article: a}, err
	}
	if a.Status == news.StatusPublished {
		if fe := a.CheckPublishable(); len(fe) > 0 {
			return SaveResult{Article: a}, fe
		}
		if markUpdated {
			a.UpdatedAt = s.clock.Now()
		}
	}
	change, err := s.checkStep(ctx, actor, a, step)
	if err != nil {
		return SaveResult{Article: a}, err
	}
	moved, err := s.pageMove(ctx, a)
	if err != nil {
		return SaveResult{Article: a}, err
	}
	if kind == "" {
		kind = "save"
	}
	fedKind := "" // an edit of a published article, unless a step publishes or unpublishes it
	if change == nil && a.Status == news.StatusPublished {
		fedKind = "Update"
	}
	err = s.federated(ctx, a.ID, fedKind, func(st *store.Store) error {
		if err := st.UpdateArticle(ctx, a, version, actor.ID, kind); err != nil {
			return err
		}
		if moved != nil {
			return st.PutPage(ctx, *moved)
		}
		return nil
	})
	if errors.Is(err, news.ErrStale) {
		rid, kerr := s.store.KeepConflict(ctx, id, actor.ID, version, snap)
		if kerr != nil {
			return SaveResult{Article: a}, kerr
		}
		return SaveResult{Article: a, ConflictID: rid}, err
	}
	if err != nil {
		return SaveResult{Article: a}, err
	}
	_ = s.store.DeleteAutosave(ctx, actor.ID, id)
	if a, err = s.takeStep(ctx, a, change); err != nil {
		return SaveResult{Article: a}, err
	}
	return SaveResult{Article: a}, s.sendAlerts(ctx, actor, a, step)
}

// pageMove returns where static page a moves to when its slug was changed
// before its first publication (nil when it is no page or stays), or a
// field error when another page has that address.
func (s *Service) pageMove(ctx context.Context, a *news.Article) (*news.Page, error) {
	if a.Path != "" {
		return nil, nil
	}
	pg, err := s.store.PageOf(ctx, a.ID)
	if errors.Is(err, news.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	slug := pg.Slug[:strings.LastIndexByte(pg.Slug, '/')+1] + a.Slug
	if slug == pg.Slug {
		return nil, nil
	}
	taken, err := s.store.PageSlugTaken(ctx, slug, a.ID)
	if err != nil {
		return nil, err
	}
	if taken {
		return nil, news.FieldErrors{"slug": "Another page has the address /page/" + slug + ". Choose another slug."}
	}
	pg.Slug = slug
	return &pg, nil
}

// sameText reports whether an editor's snapshot would store what the
// article already holds, as apply would read it.
func sameText(stored, snap news.Snapshot) bool {
	for _, f := range []*string{&snap.Headline, &snap.Slug, &snap.Standfirst, &snap.SEOTitle, &snap.SEODescription} {
		*f = strings.TrimSpace(*f)
	}
	var tags []string
	for _, t := range snap.Tags {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	snap.Tags = tags
	if snap.Slug == "" {
		snap.Slug = stored.Slug // made from the headline, as before
	}
	return reflect.DeepEqual(stored, snap)
}

// Restore makes an old revision the current text of an article.
func (s *Service) Restore(ctx context.Context, actor news.Actor, id, revisionID int64, version int) (SaveResult, error) {
	rev, err := s.store.Revision(ctx, id, revisionID)
	if err != nil {
		return SaveResult{}, err
	}
	return s.Save(ctx, actor, id, version, rev.Snapshot, false, "restore")
}

// Transition takes a workflow action on an article. Publishing for the
// first time fixes the article's dated URL (the first free slug that day);
// scheduling needs a future time.
func (s *Service) Transition(ctx context.Context, actor news.Actor, id int64, action news.Action, publishAt time.Time, note string) (*news.Article, error) {
	return s.stepOn(ctx, actor, id, Step{Action: action, PublishAt: publishAt, Note: note})
}

// stepOn takes step on article id, as Transition does, and sends the
// step's alert.
func (s *Service) stepOn(ctx context.Context, actor news.Actor, id int64, step Step) (*news.Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	change, err := s.checkStep(ctx, actor, a, step)
	if err != nil {
		return a, err
	}
	if change == nil {
		return nil, news.FieldErrors{"action": "Choose what to do with the article."}
	}
	if a, err = s.takeStep(ctx, a, change); err != nil {
		return a, err
	}
	return a, s.sendAlerts(ctx, actor, a, step)
}

// changeStatus applies a status change, giving a first publication its
// path; a publication or an unpublication is federated (queued to the
// fediverse followers of its bylines and of the paper), and the mail that
// tells staff of it queued (workflowMail), in the same transaction.
func (s *Service) changeStatus(ctx context.Context, a *news.Article, change news.StatusChange) error {
	var err error
	if change.Mail, err = s.workflowMail(ctx, a, change); err != nil {
		return err
	}
	kind := ""
	switch {
	case change.To == news.StatusPublished:
		kind = "Create"
	case change.From == news.StatusPublished:
		kind = "Delete"
	}
	return s.federated(ctx, a.ID, kind, func(st *store.Store) error { return s.storeStatus(ctx, st, a, change) })
}

// storeStatus makes change in st (the transaction changeStatus runs in).
func (s *Service) storeStatus(ctx context.Context, st *store.Store, a *news.Article, change news.StatusChange) error {
	if change.To != news.StatusPublished || a.Path != "" {
		return st.ChangeStatus(ctx, a.ID, change)
	}
	change.PublishedAt = s.clock.Now().Truncate(time.Second)
	switch pg, err := st.PageOf(ctx, a.ID); {
	case err == nil:
		// A static page lives at /page/{slug}, undated; its slug is
		// already unique among pages.
		change.Path, change.Slug = store.PagePath(pg.Slug), pg.Slug[strings.LastIndexByte(pg.Slug, '/')+1:]
		return st.ChangeStatus(ctx, a.ID, change)
	case !errors.Is(err, news.ErrNotFound):
		return err
	}
	loc, err := s.Location(ctx)
	if err != nil {
		return err
	}
	base := a.Slug
	for n := 1; n < 100; n++ {
		slug := base
		if n > 1 {
			slug = news.SlugWithSuffix(base, n)
		}
		path := news.ArticlePath(change.PublishedAt, loc, slug)
		taken, err := st.PathTaken(ctx, path)
		if err != nil {
			return err
		}
		if taken {
			continue
		}
		change.Path, change.Slug = path, slug
		err = st.ChangeStatus(ctx, a.ID, change)
		if errors.Is(err, news.ErrConflict) {
			continue
		}
		return err
	}
	return fmt.Errorf("publish article %d: no free slug for %q", a.ID, base)
}

// PublishDue publishes every scheduled article whose time has come. It is
// safe to run from several places at once: each article moves from
// scheduled to published in one conditional update, so it happens once.
// Articles whose time passed while the server was down go out at the next
// run. It returns how many it published.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	ids, err := s.store.DueScheduled(ctx, s.clock.Now())
	if err != nil {
		return 0, err
	}
	published := 0
	for _, id := range ids {
		a, err := s.store.Article(ctx, id)
		if err != nil {
			return published, err
		}
		err = s.changeStatus(ctx, a, news.StatusChange{From: news.StatusScheduled, To: news.StatusPublished, Action: "publish", Note: "scheduled"})
		if errors.Is(err, news.ErrStale) {
			continue // another instance got there first
		}
		if err != nil {
			return published, err
		}
		published++
	}
	return published, nil
}

// Correct appends a dated public correction or update to a published article.
func (s *Service) Correct(ctx context.Context, actor news.Actor, id int64, kind, body string) error {
	if !actor.Role.Can(news.PermCorrect) {
		return news.ErrForbidden
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return err
	}
	if a.Status != news.StatusPublished {
		return news.FieldErrors{"correction": "Corrections are for published articles; just edit a draft."}
	}
	body = strings.TrimSpace(body)
	if kind != "correction" && kind != "update" {
		return news.FieldErrors{"kind": "Choose correction or update."}
	}
	if body == "" || len([]rune(body)) > 2000 {
		return news.FieldErrors{"correction": "Write the note readers will see (up to 2,000 characters)."}
	}
	return s.federated(ctx, id, "Update", func(st *store.Store) error {
		return st.AddCorrection(ctx, &news.Correction{ArticleID: id, Kind: kind, Body: body}, actor.ID)
	})
}
