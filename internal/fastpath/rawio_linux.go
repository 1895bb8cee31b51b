//go:build linux

package fastpath

import (
	"io"
	"net"
	"syscall"
	"unsafe"
)

// rawIO reads and writes a connection's socket with system calls the Go
// scheduler is not told of. The socket is non-blocking, so a read or write
// returns at once, done or EAGAIN; only then does the goroutine wait, in
// the netpoller, as net.Conn's would.
//
// net.Conn's Read and Write tell the scheduler each call may block: under
// load a call that takes longer than sysmon's 20 µs tick (copying a page
// into a loopback socket does) has its P handed to another thread, and
// sysmon, finding work each tick, never slows down: on a busy fast path
// sysmon alone was a tenth of the process's CPU. A cache hit's calls
// never block, so they need none of it.
type rawIO struct {
	rc syscall.RawConn
	// The call in progress, for readFn and writeFn: method values made
	// once, where closures would be made per call.
	p               []byte
	rest            [2][]byte
	iov             [2]syscall.Iovec
	n               int
	err             error
	readFn, writeFn func(fd uintptr) bool
}

// newRawIO is nil for a connection without a socket (a test's pipe).
func newRawIO(c net.Conn) *rawIO {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	r := &rawIO{rc: rc}
	r.readFn, r.writeFn = r.read, r.write
	return r
}

// Read reads as net.Conn's Read does: its deadline, its errors when the
// connection is closed or times out, io.EOF at the end.
func (r *rawIO) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.p, r.n, r.err = p, 0, nil
	err := r.rc.Read(r.readFn)
	r.p = nil
	if err != nil {
		return 0, err
	}
	return r.n, r.err
}

func (r *rawIO) read(fd uintptr) bool {
	for {
		n, _, errno := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&r.p[0])), uintptr(len(r.p)))
		switch errno {
		case 0:
			if r.n = int(n); n == 0 {
				r.err = io.EOF
			}
			return true
		case syscall.EINTR:
		case syscall.EAGAIN:
			return false // wait in the netpoller
		default:
			r.err = &net.OpError{Op: "read", Net: "tcp", Err: errno}
			return true
		}
	}
}

// writev writes a, then b, whole.
func (r *rawIO) writev(a, b []byte) error {
	r.rest, r.err = [2][]byte{a, b}, nil
	err := r.rc.Write(r.writeFn)
	r.rest, r.iov = [2][]byte{}, [2]syscall.Iovec{}
	if err != nil {
		return err
	}
	return r.err
}

func (r *rawIO) write(fd uintptr) bool {
	for {
		n := 0
		for _, b := range r.rest {
			if len(b) > 0 {
				r.iov[n] = syscall.Iovec{Base: &b[0]}
				r.iov[n].SetLen(len(b))
				n++
			}
		}
		if n == 0 {
			return true
		}
		wrote, _, errno := syscall.RawSyscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&r.iov[0])), uintptr(n))
		switch errno {
		case 0:
			for i := range r.rest {
				k := min(int(wrote), len(r.rest[i]))
				r.rest[i] = r.rest[i][k:]
				wrote -= uintptr(k)
			}
		case syscall.EINTR:
		case syscall.EAGAIN:
			return false // wait until the socket takes more
		default:
			r.err = &net.OpError{Op: "write", Net: "tcp", Err: errno}
			return true
		}
	}
}
