package newsroom_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

func TestSubscriberImportPermissions(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	n, err := d.desk.CreateNewsletter(ctx, d.staff[news.RoleAdmin], briefingInput())
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range news.Roles {
		t.Run(string(role), func(t *testing.T) {
			allowed := role == news.RoleAdmin || role == news.RoleEditor
			_, err := d.desk.ImportSubscribers(ctx, d.staff[role], n.ID, strings.NewReader("email\n"+string(role)+"@example.com\n"))
			if allowed != (err == nil) || !allowed && !errors.Is(err, news.ErrForbidden) {
				t.Errorf("import: %v", err)
			}
			err = d.desk.ExportSubscribers(ctx, d.staff[role], n.ID, &bytes.Buffer{})
			if allowed != (err == nil) || !allowed && !errors.Is(err, news.ErrForbidden) {
				t.Errorf("export: %v", err)
			}
		})
	}
}

// TestSubscriberImport: each service's export shape is read by its
// header; rows are reported by line; suppressed addresses never come back.
func TestSubscriberImport(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	editor := d.staff[news.RoleEditor]
	n, err := d.desk.CreateNewsletter(ctx, editor, briefingInput())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.site.Store.Suppress(ctx, "gone@example.com", n.ID, "unsubscribe", "", d.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := d.site.Store.Suppress(ctx, "bounced@example.com", 0, "bounce", "550", d.clock.Now()); err != nil {
		t.Fatal(err)
	}
	subscribed(t, d.site.Store, n, "old@example.com")
	tests := []struct {
		name, file, format string
		imported, already  int
		refused            bool
		rejected           []newsroom.RejectedRow
		fieldErr           string
	}{
		{name: "mailchimp", format: "Mailchimp", imported: 2, already: 1,
			file: "\ufeffEmail Address,First Name,Last Name,OPTIN_TIME\r\nAda@Example.com,Ada,\"Love\r\nlace\",2024-01-02 03:04:05\r\nold@example.com,,,\r\n" +
				"gone@example.com,Gone,,\r\nada@example.com,Again,,\r\nbob@example.com,\"=HYPERLINK(\"\"x\"\")\",\"Bcc: x@evil.test\",\r\n",
			rejected: []newsroom.RejectedRow{{Line: 5, Email: "gone@example.com", Reason: newsroom.RejectSuppressed}, {Line: 6, Email: "ada@example.com", Reason: "duplicate of line 2"}}},
		{name: "mailchimp unsubscribed export", format: "Mailchimp",
			file:     "Email Address,UNSUB_TIME\nquit@example.com,2024-05-01 00:00:00\n",
			rejected: []newsroom.RejectedRow{{Line: 2, Email: "quit@example.com", Reason: newsroom.RejectNotSubscribed}}},
		{name: "substack", format: "Substack", imported: 1,
			file:     "email,active_subscription,expiry,plan,email_disabled,created_at\ncat@example.com,false,,,false,2023-05-06T07:08:09.000Z\noff@example.com,false,,,true,\nbounced@example.com,true,,,false,\n",
			rejected: []newsroom.RejectedRow{{Line: 3, Email: "off@example.com", Reason: newsroom.RejectNotSubscribed}, {Line: 4, Email: "bounced@example.com", Reason: newsroom.RejectSuppressed}}},
		{name: "ghost", format: "Ghost", imported: 1,
			file:     "id,EMAIL,Name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels\n1,dan@example.com,Dan,,true,,,2022-01-01T00:00:00.000Z,,\n2,no@example.com,No,,false,,,,,\n",
			rejected: []newsroom.RejectedRow{{Line: 3, Email: "no@example.com", Reason: newsroom.RejectNotSubscribed}}},
		{name: "a malformed address imports nothing", format: "Ghost", refused: true,
			file:     "email,name,newsletters\nfine@example.com,Fine,Daily\n\"evil@example.com\r\nBcc: victim@example.com\",X,Daily\nnot an address,Y,Daily\n",
			rejected: []newsroom.RejectedRow{{Line: 3, Email: "evil@example.com bcc: victim@example.com", Reason: newsroom.RejectMalformed}, {Line: 5, Email: "not an address", Reason: newsroom.RejectMalformed}}},
		{name: "unknown columns", file: "address,who\nx@example.com,X\n", fieldErr: "first line"},
		{name: "empty", file: "", fieldErr: "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := d.desk.ImportSubscribers(ctx, editor, n.ID, strings.NewReader(tt.file))
			var fe news.FieldErrors
			if tt.fieldErr != "" {
				if !errors.As(err, &fe) || !strings.Contains(fe["file"], tt.fieldErr) {
					t.Fatalf("want an error on the file about %q: %v", tt.fieldErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rep.Format != tt.format || rep.Imported != tt.imported || rep.Already != tt.already || rep.Refused != tt.refused {
				t.Errorf("report: %+v", rep)
			}
			if len(rep.Rejected) != len(tt.rejected) {
				t.Fatalf("rejected: %+v", rep.Rejected)
			}
			for i, r := range tt.rejected {
				if rep.Rejected[i] != r {
					t.Errorf("rejected %d: %+v, want %+v", i, rep.Rejected[i], r)
				}
			}
		})
	}

	var out bytes.Buffer
	if err := d.desk.ExportSubscribers(ctx, editor, n.ID, &out); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"email", "name", "subscribed_at"},
		{"ada@example.com", "Ada Love lace", "2024-01-02T03:04:05Z"},
		{"bob@example.com", `'=HYPERLINK("x") Bcc: x@evil.test`, "2026-03-02T09:00:00Z"},
		{"cat@example.com", "", "2023-05-06T07:08:09Z"},
		{"dan@example.com", "Dan", "2022-01-01T00:00:00Z"},
		{"old@example.com", "", "2026-03-02T09:00:00Z"},
	}
	if len(rows) != len(want) {
		t.Fatalf("export:\n%q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("export row %d: %q, want %q", i, rows[i], want[i])
		}
	}
	if strings.Contains(out.String(), "fine@example.com") {
		t.Error("a refused import left an address")
	}

	// Imported subscribers are sent to; the suppressed are not.
	is, err := d.desk.SendIssue(ctx, editor, n.ID, newsroom.IssueInput{Subject: "Hello", Markdown: "Hello."})
	if err != nil || is.Recipients != 5 {
		t.Errorf("issue to the imported: %+v, %v", is, err)
	}
	list, counts, err := d.desk.NewsletterStats(ctx)
	if err != nil || len(list) != 1 || list[0].Subscribers != 5 || counts[n.ID]["queued"] != 5 {
		t.Errorf("stats: %+v %v, %v", list, counts, err)
	}
}

// TestSubscriberExportGuard: cells a spreadsheet would run as formulas
// are quoted.
func TestSubscriberExportGuard(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	editor := d.staff[news.RoleEditor]
	n, err := d.desk.CreateNewsletter(ctx, editor, briefingInput())
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"=1+1", "+cmd", "-2", "@SUM(A1)", "\t=x", "Plain"}
	var b strings.Builder
	b.WriteString("email,name,newsletters\n")
	for i, name := range names {
		b.WriteString(string(rune('a'+i)) + "@example.com,\"" + name + "\",x\n")
	}
	// Names are folded to one line on import, so the tab goes; the
	// export's guard sees what is stored.
	if rep, err := d.desk.ImportSubscribers(ctx, editor, n.ID, strings.NewReader(b.String())); err != nil || rep.Imported != len(names) {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	var out bytes.Buffer
	if err := d.desk.ExportSubscribers(ctx, editor, n.ID, &out); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&out).ReadAll()
	want := []string{"'=1+1", "'+cmd", "'-2", "'@SUM(A1)", "'=x", "Plain"}
	for i, w := range want {
		if rows[i+1][1] != w {
			t.Errorf("name %q exported as %q, want %q", names[i], rows[i+1][1], w)
		}
	}
}

