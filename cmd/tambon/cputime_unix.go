//go:build unix

package main

import (
	"runtime"
	"syscall"
	"time"
)

// cpuTime returns the CPU time this process has used (user and system), so
// a benchmark can report work done whatever else shares the machine.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// peakRSS returns the most memory (resident set, bytes) this process has
// held so far.
func peakRSS() int64 {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(u.Maxrss) // bytes there
	}
	return int64(u.Maxrss) * 1024 // kilobytes
}
