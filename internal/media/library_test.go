package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"io"
	"net/http"
	"sync"
	"testing"

	"masthead/internal/clock"
	"masthead/internal/news"
)

// catalog keeps records in memory, as the store does in SQL.
type catalog struct {
	mu     sync.Mutex
	byHash map[string]*Item
}

func (c *catalog) MediaByHash(_ context.Context, hash string) (*Item, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if it, ok := c.byHash[hash]; ok {
		cp := *it
		return &cp, nil
	}
	return nil, news.ErrNotFound
}

func (c *catalog) CreateMedia(_ context.Context, it *Item) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.byHash[it.Hash]; ok {
		*it = *old
		return false, nil
	}
	it.ID = int64(len(c.byHash) + 1)
	cp := *it
	c.byHash[it.Hash] = &cp
	return true, nil
}

func newLibrary(t *testing.T) (*Library, *Local) {
	files, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return NewLibrary(files, &catalog{byHash: map[string]*Item{}}, clock.System{}), files
}

// stored decodes a file from the store.
func stored(t *testing.T, files Store, key string) image.Image {
	t.Helper()
	f, _, err := files.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	m, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode %s: %v", key, err)
	}
	return m
}

func TestLibraryUpload(t *testing.T) {
	ctx := context.Background()
	lib, files := newLibrary(t)
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, photo(200, 100), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		data   []byte
		ctype  string // of the variants
		widths []int
	}{
		{"photo", encodeJPEG(t, photo(2000, 1000)), "image/jpeg", []int{480, 960, 1600}},
		{"small photo", encodeJPEG(t, photo(700, 350)), "image/jpeg", []int{480, 700}},
		{"opaque png", encodePNG(t, photo(1200, 600)), "image/jpeg", []int{480, 960, 1200}},
		{"png with alpha", encodePNG(t, translucent(1000, 500)), "image/png", []int{480, 1000}},
		{"webp", webpSolid(600, 300, color.NRGBA{10, 120, 200, 255}), "image/jpeg", []int{480, 600}},
		{"gif", gifBuf.Bytes(), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, existing, err := lib.Upload(ctx, tt.data, `C:\Users\desk\`+tt.name, 7)
			if err != nil || existing {
				t.Fatalf("upload: %v (existing %v)", err, existing)
			}
			if it.ID == 0 || it.Filename != tt.name || it.UploadedBy != 7 || it.Bytes != int64(len(tt.data)) {
				t.Errorf("item %+v", it)
			}
			orig := stored(t, files, it.Key)
			if orig.Bounds().Dx() != it.Width || orig.Bounds().Dy() != it.Height {
				t.Errorf("original %v, item %dx%d", orig.Bounds(), it.Width, it.Height)
			}
			if len(it.Variants) != len(tt.widths) {
				t.Fatalf("variants %+v, want widths %v", it.Variants, tt.widths)
			}
			for i, v := range it.Variants {
				m := stored(t, files, v.Key)
				b := m.Bounds()
				if v.Width != tt.widths[i] || b.Dx() != v.Width || b.Dy() != v.Height || v.ContentType != tt.ctype {
					t.Errorf("variant %d: %+v decodes to %v, want width %d %s", i, v, b, tt.widths[i], tt.ctype)
				}
				if b.Dx() > it.Width || b.Dy() > it.Height {
					t.Errorf("variant %v is larger than the original %dx%d", b, it.Width, it.Height)
				}
				if want := scaledHeight(it.Width, it.Height, v.Width); abs(b.Dy()-want) > 1 {
					t.Errorf("variant %v: height %d, want about %d (aspect kept)", v.Key, b.Dy(), want)
				}
			}
			if tt.ctype == "image/png" {
				if _, _, _, a := stored(t, files, it.LeadURL()[len("/media/"):]).At(0, 0).RGBA(); a == 0xffff {
					t.Error("transparency lost")
				}
			}
			set, w, h := Srcset(it.LeadURL())
			if len(tt.widths) > 1 && (set != it.Srcset() || w != tt.widths[len(tt.widths)-1] || h == 0) {
				t.Errorf("Srcset(%s) = %q %d %d", it.LeadURL(), set, w, h)
			}

			// The same bytes again: nothing new is stored.
			again, existing, err := lib.Upload(ctx, tt.data, "other-name.jpg", 8)
			if err != nil || !existing || again.ID != it.ID || again.Filename != tt.name {
				t.Errorf("second upload: %+v existing=%v err=%v", again, existing, err)
			}
		})
	}
}

func abs(n int) int { return max(n, -n) }

func TestLibraryRejects(t *testing.T) {
	ctx := context.Background()
	lib, _ := newLibrary(t)
	big := make([]byte, MaxUploadBytes+1)
	copy(big, encodeJPEG(t, photo(10, 10)))
	tests := []struct {
		name   string
		data   []byte
		status int
	}{
		{"text renamed .jpg", []byte("not a photo at all, just words"), http.StatusUnsupportedMediaType},
		{"too large", big, http.StatusRequestEntityTooLarge},
		{"damaged jpeg", encodeJPEG(t, photo(300, 200))[:400], http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		_, _, err := lib.Upload(ctx, tt.data, "photo.jpg", 1)
		var rej *RejectError
		if !errors.As(err, &rej) || rej.Status != tt.status {
			t.Errorf("%s: %v, want a %d rejection", tt.name, err, tt.status)
		}
	}
}

func TestCleanFilename(t *testing.T) {
	for in, want := range map[string]string{
		"photo.jpg":                            "photo.jpg",
		`C:\fakepath\harbour.png`:              "harbour.png",
		"../../etc/passwd":                     "passwd",
		"bad\x00name\n.jpg":                    "badname.jpg",
		"":                                     "",
		string(bytes.Repeat([]byte("é"), 150)): string(bytes.Repeat([]byte("é"), 100)),
	} {
		if got := CleanFilename(in); got != want {
			t.Errorf("CleanFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
