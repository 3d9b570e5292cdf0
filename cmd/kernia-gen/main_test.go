package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	kernia "github.com/kernia/kernia-gen"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// runJSON runs a command with --json, checks that stderr is empty and that the document's
// exit code is the process's, and returns the document.
func runJSON(t *testing.T, args ...string) (int, jsonResult) {
	t.Helper()
	code, stdout, stderr := runCLI(append(args, "--json")...)
	if stderr != "" {
		t.Errorf("kernia-gen %v --json wrote to stderr: %q", args, stderr)
	}
	var r jsonResult
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("kernia-gen %v --json: %v\n%s", args, err, stdout)
	}
	if dec.More() {
		t.Errorf("kernia-gen %v --json wrote more than one document:\n%s", args, stdout)
	}
	if r.ExitCode != code || r.OK != (code == 0) || r.Files == nil || r.Errors == nil {
		t.Errorf("kernia-gen %v --json: exit %d, document %+v", args, code, r)
	}
	return code, r
}

// newModule is an empty Go module, made the current folder.
func newModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return dir
}

// initialised is a module that kernia-gen init wrote, once, for initModule to copy.
var initialised struct {
	once sync.Once
	dir  string
	err  error
}

// initModule is a module initialised by kernia-gen init, made the current folder.
func initModule(t *testing.T) string {
	t.Helper()
	initialised.once.Do(func() {
		initialised.dir, initialised.err = os.MkdirTemp("", "kernia-cli-test-")
		if initialised.err != nil {
			return
		}
		t.Chdir(initialised.dir) // restored at the end of this test
		if err := os.WriteFile("go.mod", []byte("module example.com/app\n\ngo 1.24\n"), 0o644); err != nil {
			initialised.err = err
		} else if code, _, stderr := runCLI("init", "--quiet"); code != 0 {
			initialised.err = fmt.Errorf("init: exit %d\n%s", code, stderr)
		}
	})
	if initialised.err != nil {
		t.Fatal(initialised.err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(initialised.dir)); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return dir
}

func TestMain(m *testing.M) {
	// These modules have no go.sum, so the build after each change could only say so; the
	// build check has a test of its own (TestBuildCheckAfterWriting).
	buildAfterWriting = false
	code := m.Run()
	if initialised.dir != "" {
		os.RemoveAll(initialised.dir)
	}
	os.Exit(code)
}

// withInputs makes the generation inputs kernia-gen's own with some files replaced, as a later
// kernia-gen version's would be.
func withInputs(t *testing.T, replace map[string]func(string) string) {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(kernia.Inputs, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(kernia.Inputs, name)
		if f, ok := replace[name]; ok {
			b = []byte(f(string(b)))
		}
		m[name] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	old := inputs
	inputs = m
	t.Cleanup(func() { inputs = old })
}

const (
	mailTemplate = "templates/package/core/mail/reset-password.txt"
	mailFile     = "internal/auth/mail/reset-password.txt"
)

// conflictingModule is an initialised module where the password reset mail's subject was
// edited, and inputs whose subject differs too: the next generate conflicts.
func conflictingModule(t *testing.T) string {
	t.Helper()
	dir := initModule(t)
	edit(t, mailFile, "Subject: Reset your password\n", "Subject: Reset your Example password\n")
	withInputs(t, map[string]func(string) string{mailTemplate: func(s string) string {
		return strings.Replace(s, "Subject: Reset your password\n", "Subject: Your password reset\n", 1)
	}})
	return dir
}

func edit(t *testing.T, file, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(b), old) {
		t.Fatalf("%s lacks %q (%v)", file, old, err)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCommands(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		code     int
		contains string
	}{
		{nil, 2, "Usage: kernia-gen <command>"},
		{[]string{"help"}, 0, "Commands:"},
		{[]string{"--help"}, 0, "Commands:"},
		{[]string{"help", "init"}, 0, "--server"},
		{[]string{"help", "init"}, 0, "--demo"},
		{[]string{"help", "--help"}, 0, "Commands:"},
		{[]string{"help", "add", "--json"}, 0, "Usage: kernia-gen add PLUGIN [flags]"},
		{[]string{"help", "nope"}, 2, `unknown command "nope"`},
		{[]string{"help", "add", "remove"}, 2, "help takes one command"},
		{[]string{"version"}, 0, "kernia-gen devel"},
		{[]string{"--version"}, 0, "kernia-gen devel"},
		{[]string{"version", "--quiet"}, 0, "kernia-gen devel"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"init", "--bogus"}, 2, "init: flag provided but not defined: -bogus; see kernia-gen help init"},
		{[]string{"init", "extra"}, 2, `init takes no arguments, got "extra"; see kernia-gen help init`},
		{[]string{"add"}, 2, "add takes 1 argument, got none; see kernia-gen help add"},
		{[]string{"remove", "a", "b"}, 2, `remove takes 1 argument, got "a b"`},
	} {
		code, stdout, stderr := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.contains) {
			t.Errorf("kernia-gen %v: exit %d, output %q; want exit %d containing %q", tt.args, code, stdout+stderr, tt.code, tt.contains)
		}
	}
}

