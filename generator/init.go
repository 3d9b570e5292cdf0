package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// InitResult describes what Init wrote.
type InitResult struct {
	Options Options
	// Files are the emitted files, in the order written; kernia.yaml comes last.
	Files []File
}

// ErrInitialized means the module already has a kernia.yaml.
var ErrInitialized = errors.New("already initialised")

// Init generates the package into a module that has not been initialised, records the options in
// kernia.yaml and adds the runtime requirements to go.mod. It never overwrites a file: if any
// target exists, nothing is written.
func Init(ctx context.Context, inputs fs.FS, p Project, opts Options) (InitResult, error) {
	opts.ModulePath = p.ModulePath
	opts = opts.withDefaults()
	if _, err := os.Stat(filepath.Join(p.Root, ConfigFile)); err == nil {
		return InitResult{}, fmt.Errorf("%s exists: this module is %w; kernia-gen generate regenerates it", ConfigFile, ErrInitialized)
	}
	files, err := Generate(ctx, inputs, opts)
	if err != nil {
		return InitResult{}, err
	}
	files = append(files, File{Path: ConfigFile, Content: opts.configFile(), Class: Scaffolded})
	// The pristine copy of every scaffolded file: the base of the three-way merge that a later
	// generation runs against the user's edits. It lives in the repository so that a fresh
	// clone can regenerate.
	for _, f := range files {
		if f.Class == Scaffolded && f.Path != ConfigFile {
			files = append(files, File{Path: path.Join(BaseDir, f.Path), Content: f.Content, Class: Generated})
		}
	}

	var existing []string
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(p.Root, filepath.FromSlash(f.Path))); err == nil {
			existing = append(existing, f.Path)
		}
	}
	if len(existing) > 0 {
		return InitResult{}, fmt.Errorf("refusing to overwrite existing files: %s", strings.Join(existing, ", "))
	}
	if err := p.createAll(files); err != nil {
		return InitResult{}, err
	}
	if err := p.addRequirements(); err != nil {
		return InitResult{}, fmt.Errorf("updating go.mod: %w", err)
	}
	return InitResult{Options: opts, Files: files}, nil
}

// BaseDir holds the pristine copies of the scaffolded files, relative to the module root.
const BaseDir = ".kernia/base"

// createAll creates every file, none of which may exist yet. If one cannot be created, the
// files already created are removed again, so that a failed init leaves the module as it was.
func (p Project) createAll(files []File) error {
	var created []string
	for _, f := range files {
		name := filepath.Join(p.Root, filepath.FromSlash(f.Path))
		if err := createFile(name, f.Content); err != nil {
			for _, c := range created {
				os.Remove(c)
			}
			return fmt.Errorf("writing %s: %w", f.Path, err)
		}
		created = append(created, name)
	}
	return nil
}
