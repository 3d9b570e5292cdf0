package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/kernia/kernia-gen/generator"
)

type generateOptions struct {
	dryRun, restore bool
}

func generateFlags(name string, o *generateOptions) *flag.FlagSet {
	fs := newFlagSet(name)
	if name != "diff" {
		fs.BoolVar(&o.dryRun, "dry-run", false, "show what would change, as a diff, and write nothing")
	}
	fs.BoolVar(&o.restore, "restore", false, "recreate scaffolded files you deleted")
	return fs
}

// openModule loads the project and its kernia.yaml from the module the current folder is in,
// at its root or below it.
func openModule() (generator.Project, generator.Options, error) {
	wd, err := os.Getwd()
	if err != nil {
		return generator.Project{}, generator.Options{}, err
	}
	p, err := generator.FindProject(wd)
	if err != nil {
		return p, generator.Options{}, err
	}
	opts, err := p.LoadConfig()
	return p, opts, err
}

// runGenerate regenerates the package from kernia.yaml.
func runGenerate(ctx context.Context, out *output, args []string) error {
	var o generateOptions
	if _, err := parseFlags(generateFlags("generate", &o), args, 0, out); err != nil {
		return err
	}
	p, opts, err := openModule()
	if err != nil {
		return err
	}
	return regenerate(ctx, out, p, opts, o, nil)
}

// runDiff shows what generate would change.
func runDiff(ctx context.Context, out *output, args []string) error {
	var o generateOptions
	if _, err := parseFlags(generateFlags("diff", &o), args, 0, out); err != nil {
		return err
	}
	o.dryRun = true
	p, opts, err := openModule()
	if err != nil {
		return err
	}
	return regenerate(ctx, out, p, opts, o, nil)
}

// regenerate plans and, unless dry-run, applies a generation. config, when set, is the new
// kernia.yaml to write with it (add and remove).
func regenerate(ctx context.Context, out *output, p generator.Project, opts generator.Options, o generateOptions, config []byte) error {
	if !o.dryRun {
		// Merging again over unresolved markers would bury them in a new merge.
		if err := p.CheckConflictMarkers(); err != nil {
			return err
		}
	}
	ctx, done := out.working(ctx)
	plan, err := p.PlanGeneration(ctx, inputs, opts, generator.PlanOptions{Restore: o.restore})
	done()
	if err != nil {
		return err
	}
	if o.dryRun {
		diff := plan.Diff()
		out.result.DryRun, out.result.Diff = true, diff
		if out.mode == modeText {
			out.stdout.Write([]byte(diff))
		}
		out.plan(plan, true)
		return nil
	}
	if err := plan.Apply(); err != nil {
		return err
	}
	if config != nil {
		if err := p.WriteConfig(config); err != nil {
			return err
		}
		out.file(generator.ConfigFile, "config", generator.Updated.Key(), "")
		out.say("  %s %s", paint(out.color, cyan, fmt.Sprintf("%-13s", generator.Updated)), generator.ConfigFile)
	}
	out.plan(plan, false)
	if problems := plan.Problems(); len(problems) > 0 {
		return needsYou(problems)
	}
	return nil
}
