package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/kernia/kernia-gen/generator"
)

// buildAfterWriting turns the build check on; only this command's own tests turn it off.
var buildAfterWriting = true

// compileError matches a compiler message about a file of the package or of cmd/server,
// as go build prints it: "internal/auth/x.go:12:3: ...".
var compileError = regexp.MustCompile(`(?m)^(\./)?[^\s:]+\.go:\d+(:\d+)?: `)

// verifyBuild builds the package, and cmd/server when it is emitted, after a change: a
// merge without conflicts can still fail to compile (two edits that each compile alone, a
// restored file whose code the user had moved). A failure to compile is a problem for the
// user (exit 3); a build that cannot start because go.mod lacks requirements, or a machine
// without go, is only mentioned.
func verifyBuild(ctx context.Context, out *output, p generator.Project, opts generator.Options) error {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		out.say("  not built: go is not on the PATH")
		return nil
	}
	tmp, err := os.MkdirTemp("", "kernia-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	pkgs := []string{"./" + opts.Dir + "/..."}
	args := []string{"build"}
	if opts.Server {
		// The server's binary goes to a temporary folder; a library package writes nothing.
		pkgs = append(pkgs, "./cmd/server")
		args = append(args, "-o", tmp+string(filepath.Separator))
	}
	cmd := exec.CommandContext(ctx, goCmd, append(args, pkgs...)...)
	cmd.Dir = p.Root
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err == nil {
		out.say("  built %s", strings.Join(pkgs, " "))
		return nil
	}
	text := strings.TrimSpace(output.String())
	if !hasCompileError(text) {
		first, _, _ := strings.Cut(text, "\n")
		out.say("  not built (%s): run go mod tidy, then go build ./... to check the package", first)
		return nil
	}
	lines := strings.Split(text, "\n")
	if len(lines) > 20 {
		lines = append(lines[:20], "…")
	}
	return &cliError{code: "does_not_build", exit: exitNeedsYou, msg: fmt.Sprintf(
		"the files were written, but the package does not build; fix what go build reports, then run kernia-gen check "+
			"(or run kernia-gen with --no-build to skip this step):\n%s", strings.Join(lines, "\n"))}
}

// moduleTrouble are go build's messages about go.mod and go.sum rather than the code.
var moduleTrouble = []string{"missing go.sum entry", "no required module provides", "updates to go.mod needed", "cannot find module"}

// hasCompileError reports whether go build's output holds an error in the code itself.
func hasCompileError(output string) bool {
	for _, line := range strings.Split(output, "\n") {
		if compileError.MatchString(line) && !slices.ContainsFunc(moduleTrouble, func(m string) bool { return strings.Contains(line, m) }) {
			return true
		}
	}
	return false
}
