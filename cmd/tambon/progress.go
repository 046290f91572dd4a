package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"tambon/internal/thai"
)

// progress draws a one-line progress bar on the terminal (stderr) for long
// work: imports, exports, recomputes. It redraws at most ten times a second.
type progress struct {
	w     io.Writer
	label string
	total int
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, label string, total int) *progress {
	return &progress{w: w, label: label, total: total, start: time.Now()}
}

func (p *progress) update(done int) {
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && done < p.total {
		return
	}
	p.last = now
	const width = 30
	frac := 0.0
	if p.total > 0 {
		frac = float64(done) / float64(p.total)
	}
	n := min(max(int(frac*width), 0), width) // a total that grew is drawn full
	rate := float64(done) / max(now.Sub(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\r%s %s/%s [%s%s] %3.0f%%  %s/s ", p.label, thai.FormatInt(int64(done)), thai.FormatInt(int64(p.total)),
		strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, thai.FormatInt(int64(rate)))
}

func (p *progress) finish() {
	p.update(p.total)
	fmt.Fprintln(p.w)
}
