package generator

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	kernia "github.com/kernia/kernia-gen"
)

func testOptions() Options {
	return Options{ModulePath: "example.com/app", Server: true}
}

func TestGenerateEmitsThePackage(t *testing.T) {
	byPath := generateByPath(t, testOptions())
	checkClasses(t, byPath, map[string]Class{
		"internal/auth/api.gen.go":                            Generated,
		"internal/auth/store/core.sql.go":                     Generated,
		"internal/auth/migrate.go":                            Generated,
		"internal/auth/migrations/00001_better_auth_core.sql": Migration,
		"internal/auth/handle_sign_up.go":                     Scaffolded,
		"internal/auth/config.go":                             Scaffolded,
		"internal/auth/generate.go":                           Scaffolded,
		"internal/auth/signup_test.go":                        Scaffolded,
		"cmd/server/main.go":                                  Scaffolded,
		"internal/auth/mail/reset-password.txt":               Scaffolded,
		"internal/auth/mail/reset-password.html":              Scaffolded,
	})
	for _, f := range byPath {
		if strings.HasSuffix(f.Path, ".go") && !bytes.Contains(f.Content, []byte("package auth")) && !bytes.Contains(f.Content, []byte("package store")) && !bytes.Contains(f.Content, []byte("package main")) {
			t.Errorf("%s has an unexpected package clause", f.Path)
		}
	}
}

