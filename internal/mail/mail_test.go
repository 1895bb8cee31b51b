package mail_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"mime"
	"net"
	netmail "net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"masthead/internal/mail"
	"masthead/internal/mail/mailtest"
)

var from = mail.Address{Name: "The Test Gazette", Email: "newsroom@gazette.example"}

func TestSMTPMessageHeadersAndEncoding(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	sender := &mail.SMTP{Addr: srv.Addr, From: from}
	body := "Bonjour Zoë,\n\n" +
		".a line that starts with a dot survives SMTP's dot-stuffing\n" +
		"A long line of text that goes well past seventy-six characters, which quoted-printable must wrap softly: https://gazette.example/admin/reset/" + strings.Repeat("x", 43) + "\n" +
		"Ça marche — 100% = done.\n"
	msg := mail.Message{To: mail.Address{Name: "Zoë Ångström-Nuñez", Email: "zoe@example.test"}, Subject: "Réinitialisez votre mot de passe", Body: body}
	before := time.Now().Add(-time.Second)
	if err := sender.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t)

	if got.From != from.Email || len(got.To) != 1 || got.To[0] != "zoe@example.test" {
		t.Errorf("envelope: from %q to %q", got.From, got.To)
	}
	to, err := got.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Zoë Ångström-Nuñez" || to[0].Address != "zoe@example.test" {
		t.Errorf("To = %v (%v)", to, err)
	}
	fromHdr, err := got.Header.AddressList("From")
	if err != nil || len(fromHdr) != 1 || fromHdr[0].Name != from.Name || fromHdr[0].Address != from.Email {
		t.Errorf("From = %v (%v)", fromHdr, err)
	}
	var dec mime.WordDecoder
	if subject, err := dec.DecodeHeader(got.Header.Get("Subject")); err != nil || subject != msg.Subject {
		t.Errorf("Subject = %q (%v)", subject, err)
	}
	if date, err := got.Header.Date(); err != nil || date.Before(before) || date.After(time.Now().Add(time.Second)) {
		t.Errorf("Date = %v (%v)", date, err)
	}
	if id := got.Header.Get("Message-ID"); !regexp.MustCompile(`^<[0-9a-f]{32}@gazette\.example>$`).MatchString(id) {
		t.Errorf("Message-ID = %q", id)
	}
	for name, want := range map[string]string{
		"MIME-Version":              "1.0",
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Auto-Submitted":            "auto-generated",
	} {
		if v := got.Header.Get(name); v != want {
			t.Errorf("%s = %q, want %q", name, v, want)
		}
	}
	if got.Body != body {
		t.Errorf("decoded body:\n%q\nwant\n%q", got.Body, body)
	}
	// On the wire everything is 7-bit ASCII in short lines: names and the
	// subject as encoded words, the body as quoted-printable.
	head, rawBody, _ := bytes.Cut(got.Raw, []byte("\n\n"))
	for i, line := range strings.Split(string(got.Raw), "\n") {
		if len(line) > 78 {
			t.Errorf("line %d is %d characters: %q", i+1, len(line), line)
		}
		for _, r := range line {
			if r > 126 {
				t.Errorf("line %d has a raw non-ASCII character: %q", i+1, line)
				break
			}
		}
	}
	if !bytes.Contains(head, []byte("=?utf-8?q?")) {
		t.Errorf("headers do not use encoded words:\n%s", head)
	}
	if !bytes.Contains(rawBody, []byte("Zo=C3=AB")) || !bytes.Contains(rawBody, []byte("100% =3D done")) {
		t.Errorf("body is not quoted-printable:\n%s", rawBody)
	}
}

