package generator

import (
	"fmt"
	"go/token"
	"path"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/mod/module"
)

// basePathPattern keeps the base path to plain segments: it is pasted into route patterns.
var basePathPattern = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+$`)

// Options are the structural choices of a generation. They are recorded in kernia.yaml so that a
// later generation reproduces them.
type Options struct {
	// ModulePath is the user's module path, read from go.mod.
	ModulePath string
	// GoTool makes the emitted go:generate directive run "go tool kernia-gen": go.mod lists
	// kernia-gen as a tool. Read from go.mod, like ModulePath; otherwise the directive runs
	// the kernia-gen that go install put on the PATH.
	GoTool bool
	// Dir is the emitted package's folder, relative to the module root (slash-separated).
	Dir string
	// Package is the emitted package's name.
	Package string
	// BasePath is where the auth handler is mounted, e.g. /api/auth.
	BasePath string
	// Plugins are the enabled plugins; "core" is always among them.
	Plugins []string
	// PluginOptions are the options set for each plugin, by plugin and option name; an option
	// not set takes its default.
	PluginOptions map[string]map[string]any
	// Server also emits cmd/server/main.go, a runnable server around the package.
	Server bool
	// Demo also emits a browser demo page, served by the server under /demo/; it needs Server.
	Demo bool
	// MigrationTable is the goose version table of the emitted migrations, kept apart from any
	// table the application's own goose migrations use.
	MigrationTable string
	// Schema is the PostgreSQL schema of the auth tables, named in every query and migration
	// ("auth" puts the users in auth."user"). Empty, the default, leaves them in the
	// connection's current schema, the first on its search_path. It is fixed when the first
	// migration is written: generate refuses to change it afterwards.
	Schema string
	// Models are the settings of the auth tables (modelName, fields, additionalFields), by
	// Better Auth's model name; see schema_config.go.
	Models map[string]ModelOptions
	// GenerateID is advanced.database.generateId: "" for Better Auth's random string ids,
	// "uuid" for UUIDs in uuid columns, or "serial" for integers the database assigns (an
	// identity column; the ids are still strings in Go and in the JSON, as Better Auth's).
	GenerateID string

	// migrated is what the module's migrations create already, when PlanGeneration read them:
	// the schema changes since become a migration of their own (schema_migrations.go).
	migrated *migratedSchema
}

// Defaults for the options a user may leave out.
const (
	DefaultDir            = "internal/auth"
	DefaultPackage        = "auth"
	DefaultBasePath       = "/api/auth"
	DefaultMigrationTable = "kernia_db_version"
)

// serverDir is where Server emits the runnable server, and demoDir where Demo emits the
// demo page that the server embeds.
const (
	serverDir = "cmd/server"
	demoDir   = serverDir + "/demo"
)

// withDefaults fills the options left empty.
func (o Options) withDefaults() Options {
	if o.Dir == "" {
		o.Dir = DefaultDir
	}
	if o.Package == "" {
		o.Package = path.Base(o.Dir)
	}
	if o.BasePath == "" {
		o.BasePath = DefaultBasePath
	}
	if o.MigrationTable == "" {
		o.MigrationTable = DefaultMigrationTable
	}
	if !slices.Contains(o.Plugins, "core") {
		o.Plugins = append([]string{"core"}, o.Plugins...)
	}
	return o
}

// validate reports the first option that cannot produce a working package.
func (o Options) validate() error {
	switch {
	case o.ModulePath == "":
		return fmt.Errorf("module path is empty: run kernia-gen in a Go module (go mod init)")
	case path.IsAbs(o.Dir) || strings.HasPrefix(path.Clean(o.Dir), ".."):
		return fmt.Errorf("dir %q must be a folder inside the module", o.Dir)
	case module.CheckImportPath(o.importPath()) != nil:
		// The folder is imported by the server and written into kernia.yaml and its comments:
		// no spaces, quotes, line breaks or other characters an import path cannot have.
		return fmt.Errorf("dir %q gives the package an invalid import path: use letters, digits and ._~- in its folders", o.Dir)
	case !token.IsIdentifier(o.Package) || token.IsKeyword(o.Package) || o.Package == "main":
		return fmt.Errorf("package %q is not a valid Go package name", o.Package)
	case !basePathPattern.MatchString(o.BasePath):
		return fmt.Errorf("base path %q must be one or more /segments of letters, digits and ._~- (e.g. /api/auth)", o.BasePath)
	case o.Demo && !o.Server:
		return fmt.Errorf("the demo page is served by the emitted server: demo needs server")
	case o.Server && path.Clean(o.Dir) == serverDir:
		return fmt.Errorf("dir %q is where --server writes its main package; choose another folder", o.Dir)
	case !validSQLIdentifier(o.MigrationTable):
		return fmt.Errorf("migration table %q must be a plain SQL identifier (letters, digits, _)", o.MigrationTable)
	case o.Schema != "" && !validSchema(o.Schema):
		return fmt.Errorf("schema %q must be a lowercase PostgreSQL identifier (a-z, digits, _; at most 63 characters), "+
			"neither a reserved word nor pg_*; e.g. auth", o.Schema)
	}
	for _, p := range o.Plugins {
		if _, err := LookupPlugin(p); err != nil {
			return err
		}
	}
	return o.validateSchema()
}

// importPath is the Go import path of the emitted package.
// DatabaseAssignsIDs is whether the database assigns the rows' ids (generateId: serial):
// inserts leave the id out, and the package makes none.
func (o Options) DatabaseAssignsIDs() bool {
	return o.GenerateID == "serial"
}

func (o Options) importPath() string {
	return path.Join(o.ModulePath, o.Dir)
}

func validSQLIdentifier(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
