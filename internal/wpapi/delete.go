package wpapi

// DELETE, as WordPress answers it: a post or page goes to the trash and
// comes back with status "trash" (force=true deletes it for good and
// answers {"deleted": true, "previous": …}); media has no trash, so it
// needs force=true (else 501 rest_trash_not_supported); a comment goes to
// the moderation trash, or with force=true is deleted for good. The
// newsroom service decides who may: editors any post, writers their own
// that was never published; editors any image, its uploader one no
// article uses; moderators comments.

import (
	"errors"
	"net/http"

	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// deleted is WordPress's answer to a deletion for good.
type deleted struct {
	Deleted  bool `json:"deleted"`
	Previous any  `json:"previous"`
}

// force reads the force parameter (query or body).
func force(r *http.Request) (bool, error) {
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return false, err
	}
	switch p.str("force") {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, invalidParam("force", "force is not of type boolean.")
}

func deleteRefusal(u *news.Staff, what string) *Error {
	status := http.StatusForbidden
	if u == nil {
		status = http.StatusUnauthorized
	}
	return apiError(status, "rest_cannot_delete", "Sorry, you are not allowed to delete this "+what+".")
}

func (s *Server) deleteArticle(pages bool) handlerFunc {
	return func(r *http.Request) (*response, error) {
		a, pg, u, err := s.load(r, pages)
		if err != nil {
			return nil, err
		}
		if u == nil {
			return nil, deleteRefusal(u, "post")
		}
		forced, err := force(r)
		if err != nil {
			return nil, err
		}
		actor := actorOf(u)
		if forced {
			previous := s.post(zone(r), a, pg, true)
			previous.FeaturedMedia = s.featured(r, u, a)
			if _, err := s.desk.DeleteArticle(r.Context(), actor, a.ID); errors.Is(err, news.ErrForbidden) {
				return nil, deleteRefusal(u, "post")
			} else if err != nil {
				return nil, err
			}
			return &response{body: deleted{Deleted: true, Previous: previous}}, nil
		}
		if a.Trash != nil {
			return nil, apiError(http.StatusGone, "rest_already_trashed", "The post has already been deleted.")
		}
		a, err = s.desk.TrashArticle(r.Context(), actor, a.ID, "via the REST API")
		switch {
		case errors.Is(err, news.ErrForbidden):
			return nil, deleteRefusal(u, "post")
		case errors.Is(err, newsroom.ErrAlreadyTrashed):
			return nil, apiError(http.StatusGone, "rest_already_trashed", "The post has already been deleted.")
		case err != nil:
			return nil, err
		}
		return s.written(r, a, u, pages, http.StatusOK)
	}
}

func (s *Server) deleteMedia(r *http.Request) (*response, error) {
	u, err := s.user(r)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, deleteRefusal(u, "post")
	}
	id, err := pathID(r, "rest_post_invalid_id")
	if err != nil {
		return nil, err
	}
	d, err := s.desk.MediaDeletion(r.Context(), actorOf(u), id)
	switch {
	case errors.Is(err, news.ErrNotFound), errors.Is(err, newsroom.ErrNoLibrary):
		return nil, apiError(http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID.")
	case errors.Is(err, news.ErrForbidden):
		return nil, deleteRefusal(u, "post")
	case err != nil:
		return nil, err
	}
	if !d.Allowed {
		return nil, deleteRefusal(u, "post")
	}
	forced, err := force(r)
	if err != nil {
		return nil, err
	}
	if !forced {
		return nil, apiError(http.StatusNotImplemented, "rest_trash_not_supported", "Attachments do not support trashing. Set 'force' to delete.")
	}
	previous := s.media(zone(r), d.Item)
	if _, err := s.desk.DeleteMedia(r.Context(), actorOf(u), id); errors.Is(err, news.ErrForbidden) {
		return nil, deleteRefusal(u, "post")
	} else if err != nil {
		return nil, err
	}
	return &response{body: deleted{Deleted: true, Previous: previous}}, nil
}

func (s *Server) deleteComment(r *http.Request) (*response, error) {
	u, c, moderator, err := s.commentOf(r)
	if err != nil {
		return nil, err
	}
	if !moderator {
		return nil, deleteRefusal(u, "comment")
	}
	forced, err := force(r)
	if err != nil {
		return nil, err
	}
	if forced {
		previous := s.comment(zone(r), c, true)
		if _, err := s.desk.DeleteComment(r.Context(), actorOf(u), c.ID); errors.Is(err, news.ErrForbidden) {
			return nil, deleteRefusal(u, "comment")
		} else if err != nil && !errors.Is(err, news.ErrNotFound) {
			return nil, err
		}
		return &response{body: deleted{Deleted: true, Previous: previous}}, nil
	}
	if c.Status == news.CommentTrash {
		return nil, apiError(http.StatusGone, "rest_already_trashed", "The comment has already been trashed.")
	}
	c, err = s.desk.ModerateComment(r.Context(), actorOf(u), c.ID, news.CommentTrash)
	if errors.Is(err, news.ErrForbidden) {
		return nil, deleteRefusal(u, "comment")
	}
	if err != nil {
		return nil, err
	}
	return &response{body: s.comment(zone(r), c, true)}, nil
}
