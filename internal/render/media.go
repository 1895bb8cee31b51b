package render

import (
	"masthead/internal/media"
	"masthead/internal/news"
)

// Responsive is what an <img> of an article's image needs besides its URL:
// the srcset of a media-library image's variants ("" for any other image)
// and the size to reserve for it.
type Responsive struct {
	Srcset        string
	Width, Height int
}

// responsive reads a library image's variants from its URL alone (see
// media.Srcset), so listing and article pages pay no query for them. The
// size in the URL is the file's own, and wins over a stored one.
func responsive(img *news.Image) Responsive {
	r := Responsive{Width: img.Width, Height: img.Height}
	if set, w, h := media.Srcset(img.URL); w > 0 {
		r = Responsive{Srcset: set, Width: w, Height: h}
	}
	return r
}
