// Package testutil holds helpers shared by the tests of several packages:
// locating third-party test data, opening throwaway databases, and building
// fixtures through the real store.
package testutil

import (
	"testing"

	"masthead/internal/testutil/shareddata"
)

// SharedData returns the path of a file under the shared test-data folder
// (../shared/data beside the repository, or $MASTHEAD_SHARED_DATA); see
// shareddata.Path, which packages below the editorial desk use directly.
func SharedData(t testing.TB, elem ...string) string {
	t.Helper()
	return shareddata.Path(t, elem...)
}
