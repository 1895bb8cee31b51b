// Package mailtest runs a small SMTP server inside a test, so tests send
// real mail through the real client and read what arrived.
//
// It speaks enough of RFC 5321 for net/smtp — EHLO/HELO, optional STARTTLS
// (with a self-signed certificate for 127.0.0.1) and AUTH PLAIN, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT — accepts everything and keeps it in memory.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options shape the server.
type Options struct {
	// TLS offers STARTTLS; ClientTLS trusts the server's certificate.
	TLS bool
	// Username and Password, when set, are required (AUTH PLAIN) before MAIL.
	Username, Password string
}

// Server is a running SMTP server on 127.0.0.1.
type Server struct {
	Addr string // host:port to give the client

	opts      Options
	ln        net.Listener
	serverTLS *tls.Config
	clientTLS *tls.Config
	msgs      chan *Message
	conns     sync.WaitGroup
}

// Message is one message as the server received it.
type Message struct {
	From     string   // envelope sender
	To       []string // envelope recipients
	Raw      []byte   // the message as sent, after dot-unstuffing, with "\n" line ends
	Header   netmail.Header
	Body     string // decoded from its Content-Transfer-Encoding
	TLS      bool   // it arrived over an encrypted connection
	AuthUser string // the user that authenticated, if any
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s := &Server{Addr: ln.Addr().String(), opts: opts, ln: ln, msgs: make(chan *Message, 100)}
	if opts.TLS {
		if s.serverTLS, s.clientTLS, err = selfSigned(); err != nil {
			t.Fatalf("mailtest: certificate: %v", err)
		}
	}
	go s.accept()
	t.Cleanup(func() {
		ln.Close()
		s.conns.Wait()
	})
	return s
}

// ClientTLS is a client configuration that trusts the server's certificate.
func (s *Server) ClientTLS() *tls.Config { return s.clientTLS.Clone() }

// Next waits up to ten seconds for the next message.
func (s *Server) Next(t testing.TB) *Message {
	t.Helper()
	select {
	case m := <-s.msgs:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("mailtest: no message arrived within 10s")
		return nil
	}
}

// Pending is how many received messages no one has taken with Next yet.
func (s *Server) Pending() int { return len(s.msgs) }

func (s *Server) accept() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.conns.Add(1)
		go func() {
			defer s.conns.Done()
			s.serve(conn)
		}()
	}
}

// session is the state of one SMTP conversation.
type session struct {
	conn     net.Conn
	text     *textproto.Conn
	secure   bool
	authUser string
	from     string
	to       []string
}

func (s *Server) serve(conn net.Conn) {
	ss := &session{conn: conn, text: textproto.NewConn(conn)}
	defer func() { ss.conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	reply := func(format string, args ...any) bool { return ss.text.PrintfLine(format, args...) == nil }
	if !reply("220 mailtest ESMTP ready") {
		return
	}
	for {
		line, err := ss.text.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		ok := true
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			ss.from, ss.to = "", nil
			lines := []string{"mailtest greets " + arg, "8BITMIME"}
			if s.serverTLS != nil && !ss.secure {
				lines = append(lines, "STARTTLS")
			}
			if s.opts.Username != "" {
				lines = append(lines, "AUTH PLAIN")
			}
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				ok = ok && reply("250%s%s", sep, l)
			}
		case "STARTTLS":
			if s.serverTLS == nil || ss.secure {
				ok = reply("502 STARTTLS not offered")
				break
			}
			if !reply("220 go ahead") {
				return
			}
			tc := tls.Server(ss.conn, s.serverTLS)
			if err := tc.Handshake(); err != nil {
				return
			}
			// RFC 3207: forget everything said before the handshake.
			*ss = session{conn: tc, text: textproto.NewConn(tc), secure: true}
		case "AUTH":
			ok = s.auth(ss, arg)
		case "MAIL":
			from, found := cutFold(arg, "FROM:")
			switch {
			case !found:
				ok = reply("501 syntax: MAIL FROM:<address>")
			case s.opts.Username != "" && ss.authUser == "":
				ok = reply("530 authentication required")
			default:
				ss.from, ss.to = path(from), nil
				ok = reply("250 sender ok")
			}
		case "RCPT":
			to, found := cutFold(arg, "TO:")
			switch {
			case !found:
				ok = reply("501 syntax: RCPT TO:<address>")
			case ss.from == "":
				ok = reply("503 MAIL first")
			default:
				ss.to = append(ss.to, path(to))
				ok = reply("250 recipient ok")
			}
		case "DATA":
			if len(ss.to) == 0 {
				ok = reply("503 RCPT first")
				break
			}
			if !reply("354 end with <CRLF>.<CRLF>") {
				return
			}
			raw, err := ss.text.ReadDotBytes()
			if err != nil {
				return
			}
			s.msgs <- parse(ss, raw)
			ss.from, ss.to = "", nil
			ok = reply("250 queued")
		case "RSET":
			ss.from, ss.to = "", nil
			ok = reply("250 reset")
		case "NOOP":
			ok = reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			ok = reply("502 command not implemented")
		}
		if !ok {
			return
		}
	}
}

// auth handles AUTH PLAIN, with or without an initial response.
func (s *Server) auth(ss *session, arg string) bool {
	mech, resp, _ := strings.Cut(arg, " ")
	if s.opts.Username == "" || !strings.EqualFold(mech, "PLAIN") {
		return ss.text.PrintfLine("504 mechanism not supported") == nil
	}
	if resp == "" {
		if ss.text.PrintfLine("334 ") != nil {
			return false
		}
		var err error
		if resp, err = ss.text.ReadLine(); err != nil {
			return false
		}
	}
	dec, err := base64.StdEncoding.DecodeString(resp)
	parts := strings.Split(string(dec), "\x00") // authzid, user, password
	if err != nil || len(parts) != 3 || parts[1] != s.opts.Username || parts[2] != s.opts.Password {
		return ss.text.PrintfLine("535 authentication failed") == nil
	}
	ss.authUser = parts[1]
	return ss.text.PrintfLine("235 authenticated") == nil
}

// cutFold is strings.CutPrefix, ignoring case.
func cutFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// path takes the address out of "<user@example.org> BODY=8BITMIME".
func path(arg string) string {
	arg = strings.TrimSpace(arg)
	if i := strings.IndexByte(arg, '>'); strings.HasPrefix(arg, "<") && i > 0 {
		return arg[1:i]
	}
	addr, _, _ := strings.Cut(arg, " ")
	return addr
}

func parse(ss *session, raw []byte) *Message {
	m := &Message{From: ss.from, To: ss.to, Raw: raw, TLS: ss.secure, AuthUser: ss.authUser}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		m.Body = "mailtest: unreadable message: " + err.Error()
		return m
	}
	m.Header = msg.Header
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		b = append(b, "\nmailtest: "+err.Error()...)
	}
	m.Body = string(b)
	return m
}

// selfSigned makes a throwaway certificate for 127.0.0.1 and localhost.
func selfSigned() (server, client *tls.Config, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
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
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}}
	return server, &tls.Config{RootCAs: pool}, nil
}
