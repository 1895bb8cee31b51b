package media

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
)

// Responsive variants. Every library image except a GIF is stored again at
// a few widths so a phone never downloads a print-sized photo:
//
//	lib/ab/<sha256>.jpg             the original, byte for byte
//	lib/ab/<sha256>-1600x1067.jpg   the largest variant ("top"): the image as
//	                                seen, at most 1600 px wide
//	lib/ab/<sha256>-960x640.jpg     every standard width below it
//	lib/ab/<sha256>-480x320.jpg
//
// Images are never enlarged: one 1200 px wide gets 480, 960 and 1200. The
// top variant is what an article's lead image points at, and its name
// carries everything a reader page needs (see Srcset), so pages build their
// srcset without touching the database.
//
// Variants are JPEG (quality 82) for opaque images and PNG for images with
// transparency, which every browser shows. Each has AVIF and WebP siblings
// of the same name ("-960x640.avif", "-960x640.webp"), a third to a tenth
// of the bytes, which pages offer through <picture>: those encoders are
// libavif and libwebp compiled to WebAssembly, too slow to run while an
// upload waits (an AVIF of 1600 px takes a second or more), so they are
// made from the JPEG or PNG variant when first asked for (modern.go).
// Variants carry no camera metadata, and EXIF orientation is applied to
// their pixels.

// VariantWidths are the standard widths, smallest first.
var VariantWidths = []int{480, 960, 1600}

const (
	libraryDir  = "lib"
	jpegQuality = 82
)

// Variant is one stored rendition of a library image.
type Variant struct {
	Key           string
	Width, Height int
	Bytes         int64
	ContentType   string
}

// URL is where the variant is served.
func (v Variant) URL() string { return "/media/" + v.Key }

// OriginalKey is where the original of an image with this SHA-256 is kept.
func OriginalKey(hash string, f Format) string {
	return libraryDir + "/" + hash[:2] + "/" + hash + f.Ext()
}

func variantKey(hash string, w, h int, ext string) string {
	return fmt.Sprintf("%s/%s/%s-%dx%d%s", libraryDir, hash[:2], hash, w, h, ext)
}

// scaledHeight is the height of a w×h image scaled to width nw, rounded.
func scaledHeight(w, h, nw int) int {
	return max(1, (h*nw+w/2)/w)
}

// plan lists the variant sizes of an image seen at w×h, smallest first,
// the top one last. A standard width within 10% of the top is left out: it
// would cost a file and save no bytes. plan of the top size gives the same
// list, which is what lets Srcset work from the top variant's name.
func plan(w, h int) [][2]int {
	top := min(w, VariantWidths[len(VariantWidths)-1])
	th := scaledHeight(w, h, top)
	var sizes [][2]int
	for _, vw := range VariantWidths {
		if vw*10 < top*9 {
			sizes = append(sizes, [2]int{vw, scaledHeight(top, th, vw)})
		}
	}
	return append(sizes, [2]int{top, th})
}

// Srcset reads the URL of a library image's top variant
// ("/media/lib/ab/<sha256>-1600x1067.jpg") and returns the srcset that lists
// all its variants, with the top variant's size. For any other URL it
// returns "" and zeros; for an image too small to have smaller variants, ""
// and its size.
func Srcset(url string) (srcset string, width, height int) {
	p := PictureOf(url)
	return p.Srcset, p.Width, p.Height
}

// Picture is what a <picture> of a library image needs besides its URL, all
// read from the URL of its top variant (see Srcset).
type Picture struct {
	Width, Height int // the top variant's
	// Srcset lists the JPEG or PNG variants, "" when there is only the top
	// one.
	Srcset string
	// AVIF and WebP list the same sizes in those formats, always with
	// width descriptors (even for one size), for <source> elements; ""
	// for an image that is not a library variant. The files are made on
	// first request (see Handler).
	AVIF, WebP string
}

