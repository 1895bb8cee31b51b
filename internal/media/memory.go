package media

import (
	"image"
	"image/color"
)

// Memory. Decoding an image and scaling it down takes far more memory than
// its file: a 439 KB PNG of 2500×20000 pixels at 16 bits per channel
// decodes to 400 MB, and scaling that to 1600 px wide needs another 1 GB of
// working space. So before anything is decoded, the library works out from
// the header how many bytes Go's decoder and the variants will allocate —
// the decoded image in the type the decoder returns, and the scaler's
// buffers — refuses an image that needs more than its budget, and lets the
// decodes in progress together hold no more than that budget.

// DecodeBudget is how many bytes the decodes in progress may allocate
// together. It fits any photograph up to MaxPixels (a 50-megapixel JPEG
// taken sideways needs about 660 MB), one at a time; the Go runtime may
// hold up to twice the live heap before it collects.
const DecodeBudget = 768 << 20

// codecBytes covers what a decoder or encoder allocates whatever the
// image's size: tables, row buffers, compression state.
const codecBytes = 1 << 20

// decodedBytes is what decoding an image of this header allocates.
func decodedBytes(f Format, cfg image.Config, data []byte) int64 {
	w, h := int64(cfg.Width), int64(cfg.Height)
	return codecBytes + decodedPixelBytes(f, w, h, cfg.ColorModel, data)
}

func decodedPixelBytes(f Format, w, h int64, model color.Model, data []byte) int64 {
	switch f {
	case PNG:
		// Grey becomes 4 bytes a pixel when the image has a transparent
		// colour (which the header does not say), 16 bits twice that.
		bpp := int64(4)
		switch model {
		case color.Gray16Model, color.RGBA64Model, color.NRGBA64Model:
			bpp = 8
		default:
			if _, ok := model.(color.Palette); ok {
				bpp = 1
			}
		}
		n := w * h * bpp
		if len(data) > 28 && data[28] == 1 { // interlaced: each pass is decoded on its own, then copied in
			n *= 2
		}
		return n
	case JPEG:
		return readJPEGHeader(data).decodedBytes(w, h)
	case GIF:
		return w * h // one byte a pixel; only the first frame is decoded
	case WebP:
		return 8 * w * h // lossless: 4 bytes a pixel, and as much again while transforms are undone
	}
	return 0
}

// decodedBytes follows Go's JPEG decoder: each component is kept at its
// own sampling, padded to whole blocks; a progressive image also keeps
// every coefficient (an int32 a sample) until the last scan; CMYK and RGB
// images are converted to a 4-byte-a-pixel image at the end.
func (jh jpegHeader) decodedBytes(w, h int64) int64 {
	hmax, vmax := 1, 1
	for _, c := range jh.comps {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	mcusX := (w + 8*int64(hmax) - 1) / (8 * int64(hmax))
	mcusY := (h + 8*int64(vmax) - 1) / (8 * int64(vmax))
	var n int64
	for _, c := range jh.comps {
		samples := 64 * int64(c.h*c.v) * mcusX * mcusY
		n += samples
		if jh.progressive {
			n += 4 * samples
		}
	}
	if len(jh.comps) == 4 || len(jh.comps) == 3 && jh.rgb() {
		n += 4 * w * h
	}
	return n
}

// rgb reports whether Go's decoder reads three components as RGB rather
// than YCbCr.
func (jh jpegHeader) rgb() bool {
	if jh.jfif {
		return false
	}
	if jh.adobe {
		return jh.transform == 0
	}
	return jh.comps[0].id == 'R' && jh.comps[1].id == 'G' && jh.comps[2].id == 'B'
}

// variantBytes is what makeVariants allocates for an image stored at
// sw×sh: for each variant, the scaled image, the Catmull-Rom scaler's
// buffer (four float64s for each pixel of the destination's width times
// the source's height) and weight tables, the turned copy, and the encoded
// file with its buffer's growth.
func variantBytes(info Info, sw, sh int) int64 {
	if info.Format == GIF {
		return 0
	}
	var n int64
	sizes := plan(info.Width, info.Height)
	for i := len(sizes) - 1; i >= 0; i-- {
		w, h := int64(sizes[i][0]), int64(sizes[i][1])
		if info.Orientation >= 5 {
			w, h = h, w
		}
		n += 4 * w * h
		if w != int64(sw) || h != int64(sh) {
			n += 32*w*int64(sh) + 128*int64(sw+sh)
		}
		if info.Orientation > 1 {
			n += 4 * w * h
		}
		n += 8*w*h + codecBytes
		sw, sh = int(w), int(h)
	}
	return n
}
