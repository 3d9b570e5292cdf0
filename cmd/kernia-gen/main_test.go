package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommands(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		code     int
		contains string
	}{
		{nil, 2, "Usage:"},
		{[]string{"help"}, 0, "kernia-gen init [flags]"},
		{[]string{"help", "init"}, 0, "-server"},
		{[]string{"help", "init"}, 0, "-demo"},
		{[]string{"help", "nope"}, 1, `unknown command "nope"`},
		{[]string{"version"}, 0, "kernia-gen devel"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"init", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"init", "extra"}, 2, `unexpected argument "extra"`},
	} {
		code, stdout, stderr := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.contains) {
			t.Errorf("kernia-gen %v: exit %d, output %q; want exit %d containing %q", tt.args, code, stdout+stderr, tt.code, tt.contains)
		}
	}
}

func TestInitOutsideAModule(t *testing.T) {
	t.Chdir(t.TempDir())
	code, _, stderr := runCLI("init")
	if code != 1 || !strings.Contains(stderr, "no go.mod") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
