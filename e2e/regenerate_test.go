package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kernia/kernia-gen/generator"
)

// The regeneration matrix: every kind of user edit, against every kind of regeneration,
// through the real CLI (with --no-build: the matrix builds and vets each result itself;
// TestRegenerationPaths runs the commands with their build check). After each, the edit is
// kept (or reported as a conflict with a non-zero exit); when there is no conflict the module
// builds, check is clean, and a second generate changes no byte. go vet and staticcheck run
// once per operation (with the handler edit), since together they cost several times a build.

const signUpFile = "internal/auth/handle_sign_up.go"

// hooksFile holds the database hooks, scaffolded for the user to fill in.
const hooksFile = "internal/auth/database_hooks.go"

// resetMailFile is a mail template: copied verbatim, scaffolded like a handler.
const resetMailFile = "internal/auth/mail/reset-password.txt"

// edit is a user's change to a freshly generated module, and how to see that it survived.
type edit struct {
	name  string
	apply func(t *testing.T, dir string)
	kept  func(dir string) bool
}

// operation is a regeneration, with the conflicting edit that goes with it.
type operation struct {
	name     string
	base     string   // "core", a plugin's name or "fields": the module it starts from
	env      []string // for every kernia-gen command after it, e.g. the inputs of a new version
	run      func(dir string) *exec.Cmd
	conflict edit
	// conflictExit is the exit code after the conflicting edit: 3 where the user must act.
	conflictExit int
	// only names the edits the operation is tried with; none means every edit.
	only []string
}

// schemaEdits are the edits the schema changes and the plugins that reach into the core are
// tried with: the ones in files whose types the changes reach (the store's User, and the
// sign-up handler that fills it). bearer and multi-session are tried with every edit.
var schemaEdits = []string{"edit inside a handler body", "an edit to a database hook"}

// pluginCase is a plugin's add and remove in the matrix, each with the edit that conflicts
// with it: a file of the user's where add writes the plugin's, and an edit to a scaffolded file
// of the plugin that remove keeps (and says so) rather than deleting it.
type pluginCase struct {
	plugin string
	// addsFile is a file of the plugin, in internal/auth, that the user already has.
	addsFile string
	// keptFile is a scaffolded file of the plugin; keptOld is replaced with keptNew in it, or,
	// when keptOld is empty, keptNew is appended. A plugin without scaffolded files has none,
	// and its remove no conflict.
	keptFile, keptOld, keptNew string
	// only are the edits add and remove are tried with besides their conflicts.
	only []string
}

// handlerEdit is the edit every plugin's add and remove are tried with: the one in the
// handlers, where plugins plug into the core.
var handlerEdit = []string{"edit inside a handler body"}

// pluginCases has every plugin kernia-gen knows (TestRegenerationMatrix fails on one missing).
// bearer is tried with every edit; the plugins that add fields to the user with the edits in
// files those types reach (schemaEdits); the others with the handler edit.
var pluginCases = []pluginCase{
	{plugin: "bearer", addsFile: "bearer.go", keptFile: "bearer.go", keptNew: "\n// Kept for later.\n"},
	{plugin: "multi-session", addsFile: "multi_session.go", keptFile: "multi_session.go", keptNew: "\n// Kept for later.\n", only: handlerEdit},
	{plugin: "username", addsFile: "username.go", keptFile: "username_rules.go", keptOld: "return true\n}", keptNew: "return display != \"admin\"\n}", only: schemaEdits},
	{plugin: "social", addsFile: "social.go", keptFile: "social_github.go", keptNew: "\n// Kept for later.\n", only: handlerEdit},
	{plugin: "two-factor", addsFile: "two_factor.go", keptFile: "mail/two-factor-otp.txt", keptOld: "Subject: Your sign-in code\n", keptNew: "Subject: Your Example sign-in code\n", only: schemaEdits},
	{plugin: "passkey", addsFile: "passkey.go", only: handlerEdit},
}

