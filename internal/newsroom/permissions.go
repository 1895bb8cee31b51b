package newsroom

import (
	"context"
	"errors"
	"fmt"

	"masthead/internal/news"
)

// The newsroom's permission rules for articles. The roles' permissions
// are listed in package news; which of them a given act needs, and how
// ownership counts, is decided here and nowhere else.

// mayEdit reports whether actor may see and change a's text.
func mayEdit(actor news.Actor, a *news.Article) bool {
	if actor.Role.Can(news.PermEditAny) {
		return true
	}
	if !a.OwnedBy(actor.ID) {
		return false
	}
	// A contributor cannot change what is out of their hands.
	if actor.Role == news.RoleContributor {
		return a.Status == news.StatusDraft || a.Status == news.StatusReview
	}
	return true
}

// transition checks that actor may take action on a now and returns the
// status it leads to. Publishing and scheduling need publish rights (one's
// own articles for authors, any for editors); submitting and unscheduling
// one's own work is open to every role that may edit it.
func transition(actor news.Actor, a *news.Article, action news.Action) (news.Status, error) {
	to, err := a.Next(action)
	if err != nil {
		return "", err
	}
	if !mayEdit(actor, a) {
		return "", fmt.Errorf("%w: not your article", news.ErrForbidden)
	}
	switch action {
	case news.ActionPublish, news.ActionSchedule, news.ActionUnpublish:
		if !actor.Role.Can(news.PermEditAny) && !actor.Role.Can(news.PermPublishOwn) {
			return "", fmt.Errorf("%w: your role cannot publish; submit it for review", news.ErrForbidden)
		}
	case news.ActionReturn:
		if !actor.Role.Can(news.PermEditAny) {
			return "", fmt.Errorf("%w: only editors return articles to their writers", news.ErrForbidden)
		}
	}
	return to, nil
}

// checkBylines lets editors byline anyone, and writers only themselves: a
// writer may keep the co-authors an editor gave an article, or drop them,
// but not add anyone, nor take their own name off an article they are on
// (which would leave it under someone else's byline alone). current is
// nil for a new article.
func checkBylines(actor news.Actor, current, wanted []int64) error {
	if actor.Role.Can(news.PermEditAny) || len(wanted) == 0 {
		return nil // no bylines at all is for validation to explain
	}
	for _, id := range wanted {
		if id != actor.ID && !containsID(current, id) {
			return news.ErrOthersByline
		}
	}
	if (current == nil || containsID(current, actor.ID)) && !containsID(wanted, actor.ID) {
		return news.ErrOthersByline
	}
	return nil
}

// checkTakedown keeps an unpublished article down until whoever took it
// down, or an editor, puts it back: a writer may republish (or schedule)
// what they unpublished themselves, not what an editor withdrew.
func (s *Service) checkTakedown(ctx context.Context, actor news.Actor, a *news.Article, to news.Status) error {
	if to == news.StatusDraft {
		return nil
	}
	by, err := s.takenDownBy(ctx, actor, a)
	if err != nil || by == "" {
		return err
	}
	return fmt.Errorf("%w: %s", news.ErrForbidden, takedownNote(by))
}

// takenDownBy names whoever unpublished a, when that keeps actor from
// putting it back; "" when nothing does.
func (s *Service) takenDownBy(ctx context.Context, actor news.Actor, a *news.Article) (string, error) {
	if a.Status != news.StatusUnpublished || actor.Role.Can(news.PermEditAny) {
		return "", nil
	}
	events, err := s.store.ArticleEvents(ctx, a.ID)
	if err != nil {
		return "", err
	}
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].ToStatus == news.StatusUnpublished {
			if events[i].UserID != actor.ID {
				return events[i].UserName, nil
			}
			return "", nil
		}
	}
	return "", nil
}

func takedownNote(by string) string {
	return by + " took this article down; ask an editor to republish it."
}

// checkPagePublishing leaves the site's static pages (About, Contact …)
// to editors: a writer bylined on one may edit its draft, not publish,
// schedule or withdraw it, as in WordPress.
func (s *Service) checkPagePublishing(ctx context.Context, actor news.Actor, a *news.Article, to news.Status) error {
	if to == news.StatusDraft || to == news.StatusReview {
		return nil
	}
	closed, err := s.pageClosedTo(ctx, actor, a)
	if err != nil || !closed {
		return err
	}
	return fmt.Errorf("%w: pages are published by editors", news.ErrForbidden)
}

// pageClosedTo reports whether a is a static page that actor, a writer,
// may not publish, schedule or withdraw.
func (s *Service) pageClosedTo(ctx context.Context, actor news.Actor, a *news.Article) (bool, error) {
	if actor.Role.Can(news.PermEditAny) || a.ID == 0 {
		return false, nil
	}
	_, err := s.store.PageOf(ctx, a.ID)
	if errors.Is(err, news.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// bylineIDs are the ids of a's bylines, never nil.
func bylineIDs(a *news.Article) []int64 {
	ids := make([]int64, 0, len(a.Authors))
	for _, au := range a.Authors {
		ids = append(ids, au.ID)
	}
	return ids
}

// MayEdit reports whether actor may see and change a, for surfaces that
// show more to those who may (the REST API's edit context).
func (s *Service) MayEdit(actor news.Actor, a *news.Article) bool { return mayEdit(actor, a) }

// Actions lists, of the given actions, those actor may take on a now: the
// buttons an editor shows. held says why publishing is not among them when
// an editor's takedown is the reason, or why none is when the article is
// in an editor's hands (a writer's story submitted, scheduled or
// published), for the editor to explain.
func (s *Service) Actions(ctx context.Context, actor news.Actor, a *news.Article, among []news.Action) (actions []news.Action, held string, err error) {
	by, err := s.takenDownBy(ctx, actor, a)
	if err != nil {
		return nil, "", err
	}
	page, err := s.pageClosedTo(ctx, actor, a)
	if err != nil {
		return nil, "", err
	}
	for _, act := range among {
		to, err := transition(actor, a, act)
		if err != nil {
			continue
		}
		if (by != "" || page) && to != news.StatusDraft && to != news.StatusReview {
			continue // an editor's takedown, or a page: publishing steps are the editors'
		}
		actions = append(actions, act)
	}
	switch {
	case by != "":
		held = takedownNote(by)
	case len(actions) > 0:
	case a.Status == news.StatusReview:
		held = "Submitted for review: an editor publishes it or sends it back to the writer. Changes saved meanwhile go with it."
	case a.Status == news.StatusScheduled:
		held = "Scheduled by an editor: it is published at the time shown above. Only an editor can change it now, or cancel the schedule."
	case a.Status == news.StatusPublished && !mayEdit(actor, a):
		held = "Published: only an editor can change it now. Ask one for a correction or an update."
	}
	return actions, held, nil
}
