package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kernia/kernia-gen/generator"
	"github.com/kernia/kernia-gen/internal/suggest"
)

// Exit codes. They are part of the command line's interface, documented in the help.
const (
	exitOK       = 0 // done
	exitError    = 1 // failed (the message says what to do next), or check found differences
	exitUsage    = 2 // the command line is wrong: unknown command, flag, plugin or option
	exitNeedsYou = 3 // done, but files need you: conflict markers, a file in the way, ...
)

// cliError is an error as a script sees it: a stable code (in --json) and an exit code.
type cliError struct {
	code string
	exit int
	msg  string
	// files are the paths the error is about, when it is about files.
	files []string
}

func (e *cliError) Error() string { return e.msg }

// usageErrorf is an error in the command line itself; the message should say what to run.
func usageErrorf(format string, args ...any) error {
	return &cliError{code: "usage", exit: exitUsage, msg: fmt.Sprintf(format, args...)}
}

// unknownCommand is a command name that is not one, with the closest command when there is one.
func unknownCommand(name string) error {
	msg := fmt.Sprintf("unknown command %q; kernia-gen help lists the commands", name)
	if s := suggest.Closest(name, commandNames()); s != "" {
		msg = fmt.Sprintf("unknown command %q; did you mean %q? (kernia-gen help lists the commands)", name, s)
	}
	return &cliError{code: "unknown_command", exit: exitUsage, msg: msg}
}

// errHelpShown means a command printed its help because of -h or --help: exit 0.
var errHelpShown = errors.New("help shown")

// classify gives any error its code and exit code. The generator's typed errors already
// carry messages that say what to do; classify only names them.
func classify(err error) *cliError {
	var (
		ce      *cliError
		notRoot *generator.NotModuleRootError
		plugin  *generator.UnknownPluginError
		option  *generator.OptionError
		markers *generator.ConflictMarkersError
		base    *generator.TamperedBaseError
		moved   *generator.MovedPackageError
	)
	e := &cliError{code: "error", exit: exitError, msg: err.Error()}
	switch {
	case errors.As(err, &ce):
		return ce
	case errors.Is(err, generator.ErrNoModule):
		e.code = "no_module"
	case errors.As(err, &notRoot):
		e.code = "not_module_root"
	case errors.Is(err, generator.ErrInitialized):
		e.code = "already_initialised"
	case errors.Is(err, generator.ErrNoConfig):
		e.code = "no_config"
	case errors.As(err, &markers):
		e.code, e.files = "unresolved_conflicts", markers.Paths
	case errors.As(err, &base):
		e.code, e.files = "tampered_base", base.Paths
	case errors.As(err, &moved):
		e.code = "moved_package"
	// A plugin or option only reaches these types from the command line (kernia.yaml's
	// errors name their line instead), so they are usage errors.
	case errors.As(err, &plugin):
		e.code, e.exit = "unknown_plugin", exitUsage
	case errors.As(err, &option):
		e.code, e.exit = "bad_option", exitUsage
	}
	return e
}

// needsYou is the error of a generation that left files that need the user, or would (a
// dry run), or did not write anything because of them (a blocked path).
func needsYou(problems []generator.Change, nothingWritten bool) error {
	var paths, listed []string
	kinds := map[generator.Action]bool{}
	for _, c := range problems {
		paths = append(paths, c.Path)
		listed = append(listed, c.Path+" ("+c.Action.Key()+")")
		kinds[c.Action] = true
	}
	msg := fmt.Sprintf("%d %s you: %s", len(problems), plural(len(problems), "file needs", "files need"), strings.Join(listed, ", "))
	if nothingWritten {
		msg = "nothing was written; " + msg
	}
	if kinds[generator.Conflicted] {
		msg += ". To resolve a conflict, keep the lines you want from each side and delete the <<<<<<<, |||||||, ======= and >>>>>>> lines"
	}
	if kinds[generator.Blocked] {
		msg += ". A blocked path cannot be written as it is (the note beside it says why); once it is dealt with, run the command again"
	}
	if kinds[generator.KeptEdited] {
		msg += ". A kept file is no longer generated but you edited it: move what you need and delete it"
	}
	msg += "; then run kernia-gen check"
	return &cliError{code: "conflicts", exit: exitNeedsYou, msg: msg, files: paths}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
