// Command kernia-gen writes a Better Auth-compatible authentication package into a Go module.
//
//	kernia-gen init [--dir internal/auth] [--package auth] [--base-path /api/auth] [--server] [--demo]
//	kernia-gen version
//	kernia-gen help [command]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"

	kernia "github.com/kernia/kernia-gen"
	"github.com/kernia/kernia-gen/generator"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	generator.Version = version()
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	var err error
	switch args[0] {
	case "init":
		err = runInit(ctx, args[1:], stdout, stderr)
	case "generate":
		err = runGenerate(ctx, args[1:], stdout, stderr)
	case "diff":
		err = runDiff(ctx, args[1:], stdout, stderr)
	case "check":
		err = runCheck(ctx, args[1:], stdout, stderr)
	case "add":
		err = runAdd(ctx, args[1:], stdout, stderr)
	case "remove":
		err = runRemove(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "kernia-gen", version())
	case "help", "--help", "-h":
		if len(args) > 1 {
			err = helpFor(args[1], stdout)
		} else {
			usage(stdout)
		}
	default:
		fmt.Fprintf(stderr, "kernia-gen: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	if errors.Is(err, errConflicts) {
		fmt.Fprintln(stderr, "kernia-gen:", err)
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "kernia-gen:", err)
		return 1
	}
	return 0
}

var errUsage = errors.New("usage")

func usage(w io.Writer) {
	fmt.Fprint(w, `kernia-gen writes a Better Auth-compatible auth package into your Go module.

Usage:
  kernia-gen init [flags]          emit the package (and kernia.yaml) into the module in this folder
  kernia-gen generate [flags]      regenerate from kernia.yaml, merging your edits
  kernia-gen diff                  show what generate would change, write nothing
  kernia-gen check                 exit non-zero if the package is not what kernia.yaml generates
  kernia-gen add PLUGIN [flags]    enable a plugin and regenerate
  kernia-gen remove PLUGIN         disable a plugin and regenerate
  kernia-gen version               print the version
  kernia-gen help [command]        show help

Run "kernia-gen help <command>" for a command's flags.
`)
}

func helpFor(command string, w io.Writer) error {
	switch command {
	case "init":
		fs := initFlags(new(initOptions))
		fs.SetOutput(w)
		fs.Usage()
		return nil
	case "generate", "diff", "add", "remove":
		fs := generateFlags(command, new(generateOptions))
		fs.SetOutput(w)
		fmt.Fprintf(w, "Usage: kernia-gen %s\n\nScaffolded files you edited are three-way merged; overlapping changes become\nconflict markers, listed, with a non-zero exit.\n\nFlags:\n", command)
		fs.PrintDefaults()
		return nil
	case "check", "version", "help":
		usage(w)
		return nil
	}
	return fmt.Errorf("no help for unknown command %q", command)
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
