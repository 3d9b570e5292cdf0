package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Action is what a generation does, or would do, to one file.
type Action int

const (
	Unchanged     Action = iota // already as generated, or the user's edits and nothing new
	Created                     // a new file
	Updated                     // rewritten: a generated file, or a scaffolded one the user had not edited
	Merged                      // the user's edits and the generator's changes, combined cleanly
	Conflicted                  // written with conflict markers where both sides changed the same lines
	OverwroteEdit               // a generated file the user had edited, rewritten: edits belong elsewhere
	Removed                     // a file of a removed plugin, as generated
	KeptEdited                  // a file of a removed plugin that the user edited: kept
	LeftDeleted                 // a scaffolded file or migration the user deleted: not recreated
	Blocked                     // a file kernia-gen did not write is where it would write one
)

var actionNames = map[Action]string{
	Unchanged: "unchanged", Created: "created", Updated: "updated", Merged: "merged",
	Conflicted: "CONFLICT", OverwroteEdit: "overwrote", Removed: "removed", KeptEdited: "kept",
	LeftDeleted: "left deleted", Blocked: "BLOCKED",
}

func (a Action) String() string { return actionNames[a] }

var actionKeys = map[Action]string{
	Unchanged: "unchanged", Created: "created", Updated: "updated", Merged: "merged",
	Conflicted: "conflict", OverwroteEdit: "overwritten", Removed: "removed", KeptEdited: "kept",
	LeftDeleted: "left-deleted", Blocked: "blocked",
}

// Key is the action's stable, machine-readable name: unchanged, created, updated, merged,
// conflict, overwritten, removed, kept, left-deleted or blocked.
func (a Action) Key() string { return actionKeys[a] }

// Change is the plan for one file.
type Change struct {
	Path   string
	Class  Class
	Action Action
	// Note says why, for the actions that need it.
	Note string

	content []byte // what to write; nil when nothing is written
	base    []byte // the new pristine copy; nil removes it
}

// Plan is what a generation would do to a module. Nothing is written until Apply.
type Plan struct {
	Changes []Change
	project Project
}

// Writes reports whether applying the plan changes any file.
func (p Plan) Writes() bool {
	return slices.ContainsFunc(p.Changes, func(c Change) bool {
		return c.Action != Unchanged && c.Action != LeftDeleted && c.Action != KeptEdited && c.Action != Blocked
	})
}

// Problems are the changes that need the user: conflicts, blocked paths, and edited files
// that are no longer generated (a removed plugin's), which may no longer build.
func (p Plan) Problems() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.Action == Conflicted || c.Action == Blocked || c.Action == KeptEdited && c.Class != Migration {
			out = append(out, c)
		}
	}
	return out
}

// Options for planning a generation.
type PlanOptions struct {
	// Restore recreates scaffolded files and migrations the user deleted.
	Restore bool
	// Label names the generator side in conflict markers, e.g. "kernia-gen v1.2.0".
	Label string
}

// PlanGeneration compares what opts generate with the module's files and with the pristine
// copies of the last generation (.kernia/base), and decides each file's action:
//
//   - generated files are rewritten; an edit to one is reported, not merged;
//   - scaffolded files are three-way merged: the user's version, the last generated version
//     (the base) and the new one;
//   - migrations are written once and never rewritten;
//   - files of the last generation that are no longer generated (a removed plugin) are
//     removed, unless the user edited them;
//   - a scaffolded file or migration the user deleted stays deleted unless Restore is set.
func (p Project) PlanGeneration(ctx context.Context, inputs fs.FS, opts Options, po PlanOptions) (Plan, error) {
	opts = p.options(opts)
	files, err := Generate(ctx, inputs, opts)
	if err != nil {
		return Plan{}, err
	}
	if po.Label == "" {
		po.Label = "kernia-gen " + Version
	}
	bases, err := p.readBases()
	if err != nil {
		return Plan{}, err
	}
	plan := Plan{project: p}
	for _, f := range files {
		current, err := p.read(f.Path)
		if err != nil {
			return Plan{}, err
		}
		base, hadBase := bases[f.Path]
		delete(bases, f.Path)
		c, err := planFile(f, current, base, hadBase, po)
		if err != nil {
			return Plan{}, err
		}
		plan.Changes = append(plan.Changes, c)
	}
	// What the last generation wrote and this one does not: a removed plugin's files.
	for _, name := range sortedKeys(bases) {
		current, err := p.read(name)
		if err != nil {
			return Plan{}, err
		}
		c := Change{Path: name, Class: classify(name, bases[name])}
		switch {
		case current == nil:
			c.Action, c.Note = Removed, "already gone"
		case c.Class == Migration:
			c.Action, c.Note, c.base = KeptEdited, "applied migrations are never removed", bases[name]
		case bytes.Equal(current, bases[name]):
			c.Action = Removed
		default:
			c.Action, c.Note = KeptEdited, "no longer generated, but you edited it; delete it when done"
		}
		plan.Changes = append(plan.Changes, c)
	}
	return plan, nil
}

