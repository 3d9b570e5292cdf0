package generator

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	kernia "github.com/kernia/kernia-gen"
)

// initialised is a module initialised with kernia-gen's real inputs, once, for testModule
// to copy: each Init runs sqlc and oapi-codegen.
var initialised struct {
	once sync.Once
	dir  string
	err  error
}

// testModule is a module initialised with kernia-gen's real inputs.
func testModule(t *testing.T) Project {
	t.Helper()
	initialised.once.Do(func() {
		initialised.dir, initialised.err = os.MkdirTemp("", "kernia-generator-test-")
		if initialised.err != nil {
			return
		}
		dir := initialised.dir
		if initialised.err = os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n\ngo 1.24\n"), 0o644); initialised.err != nil {
			return
		}
		p, err := OpenProject(dir)
		if err == nil {
			_, err = Init(context.Background(), kernia.Inputs, p, Options{})
		}
		initialised.err = err
	})
	if initialised.err != nil {
		t.Fatal(initialised.err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(initialised.dir)); err != nil {
		t.Fatal(err)
	}
	p, err := OpenProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// withInputs returns kernia-gen's inputs with some files replaced (or, with "", removed): a
// new kernia-gen version, as far as a generation can tell.
func withInputs(t *testing.T, edit func(name, content string) string) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(kernia.Inputs, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(kernia.Inputs, name)
		if err != nil {
			return err
		}
		if s := edit(name, string(b)); s != "" {
			out[name] = &fstest.MapFile{Data: []byte(s)}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// signUpTemplateChange is kernia-gen's inputs with one edit to the sign-up handler's template.
func signUpTemplateChange(t *testing.T, old, new string) fs.FS {
	t.Helper()
	return withInputs(t, func(name, s string) string {
		if strings.HasSuffix(name, "handle_sign_up.go.tmpl") {
			return strings.Replace(s, old, new, 1)
		}
		return s
	})
}

func (p Project) mustRead(t *testing.T, rel string) string {
	t.Helper()
	b, err := p.read(rel)
	if err != nil || b == nil {
		t.Fatalf("reading %s: %v", rel, err)
	}
	return string(b)
}

func (p Project) mustEdit(t *testing.T, rel, old, new string) {
	t.Helper()
	s := p.mustRead(t, rel)
	if !strings.Contains(s, old) {
		t.Fatalf("%s lacks %q", rel, old)
	}
	if err := os.WriteFile(p.path(rel), []byte(strings.Replace(s, old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// generate plans and applies a generation, returning each file's action.
func generate(t *testing.T, p Project, inputs fs.FS, po PlanOptions) (Plan, map[string]Action) {
	t.Helper()
	opts, err := p.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := p.PlanGeneration(context.Background(), inputs, opts, po)
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Apply(); err != nil {
		t.Fatal(err)
	}
	actions := map[string]Action{}
	for _, c := range plan.Changes {
		actions[c.Path] = c.Action
	}
	return plan, actions
}

const signUp = "internal/auth/handle_sign_up.go"

func TestGenerateTwiceChangesNothing(t *testing.T) {
	p := testModule(t)
	before := treeDigest(t, p.Root)
	for range 2 {
		if plan, _ := generate(t, p, kernia.Inputs, PlanOptions{}); plan.Writes() {
			t.Errorf("generate right after init writes: %+v", plan.Changes)
		}
	}
	if treeDigest(t, p.Root) != before {
		t.Error("the tree changed")
	}
}

func TestGenerateMergesEditsWithTemplateChanges(t *testing.T) {
	p := testModule(t)
	p.mustEdit(t, signUp, "	email := normalizeEmail(req.Email)\n", "	email := normalizeEmail(req.Email)\n	if !strings.HasSuffix(email, \"@example.com\") { // allow-list\n		return SignUpResponse{}, nil, ErrSignUpDisabled\n	}\n")
	v2 := signUpTemplateChange(t, "// audit log entry.", "// audit log entry. Template v2.")
	_, actions := generate(t, p, v2, PlanOptions{})
	if actions[signUp] != Merged {
		t.Fatalf("sign-up: %v, want merged", actions[signUp])
	}
	got := p.mustRead(t, signUp)
	if !strings.Contains(got, "// allow-list") || !strings.Contains(got, "Template v2.") || conflictMarkers(signUp, []byte(got)) {
		t.Errorf("merged file:\n%s", got)
	}
	if plan, _ := generate(t, p, v2, PlanOptions{}); plan.Writes() {
		t.Error("a second generate writes again")
	}
}

// A mail template is the user's, like a handler: their edit and a new version's change to
// another line of it are merged.
func TestGenerateMergesMailTemplates(t *testing.T) {
	p := testModule(t)
	const reset = "internal/auth/mail/reset-password.txt"
	p.mustEdit(t, reset, "Subject: Reset your password\n", "Subject: Reset your Example password\n")
	v2 := withInputs(t, func(name, s string) string {
		if name == "templates/package/core/mail/reset-password.txt" {
			return strings.Replace(s, "your password stays as it is.", "your password stays as it is (v2).", 1)
		}
		return s
	})
	_, actions := generate(t, p, v2, PlanOptions{})
	if actions[reset] != Merged {
		t.Fatalf("%s: %v, want merged", reset, actions[reset])
	}
	got := p.mustRead(t, reset)
	if !strings.HasPrefix(got, "Subject: Reset your Example password\n") || !strings.Contains(got, "(v2).") || !strings.Contains(got, "{{.URL}}") {
		t.Errorf("merged file:\n%s", got)
	}
}

func TestGenerateReportsConflicts(t *testing.T) {
	p := testModule(t)
	p.mustEdit(t, signUp, "return SignUpResponse{}, nil, ErrSignUpDisabled", "return SignUpResponse{}, nil, ErrSignUpDisabled // mine")
	v2 := signUpTemplateChange(t, "return SignUpResponse{}, nil, ErrSignUpDisabled", "return SignUpResponse{}, nil, ErrSignUpDisabled // theirs")
	plan, actions := generate(t, p, v2, PlanOptions{Label: "kernia-gen v2"})
	if actions[signUp] != Conflicted || len(plan.Problems()) != 1 {
		t.Fatalf("sign-up: %v, problems %v", actions[signUp], plan.Problems())
	}
	got := p.mustRead(t, signUp)
	for _, want := range []string{
		"<<<<<<< " + signUp + " (yours)\n", "// mine\n",
		"||||||| " + signUp + " (last generated)\n",
		"=======\n", "// theirs\n", ">>>>>>> " + signUp + " (kernia-gen v2)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("conflicted file lacks %q", want)
		}
	}
	problems, err := plan.Check()
	if err != nil || !strings.Contains(strings.Join(problems, "\n"), signUp+": conflict markers remain") {
		t.Errorf("check: %v, %v", problems, err)
	}
}

func TestGenerateLeavesDeletedFilesDeleted(t *testing.T) {
	p := testModule(t)
	const misc = "internal/auth/handle_misc.go"
	os.Remove(p.path(misc))
	if _, actions := generate(t, p, kernia.Inputs, PlanOptions{}); actions[misc] != LeftDeleted {
		t.Errorf("deleted file: %v", actions[misc])
	}
	if b, _ := p.read(misc); b != nil {
		t.Fatal("a deleted scaffolded file was recreated")
	}
	if _, actions := generate(t, p, kernia.Inputs, PlanOptions{Restore: true}); actions[misc] != Created {
		t.Errorf("restore: %v", actions[misc])
	}
}

func TestGenerateRewritesEditedGeneratedFiles(t *testing.T) {
	p := testModule(t)
	const api = "internal/auth/api.gen.go"
	p.mustEdit(t, api, "package auth", "package auth\n\nvar edited = true")
	plan, err := p.PlanGeneration(context.Background(), kernia.Inputs, mustConfig(t, p), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	problems, _ := plan.Check()
	if !strings.Contains(strings.Join(problems, "\n"), api+": generated file was edited") {
		t.Errorf("check: %v", problems)
	}
	if _, actions := generate(t, p, kernia.Inputs, PlanOptions{}); actions[api] != OverwroteEdit {
		t.Errorf("edited generated file: %v", actions[api])
	}
	if strings.Contains(p.mustRead(t, api), "edited") {
		t.Error("the edit to the generated file is still there")
	}
}

func TestGenerateNeverRewritesMigrations(t *testing.T) {
	p := testModule(t)
	const m = "internal/auth/migrations/00001_better_auth_core.sql"
	v2 := withInputs(t, func(name, s string) string {
		if strings.HasSuffix(name, "00001_better_auth_core.sql") {
			return s + "-- changed in v2\n"
		}
		return s
	})
	if _, actions := generate(t, p, v2, PlanOptions{}); actions[m] != Unchanged {
		t.Errorf("migration: %v", actions[m])
	}
	if strings.Contains(p.mustRead(t, m), "changed in v2") {
		t.Error("an emitted migration was rewritten")
	}
}

func TestGenerateRemovesFilesNoLongerGenerated(t *testing.T) {
	p := testModule(t)
	const misc, ip = "internal/auth/handle_misc.go", "internal/auth/ip.go"
	p.mustEdit(t, ip, "package auth", "package auth // edited")
	v2 := withInputs(t, func(name, s string) string {
		if strings.HasSuffix(name, "handle_misc.go.tmpl") || strings.HasSuffix(name, "/ip.go.tmpl") {
			return ""
		}
		return s
	})
	_, actions := generate(t, p, v2, PlanOptions{})
	if actions[misc] != Removed || actions[ip] != KeptEdited {
		t.Errorf("misc %v, ip %v; want removed, kept", actions[misc], actions[ip])
	}
	if b, _ := p.read(misc); b != nil {
		t.Error("the unedited file was not removed")
	}
	if b, _ := p.read(ip); b == nil {
		t.Error("the edited file was removed")
	}
}

func TestGenerateDoesNotOverwriteForeignFiles(t *testing.T) {
	p := testModule(t)
	const mine = "internal/auth/mine.go"
	if err := os.WriteFile(p.path(mine), []byte("package auth // mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v2 := withInputs(t, func(name, s string) string { return s })
	v2.(fstest.MapFS)["templates/package/core/mine.go.tmpl"] = &fstest.MapFile{Data: []byte("package {{.Package}} // theirs\n")}
	before := treeDigest(t, p.Root)
	plan, err := p.PlanGeneration(context.Background(), v2, mustConfig(t, p), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := plan.change(mine); c.Action != Blocked || len(plan.Problems()) != 1 {
		t.Errorf("foreign file: %v", c.Action)
	}
	// Nothing of the plan is applied: the rest would be a package without the new file.
	if err := plan.Apply(); err == nil || treeDigest(t, p.Root) != before {
		t.Errorf("a blocked plan was applied: %v", err)
	}
	if got := p.mustRead(t, mine); got != "package auth // mine\n" {
		t.Errorf("the user's file became %q", got)
	}
}

// change is the plan's change of a path, or the zero Change.
func (p Plan) change(path string) Change {
	for _, c := range p.Changes {
		if c.Path == path {
			return c
		}
	}
	return Change{}
}

func mustConfig(t *testing.T, p Project) Options {
	t.Helper()
	opts, err := p.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	return opts
}

// treeDigest is every file's path and content under root, for before/after comparisons.
func treeDigest(t *testing.T, root string) string {
	t.Helper()
	var b bytes.Buffer
	err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := os.ReadFile(name)
		b.WriteString(name + "\n" + string(content) + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestDiffShowsPlannedChanges(t *testing.T) {
	p := testModule(t)
	v2 := signUpTemplateChange(t, "// audit log entry.", "// audit log entry. Template v2.")
	plan, err := p.PlanGeneration(context.Background(), v2, mustConfig(t, p), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before := treeDigest(t, p.Root)
	diff := plan.Diff()
	if !strings.Contains(diff, "--- a/"+signUp) || !strings.Contains(diff, "+// audit log entry. Template v2.") {
		t.Errorf("diff:\n%s", diff)
	}
	if treeDigest(t, p.Root) != before {
		t.Error("planning wrote files")
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if initialised.dir != "" {
		os.RemoveAll(initialised.dir)
	}
	os.Exit(code)
}
