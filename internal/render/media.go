package render

import (
	"strconv"

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

// appendPicture opens a <picture> with img's AVIF and WebP sources and
// writes its <img>, which imgOpen begins (up to its src="), up to the
// value of its height attribute; the caller closes the tag. sizes is the
// attribute's text, from its closing quote before to the closing ">" of
// a source.
func appendPicture(b []byte, img *news.Image, r Responsive, imgOpen, sizes string) []byte {
	b = append(b, `<picture>`...)
	if r.AVIF != "" {
		b = append(b, `<source type="image/avif" srcset="`...)
		b = appendSrcset(b, r.AVIF)
		b = append(b, sizes...)
	}
	if r.WebP != "" {
		b = append(b, `<source type="image/webp" srcset="`...)
		b = appendSrcset(b, r.WebP)
		b = append(b, sizes...)
	}
	b = append(b, imgOpen...)
	b = appendURL(b, img.URL)
	b = append(b, '"')
	if r.Srcset != "" {
		b = append(b, ` srcset="`...)
		b = appendSrcset(b, r.Srcset)
		b = append(b, sizes[:len(sizes)-1]...)
	}
	b = append(b, ` alt="`...)
	b = appendEscaped(b, img.Alt)
	b = append(b, `" width="`...)
	b = strconv.AppendInt(b, int64(r.Width), 10)
	b = append(b, `" height="`...)
	return strconv.AppendInt(b, int64(r.Height), 10)
}
