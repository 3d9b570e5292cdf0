package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
)

// files indexes a JSON result's files by path.
func files(t *testing.T, r jsonResult) map[string]jsonFile {
	t.Helper()
	m := map[string]jsonFile{}
	var paths []string
	for _, f := range r.Files {
		m[f.Path] = f
		paths = append(paths, f.Path)
	}
	if !slices.IsSorted(paths) {
		t.Errorf("files are not in path order: %q", paths)
	}
	return m
}

func wantFile(t *testing.T, fs map[string]jsonFile, path, class, action string) {
	t.Helper()
	if f := fs[path]; f.Class != class || f.Action != action {
		t.Errorf("%s: %+v; want class %s, action %s", path, f, class, action)
	}
}

func TestJSONInit(t *testing.T) {
	newModule(t)
	code, r := runJSON(t, "init", "--server")
	if code != 0 || r.Command != "init" || !r.OK || len(r.Errors) != 0 {
		t.Fatalf("exit %d, %+v", code, r)
	}
	fs := files(t, r)
	wantFile(t, fs, "kernia.yaml", "config", "created")
	wantFile(t, fs, "go.mod", "config", "updated")
	wantFile(t, fs, "internal/auth/api.gen.go", "generated", "created")
	wantFile(t, fs, "internal/auth/handle_sign_up.go", "scaffolded", "created")
	wantFile(t, fs, "internal/auth/migrations/00001_better_auth_core.sql", "migration", "created")
	wantFile(t, fs, "cmd/server/main.go", "scaffolded", "created")
}

func TestJSONGenerateMergesAndListsEveryFile(t *testing.T) {
	initModule(t)
	edit(t, mailFile, "Hello,\n", "Hello there,\n")
	withInputs(t, map[string]func(string) string{mailTemplate: func(s string) string {
		return strings.Replace(s, "Subject: Reset your password\n", "Subject: Your password reset\n", 1)
	}})
	code, r := runJSON(t, "generate")
	if code != 0 || r.Command != "generate" || r.DryRun {
		t.Fatalf("exit %d, %+v", code, r)
	}
	fs := files(t, r)
	wantFile(t, fs, mailFile, "scaffolded", "merged")
	if fs[mailFile].Note != "your edits kept" {
		t.Errorf("note %q", fs[mailFile].Note)
	}
	wantFile(t, fs, "internal/auth/api.gen.go", "generated", "unchanged")
	wantFile(t, fs, "internal/auth/handle_sign_up.go", "scaffolded", "unchanged")
}

func TestJSONConflicts(t *testing.T) {
	conflictingModule(t)
	code, r := runJSON(t, "generate")
	if code != exitNeedsYou || r.OK {
		t.Fatalf("exit %d, %+v", code, r)
	}
	wantFile(t, files(t, r), mailFile, "scaffolded", "conflict")
	if len(r.Errors) != 1 || r.Errors[0].Code != "conflicts" || !slices.Equal(r.Errors[0].Files, []string{mailFile}) ||
		!strings.HasPrefix(r.Errors[0].Message, "1 file needs you: "+mailFile+" (conflict). To resolve a conflict") {
		t.Errorf("errors %+v", r.Errors)
	}
}

func TestJSONAddDiffCheckVersion(t *testing.T) {
	initModule(t)
	code, r := runJSON(t, "add", "bearer", "--dry-run")
	if code != 0 || !r.DryRun || !strings.Contains(r.Diff, "+++ b/internal/auth/bearer.go") {
		t.Errorf("add --dry-run: exit %d, dryRun %v, diff %.200q", code, r.DryRun, r.Diff)
	}
	wantFile(t, files(t, r), "internal/auth/bearer.go", "scaffolded", "created")

	code, r = runJSON(t, "add", "bearer", "--option", "requireSignature=true")
	if code != 0 || r.DryRun || r.Diff != "" {
		t.Fatalf("add: exit %d, %+v", code, r)
	}
	fs := files(t, r)
	wantFile(t, fs, "kernia.yaml", "config", "updated")
	wantFile(t, fs, "internal/auth/bearer.go", "scaffolded", "created")
	wantFile(t, fs, "internal/auth/plugins.go", "generated", "updated")

	withInputs(t, map[string]func(string) string{mailTemplate: func(s string) string { return s + "-- \nThe team\n" }})
	code, r = runJSON(t, "diff")
	if code != 0 || r.Command != "diff" || !r.DryRun || !strings.Contains(r.Diff, "+The team") {
		t.Errorf("diff: exit %d, %+v", code, r)
	}
	wantFile(t, files(t, r), mailFile, "scaffolded", "updated")

	code, r = runJSON(t, "check")
	if code != 1 || len(r.Errors) != 1 || r.Errors[0].Code != "out_of_date" ||
		!slices.Equal(r.Problems, []string{mailFile + ": updated by kernia-gen generate"}) {
		t.Errorf("check: exit %d, %+v", code, r)
	}

	code, r = runJSON(t, "version")
	if code != 0 || r.Version != "devel" {
		t.Errorf("version: exit %d, %+v", code, r)
	}
}

