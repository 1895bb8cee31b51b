package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/webp"
)

// The camera's secrets, to look for after stripping.
const (
	camera  = "Acme PhoneCam 9000"
	serial  = "SN-4411-2093"
	caption = "At home, 12 Orchard Lane"
)

// cameraTIFF is the EXIF of a phone photo: make, serial number, the
// orientation o and a GPS position (51° 30′ N).
func cameraTIFF(o uint16) []byte {
	be := binary.BigEndian
	var t []byte
	t = append(t, "MM\x00*"...)
	t = be.AppendUint32(t, 8)
	// IFD0 at 8: four entries (2 + 4×12 + 4 = 54 bytes), then its data.
	data := 8 + 54
	t = be.AppendUint16(t, 4)
	entry := func(tag, typ uint16, count, value uint32) {
		t = be.AppendUint16(t, tag)
		t = be.AppendUint16(t, typ)
		t = be.AppendUint32(t, count)
		t = be.AppendUint32(t, value)
	}
	entry(0x010F, 2, uint32(len(camera)+1), uint32(data))                     // Make, ASCII
	entry(0x0112, 3, 1, uint32(o)<<16)                                        // Orientation, SHORT
	entry(0xA431, 2, uint32(len(serial)+1), uint32(data+len(camera)+1))       // BodySerialNumber
	entry(0x8825, 4, 1, uint32(data+len(camera)+1+len(serial)+1))             // GPS IFD pointer
	t = be.AppendUint32(t, 0)                                                 // no next IFD
	t = append(append(append(t, camera...), 0), append([]byte(serial), 0)...) // IFD0's data
	gps := len(t)
	t = be.AppendUint16(t, 2)
	t = be.AppendUint16(t, 0x0001) // GPSLatitudeRef "N"
	t = be.AppendUint16(t, 2)
	t = be.AppendUint32(t, 2)
	t = append(t, 'N', 0, 0, 0)
	t = be.AppendUint16(t, 0x0002) // GPSLatitude, three RATIONALs
	t = be.AppendUint16(t, 5)
	t = be.AppendUint32(t, 3)
	t = be.AppendUint32(t, uint32(gps+2+2*12+4))
	t = be.AppendUint32(t, 0)
	for _, r := range [][2]uint32{{51, 1}, {30, 1}, {2677, 100}} {
		t = be.AppendUint32(be.AppendUint32(t, r[0]), r[1])
	}
	return t
}

// jpegWithMetadata is a JPEG as a phone and a photo editor leave it: JFIF
// with a thumbnail, EXIF with GPS, XMP, IPTC, an ICC profile, a comment,
// and a second image after the end.
func jpegWithMetadata(t *testing.T, m image.Image, o uint16) []byte {
	j := encodeJPEG(t, m)
	seg := func(marker byte, payload string) []byte {
		b := []byte{0xFF, marker}
		b = binary.BigEndian.AppendUint16(b, uint16(2+len(payload)))
		return append(b, payload...)
	}
	// Go's encoder writes no APP0: add one with a 1×1 thumbnail.
	jfif := "JFIF\x00\x01\x02\x00\x00\x48\x00\x48\x01\x01\xFF\x00\x00"
	var out []byte
	out = append(out, j[:2]...)
	out = append(out, seg(0xE0, jfif)...)
	out = append(out, seg(0xE1, "Exif\x00\x00"+string(cameraTIFF(o)))...)
	out = append(out, seg(0xE1, "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>"+camera+"</x:xmpmeta>")...)
	out = append(out, seg(0xE2, "ICC_PROFILE\x00\x01\x01fake-profile")...)
	out = append(out, seg(0xED, "Photoshop 3.0\x008BIM\x04\x04"+caption)...)
	out = append(out, seg(0xFE, "Shot by "+camera)...)
	out = append(out, j[2:]...)
	return append(out, "\xFF\xD8trailing "+serial...) // a second image after EOI
}

func pngWithMetadata(t *testing.T, m image.Image, o uint16) []byte {
	p := encodePNG(t, m)
	ihdrEnd := 8 + 12 + 13
	var out []byte
	out = append(out, p[:ihdrEnd]...)
	out = appendPNGChunk(out, "iCCP", []byte("fake\x00\x00profile"))
	out = appendPNGChunk(out, "tEXt", []byte("Author\x00"+camera))
	out = appendPNGChunk(out, "iTXt", []byte("Description\x00\x00\x00\x00\x00"+caption))
	out = appendPNGChunk(out, "tIME", []byte{0x07, 0xE9, 1, 2, 3, 4, 5})
	out = appendPNGChunk(out, "eXIf", cameraTIFF(o))
	out = appendPNGChunk(out, "prVt", []byte(serial)) // an unknown private chunk
	return append(out, p[ihdrEnd:]...)
}

