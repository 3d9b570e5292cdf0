package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/kernia/kernia-gen/generator"
)

// errConflicts makes the command exit non-zero after it has printed what needs the user.
var errConflicts = errors.New("some files need your attention (listed above)")

type generateOptions struct {
	dryRun, restore bool
}

func generateFlags(name string, o *generateOptions) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.BoolVar(&o.dryRun, "dry-run", false, "show what would change, as a diff, and write nothing")
	fs.BoolVar(&o.restore, "restore", false, "recreate scaffolded files you deleted")
	return fs
}

// openModule loads the project and its kernia.yaml from the current folder.
func openModule() (generator.Project, generator.Options, error) {
	wd, err := os.Getwd()
	if err != nil {
		return generator.Project{}, generator.Options{}, err
	}
	p, err := generator.OpenProject(wd)
	if err != nil {
		return p, generator.Options{}, err
	}
	opts, err := p.LoadConfig()
	return p, opts, err
}

// runGenerate regenerates the package from kernia.yaml.
func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o generateOptions
	fs := generateFlags("generate", &o)
	if err := parseFlags(fs, args, stderr, 0); err != nil {
		return err
	}
	p, opts, err := openModule()
	if err != nil {
		return err
	}
	return regenerate(ctx, p, opts, o, nil, stdout)
}

// regenerate plans and, unless dry-run, applies a generation. config, when set, is the new
// kernia.yaml to write with it (add and remove).
func regenerate(ctx context.Context, p generator.Project, opts generator.Options, o generateOptions, config []byte, stdout io.Writer) error {
	plan, err := p.PlanGeneration(ctx, inputs, opts, generator.PlanOptions{Restore: o.restore})
	if err != nil {
		return err
	}
	if o.dryRun {
		fmt.Fprint(stdout, plan.Diff())
		printPlan(stdout, plan, "would be ")
		return nil
	}
	if err := plan.Apply(); err != nil {
		return err
	}
	if config != nil {
		if err := p.WriteConfig(config); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  %-13s %s\n", "updated", generator.ConfigFile)
	}
	printPlan(stdout, plan, "")
	if len(plan.Problems()) > 0 {
		return errConflicts
	}
	return nil
}

// printPlan lists every file that changes or that kernia-gen left alone for a reason, then
// a summary.
func printPlan(w io.Writer, plan generator.Plan, prefix string) {
	counts := map[generator.Action]int{}
	for _, c := range plan.Changes {
		counts[c.Action]++
		if c.Action == generator.Unchanged && c.Note == "" {
			continue
		}
		line := fmt.Sprintf("  %-13s %s", c.Action, c.Path)
		if c.Note != "" {
			line += "  (" + c.Note + ")"
		}
		fmt.Fprintln(w, line)
	}
	var parts []string
	for _, a := range []generator.Action{generator.Created, generator.Updated, generator.Merged, generator.Conflicted, generator.OverwroteEdit, generator.Removed, generator.KeptEdited, generator.LeftDeleted, generator.Blocked} {
		if counts[a] > 0 {
			parts = append(parts, strconv.Itoa(counts[a])+" "+prefix+a.String())
		}
	}
	if len(parts) == 0 {
		fmt.Fprintln(w, "  up to date: nothing to change")
		return
	}
	fmt.Fprintln(w, "  "+strings.Join(parts, ", "))
	for _, c := range plan.Problems() {
		fmt.Fprintf(w, "  needs you: %s\n", c.Path)
	}
}

// runCheck exits non-zero when the package differs from what generate would produce.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	if err := parseFlags(fs, args, stderr, 0); err != nil {
		return err
	}
	p, opts, err := openModule()
	if err != nil {
		return err
	}
	plan, err := p.PlanGeneration(ctx, inputs, opts, generator.PlanOptions{})
	if err != nil {
		return err
	}
	problems, err := plan.Check()
	if err != nil {
		return err
	}
	for _, line := range problems {
		fmt.Fprintln(stdout, "  "+line)
	}
	if len(problems) > 0 {
		return fmt.Errorf("the package is not what kernia.yaml generates (%d paths); run kernia-gen generate", len(problems))
	}
	fmt.Fprintln(stdout, "  up to date")
	return nil
}

// runDiff shows what generate would change.
func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGenerate(ctx, append([]string{"--dry-run"}, args...), stdout, stderr)
}

// optionFlags collects repeated --option name=value flags.
type optionFlags []string

func (o *optionFlags) String() string     { return strings.Join(*o, ",") }
func (o *optionFlags) Set(v string) error { *o = append(*o, v); return nil }

// runAdd enables a plugin, records it in kernia.yaml and regenerates.
func runAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o generateOptions
	var options optionFlags
	fs := generateFlags("add", &o)
	fs.Var(&options, "option", "a plugin option as name=value (repeatable)")
	if err := parseFlags(fs, args, stderr, 1); err != nil {
		return err
	}
	p, opts, err := openModule()
	if err != nil {
		return err
	}
	name := fs.Arg(0)
	if slices.Contains(opts.Plugins, name) && len(options) == 0 {
		return fmt.Errorf("plugin %s is already enabled", name)
	}
	opts, err = opts.WithPlugin(name, options)
	if err != nil {
		return err
	}
	return regenerate(ctx, p, opts, o, opts.YAML(), stdout)
}

// runRemove disables a plugin and regenerates.
func runRemove(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o generateOptions
	fs := generateFlags("remove", &o)
	if err := parseFlags(fs, args, stderr, 1); err != nil {
		return err
	}
	p, opts, err := openModule()
	if err != nil {
		return err
	}
	opts, err = opts.WithoutPlugin(fs.Arg(0))
	if err != nil {
		return err
	}
	return regenerate(ctx, p, opts, o, opts.YAML(), stdout)
}

// parseFlags parses args, flags and positional arguments in any order, and requires exactly
// nargs positional arguments; fs.Args() then holds them.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer, nargs int) error {
	fs.SetOutput(stderr)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != nargs {
		fmt.Fprintf(stderr, "kernia-gen %s: expected %d argument(s), got %d\n", fs.Name(), nargs, len(positional))
		return errUsage
	}
	_ = fs.Parse(append([]string{"--"}, positional...)) // leaves them in fs.Args()
	return nil
}
