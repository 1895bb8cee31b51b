package media

import (
	"bytes"
	"encoding/binary"
	"image"
)

// Phones store photos as the sensor saw them and say in the EXIF
// orientation tag (1–8) how to turn them; Go's decoders ignore it, so the
// variants would come out sideways without it. The tag is read from a
// JPEG's APP1 Exif segment, a PNG's eXIf chunk or a WebP's EXIF chunk, and
// every offset is checked against the data's length.

// orientation reads the EXIF orientation of an image, 1 when it has none.
func orientation(f Format, data []byte) int {
	o := 0
	switch f {
	case JPEG:
		o = tiffOrientation(readJPEGHeader(data).exif)
	case PNG:
		_ = pngChunks(data, func(c pngChunk) bool {
			if c.typ == "eXIf" {
				o = tiffOrientation(c.body)
			}
			return c.typ != "eXIf" && c.typ != "IDAT"
		})
	case WebP:
		_ = webpChunks(data, func(c riffChunk) bool {
			if c.fourCC == "EXIF" {
				// Some writers put JPEG's "Exif\0\0" before the TIFF data.
				o = tiffOrientation(bytes.TrimPrefix(c.body, []byte("Exif\x00\x00")))
			}
			return c.fourCC != "EXIF"
		})
	}
	return max(o, 1)
}

// jpegHeader is what the segments before a JPEG's image data say: as much
// as deciding how to read it, and how much memory that takes, needs.
type jpegHeader struct {
	exif        []byte // the TIFF structure of the APP1 Exif segment
	progressive bool
	comps       []jpegComponent
	jfif        bool // an APP0 JFIF segment: three components are YCbCr
	adobe       bool // an APP14 Adobe segment, with its colour transform
	transform   byte
}

type jpegComponent struct {
	id   byte
	h, v int // sampling factors
}

func readJPEGHeader(data []byte) jpegHeader {
	var h jpegHeader
	_ = jpegParts(data, func(p jpegPart) bool {
		b := p.payload
		switch {
		case p.marker == 0xE0 && bytes.HasPrefix(b, []byte("JFIF\x00")):
			h.jfif = true
		case p.marker == 0xE1 && bytes.HasPrefix(b, []byte("Exif\x00\x00")) && h.exif == nil:
			h.exif = b[6:]
		case p.marker == 0xEE && len(b) >= 12 && bytes.HasPrefix(b, []byte("Adobe")):
			h.adobe, h.transform = true, b[11]
		case p.marker >= 0xC0 && p.marker <= 0xC2 && len(b) >= 6: // the frame: baseline, extended or progressive
			h.progressive = p.marker == 0xC2
			n := int(b[5])
			for i := 0; i < n && 6+3*i+2 <= len(b); i++ {
				c := b[6+3*i:]
				h.comps = append(h.comps, jpegComponent{id: c[0], h: int(c[1] >> 4), v: int(c[1] & 0x0F)})
			}
		}
		return p.marker != 0xDA // the header ends where the first scan starts
	})
	return h
}

// tiffOrientation finds tag 0x0112 in the first IFD of a TIFF structure;
// 0 when it is missing or out of range.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 0
	}
	count := int(bo.Uint16(t[ifd:]))
	for k := 0; k < count; k++ {
		e := ifd + 2 + 12*k
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 { // SHORT
			if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 0
		}
	}
	return 0
}

// orientationTIFF is the smallest EXIF structure there is: one IFD with
// one entry, the orientation. It is all of a photo's EXIF the library
// keeps (see strip).
func orientationTIFF(o int) []byte {
	t := []byte("MM\x00*\x00\x00\x00\x08" + // big-endian; the IFD at offset 8
		"\x00\x01" + // one entry:
		"\x01\x12\x00\x03\x00\x00\x00\x01\x00\x00\x00\x00" + // orientation, SHORT, one value (set below)
		"\x00\x00\x00\x00") // no next IFD
	binary.BigEndian.PutUint16(t[18:], uint16(o))
	return t
}

// orient turns an image stored with EXIF orientation o into the way it is
// meant to be seen. Orientations 5–8 swap width and height.
func orient(src *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return src
	}
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := sw, sh
	if o >= 5 {
		dw, dh = sh, sw
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = sw-1-x, y
			case 3: // upside down
				sx, sy = sw-1-x, sh-1-y
			case 4: // mirrored and upside down
				sx, sy = x, sh-1-y
			case 5: // transposed
				sx, sy = y, x
			case 6: // stored turned a quarter anticlockwise: turn it clockwise
				sx, sy = y, sh-1-x
			case 7: // transversed
				sx, sy = sw-1-y, sh-1-x
			case 8: // stored turned a quarter clockwise: turn it back
				sx, sy = sw-1-y, x
			}
			si := src.PixOffset(b.Min.X+sx, b.Min.Y+sy)
			di := dst.PixOffset(x, y)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}
