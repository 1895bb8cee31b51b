package shareddata

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestMissing(t *testing.T) {
	tests := []struct {
		ci       string
		wantFail bool
	}{
		{"", false},
		{"true", true},
		{"1", true},
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			fail, msg := missing(tt.ci, "/nowhere/blns.json")
			if fail != tt.wantFail {
				t.Errorf("fail = %v, want %v", fail, tt.wantFail)
			}
			// One line, naming the file and how to provide it.
			if strings.Contains(msg, "\n") || !strings.Contains(msg, "/nowhere/blns.json") || !strings.Contains(msg, "MASTHEAD_SHARED_DATA") {
				t.Errorf("message %q", msg)
			}
		})
	}
}

// TestPathMissing runs TestPathHelper in a child process over an empty data
// folder, since a skip or a failure ends the test that sees it.
func TestPathMissing(t *testing.T) {
	tests := []struct {
		ci       string
		wantFail bool
		wantLine string
	}{
		{"", false, "--- SKIP: TestPathHelper"},
		{"true", true, "--- FAIL: TestPathHelper"},
	}
	empty := t.TempDir()
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestPathHelper$", "-test.v")
			cmd.Env = append(os.Environ(), "SHAREDDATA_HELPER=1", "MASTHEAD_SHARED_DATA="+empty, "CI="+tt.ci)
			out, err := cmd.CombinedOutput()
			if failed := err != nil; failed != tt.wantFail {
				t.Errorf("child failed = %v (%v), want %v:\n%s", failed, err, tt.wantFail, out)
			}
			if !strings.Contains(string(out), tt.wantLine) || !strings.Contains(string(out), "shared test data") {
				t.Errorf("child output lacks %q:\n%s", tt.wantLine, out)
			}
		})
	}
}

// TestPathHelper is TestPathMissing's child; on its own it does nothing.
func TestPathHelper(t *testing.T) {
	if os.Getenv("SHAREDDATA_HELPER") != "1" {
		return
	}
	Path(t, "blns", "blns.json")
	t.Error("Path returned for a missing file")
}
