//go:build !linux

package fastpath

import "net"

// rawIO is Linux's (rawio_linux.go); elsewhere connections use net.Conn.
type rawIO struct{}

func newRawIO(net.Conn) *rawIO { return nil }

func (*rawIO) Read([]byte) (int, error) { panic("unreachable") }

func (*rawIO) writev(a, b []byte) error { panic("unreachable") }
