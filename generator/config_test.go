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
