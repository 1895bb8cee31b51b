package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// Stripping. A photo straight from a phone says where it was taken (GPS),
// with which camera (make, model, serial number), when, and often carries
// a thumbnail of the uncropped frame, an editing history (XMP) or a
// photographer's contact details (IPTC). Before an original is stored, all
// of that is removed without touching the pixels: the segments or chunks
// that carry it are left out and everything else is copied byte for byte,
// so the image decodes exactly as uploaded. What is kept:
//
//   - the orientation, as a minimal EXIF block holding only that tag
//     (turning the pixels instead would mean re-encoding a JPEG, which
//     loses quality; browsers honour the tag);
//   - the colour profile (JPEG APP2 ICC_PROFILE, PNG iCCP and the other
//     colour chunks, WebP ICCP, the GIF ICC extension), without which
//     colours shift;
//   - what decoding needs (JFIF and Adobe markers, transparency, animation).
//
// Anything after the image's end (phones append depth maps, second images
// or videos) is dropped too. Stripping is deterministic, so the same photo
// always strips to the same bytes, and the library's content hash of the
// stripped file still finds a second upload of it.

var errMalformed = errors.New("media: malformed image structure")

// strip returns data without its metadata; o is the image's orientation
// (1 when it has none).
func strip(f Format, data []byte, o int) ([]byte, error) {
	switch f {
	case JPEG:
		return stripJPEG(data, o)
	case PNG:
		return stripPNG(data, o)
	case WebP:
		return stripWebP(data, o)
	case GIF:
		return stripGIF(data)
	}
	return nil, errMalformed
}

// ---- JPEG

var exifPrefix = []byte("Exif\x00\x00")

// jpegPart is one piece of a JPEG: a marker with its segment, or a run of
// entropy-coded image data (marker 0).
type jpegPart struct {
	marker  byte
	payload []byte // the segment after its length
	raw     []byte // the whole part as it is in the file
}

// jpegParts calls fn with each part of a JPEG, from the start-of-image
// marker to the end-of-image marker, until fn returns false.
func jpegParts(data []byte, fn func(jpegPart) bool) error {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return errMalformed
	}
	if !fn(jpegPart{marker: 0xD8, raw: data[:2]}) {
		return nil
	}
	for i := 2; ; {
		if i+2 > len(data) || data[i] != 0xFF {
			return errMalformed
		}
		for i+2 < len(data) && data[i+1] == 0xFF { // fill bytes
			i++
		}
		m := data[i+1]
		switch {
		case m == 0xD9:
			fn(jpegPart{marker: m, raw: data[i : i+2]})
			return nil
		case m == 0x01 || m >= 0xD0 && m <= 0xD7: // markers without a segment
			if !fn(jpegPart{marker: m, raw: data[i : i+2]}) {
				return nil
			}
			i += 2
			continue
		}
		if i+4 > len(data) {
			return errMalformed
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return errMalformed
		}
		if !fn(jpegPart{marker: m, payload: data[i+4 : i+2+n], raw: data[i : i+2+n]}) {
			return nil
		}
		i += 2 + n
		if m != 0xDA {
			continue
		}
		// A scan's data runs to the next marker: 0xFF followed by neither
		// a stuffed zero nor a restart marker.
		j := i
		for ; j+1 < len(data); j++ {
			if data[j] == 0xFF && data[j+1] != 0 && (data[j+1] < 0xD0 || data[j+1] > 0xD7) {
				break
			}
		}
		if j+1 >= len(data) {
			return errMalformed
		}
		if !fn(jpegPart{raw: data[i:j]}) {
			return nil
		}
		i = j
	}
}

