package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader on two goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestProgressShowsTheStepThenErasesIt(t *testing.T) {
	var w lockedBuffer
	p := startProgress(&w, 0, time.Millisecond)
	p.report("running sqlc")
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(w.String(), "\rkernia-gen: running sqlc… ") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	p.report("rendering templates")
	for !strings.Contains(w.String(), "\rkernia-gen: rendering templates… ") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	p.stop()
	p.stop()
	out := w.String()
	if !strings.Contains(out, "running sqlc") || !strings.Contains(out, "rendering templates") {
		t.Fatalf("progress %q", out)
	}
	width := len([]rune("kernia-gen: rendering templates… 0s"))
	if want := "\r" + strings.Repeat(" ", width) + "\r"; !strings.HasSuffix(out, want) {
		t.Errorf("progress does not end erased: %q", out)
	}
}

func TestProgressStaysQuietBeforeItsDelay(t *testing.T) {
	var w lockedBuffer
	p := startProgress(&w, time.Hour, time.Millisecond)
	p.report("running sqlc")
	time.Sleep(20 * time.Millisecond)
	p.stop()
	if w.String() != "" {
		t.Errorf("a fast generation showed progress: %q", w.String())
	}
}
