package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kernia/kernia-gen/generator"
)

type generateOptions struct {
	dryRun, restore, noBuild bool
}

func generateFlags(name string, o *generateOptions) *flag.FlagSet {
	fs := newFlagSet(name)
	if name != "diff" {
		fs.BoolVar(&o.dryRun, "dry-run", false, "show what would change, as a diff, and write nothing")
		fs.BoolVar(&o.noBuild, "no-build", false, "skip building the package after the change")
	}
	fs.BoolVar(&o.restore, "restore", false, "recreate scaffolded files you deleted")
	return fs
}

// module is an initialised module, locked for one command.
type module struct {
	project generator.Project
	opts    generator.Options
	unlock  func()
}

// openModule finds the module the current folder is in (at its root or below it), takes its
// lock, exclusively for the commands that write, and then reads kernia.yaml, so that two
// commands never plan against the same files. A writing command first completes a run that
// was interrupted; a reading one reports it.
func openModule(ctx context.Context, out *output, exclusive bool) (*module, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	p, err := generator.FindProject(wd)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(p.Root, generator.ConfigFile)); err != nil {
		if _, err := p.LoadConfig(); err != nil {
			return nil, err // not initialised: nothing to lock
		}
	}
	unlock, err := p.Lock(ctx, exclusive, func() {
		out.say("  waiting for another kernia-gen run in this module to finish")
	})
	if err != nil {
		return nil, err
	}
	m := &module{project: p, unlock: unlock}
	if err := m.recover(out, exclusive); err != nil {
		unlock()
		return nil, err
	}
	if m.opts, err = p.LoadConfig(); err != nil {
		unlock()
		return nil, err
	}
	if exclusive {
		if err := p.RemoveTempFiles(m.opts.Dir, "cmd/server"); err != nil {
			unlock()
			return nil, err
		}
	}
	return m, nil
}

// recover completes an interrupted run before a writing command, and stops a reading one.
func (m *module) recover(out *output, exclusive bool) error {
	if !m.project.Interrupted() {
		return nil
	}
	if !exclusive {
		return errors.New("an earlier kernia-gen run in this module was interrupted before it finished; " +
			"run kernia-gen generate to complete it")
	}
	done, err := m.project.Recover()
	var changed *generator.ChangedDuringRunError
	if err != nil && !errors.As(err, &changed) {
		return fmt.Errorf("completing an interrupted run: %w", err)
	}
	out.say("  completed an earlier kernia-gen run that was interrupted (%d files)", len(done.Changes))
	if changed != nil {
		out.say("  %s", changed.Error())
	}
	return nil
}

// runGenerate regenerates the package from kernia.yaml.
func runGenerate(ctx context.Context, out *output, args []string) error {
	var o generateOptions
	if _, err := parseFlags(generateFlags("generate", &o), args, 0, out); err != nil {
		return err
	}
	m, err := openModule(ctx, out, !o.dryRun)
	if err != nil {
		return err
	}
	defer m.unlock()
	return regenerate(ctx, out, m, m.opts, o, false)
}

// runDiff shows what generate would change.
func runDiff(ctx context.Context, out *output, args []string) error {
	var o generateOptions
	if _, err := parseFlags(generateFlags("diff", &o), args, 0, out); err != nil {
		return err
	}
	o.dryRun = true
	m, err := openModule(ctx, out, false)
	if err != nil {
		return err
	}
	defer m.unlock()
	return regenerate(ctx, out, m, m.opts, o, false)
}

// regenerate plans and, unless dry-run, applies a generation of opts. With configChange (add
// and remove), kernia.yaml is edited to opts as part of the same run. A dry run ends as the
// real run would: with the same error, or exit status 3 where files would need the user.
func regenerate(ctx context.Context, out *output, m *module, opts generator.Options, o generateOptions, configChange bool) error {
	p := m.project
	// Merging again over unresolved markers would bury them in a new merge.
	if err := p.CheckConflictMarkers(); err != nil {
		return err
	}
	ctx, done := out.working(ctx)
	plan, err := p.PlanGeneration(ctx, inputs, opts, generator.PlanOptions{Restore: o.restore})
	done()
	if err != nil {
		return err
	}
	if configChange {
		config, err := p.EditConfig(opts)
		if err != nil {
			return err
		}
		plan.SetConfig(config)
	}
	if o.dryRun {
		diff := plan.Diff()
		out.result.DryRun, out.result.Diff = true, diff
		if out.mode == modeText {
			out.stdout.Write([]byte(diff))
		}
		out.plan(plan, true)
		if problems := plan.Problems(); len(problems) > 0 {
			return needsYou(problems, true)
		}
		return nil
	}
	if plan.Blocked() {
		// Applying the rest would leave a package that does not build.
		out.plan(plan, true)
		return needsYou(plan.Problems(), true)
	}
	err = plan.Apply()
	var changed *generator.ChangedDuringRunError
	if err != nil && !errors.As(err, &changed) {
		return err
	}
	// A plugin added now may import a module that init did not add (two-factor's TOTP).
	if err := p.AddPluginRequirements(opts.Plugins); err != nil {
		return fmt.Errorf("updating go.mod: %w", err)
	}
	if configChange {
		out.file(generator.ConfigFile, "config", generator.Updated.Key(), "")
		out.say("  %s %s", paint(out.color, cyan, fmt.Sprintf("%-13s", generator.Updated)), generator.ConfigFile)
	}
	out.plan(plan, false)
	if changed != nil {
		return &cliError{code: "changed_during_run", exit: exitNeedsYou, msg: changed.Error(), files: changed.Paths}
	}
	if problems := plan.Problems(); len(problems) > 0 {
		return needsYou(problems, false)
	}
	if o.noBuild || !buildAfterWriting || !plan.Writes() {
		return nil
	}
	return verifyBuild(ctx, out, p, opts)
}
