package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress is the line on stderr that says which step of a generation is running, once the
// generation has taken longer than a delay: sqlc and oapi-codegen can take seconds (sqlc's
// parser runs as WebAssembly without cgo). It redraws the line with a carriage return and
// erases it with spaces, so that no escape code is needed.
type progress struct {
	w     io.Writer
	delay time.Duration
	start time.Time

	mu    sync.Mutex
	step  string
	width int // of the line on screen, 0 when there is none

	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// startProgress shows nothing until delay has passed, then redraws every tick.
func startProgress(w io.Writer, delay, tick time.Duration) *progress {
	p := &progress{w: w, delay: delay, start: time.Now(), step: "generating", quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-p.quit:
				return
			case <-t.C:
				if time.Since(p.start) >= p.delay {
					p.draw()
				}
			}
		}
	}()
	return p
}

// report is the generator's progress callback: a step starts.
func (p *progress) report(step string) {
	p.mu.Lock()
	p.step = step
	p.mu.Unlock()
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := fmt.Sprintf("kernia-gen: %s… %.0fs", p.step, time.Since(p.start).Seconds())
	pad := max(0, p.width-len([]rune(line)))
	fmt.Fprint(p.w, "\r"+line+strings.Repeat(" ", pad))
	p.width = len([]rune(line))
}

// stop ends the redrawing and erases the line. It may be called more than once.
func (p *progress) stop() {
	p.stopOnce.Do(func() {
		close(p.quit)
		<-p.done
		if p.width > 0 {
			fmt.Fprint(p.w, "\r"+strings.Repeat(" ", p.width)+"\r")
		}
	})
}
