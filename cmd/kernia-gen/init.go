package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kernia/kernia-gen/generator"
)

type initOptions struct {
	dir, pkg, basePath string
	schema, schemaFrom string
	server, demo       bool
}

func initFlags(o *initOptions) *flag.FlagSet {
	fs := newFlagSet("init")
	fs.StringVar(&o.dir, "dir", generator.DefaultDir, "`folder` of the emitted package, relative to the module root")
	fs.StringVar(&o.pkg, "package", "", "package `name` (default: the folder's last element)")
	fs.StringVar(&o.basePath, "base-path", generator.DefaultBasePath, "`path` the auth handler is mounted on")
	fs.StringVar(&o.schema, "schema", "", "PostgreSQL `schema` of the auth tables, e.g. auth (default: the connection's current schema)")
	fs.StringVar(&o.schemaFrom, "schema-from", "", "YAML or JSON `file` with the tables' settings as Better Auth's options spell them "+
		"(user, session, account, verification, rateLimit: modelName, fields, additionalFields; advanced.database.generateId), "+
		"e.g. to take over a Node deployment's renamed tables; they go into kernia.yaml before the first migration is written")
	fs.BoolVar(&o.server, "server", false, "also emit cmd/server/main.go, a runnable server")
	fs.BoolVar(&o.demo, "demo", false, "also emit a browser demo page the server serves under /demo/ (implies --server)")
	return fs
}

// runInit emits the package into a module that has none yet.
func runInit(ctx context.Context, out *output, args []string) error {
	var o initOptions
	if _, err := parseFlags(initFlags(&o), args, 0, out); err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	project, err := generator.OpenProject(wd)
	if err != nil {
		return err
	}
	unlock, err := project.Lock(ctx, true, nil)
	if err != nil {
		return err
	}
	defer unlock()
	opts := generator.Options{
		Dir:      strings.TrimSuffix(o.dir, "/"),
		Package:  o.pkg,
		BasePath: o.basePath,
		Server:   o.server || o.demo,
		Demo:     o.demo,
		Schema:   o.schema,
	}
	if o.schemaFrom != "" {
		data, err := os.ReadFile(o.schemaFrom)
		if err != nil {
			return err
		}
		if opts, err = generator.WithSchemaSettings(opts, data); err != nil {
			return fmt.Errorf("%s:%w", o.schemaFrom, err)
		}
	}
	ctx, done := out.working(ctx)
	plan, err := generator.Init(ctx, inputs, project, opts)
	done()
	if err != nil {
		return err
	}
	for _, c := range plan.Changes {
		class := classOf(c.Path, c.Class)
		out.file(c.Path, class, c.Action.Key(), "")
		verb := "wrote"
		if c.Action != generator.Created {
			verb = "kept " // already there, as kernia-gen would write it
		}
		out.say("  %s  %-52s %s", paint(out.color, green, verb), c.Path, class)
	}
	out.file(generator.ConfigFile, "config", generator.Created.Key(), "")
	out.say("  %s  %-52s %s", paint(out.color, green, "wrote"), generator.ConfigFile, "config")
	out.file("go.mod", "config", generator.Updated.Key(), "runtime requirements")
	out.say("  %s  pristine copies under %s (commit them: regeneration merges against them)", paint(out.color, green, "wrote"), generator.BaseDir)
	out.say("  %s go.mod (runtime requirements)", paint(out.color, cyan, "updated"))
	opts, err = project.LoadConfig()
	if err != nil {
		return err
	}
	if out.mode == modeText {
		printNextSteps(out.stdout, opts)
	}
	return nil
}

func printNextSteps(w io.Writer, o generator.Options) {
	createSchema := ""
	if o.Schema != "" {
		// goose puts its version table in the schema, so the schema comes first.
		createSchema = fmt.Sprintf("       psql \"$DATABASE_URL\" -c 'create schema if not exists %s'\n", o.Schema)
		o.MigrationTable = o.Schema + "." + o.MigrationTable
	}
	fmt.Fprintf(w, `
Next steps:
  1. go mod tidy
  2. export DATABASE_URL=postgres://...  KERNIA_SECRET=$(openssl rand -base64 32)  KERNIA_BASE_URL=http://localhost:8080
  3. Migrate: call %[1]s.Migrate(ctx, pool) at start, or
%[4]s       goose -dir %[2]s/migrations -table %[3]s postgres "$DATABASE_URL" up
  4. Mount:   a, err := %[1]s.New(cfg, pool); mux.Handle(cfg.BasePath+"/", a.Handler())
`, o.Package, o.Dir, o.MigrationTable, createSchema)
	if o.Server {
		fmt.Fprintln(w, "  Or run the emitted server: go run ./cmd/server")
	}
	if o.Demo {
		fmt.Fprintln(w, "  Then open $KERNIA_BASE_URL/demo/ in a browser: the demo page signs up, signs in and lists sessions.")
	}
}
