package newsroom

import (
	"context"
	"testing"
	"time"

	"masthead/internal/config"
)

func TestSendPace(t *testing.T) {
	if newSendPace(config.SendRate{}) != nil {
		t.Error("no rate paces")
	}
	p := newSendPace(config.SendRate{Messages: 2, Per: time.Second})
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		at   time.Duration // after start
		want time.Duration
	}{
		// A burst is spaced out, 500ms apart...
		{0, 0}, {0, 500 * time.Millisecond}, {0, time.Second}, {100 * time.Millisecond, 1400 * time.Millisecond},
		// ...and an idle spell earns no burst.
		{10 * time.Second, 0}, {10 * time.Second, 500 * time.Millisecond},
	}
	for i, tt := range tests {
		if got := p.reserve(start.Add(tt.at)); got != tt.want {
			t.Errorf("%d: reserve at +%s waits %s, want %s", i, tt.at, got, tt.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if p.wait(ctx, start.Add(10*time.Second)) {
		t.Error("waited on after the context ended")
	}
}
