package generator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// journalFile holds a plan while Apply carries it out. A run that is interrupted (killed, a
// full disk) leaves it behind, and the next command completes the run from it before doing
// anything else, so that no file is left that kernia-gen wrote but does not know about.
const journalFile = ".kernia/journal"

// journal is the serialised form of a plan.
type journal struct {
	Config  []byte          `json:"config,omitempty"`
	Dir     string          `json:"dir"`
	Changes []journalChange `json:"changes"`
}

type journalChange struct {
	Path      string `json:"path"`
	Class     Class  `json:"class"`
	Action    Action `json:"action"`
	Content   []byte `json:"content,omitempty"`
	Before    string `json:"before"`
	Base      []byte `json:"base,omitempty"`
	PrevBase  []byte `json:"prevBase,omitempty"`
	BaseClass Class  `json:"baseClass"`
	Pending   []byte `json:"pending,omitempty"`
	Yours     string `json:"yours,omitempty"`
}

// ChangedDuringRunError lists files that changed between planning and writing (a save in an
// editor while kernia-gen ran). They were not written; running the command again merges the
// new edits.
type ChangedDuringRunError struct{ Paths []string }

func (e *ChangedDuringRunError) Error() string {
	return fmt.Sprintf("%s changed while kernia-gen ran and %s not written, so that your save is kept: "+
		"run the command again to merge %s", strings.Join(e.Paths, ", "),
		plural(len(e.Paths), "was", "were"), plural(len(e.Paths), "it", "them"))
}

// Apply writes the plan: the journal first, then each file atomically (unless it changed
// since it was planned), the pristine copies and manifest, kernia.yaml, and last the removal
// of the journal. A plan with a blocked path is not applied.
func (p Plan) Apply() error {
	if p.Blocked() {
		return errors.New("a path is blocked; nothing was written")
	}
	if !p.Writes() {
		return p.writeState() // the pristine copies may still move on (a resolved conflict)
	}
	if err := p.writeJournal(); err != nil {
		return fmt.Errorf("writing %s: %w", journalFile, err)
	}
	return p.apply(false)
}

// apply carries out a journaled plan. In recovery, a file already holding its new content
// counts as written.
func (p Plan) apply(recovering bool) error {
	var changed []string
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.content == nil && c.Action != Removed {
			continue
		}
		current, err := p.project.read(c.Path)
		if err != nil {
			return err
		}
		now := fileDigest(current)
		if recovering && (c.content != nil && now == digest(c.content) || c.Action == Removed && current == nil) {
			continue // done before the interruption
		}
		if now != c.before {
			// Keep what the user saved, and the pristine copy it was edited against.
			changed = append(changed, c.Path)
			c.base, c.pending, c.yours = c.prevBase, nil, ""
			continue
		}
		if err := p.project.writeFile(*c); err != nil {
			return fmt.Errorf("writing %s: %w", c.Path, err)
		}
	}
	if err := p.writeState(); err != nil {
		return err
	}
	if p.config != nil {
		if err := p.project.WriteConfig(p.config); err != nil {
			return err
		}
	}
	if err := os.Remove(p.project.path(journalFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if len(changed) > 0 {
		return &ChangedDuringRunError{Paths: changed}
	}
	return nil
}

// writeFile carries out one change to the module's files.
func (p Project) writeFile(c Change) error {
	name := p.path(c.Path)
	switch {
	case c.Action == Created:
		return createFile(name, c.content)
	case c.content != nil:
		return writeFileAtomic(name, c.content)
	case c.Action == Removed:
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func (p Plan) writeJournal() error {
	j := journal{Config: p.config, Dir: p.dir}
	for _, c := range p.Changes {
		j.Changes = append(j.Changes, journalChange{
			Path: c.Path, Class: c.Class, Action: c.Action, Content: c.content, Before: c.before,
			Base: c.base, PrevBase: c.prevBase, BaseClass: c.baseClass, Pending: c.pending, Yours: c.yours,
		})
	}
	data, err := json.Marshal(j)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(p.project.path(".kernia"), 0o755); err != nil {
		return err
	}
	return writeFileAtomic(p.project.path(journalFile), data)
}

// Recover completes a run that was interrupted, from its journal. It returns the plan it
// completed, or nil when there was nothing to complete. Files the user changed since are
// left as they are and listed in a *ChangedDuringRunError.
func (p Project) Recover() (*Plan, error) {
	data, err := os.ReadFile(p.path(journalFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("%s is damaged (%v); restore .kernia/ and the package from version control, or delete it and run kernia-gen check", journalFile, err)
	}
	plan := Plan{project: p, dir: j.Dir, config: j.Config}
	for _, c := range j.Changes {
		plan.Changes = append(plan.Changes, Change{
			Path: c.Path, Class: c.Class, Action: c.Action, content: c.Content, before: c.Before,
			base: c.Base, prevBase: c.PrevBase, baseClass: c.BaseClass, pending: c.Pending, yours: c.Yours,
		})
	}
	return &plan, plan.apply(true)
}

// Interrupted reports whether an earlier run stopped before it finished (see Recover).
func (p Project) Interrupted() bool {
	_, err := os.Stat(p.path(journalFile))
	return err == nil
}

// RemoveTempFiles deletes the temporary files that an interrupted write leaves beside the
// files it was writing, in .kernia/ and the given folders of the module. Call it only while
// holding the lock, when no other kernia-gen can be writing.
func (p Project) RemoveTempFiles(dirs ...string) error {
	for _, dir := range append(dirs, ".kernia") {
		root := p.path(dir)
		err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && name == root {
				return fs.SkipAll
			}
			if err != nil {
				return err
			}
			if !d.IsDir() && isTempFile(d.Name()) {
				return os.Remove(name)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
