package generator

import (
	"bytes"
	"encoding/binary"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// yamlSyntaxError is how parseConfig reports what the YAML parser refused: after the file
// name that LoadConfig puts first, "kernia.yaml: yaml: line 3: …".
var yamlSyntaxError = regexp.MustCompile(`^ yaml: (line \d+: )?\S`)

// FuzzParseConfig checks the reading of kernia.yaml: it never panics; an error names a line
// of the file, or is the YAML parser's own, in one line of text; and a configuration that
// parses and validates, written back by YAML (as kernia-gen add and remove do), parses to
// the same options.
func FuzzParseConfig(f *testing.F) {
	f.Add(Options{ModulePath: "example.com/app", Server: true}.withDefaults().YAML())
	multi, err := Options{ModulePath: "example.com/app"}.withDefaults().WithPlugin("multi-session", []string{"maximumSessions=2"})
	if err != nil {
		f.Fatal(err)
	}
	bearer, err := multi.WithPlugin("bearer", []string{"requireSignature=true"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bearer.YAML())
	social, err := bearer.WithPlugin("social", []string{"providers=github"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(social.YAML())
	for _, file := range []string{
		"dir: internal/auth\nplugins:\n  - core\n  - nope\n",
		"dir: internal/auth\ncolour: blue\n",
		"server: maybe\n",
		"plugins: core\n",
		"plugins:\n  - core\n  - core\n",
		"plugins:\n  - core:\n      x: 1\n",
		"plugins:\n  - multi-session:\n      maximumSessions: 0\n",
		"dir: [a]\n",
		"",
		"- a\n",
		"dir: &a x\npackage: *a\n",
		"dir: 'a b'\npackage: \"p\"\nbasePath: /x\nmigrationTable: t\n",
		"dir: x\n---\ndir: y\n",
		"{dir: x, plugins: [bearer: {requireSignature: yes}]}\n",
		"plugins:\n  - social:\n      providers: [github, google]\n",
		"plugins:\n  - social:\n      providers: [google, google]\n",
		"plugins:\n  - social:\n      providers: []\n",
		"plugins:\n  - social:\n      providers: [apple]\n",
		"plugins:\n  - social:\n      providers: google\n",
		"plugins:\n  - social:\n      providers: [[google]]\n",
		"plugins:\n  - social:\n      providers: {google: 1}\n",
		"plugins:\n  - social:\n      providers:\n        - github\n",
	} {
		f.Add([]byte(file))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := parseConfig(data)
		if err != nil {
			checkConfigError(t, data, err)
			return
		}
		o.ModulePath = "example.com/app"
		o = o.withDefaults()
		if o.validate() != nil {
			return // refused before anything is generated or written back
		}
		out := o.YAML()
		back, err := parseConfig(out)
		if err != nil {
			t.Fatalf("the options of %q, written back, do not parse: %v\n%s", data, err, out)
		}
		back.ModulePath = o.ModulePath
		back = back.withDefaults()
		if back.Dir != o.Dir || back.Package != o.Package || back.BasePath != o.BasePath || back.Server != o.Server ||
			back.MigrationTable != o.MigrationTable || !slices.Equal(back.Plugins, o.Plugins) {
			t.Fatalf("written back and read, %+v became %+v\n%s", o, back, out)
		}
		for _, name := range o.Plugins {
			p, _ := LookupPlugin(name)
			for _, opt := range p.Options {
				if !optionEqual(back.pluginOption(name, opt), o.pluginOption(name, opt)) {
					t.Fatalf("%s.%s: %v became %v\n%s", name, opt.Name, o.pluginOption(name, opt), back.pluginOption(name, opt), out)
				}
			}
		}
		if again := back.YAML(); string(again) != string(out) {
			t.Fatalf("a second write changed the file:\n%s\nthen:\n%s", out, again)
		}
	})
}

// checkConfigError fails the test unless err is a clear error about data: one line of text,
// either the YAML parser's or naming a line of the file.
func checkConfigError(t *testing.T, data []byte, err error) {
	t.Helper()
	msg := err.Error()
	// "%!" marks a fmt verb gone wrong, unless the file itself has it (a key quoted in the message).
	if strings.ContainsAny(msg, "\n\r") || strings.Contains(msg, "%!") && !strings.Contains(string(data), "%!") {
		t.Fatalf("error for %q is not one clean line: %q", data, msg)
	}
	var le lineError
	if !errors.As(err, &le) {
		if !yamlSyntaxError.MatchString(msg) {
			t.Fatalf("error for %q names no line: %q", data, msg)
		}
		return
	}
	if lines := yamlLines(data); le.line < 1 || le.line > lines || le.msg == "" {
		t.Fatalf("error for %q: line %d of %d: %q", data, le.line, lines, le.msg)
	}
}

// yamlLines counts the lines of a YAML file as the parser does: "\r\n", a lone "\r", "\n",
// NEL, LS and PS each end a line, in a file of UTF-8 or, after its byte order mark, UTF-16.
func yamlLines(data []byte) int {
	text := strings.ReplaceAll(yamlText(data), "\r\n", "\n")
	n := 1
	for _, r := range text {
		switch r {
		case '\r', '\n', '\u0085', '\u2028', '\u2029':
			n++
		}
	}
	return n
}

// yamlText decodes a YAML file as the parser does: UTF-16 when it starts with a UTF-16 byte
// order mark, else UTF-8.
func yamlText(data []byte) string {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		order = binary.BigEndian
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		order = binary.LittleEndian
	default:
		return string(data)
	}
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i+1 < len(data); i += 2 {
		units = append(units, order.Uint16(data[i:]))
	}
	return string(utf16.Decode(units))
}
