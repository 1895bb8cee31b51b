package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// photo is a w×h opaque gradient, something like a photograph to a codec.
func photo(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 255})
		}
	}
	return m
}

func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// translucent is a w×h image whose left half is see-through.
func translucent(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint8(255)
			if x < w/2 {
				a = 80
			}
			m.SetNRGBA(x, y, color.NRGBA{200, 40, uint8(y % 256), a})
		}
	}
	return m
}

// webpSolid writes a lossless WebP of one colour by hand (Go has no WebP
// encoder): a VP8L header and five one-symbol prefix codes, which make every
// pixel cost no bits at all.
func webpSolid(w, h int, c color.NRGBA) []byte {
	var bits []bool
	put := func(v uint32, n int) { // least significant bit first
		for i := 0; i < n; i++ {
			bits = append(bits, v>>i&1 == 1)
		}
	}
	put(uint32(w-1), 14)
	put(uint32(h-1), 14)
	put(0, 1) // no alpha
	put(0, 3) // version
	put(0, 1) // no transform
	put(0, 1) // no colour cache
	put(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A} {
		put(1, 1) // simple code
		put(0, 1) // one symbol
		put(1, 1) // of 8 bits
		put(uint32(sym), 8)
	}
	put(1, 1) // distance code: simple, one symbol of 1 bit: 0
	put(0, 1)
	put(0, 1)
	put(0, 1)
	data := []byte{0x2f}
	for i := 0; i < len(bits); i += 8 {
		var b byte
		for j := 0; j < 8 && i+j < len(bits); j++ {
			if bits[i+j] {
				b |= 1 << j
			}
		}
		data = append(data, b)
	}
	if len(data)%2 == 1 {
		data = append(data, 0)
	}
	var out bytes.Buffer
	out.WriteString("RIFF")
	binary.Write(&out, binary.LittleEndian, uint32(4+8+len(data)))
	out.WriteString("WEBPVP8L")
	binary.Write(&out, binary.LittleEndian, uint32(len(data)))
	out.Write(data)
	return out.Bytes()
}

// withOrientation puts an EXIF segment with orientation o after a JPEG's
// start-of-image marker.
func withOrientation(j []byte, o uint16) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00*")
	binary.Write(&tiff, binary.BigEndian, uint32(8)) // first IFD
	binary.Write(&tiff, binary.BigEndian, uint16(2)) // entries
	for _, e := range [][2]uint16{{0x010F, 0}, {0x0112, o}} {
		binary.Write(&tiff, binary.BigEndian, e[0])
		binary.Write(&tiff, binary.BigEndian, uint16(3)) // SHORT
		binary.Write(&tiff, binary.BigEndian, uint32(1))
		binary.Write(&tiff, binary.BigEndian, e[1])
		binary.Write(&tiff, binary.BigEndian, uint16(0))
	}
	binary.Write(&tiff, binary.BigEndian, uint32(0)) // no next IFD
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write(j[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(j[2:])
	return out.Bytes()
}

// pngClaiming is a valid PNG header claiming a w×h image (with a correct
// checksum) and no pixels: what a decompression bomb looks like at first.
func pngClaiming(t *testing.T, w, h uint32) []byte {
	b := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	ihdr := b[8+8 : 8+8+13] // after the signature, length and type
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	binary.BigEndian.PutUint32(b[8+8+13:], crc32.ChecksumIEEE(b[8+4:8+8+13]))
	return b
}

func TestInspect(t *testing.T) {
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, photo(30, 20), nil); err != nil {
		t.Fatal(err)
	}
	jpg := encodeJPEG(t, photo(64, 48))
	tests := []struct {
		name   string
		data   []byte
		format Format
		w, h   int
		status int // of the RejectError; 0 for accepted
	}{
		{"jpeg", jpg, JPEG, 64, 48, 0},
		{"png", encodePNG(t, translucent(40, 30)), PNG, 40, 30, 0},
		{"gif", gifBuf.Bytes(), GIF, 30, 20, 0},
		{"webp", webpSolid(50, 40, color.NRGBA{10, 120, 200, 255}), WebP, 50, 40, 0},
		{"jpeg turned a quarter", withOrientation(jpg, 6), JPEG, 48, 64, 0},
		{"text named .jpg", []byte("Dear editor,\nthis is not a photo.\n"), "", 0, 0, http.StatusUnsupportedMediaType},
		{"html", []byte("<!doctype html><script>alert(1)</script>"), "", 0, 0, http.StatusUnsupportedMediaType},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), "", 0, 0, http.StatusUnsupportedMediaType},
		{"empty", nil, "", 0, 0, http.StatusBadRequest},
		{"jpeg header only", jpg[:20], "", 0, 0, http.StatusUnprocessableEntity},
		{"bomb", pngClaiming(t, 10_000, 10_000), "", 0, 0, http.StatusUnprocessableEntity},
		{"too long a side", pngClaiming(t, 30_000, 10), "", 0, 0, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Inspect(tt.data)
			var rej *RejectError
			switch {
			case tt.status == 0 && err != nil:
				t.Fatalf("rejected: %v", err)
			case tt.status != 0 && !errors.As(err, &rej):
				t.Fatalf("accepted (%+v, %v), want status %d", info, err, tt.status)
			case tt.status != 0:
				if rej.Status != tt.status || rej.Msg == "" {
					t.Errorf("status %d %q, want %d", rej.Status, rej.Msg, tt.status)
				}
			case info.Format != tt.format || info.Width != tt.w || info.Height != tt.h:
				t.Errorf("got %s %dx%d, want %s %dx%d", info.Format, info.Width, info.Height, tt.format, tt.w, tt.h)
			}
		})
	}
}

