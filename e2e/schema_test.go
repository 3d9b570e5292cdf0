package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// kernia.yaml's schema: a module initialised with --schema auth passes the Go tools and its
// own tests, and its server keeps every table, goose's included, in schema auth of a fresh
// database, beside an application table named "user" in public, which it leaves alone.
func TestSchemaVariant(t *testing.T) {
	dir, bin := variantModule(t, "--server", "--schema", "auth")
	if !strings.Contains(read(dir, "kernia.yaml"), "\nschema: auth\n") {
		t.Errorf("kernia.yaml does not record the schema:\n%s", read(dir, "kernia.yaml"))
	}

	t.Run("the schema cannot change once migrations exist", func(t *testing.T) {
		yaml := read(dir, "kernia.yaml")
		t.Cleanup(func() { must(t, os.WriteFile(filepath.Join(dir, "kernia.yaml"), []byte(yaml), 0o644)) })
		must(t, os.WriteFile(filepath.Join(dir, "kernia.yaml"), []byte(strings.Replace(yaml, "\nschema: auth\n", "\nschema: other\n", 1)), 0o644))
		before := snapshot(t, dir)
		out, err := command(dir, app.kerniaGen, "generate").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "were generated for schema auth, and migrations are never rewritten") {
			t.Errorf("generate with another schema: %v\n%s", err, out)
		}
		if snapshot(t, dir) != before {
			t.Error("the refused generate changed files")
		}
	})

	t.Run("sign-up lands in schema auth", func(t *testing.T) {
		db := newDatabase(t)
		conn, err := pgx.Connect(context.Background(), db)
		must(t, err)
		t.Cleanup(func() { conn.Close(context.Background()) })
		// The application's own "user" table, which stops a module without a schema.
		_, err = conn.Exec(context.Background(), `create table "user" (id bigserial primary key, email text not null)`)
		must(t, err)
		s := runServerBinary(t, bin, db, "KERNIA_BASE_URL=http://localhost:3000")
		r := s.call(t, "POST", "/sign-up/email", `{"name":"Ann","email":"ann@example.com","password":"password123"}`)
		if r.status != 200 || len(r.cookies) != 1 {
			t.Fatalf("sign-up: %d %s", r.status, r.body)
		}
		cookie := strings.Split(r.cookies[0], ";")[0]
		if r := s.call(t, "GET", "/get-session", "", "Cookie", cookie); r.status != 200 || !strings.Contains(r.body, `"email":"ann@example.com"`) {
			t.Errorf("get-session: %d %s", r.status, r.body)
		}
		if n := s.count(t, `select count(*) from auth."user" where "email" = 'ann@example.com'`); n != 1 {
			t.Errorf("%d users in auth.\"user\", want 1", n)
		}
		if n := s.count(t, `select count(*) from auth."session" s join auth."account" a using ("userId")`); n != 1 {
			t.Errorf("%d session and account pairs in schema auth, want 1", n)
		}
		if n := s.count(t, `select count(*) from auth.kernia_db_version where version_id > 0`); n != 2 {
			t.Errorf("%d migrations recorded in auth.kernia_db_version, want 2", n)
		}
		if n := s.count(t, `select count(*) from "user"`); n != 0 {
			t.Errorf("the application's public.\"user\" has %d rows", n)
		}
		var public []string
		rows, err := conn.Query(context.Background(), `select table_name from information_schema.tables where table_schema = 'public' order by 1`)
		must(t, err)
		public, err = pgx.CollectRows(rows, pgx.RowTo[string])
		must(t, err)
		if strings.Join(public, ",") != "user" {
			t.Errorf("tables in public: %q, want only the application's user", public)
		}
	})

	// Better Auth 1.7.25's schema (testdata: its migration engine's tables, dumped) in schema
	// auth, as a Node deployment whose connections had search_path=auth created it.
	nodeSchema, err := os.ReadFile("testdata/better-auth-1.7.25.schema.sql")
	must(t, err)
	nodeInAuth := "CREATE SCHEMA auth;\n" + strings.ReplaceAll(normalizeDump(string(nodeSchema)), "public.", "auth.")

	t.Run("the tables are Better Auth's, in schema auth", func(t *testing.T) {
		db := newDatabase(t)
		s := runServerBinary(t, bin, db, "KERNIA_BASE_URL=http://localhost:3000")
		s.process.stop()
		out, err := exec.Command(pgDump(t), "--schema-only", "--no-owner", "--no-privileges", "--schema=auth",
			"--exclude-table=auth.kernia_db_version*", db).CombinedOutput()
		must(t, err)
		if got := normalizeDump(string(out)); got != nodeInAuth {
			t.Errorf("schema auth differs from Better Auth 1.7.25's.\n got:\n%s\nwant:\n%s", got, nodeInAuth)
		}
	})

	t.Run("a Node database in schema auth is adopted", func(t *testing.T) {
		db := newDatabase(t)
		conn, err := pgx.Connect(context.Background(), db)
		must(t, err)
		t.Cleanup(func() { conn.Close(context.Background()) })
		_, err = conn.Exec(context.Background(), nodeInAuth)
		must(t, err)
		_, err = conn.Exec(context.Background(), `insert into auth."user" ("id", "name", "email", "emailVerified") values ('nodeUser0123456789abcdef012345', 'Node', 'node@example.com', true)`)
		must(t, err)
		s := runServerBinary(t, bin, db, "KERNIA_BASE_URL=http://localhost:3000")
		if r := s.call(t, "POST", "/sign-up/email", `{"name":"Go","email":"go@example.com","password":"password123"}`); r.status != 200 {
			t.Fatalf("sign-up after adopting: %d %s", r.status, r.body)
		}
		if r := s.call(t, "POST", "/sign-up/email", `{"name":"Again","email":"node@example.com","password":"password123"}`); r.status != 422 {
			t.Errorf("sign-up as Node's user: %d %s, want 422 (the adopted user exists)", r.status, r.body)
		}
		if n := s.count(t, `select count(*) from auth."user"`); n != 2 {
			t.Errorf("%d users in auth.\"user\", want Node's and Go's", n)
		}
	})

	t.Run("the emitted tests", func(t *testing.T) {
		databaseURL(t)
		if out, err := command(dir, "go", "test", "-count=1", "./...").CombinedOutput(); err != nil {
			t.Fatalf("go test in the module with schema auth: %v\n%s", err, out)
		}
	})
}
