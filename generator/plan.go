package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"slices"
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
	// before is the file's digest when the plan was made (fileDigest), checked again just
	// before the file is replaced, so that a save made meanwhile is never overwritten.
	before string
	// base is the pristine copy recorded for the next generation (nil: none), of class
	// baseClass; prevBase is the one recorded until now, kept if the file is not written.
	base, prevBase []byte
	baseClass      Class
	// pending and yours record a conflict this plan leaves open: the generator's side, and
	// the digest of the user's file before the merge.
	pending []byte
	yours   string
	// deletedChange is the new version of a file the user deleted, when it differs from the
	// version they deleted: shown by Diff, since it may be a fix they want.
	deletedChange []byte
}

// Plan is what a generation would do to a module. Nothing is written until Apply.
type Plan struct {
	Changes []Change
	project Project
	// dir is the package folder, recorded in the manifest.
	dir string
	// config is the kernia.yaml to write with the plan (add and remove), or nil.
	config []byte
}

// SetConfig makes Apply write content as kernia.yaml, as part of the same recoverable run.
func (p *Plan) SetConfig(content []byte) { p.config = content }

// Writes reports whether applying the plan changes any file.
func (p Plan) Writes() bool {
	return p.config != nil || slices.ContainsFunc(p.Changes, func(c Change) bool {
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

// Blocked reports whether a path is blocked. Such a plan is not applied at all: applying the
// rest would leave a package that does not build.
func (p Plan) Blocked() bool {
	return slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Action == Blocked })
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
	st, err := p.readState()
	if err != nil {
		return Plan{}, err
	}
	migrated, err := p.readMigrations(st, opts.Dir)
	if err != nil {
		return Plan{}, err
	}
	if err := opts.checkSchemaChanges(migrated); err != nil {
		return Plan{}, err
	}
	opts.migrated = &migrated
	files, err := Generate(ctx, inputs, opts)
	if err != nil {
		return Plan{}, err
	}
	if po.Label == "" {
		po.Label = "kernia-gen " + Version
	}
	if err := p.checkMoved(&st, opts.Dir, po); err != nil {
		return Plan{}, err
	}
	if err := checkSchemaUnchanged(st, opts); err != nil {
		return Plan{}, err
	}
	plan := Plan{project: p, dir: opts.Dir}
	noState := len(st.bases) == 0
	for _, f := range files {
		current, err := p.read(f.Path)
		if err != nil {
			return Plan{}, err
		}
		last := lastGeneration{st.bases[f.Path], st.classes[f.Path], false, noState}
		_, last.known = st.bases[f.Path]
		delete(st.bases, f.Path)
		raw := current
		current = sameEndings(current, f.Content)
		// A conflict an earlier run left open, which the user has resolved since: the
		// generator's side of it is what their file now builds on. While their file is the
		// one from before that merge (the merge was undone), the old base stays, and the
		// generator's change comes back as a conflict.
		if oc, ok := st.conflicts[f.Path]; ok && current != nil && !conflictMarkers(f.Path, current) && digest(current) != oc.yours {
			last.base = oc.theirs
		}
		c, err := planFile(f, current, last, po)
		if err != nil {
			return Plan{}, err
		}
		c.before = fileDigest(raw)
		plan.Changes = append(plan.Changes, c)
	}
	// What the last generation wrote and this one does not: a removed plugin's files.
	for _, name := range sortedKeys(st.bases) {
		current, err := p.read(name)
		if err != nil {
			return Plan{}, err
		}
		base := st.bases[name]
		c := Change{Path: name, Class: st.classes[name], before: fileDigest(current), prevBase: base, baseClass: st.classes[name]}
		switch {
		case current == nil:
			c.Action, c.Note = Removed, "already gone"
		case c.Class == Migration:
			c.Action, c.Note, c.base = KeptEdited, "applied migrations are never removed", base
		case bytes.Equal(sameEndings(current, base), base):
			c.Action = Removed
		default:
			// The pristine copy stays until the user deletes the file, so that check keeps
			// naming it and a later add merges into it instead of calling it foreign.
			c.Action, c.Note, c.base = KeptEdited, "no longer generated, but you edited it; delete it when done", base
		}
		plan.Changes = append(plan.Changes, c)
	}
	opts.noteRemovedFields(&plan, migrated)
	p.checkRenamedRestores(plan.Changes, po.Restore)
	if err := p.checkMigrationVersions(plan.Changes); err != nil {
		return Plan{}, err
	}
	return plan, nil
}

// lastGeneration is what the last generation recorded of one file.
type lastGeneration struct {
	base  []byte
	class Class
	// known is whether there is a pristine copy; none means that kernia-gen never wrote the
	// file, or that .kernia/ is missing altogether (noState).
	known, noState bool
}

// planFile decides one emitted file's action. current is nil when the file does not exist.
func planFile(f File, current []byte, last lastGeneration, po PlanOptions) (Change, error) {
	base := last.base
	c := Change{Path: f.Path, Class: f.Class, base: f.Content, baseClass: f.Class, prevBase: base}
	write := func(a Action, note string) (Change, error) {
		c.Action, c.Note, c.content = a, note, f.Content
		return c, nil
	}
	keep := func(a Action, note string) (Change, error) {
		c.Action, c.Note, c.base, c.baseClass = a, note, base, last.class
		return c, nil
	}
	switch {
	case current == nil && last.known && f.Class != Generated && !po.Restore:
		if !bytes.Equal(base, f.Content) {
			c.deletedChange = f.Content
			return keep(LeftDeleted, "you deleted it, and kernia-gen has changed it since (a fix you may want): "+
				"kernia-gen diff shows the change, kernia-gen generate --restore brings the file back")
		}
		return keep(LeftDeleted, "you deleted it; kernia-gen generate --restore brings it back")
	case current == nil:
		return write(Created, "")
	case bytes.Equal(current, f.Content):
		c.Action = Unchanged
		return c, nil
	case !last.known && f.Class == Generated && bytes.HasPrefix(current, []byte(generatedHeader)):
		// Generated files hold no edits of the user's, so without a pristine copy (a clone
		// without .kernia/) kernia-gen can still rewrite its own.
		return write(OverwroteEdit, "no pristine copy; generated files are rewritten")
	case !last.known && last.noState:
		c.Action, c.Note, c.base = Blocked, "no pristine copy of the last generation: .kernia/ is missing (commit it with the package; "+
			"restore it from version control), so kernia-gen cannot tell your edits from its own", nil
		return c, nil
	case !last.known:
		c.Action, c.Note, c.base = Blocked, "a file kernia-gen did not write is in the way; move it and run again", nil
		return c, nil
	case f.Class == Migration:
		return keep(Unchanged, "migrations are never rewritten")
	case f.Class == Generated && last.class != Generated && !bytes.Equal(current, base):
		// The file was scaffolded, the user's, and they edited it; a new version generates it
		// and would rewrite it on every run. Their edits must move first.
		return keep(Blocked, "kernia-gen now generates this file (DO NOT EDIT) and you edited it while it was yours: "+
			"move your edits into a file of your own, then delete this one and run the command again")
	case f.Class == Generated && !bytes.Equal(current, base):
		return write(OverwroteEdit, "generated files are rewritten; put your change in a scaffolded file")
	case f.Class == Generated, bytes.Equal(current, base):
		return write(Updated, "")
	case bytes.Equal(f.Content, base):
		return keep(Unchanged, "your edits kept")
	}
	merged, conflicts, err := merge3(f.Path, current, base, f.Content, po.Label)
	if err != nil {
		return Change{}, err
	}
	c.content = merged
	if conflicts > 0 {
		// The base advances only once the user has resolved the markers (see PlanGeneration).
		c.Action, c.Note = Conflicted, fmt.Sprintf("%d conflicting change(s); resolve the markers", conflicts)
		c.base, c.baseClass, c.pending, c.yours = base, last.class, f.Content, digest(current)
	} else {
		c.Action, c.Note = Merged, "your edits kept"
	}
	return c, nil
}

// fileDigest is a file's digest, or "-" when it does not exist.
func fileDigest(b []byte) string {
	if b == nil {
		return "-"
	}
	return digest(b)
}

// sameEndings returns a file whose every line ends in CRLF with LF endings, when the text
// kernia-gen generates has none: a Windows checkout (core.autocrlf) converts every file, and
// that is not an edit.
func sameEndings(file, generated []byte) []byte {
	if !bytes.Contains(file, []byte("\r\n")) || bytes.Contains(generated, []byte("\r")) {
		return file
	}
	lf := bytes.ReplaceAll(file, []byte("\r\n"), []byte("\n"))
	if bytes.Count(lf, []byte("\n")) != bytes.Count(file, []byte("\r\n")) {
		return file // mixed endings: the user's own
	}
	return lf
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
