//go:build unix

package filterpattern_test

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time the test process has used. On a machine shared with
// other work it measures the benchmark's own cost, which wall-clock ns/op does not.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
