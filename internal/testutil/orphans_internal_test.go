package testutil

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// A database named for a test binary that has ended is dropped; one named
// for a running process is kept.
func TestDropOrphans(t *testing.T) {
	admin := PostgresAdmin(t)
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	orphan := fmt.Sprintf("masthead_test_%d_0123456789ab", ended.Process.Pid)
	running := fmt.Sprintf("masthead_template_%d_0123456789ab", os.Getpid())
	for _, name := range []string{orphan, running} {
		if err := createDatabase(ctx, admin, name, ""); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = dropDatabase(ctx, admin, name) })
	}
	dropOrphans(ctx, admin, pgAdmin.url)
	for name, want := range map[string]bool{orphan: false, running: true} {
		var n int
		if err := admin.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if got := n == 1; got != want {
			t.Errorf("%s there after dropOrphans: %v, want %v", name, got, want)
		}
	}
}
