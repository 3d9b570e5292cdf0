package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kernia/kernia-gen/generator"
)

// command is one subcommand: how to run it and its help.
type command struct {
	name    string
	args    string // the usage line after the name
	summary string // one line, for the list of commands
	about   string // what it does, for its help
	// examples are command lines, each optionally followed by "  # comment".
	examples []string
	flags    func() *flag.FlagSet
	run      func(context.Context, *output, []string) error
}

// commands is the table of subcommands, in the order the help lists them. It is a function
// rather than a variable because the commands print help from it.
func commands() []command {
	generateSet := func(name string) func() *flag.FlagSet {
		return func() *flag.FlagSet { return generateFlags(name, new(generateOptions)) }
	}
	return []command{
		{
			name: "init", args: "[flags]", run: runInit,
			summary: "emit the package (and kernia.yaml) into the Go module in this folder",
			about: `Emits the auth package into the Go module whose root is the current folder, records the
choices in kernia.yaml, keeps pristine copies under .kernia/base (commit them: later
generations merge against them) and adds the runtime requirements to go.mod. It never
overwrites a file, and refuses a module that already has a kernia.yaml.`,
			examples: []string{
				"kernia-gen init --server  # the package in internal/auth, and cmd/server/main.go",
				"kernia-gen init --demo    # the same, plus a page at /demo/ to try it in a browser",
				"kernia-gen init --dir pkg/authn --base-path /auth",
				"go mod init example.com/app && kernia-gen init  # in a folder that is not a module yet",
				"go mod tidy && go run ./cmd/server  # then",
			},
			flags: func() *flag.FlagSet { return initFlags(new(initOptions)) },
		},
		{
			name: "generate", args: "[flags]", run: runGenerate,
			summary: "regenerate from kernia.yaml, merging your edits",
			about: `Regenerates the package from kernia.yaml: after you edit it, or after upgrading kernia-gen.
Generated files are rewritten. Scaffolded files you edited are three-way merged with the new
version; changes that overlap become conflict markers, and the exit code is 3. A scaffolded
file you deleted stays deleted unless you pass --restore. Migrations are never rewritten.
It refuses to run while files still hold conflict markers from an earlier generate.
Like diff, check, add and remove, it runs from any folder of the module, so go generate ./...
runs it too: the emitted package's generate.go holds //go:generate go tool kernia-gen generate
when go.mod lists kernia-gen as a tool, and //go:generate kernia-gen generate otherwise.`,
			examples: []string{
				"kernia-gen generate",
				"go generate ./...  # the same, through the emitted package's generate.go",
				"kernia-gen generate --dry-run  # the same as kernia-gen diff",
				"kernia-gen generate --restore  # bring back scaffolded files you deleted",
				"kernia-gen generate --json | jq -r '.files[] | select(.action != \"unchanged\") | .path'",
			},
			flags: generateSet("generate"),
		},
		{
			name: "diff", args: "[flags]", run: runDiff,
			summary: "show what generate would change, as a diff; write nothing",
			about:   `Prints the unified diff of what kernia-gen generate would write, then each file's action.`,
			examples: []string{
				"kernia-gen diff",
				"kernia-gen diff --json | jq -r .diff",
			},
			flags: generateSet("diff"),
		},
		{
			name: "check", args: "[flags]", run: runCheck,
			summary: "exit 1 if the package is not what kernia.yaml generates",
			about: `Exits 1 if generate would change any file, a generated file was edited, or a scaffolded
file still holds conflict markers; prints each such path. Writes nothing. Use it in CI.`,
			examples: []string{
				"kernia-gen check",
				"kernia-gen check --quiet || exit 1  # in CI",
			},
			flags: func() *flag.FlagSet { return newFlagSet("check") },
		},
		{
			name: "add", args: "PLUGIN [flags]", run: runAdd,
			summary: "enable a plugin (or change its options) and regenerate",
			about: `Enables a plugin, records it and its options in kernia.yaml, and regenerates. On a plugin
that is already enabled, --option changes its options.

` + pluginList(),
			examples: []string{
				"kernia-gen add bearer",
				"kernia-gen add multi-session --option maximumSessions=3",
				"kernia-gen add bearer --option requireSignature=true  # change an option",
				"kernia-gen add bearer --dry-run  # see the diff first",
			},
			flags: func() *flag.FlagSet { return addFlags(new(generateOptions), new(optionFlags)) },
		},
		{
			name: "remove", args: "PLUGIN [flags]", run: runRemove,
			summary: "disable a plugin and regenerate",
			about: `Disables a plugin, records it in kernia.yaml, and regenerates: the plugin's files go, unless
you edited them; those are kept and listed (exit 3). Its migrations stay: a database may have
applied them. core cannot be removed.`,
			examples: []string{
				"kernia-gen remove multi-session",
				"kernia-gen remove bearer --dry-run",
			},
			flags: generateSet("remove"),
		},
		{
			name: "version", args: "[flags]", run: runVersion,
			summary:  "print the version",
			about:    `Prints the version kernia-gen was installed at ("devel" for a local build).`,
			examples: []string{"kernia-gen version", "kernia-gen version --json"},
			flags:    func() *flag.FlagSet { return newFlagSet("version") },
		},
		{
			name: "help", args: "[command | json]",
			summary: "show help for a command, or the --json output (help json)",
			about:   `Shows the list of commands, a command's help, or the shape of the --json output.`,
			examples: []string{
				"kernia-gen help add",
				"kernia-gen add --help",
				"kernia-gen help json",
			},
		},
	}
}

