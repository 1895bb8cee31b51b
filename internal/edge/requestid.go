package edge

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

type ctxKey int

const requestIDKey ctxKey = 0

// WithRequestID returns ctx carrying the id of the request being served.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the id of the request being served, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// NewRequestID returns a fresh request id: 16 hex digits.
func NewRequestID() string { return string(AppendRequestID(nil)) }

// AppendRequestID appends a fresh request id to dst.
func AppendRequestID(dst []byte) []byte {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.AppendEncode(dst, b[:])
}
