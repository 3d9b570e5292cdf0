package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kernia/kernia-gen/generator"
)

// Every plugin alone, and all of them together, generate, build, vet and pass staticcheck,
// each added to an initialised module as a user adds it; the module with all of them passes
// its own tests too (under the race detector in scripts/test: emittedTest).
func TestEveryPluginAloneAndTogether(t *testing.T) {
	needApp(t)
	root := t.TempDir()
	var plugins []string
	for _, name := range generator.KnownPlugins {
		if name != "core" {
			plugins = append(plugins, name)
		}
	}
	// Each tree is its kernia-gen add arguments, one add each: every plugin; each alone; and
	// the variants whose options change which files are emitted.
	trees := map[string][][]string{}
	for _, p := range plugins {
		trees["all"] = append(trees["all"], []string{p})
		trees[p] = [][]string{{p}}
	}
	// The tree with every plugin has every social provider, so that each provider's emitted
	// tests run (once, there).
	for i, args := range trees["all"] {
		if args[0] == "social" {
			trees["all"][i] = []string{"social", "--option", "providers=" + strings.Join(socialProviders(t), ",")}
		}
	}
	trees["social-github"] = [][]string{{"social", "--option", "providers=github"}}
	trees["social-oidc"] = [][]string{{"social", "--option", "providers=oidc"}}
	// Providers read the user from an ID token alone (apple, microsoft) or from a REST API
	// (discord, as github): each kind alone, so that no shared helper goes unused in either.
	trees["social-apple-microsoft"] = [][]string{{"social", "--option", "providers=apple,microsoft"}}
	trees["social-discord"] = [][]string{{"social", "--option", "providers=discord"}}
	// One workspace, so that go vet and staticcheck load the shared dependencies once; the
	// requirements of the module with every plugin, tidied once, serve them all.
	order := append(append([]string{"all"}, plugins...), "social-github", "social-oidc", "social-apple-microsoft", "social-discord")
	started := time.Now()
	work := []string{"go", "work", "init"}
	var pkgs []string
	for _, name := range order {
		dir := filepath.Join(root, name)
		must(t, os.MkdirAll(dir, 0o755))
		module := "example.com/" + strings.ReplaceAll(name, "-", "")
		steps := [][]string{{"go", "mod", "init", module}, {app.kerniaGen, "init", "-q"}}
		for _, args := range trees[name] {
			steps = append(steps, append(append([]string{app.kerniaGen, "add", "-q"}, args...), "--no-build"))
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
			copyFile(t, filepath.Join(root, "all", "go.mod"), filepath.Join(dir, "go.mod"), module)
		}
		work = append(work, "./"+name)
		pkgs = append(pkgs, "example.com/"+strings.ReplaceAll(name, "-", "")+"/...")
	}
	t.Logf("%d modules generated: %v", len(order), time.Since(started).Round(time.Second))
	for _, args := range [][]string{work, append([]string{"go", "build"}, pkgs...), append([]string{"go", "vet"}, pkgs...), append([]string{app.staticheck}, pkgs...)} {
		cmd := command(root, args...)
		cmd.Env = append(cmd.Env, "GOFLAGS=") // a workspace takes no -mod=mod
		started := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(args[:2], " "), err, out)
		}
		t.Logf("%s: %v", strings.Join(args[:2], " "), time.Since(started).Round(time.Second))
	}
	if out, err := command(filepath.Join(root, "all"), "gofmt", "-l", ".").CombinedOutput(); err != nil || len(out) != 0 {
		t.Errorf("gofmt -l: %v\n%s", err, out)
	}
	if t.Failed() {
		return
	}
	cmd := command(filepath.Join(root, "all"), emittedTest("./internal/auth/...")...)
	cmd.Env = append(cmd.Env, "GOFLAGS=")
	started = time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the emitted tests with every plugin: %v\n%s", err, out)
	}
	t.Logf("the emitted tests with every plugin: %v", time.Since(started).Round(time.Second))
}

// socialProviders are the social plugin's providers, every one kernia-gen knows.
func socialProviders(t *testing.T) []string {
	p, err := generator.LookupPlugin("social")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range p.Options {
		if o.Name == "providers" {
			return o.Allowed
		}
	}
	t.Fatal("the social plugin has no providers option")
	return nil
}