func TestJPEGOrientation(t *testing.T) {
	// Left half red, right half blue, stored on its side: orientation 6
	// says to turn it clockwise, which puts the red half on top.
	m := image.NewRGBA(image.Rect(0, 0, 80, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 80; x++ {
			c := color.RGBA{220, 20, 20, 255}
			if x >= 40 {
				c = color.RGBA{20, 20, 220, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	data := withOrientation(encodeJPEG(t, m), 6)
	info, err := Inspect(data)
	if err != nil || info.Orientation != 6 || info.Width != 40 || info.Height != 80 {
		t.Fatalf("Inspect: %+v %v", info, err)
	}
	img, _ := decode(JPEG, data)
	vs, err := makeVariants(img, info, strings.Repeat("ab", 32))
	if err != nil || len(vs) != 1 {
		t.Fatalf("variants: %d %v", len(vs), err)
	}
	out, err := jpeg.Decode(bytes.NewReader(vs[0].data))
	if err != nil {
		t.Fatal(err)
	}
	if b := out.Bounds(); b.Dx() != 40 || b.Dy() != 80 {
		t.Fatalf("variant is %v", b)
	}
	top, bottom := out.At(20, 10), out.At(20, 70)
	if r, _, b, _ := top.RGBA(); r < b {
		t.Errorf("top is %v, want red", top)
	}
	if r, _, b, _ := bottom.RGBA(); b < r {
		t.Errorf("bottom is %v, want blue", bottom)
	}
	for o := 1; o <= 8; o++ {
		if got := orientation(JPEG, withOrientation(encodeJPEG(t, m), uint16(o))); got != o {
			t.Errorf("orientation %d read as %d", o, got)
		}
	}
	if got := orientation(JPEG, withOrientation(encodeJPEG(t, m), 9)); got != 1 {
		t.Errorf("orientation 9 read as %d, want 1", got)
	}
}

func TestPlanAndSrcset(t *testing.T) {
	tests := []struct {
		w, h int
		want [][2]int
	}{
		{4000, 3000, [][2]int{{480, 360}, {960, 720}, {1600, 1200}}},
		{1600, 900, [][2]int{{480, 270}, {960, 540}, {1600, 900}}},
		{1200, 800, [][2]int{{480, 320}, {960, 640}, {1200, 800}}},
		{1000, 500, [][2]int{{480, 240}, {1000, 500}}}, // 960 is within 10% of 1000
		{500, 500, [][2]int{{500, 500}}},
		{300, 2000, [][2]int{{300, 2000}}},
	}
	for _, tt := range tests {
		got := plan(tt.w, tt.h)
		if len(got) != len(tt.want) {
			t.Errorf("plan(%d, %d) = %v, want %v", tt.w, tt.h, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("plan(%d, %d) = %v, want %v", tt.w, tt.h, got, tt.want)
			}
		}
		// The top variant's name gives back the whole plan.
		hash := strings.Repeat("0f", 32)
		top := got[len(got)-1]
		set, w, h := Srcset("/media/" + variantKey(hash, top[0], top[1], ".jpg"))
		if w != top[0] || h != top[1] || strings.Count(set, "w,")+1 != len(got) && set != "" {
			t.Errorf("Srcset of top %v = %q %d %d", top, set, w, h)
		}
		for _, s := range got {
			if len(got) > 1 && !strings.Contains(set, "/media/"+variantKey(hash, s[0], s[1], ".jpg")) {
				t.Errorf("srcset %q lacks %v", set, s)
			}
		}
	}
	hash := strings.Repeat("0f", 32)
	for _, u := range []string{
		"/media/demo/harbour.png",
		"https://example.org/media/lib/0f/" + hash + "-1600x900.jpg",
		"/media/lib/0f/" + hash + ".jpg",           // an original
		"/media/lib/0f/" + hash + "-2000x1000.jpg", // wider than any variant
		"/media/lib/aa/" + hash + "-1600x900.jpg",  // wrong folder
		"/media/lib/0f/" + hash + "-1600x900.gif",
		"/media/lib/0f/" + strings.ToUpper(hash) + "-1600x900.jpg",
		"/media/lib/0f/" + hash + "-1600x901x3.jpg",
	} {
		if set, w, h := Srcset(u); set != "" || w != 0 || h != 0 {
			t.Errorf("Srcset(%q) = %q %d %d, want nothing", u, set, w, h)
		}
	}
}
