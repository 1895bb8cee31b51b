// Package shareddata locates third-party test data. It is apart from
// package testutil, which builds fixtures through the editorial desk, so
// that the packages the desk depends on (the quote extractor) can use the
// data in their own tests without an import cycle.
package shareddata

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of a file under the shared test-data folder
// (../shared/data beside the repository, or $MASTHEAD_SHARED_DATA). The data
// is third-party and never copied into the repository. When it is missing,
// a test that needs it is skipped with a one-line reason on a developer's
// machine, and fails when $CI is set, where the data must be present and a
// skip would let the test pass silently.
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
		fail, msg := missing(os.Getenv("CI"), p)
		if fail {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// missing decides what a test does when the shared file at path is absent:
// fail when ci (the value of $CI) is set, skip otherwise, with the message
// to give either way.
func missing(ci, path string) (fail bool, msg string) {
	if ci != "" {
		return true, fmt.Sprintf("shared test data %s is missing, and CI requires it (set MASTHEAD_SHARED_DATA to the data folder)", path)
	}
	return false, fmt.Sprintf("skipping: shared test data %s is missing (set MASTHEAD_SHARED_DATA to the data folder)", path)
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
