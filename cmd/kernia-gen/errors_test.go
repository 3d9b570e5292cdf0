package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// wantError runs a command twice, as text and as --json, and checks the exit code, the
// message on stderr (and nothing on stdout but what text mode prints before it), and the code.
func wantError(t *testing.T, args []string, exit int, code string, message ...string) jsonError {
	t.Helper()
	got, _, stderr := runCLI(args...)
	if got != exit {
		t.Errorf("kernia-gen %v: exit %d, want %d\n%s", args, got, exit, stderr)
	}
	for _, m := range message {
		if !strings.Contains(stderr, m) {
			t.Errorf("kernia-gen %v: stderr lacks %q:\n%s", args, m, stderr)
		}
	}
	got, r := runJSON(t, args...)
	if got != exit || len(r.Errors) != 1 || r.Errors[0].Code != code {
		t.Fatalf("kernia-gen %v --json: exit %d, errors %+v; want exit %d, code %s", args, got, r.Errors, exit, code)
	}
	for _, m := range message {
		if !strings.Contains(r.Errors[0].Message, m) {
			t.Errorf("kernia-gen %v --json: message lacks %q: %q", args, m, r.Errors[0].Message)
		}
	}
	return r.Errors[0]
}

func TestErrorNoGoMod(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, cmd := range []string{"init", "generate", "check"} {
		wantError(t, []string{cmd}, 1, "no_module", "no go.mod in ", "run `go mod init <module>` first")
	}
}

func TestErrorNotAtModuleRoot(t *testing.T) {
	root := newModule(t)
	sub := filepath.Join(root, "internal", "x")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	wantError(t, []string{"init"}, 1, "not_module_root", sub+" is not the module root: go.mod is in "+root+"; run kernia-gen there (cd "+root+")")
	if _, err := os.Stat(filepath.Join(sub, "kernia.yaml")); err == nil {
		t.Error("init wrote below the module root")
	}
}

// The commands on an initialised module run from any folder in it, as go generate runs them
// from the package's folder; they work on the module root's kernia.yaml.
func TestCommandsBelowTheRoot(t *testing.T) {
	const signUpFile = "internal/auth/handle_sign_up.go"
	root := initModule(t)
	edit(t, filepath.Join(root, signUpFile), "\temail := normalizeEmail(req.Email)\n", "\temail := normalizeEmail(req.Email) // normalised\n")
	if err := os.Remove(filepath.Join(root, "internal/auth/api.gen.go")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "internal", "auth", "store"))
	if code, stdout, stderr := runCLI("check"); code != exitError || !strings.Contains(stdout, "internal/auth/api.gen.go") {
		t.Errorf("check with api.gen.go deleted: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, _ := runCLI("diff"); code != 0 || !strings.Contains(stdout, "+++ b/internal/auth/api.gen.go") {
		t.Errorf("diff: exit %d\n%s", code, stdout)
	}
	code, r := runJSON(t, "generate")
	if code != 0 {
		t.Errorf("generate: exit %d, %+v", code, r)
	}
	wantFile(t, files(t, r), "internal/auth/api.gen.go", "generated", "created")
	if code, _, stderr := runCLI("check"); code != 0 {
		t.Errorf("check after generate: exit %d\n%s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(root, signUpFile)); !strings.Contains(string(b), "// normalised") {
		t.Error("generate lost the edit to " + signUpFile)
	}
	if _, err := os.Stat("kernia.yaml"); err == nil {
		t.Error("a command below the root wrote kernia.yaml there")
	}
	if code, _, stderr := runCLI("add", "bearer"); code != 0 {
		t.Errorf("add bearer: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(root, "internal/auth/bearer.go")); err != nil {
		t.Errorf("add bearer below the root: %v", err)
	}
}

func TestErrorAlreadyInitialised(t *testing.T) {
	initModule(t)
	wantError(t, []string{"init"}, 1, "already_initialised", "kernia.yaml exists: this module is already initialised", "run kernia-gen generate to regenerate it")
}

func TestErrorNoConfig(t *testing.T) {
	dir := newModule(t)
	for _, args := range [][]string{{"generate"}, {"diff"}, {"check"}, {"add", "bearer"}, {"remove", "bearer"}} {
		wantError(t, args, 1, "no_config", "no kernia.yaml in "+dir, "run `kernia-gen init` first")
	}
}

// Conflict markers left by a generate must be resolved before the next one writes anything.
func TestErrorUnresolvedConflicts(t *testing.T) {
	conflictingModule(t)
	if code, _, _ := runCLI("generate"); code != exitNeedsYou {
		t.Fatalf("the conflicting generate exited %d", code)
	}
	config, _ := os.ReadFile("kernia.yaml")
	for _, args := range [][]string{{"generate"}, {"add", "bearer"}} {
		e := wantError(t, args, 1, "unresolved_conflicts",
			"unresolved conflict markers from an earlier generate in "+mailFile,
			"delete the <<<<<<<, |||||||, ======= and >>>>>>> lines", "git diff --check", "then run the command again")
		if !slices.Equal(e.Files, []string{mailFile}) {
			t.Errorf("%v: files %q", args, e.Files)
		}
	}
	if after, _ := os.ReadFile("kernia.yaml"); string(after) != string(config) {
		t.Error("a refused add changed kernia.yaml")
	}
	if _, err := os.Stat("internal/auth/bearer.go"); err == nil {
		t.Error("a refused add wrote the plugin's files")
	}
	// Resolved, generate runs again.
	b, _ := os.ReadFile(mailFile)
	s := string(b)
	start, end := strings.Index(s, "<<<<<<< "), strings.Index(s, ">>>>>>> ")
	s = s[:start] + "Subject: Your Example password reset\n" + s[end+strings.Index(s[end:], "\n")+1:]
	if err := os.WriteFile(mailFile, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI("generate"); code != 0 {
		t.Errorf("generate after resolving: exit %d\n%s", code, stderr)
	}
}

func TestErrorUnknownPlugin(t *testing.T) {
	t.Chdir(t.TempDir()) // the name is checked before the module
	for _, cmd := range []string{"add", "remove"} {
		wantError(t, []string{cmd, "baerer"}, 2, "unknown_plugin", `unknown plugin "baerer"; did you mean "bearer"? (known plugins: core, bearer, multi-session, username, social, two-factor, passkey)`)
	}
	wantError(t, []string{"add", "magicLink"}, 2, "unknown_plugin", `unknown plugin "magicLink" (known plugins: core, bearer, multi-session, username, social, two-factor, passkey)`)
}

func TestErrorBadOption(t *testing.T) {
	initModule(t)
	config, _ := os.ReadFile("kernia.yaml")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "multi-session", "--option", "maximumSessions"}, `--option "maximumSessions": expected name=value, e.g. --option maximumSessions=5`},
		{[]string{"add", "multi-session", "--option", "=3"}, `--option "=3": expected name=value`},
		{[]string{"add", "bearer", "--option", "requireSignature=yes please"}, `--option "requireSignature=yes please": bearer.requireSignature: expected true or false`},
		{[]string{"add", "bearer", "--option", "requireSig=true"}, `plugin bearer has no option "requireSig" (options: requireSignature)`},
		{[]string{"add", "core", "--option", "x=1"}, `--option "x=1": plugin core has no options`},
	} {
		wantError(t, tt.args, 2, "bad_option", tt.want)
	}
	if after, _ := os.ReadFile("kernia.yaml"); string(after) != string(config) {
		t.Error("a refused --option changed kernia.yaml")
	}
}

