package newsroom

import (
	"sync"
	"time"
)

// rateLimiter allows each key a number of events per sliding window. It
// lives in one process; several instances each enforce their own limit,
// which is enough to slow a naive bot.
type rateLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	events map[string][]time.Time
	swept  time.Time
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, events: map[string][]time.Time{}}
}

// allow records an event for key at now, or says how long to wait.
func (l *rateLimiter) allow(key string, now time.Time) (wait time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > l.window {
		for k, ts := range l.events {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) > l.window {
				delete(l.events, k)
			}
		}
		l.swept = now
	}
	recent := l.events[key][:0]
	for _, t := range l.events[key] {
		if now.Sub(t) < l.window {
			recent = append(recent, t)
		}
	}
	if len(recent) >= l.limit {
		l.events[key] = recent
		return l.window - now.Sub(recent[0]), false
	}
	l.events[key] = append(recent, now)
	return 0, true
}
