// Package mailtest runs Mailpit, a real SMTP server, for a test: tests send
// real mail through the real client and read what arrived through Mailpit's
// HTTP API, raw bytes included.
//
// Start finds the mailpit binary ($MAILPIT, then PATH, then $(go env
// GOPATH)/bin; `go install github.com/axllent/mailpit@v1.33.1`), runs it
// on free ports with its database in the test's temporary folder, and
// stops it when the test ends. Without the binary the test is skipped,
// except in CI (CI=true), where it fails.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	netmail "net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options shape the server.
type Options struct {
	// TLS offers STARTTLS and requires it; ClientTLS trusts the server's
	// certificate.
	TLS bool
	// Username and Password, when set, are required (AUTH) before MAIL.
	Username, Password string
	// AllowedRecipients, a regular expression, makes the server refuse
	// every other recipient with a permanent 550.
	AllowedRecipients string
}

// Server is a running Mailpit on 127.0.0.1.
type Server struct {
	Addr string // SMTP host:port to give the client
	API  string // base URL of the HTTP API, like http://127.0.0.1:1234

	clientTLS *tls.Config
	mu        sync.Mutex
	taken     map[string]bool // messages Next has returned
}

// Message is one message as the server received it.
type Message struct {
	ID     string   // Mailpit's
	From   string   // envelope sender (Mailpit's Return-Path)
	To     []string // recipients: To, Cc and envelope-only (Bcc)
	Raw    []byte   // the message as stored, CRLF line ends
	Header netmail.Header
	Body   string // text parts decoded from their Content-Transfer-Encoding, one after another
}

// Binary is the mailpit program, or "" when it cannot be found.
func Binary() string {
	if p := os.Getenv("MAILPIT"); p != "" {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			if p := filepath.Join(dir, "bin", "mailpit"); fileExists(p) {
				return p
			}
		}
	}
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Start runs Mailpit until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("mailtest: mailpit is not installed (.ci/run installs it: go install github.com/axllent/mailpit@v1.33.1)")
		}
		t.Skip("mailtest: mailpit is not installed; go install github.com/axllent/mailpit@v1.33.1 to run this test")
	}
	dir := t.TempDir()
	s := &Server{taken: map[string]bool{}}
	var extra []string
	if opts.TLS {
		certFile, keyFile, client, err := selfSigned(dir)
		if err != nil {
			t.Fatalf("mailtest: certificate: %v", err)
		}
		s.clientTLS = client
		extra = append(extra, "--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile, "--smtp-require-starttls")
	}
	if opts.Username != "" {
		// Mailpit reads htpasswd files, where a plain password is allowed.
		authFile := filepath.Join(dir, "smtp-users")
		if err := os.WriteFile(authFile, []byte(opts.Username+":"+opts.Password+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		extra = append(extra, "--smtp-auth-file", authFile)
		if !opts.TLS {
			extra = append(extra, "--smtp-auth-allow-insecure")
		}
	}
	if opts.AllowedRecipients != "" {
		extra = append(extra, "--smtp-allowed-recipients", opts.AllowedRecipients)
	}
	// Free ports are found by listening and letting go; another process
	// can take one in between, so a failed start is tried again.
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		smtpAddr, apiAddr := freePort(t), freePort(t)
		args := append([]string{"--smtp", smtpAddr, "--listen", apiAddr,
			"--database", filepath.Join(dir, fmt.Sprintf("mailpit-%d.db", attempt)), "--max", "0",
			"--disable-version-check", "--smtp-disable-rdns", "--quiet"}, extra...)
		cmd := exec.Command(bin, args...)
		var logs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatalf("mailtest: start %s: %v", bin, err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		s.Addr, s.API = smtpAddr, "http://"+apiAddr
		if lastErr = s.waitReady(exited); lastErr == nil {
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
			})
			return s
		}
		_ = cmd.Process.Kill()
		<-exited
		lastErr = fmt.Errorf("%w\n%s", lastErr, logs.String())
	}
	t.Fatalf("mailtest: mailpit did not start: %v", lastErr)
	return nil
}

