// Command kernia-gen writes a Better Auth-compatible authentication package into a Go module.
//
//	kernia-gen init [--dir internal/auth] [--package auth] [--base-path /api/auth] [--server] [--demo]
//	kernia-gen generate | diff | check
//	kernia-gen add PLUGIN [--option name=value] | remove PLUGIN
//	kernia-gen version
//	kernia-gen help [command]
//
// Every command takes --json and --quiet; "kernia-gen help" lists the exit codes.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"

	kernia "github.com/kernia/kernia-gen"
	"github.com/kernia/kernia-gen/generator"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	generator.Version = version()
	m := outputMode(args)
	// Global flags may also come before the command.
	for len(args) > 0 && isGlobalFlag(args[0]) {
		args = args[1:]
	}
	if len(args) == 0 {
		if m == modeText {
			printUsage(stderr)
			return exitUsage
		}
		return newOutput("", m, stdout, stderr).finish(usageErrorf("no command given; run kernia-gen help for the list of commands"))
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	case "-v", "-version", "--version":
		name = "version"
	}
	out := newOutput(name, m, stdout, stderr)
	var err error
	if name == "help" {
		err = runHelp(out, rest)
	} else if c, ok := lookupCommand(name); ok {
		err = c.run(ctx, out, rest)
	} else {
		err = unknownCommand(name)
	}
	if errors.Is(err, errHelpShown) {
		return exitOK
	}
	return out.finish(err)
}

// isGlobalFlag reports whether arg is --json or --quiet (-q), with or without a value.
func isGlobalFlag(arg string) bool {
	if !strings.HasPrefix(arg, "-") {
		return false
	}
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return globalFlags[name]
}

// runVersion prints the version.
func runVersion(_ context.Context, out *output, args []string) error {
	if _, err := parseFlags(newFlagSet("version"), args, 0, out); err != nil {
		return err
	}
	out.result.Version = version()
	if out.mode != modeJSON { // the version is the result, not chatter: --quiet prints it too
		fmt.Fprintln(out.stdout, "kernia-gen", version())
	}
	return nil
}

// version is the module version kernia-gen was installed at, or "devel" for a local build.
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

// inputs are the generation inputs: the ones embedded in the binary, or, for work on the
// templates themselves, a checkout of this repository named by KERNIA_GEN_INPUTS.
var inputs = func() fs.FS {
	if dir := os.Getenv("KERNIA_GEN_INPUTS"); dir != "" {
		return os.DirFS(dir)
	}
	return kernia.Inputs
}()
