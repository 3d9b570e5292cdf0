package generator

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// merge3 combines the user's version of a scaffolded file with the generator's new version,
// against the version generated last time. It runs git merge-file, the merge that editors and
// `git diff --check` understand: overlapping changes come out as standard, labelled
// conflict markers with the base section (diff3 style). conflicts is how many overlaps there are.
//
// kernia-gen does not carry a merge algorithm of its own; git is on nearly every machine that
// builds Go. Without it, a file that both sides changed cannot be merged and is reported.
func merge3(path string, yours, base, theirs []byte, theirsLabel string) (merged []byte, conflicts int, err error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return nil, 0, fmt.Errorf("%s changed on both sides and merging needs git, which is not installed", path)
	}
	dir, err := os.MkdirTemp("", "kernia-merge-")
	if err != nil {
		return nil, 0, err
	}
	defer os.RemoveAll(dir)
	names := [3]string{filepath.Join(dir, "yours"), filepath.Join(dir, "base"), filepath.Join(dir, "theirs")}
	for i, content := range [][]byte{yours, base, theirs} {
		if err := os.WriteFile(names[i], content, 0o600); err != nil {
			return nil, 0, err
		}
	}
	cmd := exec.Command(git, "merge-file", "-p", "--diff3",
		"-L", path+" (yours)", "-L", path+" (last generated)", "-L", path+" ("+theirsLabel+")",
		names[0], names[1], names[2])
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	// git merge-file exits with the number of conflicts, or a negative status on error.
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.Bytes(), 0, nil
	case errors.As(err, &exit) && exit.ExitCode() > 0 && exit.ExitCode() < 128:
		return stdout.Bytes(), exit.ExitCode(), nil
	default:
		return nil, 0, fmt.Errorf("git merge-file on %s: %v: %s", path, err, stderr.String())
	}
}

// CheckConflictMarkers returns a *ConflictMarkersError if files that kernia-gen wrote (those
// with a pristine copy) still hold conflict markers, as an unresolved merge of an earlier
// generate leaves them.
func (p Project) CheckConflictMarkers() error {
	st, err := p.readState()
	if err != nil {
		return err
	}
	var paths []string
	for _, name := range sortedKeys(st.bases) {
		if st.classes[name] == Migration {
			continue
		}
		current, err := p.read(name)
		if err != nil {
			return err
		}
		if conflictMarkers(name, current) {
			paths = append(paths, name)
		}
	}
	if len(paths) > 0 {
		return &ConflictMarkersError{Paths: paths}
	}
	return nil
}