// PictureOf reads the URL of a library image's top variant and returns
// what a <picture> showing it needs. For any other URL it returns a zero
// Picture.
func PictureOf(url string) Picture {
	rest, ok := strings.CutPrefix(url, "/media/"+libraryDir+"/")
	if !ok {
		return Picture{}
	}
	dir, name, _ := strings.Cut(rest, "/")
	var ext string
	switch {
	case strings.HasSuffix(name, ".jpg"):
		ext = ".jpg"
	case strings.HasSuffix(name, ".png"):
		ext = ".png"
	default:
		return Picture{}
	}
	hash, dims, ok := strings.Cut(strings.TrimSuffix(name, ext), "-")
	if !ok || len(hash) != 64 || !isHex(hash) || dir != hash[:2] {
		return Picture{}
	}
	ws, hs, _ := strings.Cut(dims, "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if err1 != nil || err2 != nil || w <= 0 || h <= 0 || w > VariantWidths[len(VariantWidths)-1] || h > MaxSide {
		return Picture{}
	}
	sizes := plan(w, h)
	if top := sizes[len(sizes)-1]; top != [2]int{w, h} {
		return Picture{}
	}
	list := func(ext string) string {
		var b strings.Builder
		for i, s := range sizes {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "/media/%s %dw", variantKey(hash, s[0], s[1], ext), s[0])
		}
		return b.String()
	}
	p := Picture{Width: w, Height: h, AVIF: list(".avif"), WebP: list(".webp")}
	if len(sizes) > 1 {
		p.Srcset = list(ext)
	}
	return p
}

// HashOf returns the SHA-256 that names the library image served at url,
// the original's or a variant's ("/media/lib/ab/<sha256>[-WxH].ext"), or
// "" for any other address.
func HashOf(url string) string {
	rest, ok := strings.CutPrefix(url, "/media/"+libraryDir+"/")
	if !ok {
		return ""
	}
	dir, name, _ := strings.Cut(rest, "/")
	if len(name) < 66 || (name[64] != '.' && name[64] != '-') || !isHex(name[:64]) || dir != name[:2] {
		return ""
	}
	return name[:64]
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// rendition is an encoded variant on its way to the file store.
type rendition struct {
	Variant
	data []byte
}

// makeVariants scales img (decoded, as stored, with the header's info) to
// every size in its plan and encodes each. Each variant is scaled from the
// next larger one with Catmull-Rom, a sharp cubic filter that x/image/draw
// widens when shrinking, so there is no aliasing; the cascade keeps the
// cost of the smaller sizes down.
func makeVariants(img image.Image, info Info, hash string) ([]rendition, error) {
	if info.Format == GIF {
		return nil, nil // kept as uploaded, so animation survives
	}
	ext, ctype := ".jpg", "image/jpeg"
	if !opaque(img) {
		ext, ctype = ".png", "image/png"
	}
	sizes := plan(info.Width, info.Height)
	out := make([]rendition, len(sizes))
	src := img
	for i := len(sizes) - 1; i >= 0; i-- {
		w, h := sizes[i][0], sizes[i][1]
		sw, sh := w, h // in the stored orientation
		if info.Orientation >= 5 {
			sw, sh = h, w
		}
		dst := image.NewRGBA(image.Rect(0, 0, sw, sh))
		if sb := src.Bounds(); sb.Dx() == sw && sb.Dy() == sh {
			draw.Draw(dst, dst.Bounds(), src, sb.Min, draw.Src)
		} else {
			draw.CatmullRom.Scale(dst, dst.Bounds(), src, sb, draw.Src, nil)
		}
		src = dst
		var buf bytes.Buffer
		var err error
		if ext == ".jpg" {
			err = jpeg.Encode(&buf, orient(dst, info.Orientation), &jpeg.Options{Quality: jpegQuality})
		} else {
			err = png.Encode(&buf, orient(dst, info.Orientation))
		}
		if err != nil {
			return nil, fmt.Errorf("encode %dx%d variant: %w", w, h, err)
		}
		out[i] = rendition{Variant: Variant{Key: variantKey(hash, w, h, ext), Width: w, Height: h, Bytes: int64(buf.Len()), ContentType: ctype}, data: buf.Bytes()}
	}
	return out, nil
}

// opaque reports whether an image has no transparent pixel. Every image
// type the decoders return can tell; anything else is treated as having
// transparency, which costs only a larger file.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}
