// Package media stores uploaded and generated files (images) and serves them
// back. Files are addressed by a key such as "demo/harbour-bridge.png"; the
// local backend keeps them under the data folder, and other backends (object
// storage) can sit behind the same Store interface.
package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// ErrNotFound is returned for a key that holds no file.
var ErrNotFound = errors.New("media: not found")

// ErrUnavailable wraps a failure of the file store itself — it cannot be
// reached, or answers that it is unwell (5xx) — rather than of the
// request: worth trying again later, and nothing to blame the user for.
var ErrUnavailable = errors.New("media: the file store is unavailable")

// Store keeps media files.
type Store interface {
	Put(ctx context.Context, key string, r io.Reader) error
	Open(ctx context.Context, key string) (io.ReadSeekCloser, time.Time, error)
	// Delete removes a file. Deleting a file that is not there is not an
	// error, so an interrupted deletion can simply be run again.
	Delete(ctx context.Context, key string) error
}

// contentTypes are the only types media is ever served as: an uploaded file
// can never come back as HTML or script.
var contentTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".webp": "image/webp", ".avif": "image/avif",
}

// ValidKey reports whether key is a clean relative path with a media extension.
func ValidKey(key string) bool {
	if key == "" || strings.HasPrefix(key, "/") || path.Clean(key) != key || strings.Contains(key, "..") || strings.ContainsAny(key, "\\\x00") {
		return false
	}
	_, ok := contentTypes[strings.ToLower(path.Ext(key))]
	return ok
}

// Local keeps media in a folder.
type Local struct{ root string }

// NewLocal uses dir (created if missing) for media.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create media folder: %w", err)
	}
	return &Local{root: dir}, nil
}

// Put writes a file atomically: to a temporary name, synced, then renamed.
func (l *Local) Put(ctx context.Context, key string, r io.Reader) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	dst := filepath.Join(l.root, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("media put %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".upload-*")
	if err != nil {
		return fmt.Errorf("media put %s: %w", key, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return fmt.Errorf("media put %s: %w", key, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("media put %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("media put %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("media put %s: %w", key, err)
	}
	return nil
}

// Open returns a file and its modification time.
func (l *Local) Open(ctx context.Context, key string) (io.ReadSeekCloser, time.Time, error) {
	if !ValidKey(key) {
		return nil, time.Time{}, ErrNotFound
	}
	f, err := os.Open(filepath.Join(l.root, filepath.FromSlash(key)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, time.Time{}, ErrNotFound
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("media open %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		f.Close()
		return nil, time.Time{}, ErrNotFound
	}
	return f, st.ModTime(), nil
}

// Delete removes a file, and the folders it leaves empty.
func (l *Local) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	dst := filepath.Join(l.root, filepath.FromSlash(key))
	if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media delete %s: %w", key, err)
	}
	// Tidy up: a folder of the key's path that is now empty goes too (a
	// folder still holding files refuses, which ends the walk).
	for dir := filepath.Dir(dst); dir != l.root && strings.HasPrefix(dir, l.root); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break
		}
	}
	return nil
}
