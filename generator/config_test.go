package generator

import (
	"strings"
	"testing"
)

func TestConfigRoundTrip(t *testing.T) {
	want := Options{ModulePath: "example.com/app", Server: true, Demo: true}.withDefaults()
	got, err := parseConfig(want.YAML())
	if err != nil {
		t.Fatal(err)
	}
	got.ModulePath = want.ModulePath
	got = got.withDefaults()
	if string(got.YAML()) != string(want.YAML()) {
		t.Errorf("round trip changed the file:\n%s\nwant:\n%s", got.YAML(), want.YAML())
	}
}

func TestConfigErrorsNameTheLine(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"dir: internal/auth\nplugins:\n  - core\n  - nope\n", `4: unknown plugin "nope"`},
		{"dir: internal/auth\ncolour: blue\n", `2: unknown setting "colour"`},
		{"server: maybe\n", "1: expected true or false"},
		{"server: true\ndemo: 1\n", "2: expected true or false"},
		{"plugins: core\n", "1: plugins: expected a list"},
		{"plugins:\n  - core\n  - core\n", "3: plugin core is listed twice"},
		{"plugins:\n  - core:\n      x: 1\n", "3: plugin core has no options"},
		{"dir: [a]\n", "1: expected a string"},
		{"", "1: the file is empty"},
		{"- a\n", "1: expected a mapping"},
	} {
		_, err := parseConfig([]byte(tt.file))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q", tt.file, err, tt.want)
		}
	}
}

// Names YAML would read as another type are quoted when written (found by FuzzParseConfig:
// a folder named 0 was written as the number 0, and the file no longer loaded).
func TestConfigQuotesNamesThatAreNotStrings(t *testing.T) {
	want := Options{ModulePath: "example.com/app", Dir: "0", Package: "true", MigrationTable: "null"}.withDefaults()
	if err := want.validate(); err != nil {
		t.Fatal(err)
	}
	out := want.YAML()
	for _, line := range []string{`dir: "0"`, `package: "true"`, `migrationTable: "null"`} {
		if !strings.Contains(string(out), "\n"+line+"\n") {
			t.Errorf("no line %s in:\n%s", line, out)
		}
	}
	got, err := parseConfig(out)
	if err != nil {
		t.Fatal(err)
	}
	if got.Dir != want.Dir || got.Package != want.Package || got.MigrationTable != want.MigrationTable {
		t.Errorf("read back %q, %q, %q", got.Dir, got.Package, got.MigrationTable)
	}
}

// A folder is part of the emitted package's import path: what an import path cannot hold
// (a line break would also have spilled into kernia.yaml's comment) is refused.
func TestOptionsRefuseDirsOutsideImportPaths(t *testing.T) {
	for _, dir := range []string{"a\nserver: true", "my auth", `a"b`, "a\u2028b"} {
		o := Options{ModulePath: "example.com/app", Dir: dir}.withDefaults()
		if err := o.validate(); err == nil || !strings.Contains(err.Error(), "invalid import path") {
			t.Errorf("dir %q: %v", dir, err)
		}
	}
}
