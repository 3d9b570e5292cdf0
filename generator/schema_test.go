package generator

import (
	"reflect"
	"strings"
	"testing"
)

const fieldsYAML = `user:
  modelName: users
  fields:
    emailVerified: email_verified
  additionalFields:
    plan: {type: string, required: false, defaultValue: "free plan"}
    tenantId: {type: string, required: true}
    role: {type: [member, "a,b"], input: false, defaultValue: member}
    visits: {type: number, bigint: true, index: true, required: false}
    tags: {type: "string[]", required: false, returned: false}
    nick: {type: string, unique: true, fieldName: nick_name, required: false}
session:
  additionalFields:
    device: {type: boolean, defaultValue: false}
advanced:
  database:
    generateId: uuid
`

func TestSchemaSettingsRoundTrip(t *testing.T) {
	o, err := WithSchemaSettings(Options{ModulePath: "m"}.withDefaults(), []byte(fieldsYAML))
	if err != nil {
		t.Fatal(err)
	}
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	// kernia.yaml as init writes it reads back as the same settings.
	again, err := parseConfig(o.YAML())
	if err != nil {
		t.Fatalf("%v\n%s", err, o.YAML())
	}
	if !reflect.DeepEqual(again.Models, o.Models) || again.GenerateID != "uuid" {
		t.Errorf("round trip:\n got %+v\nwant %+v\n%s", again.Models, o.Models, o.YAML())
	}
	user, _ := o.table("user")
	if user.SQLName != "users" {
		t.Errorf("modelName: %s", user.SQLName)
	}
	if f, _ := user.field("emailVerified"); f.Column != "email_verified" || f.GoName != "EmailVerified" {
		t.Errorf("renamed column: %+v", f)
	}
	if f, _ := user.field("tenantId"); !f.RequiredInput || f.GoName != "TenantID" {
		t.Errorf("tenantId: %+v", f)
	}
	if f, _ := user.field("plan"); f.Required || f.Default != "free plan" {
		t.Errorf("plan: %+v", f)
	}
	if f, _ := user.field("nick"); f.Column != "nick_name" || !f.Unique {
		t.Errorf("nick: %+v", f)
	}
}

func TestSchemaSettingsRefused(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{"user:\n  modelName: \"my users\"\n", "must be a plain SQL identifier"},
		{"user:\n  fields:\n    id: uid\n", "not a field of Better Auth's user table that can be renamed"},
		{"user:\n  fields:\n    nope: x\n", "not a field of Better Auth's user table"},
		{"verification:\n  additionalFields:\n    x: {type: string}\n", "additionalFields are only for user, session, account"},
		{"user:\n  additionalFields:\n    email: {type: string}\n", "has that field already"},
		{"user:\n  additionalFields:\n    x: {type: text}\n", `type "text": expected one of`},
		{"user:\n  additionalFields:\n    x: {required: false}\n", "type is missing"},
		{"user:\n  additionalFields:\n    x: {type: number, defaultValue: 1.5}\n", "whole number"},
		{"user:\n  additionalFields:\n    x: {type: number, defaultValue: 3000000000}\n", "whole number"},
		{"user:\n  additionalFields:\n    x: {type: [a, b], defaultValue: c}\n", "not among the allowed strings"},
		{"user:\n  additionalFields:\n    x: {type: string, bigint: true}\n", "bigint is for number fields"},
		{"user:\n  additionalFields:\n    x: {type: string, colour: red}\n", `unknown attribute "colour"`},
		{"user:\n  additionalFields:\n    x: {type: string, references: {model: team, field: id}}\n", `no auth table "team"`},
		{"advanced:\n  database:\n    generateId: random\n", "expected uuid or serial"},
		{"user:\n  additionalFields:\n    x: {type: string, fieldName: email}\n", `would both be column "email"`},
		{"session:\n  modelName: user\n", `would both be named "user"`},
		{"plugins: [core]\n", "is not a table setting"},
	} {
		o, err := WithSchemaSettings(Options{ModulePath: "m"}.withDefaults(), []byte(tt.yaml))
		if err == nil {
			err = o.validate()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.yaml, err, tt.want)
		}
	}
}