func TestSMTPStartTLSAndAuth(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: true, Username: "courier", Password: "s3cret-pass"})
	sender := &mail.SMTP{Addr: srv.Addr, From: from, Username: "courier", Password: "s3cret-pass", TLS: srv.ClientTLS()}
	if err := sender.Send(context.Background(), mail.Message{To: mail.Address{Email: "ed@example.test"}, Subject: "Hello", Body: "Hi.\n"}); err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t)
	if !got.TLS || got.AuthUser != "courier" {
		t.Errorf("TLS %v, authenticated as %q; want STARTTLS and courier", got.TLS, got.AuthUser)
	}

	wrong := *sender
	wrong.Password = "nope"
	if err := wrong.Send(context.Background(), mail.Message{To: mail.Address{Email: "ed@example.test"}, Subject: "Hello", Body: "Hi.\n"}); err == nil || !strings.Contains(err.Error(), "authenticate as courier") {
		t.Errorf("wrong password: %v", err)
	}
	// A certificate the client does not trust stops the delivery.
	untrusting := *sender
	untrusting.TLS = nil
	if err := untrusting.Send(context.Background(), mail.Message{To: mail.Address{Email: "ed@example.test"}, Subject: "Hello", Body: "Hi.\n"}); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("untrusted certificate: %v", err)
	}
	if n := srv.Pending(); n != 0 {
		t.Errorf("%d messages got through after failures", n)
	}
}

func TestSMTPRefusesBadAddresses(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	tests := []struct {
		name     string
		from, to mail.Address
	}{
		{"header injection", from, mail.Address{Email: "a@example.test\r\nBcc: victim@example.test"}},
		{"two recipients", from, mail.Address{Email: "a@example.test, b@example.test"}},
		{"display name in the address", from, mail.Address{Email: "Eve <eve@example.test>"}},
		{"no address", from, mail.Address{}},
		{"bad sender", mail.Address{Email: "not an address"}, mail.Address{Email: "a@example.test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sender := &mail.SMTP{Addr: srv.Addr, From: tt.from}
			if err := sender.Send(context.Background(), mail.Message{To: tt.to, Subject: "x", Body: "x"}); err == nil {
				t.Error("sent")
			}
		})
	}
	// A newsletter's own sender and unsubscribe URL are checked as strictly.
	for _, m := range []mail.Message{
		{From: mail.Address{Email: "news@example.test\r\nBcc: victim@example.test"}},
		{Unsubscribe: "https://example.test/u/1>\r\nBcc: victim@example.test"},
		{Unsubscribe: "javascript:alert(1)"},
	} {
		m.To, m.Subject, m.Body = mail.Address{Email: "a@example.test"}, "x", "x"
		if err := (&mail.SMTP{Addr: srv.Addr, From: from}).Send(context.Background(), m); err == nil {
			t.Errorf("sent %+v", m)
		}
	}
	// A display name cannot break out of its header either.
	sender := &mail.SMTP{Addr: srv.Addr, From: from}
	if err := sender.Send(context.Background(), mail.Message{To: mail.Address{Name: "Eve\r\nBcc: victim@example.test", Email: "eve@example.test"}, Subject: "Hi\r\nBcc: victim@example.test", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t)
	if got.Header.Get("Bcc") != "" || len(got.To) != 1 {
		t.Errorf("injected header: %q, recipients %q", got.Header.Get("Bcc"), got.To)
	}
}

func TestSMTPTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // a server that accepts and never says a word
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	sender := &mail.SMTP{Addr: ln.Addr().String(), From: from, Timeout: 200 * time.Millisecond}
	start := time.Now()
	err = sender.Send(context.Background(), mail.Message{To: mail.Address{Email: "a@example.test"}, Subject: "x", Body: "x"})
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("silent server: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v", took)
	}
}

func TestLogWritesTheMessage(t *testing.T) {
	var buf bytes.Buffer
	l := &mail.Log{Logger: slog.New(slog.NewTextHandler(&buf, nil))}
	link := "https://gazette.example/admin/reset/abc_DEF-123"
	if err := l.Send(context.Background(), mail.Message{To: mail.Address{Name: "Zoë", Email: "zoe@example.test"}, Subject: "Reset", Body: "Open " + link + "\n"}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, link) || !strings.Contains(out, "zoe@example.test") || !strings.Contains(out, "mail is not configured") {
		t.Errorf("log = %s", out)
	}
}

func TestParseAddress(t *testing.T) {
	a, err := mail.ParseAddress("Northgate Courier <news@courier.example>")
	if err != nil || a != (mail.Address{Name: "Northgate Courier", Email: "news@courier.example"}) {
		t.Errorf("ParseAddress = %+v, %v", a, err)
	}
	if _, err := mail.ParseAddress("courier.example"); err == nil {
		t.Error("accepted an address without @")
	}
	if _, err := netmail.ParseAddress(a.String()); err != nil {
		t.Errorf("String() = %q does not parse: %v", a.String(), err)
	}
}
