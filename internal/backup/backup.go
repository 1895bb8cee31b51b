// Package backup writes and restores a whole site as one .tar.gz file: a
// consistent snapshot of the database taken while the site serves, plus
// the media folder. A restore unpacks into a fresh folder and swaps it in,
// so a failed restore leaves the existing data untouched.
package backup

import (
	"archive/tar"
	"compress/gzip"
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

	"masthead/internal/store"
)

const dbName = "masthead.db"

// Create writes a backup of the site whose database is st and whose media
// live in mediaDir.
func Create(ctx context.Context, st *store.Store, mediaDir string, w io.Writer) error {
	tmp, err := os.MkdirTemp("", "masthead-backup-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, dbName)
	if err := st.SnapshotTo(ctx, snap); err != nil {
		return err
	}
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	if err := addFile(tw, snap, dbName); err != nil {
		return err
	}
	err = filepath.WalkDir(mediaDir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == mediaDir {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, err := filepath.Rel(mediaDir, p)
		if err != nil {
			return err
		}
		return addFile(tw, p, path.Join("media", filepath.ToSlash(rel)))
	})
	if err != nil {
		return fmt.Errorf("back up media: %w", err)
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

func addFile(tw *tar.Writer, src, name string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o640, Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Restore unpacks a backup into dataDir. An existing database is replaced
// only with force; the site must be stopped.
func Restore(r io.Reader, dataDir string, force bool) error {
	if _, err := os.Stat(filepath.Join(dataDir, dbName)); err == nil && !force {
		return fmt.Errorf("%s already holds a site; stop Masthead and pass --force to replace it", dataDir)
	}
	parent := filepath.Dir(filepath.Clean(dataDir))
	if err := os.MkdirAll(parent, 0o750); err != nil {
		return err
	}
	staging, err := os.MkdirTemp(parent, ".restore-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("not a Masthead backup (gzip): %w", err)
	}
	tr := tar.NewReader(zr)
	sawDB := false
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read backup: %w", err)
		}
		name := path.Clean(h.Name)
		if h.Typeflag != tar.TypeReg || strings.HasPrefix(name, "..") || path.IsAbs(name) || (name != dbName && !strings.HasPrefix(name, "media/")) {
			return fmt.Errorf("backup holds an unexpected entry %q", h.Name)
		}
		dst := filepath.Join(staging, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return err
		}
		f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o640)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, tr); err != nil {
			f.Close()
			return fmt.Errorf("restore %s: %w", name, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		sawDB = sawDB || name == dbName
	}
	if !sawDB {
		return errors.New("backup has no database")
	}
	// Swap: the old folder is kept aside until the new one is in place.
	old := dataDir + ".before-restore-" + time.Now().Format("20060102-150405")
	if _, err := os.Stat(dataDir); err == nil {
		if err := os.Rename(dataDir, old); err != nil {
			return fmt.Errorf("move the current data aside: %w", err)
		}
	}
	if err := os.Rename(staging, dataDir); err != nil {
		_ = os.Rename(old, dataDir)
		return fmt.Errorf("put the restored data in place: %w", err)
	}
	return os.RemoveAll(old)
}
