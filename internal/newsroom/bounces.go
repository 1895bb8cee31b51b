package newsroom

// Bounces: newsletters go out with a per-message return path (VERP), so a
// delivery-status notification that comes back to the bounce intake names
// the issue and the reader it was for, signed so that no one can suppress
// an address by mailing a made-up report. A hard bounce (5.x.x) puts the
// address on the suppression list at once; soft ones (4.x.x, delays) do
// after softBounceLimit within softBounceWindow.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"masthead/internal/mail"
	"masthead/internal/news"
	"masthead/internal/store"
)

const (
	softBounceLimit  = 3
	softBounceWindow = 30 * 24 * time.Hour
	maxBounceBytes   = 1 << 20 // a report is small; the returned message is cut off
)

// ErrNotBounceReport is a message to a bounce address that is not a
// delivery-status notification with a failed or delayed recipient.
var ErrNotBounceReport = errors.New("not a bounce report")

// ErrNotBounceAddress is a recipient the bounce intake does not take: not
// a return path this site made, or one whose signature does not match.
var ErrNotBounceAddress = errors.New("not a bounce address of this site")

// bounceAddress is the return path of one issue's message to one reader:
// local+ISSUE.READER.MAC@domain of Config.ReturnPath, lower case (some
// servers change the case of local parts); "" without a ReturnPath.
func (s *Service) bounceAddress(key []byte, issueID, readerID int64) string {
	if s.returnPath == "" {
		return ""
	}
	local, domain, _ := strings.Cut(s.returnPath, "@")
	return fmt.Sprintf("%s+%d.%d.%s@%s", local, issueID, readerID, bounceMAC(key, issueID, readerID), domain)
}

func bounceMAC(key []byte, issueID, readerID int64) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "bounce %d.%d", issueID, readerID)
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// CheckBounceAddress says whether the intake should take mail for rcpt:
// nil for a return path this site made, ErrNotBounceAddress otherwise.
func (s *Service) CheckBounceAddress(ctx context.Context, rcpt string) error {
	_, _, err := s.parseBounceAddress(ctx, rcpt)
	return err
}

func (s *Service) parseBounceAddress(ctx context.Context, rcpt string) (issueID, readerID int64, err error) {
	local, _, ok := strings.Cut(strings.ToLower(strings.Trim(rcpt, "<> ")), "@")
	i := strings.LastIndexByte(local, '+')
	if !ok || i < 0 {
		return 0, 0, ErrNotBounceAddress
	}
	parts := strings.Split(local[i+1:], ".")
	if len(parts) != 3 {
		return 0, 0, ErrNotBounceAddress
	}
	issueID, err1 := strconv.ParseInt(parts[0], 10, 64)
	readerID, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, ErrNotBounceAddress
	}
	key, err := s.newsletterKey(ctx)
	if err != nil {
		return 0, 0, err
	}
	if !hmac.Equal([]byte(parts[2]), []byte(bounceMAC(key, issueID, readerID))) {
		return 0, 0, ErrNotBounceAddress
	}
	return issueID, readerID, nil
}

// BounceOutcome is what a bounce report did.
type BounceOutcome struct {
	Email      string
	Hard       bool
	Status     string
	Suppressed bool // the address is now on the suppression list
}

// RecordBounce reads a report that arrived for rcpt: a delivery-status
// notification about the message that return path was made for. It
// returns ErrNotBounceAddress for a recipient this site did not make, and
// ErrNotBounceReport for a message that is not such a report (an
// auto-reply, spam), which the intake takes and drops.
func (s *Service) RecordBounce(ctx context.Context, rcpt string, report io.Reader) (*BounceOutcome, error) {
	issueID, readerID, err := s.parseBounceAddress(ctx, rcpt)
	if err != nil {
		return nil, err
	}
	email, _, err := s.store.DeliveryEmail(ctx, issueID, readerID)
	if errors.Is(err, news.ErrNotFound) {
		return nil, ErrNotBounceAddress
	}
	if err != nil {
		return nil, err
	}
	bounces, err := mail.ParseDSN(report, maxBounceBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotBounceReport, err)
	}
	// The return path names the one recipient of the message; a report
	// may list others (a forwarder's), but only the worst line counts.
	worst := bounces[0]
	for _, b := range bounces[1:] {
		if b.Hard() && !worst.Hard() {
			worst = b
		}
	}
	now := s.clock.Now()
	suppressed, err := s.store.RecordBounce(ctx, store.BounceRecord{Email: email, IssueID: issueID, Hard: worst.Hard(),
		Status: worst.Status, Detail: worst.Diagnostic}, softBounceLimit, now.Add(-softBounceWindow), now)
	if err != nil {
		return nil, err
	}
	out := &BounceOutcome{Email: email, Hard: worst.Hard(), Status: worst.Status, Suppressed: suppressed}
	s.log.InfoContext(ctx, "bounce", slog.String("email", email), slog.Int64("issue", issueID), slog.String("status", worst.Status),
		slog.Bool("hard", out.Hard), slog.Bool("suppressed", suppressed))
	return out, nil
}
