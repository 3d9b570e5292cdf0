package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pluginSets are the plugin sets TestPluginSets emits beside the core alone (the shared app):
// each plugin that adds modules or files of its own alone, and every plugin together.
var pluginSets = []struct {
	name    string
	plugins [][]string // kernia-gen add arguments, one add each
}{
	{"social alone (github only)", [][]string{{"social", "--option", "providers=github"}}},
	{"every plugin", [][]string{{"bearer"}, {"multi-session"}, {"social", "--option", "providers=google,github"}}},
}

// TestPluginSets adds each set to a copy of the app through the CLI, then builds, vets and
// staticchecks the module, checks gofmt, and runs the emitted package's own tests.
func TestPluginSets(t *testing.T) {
	needApp(t)
	databaseURL(t)
	for _, set := range pluginSets {
		t.Run(set.name, func(t *testing.T) {
			dir := t.TempDir()
			must(t, os.CopyFS(dir, os.DirFS(app.dir)))
			for _, args := range set.plugins {
				run(t, dir, append([]string{app.kerniaGen, "add"}, append(args, "--no-build")...)...)
			}
			run(t, dir, "go", "mod", "tidy")
			run(t, dir, "go", "build", "./...")
			run(t, dir, "go", "vet", "./...")
			run(t, dir, app.staticheck, "./...")
			if out, err := command(dir, "gofmt", "-l", ".").CombinedOutput(); err != nil || len(out) != 0 {
				t.Errorf("gofmt -l: %v\n%s", err, out)
			}
			run(t, dir, "go", "test", "-count=1", "./internal/auth/")
			yaml, err := os.ReadFile(filepath.Join(dir, "kernia.yaml"))
			must(t, err)
			if !strings.Contains(string(yaml), "  - social:\n      providers: [") {
				t.Errorf("kernia.yaml:\n%s", yaml)
			}
		})
	}
}
