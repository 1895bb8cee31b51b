// Package mail sends the newsroom's email: password-reset links and staff
// invitations, as short plain-text messages.
//
// Callers describe a Message (recipient, subject, text, optionally HTML and
// a one-click unsubscribe URL); this package has github.com/wneessen/go-mail
// turn it into a proper Internet message — From, To, Subject, Date,
// Message-ID, MIME-Version, UTF-8 parts in quoted-printable, non-ASCII
// names and subjects as RFC 2047 encoded words, the RFC 8058 headers, and a
// DKIM signature when a key is configured — and hands it to one of two
// senders:
//
//   - SMTP delivers through a mail server with go-mail's client. It
//     upgrades the connection with STARTTLS whenever the server offers it
//     (or speaks TLS from the start on port 465) and sends a password only
//     over an encrypted connection (or to localhost).
//   - Log is for a site without a mail server: it writes the message, links
//     included, to the server log, so a fresh install still works.
//
// Both have the same Send method; the newsroom declares the interface it
// needs. ParseDSN reads the delivery-status notifications bounces come as.
package mail

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"os"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
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
	// the From header; HTML adds an HTML alternative to Body; Unsubscribe,
	// an https URL, adds the RFC 8058 one-click unsubscribe headers;
	// ReturnPath, when set, is the envelope sender (where bounces go)
	// instead of the sender's own address, so a bounce names its message.
	From        Address
	HTML        string
	Unsubscribe string
	ReturnPath  string
}

// The headers a DKIM signature covers. RFC 8058 asks for List-Unsubscribe
// and List-Unsubscribe-Post to be among them, so that no one on the way
// can point the one-click button elsewhere. Each list fits on one line:
// go-mail v0.8.1 folds a longer h= tag inside a header name, which
// verifiers (rightly) do not undo, and the signature fails.
var (
	signedHeaders           = []string{"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Auto-Submitted"}
	signedNewsletterHeaders = []string{"From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post"}
)

// compose turns m, from from and dated now, into go-mail's message, which
// writes the MIME (RFC 2047 words for names and subjects, quoted-printable
// bodies, multipart/alternative) and, with a key, the DKIM signature.
func (m Message) compose(from Address, now time.Time, dkim *DKIM) (*gomail.Msg, error) {
	if err := from.check(); err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	if err := m.To.check(); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	envelope := from.Email
	if m.ReturnPath != "" {
		if err := (Address{Email: m.ReturnPath}).check(); err != nil {
			return nil, fmt.Errorf("return path: %w", err)
		}
		envelope = m.ReturnPath
	}
	if m.From.Email != "" {
		if err := m.From.check(); err != nil {
			return nil, fmt.Errorf("sender: %w", err)
		}
		from = m.From
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithEncoding(gomail.EncodingQP), gomail.WithCharset(gomail.CharsetUTF8))
	// Names and the subject are kept to one line before go-mail encodes
	// them, so a line break a form let through can never end a header.
	if err := msg.FromFormat(oneLine(from.Name), from.Email); err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	if err := msg.AddToFormat(oneLine(m.To.Name), m.To.Email); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	if err := msg.EnvelopeFrom(envelope); err != nil {
		return nil, fmt.Errorf("return path: %w", err)
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetDateWithValue(now)
	msg.SetMessageIDWithValue(messageID(from.Email))
	if m.Unsubscribe != "" {
		if !oneClickURL(m.Unsubscribe) {
			return nil, fmt.Errorf("mail: %q is not an https unsubscribe URL", m.Unsubscribe)
		}
		// Set by hand rather than with SetListUnsubscribeOneClick, which
		// takes https only: a development site on http keeps the header.
		msg.SetGenHeaderPreformatted(gomail.HeaderListUnsubscribe, "<"+m.Unsubscribe+">")
		msg.SetGenHeaderPreformatted(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	} else {
		msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no vacation replies
	}
	msg.SetBodyString(gomail.TypeTextPlain, crlf(m.Body))
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, crlf(m.HTML))
	}
	if dkim != nil {
		// A signer per message: go-mail's keeps state from its first use.
		signer := gomail.NewDKIMSigner(dkim.Domain, dkim.Selector, dkim.Key)
		if m.Unsubscribe != "" {
			signer.SignHeaders(signedNewsletterHeaders...)
		} else {
			signer.SignHeaders(signedHeaders...)
		}
		msg.SetDKIM(signer)
	}
	return msg, nil
}

// crlf gives text the line ends of a message on the wire.
func crlf(text string) string {
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
}

// DKIM is a domain's signing key (RFC 6376): with one, every message is
// signed as Domain, and receivers check it against the public key
// published at Selector._domainkey.Domain.
type DKIM struct {
	Domain   string
	Selector string
	Key      crypto.Signer // RSA or Ed25519
}

// LoadDKIM reads a PEM private key (PKCS#1 RSA, or PKCS#8 RSA or Ed25519).
func LoadDKIM(keyFile, domain, selector string) (*DKIM, error) {
	pemBytes, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("DKIM key: %w", err)
	}
	key, err := gomail.PrivKeyFromPEM(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("DKIM key %s: %w", keyFile, err)
	}
	d := &DKIM{Domain: domain, Selector: selector, Key: key}
	if err := gomail.NewDKIMSigner(domain, selector, key).ValidateConfig(); err != nil {
		return nil, fmt.Errorf("DKIM: %w", err)
	}
	return d, nil
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
	return hex.EncodeToString(b) + "@" + domain
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
