package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progressMin is the input size below which no bar is drawn: small replays finish before a bar
// would say anything useful.
const progressMin = 64 << 20

// progressBar draws one self-overwriting line on a terminal's stderr.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	drawn bool
}

func (p *progressBar) update(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if total < progressMin {
		return
	}
	if p.start.IsZero() {
		p.start = time.Now()
	}
	frac := min(float64(done)/float64(total), 1)
	const width = 30
	n := int(frac * width)
	rate := float64(done) / max(time.Since(p.start).Seconds(), 0.001) / (1 << 20)
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%% %s / %s  %.0f MiB/s ",
		strings.Repeat("=", n), strings.Repeat(" ", width-n), 100*frac, size(done), size(total), rate)
	p.drawn = true
}

// clear erases the bar so the report starts on a clean line.
func (p *progressBar) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 79))
	}
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
