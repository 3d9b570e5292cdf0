package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kernia.yaml's tables: the three configurations of the conformance harness (additional fields
// of every type, with the social plugin; renamed tables and columns with UUID ids; serial ids
// with references) pass the Go tools and the emitted package's own tests, which read each field
// back through the package's API. Every field type
// alone also passes the Go tools, since the emitted code has only the helpers its fields use.

func TestSchemaConfigurations(t *testing.T) {
	needApp(t)
	for _, name := range []string{"fields", "names", "serial"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "app")
			must(t, os.MkdirAll(dir, 0o755))
			schema, err := filepath.Abs(filepath.Join("..", "conformance", "schemas", name+".json"))
			must(t, err)
			steps := [][]string{
				{"go", "mod", "init", "example.com/app"},
				{app.kerniaGen, "init", "-q", "--schema-from", schema},
			}
			// With additional fields, the social plugin too: its tests copy a profile's values
			// into the fields (socialProfile.Fields) and read them back.
			if name == "fields" {
				steps = append(steps, []string{app.kerniaGen, "add", "-q", "social", "--no-build"})
			}
			for _, args := range append(steps, [][]string{
				{"go", "mod", "tidy"},
				{"go", "vet", "./..."},
				{app.staticheck, "./..."},
				{"go", "test", "-count=1", "./internal/auth/"},
			}...) {
				if out, err := command(dir, args...).CombinedOutput(); err != nil {
					t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
			if out, err := command(dir, app.kerniaGen, "check").CombinedOutput(); err != nil {
				t.Errorf("check: %v\n%s", err, out)
			}
		})
	}
}

// fieldTypes are one additional field of each kind, each alone in a module.
var fieldTypes = map[string]string{
	"string":  "user:\n  additionalFields:\n    f: {type: string, required: false}\n",
	"number":  "user:\n  additionalFields:\n    f: {type: number, required: false}\n",
	"bigint":  "user:\n  additionalFields:\n    f: {type: number, bigint: true}\n",
	"boolean": "user:\n  additionalFields:\n    f: {type: boolean, defaultValue: false}\n",
	"date":    "user:\n  additionalFields:\n    f: {type: date, required: false}\n",
	"json":    "user:\n  additionalFields:\n    f: {type: json, required: false}\n",
	"strings": "user:\n  additionalFields:\n    f: {type: \"string[]\", required: false}\n",
	"numbers": "user:\n  additionalFields:\n    f: {type: \"number[]\", required: true}\n",
	"enum":    "user:\n  additionalFields:\n    f: {type: [a, b], input: false, defaultValue: a}\n",
	"hidden":  "user:\n  additionalFields:\n    f: {type: string, returned: false, required: false}\n",
	"session": "session:\n  additionalFields:\n    f: {type: string, defaultValue: web}\n",
	"account": "account:\n  additionalFields:\n    f: {type: number, required: false}\n",
}

func TestEveryFieldTypeAlone(t *testing.T) {
	needApp(t)
	root := t.TempDir()
	// One workspace, so that go vet and staticcheck load the shared dependencies once.
	work := []string{"go", "work", "init"}
	var pkgs []string
	for name, yaml := range fieldTypes {
		dir := filepath.Join(root, name)
		must(t, os.MkdirAll(dir, 0o755))
		settings := filepath.Join(root, name+".yaml")
		must(t, os.WriteFile(settings, []byte(yaml), 0o644))
		module := "example.com/" + name
		for _, args := range [][]string{
			{"go", "mod", "init", module},
			{app.kerniaGen, "init", "-q", "--schema-from", settings},
		} {
			if out, err := command(dir, args...).CombinedOutput(); err != nil {
				t.Fatalf("%s: %s: %v\n%s", name, strings.Join(args, " "), err, out)
			}
		}
		// The requirements of the first module, tidied once, serve them all.
		if len(pkgs) == 0 {
			if out, err := command(dir, "go", "mod", "tidy").CombinedOutput(); err != nil {
				t.Fatalf("go mod tidy: %v\n%s", err, out)
			}
		}
		work = append(work, "./"+name)
		pkgs = append(pkgs, module+"/...")
	}
	for name := range fieldTypes {
		copyFile(t, filepath.Join(root, firstKey(pkgs), "go.mod"), filepath.Join(root, name, "go.mod"), "example.com/"+name)
	}
	for _, args := range [][]string{work, append([]string{"go", "vet"}, pkgs...), append([]string{app.staticheck}, pkgs...)} {
		cmd := command(root, args...)
		cmd.Env = append(cmd.Env, "GOFLAGS=") // a workspace takes no -mod=mod
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(args[:2], " "), err, out)
		}
	}
}

// firstKey is the module folder of the first package pattern, example.com/<name>/...
func firstKey(pkgs []string) string {
	return strings.TrimSuffix(strings.TrimPrefix(pkgs[0], "example.com/"), "/...")
}

// copyFile copies a go.mod to another module, renaming the module and keeping its go.sum.
func copyFile(t *testing.T, src, dst, module string) {
	t.Helper()
	b, err := os.ReadFile(src)
	must(t, err)
	lines := strings.SplitN(string(b), "\n", 2)
	must(t, os.WriteFile(dst, []byte(fmt.Sprintf("module %s\n%s", module, lines[1])), 0o644))
	sum, err := os.ReadFile(filepath.Join(filepath.Dir(src), "go.sum"))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(filepath.Dir(dst), "go.sum"), sum, 0o644))
}
