package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	kernia "github.com/kernia/kernia-gen"
)

func TestOpenProjectOutsideAModule(t *testing.T) {
	dir := t.TempDir()
	_, err := OpenProject(dir)
	if !errors.Is(err, ErrNoModule) || !strings.Contains(err.Error(), "run `go mod init <module>` first") {
		t.Errorf("error %v", err)
	}
}

func TestOpenProjectBelowTheRoot(t *testing.T) {
	root, sub := moduleWithSubfolder(t)
	_, err := OpenProject(sub)
	var e *NotModuleRootError
	if !errors.As(err, &e) || e.Root != root || e.Dir != sub {
		t.Fatalf("error %#v", err)
	}
	if want := "go.mod is in " + root + "; run kernia-gen there (cd " + root + ")"; !strings.Contains(err.Error(), want) {
		t.Errorf("message %q lacks %q", err, want)
	}
}

// FindProject, unlike OpenProject, opens the module from a folder below its root.
func TestFindProjectFromBelowTheRoot(t *testing.T) {
	root, sub := moduleWithSubfolder(t)
	for _, dir := range []string{root, sub} {
		p, err := FindProject(dir)
		if err != nil || p.Root != root || p.ModulePath != "example.com/app" {
			t.Errorf("FindProject(%s) = %+v, %v; want root %s", dir, p, err, root)
		}
	}
	if _, err := FindProject(t.TempDir()); !errors.Is(err, ErrNoModule) {
		t.Errorf("FindProject outside a module: %v", err)
	}
}

func TestUninitialisedAndInitialisedModules(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := OpenProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.LoadConfig(); !errors.Is(err, ErrNoConfig) || !strings.Contains(err.Error(), "run `kernia-gen init` first") {
		t.Errorf("LoadConfig before init: %v", err)
	}
	p = testModule(t)
	if _, err := Init(context.Background(), kernia.Inputs, p, Options{}); !errors.Is(err, ErrInitialized) || !strings.Contains(err.Error(), "kernia-gen generate") {
		t.Errorf("second Init: %v", err)
	}
}

func TestUnknownPluginSuggests(t *testing.T) {
	_, err := Options{ModulePath: "m"}.withDefaults().WithPlugin("baerer", nil)
	var e *UnknownPluginError
	if !errors.As(err, &e) || e.Suggestion != "bearer" {
		t.Fatalf("error %#v", err)
	}
	if want := `unknown plugin "baerer"; did you mean "bearer"? (known plugins: core, bearer, multi-session, username, social, two-factor, passkey)`; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if _, err := LookupPlugin("magicLink"); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("a far name: %v", err)
	}
}

func TestOptionErrors(t *testing.T) {
	opts := Options{ModulePath: "m"}.withDefaults()
	for _, tt := range []struct{ plugin, option, want string }{
		{"multi-session", "maximumSessions", `--option "maximumSessions": expected name=value, e.g. --option maximumSessions=5`},
		{"multi-session", "=3", `--option "=3": expected name=value, e.g. --option maximumSessions=5`},
		{"bearer", "requireSignature: true", `--option "requireSignature: true": expected name=value, e.g. --option requireSignature=false`},
		{"multi-session", "maximumSessions=many", `--option "maximumSessions=many": multi-session.maximumSessions: expected a positive whole number`},
		{"bearer", "requireSig=true", `--option "requireSig=true": plugin bearer has no option "requireSig" (options: requireSignature)`},
		{"core", "x=1", `--option "x=1": plugin core has no options`},
		{"social", "providers=google,twitter", `--option "providers=google,twitter": social.providers: unknown value "twitter" (allowed: google, github, oidc, apple, microsoft, discord)`},
		{"social", "providers=github,github", `--option "providers=github,github": social.providers: github is listed twice`},
		{"social", "providers=", `--option "providers=": social.providers: expected a list of google, github, oidc, apple, microsoft, discord, e.g. [google, github, oidc, apple, microsoft, discord]`},
		{"social", "providers=true", `--option "providers=true": social.providers: expected a list of google, github, oidc, apple, microsoft, discord, e.g. [google, github, oidc, apple, microsoft, discord]`},
		{"social", "provider=google", `--option "provider=google": plugin social has no option "provider" (options: providers)`},
	} {
		_, err := opts.WithPlugin(tt.plugin, []string{tt.option})
		var e *OptionError
		if !errors.As(err, &e) || err.Error() != tt.want {
			t.Errorf("%s %s: error %v, want %q", tt.plugin, tt.option, err, tt.want)
		}
	}
}

func TestCheckConflictMarkers(t *testing.T) {
	p := testModule(t)
	if err := p.CheckConflictMarkers(); err != nil {
		t.Fatalf("fresh module: %v", err)
	}
	p.mustEdit(t, signUp, "return SignUpResponse{}, nil, ErrSignUpDisabled", "return SignUpResponse{}, nil, ErrSignUpDisabled // mine")
	v2 := signUpTemplateChange(t, "return SignUpResponse{}, nil, ErrSignUpDisabled", "return SignUpResponse{}, nil, ErrSignUpDisabled // theirs")
	if _, actions := generate(t, p, v2, PlanOptions{}); actions[signUp] != Conflicted {
		t.Fatalf("sign-up: %v", actions[signUp])
	}
	// A generated file with markers is not the user's to resolve: it is rewritten.
	if err := os.WriteFile(p.path("internal/auth/store/db.go"), []byte(generatedHeader+"\n<<<<<<< x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := p.CheckConflictMarkers()
	var e *ConflictMarkersError
	if !errors.As(err, &e) || !slices.Equal(e.Paths, []string{signUp}) {
		t.Fatalf("error %#v", err)
	}
	for _, want := range []string{signUp, "delete the <<<<<<<, |||||||, ======= and >>>>>>> lines", "git diff --check", "run the command again"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	s := p.mustRead(t, signUp)
	start, end := strings.Index(s, "<<<<<<< "), strings.Index(s, ">>>>>>> ")
	resolved := s[:start] + "\t\treturn SignUpResponse{}, nil, ErrSignUpDisabled // both\n" + s[end+strings.Index(s[end:], "\n")+1:]
	if err := os.WriteFile(p.path(signUp), []byte(resolved), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.CheckConflictMarkers(); err != nil {
		t.Errorf("after resolving: %v", err)
	}
}

func TestWithProgressReportsEachStep(t *testing.T) {
	var steps []string
	ctx := WithProgress(context.Background(), func(s string) { steps = append(steps, s) })
	if _, err := Generate(ctx, kernia.Inputs, testOptions()); err != nil {
		t.Fatal(err)
	}
	want := []string{"running oapi-codegen", "running sqlc", "copying migrations", "rendering templates"}
	if !slices.Equal(steps, want) {
		t.Errorf("steps %q, want %q", steps, want)
	}
}

func TestActionKeys(t *testing.T) {
	seen := map[string]bool{}
	for a := Unchanged; a <= Blocked; a++ {
		if a.Key() == "" || seen[a.Key()] || strings.ContainsAny(a.Key(), " ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Errorf("action %v has key %q", a, a.Key())
		}
		seen[a.Key()] = true
	}
}

// moduleWithSubfolder makes a module example.com/app and returns its root and a folder below it.
func moduleWithSubfolder(t *testing.T) (root, sub string) {
	t.Helper()
	root = t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sub = filepath.Join(root, "internal", "x")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	return root, sub
}
