package media

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sync/semaphore"
)

// png16 is a w×h PNG at 16 bits per channel, every pixel black: written
// row by row, as compressed zeros, so a 400 MB image is a small file and
// is never held in memory here.
func png16(t testing.TB, w, h int) []byte {
	t.Helper()
	var out bytes.Buffer
	chunk := func(typ string, body []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(body)))
		c := append([]byte(typ), body...)
		out.Write(c)
		binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(c))
	}
	out.WriteString(pngSignature)
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	chunk("IHDR", append(ihdr, 16, 2, 0, 0, 0)) // 16-bit truecolour
	var idat bytes.Buffer
	z, _ := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	row := make([]byte, 1+6*w) // filter byte, then RGB at 2 bytes each
	for range h {
		z.Write(row)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// allocated is how many bytes the heap allocated while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDecompressionBomb: the PNG of issue 15 — 2500×20000 pixels at 16
// bits per channel, under a megabyte as a file — took the server to 1.5 GB.
// It is refused from its header, before anything is decoded.
func TestDecompressionBomb(t *testing.T) {
	bomb := png16(t, 2500, 20_000)
	if len(bomb) > MaxUploadBytes {
		t.Fatalf("the bomb is %d bytes, over the upload limit", len(bomb))
	}
	l, _ := newLibrary(t)
	var err error
	n := allocated(func() { _, _, err = l.Upload(context.Background(), bomb, "bomb.png", 1) })
	var rej *RejectError
	if !errors.As(err, &rej) || rej.Status != http.StatusUnprocessableEntity || !strings.Contains(rej.Msg, "MB of memory") {
		t.Fatalf("upload: %v, want a 422 about memory", err)
	}
	if n > 32<<20 {
		t.Errorf("refusing the bomb allocated %d MB", n>>20)
	}
}

// TestDecodeMemoryWithinEstimate checks the estimate the budget relies on:
// decoding an image and making its variants allocates no more than
// Inspect said it would.
func TestDecodeMemoryWithinEstimate(t *testing.T) {
	jpg := encodeJPEG(t, photo(1800, 700))
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, photo(1000, 700), nil); err != nil {
		t.Fatal(err)
	}
	gray := image.NewGray(image.Rect(0, 0, 1800, 700))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"jpeg", jpg},
		{"jpeg turned a quarter", withOrientation(jpg, 6)},
		{"png", encodePNG(t, translucent(1800, 700))},
		{"grey png", encodePNG(t, gray)},
		{"16-bit png", png16(t, 1700, 700)},
		{"gif", gifBuf.Bytes()},
		{"webp", webpSolid(1800, 1000, color.NRGBA{10, 120, 200, 255})},
	}
	l, _ := newLibrary(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Inspect(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			n := allocated(func() { _, err = l.variants(context.Background(), tt.data, info, strings.Repeat("ab", 32)) })
			if err != nil {
				t.Fatal(err)
			}
			if n > uint64(info.Memory) {
				t.Errorf("allocated %d bytes, estimated %d", n, info.Memory)
			}
			t.Logf("allocated %.1f MB, estimated %.1f MB", float64(n)/(1<<20), float64(info.Memory)/(1<<20))
		})
	}
}

// TestBombsDoNotStack: two large images uploaded at once are decoded one
// after the other when together they need more than the budget; the
// second waits, holding nothing, until the first is done.
func TestBombsDoNotStack(t *testing.T) {
	ctx := context.Background()
	first, second := png16(t, 1700, 600), png16(t, 1700, 601) // different files: both are decoded
	info, err := Inspect(first)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := newLibrary(t)
	l.budget = info.Memory + info.Memory/2 // room for one, not two
	l.decoding = semaphore.NewWeighted(l.budget)

	// The first upload is being decoded: it holds its share of the budget.
	if err := l.decoding.Acquire(ctx, info.Memory); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		_, _, err := l.Upload(ctx, second, "second.png", 1)
		done <- err
	}()
	// Wait until the second upload queues for the budget: from then on not
	// even one byte of it can be taken, although some is free.
	for l.decoding.TryAcquire(1) {
		l.decoding.Release(1)
		runtime.Gosched()
	}
	select {
	case err := <-done:
		t.Fatalf("the second upload finished while the first held the budget: %v", err)
	default:
	}
	// The first finishes; the second goes ahead.
	l.decoding.Release(info.Memory)
	if err := <-done; err != nil {
		t.Fatalf("second upload: %v", err)
	}
	// And one after the other, both are taken.
	if _, _, err := l.Upload(ctx, first, "first.png", 1); err != nil {
		t.Fatalf("first upload: %v", err)
	}
}
