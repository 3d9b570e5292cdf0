package generator

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
)

// Init generates the package into a module that has not been initialised, records the options
// in kernia.yaml and the pristine copies in .kernia/base, and adds the runtime requirements to
// go.mod. It never overwrites a file: if a file kernia-gen would write exists with other
// content, nothing is written. If writing fails midway, the files already written are removed.
func Init(ctx context.Context, inputs fs.FS, p Project, opts Options) (Plan, error) {
	opts = p.options(opts)
	opts = opts.withDefaults()
	if _, err := os.Stat(p.path(ConfigFile)); err == nil {
		return Plan{}, fmt.Errorf("%s exists: this module is %w; run kernia-gen generate to regenerate it, or kernia-gen add <plugin> to enable a plugin", ConfigFile, ErrInitialized)
	}
	if _, err := os.Stat(p.path(ManifestFile)); err == nil {
		return Plan{}, fmt.Errorf("%s is missing, but %s records an earlier generation of this module: restore %s from version control "+
			"(git checkout -- %s) and run kernia-gen generate; to start over instead, delete .kernia/ first", ConfigFile, ManifestFile, ConfigFile, ConfigFile)
	}
	plan, err := p.PlanGeneration(ctx, inputs, opts, PlanOptions{})
	if err != nil {
		return Plan{}, err
	}
	// init only ever creates files: pristine copies left by an earlier generation (without
	// a manifest) must not make it remove or rewrite anything.
	var problems []string
	for _, c := range plan.Changes {
		if c.Action != Created && c.Action != Unchanged {
			problems = append(problems, c.Path)
		}
	}
	if len(problems) > 0 {
		return Plan{}, fmt.Errorf("refusing to overwrite or remove existing files: %s", strings.Join(problems, ", "))
	}
	plan.SetConfig(opts.YAML())
	if err := plan.Apply(); err != nil {
		plan.undoCreated()
		return Plan{}, err
	}
	if err := p.AddRequirements(opts.Plugins); err != nil {
		return plan, fmt.Errorf("updating go.mod: %w", err)
	}
	return plan, nil
}

// undoCreated removes the files, and their pristine copies, that the plan created, and the
// journal that would otherwise complete the failed run later.
func (p Plan) undoCreated() {
	for _, c := range p.Changes {
		if c.Action == Created {
			os.Remove(p.project.path(c.Path))
			os.Remove(p.project.path(path.Join(BaseDir, c.Path)))
		}
	}
	os.Remove(p.project.path(journalFile))
	os.Remove(p.project.path(ManifestFile))
}

// BaseDir holds the pristine copy of every file of the last generation, relative to the module
// root: the base of the three-way merge that a later generation runs against the user's edits.
// It lives in the repository so that a fresh clone can regenerate.
const BaseDir = ".kernia/base"
