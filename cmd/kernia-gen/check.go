package main

import (
	"context"
	"fmt"

	"github.com/kernia/kernia-gen/generator"
)

// runCheck fails when the package differs from what generate would produce, or holds
// conflict markers.
func runCheck(ctx context.Context, out *output, args []string) error {
	if _, err := parseFlags(newFlagSet("check"), args, 0, out); err != nil {
		return err
	}
	m, err := openModule(ctx, out, false)
	if err != nil {
		return err
	}
	defer m.unlock()
	ctx, done := out.working(ctx)
	plan, err := m.project.PlanGeneration(ctx, inputs, m.opts, generator.PlanOptions{})
	done()
	if err != nil {
		return err
	}
	problems, err := plan.Check()
	if err != nil {
		return err
	}
	for _, c := range plan.Changes {
		out.file(c.Path, classOf(c.Path, c.Class), c.Action.Key(), c.Note)
	}
	out.result.Problems = problems
	for _, line := range problems {
		out.say("  %s", line)
	}
	if len(problems) > 0 {
		return &cliError{code: "out_of_date", exit: exitError, msg: fmt.Sprintf(
			"the package is not what kernia.yaml generates (%d %s); run kernia-gen diff to see how, kernia-gen generate to update it",
			len(problems), plural(len(problems), "path", "paths"))}
	}
	out.say("  up to date")
	return nil
}
