//go:build unix

package cli

import (
	"syscall"
	"time"
)

// processCPU is the CPU time, user and system, this process has used so
// far, its collector's and other goroutines' included: on a shared
// machine it measures a render where the wall clock measures the queue.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
