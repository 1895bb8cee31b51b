package cli

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	keepPercent, keepLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(keepPercent)
		debug.SetMemoryLimit(keepLimit)
	})
	cases := []struct {
		name        string
		cacheMB     int
		env         map[string]string
		wantPercent int
		wantLimit   int64
	}{
		{"defaults", 64, nil, 400, 160 << 20},
		{"GOGC set", 64, map[string]string{"GOGC": "100"}, 100, 160 << 20},
		{"GOMEMLIMIT set", 64, map[string]string{"GOMEMLIMIT": "1GiB"}, 400, 1 << 62},
		{"no page cache", 0, nil, 400, 160 << 20},
		{"a large page cache", 256, nil, 400, 352 << 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(1 << 62)
			for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
				t.Setenv(k, "") // restored when the test ends
				if v, ok := c.env[k]; ok {
					os.Setenv(k, v)
				} else {
					os.Unsetenv(k)
				}
			}
			tuneGC(c.cacheMB)
			if got := debug.SetGCPercent(100); got != c.wantPercent {
				t.Errorf("GC percent %d, want %d", got, c.wantPercent)
			}
			if got := debug.SetMemoryLimit(-1); got != c.wantLimit {
				t.Errorf("memory limit %d, want %d", got, c.wantLimit)
			}
		})
	}
}
