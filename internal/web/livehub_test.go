package web

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// A reader that stops reading holds up no other stream: the others get
// the event while its write waits; and it is ended once its write times
// out (its browser would reconnect and catch up).
func TestLiveHubStalledReader(t *testing.T) {
	ev := newLiveEvent(7, "entry", []byte(`{"id":1}`))
	for _, tc := range []struct {
		name    string
		timeout time.Duration
	}{
		{"others are not held up", time.Hour},
		{"the stalled one is ended", 10 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newLiveHub(nil, 8, time.Hour)
			h.running = true // no loop: the test sends
			h.writeTimeout = tc.timeout
			t.Cleanup(h.close)
			open := func(client string) net.Conn {
				c, err := h.join(t.Context(), 1, client)
				if err != nil {
					t.Fatal(err)
				}
				server, browser := net.Pipe() // unbuffered: a write waits for a read
				t.Cleanup(func() { browser.Close() })
				h.handOver(c, server)
				return browser
			}
			open("stalled")
			got := make(chan string, 3)
			for _, client := range []string{"a", "b", "c"} {
				browser := open(client)
				go func() {
					line, err := bufio.NewReader(browser).ReadString('\n')
					if err != nil {
						line = err.Error()
					}
					got <- line
				}()
			}
			h.send(1, &ev)
			deadline := time.After(30 * time.Second) // a hang, not a measure
			for range 3 {
				select {
				case line := <-got:
					if line != "id: 7\n" {
						t.Errorf("a reader got %q", line)
					}
				case <-deadline:
					t.Fatal("a reader that does not read held up the others")
				}
			}
			if tc.timeout == time.Hour {
				return
			}
			for stalled := true; stalled; {
				select {
				case <-deadline:
					t.Fatal("the stalled reader was never ended")
				case <-time.After(10 * time.Millisecond):
				}
				h.mu.Lock()
				stalled = len(h.clients["stalled"]) > 0
				h.mu.Unlock()
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			if len(h.streams[1]) != 3 {
				t.Errorf("%d streams left, want the 3 that read", len(h.streams[1]))
			}
		})
	}
}