// webpWithMetadata wraps a lossless WebP in the extended format with an
// ICC profile, EXIF and XMP.
func webpWithMetadata(w, h int, o uint16) []byte {
	simple := webpSolid(w, h, color.NRGBA{200, 100, 50, 255})
	chunk := func(fourCC string, body []byte) []byte {
		b := binary.LittleEndian.AppendUint32([]byte(fourCC), uint32(len(body)))
		b = append(b, body...)
		if len(body)%2 == 1 {
			b = append(b, 0)
		}
		return b
	}
	vp8x := []byte{0x20 | 0x08 | 0x04, 0, 0, 0} // ICC, EXIF, XMP
	vp8x = append(vp8x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16), byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	var body []byte
	body = append(body, "WEBP"...)
	body = append(body, chunk("VP8X", vp8x)...)
	body = append(body, chunk("ICCP", []byte("fake-profile"))...)
	body = append(body, simple[12:]...) // the VP8L chunk
	body = append(body, chunk("EXIF", cameraTIFF(o))...)
	body = append(body, chunk("XMP ", []byte("<x:xmpmeta>"+camera+"</x:xmpmeta>"))...)
	return append(binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(body))), body...)
}

func gifWithMetadata(t *testing.T, m image.Image) []byte {
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{paletted(m)}, Delay: []int{0}, LoopCount: 0}); err != nil {
		t.Fatal(err)
	}
	g := b.Bytes()
	i := 13 + colorTableSize(g[10])
	var out []byte
	out = append(out, g[:i]...)
	out = append(out, 0x21, 0xFE, byte(len(camera)))
	out = append(out, camera...)
	out = append(out, 0, 0x21, 0xFF, 11)
	out = append(out, "XMP DataXMP"...)
	out = append(out, byte(len(caption)))
	out = append(out, caption...)
	out = append(out, 0)
	return append(out, g[i:]...)
}

func paletted(m image.Image) *image.Paletted {
	p := image.NewPaletted(m.Bounds(), []color.Color{color.Black, color.White, color.RGBA{200, 0, 0, 255}})
	for y := m.Bounds().Min.Y; y < m.Bounds().Max.Y; y++ {
		for x := m.Bounds().Min.X; x < m.Bounds().Max.X; x++ {
			p.Set(x, y, m.At(x, y))
		}
	}
	return p
}

func decodeAny(t *testing.T, f Format, b []byte) image.Image {
	t.Helper()
	var m image.Image
	var err error
	switch f {
	case JPEG:
		m, err = jpeg.Decode(bytes.NewReader(b))
	case PNG:
		m, err = png.Decode(bytes.NewReader(b))
	case GIF:
		m, err = gif.Decode(bytes.NewReader(b))
	case WebP:
		m, err = webp.Decode(bytes.NewReader(b))
	}
	if err != nil {
		t.Fatalf("decode %s: %v", f, err)
	}
	return m
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

func TestStrip(t *testing.T) {
	m := photo(64, 48)
	tests := []struct {
		name    string
		format  Format
		data    []byte
		orient  int
		profile string // the colour profile that must survive
	}{
		{"jpeg", JPEG, jpegWithMetadata(t, m, 6), 6, "ICC_PROFILE\x00\x01\x01fake-profile"},
		{"jpeg upright", JPEG, jpegWithMetadata(t, m, 1), 1, "ICC_PROFILE"},
		{"png", PNG, pngWithMetadata(t, translucent(40, 30), 8), 8, "iCCPfake\x00\x00profile"},
		{"webp", WebP, webpWithMetadata(50, 40, 3), 3, "ICCP\x0c\x00\x00\x00fake-profile"},
		{"gif", GIF, gifWithMetadata(t, m), 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Inspect(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if info.Orientation != tt.orient {
				t.Errorf("orientation %d, want %d", info.Orientation, tt.orient)
			}
			out, err := strip(tt.format, tt.data, info.Orientation)
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{camera, serial, caption, "\x88\x25", "xmpmeta", "tEXt", "iTXt", "tIME", "prVt", "trailing"} {
				if bytes.Contains(out, []byte(secret)) {
					t.Errorf("%q survived", secret)
				}
			}
			if !bytes.Contains(out, []byte(tt.profile)) {
				t.Error("the colour profile was lost")
			}
			if got := orientation(tt.format, out); got != tt.orient {
				t.Errorf("stripped orientation %d, want %d", got, tt.orient)
			}
			if tt.orient > 1 && !bytes.Contains(out, orientationTIFF(tt.orient)) {
				t.Error("the orientation is not kept as a minimal EXIF block")
			}
			if !samePixels(decodeAny(t, tt.format, tt.data), decodeAny(t, tt.format, out)) {
				t.Error("the pixels changed")
			}
			if again, err := strip(tt.format, out, info.Orientation); err != nil || !bytes.Equal(again, out) {
				t.Errorf("stripping is not idempotent: %v", err)
			}
		})
	}
	if _, err := strip(JPEG, encodeJPEG(t, m)[:300], 1); err == nil {
		t.Error("a cut-off JPEG was stripped without complaint")
	}
}
