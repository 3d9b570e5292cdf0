package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// newFlagSet is a command's flag set, with the global flags already defined. Their values are
// read by outputMode before any parsing, so that a parse error is reported in the right mode;
// here they are only accepted.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by output.finish, help by printHelp
	var quiet, json bool
	fs.BoolVar(&json, "json", false, "print one JSON document on stdout (see kernia-gen help json)")
	fs.BoolVar(&quiet, "quiet", false, "print nothing but errors")
	fs.BoolVar(&quiet, "q", false, "print nothing but errors")
	return fs
}

// globalFlags are the flags every command accepts, printed apart from its own.
var globalFlags = map[string]bool{"json": true, "quiet": true, "q": true}

// outputMode reads --json and --quiet (-q) from a command line, before "--". --json wins.
func outputMode(args []string) mode {
	m := modeText
	for _, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		on := true
		if hasValue {
			on, _ = strconv.ParseBool(value)
		}
		switch {
		case name == "json" && on:
			return modeJSON
		case (name == "quiet" || name == "q") && on:
			m = modeQuiet
		}
	}
	return m
}

// parseFlags parses args, flags and positional arguments in any order, and requires exactly
// nargs positional arguments, which it returns. -h and --help print the command's help and
// return errHelpShown.
func parseFlags(fs *flag.FlagSet, args []string, nargs int, out *output) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printHelp(out.stdout, fs.Name())
				return nil, errHelpShown
			}
			return nil, usageErrorf("%s: %v; see kernia-gen help %s", fs.Name(), err, fs.Name())
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != nargs {
		what := "no arguments"
		if nargs > 0 {
			what = fmt.Sprintf("%d %s", nargs, plural(nargs, "argument", "arguments"))
		}
		got := "none"
		if len(positional) > 0 {
			got = strconv.Quote(strings.Join(positional, " "))
		}
		return nil, usageErrorf("%s takes %s, got %s; see kernia-gen help %s", fs.Name(), what, got, fs.Name())
	}
	return positional, nil
}

// printFlags lists a flag set's flags as --name value  usage (default), leaving out the
// global ones.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		if globalFlags[f.Name] {
			return
		}
		name, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if name != "" {
			left += " " + name
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "  %-24s %s\n", left, usage)
	})
}
