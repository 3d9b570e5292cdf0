package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/kernia/kernia-gen/generator"
)

// mode is how much a command prints, and in what form.
type mode int

const (
	modeText  mode = iota // for people: each file, a summary, next steps; errors on stderr
	modeQuiet             // errors only, on stderr
	modeJSON              // one JSON document on stdout, errors included; nothing on stderr
)

// output is where a command reports. In text mode it prints as it goes; in JSON mode it
// collects the result, which finish writes.
type output struct {
	stdout, stderr io.Writer
	mode           mode
	// color and errColor colour stdout and stderr: only terminals, and never with NO_COLOR
	// set or TERM=dumb.
	color, errColor bool
	// progress shows a progress line on stderr during a long generation: text mode, and
	// stderr a terminal.
	progress bool
	result   jsonResult
}

func newOutput(command string, m mode, stdout, stderr io.Writer) *output {
	o := &output{stdout: stdout, stderr: stderr, mode: m}
	o.color = m == modeText && colorEnabled(stdout, os.Getenv)
	o.errColor = m != modeJSON && colorEnabled(stderr, os.Getenv)
	o.progress = m == modeText && isTerminal(stderr) && os.Getenv("TERM") != "dumb"
	o.result = jsonResult{Command: command, Files: []jsonFile{}, Errors: []jsonError{}}
	return o
}

// isTerminal reports whether w is a terminal, not a pipe or a file.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// colorEnabled follows https://no-color.org: any non-empty NO_COLOR turns colour off, as
// does TERM=dumb; otherwise only a terminal gets escape codes.
func colorEnabled(w io.Writer, getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb" && isTerminal(w)
}

// ANSI SGR codes.
const (
	bold   = "1"
	red    = "31"
	green  = "32"
	yellow = "33"
	cyan   = "36"
)

func paint(on bool, code, s string) string {
	if !on || code == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// say prints a line for people: text mode only.
func (o *output) say(format string, args ...any) {
	if o.mode == modeText {
		fmt.Fprintf(o.stdout, format+"\n", args...)
	}
}

// file records one file's outcome. class is a generator.Class's name or "config".
func (o *output) file(path, class, action, note string) {
	o.result.Files = append(o.result.Files, jsonFile{Path: path, Class: class, Action: action, Note: note})
}

// actionColor is the colour of an action's name in text output.
func actionColor(a generator.Action) string {
	switch a {
	case generator.Created:
		return green
	case generator.Updated, generator.Merged, generator.Removed:
		return cyan
	case generator.Conflicted, generator.Blocked:
		return red + ";" + bold
	case generator.OverwroteEdit, generator.KeptEdited, generator.LeftDeleted:
		return yellow
	}
	return ""
}

// plan reports a generation's plan: in text mode every file that changes or that kernia-gen
// left alone for a reason, then a summary and the files that need the user; in JSON every file.
func (o *output) plan(plan generator.Plan, dryRun bool) {
	counts := map[generator.Action]int{}
	for _, c := range plan.Changes {
		counts[c.Action]++
		o.file(c.Path, classOf(c.Path, c.Class), c.Action.Key(), c.Note)
		if c.Action == generator.Unchanged && c.Note == "" {
			continue
		}
		line := "  " + paint(o.color, actionColor(c.Action), fmt.Sprintf("%-13s", c.Action)) + " " + c.Path
		if c.Note != "" {
			line += "  (" + c.Note + ")"
		}
		o.say("%s", line)
	}
	prefix := ""
	if dryRun {
		prefix = "would be "
	}
	var parts []string
	for _, a := range []generator.Action{generator.Created, generator.Updated, generator.Merged, generator.Conflicted, generator.OverwroteEdit, generator.Removed, generator.KeptEdited, generator.LeftDeleted, generator.Blocked} {
		if counts[a] > 0 {
			parts = append(parts, strconv.Itoa(counts[a])+" "+prefix+a.String())
		}
	}
	if len(parts) == 0 {
		o.say("  up to date: nothing to change")
		return
	}
	o.say("  %s", strings.Join(parts, ", "))
	for _, c := range plan.Problems() {
		o.say("  %s %s", paint(o.color, red+";"+bold, "needs you:"), c.Path)
	}
}

// classOf is the class a file is reported with: kernia.yaml and go.mod are "config".
func classOf(path string, c generator.Class) string {
	if path == generator.ConfigFile || path == "go.mod" {
		return "config"
	}
	return c.String()
}

// A generation shows a progress line once it has run for progressDelay; the line is redrawn
// every progressTick. Tests shorten them.
var progressDelay, progressTick = time.Second, 100 * time.Millisecond

// working returns a context under which a generation reports its steps on a progress line,
// when o shows one, and a function that removes the line; call it before printing results.
func (o *output) working(ctx context.Context) (context.Context, func()) {
	if !o.progress {
		return ctx, func() {}
	}
	p := startProgress(o.stderr, progressDelay, progressTick)
	return generator.WithProgress(ctx, p.report), p.stop
}

// finish reports err, if any (on stderr, or in the JSON document), writes the JSON document
// in JSON mode, and returns the exit code.
func (o *output) finish(err error) int {
	code := exitOK
	if err != nil {
		e := classify(err)
		code = e.exit
		o.result.Errors = append(o.result.Errors, jsonError{Code: e.code, Message: e.msg, Files: e.files})
		if o.mode != modeJSON {
			fmt.Fprintf(o.stderr, "%s %s\n", paint(o.errColor, red+";"+bold, "kernia-gen:"), e.msg)
		}
	}
	if o.mode == modeJSON {
		o.result.OK = code == exitOK
		o.result.ExitCode = code
		o.writeJSON()
	}
	return code
}