func stripJPEG(data []byte, o int) ([]byte, error) {
	out := make([]byte, 0, len(data))
	segment := func(marker byte, payload []byte) {
		out = append(out, 0xFF, marker)
		out = binary.BigEndian.AppendUint16(out, uint16(2+len(payload)))
		out = append(out, payload...)
	}
	exif := false
	err := jpegParts(data, func(p jpegPart) bool {
		switch m := p.marker; {
		case m == 0xE0 && bytes.HasPrefix(p.payload, []byte("JFIF\x00")) && len(p.payload) >= 14:
			jfif := bytes.Clone(p.payload[:14]) // version, units and density…
			jfif[12], jfif[13] = 0, 0           // …but no thumbnail
			segment(m, jfif)
		case m == 0xE1 && bytes.HasPrefix(p.payload, exifPrefix):
			if o > 1 && !exif {
				segment(m, append(bytes.Clone(exifPrefix), orientationTIFF(o)...))
			}
			exif = true
		case m == 0xE2 && bytes.HasPrefix(p.payload, []byte("ICC_PROFILE\x00")),
			m == 0xEE: // Adobe: says how to read the colour components
			out = append(out, p.raw...)
		case m >= 0xE0 && m <= 0xEF, m == 0xFE:
			// other application data (XMP, IPTC, maker notes, second
			// images) and comments
		default:
			out = append(out, p.raw...)
		}
		return true
	})
	return out, err
}

// ---- PNG

const pngSignature = "\x89PNG\r\n\x1a\n"

type pngChunk struct {
	typ       string
	body, raw []byte
}

// pngChunks calls fn with each chunk of a PNG up to IEND, until fn returns
// false.
func pngChunks(data []byte, fn func(pngChunk) bool) error {
	if !bytes.HasPrefix(data, []byte(pngSignature)) {
		return errMalformed
	}
	for i := len(pngSignature); ; {
		if len(data)-i < 12 {
			return errMalformed
		}
		n := binary.BigEndian.Uint32(data[i:])
		if uint64(n) > uint64(len(data)-i-12) {
			return errMalformed
		}
		end := i + 12 + int(n)
		c := pngChunk{typ: string(data[i+4 : i+8]), body: data[i+8 : end-4], raw: data[i:end]}
		if !fn(c) || c.typ == "IEND" {
			return nil
		}
		i = end
	}
}

// pngKept are the ancillary chunks that change how a PNG looks: colour,
// transparency, pixel density and animation. Critical chunks (IHDR, PLTE,
// IDAT, IEND) are always kept; text, time, EXIF and anything unknown are not.
var pngKept = map[string]bool{
	"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true, "cICP": true, "mDCV": true, "cLLI": true,
	"sBIT": true, "bKGD": true, "pHYs": true, "acTL": true, "fcTL": true, "fdAT": true,
}

func stripPNG(data []byte, o int) ([]byte, error) {
	out := append(make([]byte, 0, len(data)), pngSignature...)
	exif := false
	err := pngChunks(data, func(c pngChunk) bool {
		switch {
		case c.typ == "eXIf":
			if o > 1 && !exif {
				out = appendPNGChunk(out, "eXIf", orientationTIFF(o))
			}
			exif = true
		case c.typ[0]&0x20 == 0 || pngKept[c.typ]: // critical: upper-case first letter
			out = append(out, c.raw...)
		}
		return true
	})
	return out, err
}

func appendPNGChunk(out []byte, typ string, body []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(body)))
	start := len(out)
	out = append(append(out, typ...), body...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}

// ---- WebP

type riffChunk struct {
	fourCC    string
	body, raw []byte // raw includes the padding byte of an odd-sized chunk
}

// webpChunks calls fn with each chunk of a WebP file, until fn returns
// false.
func webpChunks(data []byte, fn func(riffChunk) bool) error {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return errMalformed
	}
	size := binary.LittleEndian.Uint32(data[4:])
	if size < 4 || uint64(size) > uint64(len(data)-8) {
		return errMalformed
	}
	end := 8 + int(size)
	for i := 12; i < end; {
		if end-i < 8 {
			return errMalformed
		}
		n := binary.LittleEndian.Uint32(data[i+4:])
		if uint64(n) > uint64(end-i-8) {
			return errMalformed
		}
		next := min(i+8+int(n)+int(n&1), end)
		if !fn(riffChunk{fourCC: string(data[i : i+4]), body: data[i+8 : i+8+int(n)], raw: data[i:next]}) {
			return nil
		}
		i = next
	}
	return nil
}

