package observe

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// LogBuffer gathers log lines and writes them out together: at most
// flushEvery after the first, when it holds logBufferSize bytes, and at
// once after a warning or an error (LogBuffer.Handler). A server writing a
// request line per page-cache hit would otherwise pay a write(2) for each,
// a fifth of what such a hit costs; nginx's access_log buffer= and flush=
// make the same trade. What a crash can lose is the last flushEvery of
// request lines, never a warning or an error.
type LogBuffer struct {
	out io.Writer

	mu  sync.Mutex
	buf []byte
}

const (
	logBufferSize = 32 << 10
	// flushEvery is how long a line waits at most in a running LogBuffer.
	flushEvery = 200 * time.Millisecond
)

// NewLogBuffer writes to out.
func NewLogBuffer(out io.Writer) *LogBuffer {
	return &LogBuffer{out: out, buf: make([]byte, 0, logBufferSize)}
}

// Write keeps p (one log line, as slog's handlers write them) for the next
// flush.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf)+len(p) > logBufferSize {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
		if len(p) > logBufferSize {
			return b.out.Write(p)
		}
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Flush writes out what is held.
func (b *LogBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *LogBuffer) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.out.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

// Run flushes every flushEvery until ctx ends, then once more.
func (b *LogBuffer) Run(ctx context.Context) {
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.Flush()
		case <-ctx.Done():
			b.Flush()
			return
		}
	}
}

// Handler wraps h, which writes to b, so that a record at warning level or
// above is written out at once, with the lines before it.
func (b *LogBuffer) Handler(h slog.Handler) slog.Handler {
	return urgentFlush{Handler: h, buf: b}
}

type urgentFlush struct {
	slog.Handler
	buf *LogBuffer
}

func (h urgentFlush) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.buf.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h urgentFlush) WithAttrs(attrs []slog.Attr) slog.Handler {
	return urgentFlush{Handler: h.Handler.WithAttrs(attrs), buf: h.buf}
}

func (h urgentFlush) WithGroup(name string) slog.Handler {
	return urgentFlush{Handler: h.Handler.WithGroup(name), buf: h.buf}
}
