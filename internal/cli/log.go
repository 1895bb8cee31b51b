package cli

import (
	"log/slog"

	"masthead/internal/config"
	"masthead/internal/observe"
)

// newLogger logs to stderr through a buffer (see observe.LogBuffer), which
// the caller runs and flushes before it returns.
func newLogger(env Env, cfg config.Config) (*slog.Logger, *observe.LogBuffer) {
	buf := observe.NewLogBuffer(env.Stderr)
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler = slog.NewTextHandler(buf, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(buf, opts)
	}
	return slog.New(buf.Handler(h)), buf
}
