package generator

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
)

// MovedPackageError means that none of the package's scaffolded files are where kernia.yaml
// says the package is: most likely it was moved without telling kernia.yaml.
type MovedPackageError struct{ Dir string }

func (e *MovedPackageError) Error() string {
	return fmt.Sprintf("none of the package's files are in %s any more. If you moved the package (git mv), set dir: in %s "+
		"to its new folder and run the command again: kernia-gen moves its records with it. To write the package "+
		"into %s again, run kernia-gen generate --restore", e.Dir, ConfigFile, e.Dir)
}

// checkMoved follows a package that moved: when kernia.yaml names another folder than the
// last generation did and the package's files are there, the pristine copies move with
// them. When the folder kernia.yaml names has lost every scaffolded file, it stops, since
// regenerating would write only the generated half of the package there.
func (p Project) checkMoved(st *state, dir string, po PlanOptions) error {
	under := func(d string) []string {
		var out []string
		for name, class := range st.classes {
			if class == Scaffolded && strings.HasPrefix(name, d+"/") {
				out = append(out, name)
			}
		}
		return out
	}
	exists := func(name string) bool {
		_, err := os.Stat(p.path(name))
		return err == nil
	}
	if st.dir != "" && st.dir != dir {
		old := under(st.dir)
		moved := 0
		for _, name := range old {
			if exists(dir + strings.TrimPrefix(name, st.dir)) {
				moved++
			}
		}
		if moved == 0 {
			return nil // a new folder: the old one's files are removed as a plugin's are
		}
		rekey := func(name string) string {
			if strings.HasPrefix(name, st.dir+"/") {
				return dir + strings.TrimPrefix(name, st.dir)
			}
			return name
		}
		st.bases, st.classes, st.conflicts = rekeyed(st.bases, rekey), rekeyed(st.classes, rekey), rekeyed(st.conflicts, rekey)
		st.dir = dir
		return nil
	}
	files := under(dir)
	if len(files) == 0 || po.Restore {
		return nil
	}
	for _, name := range files {
		if exists(name) {
			return nil
		}
	}
	return &MovedPackageError{Dir: dir}
}

func rekeyed[V any](m map[string]V, key func(string) string) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[key(k)] = v
	}
	return out
}

// checkMigrationVersions blocks a new migration whose goose version a migration of the
// user's in the same folder already has: goose would refuse to start with both.
func (p Project) checkMigrationVersions(changes []Change) error {
	ours := map[string]bool{}
	for _, c := range changes {
		ours[c.Path] = true
	}
	for i, c := range changes {
		if c.Class != Migration || c.Action != Created {
			continue
		}
		version, ok := gooseVersion(path.Base(c.Path))
		if !ok {
			continue
		}
		dir := path.Dir(c.Path)
		entries, err := os.ReadDir(p.path(dir))
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		for _, e := range entries {
			name := path.Join(dir, e.Name())
			if v, ok := gooseVersion(e.Name()); ok && v == version && !ours[name] && !e.IsDir() {
				changes[i].Action, changes[i].content, changes[i].base = Blocked, nil, nil
				changes[i].Note = fmt.Sprintf("goose version %d is taken by %s, a migration kernia-gen did not write; "+
					"give yours another version (rename it and its row in the version table), then run the command again", version, name)
			}
		}
	}
	return nil
}

// gooseVersion is the version goose reads from a migration's file name: the number before
// the first underscore of a .sql or .go file.
func gooseVersion(name string) (int64, bool) {
	if path.Ext(name) != ".sql" && path.Ext(name) != ".go" {
		return 0, false
	}
	digits, _, ok := strings.Cut(name, "_")
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	return v, err == nil && v > 0
}

// checkRenamedRestores blocks restoring a deleted Go file whose declarations are all in
// another file of its folder now: the user renamed it, and restoring it would declare
// everything twice.
func (p Project) checkRenamedRestores(changes []Change, restore bool) {
	if !restore {
		return
	}
	for i, c := range changes {
		if c.Action != Created || c.prevBase == nil || path.Ext(c.Path) != ".go" {
			continue
		}
		names := topLevelNames(c.prevBase)
		if len(names) == 0 {
			continue
		}
		dir := path.Dir(c.Path)
		entries, _ := os.ReadDir(p.path(dir))
		for _, e := range entries {
			if e.IsDir() || path.Ext(e.Name()) != ".go" {
				continue
			}
			b, err := p.read(path.Join(dir, e.Name()))
			if err != nil || b == nil {
				continue
			}
			other := topLevelNames(b)
			if !slices.ContainsFunc(names, func(n string) bool { return !slices.Contains(other, n) }) {
				changes[i].Action, changes[i].content, changes[i].base = Blocked, nil, c.prevBase
				changes[i].Note = fmt.Sprintf("not restored: what it declares is in %s now (renamed?); delete that file first to restore this one", path.Join(dir, e.Name()))
				break
			}
		}
	}
}

// topLevelNames are the functions, methods ("*Auth.Ok") and types a Go file declares.
func topLevelNames(src []byte) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			switch {
			case d.Recv != nil && len(d.Recv.List) == 1:
				names = append(names, types.ExprString(d.Recv.List[0].Type)+"."+d.Name.Name)
			case d.Name.Name != "init":
				names = append(names, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if t, ok := s.(*ast.TypeSpec); ok {
					names = append(names, t.Name.Name)
				}
			}
		}
	}
	return names
}
