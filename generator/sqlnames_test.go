package generator

import (
	"context"
	"path"
	"regexp"
	"strings"
	"testing"

	kernia "github.com/kernia/kernia-gen"
)

func TestConfigSchema(t *testing.T) {
	o, err := parseConfig([]byte("schema: auth\n"))
	if err != nil || o.Schema != "auth" {
		t.Fatalf("schema: auth read as %q, %v", o.Schema, err)
	}
	if _, err := parseConfig([]byte("schema: [auth]\n")); err == nil || !strings.Contains(err.Error(), "1: expected a string") {
		t.Errorf("a list as schema: %v", err)
	}
	for _, schema := range []string{"", "auth"} {
		want := Options{ModulePath: "example.com/app", Schema: schema}.withDefaults()
		out := want.YAML()
		line := "\n# schema: auth\n"
		if schema != "" {
			line = "\nschema: auth\n"
		}
		if !strings.Contains(string(out), line) || !strings.Contains(string(out), "# PostgreSQL schema of the auth tables") {
			t.Errorf("schema %q: no line %q and its comment in:\n%s", schema, line, out)
		}
		got, err := parseConfig(out)
		if err != nil || got.Schema != schema {
			t.Errorf("schema %q read back as %q, %v", schema, got.Schema, err)
		}
	}
}

func TestSchemaValidation(t *testing.T) {
	for _, ok := range []string{"", "auth", "my_auth2", "_a", "public"} {
		if err := (Options{ModulePath: "m", Schema: ok}).withDefaults().validate(); err != nil {
			t.Errorf("schema %q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"Auth", "user", "select", "pg_auth", "a-b", "1a", "auth; drop table x", `"auth"`, "a.b", " auth", strings.Repeat("a", 64)} {
		err := Options{ModulePath: "m", Schema: bad}.withDefaults().validate()
		if err == nil || !strings.Contains(err.Error(), "lowercase PostgreSQL identifier") {
			t.Errorf("schema %q: %v", bad, err)
		}
	}
}

func TestTableNames(t *testing.T) {
	for _, tt := range []struct{ schema, table, prefix, expr, goose string }{
		{"", `"user"`, "", "current_schema()", "kernia_db_version"},
		{"auth", `auth."user"`, "auth.", "'auth'", "auth.kernia_db_version"},
	} {
		o := Options{Schema: tt.schema}.withDefaults()
		if got, _ := o.sqlTable("user"); got != tt.table {
			t.Errorf("schema %q: table %s, want %s", tt.schema, got, tt.table)
		}
		if got := o.sqlSchemaPrefix(); got != tt.prefix {
			t.Errorf("schema %q: prefix %q, want %q", tt.schema, got, tt.prefix)
		}
		if got := o.sqlSchemaExpr(); got != tt.expr {
			t.Errorf("schema %q: schema expression %s, want %s", tt.schema, got, tt.expr)
		}
		if got := o.migrationTableName(); got != tt.goose {
			t.Errorf("schema %q: goose table %s, want %s", tt.schema, got, tt.goose)
		}
	}
}

// unqualified matches an auth table named without a schema in SQL.
var unqualified = regexp.MustCompile(`\b(from|into|update|join|table|references|exists|on) +"(user|session|account|verification|rateLimit)"`)

// With a schema, no query, migration or raw SQL string of the emitted package names an auth
// table without it, and the catalog checks look in the schema, not in the current one.
func TestGenerateQualifiesEveryTable(t *testing.T) {
	plugins := []string{"core", "bearer", "multi-session"}
	plain := generateByPath(t, Options{ModulePath: "example.com/app", Server: true, Plugins: plugins})
	auth := generateByPath(t, Options{ModulePath: "example.com/app", Server: true, Plugins: plugins, Schema: "auth"})
	if n := countMatches(plain, unqualified); n < 50 {
		t.Fatalf("only %d table names without a schema found in the default output: the pattern is stale", n)
	}
	for name, f := range auth {
		if m := unqualified.FindAll(f.Content, -1); m != nil {
			t.Errorf("%s names tables without the schema: %q", name, m)
		}
		if path.Dir(name) == "internal/auth/migrations" && strings.Contains(string(f.Content), "current_schema()") {
			t.Errorf("%s looks in the current schema", name)
		}
	}
	first := string(auth["internal/auth/migrations/00001_better_auth_core.sql"].Content)
	for _, want := range []string{"if not exists (select 1 from pg_namespace where nspname = 'auth') then\n    create schema auth;\n", `create table if not exists auth."user" (`,
		`references auth."user" ("id") on delete cascade`, `where table_schema = 'auth' and table_name = t.name`} {
		if !strings.Contains(first, want) {
			t.Errorf("the first migration lacks %q", want)
		}
	}
	if m := string(auth["internal/auth/migrate.go"].Content); !strings.Contains(m, `const MigrationTable = "auth.kernia_db_version"`) {
		t.Errorf("migrate.go keeps goose's table outside the schema:\n%s", m)
	}
	if m := string(auth["internal/auth/store/models.go"].Content); !strings.Contains(m, "type User struct") || strings.Contains(m, "AuthUser") {
		t.Errorf("the models are named after the schema:\n%s", m)
	}
}

func countMatches(files map[string]File, re *regexp.Regexp) int {
	n := 0
	for _, f := range files {
		n += len(re.FindAll(f.Content, -1))
	}
	return n
}

func TestSchemaIsFixedByTheFirstMigration(t *testing.T) {
	migrationFor := func(schema string) []byte {
		files, err := Generate(context.Background(), kernia.Inputs, Options{ModulePath: "m", Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if path.Base(f.Path) == firstMigration {
				return f.Content
			}
		}
		t.Fatal("no first migration")
		return nil
	}
	const name = "internal/auth/migrations/" + firstMigration
	for _, tt := range []struct {
		was, now string
		want     string // "" when allowed
	}{
		{"", "", ""},
		{"auth", "auth", ""},
		{"", "auth", "To keep using them, remove schema from it"},
		{"auth", "", "schema is none (the connection's current schema), but this module's migrations"},
		{"auth", "other", "generated for schema auth"},
	} {
		st := state{bases: map[string][]byte{name: migrationFor(tt.was)}, classes: map[string]Class{name: Migration}}
		err := checkSchemaUnchanged(st, Options{Schema: tt.now})
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("schema %q to %q: %v, want %q", tt.was, tt.now, err, tt.want)
		}
	}
	// Nothing generated yet: any schema.
	if err := checkSchemaUnchanged(state{}, Options{Schema: "auth"}); err != nil {
		t.Errorf("a module without migrations: %v", err)
	}
}