// pluginOperations are the add and remove of every plugin, from pluginCases.
func pluginOperations(t *testing.T) []operation {
	var ops []operation
	for _, name := range generator.KnownPlugins {
		if name != "core" && !slices.ContainsFunc(pluginCases, func(c pluginCase) bool { return c.plugin == name }) {
			t.Errorf("plugin %s has no case in the regeneration matrix (pluginCases)", name)
		}
	}
	for _, c := range pluginCases {
		added := "internal/auth/" + c.addsFile
		ops = append(ops, operation{name: "add " + c.plugin, base: "core", only: c.only,
			run:          pluginCommand("add", c.plugin),
			conflict:     edit{"a file of the user's where the plugin writes", appendTo(added, "package auth\n\n// Mine is the user's.\nconst Mine = 1\n"), contains(added, "const Mine = 1")},
			conflictExit: 3})
		remove := operation{name: "remove " + c.plugin, base: c.plugin, only: c.only, run: pluginCommand("remove", c.plugin)}
		if c.keptFile != "" {
			kept := "internal/auth/" + c.keptFile
			keep := appendTo(kept, c.keptNew)
			if c.keptOld != "" {
				keep = replaceIn(kept, c.keptOld, c.keptNew)
			}
			remove.conflict = edit{"an edit to the removed plugin's file", keep, contains(kept, strings.TrimSpace(c.keptNew))}
			remove.conflictExit = 3
		}
		ops = append(ops, remove)
	}
	return ops
}

// pluginCommand runs kernia-gen add or remove of a plugin.
func pluginCommand(verb, plugin string) func(dir string) *exec.Cmd {
	return func(dir string) *exec.Cmd { return command(dir, app.kerniaGen, verb, plugin, "--no-build") }
}

// setSchema appends schema settings to kernia.yaml and runs generate.
func setSchema(yaml string) func(dir string) *exec.Cmd {
	return changeSchema("", yaml)
}

// changeSchema replaces old with new in kernia.yaml (appends new when old is "") and runs
// generate. A kernia.yaml without old makes the command fail.
func changeSchema(old, new string) func(dir string) *exec.Cmd {
	return func(dir string) *exec.Cmd {
		name := filepath.Join(dir, "kernia.yaml")
		s := read(dir, "kernia.yaml")
		if old != "" && !strings.Contains(s, old) {
			return exec.Command("sh", "-c", "echo kernia.yaml lacks the schema settings to change; exit 1")
		}
		if old == "" {
			s += new
		} else {
			s = strings.Replace(s, old, new, 1)
		}
		if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
			return exec.Command("sh", "-c", "echo cannot write kernia.yaml; exit 1")
		}
		return command(dir, app.kerniaGen, "generate", "--no-build")
	}
}

// Schema settings the matrix changes kernia.yaml with.
const (
	planField     = "\nuser:\n  additionalFields:\n    plan: {type: string, required: false, defaultValue: free}\n"
	twoFields     = "\nuser:\n  additionalFields:\n    plan: {type: string, required: false, defaultValue: free}\n    seats: {type: number, required: false}\n"
	renamedTables = "\nuser:\n  modelName: users\nsession:\n  modelName: sessions\n"
)

