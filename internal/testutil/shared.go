// Package testutil holds helpers shared by the tests of several packages:
// locating third-party test data, opening throwaway databases, and building
// fixtures through the real store.
package testutil

import (
	"encoding/json"
	"os"
	"testing"

	"masthead/internal/testutil/shareddata"
)

// SharedData returns the path of a file under the shared test-data folder
// (../shared/data beside the repository, or $MASTHEAD_SHARED_DATA). A
// missing file skips the test, or fails it when $CI is set; see
// shareddata.Path, which packages below the editorial desk use directly.
func SharedData(t testing.TB, elem ...string) string {
	t.Helper()
	return shareddata.Path(t, elem...)
}

// NaughtyStrings is the Big List of Naughty Strings (blns/blns.json in the
// shared test data): input that has broken software before.
func NaughtyStrings(t testing.TB) []string {
	t.Helper()
	raw, err := os.ReadFile(SharedData(t, "blns", "blns.json"))
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	return list
}