func TestIndexName(t *testing.T) {
	if got := indexName("session", "userId", false); got != "session_userId_idx" {
		t.Errorf("got %s", got)
	}
	if got := indexName("user", "nick_name", true); got != "user_nick_name_uidx" {
		t.Errorf("got %s", got)
	}
	// Past 63 bytes: truncated, with Better Auth's FNV-1a hash of the full name (computed with
	// @better-auth/core's getDatabaseIndexName).
	long := strings.Repeat("t", 40)
	got := indexName(long, strings.Repeat("c", 30), false)
	if len(got) != 63 || !strings.HasSuffix(got, "_idx") || !strings.HasPrefix(got, long+"_ccc") {
		t.Errorf("got %s (%d bytes)", got, len(got))
	}
}

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{"tenantId": "TenantID", "plan": "Plan", "apiURL": "APIURL", "nick_name": "NickName", "ipAddress": "IPAddress"} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := (Field{GoName: "TenantID"}).paramName(); got != "tenant_id" {
		t.Errorf("paramName: %s", got)
	}
}

// migratedWithPlan is a module whose first migration created the default tables and the plan field.
func migratedWithPlan(t *testing.T) (Options, migratedSchema) {
	t.Helper()
	o, err := WithSchemaSettings(Options{ModulePath: "m"}.withDefaults(), []byte("user:\n  additionalFields:\n    plan: {type: string, required: false}\n"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := o.addFields("user")
	if err != nil {
		t.Fatal(err)
	}
	m := readMigrated(map[string][]byte{o.Dir + "/migrations/" + firstMigration: []byte(first)}, o.Dir)
	return o, m
}

func TestSchemaChangesBecomeMigrations(t *testing.T) {
	o, m := migratedWithPlan(t)
	if files, err := o.schemaChanges(m); err != nil || len(files) != 0 {
		t.Fatalf("nothing changed, yet %v %v", files, err)
	}
	o2, _ := WithSchemaSettings(o, []byte("user:\n  modelName: users\n  additionalFields:\n    plan: {type: string, required: false}\n    seats: {type: number, required: false}\n"))
	files, err := o2.schemaChanges(m)
	if err != nil || len(files) != 1 || !strings.HasSuffix(files[0].Path, "/10001_schema_changes.sql") {
		t.Fatalf("%v %v", files, err)
	}
	sql := string(files[0].Content)
	for _, want := range []string{`alter table if exists "user" rename to "users";`, "-- kernia-gen field: user.seats integer seats", `alter table "users" add column "seats" integer;`, "-- +goose Down"} {
		if !strings.Contains(sql, want) {
			t.Errorf("missing %q in\n%s", want, sql)
		}
	}
	if strings.Contains(sql, `"plan"`) {
		t.Errorf("plan is migrated already:\n%s", sql)
	}
	// The next generation keeps that migration as it is and writes no other.
	m2 := readMigrated(map[string][]byte{o.Dir + "/migrations/" + firstMigration: []byte("x"), files[0].Path: files[0].Content}, o.Dir)
	m2.fields["user.plan"] = m.fields["user.plan"]
	again, err := o2.schemaChanges(m2)
	if err != nil || len(again) != 1 || string(again[0].Content) != sql {
		t.Errorf("second generation: %v %v", again, err)
	}
}

func TestSchemaChangesRefuseATypeChange(t *testing.T) {
	o, m := migratedWithPlan(t)
	o2, _ := WithSchemaSettings(o, []byte("user:\n  additionalFields:\n    plan: {type: number, required: false}\n"))
	err := o2.checkSchemaChanges(m)
	if err == nil || !strings.Contains(err.Error(), `its column is text "plan" in the database`) {
		t.Errorf("got %v", err)
	}
}

func TestIndexNameMatchesUpstream(t *testing.T) {
	// Printed by @better-auth/core 1.7.25's getDatabaseFieldIndexName for the same arguments.
	for _, tt := range []struct {
		table, column string
		unique        bool
		want          string
	}{
		{strings.Repeat("t", 40), strings.Repeat("c", 30), false, "tttttttttttttttttttttttttttttttttttttttt_ccccccccc_c2d81b60_idx"},
		{"usérs_" + strings.Repeat("x", 40), "naïve_column_name_é", true, "usérs_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_n_39fd76e2_uidx"},
	} {
		if got := indexName(tt.table, tt.column, tt.unique); got != tt.want {
			t.Errorf("indexName(%q, %q) = %q, want %q", tt.table, tt.column, got, tt.want)
		}
	}
}

func TestRemovedFieldIsNoted(t *testing.T) {
	o, m := migratedWithPlan(t)
	first := o.Dir + "/migrations/" + firstMigration
	plan := Plan{Changes: []Change{{Path: first, Action: Unchanged}}}
	removed := o
	removed.Models = nil
	removed.noteRemovedFields(&plan, m)
	if !strings.Contains(plan.Changes[0].Note, "user.plan is no longer in kernia.yaml: its column and data stay; alter table \"user\" drop column \"plan\"; drops them") {
		t.Errorf("plan with the field removed: %q", plan.Changes[0].Note)
	}
	plan = Plan{Changes: []Change{{Path: first, Action: Unchanged}}}
	o.noteRemovedFields(&plan, m)
	if plan.Changes[0].Note != "" {
		t.Errorf("plan with the field kept: %q", plan.Changes[0].Note)
	}
}

func TestSchemaChangesRefuseARenamedColumn(t *testing.T) {
	o, m := migratedWithPlan(t)
	first, err := o.createTable("user")
	if err != nil {
		t.Fatal(err)
	}
	m.columns = readMigrated(map[string][]byte{o.Dir + "/migrations/" + firstMigration: []byte(first)}, o.Dir).columns
	if err := o.checkSchemaChanges(m); err != nil {
		t.Fatalf("unchanged: %v", err)
	}
	renamed, _ := WithSchemaSettings(o, []byte("user:\n  fields:\n    emailVerified: email_verified\n  additionalFields:\n    plan: {type: string, required: false}\n"))
	err = renamed.checkSchemaChanges(m)
	if err == nil || !strings.Contains(err.Error(), "kernia-gen does not rename the columns of a migrated table") {
		t.Errorf("got %v", err)
	}
	// A module from before the markers: its columns are Better Auth's names.
	m.columns = map[string][]string{}
	if err := renamed.checkSchemaChanges(m); err == nil {
		t.Error("a renamed column of a module without markers was not refused")
	}
}

// serialOptions are the settings of generateId: serial with a field referencing a user.
func serialOptions(t *testing.T) Options {
	t.Helper()
	o, err := WithSchemaSettings(Options{ModulePath: "m"}.withDefaults(), []byte(
		"user:\n  additionalFields:\n    invitedBy: {type: string, required: false, references: {model: user, field: id}}\n"+
			"advanced:\n  database:\n    generateId: serial\n"))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestSerialIDs(t *testing.T) {
	o := serialOptions(t)
	// The columns as Better Auth's migration makes them: an identity id, integer references.
	for table, want := range map[string][]string{
		"user":    {`"id" integer generated by default as identity not null primary key`, `"invitedBy" integer references "user" ("id") on delete cascade`},
		"session": {`"id" integer generated by default as identity not null primary key`, `"userId" integer not null references "user" ("id") on delete cascade`},
	} {
		ddl, err := o.createTable(table)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(ddl, w) {
				t.Errorf("%s: missing %q in\n%s", table, w, ddl)
			}
		}
	}
	// Inserts leave the id to the database; selects read it.
	if cols, _ := o.sqlInsertColumns("session"); strings.Contains(cols, `"id"`) || !strings.HasPrefix(cols, `"expiresAt"`) {
		t.Errorf("insert columns: %s", cols)
	}
	if cols, _ := o.sqlColumns("session"); !strings.HasPrefix(cols, `"id", `) {
		t.Errorf("columns: %s", cols)
	}
	cols, _ := o.sqlInsertColumns("session")
	if vals, _ := o.sqlValues("session"); strings.Count(vals, "$") != strings.Count(cols, ",")+1 {
		t.Errorf("values %s for columns %s", vals, cols)
	}
	// sqlc gives the integer ids and references Go strings, pointers where nullable.
	overrides := o.sqlcOverrides()
	for _, w := range []string{"\"user.id\"\n            go_type: string", "\"session.userId\"\n            go_type: string", "\"user.invitedBy\"\n            go_type: {type: string, pointer: true}"} {
		if !strings.Contains(overrides, w) {
			t.Errorf("missing override %q in%s", w, overrides)
		}
	}
	user, _ := o.table("user")
	if f, _ := user.field("invitedBy"); f.InputFunc() != "inputSerialID" {
		t.Errorf("invitedBy reads with %s", f.InputFunc())
	}
}

func TestIDStrategyIsFixedByTheFirstMigration(t *testing.T) {
	for _, tt := range []struct{ first, now string }{{"serial", ""}, {"", "uuid"}, {"uuid", "serial"}} {
		first := Options{ModulePath: "m", GenerateID: tt.first}.withDefaults()
		marker := first.ddlFuncs()["idsMarker"].(func() string)()
		m := readMigrated(map[string][]byte{first.Dir + "/migrations/" + firstMigration: []byte(marker + "\n")}, first.Dir)
		if err := first.checkSchemaChanges(m); err != nil {
			t.Errorf("%q unchanged: %v", tt.first, err)
		}
		now := first
		now.GenerateID = tt.now
		if err := now.checkSchemaChanges(m); err == nil || !strings.Contains(err.Error(), "does not change the type of the id columns") {
			t.Errorf("%q → %q: %v", tt.first, tt.now, err)
		}
	}
}