// The mail templates are the emitted package's own templates: copied byte for byte, into
// the chosen folder's mail/, one text and one HTML file for each kind of mail.
func TestGenerateCopiesMailTemplatesVerbatim(t *testing.T) {
	opts := Options{ModulePath: "example.com/app", Dir: "pkg/authn"}
	files, err := Generate(context.Background(), kernia.Inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	var mail []string
	for _, f := range files {
		name, ok := strings.CutPrefix(f.Path, "pkg/authn/mail/")
		if !ok {
			continue
		}
		mail = append(mail, name)
		src, err := fs.ReadFile(kernia.Inputs, "templates/package/core/mail/"+name)
		if err != nil || !bytes.Equal(src, f.Content) || !bytes.Contains(f.Content, []byte("{{.URL}}")) || f.Class != Scaffolded {
			t.Errorf("%s: not the template as written (%v), or %s", f.Path, err, f.Class)
		}
	}
	want := "change-email-confirmation.html change-email-confirmation.txt change-email-verification.html change-email-verification.txt delete-account.html delete-account.txt reset-password.html reset-password.txt verify-email.html verify-email.txt"
	if got := strings.Join(mail, " "); got != want {
		t.Errorf("mail files: %s\nwant %s", got, want)
	}
}

// A plugin's mail folder holds files only: a subfolder would not be embedded by the
// emitted package's //go:embed mail/*.txt mail/*.html.
func TestGenerateRefusesMailSubfolders(t *testing.T) {
	inputs := fstest.MapFS{}
	if err := fs.WalkDir(kernia.Inputs, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(kernia.Inputs, name)
		inputs[name] = &fstest.MapFile{Data: b}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	inputs["templates/package/core/mail/extra/footer.txt"] = &fstest.MapFile{Data: []byte("footer")}
	if _, err := Generate(context.Background(), inputs, testOptions()); err == nil || !strings.Contains(err.Error(), "mail/extra") {
		t.Errorf("error %v", err)
	}
}

func TestGenerateHonoursOptions(t *testing.T) {
	opts := Options{ModulePath: "example.com/app", Dir: "pkg/authn", BasePath: "/auth"}
	files, err := Generate(context.Background(), kernia.Inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	var sawConfig bool
	for _, f := range files {
		if !strings.HasPrefix(f.Path, "pkg/authn/") {
			t.Errorf("%s is outside the chosen folder", f.Path)
		}
		if f.Path == "pkg/authn/config.go" {
			sawConfig = bytes.Contains(f.Content, []byte(`BasePath: "/auth",`)) && bytes.Contains(f.Content, []byte("package authn"))
		}
		if strings.Contains(string(f.Content), `"example.com/app/internal/auth`) {
			t.Errorf("%s imports the default path", f.Path)
		}
	}
	if !sawConfig {
		t.Error("config.go does not use the package name and base path")
	}
}

func TestOptionsValidation(t *testing.T) {
	for _, tt := range []struct {
		opts Options
		want string
	}{
		{Options{}, "module path is empty"},
		{Options{ModulePath: "m", Dir: "../x"}, "inside the module"},
		{Options{ModulePath: "m", Dir: "/abs"}, "inside the module"},
		{Options{ModulePath: "m", Package: "func"}, "not a valid Go package name"},
		{Options{ModulePath: "m", Package: "main"}, "not a valid Go package name"},
		{Options{ModulePath: "m", BasePath: "api/auth"}, "base path"},
		{Options{ModulePath: "m", BasePath: "/api/auth/"}, "base path"},
		{Options{ModulePath: "m", BasePath: `/api/"auth`}, "base path"},
		{Options{ModulePath: "m", BasePath: "/api/{x}"}, "base path"},
		{Options{ModulePath: "m", Dir: "cmd/server", Server: true}, "where --server writes"},
		{Options{ModulePath: "m", MigrationTable: "x; drop table user"}, "plain SQL identifier"},
		{Options{ModulePath: "m", Plugins: []string{"nope"}}, `unknown plugin "nope"`},
	} {
		_, err := Generate(context.Background(), kernia.Inputs, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want %q", tt.opts, err, tt.want)
		}
	}
}

func TestReplaceHeader(t *testing.T) {
	src := "// Code generated by sqlc. DO NOT EDIT.\n// versions:\n//   sqlc v1.31.1\n\npackage store\n\nvar x = 1\n"
	got, err := replaceHeader([]byte(src), "note")
	if err != nil {
		t.Fatal(err)
	}
	want := generatedHeader + "\n// note\n\npackage store\n\nvar x = 1\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := replaceHeader([]byte("// no package"), ""); err == nil {
		t.Error("a source without a package clause was accepted")
	}
}

// A plugin that is not enabled leaves nothing behind: no routes, no types, no queries.
func TestDisabledPluginsLeaveNothing(t *testing.T) {
	core, err := Generate(context.Background(), kernia.Inputs, Options{ModulePath: "example.com/app"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range core {
		for _, trace := range []string{"/multi-session/", "MultiSession", "BearerConfig", "installBearer", "Set-Auth-Token", "SessionTokenRequest", "ListSessionsByTokens",
			"SocialConfig", "socialProviderKinds", "SignInSocial", "/callback/{id}", "GetAccountOwner", "socialStateCookieKey"} {
			if strings.Contains(string(f.Content), trace) {
				t.Errorf("%s mentions %q with only core enabled", f.Path, trace)
			}
		}
	}
	all, err := Generate(context.Background(), kernia.Inputs, Options{ModulePath: "example.com/app", Plugins: []string{"core", "bearer", "multi-session"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) <= len(core) {
		t.Errorf("enabling plugins emitted %d files, core alone %d", len(all), len(core))
	}
}

// generateByPath runs Generate and indexes the files by path.
func generateByPath(t *testing.T, opts Options) map[string]File {
	t.Helper()
	files, err := Generate(context.Background(), kernia.Inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]File{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	return byPath
}

// checkClasses fails t unless every path in want was emitted, in its class.
func checkClasses(t *testing.T, files map[string]File, want map[string]Class) {
	t.Helper()
	for path, class := range want {
		f, ok := files[path]
		if !ok {
			t.Errorf("%s was not emitted", path)
		} else if f.Class != class {
			t.Errorf("%s is %s, want %s", path, f.Class, class)
		}
	}
}

// The go:generate directive runs kernia-gen as go.mod has it: as a tool of the module when a
// tool directive names it (go tool finds tools by their last path element), else from PATH.
func TestGoGenerateDirectiveFollowsGoMod(t *testing.T) {
	const module = "module example.com/app\n\ngo 1.24\n"
	for _, tt := range []struct {
		name, gomod, want string
	}{
		{"no tools", module, "//go:generate kernia-gen generate\n"},
		{"kernia-gen", module + "\ntool github.com/kernia/kernia-gen/cmd/kernia-gen\n", "//go:generate go tool kernia-gen generate\n"},
		{"in a block", module + "\ntool (\n\tgolang.org/x/tools/cmd/stringer\n\tgithub.com/kernia/kernia-gen/cmd/kernia-gen\n)\n", "//go:generate go tool kernia-gen generate\n"},
		{"another tool", module + "\ntool golang.org/x/tools/cmd/stringer\n", "//go:generate kernia-gen generate\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(tt.gomod), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := OpenProject(dir)
			if err != nil {
				t.Fatal(err)
			}
			f := generateByPath(t, p.options(Options{}))["internal/auth/generate.go"]
			if got := string(f.Content); !strings.HasSuffix(got, "\n\n"+tt.want) {
				t.Errorf("generate.go:\n%s\nwant it to end with %q", got, tt.want)
			}
		})
	}
}
