package newsroom

// Subscribers in bulk: a CSV import from another newsletter service and a
// CSV export.
//
// An import takes the exports of Mailchimp, Substack and Ghost, told
// apart by their column names. Its addresses count as confirmed: their
// owners opted in at the service they come from. It is one transaction,
// and a file with an address that cannot be read imports nothing (its
// columns are probably not what they seem); rows left out for a reason
// that is no fault of the file (a duplicate, an address on the
// suppression list, a row the export marks as not subscribed) are
// reported and the rest imported. The suppression list always wins.

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"masthead/internal/news"
	"masthead/internal/store"
)

// maxImportRows bounds one import, so a file cannot hold the single
// writer for minutes.
const maxImportRows = 100_000

// Why a row of an import was left out.
const (
	RejectMalformed     = "malformed address"
	RejectDuplicate     = "duplicate"
	RejectSuppressed    = "suppressed (unsubscribed, bounced or complained before)"
	RejectNotSubscribed = "not subscribed in the export"
)

// RejectedRow is a row of an import left out, and why.
type RejectedRow struct {
	Line   int // in the file, the column names being line 1
	Email  string
	Reason string
}

// SubscriberImport is what an import did.
type SubscriberImport struct {
	Format   string // "Mailchimp", "Substack", "Ghost" or "CSV"
	Imported int    // newly confirmed
	Already  int    // were confirmed subscribers already
	Refused  bool   // nothing was imported: the file has malformed addresses
	Rejected []RejectedRow
}

// importColumns are where a format keeps what an import reads; -1 for a
// column the file lacks.
type importColumns struct {
	format                   string
	email, name, first, last int
	date                     int
	off                      []int // a non-empty cell: not subscribed (Mailchimp's unsubscribed and cleaned exports)
	optOut                   int   // "true": not subscribed (Substack's email_disabled)
	optIn                    int   // "false": not subscribed (Ghost's subscribed_to_emails)
}

// detectColumns tells an export's shape by its column names, in any case.
func detectColumns(header []string) (importColumns, error) {
	at := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := at[h]; !dup {
			at[h] = i
		}
	}
	col := func(names ...string) int {
		for _, n := range names {
			if i, ok := at[n]; ok {
				return i
			}
		}
		return -1
	}
	c := importColumns{email: col("email"), name: col("name"), first: -1, last: -1, date: col("created_at"), optOut: -1, optIn: -1}
	_, ghostLabels := at["labels"]
	switch {
	case col("email address") >= 0:
		c = importColumns{format: "Mailchimp", email: col("email address"), name: -1, first: col("first name", "fname"), last: col("last name", "lname"),
			date: col("confirm_time", "optin_time"), optOut: -1, optIn: -1}
		for _, n := range []string{"unsub_time", "clean_time"} {
			if i := col(n); i >= 0 {
				c.off = append(c.off, i)
			}
		}
	case c.email >= 0 && (col("active_subscription") >= 0 || col("email_disabled") >= 0):
		c.format, c.optOut = "Substack", col("email_disabled")
	case c.email >= 0 && (col("subscribed_to_emails") >= 0 || col("newsletters") >= 0 || ghostLabels):
		c.format, c.optIn = "Ghost", col("subscribed_to_emails")
	case c.email >= 0:
		c.format = "CSV"
	default:
		return c, news.FieldErrors{"file": `The file's first line must name its columns, as the exports of Mailchimp ("Email Address"), Substack and Ghost ("email") do.`}
	}
	return c, nil
}

// ImportSubscribers reads a CSV export of subscribers and makes them
// confirmed subscribers of the newsletter, in one transaction.
// news.FieldErrors on "file" for a file that cannot be read at all,
// news.ErrForbidden, news.ErrNotFound; a file with malformed addresses
// gives a report with Refused set and no error.
func (s *Service) ImportSubscribers(ctx context.Context, actor news.Actor, newsletterID int64, file io.Reader) (*SubscriberImport, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	if _, err := s.store.Newsletter(ctx, newsletterID, ""); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	rep, list, err := readSubscriberCSV(file, now)
	if err != nil {
		return nil, err
	}
	if rep.Refused {
		return rep, nil
	}
	lineOf := map[string]int{}
	for _, r := range list {
		lineOf[r.Email] = r.line
	}
	rows := make([]store.ImportedSubscriber, len(list))
	for i, r := range list {
		rows[i] = r.ImportedSubscriber
	}
	added, already, suppressed, err := s.store.ImportSubscribers(ctx, newsletterID, rows, now)
	if err != nil {
		return nil, err
	}
	rep.Imported, rep.Already = added, already
	for _, e := range suppressed {
		rep.Rejected = append(rep.Rejected, RejectedRow{Line: lineOf[e], Email: e, Reason: RejectSuppressed})
	}
	slices.SortStableFunc(rep.Rejected, func(a, b RejectedRow) int { return a.Line - b.Line })
	return rep, nil
}

type importRow struct {
	store.ImportedSubscriber
	line int
}