// Every command has help with a usage line, its flags and examples, three ways.
func TestHelpForEachCommand(t *testing.T) {
	_, list, _ := runCLI("help")
	for _, c := range commands() {
		if !strings.Contains(list, "\n  "+c.name+" ") {
			t.Errorf("help does not list %s:\n%s", c.name, list)
		}
		code, help, stderr := runCLI("help", c.name)
		if code != 0 || stderr != "" {
			t.Errorf("help %s: exit %d, stderr %q", c.name, code, stderr)
		}
		if !strings.HasPrefix(help, "Usage: kernia-gen "+c.name) || !strings.Contains(help, "\nExamples:\n  kernia-gen "+c.name) {
			t.Errorf("help %s lacks its usage line or examples:\n%s", c.name, help)
		}
		if c.name == "help" {
			continue
		}
		if !strings.Contains(help, "\nGlobal flags:\n  --json") {
			t.Errorf("help %s lacks the global flags:\n%s", c.name, help)
		}
		c.flags().VisitAll(func(f *flag.Flag) {
			if !globalFlags[f.Name] && !strings.Contains(help, "  --"+f.Name+" ") {
				t.Errorf("help %s lacks --%s:\n%s", c.name, f.Name, help)
			}
		})
		for _, h := range []string{"--help", "-h"} {
			code, out, stderr := runCLI(c.name, h)
			if code != 0 || out != help || stderr != "" {
				t.Errorf("%s %s: exit %d, stderr %q, output differs from help %s:\n%s", c.name, h, code, stderr, c.name, out)
			}
		}
	}
	for _, want := range []string{"0  done", "2  usage error", "3  written, but files need you", "kernia-gen help json"} {
		if !strings.Contains(list, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	_, add, _ := runCLI("help", "add")
	for _, want := range []string{"bearer", "multi-session", "--option maximumSessions=N", "--option requireSignature=true|false", "--option name=value"} {
		if !strings.Contains(add, want) {
			t.Errorf("help add lacks %q", want)
		}
	}
}

// The JSON shape documented in help json is the one written: every field name appears.
func TestHelpJSONDocumentsTheShape(t *testing.T) {
	code, help, _ := runCLI("help", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, field := range []string{"command", "ok", "exitCode", "dryRun", "version", "files", "path", "class", "action", "note", "problems", "diff", "errors", "code", "message"} {
		if !strings.Contains(help, `"`+field+`":`) {
			t.Errorf("help json lacks the field %q", field)
		}
	}
	for _, code := range []string{"usage", "unknown_command", "unknown_plugin", "bad_option", "no_module", "not_module_root", "already_initialised", "no_config", "unresolved_conflicts", "out_of_date", "conflicts", "error"} {
		if !strings.Contains(help, "\n  "+code+" ") {
			t.Errorf("help json lacks the error code %q", code)
		}
	}
}

func TestUnknownCommandSuggests(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"genrate"}, `unknown command "genrate"; did you mean "generate"? (kernia-gen help lists the commands)`},
		{[]string{"--json", "inti"}, ""},
		{[]string{"help", "chek"}, `did you mean "check"?`},
		{[]string{"deploy"}, `unknown command "deploy"; kernia-gen help lists the commands`},
	} {
		if tt.args[0] == "--json" {
			code, r := runJSON(t, tt.args[1:]...)
			if code != 2 || len(r.Errors) != 1 || r.Errors[0].Code != "unknown_command" || !strings.Contains(r.Errors[0].Message, `did you mean "init"?`) {
				t.Errorf("%v: exit %d, %+v", tt.args, code, r)
			}
			continue
		}
		code, stdout, stderr := runCLI(tt.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}
