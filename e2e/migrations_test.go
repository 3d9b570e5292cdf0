package e2e

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for goose
	"github.com/pressly/goose/v3"
)

// migrate runs the emitted migrations on a database with goose, as a user's goose CLI would.
func migrate(t *testing.T, dbURL string, up bool) {
	t.Helper()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, os.DirFS(filepath.Join(app.dir, "internal/auth/migrations")),
		goose.WithTableName("kernia_db_version"), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if up {
		_, err = p.Up(context.Background())
	} else {
		_, err = p.DownTo(context.Background(), 0)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// schemaDump is pg_dump --schema-only of the public schema without goose's version table,
// reduced to its statements.
func schemaDump(t *testing.T, dbURL string) string {
	t.Helper()
	out, err := exec.Command(pgDump(t), "--schema-only", "--no-owner", "--no-privileges",
		"--exclude-table=kernia_db_version*", dbURL).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	return normalizeDump(string(out))
}

func normalizeDump(dump string) string {
	var keep []string
	for _, line := range strings.Split(dump, "\n") {
		if line == "" || strings.HasPrefix(line, "--") || strings.HasPrefix(line, "SET ") ||
			strings.HasPrefix(line, `\restrict`) || strings.HasPrefix(line, `\unrestrict`) ||
			strings.HasPrefix(line, "SELECT pg_catalog.set_config") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

func pgDump(t *testing.T) string {
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	if len(matches) == 0 {
		t.Fatal("pg_dump not found")
	}
	return matches[len(matches)-1]
}

// The schema the emitted migrations create is the one Better Auth 1.7.25's own migration
// engine creates (testdata holds its pg_dump), and the Down section removes it all.
func TestMigrationsMatchBetterAuth(t *testing.T) {
	needApp(t)
	dbURL := newDatabase(t)
	migrate(t, dbURL, true)
	want, err := os.ReadFile("testdata/better-auth-1.7.25.schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	if got := schemaDump(t, dbURL); got != normalizeDump(string(want)) {
		t.Errorf("schema differs from Better Auth 1.7.25's.\n got:\n%s\nwant:\n%s", got, normalizeDump(string(want)))
	}

	migrate(t, dbURL, false)
	if got := schemaDump(t, dbURL); got != "" {
		t.Errorf("after down, the schema still holds:\n%s", got)
	}
	migrate(t, dbURL, true) // and up again
}

// A database from Better Auth 1.7.0 - 1.7.2 has a NOT NULL account.issuer that 1.7.3+ never
// writes. The migrations relax it, keep every row, and new credential accounts can be stored.
func TestMigrationsAdoptIssuerLayout(t *testing.T) {
	needApp(t)
	dbURL := newDatabase(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `
		create table "user" ("id" text not null primary key, "name" text not null, "email" text not null unique, "emailVerified" boolean not null, "image" text, "createdAt" timestamptz default CURRENT_TIMESTAMP not null, "updatedAt" timestamptz default CURRENT_TIMESTAMP not null);
		create table "account" ("id" text not null primary key, "issuer" text not null, "accountId" text not null, "providerId" text not null, "userId" text not null references "user" ("id") on delete cascade, "accessToken" text, "refreshToken" text, "idToken" text, "accessTokenExpiresAt" timestamptz, "refreshTokenExpiresAt" timestamptz, "scope" text, "password" text, "createdAt" timestamptz default CURRENT_TIMESTAMP not null, "updatedAt" timestamptz not null);
		create unique index "account_issuer_accountId_uidx" on "account" ("issuer", "accountId");
		insert into "user" values ('u1', 'Old', 'old@example.com', false, null, now(), now());
		insert into "account" ("id", "issuer", "accountId", "providerId", "userId", "password", "updatedAt") values ('a1', 'local:credential', 'u1', 'credential', 'u1', 'x:y', now());`)
	if err != nil {
		t.Fatal(err)
	}
	migrate(t, dbURL, true)
	var n int
	if err := conn.QueryRow(ctx, `select count(*) from "account" where "issuer" = 'local:credential' and "userId" = 'u1'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the old account row: %d, %v", n, err)
	}
	_, err = conn.Exec(ctx, `insert into "account" ("id", "accountId", "providerId", "userId", "password", "updatedAt") values ('a2', 'u2', 'credential', 'u1', 'x:y', now())`)
	if err != nil {
		t.Errorf("an account without issuer after adoption: %v", err)
	}
}
