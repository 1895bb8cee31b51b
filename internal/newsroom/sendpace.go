package newsroom

import (
	"context"
	"sync"
	"time"

	"masthead/internal/config"
)

// sendPace spaces messages evenly at a SendRate: each message takes the
// next slot, Per/Messages after the one before, so a burst never exceeds
// the rate and an idle spell earns no burst.
type sendPace struct {
	rate     config.SendRate
	interval time.Duration
	mu       sync.Mutex
	next     time.Time
}

func newSendPace(r config.SendRate) *sendPace {
	if r.Messages <= 0 || r.Per <= 0 {
		return nil
	}
	return &sendPace{rate: r, interval: r.Per / time.Duration(r.Messages)}
}

// reserve takes the next slot at or after now and says how long to wait
// for it.
func (p *sendPace) reserve(now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	slot := p.next
	if slot.Before(now) {
		slot = now
	}
	p.next = slot.Add(p.interval)
	return slot.Sub(now)
}

// wait blocks until the next slot, or ctx ends; false when it ended.
func (p *sendPace) wait(ctx context.Context, now time.Time) bool {
	if p == nil {
		return ctx.Err() == nil
	}
	d := p.reserve(now)
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