func TestRegenerationMatrix(t *testing.T) {
	needApp(t)
	bases := regenerationBases(t)
	inputsV2 := templateChange(t)

	edits := []edit{
		{"edit inside a handler body",
			replaceIn(signUpFile, "\temail := normalizeEmail(req.Email)\n", "\temail := normalizeEmail(req.Email)\n\tif email == \"blocked@example.com\" { // allow-list\n\t\treturn SignUpResponse{}, nil, ErrSignUpDisabled\n\t}\n"),
			contains(signUpFile, "// allow-list")},
		{"a new function in a scaffolded file",
			appendTo("internal/auth/config.go", "\n// AllowedDomain reports whether sign-up accepts the address's domain.\nfunc AllowedDomain(email string) bool { return !strings.HasSuffix(email, \"@blocked.example\") }\n"),
			contains("internal/auth/config.go", "func AllowedDomain")},
		{"a deleted scaffolded file",
			func(t *testing.T, dir string) { must(t, os.Remove(filepath.Join(dir, "internal/auth/signin_test.go"))) },
			func(dir string) bool {
				_, err := os.Stat(filepath.Join(dir, "internal/auth/signin_test.go"))
				return os.IsNotExist(err)
			}},
		{"an edit to a database hook",
			replaceIn(hooksFile, "func (a *Auth) beforeCreateUser(ctx context.Context, u *store.User) error {\n\treturn nil\n}", "func (a *Auth) beforeCreateUser(ctx context.Context, u *store.User) error {\n\tif u.Email == \"blocked@example.com\" { // refuse-address\n\t\treturn ErrRefused\n\t}\n\treturn nil\n}"),
			contains(hooksFile, "// refuse-address")},
		{"an edit to a mail template",
			replaceIn(resetMailFile, "Subject: Reset your password\n", "Subject: Reset your Example password\n"),
			contains(resetMailFile, "Subject: Reset your Example password\n")},
		{"an edit to a generated file",
			appendTo("internal/auth/store/db.go", "\n// edited by hand\n"),
			func(dir string) bool {
				return !strings.Contains(read(dir, "internal/auth/store/db.go"), "edited by hand")
			}},
	}
	ops := pluginOperations(t)
	ops = append(ops, []operation{
		{name: "change an option", base: "bearer",
			run: func(dir string) *exec.Cmd {
				return command(dir, app.kerniaGen, "add", "bearer", "--option", "requireSignature=true", "--no-build")
			},
			conflict: edit{"an edit to the file the option regenerates", appendTo("internal/auth/plugins.go", "\n// edited by hand\n"), func(dir string) bool {
				return !strings.Contains(read(dir, "internal/auth/plugins.go"), "edited by hand")
			}},
			conflictExit: 0},
		{name: "a template change between versions", base: "core", env: []string{"KERNIA_GEN_INPUTS=" + inputsV2},
			run:          func(dir string) *exec.Cmd { return command(dir, app.kerniaGen, "generate", "--no-build") },
			conflict:     edit{"an edit to the lines the template changes", replaceIn(signUpFile, "return SignUpResponse{}, nil, ErrSignUpDisabled\n\t}\n\tif err := a.checkPasswordLength", "return SignUpResponse{}, nil, ErrSignUpDisabled // mine\n\t}\n\tif err := a.checkPasswordLength"), contains(signUpFile, "<<<<<<< "+signUpFile+" (yours)")},
			conflictExit: 3},
		{name: "add a field", base: "core", only: schemaEdits, run: setSchema(planField),
			conflict: edit{"an edit to the generated models", appendTo("internal/auth/model_json.go", "\n// edited by hand\n"), func(dir string) bool {
				return !strings.Contains(read(dir, "internal/auth/model_json.go"), "edited by hand")
			}}},
		{name: "remove a field", base: "fields", only: schemaEdits,
			run:      changeSchema(planField, "\n"),
			conflict: edit{"an edit to the migration that added it", appendTo("internal/auth/migrations/10001_schema_changes.sql", "-- mine\n"), contains("internal/auth/migrations/10001_schema_changes.sql", "-- mine")}},
		{name: "add a second field", base: "fields", only: schemaEdits,
			run:      changeSchema(planField, twoFields),
			conflict: edit{"an edit to the migration of the first", appendTo("internal/auth/migrations/10001_schema_changes.sql", "-- mine\n"), contains("internal/auth/migrations/10001_schema_changes.sql", "-- mine")}},
		{name: "rename tables", base: "core", only: schemaEdits, run: setSchema(renamedTables),
			conflict: edit{"an edit to the first migration", appendTo("internal/auth/migrations/00001_better_auth_core.sql", "-- mine\n"), contains("internal/auth/migrations/00001_better_auth_core.sql", "-- mine")}},
	}...)

	var heavy sync.Mutex // build, vet and staticcheck one module at a time: two cores
	for _, op := range ops {
		cases := edits
		if op.conflict.name != "" {
			cases = append(slices.Clip(edits), op.conflict)
		}
		for _, e := range cases {
			if len(op.only) > 0 && !slices.Contains(op.only, e.name) && e.name != op.conflict.name {
				continue
			}
			t.Run(op.name+"/"+e.name, func(t *testing.T) {
				t.Parallel()
				dir := filepath.Join(t.TempDir(), "app")
				copyTree(t, bases[op.base], dir)
				e.apply(t, dir)
				migrations := migrationFiles(t, dir)
				cmd := op.run(dir)
				cmd.Env = append(cmd.Env, op.env...)
				out, err := cmd.CombinedOutput()
				wantExit := 0
				if e.name == op.conflict.name {
					wantExit = op.conflictExit
				}
				if code := exitCode(err); code != wantExit {
					t.Fatalf("%s: exit %d, want %d\n%s", op.name, code, wantExit, out)
				}
				if !e.kept(dir) {
					t.Fatalf("the edit did not survive as expected\n%s", out)
				}
				// Migrations are only ever added: every one there before is there, unchanged.
				after := migrationFiles(t, dir)
				for name, content := range migrations {
					if after[name] != content {
						t.Errorf("migration %s changed or went away", name)
					}
				}
				if wantExit != 0 {
					if !strings.Contains(string(out), "needs you:") {
						t.Errorf("the conflict is not listed:\n%s", out)
					}
					return
				}
				heavy.Lock()
				defer heavy.Unlock()
				checks := [][]string{{"go", "build", "./..."}, {app.kerniaGen, "check"}}
				// go vet and staticcheck, which cost more than the build, once per operation:
				// with the handler edit, which every operation is tried with.
				if e.name == handlerEdit[0] {
					checks = append(checks, []string{"go", "vet", "./..."}, []string{app.staticheck, "./..."})
				}
				for _, args := range checks {
					cmd := command(dir, args...)
					cmd.Env = append(cmd.Env, op.env...)
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
					}
				}
				before := snapshot(t, dir)
				again := command(dir, app.kerniaGen, "generate")
				again.Env = append(again.Env, op.env...)
				if out, err := again.CombinedOutput(); err != nil || snapshot(t, dir) != before {
					t.Errorf("a second generate changed the tree (%v):\n%s", err, out)
				}
			})
		}
	}
}

