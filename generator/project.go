package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// ConfigFile is the name of the file, at the module root, that records a generation's options.
const ConfigFile = "kernia.yaml"

// Project is the user's Go module that kernia-gen writes into.
type Project struct {
	// Root is the folder holding go.mod.
	Root string
	// ModulePath is the module's path from go.mod.
	ModulePath string
	// KerniaGenTool reports whether go.mod lists kernia-gen as a tool (go get -tool), so
	// that go tool kernia-gen runs it.
	KerniaGenTool bool
}

// OpenProject reads the go.mod in dir, which must be the module root. Without one it returns
// a *NotModuleRootError when a folder above dir holds a go.mod, and ErrNoModule otherwise.
func OpenProject(dir string) (Project, error) {
	gomod := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(gomod)
	if errors.Is(err, fs.ErrNotExist) {
		if root := moduleRootAbove(dir); root != "" {
			return Project{}, &NotModuleRootError{Dir: dir, Root: root}
		}
		return Project{}, fmt.Errorf("%w in %s or any folder above it: run `go mod init <module>` first (e.g. go mod init example.com/app), then run kernia-gen there", ErrNoModule, dir)
	}
	if err != nil {
		return Project{}, err
	}
	f, err := modfile.ParseLax(gomod, data, nil)
	if err != nil {
		return Project{}, fmt.Errorf("reading go.mod: %w", err)
	}
	if f.Module == nil || f.Module.Mod.Path == "" {
		return Project{}, fmt.Errorf("%s has no module line", gomod)
	}
	return Project{Root: dir, ModulePath: f.Module.Mod.Path, KerniaGenTool: listsTool(gomod, data, "kernia-gen")}, nil
}

// listsTool reports whether a go.mod has a tool directive for a tool named name; go tool finds
// a tool by the last element of its package path. ParseLax skips tool directives, so the file
// is parsed again in full; a go.mod that go would refuse lists no tool.
func listsTool(gomod string, data []byte, name string) bool {
	f, err := modfile.Parse(gomod, data, nil)
	if err != nil {
		return false
	}
	for _, t := range f.Tool {
		if path.Base(t.Path) == name {
			return true
		}
	}
	return false
}

// options returns opts with what the module decides rather than kernia.yaml: its path, and
// whether kernia-gen is one of its tools.
func (p Project) options(opts Options) Options {
	opts.ModulePath = p.ModulePath
	opts.GoTool = p.KerniaGenTool
	return opts
}

// FindProject opens the module that dir is in: dir itself or the nearest folder above it that
// holds a go.mod. The commands that work on an initialised module use it, so that they run from
// any folder of the module, as go generate runs them from the package's folder. init uses
// OpenProject instead: it decides where kernia.yaml goes, so it runs at the root only.
func FindProject(dir string) (Project, error) {
	p, err := OpenProject(dir)
	var below *NotModuleRootError
	if errors.As(err, &below) {
		return OpenProject(below.Root)
	}
	return p, err
}

// moduleRootAbove returns the nearest folder above dir that holds a go.mod, or "".
func moduleRootAbove(dir string) string {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		if info, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !info.IsDir() {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// runtimeRequirements are the modules the emitted code imports, at the versions kernia-gen is
// tested with. init adds them to go.mod, and generate those of a plugin it adds; go mod tidy
// then records their checksums.
var runtimeRequirements = []struct{ path, version, plugin string }{
	{"github.com/jackc/pgx/v5", "v5.11.0", ""},
	{"github.com/pressly/goose/v3", "v3.29.0", ""},
	{"golang.org/x/crypto", "v0.58.0", ""},
	{"golang.org/x/text", "v0.43.0", ""},
	{"github.com/oapi-codegen/runtime", "v1.8.0", ""},
	{"github.com/go-jose/go-jose/v4", "v4.1.8", ""}, // the cookie cache's jwt and jwe strategies
	{"github.com/wneessen/go-mail", "v0.8.1", ""},
	{"github.com/rs/cors", "v1.11.1", ""},              // Auth.CORS
	{"github.com/pquerna/otp", "v1.5.0", "two-factor"}, // the two-factor plugin's TOTP
	// The emitted tests' SMTP server (go-smtp, and go-sasl for its AUTH).
	{"github.com/emersion/go-smtp", "v0.25.1", ""},
	{"github.com/emersion/go-sasl", "v0.0.0-20241020182733-b788ff22d5a6", ""},
}

// AddRequirements adds the runtime requirements of the core and of plugins to go.mod, or
// raises an older requirement to the tested version; a newer one is kept. init runs it.
func (p Project) AddRequirements(plugins []string) error {
	return p.addRequirements(func(plugin string) bool { return plugin == "" || slices.Contains(plugins, plugin) })
}

// AddPluginRequirements adds only the plugins' own requirements, which a plugin added after
// init needs (generate runs it); the core's are left as go mod tidy left them. go.mod is
// written only when it changes.
func (p Project) AddPluginRequirements(plugins []string) error {
	return p.addRequirements(func(plugin string) bool { return plugin != "" && slices.Contains(plugins, plugin) })
}

func (p Project) addRequirements(include func(plugin string) bool) error {
	gomod := filepath.Join(p.Root, "go.mod")
	data, err := os.ReadFile(gomod)
	if err != nil {
		return err
	}
	f, err := modfile.Parse(gomod, data, nil)
	if err != nil {
		return fmt.Errorf("reading go.mod: %w", err)
	}
	have := map[string]string{}
	for _, r := range f.Require {
		have[r.Mod.Path] = r.Mod.Version
	}
	changed := false
	for _, r := range runtimeRequirements {
		if !include(r.plugin) {
			continue
		}
		if v, ok := have[r.path]; !ok || semver.Compare(v, r.version) < 0 {
			if err := f.AddRequire(r.path, r.version); err != nil {
				return err
			}
			changed = true
		}
	}
	if !changed {
		return nil
	}
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return err
	}
	return writeFileAtomic(gomod, out)
}

// writeFileAtomic replaces a file through a temporary file and a rename, so that an
// interrupted write never leaves a half-written file behind. A symbolic link is followed, so
// the link stays and its target gets the content, and the file keeps its permissions.
func writeFileAtomic(name string, data []byte) error {
	perm := fs.FileMode(0o644)
	if target, err := filepath.EvalSymlinks(name); err == nil {
		name = target
		if info, err := os.Stat(name); err == nil {
			perm = info.Mode().Perm()
		}
	}
	tmp, err := writeTemp(name, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	return os.Rename(tmp, name)
}

// createFile writes a new file atomically, failing if name exists: a hard link, unlike a
// rename, never replaces its target.
func createFile(name string, data []byte) error {
	tmp, err := writeTemp(name, data, 0o644)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	return os.Link(tmp, name)
}

// writeTemp writes data, synced to disk, to a new temporary file beside name.
func writeTemp(name string, data []byte, perm fs.FileMode) (string, error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".kernia-*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
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
