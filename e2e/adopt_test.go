package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// An existing application takes the package: its own main and router, its own goose
// migrations with a table that references "user", and its own CI. This is what docs/adopting.md
// tells such an application to do.
var existingApp = map[string]string{
	"appdb/migrations/00001_notes.sql": `-- +goose Up
create table notes (
  id bigserial primary key,
  user_id text not null references "user" ("id") on delete cascade,
  body text not null
);

-- +goose Down
drop table notes;
`,
	"appdb/migrate.go": `// Package appdb holds the application's own schema.
package appdb

import (
	"context"
	"embed"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate runs the application's migrations, in goose's default version table.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}
`,
	"cmd/app/main.go": `// Command app is an application that existed before it took the auth package.
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"example.com/app/appdb"
	"example.com/app/internal/auth"
)

func main() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	// The auth tables first: the application's reference "user".
	if err := auth.Migrate(ctx, pool); err != nil {
		log.Fatal(err)
	}
	if err := appdb.Migrate(ctx, pool); err != nil {
		log.Fatal(err)
	}
	cfg := auth.ConfigFromEnv()
	a, err := auth.New(cfg, pool)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(cfg.BasePath+"/", a.Handler())
	mux.Handle("POST /api/notes", a.RequireSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, _ := auth.SessionFrom(r.Context())
		if _, err := pool.Exec(r.Context(), "insert into notes (user_id, body) values ($1, 'hello')", s.User.ID); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})))
	mux.Handle("GET /api/notes", a.RequireSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, _ := auth.SessionFrom(r.Context())
		var n int
		if err := pool.QueryRow(r.Context(), "select count(*) from notes where user_id = $1", s.User.ID).Scan(&n); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]int{"notes": n})
	})))
	log.Fatal(http.ListenAndServe(os.Getenv("ADDR"), mux))
}
`,
}

func TestExistingApplication(t *testing.T) {
	needApp(t)
	dir := filepath.Join(t.TempDir(), "app")
	copyTree(t, app.dir, dir)
	for name, content := range existingApp {
		must(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	bin := filepath.Join(t.TempDir(), "app")
	if out, err := command(dir, "go", "build", "-o", bin, "./cmd/app").CombinedOutput(); err != nil {
		t.Fatalf("building the application: %v\n%s", err, out)
	}

	// Its CI, with CI=true and no PostgreSQL: the auth package's database tests skip.
	cmd := command(dir, "go", "test", "-count=1", "./...")
	cmd.Env = append(withoutTestDatabase(cmd.Env), "CI=true")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test ./... in a CI without PostgreSQL: %v\n%s", err, out)
	}

	t.Run("sign-up, own route, delete-user cascade, sign-out", func(t *testing.T) {
		db := newDatabase(t)
		p := startProcess(t, bin, "/api/auth/ok", "DATABASE_URL="+db, "KERNIA_SECRET="+secret,
			"KERNIA_BASE_URL=http://localhost:3000", "KERNIA_RATE_LIMIT=false", "KERNIA_DELETE_USER=true")
		s := &server{process: p, url: p.root + "/api/auth"}
		conn, err := pgx.Connect(context.Background(), db)
		must(t, err)
		t.Cleanup(func() { conn.Close(context.Background()) })
		s.db = conn
		origin := []string{"Origin", "http://localhost:3000"}

		r := s.call(t, "POST", "/sign-up/email", `{"name":"Ann","email":"ann@example.com","password":"password123"}`)
		if r.status != 200 || len(r.cookies) != 1 {
			t.Fatalf("sign-up: %d %s", r.status, r.body)
		}
		cookie := strings.Split(r.cookies[0], ";")[0]
		notes := &server{process: p, url: p.root + "/api"}
		if r := notes.call(t, "POST", "/notes", "", append(origin, "Cookie", cookie)...); r.status != 201 {
			t.Fatalf("POST /api/notes: %d %s", r.status, r.body)
		}
		if r := notes.call(t, "POST", "/notes", "", "Cookie", cookie, "Origin", "http://evil.example"); r.status != 403 {
			t.Errorf("a foreign-origin write to the application's route: %d %s", r.status, r.body)
		}
		if r := notes.call(t, "GET", "/notes", "", "Cookie", cookie); r.status != 200 || r.body != "{\"notes\":1}\n" {
			t.Errorf("GET /api/notes: %d %s", r.status, r.body)
		}
		if r := notes.call(t, "GET", "/notes", ""); r.status != 401 {
			t.Errorf("GET /api/notes signed out: %d %s", r.status, r.body)
		}
		// Both version tables, side by side.
		if n := s.count(t, `select count(*) from kernia_db_version where version_id > 0`) + s.count(t, `select count(*) from goose_db_version where version_id > 0`); n != 3 {
			t.Errorf("version rows: %d, want the auth package's 2 and the application's 1", n)
		}
		r = s.call(t, "POST", "/delete-user", `{"password":"password123"}`, append(origin, "Cookie", cookie)...)
		var body struct{ Success bool }
		if r.status != 200 || json.Unmarshal([]byte(r.body), &body) != nil || !body.Success {
			t.Fatalf("delete-user: %d %s", r.status, r.body)
		}
		if n := s.count(t, `select count(*) from notes`); n != 0 {
			t.Errorf("notes after delete-user: %d, want the cascade to remove them", n)
		}
		if r := s.call(t, "POST", "/sign-out", "{}", append(origin, "Cookie", cookie)...); r.status != 200 {
			t.Errorf("sign-out: %d %s", r.status, r.body)
		}
		if r := notes.call(t, "GET", "/notes", "", "Cookie", cookie); r.status != 401 {
			t.Errorf("GET /api/notes after sign-out: %d %s", r.status, r.body)
		}
	})

	t.Run("a table of the application's named user", func(t *testing.T) {
		db := newDatabase(t)
		conn, err := pgx.Connect(context.Background(), db)
		must(t, err)
		defer conn.Close(context.Background())
		_, err = conn.Exec(context.Background(), `create table "user" (id bigserial primary key, email text not null)`)
		must(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin)
		cmd.Env = append(os.Environ(), "DATABASE_URL="+db, "KERNIA_SECRET="+secret, "KERNIA_BASE_URL=http://localhost:3000", "ADDR="+freeAddr(t))
		out, err := cmd.CombinedOutput()
		for _, want := range []string{`table public."user" is in the way`, `lacks the columns name, "emailVerified", image, "createdAt", "updatedAt"`, "search_path=auth,public"} {
			if err == nil || !strings.Contains(string(out), want) {
				t.Errorf("start over a foreign \"user\" table: %v, output lacks %q:\n%s", err, want, out)
			}
		}
		var n int
		must(t, conn.QueryRow(context.Background(), `select count(*) from information_schema.tables where table_name in ('session', 'account', 'verification')`).Scan(&n))
		if n != 0 {
			t.Errorf("%d auth tables were created beside the foreign one", n)
		}
	})
}

// withoutTestDatabase is env without the variables that point tests at a database.
func withoutTestDatabase(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "KERNIA_TEST_") && !strings.HasPrefix(kv, "CI=") {
			out = append(out, kv)
		}
	}
	return out
}
