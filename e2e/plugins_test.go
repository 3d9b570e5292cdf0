package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kernia/kernia-gen/generator"
)

// Every plugin alone, and all of them together, generate, build, vet and pass staticcheck,
// each added to an initialised module as a user adds it; the module with all of them passes
// its own tests too (scripts/test runs that tree's tests again under the race detector).
func TestEveryPluginAloneAndTogether(t *testing.T) {
	needApp(t)
	root := t.TempDir()
	var plugins []string
	for _, name := range generator.KnownPlugins {
		if name != "core" {
			plugins = append(plugins, name)
		}
	}
	trees := map[string][]string{"all": plugins}
	for _, p := range plugins {
		trees[p] = []string{p}
	}
	// One workspace, so that go vet and staticcheck load the shared dependencies once; the
	// requirements of the module with every plugin, tidied once, serve them all.
	order := append([]string{"all"}, plugins...)
	work := []string{"go", "work", "init"}
	var pkgs []string
	for _, name := range order {
		dir := filepath.Join(root, name)
		must(t, os.MkdirAll(dir, 0o755))
		steps := [][]string{{"go", "mod", "init", "example.com/" + name}, {app.kerniaGen, "init", "-q"}}
		for _, p := range trees[name] {
			steps = append(steps, []string{app.kerniaGen, "add", "-q", p, "--no-build"})
		}
		if name == "all" {
			steps = append(steps, []string{"go", "mod", "tidy"})
		}
		for _, args := range steps {
			if out, err := command(dir, args...).CombinedOutput(); err != nil {
				t.Fatalf("%s: %s: %v\n%s", name, strings.Join(args, " "), err, out)
			}
		}
		if name != "all" {
			copyFile(t, filepath.Join(root, "all", "go.mod"), filepath.Join(dir, "go.mod"), "example.com/"+name)
		}
		work = append(work, "./"+name)
		pkgs = append(pkgs, "example.com/"+name+"/...")
	}
	for _, args := range [][]string{work, append([]string{"go", "build"}, pkgs...), append([]string{"go", "vet"}, pkgs...), append([]string{app.staticheck}, pkgs...)} {
		cmd := command(root, args...)
		cmd.Env = append(cmd.Env, "GOFLAGS=") // a workspace takes no -mod=mod
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(args[:2], " "), err, out)
		}
	}
	if out, err := command(filepath.Join(root, "all"), "gofmt", "-l", ".").CombinedOutput(); err != nil || len(out) != 0 {
		t.Errorf("gofmt -l: %v\n%s", err, out)
	}
	if t.Failed() {
		return
	}
	cmd := command(filepath.Join(root, "all"), "go", "test", "-count=1", "./internal/auth/...")
	cmd.Env = append(cmd.Env, "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the emitted tests with every plugin: %v\n%s", err, out)
	}
}