// readSubscriberCSV reads an export into the rows to import and the
// report of those left out.
func readSubscriberCSV(file io.Reader, now time.Time) (*SubscriberImport, []importRow, error) {
	cr := csv.NewReader(file)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, news.FieldErrors{"file": "The file is empty."}
	}
	if err != nil {
		return nil, nil, news.FieldErrors{"file": "The file is not a CSV file: " + err.Error()}
	}
	c, err := detectColumns(header)
	if err != nil {
		return nil, nil, err
	}
	rep := &SubscriberImport{Format: c.format}
	seen := map[string]int{}
	var list []importRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, nil, news.FieldErrors{"file": fmt.Sprintf("Line %d cannot be read as CSV: %v", line, err)}
		}
		if len(list)+len(rep.Rejected) >= maxImportRows {
			return nil, nil, news.FieldErrors{"file": fmt.Sprintf("Import at most %d addresses at a time: split the file.", maxImportRows)}
		}
		cell := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		if strings.Join(rec, "") == "" {
			continue // a blank line
		}
		email := NormalEmail(cell(c.email))
		reject := func(reason string) {
			rep.Rejected = append(rep.Rejected, RejectedRow{Line: line, Email: safeCell(email), Reason: reason})
		}
		if !validEmail(email) {
			rep.Refused = true
			reject(RejectMalformed)
			continue
		}
		if first, dup := seen[email]; dup {
			reject(fmt.Sprintf("%s of line %d", RejectDuplicate, first))
			continue
		}
		seen[email] = line
		notSubscribed := strings.EqualFold(cell(c.optOut), "true") || strings.EqualFold(cell(c.optIn), "false")
		for _, i := range c.off {
			notSubscribed = notSubscribed || cell(i) != ""
		}
		if notSubscribed {
			reject(RejectNotSubscribed)
			continue
		}
		name := cell(c.name)
		if c.first >= 0 || c.last >= 0 {
			name = cell(c.first) + " " + cell(c.last)
		}
		list = append(list, importRow{store.ImportedSubscriber{Email: email, Name: safeName(name), SubscribedAt: importDate(cell(c.date), now)}, line})
	}
	return rep, list, nil
}

// safeName makes an imported name one line of printable text, at most
// 100 characters: names may one day go into a header.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError || unicode.In(r, unicode.Cf) {
			return ' '
		}
		return r
	}, s)
	s = oneLineText(s)
	if utf8.RuneCountInString(s) > 100 {
		s = strings.TrimSpace(string([]rune(s)[:100]))
	}
	return s
}

// safeCell is a rejected address as the report shows it: short, one line.
func safeCell(s string) string {
	s = safeName(s)
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strings.ToValidUTF8(s, "")
}

// importDate reads an export's subscription date in the shapes the three
// services write; now for none, for one unreadable or in the future.
func importDate(s string, now time.Time) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil && !t.After(now) {
			return t.UTC()
		}
	}
	return now
}

// ExportSubscribers writes the newsletter's confirmed subscribers as CSV
// (email, name, subscribed date). Cells that a spreadsheet would take for
// a formula are prefixed with a quote. news.ErrForbidden, news.ErrNotFound.
func (s *Service) ExportSubscribers(ctx context.Context, actor news.Actor, newsletterID int64, w io.Writer) error {
	if err := mayManageNewsletters(actor); err != nil {
		return err
	}
	if _, err := s.store.Newsletter(ctx, newsletterID, ""); err != nil {
		return err
	}
	list, err := s.store.ConfirmedSubscribers(ctx, newsletterID)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"email", "name", "subscribed_at"})
	for _, sub := range list {
		since := ""
		if !sub.SubscribedAt.IsZero() {
			since = sub.SubscribedAt.UTC().Format(time.RFC3339)
		}
		_ = cw.Write([]string{spreadsheetSafe(sub.Email), spreadsheetSafe(sub.Name), since})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write subscribers of newsletter %d: %w", newsletterID, err)
	}
	return nil
}

// spreadsheetSafe guards a cell against formula injection: a spreadsheet
// runs a cell that starts with = + - @ (or a tab or carriage return that
// hides one), so such a cell is prefixed with a quote.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// String is a rejected row as the command line prints it.
func (r RejectedRow) String() string {
	return "line " + strconv.Itoa(r.Line) + ": " + r.Email + ": " + r.Reason
}

// NewsletterStats are every newsletter, its confirmed subscribers
// counted, and its messages by send-queue state, for /metrics (the
// operator's, served to the machine itself, so no actor).
func (s *Service) NewsletterStats(ctx context.Context) ([]news.Newsletter, map[int64]map[string]int, error) {
	list, err := s.store.Newsletters(ctx)
	if err != nil {
		return nil, nil, err
	}
	counts, err := s.store.DeliveryCounts(ctx, s.clock.Now().Add(-time.Minute))
	if err != nil {
		return nil, nil, err
	}
	return list, counts, nil
}
