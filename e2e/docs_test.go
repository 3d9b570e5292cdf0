package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// docsCheckedElsewhere are docs whose Go blocks another test compiles.
var docsCheckedElsewhere = map[string]string{
	// Its blocks are excerpts of examples/*/main.go, which TestExamples builds and runs, and
	// TestMountingDocMatchesExamples checks them against those files.
	"mounting.md": "TestMountingDocMatchesExamples",
	// Its blocks are hooks of database_hooks.go, edited in place there.
	"hooks.md": "TestHooksDocCompiles",
}

// goBlock finds the Go code blocks of a Markdown file.
var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// TestDocsExamplesCompile builds every Go example in docs/ as a program of the emitted module,
// and vets it, so that the docs cannot drift from the API they describe.
func TestDocsExamplesCompile(t *testing.T) {
	needApp(t)
	docs, err := filepath.Glob("../docs/*.md")
	if err != nil || len(docs) == 0 {
		t.Fatalf("no docs: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "app")
	copyTree(t, app.dir, dir)
	var pkgs []string
	for _, doc := range docs {
		name := filepath.Base(doc)
		if _, ok := docsCheckedElsewhere[name]; ok {
			continue
		}
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range goBlock.FindAllStringSubmatch(string(text), -1) {
			if !strings.HasPrefix(m[1], "package main\n") {
				t.Errorf("%s, Go block %d: examples are whole programs starting with `package main`", name, i+1)
				continue
			}
			pkg := fmt.Sprintf("./cmd/doc-%s-%d", strings.TrimSuffix(name, ".md"), i+1)
			if err := os.MkdirAll(filepath.Join(dir, pkg), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, pkg, "main.go"), []byte(m[1]), 0o644); err != nil {
				t.Fatal(err)
			}
			pkgs = append(pkgs, pkg)
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("no Go examples found in docs/")
	}
	for _, args := range [][]string{{"go", "build", "-o", os.DevNull}, {"go", "vet"}} {
		if out, err := command(dir, append(args, pkgs...)...).CombinedOutput(); err != nil {
			t.Errorf("%s on the docs' examples: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// envVar matches the environment variables the docs and the emitted code name.
var envVar = regexp.MustCompile(`\b(?:KERNIA|BETTER_AUTH)_[A-Z_]*[A-Z]\b`)

// kerniaGenOwnVars are variables of kernia-gen, its test scripts and the emitted tests, not of
// the emitted code.
var kerniaGenOwnVars = []string{
	"KERNIA_TEST_DATABASE_URL", "KERNIA_TEST_REQUIRE_DATABASE", "KERNIA_TEST_RACE", "KERNIA_GEN_INPUTS", "KERNIA_FUZZTIME", "KERNIA_FUZZMINIMIZETIME", "KERNIA_FUZZ_MODULE",
}

// TestDocsEnvironmentVariables checks that every variable the docs name is read by the emitted
// code (with any plugin), and that configuration.md lists every variable the emitted code reads.
func TestDocsEnvironmentVariables(t *testing.T) {
	needApp(t)
	read := map[string]bool{}
	// The emitted core's Go files, and the plugins' templates: the docs name their variables
	// (docs/social.md), which the app, emitted with the core alone, does not read.
	for _, tree := range []struct{ root, suffix string }{{app.dir, ".go"}, {"../templates/package", ".go.tmpl"}} {
		if err := readEnvNames(tree.root, tree.suffix, read); err != nil {
			t.Fatal(err)
		}
	}
	if len(read) < 10 {
		t.Fatalf("found only %d variables read by the emitted code: %v", len(read), read)
	}
	docs, _ := filepath.Glob("../docs/*.md")
	for _, doc := range append(docs, "../README.md") {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range envVar.FindAllString(string(text), -1) {
			if !read[v] && !slices.Contains(kerniaGenOwnVars, v) {
				t.Errorf("%s names %s, which the emitted code does not read", filepath.Base(doc), v)
			}
		}
	}
	config, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	for v := range read {
		if !strings.Contains(string(config), "`"+v) {
			t.Errorf("docs/configuration.md does not list %s, which the emitted code reads", v)
		}
	}
}

// quotedEnvName is a variable name in quotes: the emitted code reads those; the ones in
// comments are documentation.
var quotedEnvName = regexp.MustCompile(`"((?:KERNIA|BETTER_AUTH)_[A-Z_]+)"`)

// readEnvNames adds to read the quoted variable names in the files under root whose names end
// in suffix, tests left out.
func readEnvNames(root, suffix string, read map[string]bool) error {
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, suffix) || strings.HasSuffix(path, "_test"+suffix) {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range quotedEnvName.FindAllStringSubmatch(string(src), -1) {
			read[m[1]] = true
		}
		return nil
	})
}

// hookMethod finds a hook's declaration in database_hooks.go: its doc comment's end, the
// signature and the body, up to the closing brace at the start of a line.
var hookMethod = regexp.MustCompile(`(?ms)^func \(a \*Auth\) (\w+)\(.*?^}\n`)

// TestHooksDocCompiles puts each example of docs/hooks.md in place of the hook of the same name
// in the emitted database_hooks.go, with the imports it needs, and builds and vets the package.
func TestHooksDocCompiles(t *testing.T) {
	needApp(t)
	text, err := os.ReadFile("../docs/hooks.md")
	must(t, err)
	dir := filepath.Join(t.TempDir(), "app")
	copyTree(t, app.dir, dir)
	hooks := filepath.Join(dir, "internal/auth/database_hooks.go")
	src, err := os.ReadFile(hooks)
	must(t, err)
	file := string(src)
	blocks := goBlock.FindAllStringSubmatch(string(text), -1)
	if len(blocks) == 0 {
		t.Fatal("no Go examples in hooks.md")
	}
	for i, b := range blocks {
		m := hookMethod.FindStringSubmatch(b[1])
		if m == nil {
			t.Fatalf("hooks.md, Go block %d is not a hook of database_hooks.go", i+1)
		}
		found := false
		file = hookMethod.ReplaceAllStringFunc(file, func(decl string) string {
			if hookMethod.FindStringSubmatch(decl)[1] != m[1] {
				return decl
			}
			found = true
			return m[0]
		})
		if !found {
			t.Fatalf("hooks.md, Go block %d: database_hooks.go has no hook %s", i+1, m[1])
		}
	}
	// The examples use these besides the file's own imports.
	file = strings.Replace(file, "import (\n", "import (\n\t\"net/http\"\n\t\"strings\"\n", 1)
	must(t, os.WriteFile(hooks, []byte(file), 0o644))
	for _, args := range [][]string{{"go", "build", "./internal/auth/"}, {"go", "vet", "./internal/auth/"}} {
		if out, err := command(dir, args...).CombinedOutput(); err != nil {
			t.Errorf("%s with hooks.md's examples: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
