package cli

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// TestGoneWorker: a federation worker's deliveries are taken back at start
// only when it ran on this machine and its process is gone (or is this
// one, restarted with the same pid); never one of another machine.
func TestGoneWorker(t *testing.T) {
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	done := exec.Command("true")
	if err := done.Run(); err != nil {
		t.Skip("no true command:", err)
	}
	tests := []struct {
		owner string
		gone  bool
	}{
		{fmt.Sprintf("%s/%d/abc", host, os.Getpid()), true},
		{fmt.Sprintf("%s/%d/abc", host, done.Process.Pid), true},
		{fmt.Sprintf("%s/%d/abc", host, os.Getppid()), false},
		{fmt.Sprintf("elsewhere-%s/%d/abc", host, done.Process.Pid), false},
		{host + "/not-a-pid/abc", false},
		{"worker-1", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := goneWorker(tt.owner); got != tt.gone {
			t.Errorf("goneWorker(%q) = %v, want %v", tt.owner, got, tt.gone)
		}
	}
}