// TestSubscriberImportNaughtyStrings: naughty names are stored as one
// line; naughty addresses are refused, and the report holds no line break.
func TestSubscriberImportNaughtyStrings(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	editor := d.staff[news.RoleEditor]
	n, err := d.desk.CreateNewsletter(ctx, editor, briefingInput())
	if err != nil {
		t.Fatal(err)
	}
	naughty := testutil.NaughtyStrings(t)
	var names, emails bytes.Buffer
	nw, ew := csv.NewWriter(&names), csv.NewWriter(&emails)
	_ = nw.Write([]string{"email", "name", "subscribed_to_emails"})
	_ = ew.Write([]string{"email", "name", "subscribed_to_emails"})
	for i, s := range naughty {
		_ = nw.Write([]string{"n" + strconv.Itoa(i) + "@example.com", s, "true"})
		_ = ew.Write([]string{s, "x", "true"})
	}
	nw.Flush()
	ew.Flush()
	if rep, err := d.desk.ImportSubscribers(ctx, editor, n.ID, &names); err != nil || rep.Refused || rep.Imported != len(naughty) {
		t.Fatalf("naughty names: %+v, %v", rep, err)
	}
	var out bytes.Buffer
	if err := d.desk.ExportSubscribers(ctx, editor, n.ID, &out); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != len(naughty)+1 {
		t.Fatalf("export: %d rows, %v", len(rows), err)
	}
	for _, r := range rows {
		if strings.ContainsAny(r[1], "\r\n") {
			t.Errorf("a line break in a stored name: %q", r[1])
		}
	}
	rep, err := d.desk.ImportSubscribers(ctx, editor, n.ID, &emails)
	if err != nil || !rep.Refused {
		t.Fatalf("naughty addresses: %+v, %v", rep, err)
	}
	for _, r := range rep.Rejected {
		if strings.ContainsAny(r.Email, "\r\n") {
			t.Errorf("line %d: a line break in the report: %q", r.Line, r.Email)
		}
	}
}
