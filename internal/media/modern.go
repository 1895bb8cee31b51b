package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"
	"golang.org/x/sync/semaphore"
	"golang.org/x/sync/singleflight"
)

// AVIF and WebP variants (see variants.go) are made when a reader's
// browser first asks for one, from the JPEG or PNG variant of the same
// size, and stored beside it in the file store, which serves every later
// request. The encoders take up to a second or two of CPU for a large
// variant, so an upload never waits for them, and only images readers
// actually see are ever encoded.
//
// Made from the JPEG rather than the original: the original may be a
// 50-megapixel photograph that takes far longer to decode and scale than
// the encoding itself, and at quality 82 the JPEG's losses are below what
// the smaller encodings throw away.

// Encoder settings: libavif's and libwebp's defaults for quality, WebP a
// little higher to sit near the JPEG's 82, and libavif's fastest speed
// (slower speeds took 2 to 10 times as long). On the demo's 960 px
// drawings the JPEG is about 21 KB, the WebP 12 KB and the AVIF 6 KB.
const (
	avifQuality = 60
	avifSpeed   = 10
	webpQuality = 80
)

// modernBytesPerPixel bounds what making one modern variant allocates per
// pixel, most of it the WebAssembly module's memory while libavif works
// (measured: 224 MB for an AVIF of 1600×900, 150 bytes a pixel). A variant
// that would need more than DecodeBudget (a 1600 px wide image over about
// 3,000 px tall) is served as its JPEG or PNG only.
const modernBytesPerPixel = 160

// modernKey splits a key like "lib/ab/<sha256>-960x640.avif" into the
// variant's stem ("lib/ab/<sha256>-960x640") and its size; ok is false for
// any other key.
func modernKey(key string) (stem string, w, h int, ok bool) {
	ext := path.Ext(key)
	if ext != ".avif" && ext != ".webp" {
		return "", 0, 0, false
	}
	stem = strings.TrimSuffix(key, ext)
	rest, found := strings.CutPrefix(stem, libraryDir+"/")
	if !found {
		return "", 0, 0, false
	}
	dir, name, _ := strings.Cut(rest, "/")
	hash, dims, found := strings.Cut(name, "-")
	if !found || len(hash) != 64 || !isHex(hash) || dir != hash[:2] {
		return "", 0, 0, false
	}
	ws, hs, _ := strings.Cut(dims, "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if err1 != nil || err2 != nil || w <= 0 || h <= 0 || w > VariantWidths[len(VariantWidths)-1] || h > MaxSide {
		return "", 0, 0, false
	}
	return stem, w, h, true
}

// converter makes AVIF and WebP variants on request.
type converter struct {
	files Store
	log   *slog.Logger
	// making joins the requests for one file while it is being made, so
	// it is made once.
	making singleflight.Group
	// encoding lets one variant be made at a time: on a small server the
	// readers' pages matter more than the speed at which images convert.
	// A request that finds the encoder busy with another file does not
	// queue behind it (a page of a dozen new images would keep its last
	// reader waiting for all of them): it gets the JPEG or PNG, and a
	// later request the new file.
	encoding *semaphore.Weighted
}

// errBusy says the encoder is making another file.
var errBusy = errors.New("media: the encoder is busy")

// made is a modern variant, or when it cannot be made, the JPEG or PNG it
// would have been made from.
type made struct {
	data        []byte
	contentType string
	fallback    bool
}

// make returns the file for key, a modern variant that is not in the file
// store yet: it makes it from its JPEG or PNG sibling and stores it. When
// the sibling is there but the encoder is busy or fails, it returns the
// sibling, marked as a fallback: the browser chose the address from a
// <source>, and would show a broken image for an error, where a JPEG shows
// fine.
func (c *converter) make(ctx context.Context, key, stem string, w, h int) (made, error) {
	v, err, _ := c.making.Do(key, func() (any, error) {
		// The work carries on for the others waiting, and for the store,
		// if the reader who started it leaves.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		src, srcType, err := c.source(ctx, stem)
		if err != nil {
			return made{}, err
		}
		data, err := c.encode(ctx, key, src, srcType, w, h)
		if err != nil {
			if !errors.Is(err, errBusy) {
				c.log.Error("media: make a variant", "key", key, "err", err)
			}
			return made{data: src, contentType: srcType, fallback: true}, nil
		}
		if err := c.files.Put(ctx, key, bytes.NewReader(data)); err != nil {
			// Served all the same; the next request tries storing it again.
			c.log.Error("media: store a variant", "key", key, "err", err)
		}
		return made{data: data, contentType: contentTypes[path.Ext(key)]}, nil
	})
	if err != nil {
		return made{}, err
	}
	return v.(made), nil
}