func freePort(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitReady waits, generously (the machine may be busy), for the API to
// answer and the SMTP port to accept.
func (s *Server) waitReady(exited <-chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("mailpit exited: %v", err)
		default:
		}
		res, err := http.Get(s.API + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				if c, err := net.DialTimeout("tcp", s.Addr, time.Second); err == nil {
					c.Close()
					return nil
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("not ready within 60s")
}

// ClientTLS is a client configuration that trusts the server's certificate.
func (s *Server) ClientTLS() *tls.Config { return s.clientTLS.Clone() }

// summary is a message in Mailpit's list.
type summary struct {
	ID      string
	Created time.Time
	From    *struct{ Address string }
	To, Cc  []struct{ Address string }
	Bcc     []struct{ Address string }
}

func (s *Server) getJSON(path string, v any) error {
	res, err := http.Get(s.API + path)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("GET %s: %s: %s", path, res.Status, b)
	}
	return json.NewDecoder(res.Body).Decode(v)
}

// list is every message, oldest first.
func (s *Server) list() ([]summary, error) {
	var all []summary
	for {
		var page struct {
			Total    int
			Messages []summary
		}
		if err := s.getJSON(fmt.Sprintf("/api/v1/messages?start=%d&limit=1000", len(all)), &page); err != nil {
			return nil, err
		}
		all = append(all, page.Messages...)
		if len(page.Messages) == 0 || len(all) >= page.Total {
			break
		}
	}
	slices.Reverse(all) // Mailpit lists the newest first
	slices.SortStableFunc(all, func(a, b summary) int { return a.Created.Compare(b.Created) })
	return all, nil
}

// Count is how many messages have arrived.
func (s *Server) Count(t testing.TB) int {
	t.Helper()
	var page struct{ Total int }
	if err := s.getJSON("/api/v1/messages?limit=1", &page); err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	return page.Total
}

// WaitCount waits until at least n messages have arrived, up to timeout,
// and returns how many there are.
func (s *Server) WaitCount(t testing.TB, n int, timeout time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := s.Count(t)
		if got >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Next waits up to thirty seconds for the oldest message Next has not yet
// returned.
func (s *Server) Next(t testing.TB) *Message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		all, err := s.list()
		if err != nil {
			t.Fatalf("mailtest: %v", err)
		}
		s.mu.Lock()
		for _, m := range all {
			if !s.taken[m.ID] {
				s.taken[m.ID] = true
				s.mu.Unlock()
				return s.fetch(t, m)
			}
		}
		s.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("mailtest: no message arrived within 30s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Pending is how many received messages no one has taken with Next yet.
// A message counts once the server has answered the end of its DATA.
func (s *Server) Pending() int {
	all, err := s.list()
	if err != nil {
		return -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range all {
		if !s.taken[m.ID] {
			n++
		}
	}
	return n
}

// Messages is every message that arrived, oldest first, raw bytes included.
func (s *Server) Messages(t testing.TB) []*Message {
	t.Helper()
	all, err := s.list()
	if err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	msgs := make([]*Message, len(all))
	for i, m := range all {
		msgs[i] = s.fetch(t, m)
	}
	return msgs
}

// CountByRecipient is how many messages each recipient got, read from the
// list alone (no message is downloaded), so it is cheap for thousands.
func (s *Server) CountByRecipient(t testing.TB) map[string]int {
	t.Helper()
	all, err := s.list()
	if err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	counts := map[string]int{}
	for _, m := range all {
		for _, to := range recipients(m) {
			counts[to]++
		}
	}
	return counts
}

func recipients(m summary) []string {
	var to []string
	for _, list := range [][]struct{ Address string }{m.To, m.Cc, m.Bcc} {
		for _, a := range list {
			to = append(to, a.Address)
		}
	}
	return to
}

func (s *Server) fetch(t testing.TB, m summary) *Message {
	t.Helper()
	res, err := http.Get(s.API + "/api/v1/message/" + url.PathEscape(m.ID) + "/raw")
	if err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("mailtest: raw message %s: %s %v", m.ID, res.Status, err)
	}
	msg := &Message{ID: m.ID, To: recipients(m), Raw: raw}
	parsed, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		msg.Body = "mailtest: unreadable message: " + err.Error()
		return msg
	}
	msg.Header = parsed.Header
	msg.From = strings.Trim(parsed.Header.Get("Return-Path"), "<>")
	msg.Body = decodeBody(parsed.Header.Get("Content-Type"), parsed.Header.Get("Content-Transfer-Encoding"), parsed.Body)
	return msg
}

// decodeBody is the text of a body: a single part decoded, or a
// multipart's text parts decoded, one after another.
func decodeBody(contentType, encoding string, body io.Reader) string {
	mediaType, params, _ := mime.ParseMediaType(contentType)
	if strings.HasPrefix(mediaType, "multipart/") {
		var out strings.Builder
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				break
			}
			out.WriteString(decodeBody(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p))
			out.WriteString("\n")
		}
		return out.String()
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		b = append(b, "\nmailtest: "+err.Error()...)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// selfSigned writes a throwaway certificate for 127.0.0.1 and localhost
// into dir.
func selfSigned(dir string) (certFile, keyFile string, client *tls.Config, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return "", "", nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", nil, err
	}
	certFile, keyFile = filepath.Join(dir, "smtp-cert.pem"), filepath.Join(dir, "smtp-key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		return "", "", nil, err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return "", "", nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, &tls.Config{RootCAs: pool}, nil
}
