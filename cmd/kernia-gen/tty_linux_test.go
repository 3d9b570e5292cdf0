package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: what is written to slave is read from master.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetUint32(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, s
}

// terminal is a pseudo-terminal whose output is collected until it is closed.
type terminal struct {
	slave *os.File
	out   bytes.Buffer
	done  chan struct{}
}

func newTerminal(t *testing.T) *terminal {
	t.Helper()
	master, slave := openPTY(t)
	term := &terminal{slave: slave, done: make(chan struct{})}
	go func() {
		defer close(term.done)
		io.Copy(&term.out, master) // ends with EIO once the slave is closed and drained
	}()
	return term
}

// close closes the terminal and returns what was written to it.
func (term *terminal) close() string {
	term.slave.Close()
	select {
	case <-term.done:
	case <-time.After(10 * time.Second):
		panic("the terminal's output was not drained")
	}
	return term.out.String()
}

// runOnTerminal runs kernia-gen with stdout and stderr on one terminal each.
func runOnTerminal(t *testing.T, args ...string) (code int, stdout, stderr string) {
	out, errOut := newTerminal(t), newTerminal(t)
	code = run(context.Background(), args, out.slave, errOut.slave)
	return code, out.close(), errOut.close()
}

func TestColoursOnATerminal(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	t.Setenv("NO_COLOR", "")
	initModule(t)
	code, stdout, stderr := runOnTerminal(t, "add", "bearer", "--dry-run")
	if code != 0 || !strings.Contains(stdout, "\x1b[32mcreated      \x1b[0m internal/auth/bearer.go") {
		t.Errorf("exit %d, no green created on a terminal:\n%q\n%q", code, stdout, stderr)
	}
	code, _, stderr = runOnTerminal(t, "add", "baerer")
	if code != 2 || !strings.HasPrefix(stderr, "\x1b[31;1mkernia-gen:\x1b[0m unknown plugin") {
		t.Errorf("exit %d, error not red on a terminal: %q", code, stderr)
	}
	for _, env := range [][2]string{{"NO_COLOR", "1"}, {"TERM", "dumb"}} {
		t.Run(env[0]+"="+env[1], func(t *testing.T) {
			t.Setenv(env[0], env[1])
			term := newTerminal(t)
			defer term.close()
			if colorEnabled(term.slave, os.Getenv) {
				t.Error("colour enabled on the terminal")
			}
			code, _, stderr := runOnTerminal(t, "add", "baerer")
			if code != 2 || strings.Contains(stderr, "\x1b") || !strings.HasPrefix(stderr, "kernia-gen: unknown plugin") {
				t.Errorf("exit %d, escape codes or no error: %q", code, stderr)
			}
		})
	}
}

func TestProgressLineOnATerminal(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	initModule(t)
	delay, tick := progressDelay, progressTick
	progressDelay, progressTick = 0, time.Millisecond
	t.Cleanup(func() { progressDelay, progressTick = delay, tick })

	var stdout bytes.Buffer
	errTerm := newTerminal(t)
	code := run(context.Background(), []string{"generate"}, &stdout, errTerm.slave)
	stderr := errTerm.close()
	if code != 0 || !strings.Contains(stderr, "\rkernia-gen: running ") || strings.Contains(stdout.String(), "running") {
		t.Errorf("exit %d, no progress line on the terminal:\nstderr %q\nstdout %q", code, stderr, stdout.String())
	}
	// The line is erased: the last thing written is spaces between carriage returns.
	last := stderr[strings.LastIndex(strings.TrimSuffix(stderr, "\r"), "\r"):]
	if strings.Trim(last, "\r ") != "" || len(last) < 10 {
		t.Errorf("the progress line was not erased: ends with %q", last)
	}
	// The line is for people watching a terminal: not for scripts, nor dumb terminals.
	errTerm = newTerminal(t)
	defer errTerm.close()
	if !newOutput("generate", modeText, &stdout, errTerm.slave).progress {
		t.Error("no progress on a terminal")
	}
	for _, m := range []mode{modeJSON, modeQuiet} {
		if newOutput("generate", m, &stdout, errTerm.slave).progress {
			t.Errorf("mode %v shows progress", m)
		}
	}
	if newOutput("generate", modeText, &stdout, &stdout).progress {
		t.Error("progress on a buffer")
	}
	t.Setenv("TERM", "dumb")
	if newOutput("generate", modeText, &stdout, errTerm.slave).progress {
		t.Error("progress with TERM=dumb")
	}
}
