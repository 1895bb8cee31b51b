package newsroom

import (
	"context"
	"errors"

	"masthead/internal/news"
)

// Editing and deleting reader comments. An editor (news.PermModerate:
// editors and administrators) may change a comment's text — to take out a
// phone number or a defamatory line — with a note saying why; the text it
// had and every later version are kept in its audit trail, which only
// moderators see (on the comment's newsroom page), never readers. Readers
// see the new text, marked "edited by the newsroom". Deleting a comment
// for good (the REST API's force) is for moderators too.

// EditComment replaces the text of comment id for actor and returns the
// comment as it now is. The same text again changes nothing.
func (s *Service) EditComment(ctx context.Context, actor news.Actor, id int64, body, note string) (*news.Comment, error) {
	if err := mayModerate(actor); err != nil {
		return nil, err
	}
	c, err := s.store.Comment(ctx, id)
	if err != nil {
		return nil, err
	}
	body, note, fe := news.CommentRedaction(body, note)
	if len(fe) > 0 {
		return c, fe
	}
	if body == c.Body {
		return c, nil
	}
	if err := s.store.EditComment(ctx, id, actor.ID, body, note); err != nil {
		return c, err
	}
	return s.store.Comment(ctx, id)
}

// DeleteComment deletes comment id for good, for actor, a moderator, and
// returns it as it was; its replies move up a level.
func (s *Service) DeleteComment(ctx context.Context, actor news.Actor, id int64) (*news.Comment, error) {
	if err := mayModerate(actor); err != nil {
		return nil, err
	}
	c, err := s.store.Comment(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteComment(ctx, id); err != nil && !errors.Is(err, news.ErrNotFound) {
		return c, err
	}
	return c, nil
}