func TestErrorUsageInJSON(t *testing.T) {
	wantError(t, []string{"generate", "--bogus"}, 2, "usage", "generate: flag provided but not defined: -bogus; see kernia-gen help generate")
	wantError(t, []string{"add"}, 2, "usage", "add takes 1 argument, got none")
	code, r := runJSON(t)
	if code != 2 || len(r.Errors) != 1 || r.Errors[0].Code != "usage" {
		t.Errorf("no command: exit %d, %+v", code, r)
	}
}

func TestErrorPluginAlreadyEnabled(t *testing.T) {
	initModule(t)
	if code, _, stderr := runCLI("add", "bearer", "-q"); code != 0 {
		t.Fatalf("add bearer: exit %d\n%s", code, stderr)
	}
	wantError(t, []string{"add", "bearer"}, 1, "error", "plugin bearer is already enabled; to change its options, add --option name=value")
}

// diff and generate --dry-run end as the real run would, so a CI gate can rely on them: 3
// where files would need the user, and the unresolved-markers error over markers.
func TestDryRunExitCodes(t *testing.T) {
	conflictingModule(t)
	for _, args := range [][]string{{"diff"}, {"generate", "--dry-run"}} {
		if code, _, stderr := runCLI(args...); code != exitNeedsYou || !strings.Contains(stderr, "needs you") {
			t.Errorf("%v before a conflicting generate: exit %d\n%s", args, code, stderr)
		}
	}
	if code, _, _ := runCLI("generate"); code != exitNeedsYou {
		t.Fatalf("the conflicting generate exited %d", code)
	}
	for _, args := range [][]string{{"diff"}, {"generate", "--dry-run"}} {
		wantError(t, args, 1, "unresolved_conflicts", mailFile)
	}
	wantError(t, []string{"check"}, 1, "out_of_date")
}

// A merge that is clean as text but does not compile is reported, with what go build says.
func TestBuildCheckAfterWriting(t *testing.T) {
	buildAfterWriting = true
	defer func() { buildAfterWriting = false }()
	initModule(t)
	// The user's new function, and a new version's function of the same name in another
	// file: each side compiles alone.
	if err := os.WriteFile("internal/auth/mine.go", []byte("package auth\n\nfunc helperV2() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	withInputs(t, map[string]func(string) string{"templates/package/core/handle_misc.go.tmpl": func(s string) string {
		return s + "\nfunc helperV2() {}\n"
	}})
	if out, err := exec.Command("go", "mod", "tidy").CombinedOutput(); err != nil {
		t.Skipf("go mod tidy (needs the module cache): %v\n%s", err, out)
	}
	code, stdout, stderr := runCLI("generate")
	if code != exitNeedsYou || !strings.Contains(stderr, "does not build") || !strings.Contains(stderr, "helperV2 redeclared") {
		t.Errorf("generate: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, _ := runCLI("generate", "--no-build"); code != 0 {
		t.Errorf("generate --no-build: exit %d", code)
	}
}
