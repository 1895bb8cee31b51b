package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sync/semaphore"

	"masthead/internal/clock"
	"masthead/internal/news"
)

// The library: images the newsroom uploads, each checked by its content,
// stripped of its metadata (strip.go), stored once however often it is
// uploaded (the key is the SHA-256 of its bytes as stored, after
// stripping), with responsive variants made on upload and a record in the
// database (the Catalog) holding the words that travel with it: alt text,
// caption and credit.

// Item is an image in the library.
type Item struct {
	ID            int64
	Hash          string // hex SHA-256 of the original's bytes as stored (stripped)
	Key           string // the original's key in the file store
	Filename      string // as uploaded, for people to recognise it by
	ContentType   string
	Width, Height int // as displayed (EXIF orientation applied)
	Bytes         int64
	Alt           string
	Caption       string
	Credit        string
	UploadedBy    int64
	UploaderName  string // filled by the store's reads
	CreatedAt     time.Time
	Variants      []Variant // smallest first; none for a GIF
}

// URL is where the original is served.
func (it *Item) URL() string { return "/media/" + it.Key }

// LeadURL is the URL an article uses for the image: its top variant (the
// image as seen, without camera metadata, at most 1600 px wide), or the
// original when there are no variants.
func (it *Item) LeadURL() string {
	if n := len(it.Variants); n > 0 {
		return it.Variants[n-1].URL()
	}
	return it.URL()
}

// ThumbURL is the smallest rendition, for grids.
func (it *Item) ThumbURL() string {
	if len(it.Variants) > 0 {
		return it.Variants[0].URL()
	}
	return it.URL()
}

// Srcset lists the item's variants for an <img srcset>.
func (it *Item) Srcset() string {
	s, _, _ := Srcset(it.LeadURL())
	return s
}

// Catalog keeps the library's records. Lookups return news.ErrNotFound.
type Catalog interface {
	MediaByHash(ctx context.Context, hash string) (*Item, error)
	// CreateMedia records it with its variants and sets it.ID. When an
	// item with the same hash was recorded first, it loads that one into
	// *it instead and reports created false.
	CreateMedia(ctx context.Context, it *Item) (created bool, err error)
}

// Library adds uploads to a file store and a catalog.
type Library struct {
	files Store
	db    Catalog
	clock clock.Clock // when uploads are made
	// budget is how many bytes the images being decoded and scaled may
	// take together (see memory.go); decoding holds an image's share of
	// it, so a second large image waits for the first.
	budget   int64
	decoding *semaphore.Weighted
}

// NewLibrary builds a library over a file store and a catalog, decoding
// within DecodeBudget.
func NewLibrary(files Store, db Catalog, clk clock.Clock) *Library {
	return &Library{files: files, db: db, clock: clk, budget: DecodeBudget, decoding: semaphore.NewWeighted(DecodeBudget)}
}

// Upload adds an image to the library. An upload the library refuses
// returns a *RejectError. When the same bytes are already in the library,
// nothing is stored again: the item returned is the existing one and
// existing is true.
func (l *Library) Upload(ctx context.Context, data []byte, filename string, by int64) (it *Item, existing bool, err error) {
	if len(data) > MaxUploadBytes {
		return nil, false, ErrTooLarge
	}
	info, err := Inspect(data)
	if err != nil {
		return nil, false, err
	}
	if info.Memory > l.budget {
		return nil, false, reject(http.StatusUnprocessableEntity,
			"That %s image (%d×%d pixels) would take %d MB of memory to prepare for the web; the library works with up to %d MB. Scale it down, or save it with 8 bits per channel, and upload it again.",
			info.Format.label(), info.Width, info.Height, (info.Memory+1<<20-1)>>20, l.budget>>20)
	}
	if data, err = strip(info.Format, data, info.Orientation); err != nil {
		return nil, false, damaged(info.Format)
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	switch found, err := l.db.MediaByHash(ctx, hash); {
	case err == nil:
		return found, true, nil
	case !errors.Is(err, news.ErrNotFound):
		return nil, false, err
	}
	rends, err := l.variants(ctx, data, info, hash)
	if err != nil {
		return nil, false, err
	}
	// Files are named by their content, so writing one that a concurrent
	// upload of the same image also writes is harmless.
	key := OriginalKey(hash, info.Format)
	if err := l.files.Put(ctx, key, bytes.NewReader(data)); err != nil {
		return nil, false, err
	}
	it = &Item{Hash: hash, Key: key, Filename: CleanFilename(filename), ContentType: info.Format.ContentType(),
		Width: info.Width, Height: info.Height, Bytes: int64(len(data)), UploadedBy: by, CreatedAt: l.clock.Now()}
	for _, r := range rends {
		if err := l.files.Put(ctx, r.Key, bytes.NewReader(r.data)); err != nil {
			return nil, false, err
		}
		it.Variants = append(it.Variants, r.Variant)
	}
	created, err := l.db.CreateMedia(ctx, it)
	if err != nil {
		return nil, false, err
	}
	return it, !created, nil
}

// Delete removes the item's files from the file store: the original and
// every variant, with the variants' AVIF and WebP siblings if they were
// made. Its record is the catalog's to remove, after this, so a deletion
// interrupted halfway can be run again from the record.
func (l *Library) Delete(ctx context.Context, it *Item) error {
	keys := []string{it.Key}
	for _, v := range it.Variants {
		stem := strings.TrimSuffix(v.Key, path.Ext(v.Key))
		keys = append(keys, stem+".avif", stem+".webp", v.Key)
	}
	for _, key := range keys {
		if err := l.files.Delete(ctx, key); err != nil {
			return err
		}
	}
	return nil
}

// NamedBy reports whether url is the address of one of the item's files
// (its original or a variant), on this site or spelled out in full: they
// all carry the original's hash ("/media/lib/ab/<sha256>-960x640.jpg").
func (it *Item) NamedBy(url string) bool {
	return len(it.Hash) == 64 && strings.Contains(url, "/media/"+libraryDir+"/"+it.Hash[:2]+"/"+it.Hash)
}

// variants decodes the image and makes its variants, within the library's
// memory budget: it waits until the decodes in progress leave room for it.
func (l *Library) variants(ctx context.Context, data []byte, info Info, hash string) ([]rendition, error) {
	if err := l.decoding.Acquire(ctx, info.Memory); err != nil {
		return nil, err
	}
	defer l.decoding.Release(info.Memory)
	img, err := decode(info.Format, data)
	if err != nil {
		return nil, damaged(info.Format)
	}
	return makeVariants(img, info, hash)
}

// CleanFilename keeps the last element of an uploaded file's name (some
// browsers send a whole path), without control characters, at most 200
// bytes.
func CleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	for len(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return strings.TrimSpace(name)
}

// Size is the original's size for people: "840 KB", "2.4 MB".
func (it *Item) Size() string {
	if it.Bytes < 1<<20 {
		return fmt.Sprintf("%d KB", (it.Bytes+1023)>>10)
	}
	return fmt.Sprintf("%.1f MB", float64(it.Bytes)/(1<<20))
}

// Filter selects library items, newest first.
type Filter struct {
	Query string // words in the file name, alt text, caption or credit
	// Published keeps only the images published articles use, as lead
	// image or in their body.
	Published bool
	Limit     int
	Offset    int
}
