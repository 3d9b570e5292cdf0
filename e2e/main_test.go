// Package e2e drives the real kernia-gen binary: it initialises a fresh module, checks the
// emitted code with the Go tools a user runs, runs the emitted package's own tests, and serves
// the emitted server over HTTP against a real PostgreSQL.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// app is the module that TestMain initialised with kernia-gen init --server.
var app struct {
	dir        string // module root
	kerniaGen  string // the kernia-gen binary
	server     string // the emitted server, built
	staticheck string // the staticcheck binary
	initOutput string
	setupErr   error
}

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "kernia-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	app.setupErr = setUp(tmp)
	code := m.Run()
	os.RemoveAll(tmp)
	removeProxy()
	os.Exit(code)
}

// setUp builds kernia-gen, runs init --server in an empty module and builds the result. Its
// error fails every test rather than aborting, so the report says what broke.
func setUp(tmp string) error {
	app.dir = filepath.Join(tmp, "app")
	app.kerniaGen = filepath.Join(tmp, "kernia-gen")
	app.server = filepath.Join(tmp, "server")
	app.staticheck = filepath.Join(tmp, "staticcheck")
	if err := os.MkdirAll(app.dir, 0o755); err != nil {
		return err
	}
	steps := []struct {
		dir  string
		args []string
	}{
		{"..", []string{"go", "build", "-o", app.kerniaGen, "./cmd/kernia-gen"}},
		{"..", []string{"go", "build", "-o", app.staticheck, "honnef.co/go/tools/cmd/staticcheck"}},
		{app.dir, []string{"go", "mod", "init", "example.com/app"}},
		{app.dir, []string{app.kerniaGen, "init", "--server"}},
		{app.dir, []string{"go", "mod", "tidy"}},
		{app.dir, []string{"go", "build", "-o", app.server, "./cmd/server"}},
	}
	for _, s := range steps {
		out, err := command(s.dir, s.args...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v\n%s", strings.Join(s.args, " "), err, out)
		}
		if s.args[0] == app.kerniaGen {
			app.initOutput = string(out)
		}
	}
	return nil
}

func command(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	return cmd
}

// needApp fails the test if TestMain could not set the module up.
func needApp(t *testing.T) {
	t.Helper()
	if app.setupErr != nil {
		t.Fatal(app.setupErr)
	}
}

// variantModule initialises module example.com/app in a new directory with kernia-gen init
// and initArgs (a variant: --demo, --server --schema auth, ...), checks it with go vet,
// staticcheck and gofmt, and builds its server. It returns the module's directory and the
// server binary. The module path is app.dir's, so that the build and staticcheck caches
// serve what the variants share.
func variantModule(t *testing.T, initArgs ...string) (dir, bin string) {
	t.Helper()
	needApp(t)
	dir = filepath.Join(t.TempDir(), "app")
	must(t, os.MkdirAll(dir, 0o755))
	bin = filepath.Join(dir, "server")
	for _, args := range [][]string{
		{"go", "mod", "init", "example.com/app"},
		append([]string{app.kerniaGen, "init"}, initArgs...),
		{"go", "mod", "tidy"},
		{"go", "vet", "./..."},
		{app.staticheck, "./..."},
		{"go", "build", "-o", bin, "./cmd/server"},
	} {
		if out, err := command(dir, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if out, err := command(dir, "gofmt", "-l", ".").CombinedOutput(); err != nil || len(out) != 0 {
		t.Errorf("gofmt -l: %v\n%s", err, out)
	}
	return dir, bin
}

// databaseURL returns the admin URL of the test PostgreSQL, or skips the test (fails under CI).
func databaseURL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("KERNIA_TEST_DATABASE_URL")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("KERNIA_TEST_DATABASE_URL is not set; CI requires a PostgreSQL")
		}
		t.Skip("set KERNIA_TEST_DATABASE_URL to a PostgreSQL URL (scripts/test does)")
	}
	return url
}

// newDatabase creates an empty database for one test and returns its URL.
func newDatabase(t *testing.T) string {
	t.Helper()
	admin := databaseURL(t)
	ctx := context.Background()
	name := fmt.Sprintf("e2e_%d", time.Now().UnixNano())
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "create database "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err == nil {
			_, _ = c.Exec(context.Background(), "drop database "+name+" with (force)")
			_ = c.Close(context.Background())
		}
	})
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
}
