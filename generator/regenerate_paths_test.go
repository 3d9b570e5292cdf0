package generator

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	kernia "github.com/kernia/kernia-gen"
)

// Each test below is one path by which a regeneration used to lose an edit or call a broken
// tree up to date. The promise: every edit is kept or surfaces as a problem listed by path,
// and a tree that does not match what kernia.yaml generates never passes Check.

// plan plans a generation without applying it.
func plan(t *testing.T, p Project, inputs fs.FS, po PlanOptions) Plan {
	t.Helper()
	pl, err := p.PlanGeneration(context.Background(), inputs, mustConfig(t, p), po)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

// v2Inputs are kernia-gen's inputs with edit applied to every template, as a new version.
func v2Inputs(t *testing.T, edit func(name, content string) string) fstest.MapFS {
	return withInputs(t, edit).(fstest.MapFS)
}

func sameInputs(t *testing.T) fstest.MapFS { return v2Inputs(t, func(_, s string) string { return s }) }

const (
	ipFile   = "internal/auth/ip.go"
	miscFile = "internal/auth/handle_misc.go"
)

// 1. A file that a new version generates rather than scaffolds, which the user edited while
// it was theirs, is not overwritten: the run stops on it until the edits have moved.
func TestClassChangeKeepsEdits(t *testing.T) {
	p := testModule(t)
	p.mustEdit(t, ipFile, "package auth", "package auth // my edit")
	v2 := v2Inputs(t, func(name, s string) string {
		if strings.HasSuffix(name, "/ip.go.tmpl") {
			return generatedHeader + "\n\n" + s
		}
		return s
	})
	pl := plan(t, p, v2, PlanOptions{})
	if c := pl.change(ipFile); c.Action != Blocked || !strings.Contains(c.Note, "now generates") {
		t.Fatalf("%s: %v %q, want blocked", ipFile, c.Action, c.Note)
	}
	if err := pl.Apply(); err == nil {
		t.Fatal("a blocked plan was applied")
	}
	if !strings.Contains(p.mustRead(t, ipFile), "// my edit") {
		t.Fatal("the edit is gone")
	}
	// Once the user has moved the edit out and deleted the file, the generated file comes.
	os.Remove(p.path(ipFile))
	if _, actions := generate(t, p, v2, PlanOptions{}); actions[ipFile] != Created {
		t.Errorf("after the user deleted it: %v", actions[ipFile])
	}
	// A file that was never edited simply becomes generated.
	q := testModule(t)
	if _, actions := generate(t, q, v2, PlanOptions{}); actions[ipFile] != Updated {
		t.Errorf("unedited: %v", actions[ipFile])
	}
}

// 2. A save made between planning and writing is kept, and merged by the next run.
func TestSaveDuringGenerateIsKept(t *testing.T) {
	p := testModule(t)
	v2 := signUpTemplateChange(t, "// audit log entry.", "// audit log entry. Template v2.")
	pl := plan(t, p, v2, PlanOptions{})
	p.mustEdit(t, signUp, "package auth", "package auth // saved during the run")
	var changed *ChangedDuringRunError
	if err := pl.Apply(); !errors.As(err, &changed) || len(changed.Paths) != 1 || changed.Paths[0] != signUp {
		t.Fatalf("Apply: %v, want the save reported", err)
	}
	if !strings.Contains(p.mustRead(t, signUp), "// saved during the run") {
		t.Fatal("the save was overwritten")
	}
	_, actions := generate(t, p, v2, PlanOptions{})
	got := p.mustRead(t, signUp)
	if actions[signUp] != Merged || !strings.Contains(got, "// saved during the run") || !strings.Contains(got, "Template v2.") {
		t.Errorf("next run: %v\n%s", actions[signUp], got)
	}
}

// 2, 3. Two runs never overlap: the second waits for the first's lock.
func TestLockExcludesASecondRun(t *testing.T) {
	p := testModule(t)
	unlock, err := p.Lock(context.Background(), true, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := LockTimeout
	LockTimeout = 200 * time.Millisecond
	defer func() { LockTimeout = old }()
	waited := false
	if _, err := p.Lock(context.Background(), false, func() { waited = true }); err == nil || !waited {
		t.Fatalf("a reader got the lock while a writer held it: %v (waited %v)", err, waited)
	}
	unlock()
	unlock2, err := p.Lock(context.Background(), true, nil)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	unlock2()
}

// 4. A pristine copy rewritten by a tool is refused, not merged against.
func TestTamperedPristineCopyIsRefused(t *testing.T) {
	p := testModule(t)
	base := p.path(path.Join(BaseDir, signUp))
	b, _ := os.ReadFile(base)
	if err := os.WriteFile(base, bytes.ReplaceAll(b, []byte("normalizeEmail"), []byte("canonicalEmail")), 0o644); err != nil {
		t.Fatal(err)
	}
	var tampered *TamperedBaseError
	if _, err := p.PlanGeneration(context.Background(), kernia.Inputs, mustConfig(t, p), PlanOptions{}); !errors.As(err, &tampered) || !strings.Contains(err.Error(), signUp) {
		t.Fatalf("plan: %v, want the tampered copy named", err)
	}
	// A stray file in .kernia/base is not taken for a pristine copy.
	if err := os.WriteFile(base, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p.path(BaseDir+"/README.md"), []byte("notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p.path("README.md"), []byte("notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	generate(t, p, kernia.Inputs, PlanOptions{})
	if _, err := os.Stat(p.path("README.md")); err != nil {
		t.Errorf("a stray file in .kernia/base cost the user's README.md: %v", err)
	}
}

// 5. add and remove edit kernia.yaml: comments, blank lines and CRLF stay.
func TestEditConfigKeepsComments(t *testing.T) {
	p := testModule(t)
	yaml := p.mustRead(t, ConfigFile)
	yaml = strings.Replace(yaml, "plugins:\n  - core\n", "plugins:\n  # always on\n  - core # the core\n\n# my note about the server\n", 1)
	yaml = strings.ReplaceAll(yaml, "\n", "\r\n")
	if err := os.WriteFile(p.path(ConfigFile), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	step := func(edit func(Options) (Options, error)) string {
		t.Helper()
		opts, err := edit(mustConfig(t, p))
		if err != nil {
			t.Fatal(err)
		}
		out, err := p.EditConfig(opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.WriteConfig(out); err != nil {
			t.Fatal(err)
		}
		if got := mustConfig(t, p); !samePlugins(got, opts) {
			t.Fatalf("kernia.yaml reads %v %v, want %v %v", got.Plugins, got.PluginOptions, opts.Plugins, opts.PluginOptions)
		}
		return string(out)
	}
	keep := []string{"  # always on\r\n  - core # the core\r\n", "\r\n# my note about the server\r\n", "# Also emit cmd/server/main.go"}
	step(func(o Options) (Options, error) { return o.WithPlugin("bearer", nil) })
	step(func(o Options) (Options, error) { return o.WithPlugin("multi-session", []string{"maximumSessions=3"}) })
	step(func(o Options) (Options, error) { return o.WithPlugin("bearer", []string{"requireSignature=true"}) })
	step(func(o Options) (Options, error) { return o.WithPlugin("social", []string{"providers=github"}) })
	got := step(func(o Options) (Options, error) { return o.WithPlugin("social", []string{"providers=google,github"}) })
	for _, want := range append(keep, "  - bearer:\r\n      requireSignature: true #", "      maximumSessions: 3 #", "  - social:\r\n      providers: [google, github] #") {
		if !strings.Contains(got, want) {
			t.Errorf("after add, kernia.yaml lacks %q:\n%s", want, got)
		}
	}
	got = step(func(o Options) (Options, error) { return o.WithoutPlugin("bearer") })
	got = step(func(o Options) (Options, error) { return o.WithoutPlugin("social") })
	for _, want := range keep {
		if !strings.Contains(got, want) {
			t.Errorf("after remove, kernia.yaml lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "bearer") || strings.Contains(got, "social") || strings.Count(got, "\n") != strings.Count(got, "\r\n") {
		t.Errorf("after remove:\n%s", got)
	}
}

// 6. A run interrupted after some of its files is completed by the next command: kernia.yaml,
// the remaining files and the pristine copies.
func TestInterruptedRunIsCompleted(t *testing.T) {
	p := testModule(t)
	opts, err := mustConfig(t, p).WithPlugin("bearer", nil)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := p.PlanGeneration(context.Background(), kernia.Inputs, opts, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	config, _ := p.EditConfig(opts)
	pl.SetConfig(config)
	if err := pl.writeJournal(); err != nil {
		t.Fatal(err)
	}
	// The run wrote one new file of the plugin, then died.
	for _, c := range pl.Changes {
		if c.Action == Created {
			if err := p.writeFile(c); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if !p.Interrupted() {
		t.Fatal("the journal is not seen")
	}
	done, err := p.Recover()
	if err != nil || done == nil {
		t.Fatalf("Recover: %v", err)
	}
	if p.Interrupted() || !mustConfig(t, p).pluginEnabled("bearer") {
		t.Fatal("the run was not completed")
	}
	if problems, _ := plan(t, p, sameInputs(t), PlanOptions{}).Check(); len(problems) > 0 {
		t.Errorf("after recovery: %v", problems)
	}
}

// 7. A package moved without telling kernia.yaml is not half regenerated in its old place;
// once dir: names the new folder, the records follow it.
func TestMovedPackage(t *testing.T) {
	p := testModule(t)
	p.mustEdit(t, signUp, "package auth", "package auth // mine")
	if err := os.MkdirAll(p.path("pkg"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p.path("internal/auth"), p.path("pkg/auth")); err != nil {
		t.Fatal(err)
	}
	var moved *MovedPackageError
	if _, err := p.PlanGeneration(context.Background(), kernia.Inputs, mustConfig(t, p), PlanOptions{}); !errors.As(err, &moved) {
		t.Fatalf("plan: %v, want the move named", err)
	}
	yaml := strings.Replace(p.mustRead(t, ConfigFile), "dir: internal/auth", "dir: pkg/auth", 1)
	if err := os.WriteFile(p.path(ConfigFile), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	pl, actions := generate(t, p, kernia.Inputs, PlanOptions{})
	// The package's import path changed with it, so files that import its store are merged.
	if len(pl.Problems()) > 0 || actions["pkg/auth/handle_sign_up.go"] != Merged {
		t.Fatalf("after dir: changed: %v, sign-up %v", pl.Problems(), actions["pkg/auth/handle_sign_up.go"])
	}
	if !strings.Contains(p.mustRead(t, "pkg/auth/handle_sign_up.go"), "// mine") {
		t.Error("the edit is gone")
	}
	if _, err := os.Stat(p.path("internal/auth")); err == nil {
		t.Error("the old folder was written again")
	}
}

// 8. A new migration never takes a goose version that a migration of the user's has.
func TestMigrationVersionCollision(t *testing.T) {
	p := testModule(t)
	mine := "internal/auth/migrations/00003_my_table.sql"
	if err := os.WriteFile(p.path(mine), []byte("-- +goose Up\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v2 := sameInputs(t)
	v2["migrations/core/00003_new_in_v2.sql"] = &fstest.MapFile{Data: []byte("-- +goose Up\nselect 1;\n")}
	pl := plan(t, p, v2, PlanOptions{})
	c := pl.change("internal/auth/migrations/00003_new_in_v2.sql")
	if c.Action != Blocked || !strings.Contains(c.Note, mine) {
		t.Fatalf("new migration: %v %q, want blocked naming %s", c.Action, c.Note, mine)
	}
}

// 9. A removed plugin's edited file stays known: check names it, and adding the plugin again
// merges into it rather than calling it foreign.
func TestRemovedPluginsEditedFileStaysKnown(t *testing.T) {
	p := testModule(t)
	v2 := v2Inputs(t, func(name, s string) string {
		if strings.HasSuffix(name, "/ip.go.tmpl") {
			return ""
		}
		return s
	})
	p.mustEdit(t, ipFile, "package auth", "package auth // edited")
	if _, actions := generate(t, p, v2, PlanOptions{}); actions[ipFile] != KeptEdited {
		t.Fatalf("%v, want kept", actions[ipFile])
	}
	problems, _ := plan(t, p, v2, PlanOptions{}).Check()
	if !strings.Contains(strings.Join(problems, "\n"), ipFile+": no longer generated") {
		t.Errorf("check after the removal: %v", problems)
	}
	if _, actions := generate(t, p, kernia.Inputs, PlanOptions{}); actions[ipFile] != Unchanged {
		t.Errorf("generated again: %v, want unchanged (your edits kept)", actions[ipFile])
	}
}

// 10. Every labelled marker counts, half-resolved conflicts included; marker-like text of the
// user's does not.
func TestConflictMarkerKinds(t *testing.T) {
	const f = "internal/auth/x.go"
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"a\n<<<<<<< " + f + " (yours)\nb\n", true},
		{"a\n||||||| " + f + " (last generated)\nb\n=======\nc\n", true},
		{"a\n>>>>>>> " + f + " (kernia-gen v2)\r\n", true},
		{"var s = `\n<<<<<<< ours\n=======\n>>>>>>> theirs\n`\n", false},
		{"=======\n", false},
	} {
		if got := conflictMarkers(f, []byte(tc.text)); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.text, got, tc.want)
		}
	}
}

// 12. A conflict undone with git restore comes back; one resolved by hand advances the base.
func TestUndoneConflictComesBack(t *testing.T) {
	p := testModule(t)
	const mine = "return SignUpResponse{}, nil, ErrSignUpDisabled // mine"
	p.mustEdit(t, signUp, "return SignUpResponse{}, nil, ErrSignUpDisabled", mine)
	yours := p.mustRead(t, signUp)
	v2 := signUpTemplateChange(t, "return SignUpResponse{}, nil, ErrSignUpDisabled", "return SignUpResponse{}, nil, ErrSignUpDisabled // theirs")
	if _, actions := generate(t, p, v2, PlanOptions{}); actions[signUp] != Conflicted {
		t.Fatalf("%v, want a conflict", actions[signUp])
	}
	// git restore: the file as it was before the merge.
	if err := os.WriteFile(p.path(signUp), []byte(yours), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, actions := generate(t, p, v2, PlanOptions{}); actions[signUp] != Conflicted {
		t.Fatalf("after undoing the merge: %v, want the conflict again", actions[signUp])
	}
	// Resolved by hand, keeping theirs and a line of the user's.
	resolved := strings.Replace(yours, mine, "return SignUpResponse{}, nil, ErrSignUpDisabled // theirs, and mine", 1)
	if err := os.WriteFile(p.path(signUp), []byte(resolved), 0o644); err != nil {
		t.Fatal(err)
	}
	pl, actions := generate(t, p, v2, PlanOptions{})
	if actions[signUp] != Unchanged && actions[signUp] != Merged || len(pl.Problems()) > 0 {
		t.Fatalf("after resolving: %v %v", actions[signUp], pl.Problems())
	}
	if problems, _ := plan(t, p, v2, PlanOptions{}).Check(); len(problems) > 0 {
		t.Errorf("check: %v", problems)
	}
	if _, err := os.Stat(p.path(pendingDir + "/" + signUp)); err == nil {
		t.Error("the pending side outlived the conflict")
	}
}

// 13. A change to a file the user deleted is reported, and diff shows it.
func TestChangeToDeletedFileIsReported(t *testing.T) {
	p := testModule(t)
	os.Remove(p.path(signUp))
	v2 := signUpTemplateChange(t, "// audit log entry.", "// audit log entry. Template v2.")
	pl := plan(t, p, v2, PlanOptions{})
	if c := pl.change(signUp); c.Action != LeftDeleted || !strings.Contains(c.Note, "changed it since") {
		t.Errorf("%v %q", c.Action, c.Note)
	}
	if d := pl.Diff(); !strings.Contains(d, "you deleted this file") || !strings.Contains(d, "+// audit log entry. Template v2.") {
		t.Errorf("diff:\n%s", d)
	}
}

// 14. A clone without .kernia/ names the cause, and rewrites kernia-gen's own generated files.
func TestCloneWithoutKerniaFolder(t *testing.T) {
	p := testModule(t)
	p.mustEdit(t, signUp, "package auth", "package auth // mine")
	if err := os.RemoveAll(p.path(".kernia")); err != nil {
		t.Fatal(err)
	}
	v2 := v2Inputs(t, func(name, s string) string {
		return strings.Replace(s, "// audit log entry.", "// audit log entry. Template v2.", 1)
	})
	pl := plan(t, p, v2, PlanOptions{})
	if c := pl.change(signUp); c.Action != Blocked || !strings.Contains(c.Note, ".kernia/ is missing") {
		t.Errorf("%v %q", c.Action, c.Note)
	}
	for _, c := range pl.Changes {
		if c.Class == Generated && c.Action == Blocked {
			t.Errorf("generated file %s blocked", c.Path)
		}
	}
}

// 15. init after kernia.yaml is lost refuses, and deletes nothing.
func TestInitAfterConfigLost(t *testing.T) {
	p := testModule(t)
	os.Remove(p.path(ConfigFile))
	before := treeDigest(t, p.Root)
	if _, err := Init(context.Background(), kernia.Inputs, p, Options{}); err == nil || !strings.Contains(err.Error(), "restore kernia.yaml") {
		t.Fatalf("init: %v", err)
	}
	if treeDigest(t, p.Root) != before {
		t.Error("init changed the tree")
	}
}

// 17. A Windows checkout (every line CRLF, pristine copies too) is not an edit.
func TestWindowsLineEndings(t *testing.T) {
	p := testModule(t)
	err := filepath.WalkDir(p.Root, func(name string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, "manifest") {
			return err
		}
		b, _ := os.ReadFile(name)
		return os.WriteFile(name, bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if problems, err := plan(t, p, sameInputs(t), PlanOptions{}).Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check on a CRLF checkout: %v %v", err, problems)
	}
	p.mustEdit(t, signUp, "package auth\r\n", "package auth // mine\r\n")
	v2 := signUpTemplateChange(t, "// audit log entry.", "// audit log entry. Template v2.")
	_, actions := generate(t, p, v2, PlanOptions{})
	got := p.mustRead(t, signUp)
	if actions[signUp] != Merged || !strings.Contains(got, "// mine") || !strings.Contains(got, "Template v2.") || conflictMarkers(signUp, []byte(got)) {
		t.Errorf("%v\n%s", actions[signUp], got)
	}
}

// 18. Smaller paths: duplicate settings, file modes, symbolic links, temporary files.
func TestDuplicateSettingRefused(t *testing.T) {
	if _, err := parseConfig([]byte("dir: internal/auth\npackage: auth\ndir: elsewhere\n")); err == nil || !strings.Contains(err.Error(), "3: dir is set twice (also on line 1)") {
		t.Errorf("%v", err)
	}
}

func TestRewriteKeepsModeAndSymlink(t *testing.T) {
	p := testModule(t)
	if err := os.Chmod(p.path(miscFile), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p.path(signUp), p.path("internal/auth/sign_up.real")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sign_up.real", p.path(signUp)); err != nil {
		t.Fatal(err)
	}
	v2 := v2Inputs(t, func(name, s string) string {
		if strings.HasSuffix(name, "handle_misc.go.tmpl") || strings.HasSuffix(name, "handle_sign_up.go.tmpl") {
			return s + "\n// v2\n"
		}
		return s
	})
	generate(t, p, v2, PlanOptions{})
	if info, err := os.Stat(p.path(miscFile)); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode: %v %v", info.Mode(), err)
	}
	if info, err := os.Lstat(p.path(signUp)); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symbolic link was replaced: %v", err)
	}
	if !strings.Contains(p.mustRead(t, "internal/auth/sign_up.real"), "// v2") {
		t.Error("the link's target did not get the change")
	}
}

func TestRemoveTempFiles(t *testing.T) {
	p := testModule(t)
	stale := p.path("internal/auth/.handle_sign_up.go.kernia-123")
	if err := os.WriteFile(stale, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.RemoveTempFiles("internal/auth"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the temporary file is still there")
	}
}

// 18. --restore does not bring back a file the user renamed.
func TestRestoreSkipsRenamedFiles(t *testing.T) {
	p := testModule(t)
	if err := os.Rename(p.path(miscFile), p.path("internal/auth/misc_handlers.go")); err != nil {
		t.Fatal(err)
	}
	os.Remove(p.path(ipFile))
	pl := plan(t, p, sameInputs(t), PlanOptions{Restore: true})
	if c := pl.change(miscFile); c.Action != Blocked || !strings.Contains(c.Note, "misc_handlers.go") {
		t.Errorf("renamed: %v %q", c.Action, c.Note)
	}
	if c := pl.change(ipFile); c.Action != Created {
		t.Errorf("deleted: %v", c.Action)
	}
}

// A generate that changes nothing touches no file, not even its time.
func TestGenerateTwiceTouchesNothing(t *testing.T) {
	p := testModule(t)
	generate(t, p, kernia.Inputs, PlanOptions{})
	times := map[string]time.Time{}
	_ = filepath.WalkDir(p.Root, func(name string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			info, _ := d.Info()
			times[name] = info.ModTime()
		}
		return err
	})
	time.Sleep(10 * time.Millisecond)
	generate(t, p, kernia.Inputs, PlanOptions{})
	_ = filepath.WalkDir(p.Root, func(name string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, _ := d.Info(); !info.ModTime().Equal(times[name]) {
				t.Errorf("%s was touched", name)
			}
		}
		return err
	})
}
