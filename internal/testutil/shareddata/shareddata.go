// Package shareddata locates third-party test data. It is apart from
// package testutil, which builds fixtures through the editorial desk, so
// that the packages the desk depends on (the quote extractor) can use the
// data in their own tests without an import cycle.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of a file under the shared test-data folder
// (../shared/data beside the repository, or $MASTHEAD_SHARED_DATA). The data
// is third-party and never copied into the repository; a test that needs it
// fails loudly when it is missing rather than silently passing.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	root := os.Getenv("MASTHEAD_SHARED_DATA")
	if root == "" {
		dir, err := repoRoot()
		if err != nil {
			t.Fatalf("locate repository root: %v", err)
		}
		root = filepath.Join(dir, "..", "shared", "data")
	}
	p := filepath.Join(append([]string{root}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("shared test data missing: %v (set MASTHEAD_SHARED_DATA)", err)
	}
	return p
}

// repoRoot walks up from the working directory to the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
