package newsroom

// Profiles: members of staff as others may look them up (the REST API's
// users). WordPress's rule: anyone may see the people with a byline — a
// published article — and an administrator every account; everyone may
// see themselves. A profile carries the email only for the avatar derived
// from it (a Gravatar hash, which confirms a guessed address), so nobody
// else learns anything from the email of someone without a byline.

import (
	"context"

	"masthead/internal/news"
)

// Profiles lists the members of staff actor may see, by name: everyone
// with a byline, or for an administrator every active account.
func (s *Service) Profiles(ctx context.Context, actor news.Actor) ([]news.Staff, error) {
	if actor.Role.Can(news.PermManageStaff) {
		return s.store.Staff(ctx)
	}
	return s.store.BylinedStaff(ctx)
}

// Profile returns member of staff id if actor may see them (as Profiles);
// news.ErrForbidden if not, news.ErrNotFound if there is no such active
// account.
func (s *Service) Profile(ctx context.Context, actor news.Actor, id int64) (*news.Staff, error) {
	u, err := s.store.StaffByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if actor.ID == id || actor.Role.Can(news.PermManageStaff) {
		return u, nil
	}
	n, err := s.store.CountPublished(ctx, news.ArticleFilter{AuthorID: id})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, news.ErrForbidden
	}
	return u, nil
}
