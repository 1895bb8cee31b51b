package media

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"masthead/internal/clock"
)

// Deleting an image removes its original and every variant from the file
// store — a folder, or an S3 bucket (the in-process S3 server the other S3
// tests use, which checks signatures as a real one does) — and nothing
// else; deleting again is no error, so an interrupted deletion can be
// finished.
func TestLibraryDelete(t *testing.T) {
	ctx := context.Background()
	local, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, files := range map[string]Store{"local": local, "s3": newTestS3(t, s3Server(t), testSecretKey)} {
		t.Run(name, func(t *testing.T) {
			lib := NewLibrary(files, &catalog{byHash: map[string]*Item{}}, clock.System{})
			gone, _, err := lib.Upload(ctx, encodeJPEG(t, photo(1200, 600)), "gone.jpg", 1)
			if err != nil {
				t.Fatal(err)
			}
			kept, _, err := lib.Upload(ctx, encodePNG(t, photo(700, 350)), "kept.png", 1)
			if err != nil {
				t.Fatal(err)
			}
			keys := []string{gone.Key}
			for _, v := range gone.Variants {
				keys = append(keys, v.Key)
			}
			if len(keys) != 4 {
				t.Fatalf("want an original and three variants: %v", keys)
			}
			for range 2 {
				if err := lib.Delete(ctx, gone); err != nil {
					t.Fatal(err)
				}
				for _, key := range keys {
					if _, _, err := files.Open(ctx, key); !errors.Is(err, ErrNotFound) {
						t.Errorf("%s after deleting: %v, want ErrNotFound", key, err)
					}
				}
			}
			stored(t, files, kept.Key)
			for _, v := range kept.Variants {
				stored(t, files, v.Key)
			}
			if err := files.Delete(ctx, "../outside.png"); err == nil {
				t.Error("Delete accepted a key outside the store")
			}
		})
	}
	// The local store leaves no empty folders behind, and keeps the root.
	entries, err := os.ReadDir(filepath.Join(local.root, libraryDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("folders left in %s: %v", libraryDir, entries)
	}
}

func TestNamedBy(t *testing.T) {
	it := &Item{Hash: "ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"}
	for url, want := range map[string]bool{
		"/media/lib/ab/ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd.jpg":                     true,
		"/media/lib/ab/ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd-960x480.jpg":             true,
		"https://news.example/media/lib/ab/ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd.jpg": true,
		"/media/lib/cd/cd0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd.jpg":                     false,
		"/media/demo/ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd.jpg":                       false,
		"": false,
	} {
		if got := it.NamedBy(url); got != want {
			t.Errorf("NamedBy(%q) = %v, want %v", url, got, want)
		}
	}
}
