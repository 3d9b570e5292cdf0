package generator

import (
	"bytes"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Diff is a unified diff of what applying the plan changes, file by file, followed by the
// changes kernia-gen made to files the user deleted, which no run applies.
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
	for _, c := range p.Changes {
		if c.deletedChange != nil {
			b.WriteString("# " + c.Path + ": you deleted this file; kernia-gen changed it since (generate --restore brings it back)\n")
			b.WriteString(udiff.Unified("a/"+c.Path+" (as you deleted it)", "b/"+c.Path+" (as generated now)", string(c.prevBase), string(c.deletedChange)))
		}
	}
	return b.String()
}

// Check lists what is out of date or needs attention in the module: files a generation would
// change, generated files that were edited, files that kernia-gen no longer generates but
// still knows, and scaffolded files that still hold conflict markers. An empty list means the
// package is exactly what kernia.yaml generates.
func (p Plan) Check() ([]string, error) {
	var problems []string
	for _, c := range p.Changes {
		switch c.Action {
		case Unchanged, LeftDeleted:
		case OverwroteEdit:
			problems = append(problems, c.Path+": generated file was edited")
		case KeptEdited:
			if c.Class != Migration {
				problems = append(problems, c.Path+": no longer generated, and you edited it: move what you need and delete it")
			}
		case Blocked:
			problems = append(problems, c.Path+": "+c.Note)
		default:
			problems = append(problems, c.Path+": "+c.Action.String()+" by kernia-gen generate")
		}
		if c.Class != Migration && c.Action != LeftDeleted {
			current, err := p.project.read(c.Path)
			if err != nil {
				return nil, err
			}
			if conflictMarkers(c.Path, current) {
				problems = append(problems, c.Path+": conflict markers remain")
			}
		}
	}
	return problems, nil
}

// conflictMarkers reports whether content still holds a conflict marker that kernia-gen
// wrote into the file at path: the labelled "<<<<<<<", "|||||||" or ">>>>>>>" lines of its
// merges. A half-resolved conflict leaves one of them; other text that looks like a marker
// (a test holding "<<<<<<< ours" in a string) is the user's.
func conflictMarkers(path string, content []byte) bool {
	for _, line := range bytes.Split(content, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		switch {
		case bytes.Equal(line, []byte("<<<<<<< "+path+" (yours)")),
			bytes.Equal(line, []byte("||||||| "+path+" (last generated)")),
			bytes.HasPrefix(line, []byte(">>>>>>> "+path+" (")) && bytes.HasSuffix(line, []byte(")")):
			return true
		}
	}
	return false
}