// webpKept are the chunks that make up a WebP's image, colour and
// animation; EXIF, XMP and unknown chunks are left out.
var webpKept = map[string]bool{"VP8 ": true, "VP8L": true, "VP8X": true, "ALPH": true, "ICCP": true, "ANIM": true, "ANMF": true}

// The VP8X chunk's flags say which optional chunks follow.
const (
	webpFlagEXIF = 0x08
	webpFlagXMP  = 0x04
)

func stripWebP(data []byte, o int) ([]byte, error) {
	out := append(make([]byte, 0, len(data)), "RIFF\x00\x00\x00\x00WEBP"...)
	extended, exif := false, false
	err := webpChunks(data, func(c riffChunk) bool {
		switch {
		case c.fourCC == "VP8X" && len(c.body) >= 1:
			extended = true
			vp8x := bytes.Clone(c.raw)
			vp8x[8] &^= webpFlagEXIF | webpFlagXMP
			if o > 1 {
				vp8x[8] |= webpFlagEXIF
			}
			out = append(out, vp8x...)
		case c.fourCC == "EXIF":
			if o > 1 && extended && !exif {
				t := orientationTIFF(o)
				out = append(out, "EXIF"...)
				out = binary.LittleEndian.AppendUint32(out, uint32(len(t)))
				out = append(out, t...) // even-sized: no padding
			}
			exif = true
		case webpKept[c.fourCC]:
			out = append(out, c.raw...)
		}
		return true
	})
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, err
}

// ---- GIF

// gifKeptApps are the application extensions that change how a GIF
// plays or looks: looping, and its colour profile.
var gifKeptApps = map[string]bool{"NETSCAPE2.0": true, "ANIMEXTS1.0": true, "ICCRGBG1012": true}

// stripGIF leaves out a GIF's comments and the application extensions that
// carry metadata (XMP among them).
func stripGIF(data []byte) ([]byte, error) {
	if len(data) < 13 || !bytes.HasPrefix(data, []byte("GIF8")) {
		return nil, errMalformed
	}
	i := 13 + colorTableSize(data[10])
	if i > len(data) {
		return nil, errMalformed
	}
	out := append(make([]byte, 0, len(data)), data[:i]...)
	// subBlocks is where the data sub-blocks starting at j end.
	subBlocks := func(j int) (int, error) {
		for j < len(data) {
			n := int(data[j])
			j += 1 + n
			if n == 0 {
				return j, nil
			}
		}
		return 0, errMalformed
	}
	for i < len(data) {
		switch data[i] {
		case 0x3B: // trailer
			return append(out, 0x3B), nil
		case 0x2C: // an image: descriptor, local colour table, LZW code size, data
			j := i + 10
			if j > len(data) {
				return nil, errMalformed
			}
			j += colorTableSize(data[i+9]) + 1
			end, err := subBlocks(j)
			if err != nil {
				return nil, err
			}
			out = append(out, data[i:end]...)
			i = end
		case 0x21: // an extension
			if i+2 >= len(data) {
				return nil, errMalformed
			}
			end, err := subBlocks(i + 2)
			if err != nil {
				return nil, err
			}
			label, first := data[i+1], data[i+2:end]
			keep := label == 0xF9 || label == 0x01 // graphic control, plain text
			if label == 0xFF && len(first) >= 12 {
				keep = gifKeptApps[string(first[1:12])]
			}
			if keep {
				out = append(out, data[i:end]...)
			}
			i = end
		default:
			return nil, errMalformed
		}
	}
	return append(out, 0x3B), nil // a missing trailer, as decoders forgive
}

// colorTableSize is the size of the colour table a GIF's packed field
// announces.
func colorTableSize(packed byte) int {
	if packed&0x80 == 0 {
		return 0
	}
	return 3 << (packed&7 + 1)
}
