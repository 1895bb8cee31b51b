// Package mail sends the newsroom's email: password-reset links and staff
// invitations, as short plain-text messages.
//
// Callers describe a Message (recipient, subject, text); this package turns
// it into a proper Internet message — From, To, Subject, Date, Message-ID,
// MIME-Version and a UTF-8 text/plain body in quoted-printable, with
// non-ASCII names and subjects as RFC 2047 encoded words — and hands it to
// one of two senders:
//
//   - SMTP delivers through a mail server with net/smtp. It upgrades the
//     connection with STARTTLS whenever the server offers it and sends a
//     password only over an encrypted connection (or to localhost).
//   - Log is for a site without a mail server: it writes the message, links
//     included, to the server log, so a fresh install still works.
//
// Both have the same Send method; the newsroom declares the interface it
// needs.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// Address is a mailbox with an optional display name in any language.
type Address struct {
	Name  string
	Email string
}

// ParseAddress reads "Name <user@example.org>" or "user@example.org".
func ParseAddress(s string) (Address, error) {
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return Address{}, fmt.Errorf("mail address %q: %w", s, err)
	}
	return Address{Name: a.Name, Email: a.Address}, nil
}

// String formats the address for a header, encoding a non-ASCII name.
func (a Address) String() string {
	return (&netmail.Address{Name: oneLine(a.Name), Address: a.Email}).String()
}

// check refuses an email address that is not a plain addr-spec, so nothing a
// form supplied can add a header or a recipient.
func (a Address) check() error {
	p, err := netmail.ParseAddress(a.Email)
	if err != nil || p.Address != a.Email || p.Name != "" {
		return fmt.Errorf("mail: %q is not an email address", a.Email)
	}
	return nil
}

// Message is one email to one person: plain text, or plain text and HTML.
type Message struct {
	To      Address
	Subject string
	Body    string // plain text; lines end in "\n"

	// For newsletters. From, when set, replaces the sender's address in
	// the From header (the envelope sender, where bounces go, stays the
	// sender's own); HTML adds an HTML alternative to Body; Unsubscribe,
	// an https URL, adds the RFC 8058 one-click unsubscribe headers.
	From        Address
	HTML        string
	Unsubscribe string
}

// compose renders m as an Internet message (RFC 5322) from from, dated now.
func (m Message) compose(from Address, now time.Time) ([]byte, error) {
	if err := from.check(); err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	if err := m.To.check(); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	if m.From.Email != "" {
		if err := m.From.check(); err != nil {
			return nil, fmt.Errorf("sender: %w", err)
		}
		from = m.From
	}
	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("From", from.String())
	header("To", m.To.String())
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", messageID(from.Email))
	header("MIME-Version", "1.0")
	if m.Unsubscribe != "" {
		if !oneClickURL(m.Unsubscribe) {
			return nil, fmt.Errorf("mail: %q is not an https unsubscribe URL", m.Unsubscribe)
		}
		header("List-Unsubscribe", "<"+m.Unsubscribe+">")
		header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	} else {
		header("Auto-Submitted", "auto-generated") // RFC 3834: no vacation replies
	}
	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Body); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	header("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ kind, body string }{{"text/plain", m.Body}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.kind + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeQP writes text quoted-printable: in text mode the writer turns
// every line break into CRLF and keeps lines within 76 characters with
// soft breaks.
func writeQP(w io.Writer, text string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(text)); err != nil {
		return err
	}
	return qp.Close()
}

// oneClickURL accepts an http(s) URL (mail clients one-click only https;
// a site served over http, in development, still gets the header) that can sit between angle brackets in
// a header: nothing in it may end the header or the brackets.
func oneClickURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) < 900 &&
		!strings.ContainsAny(s, "<>\"\\ \t\r\n\x00")
}

// messageID is a unique Message-ID in the sender's domain.
func messageID(from string) string {
	_, domain, _ := strings.Cut(from, "@")
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "<" + hex.EncodeToString(b) + "@" + domain + ">"
}

// oneLine keeps header text on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Log writes messages to a log instead of sending them: the fallback for a
// site with no mail server configured.
type Log struct {
	Logger *slog.Logger
}

// Send writes m, body and links included, to the log.
func (l *Log) Send(ctx context.Context, m Message) error {
	if err := m.To.check(); err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	if l.Logger == nil {
		return errors.New("mail: Log has no Logger")
	}
	l.Logger.WarnContext(ctx, "mail is not configured (--smtp-addr); this message was written to the log instead of sent",
		slog.String("to", m.To.String()), slog.String("subject", m.Subject), slog.String("body", m.Body))
	return nil
}
