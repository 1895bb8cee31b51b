// Package s3test runs a real S3-compatible server for tests: Versity's
// S3 gateway (versitygw) serving a temporary folder through its posix
// backend, as a separate process, so the media store is tested against
// what it will meet in production rather than an in-process imitation.
//
// The binary is found as $VERSITYGW, on the PATH, or in $(go env
// GOPATH)/bin (`go install github.com/versity/versitygw/cmd/versitygw@v1.8.0`;
// .ci/run installs it). Without it a test is skipped, saying how to
// install it — except under CI (CI=true), where it fails.
package s3test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The root credentials the server is started with. The secret has the
// characters a signing mistake trips over.
const (
	AccessKey = "masthead-test"
	SecretKey = "s3cr3t/with+odd=chars"
	Region    = "eu-west-2"
)

// Server is a running gateway on 127.0.0.1.
type Server struct {
	URL string // http://127.0.0.1:PORT
	Dir string // the folder it serves: one subfolder per bucket

	meta string // where the gateway keeps objects' metadata (ETags, parts): a folder, so no extended attributes are needed
	bin  string
	addr string
	cmd  *exec.Cmd
	done chan struct{}
	t    testing.TB
}

// Start runs a gateway with the buckets named until the test ends.
func Start(t testing.TB, buckets ...string) *Server {
	t.Helper()
	bin := binary()
	if bin == "" {
		const how = "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0"
		if os.Getenv("CI") == "true" {
			t.Fatalf("s3test: versitygw is not installed (CI must install it: %s)", how)
		}
		t.Skipf("s3test: versitygw is not installed; these tests need a real S3 server: %s", how)
	}
	s := &Server{Dir: t.TempDir(), meta: t.TempDir(), bin: bin, t: t}
	for _, b := range buckets {
		if err := os.Mkdir(filepath.Join(s.Dir, b), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	ln.Close()
	s.URL = "http://" + s.addr
	s.start(t)
	t.Cleanup(s.Stop)
	return s
}

// binary is the gateway's path, or "" when it is not installed.
func binary() string {
	if p := os.Getenv("VERSITYGW"); p != "" {
		return p
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "versitygw")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

func (s *Server) start(t testing.TB) {
	t.Helper()
	s.cmd = exec.Command(s.bin, "--port", s.addr, "--access", AccessKey, "--secret", SecretKey, "--region", Region,
		"--quiet", "posix", "--sidecar", s.meta, s.Dir)
	var out strings.Builder
	s.cmd.Stdout, s.cmd.Stderr = &out, &out
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("s3test: start versitygw: %v", err)
	}
	done := make(chan struct{})
	s.done = done
	go func() { _ = s.cmd.Wait(); close(done) }()
	// The machine may be busy: wait generously, and say how long it took.
	began := time.Now()
	for {
		if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			t.Fatalf("s3test: versitygw exited: %s", out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Since(began) > 60*time.Second {
			t.Fatalf("s3test: versitygw not listening on %s after %v: %s", s.addr, time.Since(began), out.String())
		}
	}
	t.Logf("s3test: versitygw serving %s at %s (ready in %v)", s.Dir, s.URL, time.Since(began).Round(time.Millisecond))
}

// Stop ends the server process (the files stay), as an outage would.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	select {
	case <-s.done:
	default:
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
}

// Restart starts the server again after Stop, on the same address and
// folder.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	s.start(t)
}

// String is the server's address, for messages.
func (s *Server) String() string { return fmt.Sprintf("versitygw at %s", s.URL) }
