package media

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/sync/semaphore"

	"masthead/internal/clock"
)

// A library image's AVIF and WebP variants are made on first request, from
// the JPEG variant of their size, stored in the file store beside it (a
// folder or a real S3 server) and served from there afterwards; deleting
// the image deletes them too.
func TestModernVariants(t *testing.T) {
	ctx := context.Background()
	local, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, files := range map[string]Store{"local": local, "s3": newTestS3(t, s3Server(t), testSecretKey)} {
		t.Run(name, func(t *testing.T) {
			lib := NewLibrary(files, &catalog{byHash: map[string]*Item{}}, clock.System{})
			it, _, err := lib.Upload(ctx, encodeJPEG(t, photo(1000, 500)), "photo.jpg", 1)
			if err != nil {
				t.Fatal(err)
			}
			pic := PictureOf(it.LeadURL())
			small := it.Variants[0] // 480×240
			stem := strings.TrimSuffix(small.Key, ".jpg")
			if !strings.Contains(pic.AVIF, "/media/"+stem+".avif 480w") || !strings.Contains(pic.WebP, "/media/"+stem+".webp 480w") {
				t.Fatalf("PictureOf(%q) = %+v, lacks the 480 px variant", it.LeadURL(), pic)
			}
			mux := http.NewServeMux()
			mux.Handle("GET /media/{key...}", Handler(files, slog.New(slog.DiscardHandler)))
			get := func(key string) *httptest.ResponseRecorder {
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, httptest.NewRequest("GET", "/media/"+key, nil))
				return rec
			}
			for _, tt := range []struct {
				ext, ctype string
				magic      func([]byte) bool
			}{
				{".avif", "image/avif", func(b []byte) bool { return len(b) > 12 && string(b[4:12]) == "ftypavif" }},
				{".webp", "image/webp", func(b []byte) bool { return len(b) > 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP" }},
			} {
				key := stem + tt.ext
				if _, _, err := files.Open(ctx, key); !errors.Is(err, ErrNotFound) {
					t.Fatalf("%s before it was asked for: %v, want ErrNotFound", key, err)
				}
				for _, round := range []string{"first request (made)", "second request (stored)"} {
					rec := get(key)
					body := rec.Body.Bytes()
					if rec.Code != 200 || rec.Header().Get("Content-Type") != tt.ctype || !tt.magic(body) {
						t.Fatalf("%s, %s: %d %s %q…", key, round, rec.Code, rec.Header().Get("Content-Type"), body[:min(len(body), 16)])
					}
					if cc := rec.Header().Get("Cache-Control"); cc != cacheControl {
						t.Errorf("%s, %s: Cache-Control %q", key, round, cc)
					}
					if int64(len(body)) >= small.Bytes {
						t.Errorf("%s is %d bytes, the JPEG %d", key, len(body), small.Bytes)
					}
				}
				f, _, err := files.Open(ctx, key)
				if err != nil {
					t.Fatalf("%s was not stored: %v", key, err)
				}
				f.Close()
			}

			// Only variants have modern siblings, and only variants that exist.
			for _, key := range []string{
				strings.TrimSuffix(it.Key, ".jpg") + ".avif",
				strings.Replace(stem, "480x240", "481x240", 1) + ".webp",
				"demo/harbour.avif",
			} {
				if rec := get(key); rec.Code != 404 {
					t.Errorf("%s: %d, want 404", key, rec.Code)
				}
			}

			if err := lib.Delete(ctx, it); err != nil {
				t.Fatal(err)
			}
			for _, ext := range []string{".avif", ".webp", ".jpg"} {
				if _, _, err := files.Open(ctx, stem+ext); !errors.Is(err, ErrNotFound) {
					t.Errorf("%s after deleting: %v, want ErrNotFound", stem+ext, err)
				}
			}
		})
	}
}

// A variant that cannot be converted is served as the JPEG it would have
// been made from, not stored, and not cached: the browser asked for it from
// a <source> and would show a broken image for an error.
func TestModernVariantFallsBack(t *testing.T) {
	ctx := context.Background()
	files, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	stem := "lib/0f/" + strings.Repeat("0f", 32) + "-480x240"
	wrongSize := encodeJPEG(t, photo(100, 50)) // the name says 480×240
	if err := files.Put(ctx, stem+".jpg", bytes.NewReader(wrongSize)); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", Handler(files, slog.New(slog.DiscardHandler)))
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/media/"+stem+".avif", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/jpeg" || rec.Header().Get("Cache-Control") != "no-store" || !bytes.Equal(rec.Body.Bytes(), wrongSize) {
		t.Errorf("got %d %s %q, want the JPEG, not cached", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"))
	}
	if _, _, err := files.Open(ctx, stem+".avif"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the failed variant was stored: %v", err)
	}
}

// A request that finds the encoder making another file gets the JPEG at
// once rather than waiting its turn, and nothing is stored.
func TestModernVariantEncoderBusy(t *testing.T) {
	ctx := context.Background()
	files, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	stem := "lib/0f/" + strings.Repeat("0f", 32) + "-480x240"
	jpg := encodeJPEG(t, photo(480, 240))
	if err := files.Put(ctx, stem+".jpg", bytes.NewReader(jpg)); err != nil {
		t.Fatal(err)
	}
	c := &converter{files: files, log: slog.New(slog.DiscardHandler), encoding: semaphore.NewWeighted(1)}
	c.encoding.Acquire(ctx, 1) // another file is being made
	m, err := c.make(ctx, stem+".webp", stem, 480, 240)
	if err != nil || !m.fallback || m.contentType != "image/jpeg" || !bytes.Equal(m.data, jpg) {
		t.Errorf("busy: %v %v %s", err, m.fallback, m.contentType)
	}
	if _, _, err := files.Open(ctx, stem+".webp"); !errors.Is(err, ErrNotFound) {
		t.Errorf("stored while busy: %v", err)
	}
	c.encoding.Release(1)
	if m, err := c.make(ctx, stem+".webp", stem, 480, 240); err != nil || m.fallback || m.contentType != "image/webp" {
		t.Errorf("idle: %v %v %s", err, m.fallback, m.contentType)
	}
}

func BenchmarkModernVariant(b *testing.B) {
	img := encodeJPEG(b, photo(960, 540))
	c := &converter{log: slog.New(slog.DiscardHandler), encoding: semaphore.NewWeighted(1)}
	for _, ext := range []string{".webp", ".avif"} {
		b.Run(ext[1:], func(b *testing.B) {
			for b.Loop() {
				if _, err := c.encode(context.Background(), "x"+ext, img, "image/jpeg", 960, 540); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