func lookupCommand(name string) (command, bool) {
	cs := commands()
	i := slices.IndexFunc(cs, func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return cs[i], true
}

func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// runHelp prints the list of commands, a command's help, or a topic's.
func runHelp(out *output, args []string) error {
	args = slices.DeleteFunc(slices.Clone(args), func(a string) bool {
		return isGlobalFlag(a) || a == "-h" || a == "-help" || a == "--help"
	})
	switch {
	case len(args) == 0:
		printUsage(out.stdout)
		return nil
	case len(args) > 1:
		return usageErrorf("help takes one command or topic, got %q; see kernia-gen help", strings.Join(args, " "))
	case args[0] == "json":
		fmt.Fprint(out.stdout, jsonHelp)
		return nil
	}
	if _, ok := lookupCommand(args[0]); !ok {
		return unknownCommand(args[0])
	}
	printHelp(out.stdout, args[0])
	return nil
}

const globalFlagsHelp = `  --json                   print one JSON document on stdout (see kernia-gen help json)
  -q, --quiet              print nothing but errors
  -h, --help               show this help
`

const exitCodesHelp = `  0  done
  1  error: the message says what to do next (check: the package differs)
  2  usage error: unknown command, flag or plugin, wrong arguments, malformed --option
  3  written, but files need you: conflict markers, a file in the way, or an edited
     file of a removed plugin; each is listed
`

func printUsage(w io.Writer) {
	fmt.Fprint(w, "kernia-gen writes a Better Auth-compatible auth package into your Go module.\n\n")
	fmt.Fprint(w, "Usage: kernia-gen <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nGlobal flags, before or after the command:\n"+globalFlagsHelp)
	fmt.Fprint(w, "\nExit codes:\n"+exitCodesHelp)
	fmt.Fprintf(w, "\nPlugins: %s (see kernia-gen help add).\n", strings.Join(generator.KnownPlugins, ", "))
	fmt.Fprint(w, `Run "kernia-gen help <command>" for a command's flags and examples, "kernia-gen help json"
for the --json output.
`)
}

// printHelp prints a command's help: usage line, what it does, flags, examples, exit codes.
func printHelp(w io.Writer, name string) {
	c, _ := lookupCommand(name)
	fmt.Fprintf(w, "Usage: kernia-gen %s\n\n%s\n", strings.TrimSpace(c.name+" "+c.args), c.about)
	if c.flags != nil {
		var own strings.Builder
		printFlags(&own, c.flags())
		if own.Len() > 0 {
			fmt.Fprint(w, "\nFlags:\n"+own.String())
		}
		fmt.Fprint(w, "\nGlobal flags:\n"+globalFlagsHelp)
	}
	fmt.Fprint(w, "\nExamples:\n")
	width := 0
	for _, e := range c.examples {
		if cmd, _, ok := strings.Cut(e, "  # "); ok {
			width = max(width, len(cmd))
		}
	}
	for _, e := range c.examples {
		if cmd, comment, ok := strings.Cut(e, "  # "); ok {
			fmt.Fprintf(w, "  %-*s  # %s\n", width, cmd, comment)
		} else {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	if c.run != nil && name != "version" {
		fmt.Fprint(w, "\nExit codes:\n"+exitCodesHelp)
	}
}

// pluginList describes the plugins and their options, for add's help.
func pluginList() string {
	var b strings.Builder
	b.WriteString("Plugins:\n")
	for _, p := range generator.Plugins {
		fmt.Fprintf(&b, "  %-14s %s\n", p.Name, p.Summary)
		for _, o := range p.Options {
			value := "N"
			switch o.Default.(type) {
			case bool:
				value = "true|false"
			case string:
				value = "TEXT"
			}
			def := fmt.Sprint(o.Default)
			if text, ok := o.Default.(string); ok {
				def = strconv.Quote(text)
			}
			fmt.Fprintf(&b, "  %-14s   --option %s=%s  %s (default %s)\n", "", o.Name, value, o.Doc, def)
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}
