package mail

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"strings"
)

// Bounce is one recipient's line in a delivery-status notification
// (RFC 3464): a mail server's report that it could not deliver a message.
type Bounce struct {
	Recipient  string // Final-Recipient's address
	Action     string // failed, delayed, …
	Status     string // the enhanced status code (RFC 3463), like 5.1.1
	Diagnostic string // the remote server's words, if it gave any
}

// Hard is a permanent failure (a 5.x.x status): the address will not take
// mail. Anything else reported — 4.x.x, or a delay — is soft, worth
// counting but not final.
func (b Bounce) Hard() bool {
	return strings.HasPrefix(b.Status, "5.") && !strings.EqualFold(b.Action, "delayed")
}

// ErrNotDSN is a message that is not a delivery-status notification: an
// auto-reply, a reader's answer, spam sent to the bounce address.
var ErrNotDSN = errors.New("mail: not a delivery-status notification (multipart/report; report-type=delivery-status)")

var statusCode = regexp.MustCompile(`^[245]\.\d{1,3}\.\d{1,3}$`)

// ParseDSN reads the bounces a delivery-status notification reports, for
// the recipients whose delivery failed or was delayed. maxBytes bounds
// what is read.
func ParseDSN(r io.Reader, maxBytes int64) ([]Bounce, error) {
	msg, err := netmail.ReadMessage(io.LimitReader(r, maxBytes))
	if err != nil {
		return nil, fmt.Errorf("mail: read report: %w", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/report" || !strings.EqualFold(params["report-type"], "delivery-status") || params["boundary"] == "" {
		return nil, ErrNotDSN
	}
	parts := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: no message/delivery-status part", ErrNotDSN)
		}
		if err != nil {
			return nil, fmt.Errorf("mail: read report: %w", err)
		}
		if t, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); t == "message/delivery-status" || t == "message/global-delivery-status" {
			return deliveryStatus(p)
		}
	}
}

// deliveryStatus reads the fields of a message/delivery-status part: a
// block about the message, then one block per recipient.
func deliveryStatus(r io.Reader) ([]Bounce, error) {
	tp := textproto.NewReader(bufio.NewReader(r))
	if _, err := tp.ReadMIMEHeader(); err != nil && !errors.Is(err, io.EOF) { // per-message fields
		return nil, fmt.Errorf("mail: delivery status: %w", err)
	}
	var bounces []Bounce
	for {
		h, err := tp.ReadMIMEHeader()
		if len(h) > 0 {
			b := Bounce{
				Recipient:  typedAddress(h.Get("Final-Recipient")),
				Action:     strings.ToLower(strings.TrimSpace(h.Get("Action"))),
				Status:     firstWord(h.Get("Status")), // "5.1.1 (bad mailbox)" has a comment
				Diagnostic: oneLine(h.Get("Diagnostic-Code")),
			}
			if b.Recipient == "" {
				b.Recipient = typedAddress(h.Get("Original-Recipient"))
			}
			if (b.Action == "failed" || b.Action == "delayed") && statusCode.MatchString(b.Status) {
				bounces = append(bounces, b)
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("mail: delivery status: %w", err)
		}
	}
	if len(bounces) == 0 {
		return nil, errors.New("mail: the report names no failed or delayed recipient")
	}
	return bounces, nil
}

// typedAddress is the address of an "rfc822; user@example.org" field.
func typedAddress(v string) string {
	_, addr, ok := strings.Cut(v, ";")
	if !ok {
		addr = v
	}
	return strings.Trim(strings.TrimSpace(addr), "<>")
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}
