package newsroom

import (
	"context"
	"errors"
	"fmt"

	"masthead/internal/markup"
	"masthead/internal/media"
	"masthead/internal/news"
)

// The media library: every member of staff may upload images, see the
// whole library and use any image in it; the uploader, and whoever may edit
// any article, may change an image's words. Anyone else sees only the
// images that published articles use (as lead image or in their body):
// an upload is the newsroom's until published work shows it, as WordPress
// keeps the attachments of unpublished posts private.

// ErrNoLibrary is returned by the media methods of a newsroom configured
// without a media store.
var ErrNoLibrary = errors.New("newsroom: no media library")

// HasMediaLibrary reports whether the newsroom keeps images, for the
// surfaces to decide what to offer (and to refuse an upload before reading
// it).
func (s *Service) HasMediaLibrary() bool { return s.library != nil }

// MediaText is the words that travel with an image.
type MediaText struct{ Alt, Caption, Credit string }

func (t MediaText) check() error {
	fe := news.FieldErrors{}
	for _, f := range []struct {
		name, value, label string
		max                int
	}{{"alt", t.Alt, "Alt text", 500}, {"caption", t.Caption, "The caption", 1000}, {"credit", t.Credit, "The credit", 200}} {
		if len([]rune(f.value)) > f.max {
			fe[f.name] = fmt.Sprintf("%s is longer than %d characters.", f.label, f.max)
		}
	}
	return fe.Err()
}

// Upload is an image file as it arrived, with any words sent with it.
type Upload struct {
	Name string // the file's name on the uploader's computer
	Data []byte
	// Alt and Caption, when either is given, replace the image's (for an
	// image already in the library, only where actor may change its words).
	Alt, Caption string
}

// UploadImage adds an image to the library for actor. Content the library
// refuses returns a *media.RejectError. When the same bytes are already in
// the library, nothing is stored twice: the item returned is the existing
// one, and existing is true.
func (s *Service) UploadImage(ctx context.Context, actor news.Actor, up Upload) (it *media.Item, existing bool, err error) {
	if s.library == nil {
		return nil, false, ErrNoLibrary
	}
	if !actor.Role.Can(news.PermWriteOwn) {
		return nil, false, news.ErrForbidden
	}
	withWords := up.Alt != "" || up.Caption != ""
	if withWords {
		// Checked before the image is stored, so a refusal stores nothing.
		if err := (MediaText{Alt: up.Alt, Caption: up.Caption}).check(); err != nil {
			return nil, false, err
		}
	}
	it, existing, err = s.library.Upload(ctx, up.Data, up.Name, actor.ID)
	if err != nil {
		return nil, false, fmt.Errorf("upload %s: %w", up.Name, err)
	}
	if withWords && s.MayEditMediaText(actor, it) {
		if err := s.setMediaText(ctx, it, MediaText{Alt: up.Alt, Caption: up.Caption, Credit: it.Credit}); err != nil {
			return nil, false, err
		}
	}
	return it, existing, nil
}

// MayEditMediaText reports whether actor may change an image's words: its
// uploader may, and so may anyone who may edit any article.
func (s *Service) MayEditMediaText(actor news.Actor, it *media.Item) bool {
	return it.UploadedBy == actor.ID || actor.Role.Can(news.PermEditAny)
}

// UpdateMediaText changes the words of image id. The item is returned
// with the new words, or as it was with news.FieldErrors when they are too
// long.
func (s *Service) UpdateMediaText(ctx context.Context, actor news.Actor, id int64, text MediaText) (*media.Item, error) {
	if s.library == nil {
		return nil, ErrNoLibrary
	}
	it, err := s.store.MediaItem(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.MayEditMediaText(actor, it) {
		return it, news.ErrForbidden
	}
	if err := text.check(); err != nil {
		return it, err
	}
	return it, s.setMediaText(ctx, it, text)
}

func (s *Service) setMediaText(ctx context.Context, it *media.Item, text MediaText) error {
	if err := s.store.UpdateMediaText(ctx, it.ID, text.Alt, text.Caption, text.Credit); err != nil {
		return err
	}
	it.Alt, it.Caption, it.Credit = text.Alt, text.Caption, text.Credit
	return nil
}

// MediaLibrary returns a page of the library, newest first, and how many
// items match the filter in all: all of it to a member of staff, only the
// images published articles use to anyone else (viewer nil).
func (s *Service) MediaLibrary(ctx context.Context, viewer *news.Staff, f media.Filter) ([]*media.Item, int, error) {
	if s.library == nil {
		return nil, 0, ErrNoLibrary
	}
	f.Published = !seesLibrary(viewer)
	return s.store.ListMedia(ctx, f)
}

// MediaItem loads image id for viewer (nil: anonymous), or
// news.ErrNotFound — also for an image viewer may not see, so its being
// there is not given away.
func (s *Service) MediaItem(ctx context.Context, viewer *news.Staff, id int64) (*media.Item, error) {
	if s.library == nil {
		return nil, ErrNoLibrary
	}
	if seesLibrary(viewer) {
		return s.store.MediaItem(ctx, id)
	}
	return s.store.PublishedMediaItem(ctx, id)
}

// MediaByHash finds the image whose file is named by hash, as viewer may
// see it (see MediaItem).
func (s *Service) MediaByHash(ctx context.Context, viewer *news.Staff, hash string) (*media.Item, error) {
	it, err := s.store.MediaByHash(ctx, hash)
	if err != nil || seesLibrary(viewer) {
		return it, err
	}
	return s.store.PublishedMediaItem(ctx, it.ID)
}

// EditorLibrary looks a body's images up in the media library for the
// visual editor's figure cards, which show each image's credit as the
// reader site will (see Prepare); nil for a viewer who does not see the
// library.
func (s *Service) EditorLibrary(ctx context.Context, viewer *news.Staff) markup.Library {
	if s.library == nil || !seesLibrary(viewer) {
		return nil
	}
	return s.libraryImage(ctx)
}

// seesLibrary reports whether viewer sees the whole library: every member
// of staff, who may all upload and use its images.
func seesLibrary(viewer *news.Staff) bool {
	return viewer != nil && viewer.Role.Can(news.PermWriteOwn)
}