// planFile decides one emitted file's action. current is nil when the file does not exist.
func planFile(f File, current, base []byte, hadBase bool, po PlanOptions) (Change, error) {
	c := Change{Path: f.Path, Class: f.Class, base: f.Content}
	write := func(a Action, note string) (Change, error) {
		c.Action, c.Note, c.content = a, note, f.Content
		return c, nil
	}
	switch {
	case current == nil && hadBase && f.Class != Generated && !po.Restore:
		c.Action, c.Note, c.base = LeftDeleted, "you deleted it; kernia-gen generate --restore brings it back", base
		return c, nil
	case current == nil:
		return write(Created, "")
	case bytes.Equal(current, f.Content):
		c.Action = Unchanged
		return c, nil
	case !hadBase:
		c.Action, c.Note, c.base = Blocked, "a file kernia-gen did not write is in the way; move it and run again", nil
		return c, nil
	case f.Class == Migration:
		c.Action, c.Note = Unchanged, "migrations are never rewritten"
		c.base = base
		return c, nil
	case f.Class == Generated && !bytes.Equal(current, base):
		return write(OverwroteEdit, "generated files are rewritten; put your change in a scaffolded file")
	case f.Class == Generated, bytes.Equal(current, base):
		return write(Updated, "")
	case bytes.Equal(f.Content, base):
		c.Action, c.Note = Unchanged, "your edits kept"
		return c, nil
	}
	merged, conflicts, err := merge3(f.Path, current, base, f.Content, po.Label)
	if err != nil {
		return Change{}, err
	}
	c.content = merged
	if conflicts > 0 {
		c.Action, c.Note = Conflicted, fmt.Sprintf("%d conflicting change(s); resolve the markers", conflicts)
	} else {
		c.Action, c.Note = Merged, "your edits kept"
	}
	return c, nil
}

// Apply writes the plan: each file atomically, then its pristine copy.
func (p Plan) Apply() error {
	for _, c := range p.Changes {
		name := p.project.path(c.Path)
		switch {
		case c.Action == Created:
			if err := createFile(name, c.content); err != nil {
				return fmt.Errorf("writing %s: %w", c.Path, err)
			}
		case c.content != nil:
			if err := writeFileAtomic(name, c.content); err != nil {
				return fmt.Errorf("writing %s: %w", c.Path, err)
			}
		case c.Action == Removed:
			if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		if err := p.project.writeBase(c.Path, c.base); err != nil {
			return err
		}
	}
	return nil
}

func (p Project) path(rel string) string {
	return filepath.Join(p.Root, filepath.FromSlash(rel))
}

// read returns a file's content, or nil if it does not exist.
func (p Project) read(rel string) ([]byte, error) {
	b, err := os.ReadFile(p.path(rel))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// readBases returns the pristine copies of the last generation, by module-relative path.
func (p Project) readBases() (map[string][]byte, error) {
	bases := map[string][]byte{}
	root := p.path(BaseDir)
	err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && name == root {
			return fs.SkipAll
		}
		if err != nil || d.IsDir() || strings.Contains(d.Name(), ".kernia-") {
			return err
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, name)
		bases[filepath.ToSlash(rel)] = b
		return nil
	})
	return bases, err
}

// writeBase records (or, with nil, removes) a file's pristine copy.
func (p Project) writeBase(rel string, content []byte) error {
	name := p.path(path.Join(BaseDir, rel))
	if content == nil {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, content) {
		return nil
	}
	return writeFileAtomic(name, content)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Diff is a unified diff of what applying the plan changes, file by file.
func (p Plan) Diff() string {
	var b strings.Builder
	for _, c := range p.Changes {
		if c.content == nil && c.Action != Removed {
			continue
		}
		old, err := p.project.read(c.Path)
		if err != nil {
			old = nil
		}
		b.WriteString(udiff.Unified("a/"+c.Path, "b/"+c.Path, string(old), string(c.content)))
	}
	return b.String()
}

// Check lists what is out of date or needs attention in the module: files a generation would
// change, generated files that were edited, and scaffolded files that still hold conflict
// markers. An empty list means the package is exactly what kernia.yaml generates.
func (p Plan) Check() ([]string, error) {
	var problems []string
	for _, c := range p.Changes {
		switch c.Action {
		case Unchanged, LeftDeleted:
		case OverwroteEdit:
			problems = append(problems, c.Path+": generated file was edited")
		case KeptEdited:
			if c.Class != Migration {
				problems = append(problems, c.Path+": no longer generated")
			}
		default:
			problems = append(problems, c.Path+": "+c.Action.String()+" by kernia-gen generate")
		}
		if c.Class == Scaffolded && c.Action != LeftDeleted {
			current, err := p.project.read(c.Path)
			if err != nil {
				return nil, err
			}
			if conflictMarkers(current) {
				problems = append(problems, c.Path+": conflict markers remain")
			}
		}
	}
	return problems, nil
}