// regenerationBases initialises the starting modules once: core alone, core with each plugin,
// and with an additional field. go mod tidy runs once;
// the plugins' modules are added to go.mod by kernia-gen and their checksums by the go commands
// (GOFLAGS=-mod=mod).
func regenerationBases(t *testing.T) map[string]string {
	t.Helper()
	root := t.TempDir()
	core := filepath.Join(root, "core")
	copyTree(t, app.dir, core)
	// app.dir was initialised with --server; reuse it as it is, with its go.sum.
	bases := map[string]string{"core": core}
	for _, c := range pluginCases {
		dir := filepath.Join(root, c.plugin)
		copyTree(t, core, dir)
		if out, err := command(dir, app.kerniaGen, "add", c.plugin, "--no-build").CombinedOutput(); err != nil {
			t.Fatalf("add %s: %v\n%s", c.plugin, err, out)
		}
		bases[c.plugin] = dir
	}
	fields := filepath.Join(root, "fields")
	copyTree(t, core, fields)
	if out, err := setSchema(planField)(fields).CombinedOutput(); err != nil {
		t.Fatalf("add a field: %v\n%s", err, out)
	}
	bases["fields"] = fields
	return bases
}

// migrationFiles returns the emitted migrations' contents by file name.
func migrationFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "internal/auth/migrations"))
	must(t, err)
	files := map[string]string{}
	for _, e := range entries {
		files[e.Name()] = read(dir, "internal/auth/migrations/"+e.Name())
	}
	return files
}

// templateChange is a copy of the generation inputs whose sign-up template differs, as a
// later kernia-gen version's would: a new comment, and a changed line; and whose password
// reset mail has another last line.
func templateChange(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "inputs")
	must(t, os.MkdirAll(dir, 0o755))
	for _, name := range []string{"openapi", "sqlc.yaml", "queries", "migrations", "templates"} {
		copyTree(t, filepath.Join("..", name), filepath.Join(dir, name))
	}
	tmpl := filepath.Join(dir, "templates/package/core/handle_sign_up.go.tmpl")
	b, err := os.ReadFile(tmpl)
	must(t, err)
	s := strings.Replace(string(b), "// audit log entry.", "// audit log entry. (Changed in v2.)", 1)
	s = strings.Replace(s, "return SignUpResponse{}, nil, ErrSignUpDisabled\n\t}\n\tif err := a.checkPasswordLength", "return SignUpResponse{}, nil, ErrSignUpDisabled // v2\n\t}\n\tif err := a.checkPasswordLength", 1)
	must(t, os.WriteFile(tmpl, []byte(s), 0o644))
	mail := filepath.Join(dir, "templates/package/core/mail/reset-password.txt")
	b, err = os.ReadFile(mail)
	must(t, err)
	if !strings.Contains(string(b), "your password stays as it is.") {
		t.Fatalf("%s lacks its last line", mail)
	}
	must(t, os.WriteFile(mail, []byte(strings.Replace(string(b), "your password stays as it is.", "your password stays as it is. (Changed in v2.)", 1)), 0o644))
	return dir
}

func replaceIn(file, old, new string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		s := read(dir, file)
		if !strings.Contains(s, old) {
			t.Fatalf("%s lacks %q", file, old)
		}
		must(t, os.WriteFile(filepath.Join(dir, file), []byte(strings.Replace(s, old, new, 1)), 0o644))
	}
}

func appendTo(file, text string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		must(t, os.WriteFile(filepath.Join(dir, file), []byte(read(dir, file)+text), 0o644))
	}
}

func contains(file, text string) func(string) bool {
	return func(dir string) bool { return strings.Contains(read(dir, file), text) }
}

func read(dir, file string) string {
	b, _ := os.ReadFile(filepath.Join(dir, file))
	return string(b)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode()
	}
	return -1
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp -a %s %s: %v\n%s", src, dst, err, out)
	}
}
