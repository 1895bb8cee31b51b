package news

import (
	"testing"
	"time"
)

func TestScheduleLastNext(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name, spec string
		loc        *time.Location
		now        string
		last, next string // "" for none
	}{
		{"never", "", time.UTC, "2026-03-02T09:00:00Z", "", ""},
		{"daily, after today's", "daily 07:00", time.UTC, "2026-03-02T09:00:00Z", "2026-03-02T07:00:00Z", "2026-03-03T07:00:00Z"},
		{"daily, before today's", "daily 07:00", time.UTC, "2026-03-02T06:59:59Z", "2026-03-01T07:00:00Z", "2026-03-02T07:00:00Z"},
		{"daily, on the minute", "daily 07:00", time.UTC, "2026-03-02T07:00:00Z", "2026-03-02T07:00:00Z", "2026-03-03T07:00:00Z"},
		// 2026-03-29 is the day British clocks go forward: 07:00 is 06:00 UTC.
		{"daily, across a clock change", "daily 07:00", london, "2026-03-29T06:30:00Z", "2026-03-29T06:00:00Z", "2026-03-30T06:00:00Z"},
		// A time the clock skips comes an hour later (02:30 BST).
		{"daily, in the skipped hour", "daily 01:30", london, "2026-03-29T12:00:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"},
		// 2026-03-02 is a Monday.
		{"weekly, later that week", "weekly friday 18:00", time.UTC, "2026-03-02T09:00:00Z", "2026-02-27T18:00:00Z", "2026-03-06T18:00:00Z"},
		{"weekly, that day, before", "weekly monday 10:00", time.UTC, "2026-03-02T09:00:00Z", "2026-02-23T10:00:00Z", "2026-03-02T10:00:00Z"},
		{"weekly, that day, after", "weekly mon 08:15", time.UTC, "2026-03-02T09:00:00Z", "2026-03-02T08:15:00Z", "2026-03-09T08:15:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := ParseSchedule(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			last, ok := sc.Last(utc(tt.now), tt.loc)
			if tt.last == "" {
				if ok {
					t.Errorf("last: %v, want none", last)
				}
				return
			}
			if !ok || !last.Equal(utc(tt.last)) {
				t.Errorf("last: %v, want %s", last.UTC(), tt.last)
			}
			if next, _ := sc.Next(utc(tt.now), tt.loc); !next.Equal(utc(tt.next)) {
				t.Errorf("next: %v, want %s", next.UTC(), tt.next)
			}
		})
	}
}

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{"", "", false},
		{"daily 7:05", "daily 07:05", false},
		{"Weekly Tue 23:59", "weekly tuesday 23:59", false},
		{"daily 24:00", "", true},
		{"daily 07:5", "", true},
		{"weekly 07:00", "", true},
		{"weekly funday 07:00", "", true},
		{"hourly", "", true},
		{"daily 07:00\r\nBcc: x", "", true},
	}
	for _, tt := range tests {
		sc, err := ParseSchedule(tt.in)
		if (err != nil) != tt.bad || !tt.bad && sc.String() != tt.want {
			t.Errorf("ParseSchedule(%q) = %q, %v", tt.in, sc.String(), err)
		}
	}
}
