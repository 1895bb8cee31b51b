package render

import (
	"masthead/internal/media"
	"masthead/internal/news"
)

// Responsive is what a <picture> of an article's image needs besides its
// URL: the srcsets of a media-library image's variants, JPEG or PNG, AVIF
// and WebP ("" for any other image), and the size to reserve for it.
type Responsive struct {
	Srcset        string
	AVIF, WebP    string
	Width, Height int
}

// responsive reads a library image's variants from its URL alone (see
// media.PictureOf), so listing and article pages pay no query for them. The
// size in the URL is the file's own, and wins over a stored one.
func responsive(img *news.Image) Responsive {
	r := Responsive{Width: img.Width, Height: img.Height}
	if p := media.PictureOf(img.URL); p.Width > 0 {
		r = Responsive{Srcset: p.Srcset, AVIF: p.AVIF, WebP: p.WebP, Width: p.Width, Height: p.Height}
	}
	return r
}
