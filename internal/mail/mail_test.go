package mail_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"mime"
	"net"
	netmail "net/mail"
	"os"
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
		"Content-Type":              "text/plain; charset=UTF-8",
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
	head, rawBody, _ := bytes.Cut(got.Raw, []byte("\r\n\r\n"))
	for i, line := range strings.Split(string(got.Raw), "\r\n") {
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
	if !bytes.Contains(bytes.ToLower(head), []byte("=?utf-8?q?")) {
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
	// Mailpit requires STARTTLS and the password, so arriving proves both.
	if got := srv.Next(t); len(got.To) != 1 || got.To[0] != "ed@example.test" {
		t.Errorf("arrived for %q", got.To)
	}

	wrong := *sender
	wrong.Password = "nope"
	if err := wrong.Send(context.Background(), mail.Message{To: mail.Address{Email: "ed@example.test"}, Subject: "Hello", Body: "Hi.\n"}); err == nil || !strings.Contains(err.Error(), "535") {
		t.Errorf("wrong password: %v", err)
	}
	// A certificate the client does not trust stops the delivery.
	untrusting := *sender
	untrusting.TLS = nil
	if err := untrusting.Send(context.Background(), mail.Message{To: mail.Address{Email: "ed@example.test"}, Subject: "Hello", Body: "Hi.\n"}); err == nil || !strings.Contains(err.Error(), "certificate") {
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
	for _, m := range []mail.Message{
		{To: mail.Address{Name: "Eve\r\nBcc: victim@example.test", Email: "eve@example.test"}, Subject: "Hi\r\nBcc: victim@example.test", Body: "x"},
		{To: mail.Address{Name: "Eve\nBcc: victim@example.test", Email: "eve@example.test"}, Subject: "Hi\rBcc: victim@example.test",
			From: mail.Address{Name: "News\r\nBcc: victim@example.test", Email: "news@example.test"}, Body: "x", HTML: "<p>x</p>", Unsubscribe: "https://example.test/u/1"},
	} {
		if err := sender.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		got := srv.Next(t)
		if got.Header.Get("Bcc") != "" || len(got.To) != 1 || bytes.Contains(got.Raw, []byte("\nBcc:")) {
			t.Errorf("injected header: %q, recipients %q\n%s", got.Header.Get("Bcc"), got.To, got.Raw)
		}
	}
}

func TestSMTPPermanentRefusal(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{AllowedRecipients: `@example\.test$`})
	sender := &mail.SMTP{Addr: srv.Addr, From: from}
	err := sender.Send(context.Background(), mail.Message{To: mail.Address{Email: "a@elsewhere.test"}, Subject: "x", Body: "x"})
	if err == nil || !mail.Permanent(err) || errors.Is(err, mail.ErrMaybeDelivered) {
		t.Errorf("refused recipient: %v (permanent %v)", err, mail.Permanent(err))
	}
	if err := sender.Send(context.Background(), mail.Message{To: mail.Address{Email: "a@example.test"}, Subject: "x", Body: "x"}); err != nil || mail.Permanent(err) {
		t.Errorf("allowed recipient: %v", err)
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

func TestSMTPSignsWithDKIM(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	keyFile, txt := mailtest.DKIMKey(t)
	key, err := mail.LoadDKIM(keyFile, "gazette.example", "mh2026")
	if err != nil {
		t.Fatal(err)
	}
	sender := &mail.SMTP{Addr: srv.Addr, From: from, DKIM: key}
	tests := []struct {
		name string
		msg  mail.Message
	}{
		{"plain text", mail.Message{To: mail.Address{Name: "Zoë", Email: "zoe@example.test"}, Subject: "Réinitialisez", Body: "Bonjour.\n.dot\n"}},
		{"newsletter", mail.Message{
			To: mail.Address{Email: "lee@example.test"}, From: mail.Address{Name: "The Briefing", Email: "briefing@gazette.example"},
			Subject: "Tuesday: the council " + strings.Repeat("votes ", 20), Body: "Text part.\n", HTML: "<p>HTML <em>part</em>.</p>\n",
			Unsubscribe: "https://gazette.example/newsletters/unsubscribe/1.2.abc", ReturnPath: "bounces+d7.x1@gazette.example",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := sender.Send(context.Background(), tt.msg); err != nil {
				t.Fatal(err)
			}
			got := srv.Next(t)
			if err := mailtest.VerifyDKIM(got.Raw, "gazette.example", "mh2026", txt); err != nil {
				t.Fatalf("DKIM does not verify: %v\n%s", err, got.Raw)
			}
			covers := []string{"from", "to", "subject"}
			if tt.msg.Unsubscribe != "" {
				covers = append(covers, "list-unsubscribe", "list-unsubscribe-post")
			}
			sig := strings.ToLower(strings.Join(strings.Fields(got.Header.Get("DKIM-Signature")), ""))
			for _, h := range covers {
				if !regexp.MustCompile(`[=:]` + h + `[:;]`).MatchString(sig) {
					t.Errorf("the signature does not cover %s: %s", h, sig)
				}
			}
			// The verifier is real: a changed header fails it.
			forged := bytes.Replace(got.Raw, []byte("\r\nTo: "), []byte("\r\nTo: x"), 1)
			if err := mailtest.VerifyDKIM(forged, "gazette.example", "mh2026", txt); err == nil {
				t.Error("a forged To header verified")
			}
			if tt.msg.Unsubscribe != "" {
				if got.Header.Get("List-Unsubscribe") != "<"+tt.msg.Unsubscribe+">" || got.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
					t.Errorf("unsubscribe headers: %q, %q", got.Header.Get("List-Unsubscribe"), got.Header.Get("List-Unsubscribe-Post"))
				}
				if got.From != tt.msg.ReturnPath {
					t.Errorf("envelope sender %q, want %q", got.From, tt.msg.ReturnPath)
				}
				if !strings.Contains(got.Body, "Text part.") || !strings.Contains(got.Body, "<em>part</em>") {
					t.Errorf("parts:\n%s", got.Body)
				}
			}
		})
	}
}

func TestLoadDKIMRefusesBadKeys(t *testing.T) {
	keyFile, _ := mailtest.DKIMKey(t)
	notPEM := t.TempDir() + "/key.txt"
	if err := os.WriteFile(notPEM, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, file, domain, selector string }{
		{"missing file", t.TempDir() + "/none.pem", "gazette.example", "s"},
		{"not PEM", notPEM, "gazette.example", "s"},
		{"no domain", keyFile, "", "s"},
		{"no selector", keyFile, "gazette.example", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := mail.LoadDKIM(tt.file, tt.domain, tt.selector); err == nil {
				t.Error("accepted")
			}
		})
	}
}
