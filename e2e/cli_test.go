package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// The command line as scripts see it, through the real binary with its output piped: exit
// codes, the --json document, and no escape codes.
func TestCLIThroughTheBinary(t *testing.T) {
	needApp(t)
	if strings.Contains(app.initOutput, "\x1b") {
		t.Errorf("piped init output has escape codes:\n%q", app.initOutput)
	}

	out, err := command(app.dir, app.kerniaGen, "check", "--json").Output()
	var check struct {
		OK     bool `json:"ok"`
		Files  []struct{ Path, Class, Action string }
		Errors []struct{ Code, Message string }
	}
	if err != nil || json.Unmarshal(out, &check) != nil || !check.OK || len(check.Files) == 0 || len(check.Errors) != 0 {
		t.Fatalf("check --json: %v\n%s", err, out)
	}
	for _, f := range check.Files {
		if f.Action != "unchanged" || f.Class == "" {
			t.Errorf("check --json on a fresh module: %+v", f)
		}
	}

	out, err = command(app.dir, app.kerniaGen, "add", "baerer", "--json").Output()
	var add struct {
		ExitCode int `json:"exitCode"`
		Errors   []struct{ Code, Message string }
	}
	if exitCode(err) != 2 || json.Unmarshal(out, &add) != nil || add.ExitCode != 2 || len(add.Errors) != 1 || add.Errors[0].Code != "unknown_plugin" {
		t.Errorf("add baerer --json: exit %d\n%s", exitCode(err), out)
	}

	combined, err := command(app.dir, app.kerniaGen, "genrate").CombinedOutput()
	if exitCode(err) != 2 || !strings.Contains(string(combined), `did you mean "generate"?`) || strings.Contains(string(combined), "\x1b") {
		t.Errorf("genrate: exit %d\n%q", exitCode(err), combined)
	}
}
