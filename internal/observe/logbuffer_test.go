package observe

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestLogBuffer(t *testing.T) {
	tests := []struct {
		name    string
		log     func(*slog.Logger)
		written []string // what reaches the output before any flush, in order
	}{
		{"request lines wait", func(l *slog.Logger) { l.Info("request", "path", "/a"); l.Info("request", "path", "/b") }, nil},
		{"a warning takes the lines before it", func(l *slog.Logger) {
			l.Info("request", "path", "/a")
			l.Warn("slow", "path", "/b")
			l.Info("request", "path", "/c")
		}, []string{"path=/a", "path=/b"}},
		{"an error too, with attributes and groups", func(l *slog.Logger) {
			l.With("instance", 1).WithGroup("g").Error("broken", "why", "disk")
		}, []string{"instance=1", "g.why=disk"}},
		{"a full buffer is written", func(l *slog.Logger) {
			for range 2 * logBufferSize / 100 {
				l.Info("request", "path", strings.Repeat("x", 100))
			}
		}, []string{"xxx"}},
		{"a line longer than the buffer", func(l *slog.Logger) { l.Info("huge", "body", strings.Repeat("y", 2*logBufferSize)) }, []string{"yyy"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			buf := NewLogBuffer(&out)
			tc.log(slog.New(buf.Handler(slog.NewTextHandler(buf, noTime))))
			got := out.String()
			if len(tc.written) == 0 && got != "" {
				t.Fatalf("written before a flush: %q", got)
			}
			at := 0
			for _, w := range tc.written {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Fatalf("%q not written (in order) before a flush: %.300q", w, got)
				}
				at += i
			}
			if err := buf.Flush(); err != nil {
				t.Fatal(err)
			}
			var records bytes.Buffer
			tc.log(slog.New(slog.NewTextHandler(&records, noTime)))
			if out.String() != records.String() {
				t.Fatalf("after a flush, not every line once and in order: got %d bytes, want %d", out.Len(), records.Len())
			}
		})
	}
}

// noTime leaves the time out, so that two runs log the same bytes.
var noTime = &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}}

func TestLogBufferRunFlushesAtTheEnd(t *testing.T) {
	var out bytes.Buffer
	buf := NewLogBuffer(&out)
	slog.New(buf.Handler(slog.NewTextHandler(buf, nil))).Info("stopped")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	buf.Run(ctx)
	if !strings.Contains(out.String(), "msg=stopped") {
		t.Fatalf("not flushed when Run ended: %q", out.String())
	}
}
