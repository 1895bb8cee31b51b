package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"

	"golang.org/x/image/webp"
)

// Limits on what the library accepts. The byte limit is what a newsroom
// photo needs; the pixel limits keep a small file that claims to be huge
// (a "decompression bomb") from being decoded at all: the size in the
// header is checked before a single pixel is. So is the memory decoding it
// would take (see memory.go), which pixels alone do not tell: a 16-bit PNG
// takes twice the bytes of an 8-bit one.
const (
	MaxUploadBytes = 20 << 20
	MaxPixels      = 50_000_000 // a 50-megapixel camera's frame
	MaxSide        = 20_000
)

// Format is an image encoding the library accepts.
type Format string

const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// formats maps the type sniffed from a file's first bytes to its format.
var formats = map[string]Format{"image/jpeg": JPEG, "image/png": PNG, "image/gif": GIF, "image/webp": WebP}

// ContentType is the format's MIME type.
func (f Format) ContentType() string { return "image/" + string(f) }

// Ext is the file extension the library stores the format under.
func (f Format) Ext() string {
	if f == JPEG {
		return ".jpg"
	}
	return "." + string(f)
}

// RejectError says why an upload was refused, in words for the person who
// sent it. Status is the HTTP status that fits.
type RejectError struct {
	Status int
	Msg    string
}

func (e *RejectError) Error() string { return e.Msg }

func reject(status int, format string, args ...any) error {
	return &RejectError{Status: status, Msg: fmt.Sprintf(format, args...)}
}

func damaged(f Format) error {
	return reject(http.StatusUnprocessableEntity, "That %s image is damaged or incomplete and could not be read.", f.label())
}

// ErrTooLarge is returned for an upload over MaxUploadBytes.
var ErrTooLarge = &RejectError{Status: http.StatusRequestEntityTooLarge,
	Msg: fmt.Sprintf("That file is larger than %d MB. Export a smaller JPEG (a few megabytes is plenty for the web) and upload it again.", MaxUploadBytes>>20)}

// Info is what an image's header says about it.
type Info struct {
	Format        Format
	Width, Height int // as displayed: EXIF orientation already applied
	Orientation   int // EXIF orientation, 1 (as stored) to 8
	// Memory is how many bytes decoding the image and making its
	// variants allocate, at most.
	Memory int64
}

// Inspect checks that data is an image the library accepts, by its content
// and never by its name: the type is sniffed from the first bytes, then the
// format's own decoder must read a sane header. Nothing is decoded beyond
// the header, so this is cheap enough to run before anything else.
func Inspect(data []byte) (Info, error) {
	if len(data) == 0 {
		return Info{}, reject(http.StatusBadRequest, "That file is empty.")
	}
	sniffed := http.DetectContentType(data)
	f, ok := formats[sniffed]
	if !ok {
		return Info{}, reject(http.StatusUnsupportedMediaType,
			"That file is not a JPEG, PNG, GIF or WebP image (its content looks like %s, whatever its name says). Only those images can be uploaded.", sniffed)
	}
	cfg, err := decodeConfig(f, data)
	if err != nil {
		return Info{}, damaged(f)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.Width*cfg.Height > MaxPixels {
		return Info{}, reject(http.StatusUnprocessableEntity,
			"That image is %d×%d pixels; the library takes up to %d megapixels and %d pixels a side. Scale it down and upload it again.",
			cfg.Width, cfg.Height, MaxPixels/1_000_000, MaxSide)
	}
	info := Info{Format: f, Width: cfg.Width, Height: cfg.Height, Orientation: orientation(f, data)}
	if info.Orientation >= 5 { // turned a quarter: the displayed sides swap
		info.Width, info.Height = info.Height, info.Width
	}
	info.Memory = decodedBytes(f, cfg, data) + variantBytes(info, cfg.Width, cfg.Height)
	return info, nil
}

func (f Format) label() string {
	return map[Format]string{JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WebP: "WebP"}[f]
}

// Each format's own decoder is called, not image.Decode, so a format some
// other package registers can never slip in.
func decodeConfig(f Format, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		return jpeg.DecodeConfig(r)
	case PNG:
		return png.DecodeConfig(r)
	case GIF:
		return gif.DecodeConfig(r)
	case WebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, errors.New("unknown format")
}

func decode(f Format, data []byte) (image.Image, error) {
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case GIF:
		return gif.Decode(r)
	case WebP:
		return webp.Decode(r)
	}
	return nil, errors.New("unknown format")
}
