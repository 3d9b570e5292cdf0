package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// modulePath is kernia-gen's own module path, the one users install.
const modulePath = "github.com/kernia/kernia-gen"

// proxy is a module proxy on the file system (GOPROXY=file://...) that serves this checkout of
// kernia-gen as one version, so that go install and go get -tool run as a user runs them, without
// a published release. Every other module resolves as usual: from the module cache, or through
// the GOPROXY the environment already sets.
var proxy struct {
	once    sync.Once
	err     error
	dir     string
	version string
	env     []string // the environment of a go command that installs from the proxy
	modDirs []string // what the version adds to the shared module cache, removed at exit
}

// moduleProxy builds the proxy on first use, or fails the test if it could not.
func moduleProxy(t *testing.T) {
	t.Helper()
	proxy.once.Do(func() { proxy.err = buildProxy() })
	if proxy.err != nil {
		t.Fatal(proxy.err)
	}
}

func buildProxy() error {
	var err error
	if proxy.dir, err = os.MkdirTemp("", "kernia-proxy-"); err != nil {
		return err
	}
	// The module cache is shared by every run on this machine, and a version in it is never
	// fetched again; a version of its own per run makes each run install the code it tests.
	proxy.version = "v0.0.0-test." + strconv.FormatInt(time.Now().UnixNano(), 10)
	m := module.Version{Path: modulePath, Version: proxy.version}
	escaped, err := module.EscapePath(modulePath)
	if err != nil {
		return err
	}
	vdir := filepath.Join(proxy.dir, escaped, "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	var zip bytes.Buffer
	if files, err := checkoutFiles(".."); err == nil {
		err = modzip.Create(&zip, m, files)
		if err != nil {
			return err
		}
	} else if err := modzip.CreateFromDir(&zip, m, ".."); err != nil { // not a git checkout
		return err
	}
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		return err
	}
	info, err := json.Marshal(struct{ Version, Time string }{proxy.version, time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	for name, content := range map[string][]byte{
		"list":                  []byte(proxy.version + "\n"),
		proxy.version + ".info": info,
		proxy.version + ".mod":  gomod,
		proxy.version + ".zip":  zip.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(vdir, name), content, 0o644); err != nil {
			return err
		}
	}

	upstream, err := exec.Command("go", "env", "GOPROXY").Output()
	if err != nil {
		return fmt.Errorf("go env GOPROXY: %w", err)
	}
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return fmt.Errorf("go env GOMODCACHE: %w", err)
	}
	proxy.env = append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy.dir)+","+strings.TrimSpace(string(upstream)),
		// The checksum database has never seen this version; the modules it requires are
		// still checked against it (and against go.sum).
		"GONOSUMDB="+modulePath,
		// Go's default -mod=readonly, as a user has it; -modcacherw lets the version's folder
		// in the module cache be removed at exit.
		"GOFLAGS=-modcacherw",
	)
	cache := strings.TrimSpace(string(modcache))
	proxy.modDirs = []string{
		filepath.Join(cache, escaped+"@"+proxy.version),
		filepath.Join(cache, "cache", "download", escaped, "@v"),
	}
	return nil
}

// removeProxy deletes the proxy and the version it put into the module cache.
func removeProxy() {
	if proxy.dir == "" {
		return
	}
	os.RemoveAll(proxy.dir)
	if len(proxy.modDirs) == 2 {
		os.RemoveAll(proxy.modDirs[0])
		matches, _ := filepath.Glob(filepath.Join(proxy.modDirs[1], proxy.version+".*"))
		for _, m := range matches {
			os.Remove(m)
		}
		// go keeps the proxy's list of versions too; it names this version only.
		list := filepath.Join(proxy.modDirs[1], "list")
		if b, err := os.ReadFile(list); err == nil && string(b) == proxy.version+"\n" {
			os.Remove(list)
		}
	}
}

// checkoutFiles lists the files of the checkout at root that a release would hold: the ones
// git tracks or would track (not the ignored node_modules and reports), as they are on disk.
// Outside a git checkout it fails, and the whole folder goes into the zip.
func checkoutFiles(root string) ([]modzip.File, error) {
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		return nil, fmt.Errorf("listing the checkout's files with git: %w", err)
	}
	var files []modzip.File
	for _, name := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		if info, err := os.Lstat(filepath.Join(root, name)); err != nil || !info.Mode().IsRegular() {
			continue // deleted in the working tree, or a symbolic link
		}
		files = append(files, diskFile{root: root, name: name})
	}
	return files, nil
}

// diskFile is one file of the checkout, for the module zip.
type diskFile struct{ root, name string }

func (f diskFile) Path() string                 { return f.name }
func (f diskFile) Lstat() (os.FileInfo, error)  { return os.Lstat(filepath.Join(f.root, f.name)) }
func (f diskFile) Open() (io.ReadCloser, error) { return os.Open(filepath.Join(f.root, f.name)) }
