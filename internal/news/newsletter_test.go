package news

import (
	"testing"
	"time"
)

func TestSendProgressETA(t *testing.T) {
	tests := []struct {
		p    SendProgress
		want time.Duration
	}{
		{SendProgress{Queued: 600, SentLastMinute: 120}, 5 * time.Minute},
		{SendProgress{Queued: 1, Sending: 1, SentLastMinute: 120}, time.Second},
		{SendProgress{Queued: 600}, 0},                    // nothing sent lately: unknown
		{SendProgress{Sent: 600, SentLastMinute: 600}, 0}, // done
	}
	for _, tt := range tests {
		if got := tt.p.ETA(); got != tt.want {
			t.Errorf("%+v: ETA %s, want %s", tt.p, got, tt.want)
		}
	}
}
