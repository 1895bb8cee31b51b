package newsroom

// The site-wide breaking-news banner: editors set it (text, a link to a
// story or live blog, how long it shows) and clear it; readers' pages show
// it until it expires, and open pages are pushed the change (package web,
// through the live blogs' streams).

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"masthead/internal/news"
)

// breakingDurations are how long an editor may show a banner for.
var breakingDurations = []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}

// BreakingDurations lists the lengths of time a banner may be shown for,
// shortest first.
func BreakingDurations() []time.Duration { return append([]time.Duration(nil), breakingDurations...) }

// breakingTargets is how many articles the banner's link may choose from.
const breakingTargets = 40

// BreakingDesk is the banner as the newsroom sees it.
type BreakingDesk struct {
	Current *news.Breaking // as last set or cleared
	Shown   bool           // readers see it now
	Targets []news.BreakingTarget
}

func mayBreak(actor news.Actor) error {
	if !actor.Role.Can(news.PermEditAny) {
		return fmt.Errorf("%w: only editors set breaking news", news.ErrForbidden)
	}
	return nil
}

// BreakingDesk returns the banner and what it may link to, for editors.
func (s *Service) BreakingDesk(ctx context.Context, actor news.Actor) (*BreakingDesk, error) {
	if err := mayBreak(actor); err != nil {
		return nil, err
	}
	b, err := s.store.Breaking(ctx)
	if err != nil {
		return nil, err
	}
	d := &BreakingDesk{Current: b, Shown: b.ShownAt(s.clock.Now())}
	if d.Targets, err = s.store.BreakingTargets(ctx, breakingTargets); err != nil {
		return nil, err
	}
	return d, nil
}

// SetBreaking shows a banner on every reader page from now for in.For.
func (s *Service) SetBreaking(ctx context.Context, actor news.Actor, in news.BreakingInput) (*news.Breaking, error) {
	if err := mayBreak(actor); err != nil {
		return nil, err
	}
	text := strings.Join(strings.Fields(in.Text), " ")
	fe := news.FieldErrors{}
	switch {
	case text == "":
		fe["text"] = "Write the banner's text."
	case len([]rune(text)) > news.BreakingTextMax:
		fe["text"] = fmt.Sprintf("The banner may be at most %d characters long.", news.BreakingTextMax)
	}
	known := false
	for _, d := range breakingDurations {
		known = known || d == in.For
	}
	if !known {
		fe["for"] = "Choose how long the banner shows."
	}
	if in.ArticleID != 0 {
		a, err := s.store.Article(ctx, in.ArticleID)
		switch {
		case errors.Is(err, news.ErrNotFound):
			fe["article"] = "Choose a published story or live blog."
		case err != nil:
			return nil, err
		case a.Status != news.StatusPublished:
			fe["article"] = "That story is not published: choose a published story or live blog."
		}
	}
	if len(fe) > 0 {
		return nil, fe
	}
	now := s.clock.Now()
	b := &news.Breaking{Text: text, ArticleID: in.ArticleID, SetAt: now, ExpiresAt: now.Add(in.For)}
	if err := s.store.SetBreaking(ctx, b, actor.ID); err != nil {
		return nil, err
	}
	return b, nil
}

// ClearBreaking takes the banner down at once.
func (s *Service) ClearBreaking(ctx context.Context, actor news.Actor) error {
	if err := mayBreak(actor); err != nil {
		return err
	}
	now := s.clock.Now()
	return s.store.SetBreaking(ctx, &news.Breaking{SetAt: now, ExpiresAt: now}, actor.ID)
}

// CurrentBreaking is the banner as readers see it at this moment: nil
// unless one is shown. seq is the number of its last change (0: never
// set), from which a page's stream carries on.
func (s *Service) CurrentBreaking(ctx context.Context) (b *news.Breaking, seq int64, err error) {
	b, err = s.store.Breaking(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !b.ShownAt(s.clock.Now()) {
		return nil, b.Seq, nil
	}
	return b, b.Seq, nil
}