// --json wins over --quiet, and either may come before the command.
func TestGlobalFlagsBeforeTheCommand(t *testing.T) {
	if m := outputMode([]string{"--json", "generate", "-q"}); m != modeJSON {
		t.Errorf("mode %v", m)
	}
	if m := outputMode([]string{"generate", "--", "--json"}); m != modeText {
		t.Errorf("after --: mode %v", m)
	}
	if m := outputMode([]string{"-q=false", "generate", "--json=false"}); m != modeText {
		t.Errorf("=false: mode %v", m)
	}
	initModule(t)
	code, stdout, stderr := runCLI("-q", "check")
	if code != 0 || stdout != "" || stderr != "" {
		t.Errorf("-q check: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI("--json", "version")
	if code != 0 || !strings.HasPrefix(stdout, "{\n  \"command\": \"version\",") {
		t.Errorf("--json version: exit %d, %s", code, stdout)
	}
}

func TestQuietPrintsOnlyErrors(t *testing.T) {
	conflictingModule(t)
	code, stdout, stderr := runCLI("generate", "--quiet")
	if code != exitNeedsYou || stdout != "" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	if want := "kernia-gen: 1 file needs you: " + mailFile + " (conflict). To resolve a conflict, keep the lines you want from each side and delete the <<<<<<<, |||||||, ======= and >>>>>>> lines; then run kernia-gen check\n"; stderr != want {
		t.Errorf("stderr %q\nwant   %q", stderr, want)
	}
	code, stdout, stderr = runCLI("generate", "-q")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "unresolved conflict markers") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestTextOutputOfConflicts(t *testing.T) {
	conflictingModule(t)
	code, stdout, stderr := runCLI("generate")
	for _, want := range []string{"  CONFLICT      " + mailFile + "  (1 conflicting change(s); resolve the markers)\n", "  1 CONFLICT\n", "  needs you: " + mailFile + "\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if code != exitNeedsYou || !strings.HasPrefix(stderr, "kernia-gen: 1 file needs you: "+mailFile+" (conflict)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// pipeOutput is the read end of a pipe, drained as it fills.
type pipeOutput struct {
	w    *os.File
	out  bytes.Buffer
	done chan struct{}
}

func newPipe(t *testing.T) *pipeOutput {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &pipeOutput{w: w, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		io.Copy(&p.out, r)
		r.Close()
	}()
	return p
}

func (p *pipeOutput) close() string {
	p.w.Close()
	<-p.done
	return p.out.String()
}

// Piped output, as in scripts and CI logs, carries no escape codes, even where TERM says
// colours would work.
func TestNoEscapeCodesWhenPiped(t *testing.T) {
	initModule(t)
	t.Setenv("TERM", "xterm-256color")
	t.Setenv("NO_COLOR", "")
	for _, args := range [][]string{{"add", "bearer"}, {"add", "baerer"}, {"genrate"}} {
		stdout, stderr := newPipe(t), newPipe(t)
		code := run(context.Background(), args, stdout.w, stderr.w)
		out, errOut := stdout.close(), stderr.close()
		if out+errOut == "" {
			t.Errorf("%v: exit %d, no output", args, code)
		}
		if i := strings.Index(out+errOut, "\x1b"); i >= 0 {
			t.Errorf("%v: an escape code in piped output: %q", args, (out + errOut)[max(0, i-40):min(len(out+errOut), i+40)])
		}
	}
}

func TestColorEnabled(t *testing.T) {
	env := func(noColor, term string) func(string) string {
		return func(k string) string { return map[string]string{"NO_COLOR": noColor, "TERM": term}[k] }
	}
	var buf bytes.Buffer
	for _, tt := range []struct {
		noColor, term string
	}{{"", "xterm"}, {"1", "xterm"}, {"", "dumb"}} {
		if colorEnabled(&buf, env(tt.noColor, tt.term)) {
			t.Errorf("NO_COLOR=%q TERM=%q: colour on a buffer", tt.noColor, tt.term)
		}
	}
}