// source reads the JPEG or PNG variant with the stem.
func (c *converter) source(ctx context.Context, stem string) ([]byte, string, error) {
	for _, ext := range []string{".jpg", ".png"} {
		f, _, err := c.files.Open(ctx, stem+ext)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		data, err := io.ReadAll(io.LimitReader(f, MaxUploadBytes))
		f.Close()
		if err != nil {
			return nil, "", fmt.Errorf("media: read %s: %w", stem+ext, err)
		}
		return data, contentTypes[ext], nil
	}
	return nil, "", ErrNotFound
}

// encode decodes src, which must be w×h, and encodes it in key's format.
func (c *converter) encode(ctx context.Context, key string, src []byte, srcType string, w, h int) ([]byte, error) {
	if !c.encoding.TryAcquire(1) {
		return nil, errBusy
	}
	defer c.encoding.Release(1)
	if int64(w)*int64(h)*modernBytesPerPixel > DecodeBudget {
		return nil, fmt.Errorf("%d×%d is too large to convert", w, h)
	}
	var img image.Image
	var err error
	if srcType == "image/png" {
		img, err = png.Decode(bytes.NewReader(src))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(src))
	}
	if err != nil {
		return nil, fmt.Errorf("decode the source: %w", err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		return nil, fmt.Errorf("the source is %d×%d", b.Dx(), b.Dy())
	}
	var buf bytes.Buffer
	if path.Ext(key) == ".avif" {
		err = avif.Encode(&buf, img, avif.Options{Quality: avifQuality, QualityAlpha: avifQuality, Speed: avifSpeed, ChromaSubsampling: image.YCbCrSubsampleRatio420})
	} else {
		err = webp.Encode(&buf, img, webp.Options{Quality: webpQuality})
	}
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return buf.Bytes(), nil
}

// Handler serves GET /media/{key...} from a Store with a type taken from the
// extension (never sniffed), long caching, and a policy that forbids the
// file from running anything even if opened directly. An AVIF or WebP
// variant not made yet is made on the way (see converter).
func Handler(st Store, log *slog.Logger) http.HandlerFunc {
	conv := &converter{files: st, log: log, encoding: semaphore.NewWeighted(1)}
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.PathValue("key")
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("X-Content-Type-Options", "nosniff")
		f, mod, err := st.Open(r.Context(), key)
		if errors.Is(err, ErrNotFound) {
			if stem, vw, vh, ok := modernKey(key); ok {
				m, err := conv.make(r.Context(), key, stem, vw, vh)
				if err == nil {
					h.Set("Content-Type", m.contentType)
					h.Set("Cache-Control", cacheControl)
					if m.fallback {
						h.Set("Cache-Control", "no-store")
					}
					http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(m.data))
					return
				}
				if !errors.Is(err, ErrNotFound) {
					log.Error("media: make a variant", "key", key, "err", err)
					http.Error(w, "The image cannot be served just now.", http.StatusServiceUnavailable)
					return
				}
			}
		}
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		h.Set("Content-Type", contentTypes[strings.ToLower(path.Ext(key))])
		h.Set("Cache-Control", cacheControl)
		http.ServeContent(w, r, "", mod, f)
	}
}

// cacheControl is how long browsers and CDNs may keep a file: a week, not
// the year a content-addressed name would allow, so that an image deleted
// for a takedown leaves their caches within the week (see Library.Delete).
const cacheControl = "public, max-age=604800"
