package mail_test

import (
	"errors"
	"strings"
	"testing"

	"masthead/internal/mail"
	"masthead/internal/mail/mailtest"
)

func dsn(rcpt, action, status, diagnostic string) string {
	return string(mailtest.DSN("bounces+1.2.abc@gazette.example", rcpt, action, status, diagnostic))
}

func TestParseDSN(t *testing.T) {
	tests := []struct {
		name string
		msg  string
		want []mail.Bounce
		hard []bool
		err  error
	}{
		{"hard bounce", dsn("lee@example.test", "failed", "5.1.1", "550 5.1.1 <lee@example.test>: Recipient address rejected: User unknown"),
			[]mail.Bounce{{Recipient: "lee@example.test", Action: "failed", Status: "5.1.1", Diagnostic: "smtp; 550 5.1.1 <lee@example.test>: Recipient address rejected: User unknown"}}, []bool{true}, nil},
		{"soft bounce, mailbox full", dsn("kim@example.test", "failed", "4.2.2 (over quota)", "452 4.2.2 Mailbox full"),
			[]mail.Bounce{{Recipient: "kim@example.test", Action: "failed", Status: "4.2.2", Diagnostic: "smtp; 452 4.2.2 Mailbox full"}}, []bool{false}, nil},
		{"delayed", dsn("kim@example.test", "delayed", "4.4.1", "connection timed out"),
			[]mail.Bounce{{Recipient: "kim@example.test", Action: "delayed", Status: "4.4.1", Diagnostic: "smtp; connection timed out"}}, []bool{false}, nil},
		{"delivered is no bounce", dsn("kim@example.test", "delivered", "2.0.0", "250 ok"), nil, nil, nil},
		{"a reader's reply", "From: lee@example.test\r\nSubject: Re: Issue one\r\nContent-Type: text/plain\r\n\r\nThanks!\r\n", nil, nil, mail.ErrNotDSN},
		{"a report of another kind", strings.Replace(dsn("a@example.test", "failed", "5.1.1", "x"), "report-type=delivery-status", "report-type=feedback-report", 1), nil, nil, mail.ErrNotDSN},
		{"a CRLF in the diagnostic stays on one line", dsn("lee@example.test", "failed", "5.7.1", "550 blocked\r\n\tBcc: x@example.test"),
			[]mail.Bounce{{Recipient: "lee@example.test", Action: "failed", Status: "5.7.1", Diagnostic: "smtp; 550 blocked Bcc: x@example.test"}}, []bool{true}, nil},
		{"no status", strings.Replace(dsn("a@example.test", "failed", "5.1.1", "x"), "Status: 5.1.1\r\n", "", 1), nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mail.ParseDSN(strings.NewReader(tt.msg), 1<<20)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if tt.want == nil {
				if err == nil {
					t.Fatalf("no error, got %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] || got[i].Hard() != tt.hard[i] {
					t.Errorf("bounce %d = %+v (hard %v), want %+v (hard %v)", i, got[i], got[i].Hard(), tt.want[i], tt.hard[i])
				}
			}
		})
	}
}
