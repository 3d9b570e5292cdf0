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
	server, demo       bool
}

func initFlags(o *initOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.StringVar(&o.dir, "dir", generator.DefaultDir, "folder of the emitted package, relative to the module root")
	fs.StringVar(&o.pkg, "package", "", "package name (default: the folder's last element)")
	fs.StringVar(&o.basePath, "base-path", generator.DefaultBasePath, "path the auth handler is mounted on")
	fs.BoolVar(&o.server, "server", false, "also emit cmd/server/main.go, a runnable server")
	fs.BoolVar(&o.demo, "demo", false, "also emit a browser demo page the server serves under /demo/ (implies --server)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: kernia-gen init [flags]

Emits the auth package into the Go module in the current folder, records the choices in
kernia.yaml and adds the runtime requirements to go.mod. It never overwrites a file.

Example:
  go mod init example.com/app
  kernia-gen init --server
  go mod tidy && go run ./cmd/server

  kernia-gen init --demo          # the server, plus a page at /demo/ to try it in a browser

Flags:
`)
		fs.PrintDefaults()
	}
	return fs
}

func runInit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o initOptions
	fs := initFlags(&o)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kernia-gen init: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	project, err := generator.OpenProject(wd)
	if err != nil {
		return err
	}
	plan, err := generator.Init(ctx, inputs, project, generator.Options{
		Dir:      strings.TrimSuffix(o.dir, "/"),
		Package:  o.pkg,
		BasePath: o.basePath,
		Server:   o.server || o.demo,
		Demo:     o.demo,
	})
	if err != nil {
		return err
	}
	for _, c := range plan.Changes {
		fmt.Fprintf(stdout, "  wrote  %-52s %s\n", c.Path, c.Class)
	}
	fmt.Fprintf(stdout, "  wrote  pristine copies under %s (commit them: regeneration merges against them)\n", generator.BaseDir)
	fmt.Fprintln(stdout, "  updated go.mod (runtime requirements)")
	opts, err := project.LoadConfig()
	if err != nil {
		return err
	}
	printNextSteps(stdout, opts)
	return nil
}

func printNextSteps(w io.Writer, o generator.Options) {
	fmt.Fprintf(w, `
Next steps:
  1. go mod tidy
  2. export DATABASE_URL=postgres://...  KERNIA_SECRET=$(openssl rand -base64 32)  KERNIA_BASE_URL=http://localhost:8080
  3. Migrate: call %[1]s.Migrate(ctx, pool) at start, or
       goose -dir %[2]s/migrations -table %[3]s postgres "$DATABASE_URL" up
  4. Mount:   a, err := %[1]s.New(cfg, pool); mux.Handle(cfg.BasePath+"/", a.Handler())
`, o.Package, o.Dir, o.MigrationTable)
	if o.Server {
		fmt.Fprintln(w, "  Or run the emitted server: go run ./cmd/server")
	}
	if o.Demo {
		fmt.Fprintln(w, "  Then open $KERNIA_BASE_URL/demo/ in a browser: the demo page signs up, signs in and lists sessions.")
	}
}
