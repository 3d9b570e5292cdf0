package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The paths around the merge by which an edit could be lost or a broken tree pass check,
// through the real CLI: concurrent commands, interrupted runs, tampered pristine copies,
// moved packages, Windows line endings and files that change class between versions. After
// each, the module either builds and passes check, or the command said what needs the user.
func TestRegenerationPaths(t *testing.T) {
	needApp(t)
	bases := regenerationBases(t)
	module := func(t *testing.T) string {
		dir := filepath.Join(t.TempDir(), "app")
		copyTree(t, bases["core"], dir)
		return dir
	}
	run := func(dir string, env []string, args ...string) (int, string) {
		cmd := command(dir, append([]string{app.kerniaGen}, args...)...)
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		return exitCode(err), string(out)
	}
	builds := func(t *testing.T, dir string) {
		t.Helper()
		for _, args := range [][]string{{"go", "build", "./..."}, {app.kerniaGen, "check"}} {
			if out, err := command(dir, args...).CombinedOutput(); err != nil {
				t.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
	}

	t.Run("two adds at once", func(t *testing.T) {
		t.Parallel()
		dir := module(t)
		var wg sync.WaitGroup
		codes := make([]int, 2)
		outs := make([]string, 2)
		for i, plugin := range []string{"bearer", "multi-session"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i], outs[i] = run(dir, nil, "add", plugin, "--no-build")
			}()
		}
		wg.Wait()
		if codes[0] != 0 || codes[1] != 0 {
			t.Fatalf("exit %v\n%s\n%s", codes, outs[0], outs[1])
		}
		yaml := read(dir, "kernia.yaml")
		if !strings.Contains(yaml, "- bearer") || !strings.Contains(yaml, "- multi-session") {
			t.Fatalf("a plugin is missing from kernia.yaml:\n%s", yaml)
		}
		builds(t, dir)
	})

	t.Run("add killed part way", func(t *testing.T) {
		t.Parallel()
		for _, after := range []time.Duration{150 * time.Millisecond, 300 * time.Millisecond, 500 * time.Millisecond, 800 * time.Millisecond} {
			dir := module(t)
			cmd := command(dir, app.kerniaGen, "add", "bearer", "--no-build")
			must(t, cmd.Start())
			time.Sleep(after)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			_ = cmd.Wait()
			if code, out := run(dir, nil, "generate"); code != 0 {
				t.Fatalf("killed after %v: generate exit %d\n%s", after, code, out)
			}
			builds(t, dir)
		}
	})

	t.Run("a tool rewrote the pristine copies", func(t *testing.T) {
		t.Parallel()
		dir := module(t)
		// sed over every file that names the function, as `sed -i ... $(git grep -l ...)` does.
		err := filepath.WalkDir(dir, func(name string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(name, ".go") {
				return err
			}
			b, err := os.ReadFile(name)
			if err == nil && bytes.Contains(b, []byte("normalizeEmail")) {
				err = os.WriteFile(name, bytes.ReplaceAll(b, []byte("normalizeEmail"), []byte("canonicalEmail")), 0o644)
			}
			return err
		})
		must(t, err)
		for _, args := range [][]string{{"generate"}, {"check"}} {
			if code, out := run(dir, nil, args...); code != 1 || !strings.Contains(out, "changed after kernia-gen wrote") {
				t.Errorf("%v: exit %d\n%s", args, code, out)
			}
		}
	})

	t.Run("package moved without telling kernia.yaml", func(t *testing.T) {
		t.Parallel()
		dir := module(t)
		must(t, os.MkdirAll(filepath.Join(dir, "pkg"), 0o755))
		must(t, os.Rename(filepath.Join(dir, "internal/auth"), filepath.Join(dir, "pkg/auth")))
		// The server imports the package by its path: the user moves that import too.
		replaceIn("cmd/server/main.go", "example.com/app/internal/auth", "example.com/app/pkg/auth")(t, dir)
		if code, out := run(dir, nil, "generate"); code != 1 || !strings.Contains(out, "set dir: in kernia.yaml") {
			t.Fatalf("generate: exit %d\n%s", code, out)
		}
		if _, err := os.Stat(filepath.Join(dir, "internal/auth")); err == nil {
			t.Fatal("generate wrote into the old folder")
		}
		replaceIn("kernia.yaml", "dir: internal/auth", "dir: pkg/auth")(t, dir)
		if code, out := run(dir, nil, "generate"); code != 0 {
			t.Fatalf("generate after dir: changed: exit %d\n%s", code, out)
		}
		builds(t, dir)
	})

	t.Run("Windows line endings", func(t *testing.T) {
		t.Parallel()
		dir := module(t)
		for _, root := range []string{"internal/auth", ".kernia/base", "cmd/server"} {
			err := filepath.WalkDir(filepath.Join(dir, root), func(name string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(name)
				if err == nil {
					err = os.WriteFile(name, bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")), 0o644)
				}
				return err
			})
			must(t, err)
		}
		if code, out := run(dir, nil, "check"); code != 0 {
			t.Errorf("check on a CRLF checkout: exit %d\n%s", code, out)
		}
	})

	t.Run("a scaffolded file becomes generated", func(t *testing.T) {
		t.Parallel()
		dir := module(t)
		appendTo("internal/auth/ip.go", "\n// my note\n")(t, dir)
		inputs := filepath.Join(t.TempDir(), "inputs")
		must(t, os.MkdirAll(inputs, 0o755))
		for _, name := range []string{"openapi", "sqlc.yaml", "queries", "migrations", "templates"} {
			copyTree(t, filepath.Join("..", name), filepath.Join(inputs, name))
		}
		tmpl := filepath.Join(inputs, "templates/package/core/ip.go.tmpl")
		must(t, os.WriteFile(tmpl, []byte("// Code generated by kernia-gen. DO NOT EDIT.\n\n"+read(inputs, "templates/package/core/ip.go.tmpl")), 0o644))
		env := []string{"KERNIA_GEN_INPUTS=" + inputs}
		if code, out := run(dir, env, "generate"); code != 3 || !strings.Contains(out, "now generates this file") {
			t.Errorf("generate: exit %d\n%s", code, out)
		}
		if !strings.Contains(read(dir, "internal/auth/ip.go"), "// my note") {
			t.Error("the edit was overwritten")
		}
	})
}
