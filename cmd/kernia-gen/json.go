package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// jsonResult is the document --json writes on stdout: one per run, whatever the outcome.
// Its shape is documented in jsonHelp; keep the two together.
type jsonResult struct {
	Command  string      `json:"command"`
	OK       bool        `json:"ok"`
	ExitCode int         `json:"exitCode"`
	DryRun   bool        `json:"dryRun,omitempty"`
	Version  string      `json:"version,omitempty"`
	Files    []jsonFile  `json:"files"`
	Problems []string    `json:"problems,omitempty"`
	Diff     string      `json:"diff,omitempty"`
	Errors   []jsonError `json:"errors"`
}

// jsonFile is one file a command wrote, would write, or looked at.
type jsonFile struct {
	Path   string `json:"path"`
	Class  string `json:"class"`
	Action string `json:"action"`
	Note   string `json:"note,omitempty"`
}

// jsonError is one error, with a stable code for scripts to branch on.
type jsonError struct {
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Files   []string `json:"files,omitempty"`
}

func (o *output) writeJSON() {
	slices.SortStableFunc(o.result.Files, func(a, b jsonFile) int { return strings.Compare(a.Path, b.Path) })
	b, err := json.MarshalIndent(o.result, "", "  ")
	if err != nil {
		// Only strings, numbers and booleans: marshalling cannot fail.
		panic(err)
	}
	fmt.Fprintf(o.stdout, "%s\n", b)
}

const jsonHelp = `With --json, a command writes one JSON document on stdout, whatever the outcome, and nothing
on stderr. Its exit code is the same as without --json.

  {
    "command":  "generate",            the command that ran
    "ok":       true,                  exitCode == 0
    "exitCode": 0,                     see "Exit codes" in kernia-gen help
    "dryRun":   true,                  only for diff and generate --dry-run
    "version":  "v1.2.0",              only for version
    "files": [                         every file the command looked at, in path order
      {
        "path":   "internal/auth/handle_sign_up.go",   relative to the module root
        "class":  "scaffolded",        generated | scaffolded | migration | config
        "action": "merged",            see below
        "note":   "your edits kept"    why, when the action needs a reason (may be absent)
      }
    ],
    "problems": ["..."],               only for check: what differs
    "diff":     "--- a/...",           only for a dry run: the unified diff
    "errors": [                        empty when ok
      {
        "code":    "no_config",        see below
        "message": "no kernia.yaml in /src/app: ... run ` + "`kernia-gen init`" + ` first",
        "files":   ["..."]             the paths the error is about, when there are any
      }
    ]
  }

Actions: created, updated, merged (your edits and the new version combined), conflict (written
with conflict markers), unchanged, overwritten (a generated file you had edited), removed (a
removed plugin's file), kept (a removed plugin's file you edited), left-deleted (a scaffolded
file you deleted), blocked (a file kernia-gen did not write is in the way).

Classes: generated files are rewritten on every generate; scaffolded files are yours and are
merged; migrations are written once; config is kernia.yaml and go.mod.

Error codes:
  usage                 wrong flags or arguments (exit 2)
  unknown_command       no such command (exit 2)
  unknown_plugin        no such plugin (exit 2)
  bad_option            a malformed or unknown --option (exit 2)
  no_module             no go.mod here or above (exit 1)
  not_module_root       init run in a folder below the module root (exit 1)
  already_initialised   init in a module that has a kernia.yaml (exit 1)
  no_config             no kernia.yaml: run kernia-gen init (exit 1)
  unresolved_conflicts  conflict markers from an earlier generate remain (exit 1)
  out_of_date           check: the package is not what kernia.yaml generates (exit 1)
  conflicts             files need you: conflicts, blocked paths (then nothing was written) (exit 3)
  changed_during_run    files saved while kernia-gen ran were left as saved (exit 3)
  does_not_build        written, but the package does not compile (exit 3)
  tampered_base         a pristine copy in .kernia/base no longer matches the manifest (exit 1)
  moved_package         the package's files are not where kernia.yaml says (exit 1)
  error                 anything else (exit 1)
`
