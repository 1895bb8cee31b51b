package newsroom

import (
	"context"
	"errors"
	"fmt"

	"masthead/internal/markup"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/store"
)

// Deleting an image from the media library, for a rights or legal
// takedown or a mistaken upload. Editors and administrators may delete any
// image, after being shown where it is used; its uploader may delete one
// that no article uses. The image leaves every article that uses it
// first — a lead image is cleared, a picture in the body taken out (the
// history says so) — so no reader is ever shown a broken image; then its
// files go, the original and every variant, from the media store (a
// folder or an S3 bucket); then its record. Each step can be run again,
// so a deletion cut short is finished by asking again.

// MediaDeletion is what deleting an image would do, for the confirmation.
type MediaDeletion struct {
	Item *media.Item
	// Uses are the articles that use the image that the member of staff
	// may see; Hidden counts the others (colleagues' drafts).
	Uses   []*news.Article
	Hidden int
	// Site names the site's own uses of the image — its logo, its icon,
	// the publisher's logo — which deleting it clears.
	Site []string
	// Allowed says whether they may delete it; Why, when not, says why.
	Allowed bool
	Why     string
}

// MediaDeletion describes what deleting image id would do, for actor.
func (s *Service) MediaDeletion(ctx context.Context, actor news.Actor, id int64) (*MediaDeletion, error) {
	d, _, err := s.mediaDeletion(ctx, actor, id)
	return d, err
}

// mediaDeletion is MediaDeletion, with every article that uses the image.
func (s *Service) mediaDeletion(ctx context.Context, actor news.Actor, id int64) (*MediaDeletion, []*news.Article, error) {
	if s.library == nil {
		return nil, nil, ErrNoLibrary
	}
	if !actor.Role.Can(news.PermWriteOwn) {
		return nil, nil, news.ErrForbidden
	}
	it, err := s.store.MediaItem(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	uses, err := s.store.MediaUsers(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	d := &MediaDeletion{Item: it}
	pub, err := s.store.Publication(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, use := range siteUses(&pub, it) {
		d.Site = append(d.Site, use.name)
	}
	for _, a := range uses {
		if s.MayOpen(actor, a) || a.IsPublic() {
			d.Uses = append(d.Uses, a)
		} else {
			d.Hidden++
		}
	}
	switch {
	case len(d.Site) > 0 && !actor.Role.Can(news.PermSettings):
		d.Why = "This image is the site's " + d.Site[0] + ", so only an administrator may delete it. Choose another in Settings first."
	case actor.Role.Can(news.PermEditAny):
		d.Allowed = true
	case it.UploadedBy != actor.ID:
		d.Why = "Only editors, and whoever uploaded an image, may delete it."
	case len(uses) > 0:
		d.Why = "Articles use this image, so only an editor may delete it. Take it out of them first, or ask an editor."
	default:
		d.Allowed = true
	}
	return d, uses, nil
}

// DeleteMedia deletes image id for actor: out of every article that uses
// it, then its files, then its record. It returns the articles it was
// taken out of.
func (s *Service) DeleteMedia(ctx context.Context, actor news.Actor, id int64) ([]*news.Article, error) {
	d, uses, err := s.mediaDeletion(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !d.Allowed {
		return nil, fmt.Errorf("%w: %s", news.ErrForbidden, d.Why)
	}
	var changed []*news.Article
	for _, a := range uses {
		a, err := s.removeImage(ctx, actor, a.ID, d.Item)
		if err != nil {
			return changed, err
		}
		if a != nil {
			changed = append(changed, a)
		}
	}
	if len(d.Site) > 0 {
		pub, err := s.store.Publication(ctx)
		if err != nil {
			return changed, err
		}
		for _, use := range siteUses(&pub, d.Item) {
			*use.url = ""
		}
		if err := s.store.SetPublication(ctx, pub); err != nil {
			return changed, fmt.Errorf("clear the site's uses of image %d: %w", id, err)
		}
	}
	if err := s.library.Delete(ctx, d.Item); err != nil {
		return changed, fmt.Errorf("delete the files of image %d: %w", id, err)
	}
	if err := s.store.DeleteMedia(ctx, id); err != nil && !errors.Is(err, news.ErrNotFound) {
		return changed, err
	}
	return changed, nil
}

// removeImage takes image it out of article articleID — as its lead image
// and from its body — as one save with a note in its history, and returns
// the article as saved; nil when it did not use the image after all. A
// save by someone else in between is met by trying again on their text.
func (s *Service) removeImage(ctx context.Context, actor news.Actor, articleID int64, it *media.Item) (*news.Article, error) {
	for attempt := 0; ; attempt++ {
		a, err := s.store.Article(ctx, articleID)
		if errors.Is(err, news.ErrNotFound) {
			return nil, nil // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		lead := a.LeadImage != nil && it.NamedBy(a.LeadImage.URL)
		body := markup.RemoveImages(a.Body, it.NamedBy)
		if !lead && body == a.Body {
			return nil, nil
		}
		if lead {
			a.LeadImage = nil
		}
		a.Body = body
		if err := s.Prepare(ctx, a); err != nil {
			return nil, err
		}
		name := it.Filename
		if name == "" {
			name = "an image"
		}
		err = s.store.Atomically(ctx, func(tx *store.Store) error {
			if err := tx.UpdateArticle(ctx, a, a.Version, actor.ID, "save"); err != nil {
				return err
			}
			return tx.AddArticleEvent(ctx, a.ID, actor.ID, "image removed", a.Status, name+" was deleted from the media library")
		})
		if errors.Is(err, news.ErrStale) && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("take image %d out of article %d: %w", it.ID, articleID, err)
		}
		return a, nil
	}
}

// siteUse is one of the site's settings that may name a library image.
type siteUse struct {
	name string
	url  *string
}

// siteUses returns the settings in pub that show image it.
func siteUses(pub *news.Publication, it *media.Item) []siteUse {
	var uses []siteUse
	for _, u := range []siteUse{{"logo", &pub.LogoURL}, {"icon", &pub.IconURL}, {"publisher's logo", &pub.Publisher.LogoURL}} {
		if *u.url != "" && media.HashOf(*u.url) == it.Hash {
			uses = append(uses, u)
		}
	}
	return uses
}
