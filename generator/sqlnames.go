package generator

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"unicode"
)

// The SQL names of the auth tables. Every query, migration and raw SQL string of the emitted
// package names its tables through the template functions below, applied to the queries and
// migrations before sqlc and goose see them and to the Go templates, so that where the tables
// live (kernia.yaml's schema) is decided here and only here.

// sqlTable is the SQL name of the auth table called name in Better Auth's schema: its
// modelName, quoted, and qualified with the configured schema if there is one: "user",
// "users", or auth."user".
func (o Options) sqlTable(name string) (string, error) {
	t, err := o.table(name)
	if err != nil {
		return "", err
	}
	return o.sqlSchemaPrefix() + strconv.Quote(t.SQLName), nil
}

// insertedFields are the fields an insert gives values: all, but the id when the database
// assigns it (generateId: serial).
func (o Options) insertedFields(t Table) []Field {
	if o.DatabaseAssignsIDs() {
		return slices.DeleteFunc(slices.Clone(t.Fields), func(f Field) bool { return f.Name == "id" })
	}
	return t.Fields
}

// sqlInsertColumns lists the columns an insert of a whole row names: {{columns}}, without
// the id when the database assigns it.
func (o Options) sqlInsertColumns(table string) (string, error) {
	t, err := o.table(table)
	if err != nil {
		return "", err
	}
	fields := o.insertedFields(t)
	cols := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = strconv.Quote(f.Column)
	}
	return strings.Join(cols, ", "), nil
}

// sqlValues is one positional parameter per column of {{insertColumns}}; sqlc names each
// after its column.
func (o Options) sqlValues(table string) (string, error) {
	t, err := o.table(table)
	if err != nil {
		return "", err
	}
	params := make([]string, len(o.insertedFields(t)))
	for i := range params {
		params[i] = "$" + strconv.Itoa(i+1)
	}
	return strings.Join(params, ", "), nil
}

// sqlUpdateFields are the set clauses of an update that may change each additional field, one
// "set_<column>" flag per field: "plan" = case when sqlc.arg(set_plan) then sqlc.narg(plan)
// else "plan" end. Each ends in a comma. The client sets only the input fields; a database
// hook may change any.
func (o Options) sqlUpdateFields(table string) (string, error) {
	t, err := o.table(table)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, f := range t.Additional() {
		col, param := strconv.Quote(f.Column), f.paramName()
		fmt.Fprintf(&b, "\n    %s = case when sqlc.arg(set_%s)::boolean then sqlc.narg(%s) else %s end,", col, param, param, col)
	}
	return b.String(), nil
}

// sqlTableName is a table's bare SQL name as a string literal, for the catalog queries of
// the migrations ("where table_name = 'user'").
func (o Options) sqlTableName(name string) (string, error) {
	t, err := o.table(name)
	if err != nil {
		return "", err
	}
	return sqlString(t.SQLName), nil
}

// sqlColumn is the quoted SQL column of a table's field: "emailVerified", or the column
// kernia.yaml's fields (or an additional field's fieldName) names.
func (o Options) sqlColumn(table, field string) (string, error) {
	t, err := o.table(table)
	if err != nil {
		return "", err
	}
	f, ok := t.field(field)
	if !ok {
		return "", fmt.Errorf("table %s has no field %q", table, field)
	}
	return strconv.Quote(f.Column), nil
}

// sqlColumns lists every column of a table, additional fields included, in the order of its
// model struct, so that sqlc returns the model itself: "id", "name", ... With an alias,
// each is qualified: u."id", u."name", ...
func (o Options) sqlColumns(table string, alias ...string) (string, error) {
	t, err := o.table(table)
	if err != nil {
		return "", err
	}
	prefix := ""
	if len(alias) > 0 {
		prefix = alias[0] + "."
	}
	cols := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		cols[i] = prefix + strconv.Quote(f.Column)
	}
	return strings.Join(cols, ", "), nil
}

// sqlSchemaPrefix is what goes before a table's quoted name: "" without a schema, else
// "auth.". The schema is a lowercase identifier that needs no quoting (see validSchema).
func (o Options) sqlSchemaPrefix() string {
	if o.Schema == "" {
		return ""
	}
	return o.Schema + "."
}

// sqlSchemaExpr is an SQL expression for the schema that holds the auth tables, for catalog
// queries: current_schema() without a schema, else the schema as a string literal.
func (o Options) sqlSchemaExpr() string {
	if o.Schema == "" {
		return "current_schema()"
	}
	return "'" + o.Schema + "'"
}

// migrationTableName is goose's version table as goose is given it: in the auth tables'
// schema if there is one.
func (o Options) migrationTableName() string {
	return o.sqlSchemaPrefix() + o.MigrationTable
}

// sqlFuncs are the template functions that name the auth tables and their columns:
//
//	{{table "user"}}            "user", auth."user", or "users" (modelName)
//	{{user "emailVerified"}}    "emailVerified", or "email_verified" (fields); one function
//	                            per table: session, account, verification, rateLimit, ...
//	{{columns "user"}}          every column of the table, additional fields included
//	{{columns "user" "u"}}      the same, qualified: u."id", u."name", ...
//	{{insertColumns "user"}}    the columns an insert names: all, but the id when the database
//	                            assigns it (generateId: serial)
//	{{values "user"}}           $1, $2, ... one parameter per column of {{insertColumns "user"}}
//	{{modelName "user"}}        user, or users: the bare name
//	{{tableName "user"}}        'user', or 'users': the bare name as a string literal, for catalog queries
//	{{schemaPrefix}}            "", or auth. (before a quoted name the Go code puts together)
//	{{tableSchema}}             current_schema(), or 'auth' (in catalog queries)
//
// and those that write the migrations' DDL from the schema (see sqlschema.go).
func (o Options) sqlFuncs() template.FuncMap {
	funcs := template.FuncMap{
		"table":         o.sqlTable,
		"columns":       o.sqlColumns,
		"insertColumns": o.sqlInsertColumns,
		"tableName":     o.sqlTableName,
		"modelName":     o.sqlModelName,
		"values":        o.sqlValues,
		"sqlcRenames":   o.sqlcRenames,
		"sqlcOverrides": o.sqlcOverrides,
		"updateFields":  o.sqlUpdateFields,
		"schemaPrefix":  o.sqlSchemaPrefix,
		"tableSchema":   o.sqlSchemaExpr,
	}
	for _, tables := range builtinTables {
		for _, t := range tables {
			funcs[t.Name] = func(field string) (string, error) { return o.sqlColumn(t.Name, field) }
		}
	}
	maps.Copy(funcs, o.ddlFuncs())
	return funcs
}

// reservedSQLWords are PostgreSQL's keywords that cannot name a schema without quotes
// (reserved, and reserved but allowed as a function or type name; PostgreSQL's appendix C).
var reservedSQLWords = strings.Fields(`all analyse analyze and any array as asc asymmetric
	authorization binary both case cast check collate collation column concurrently constraint
	create cross current_catalog current_date current_role current_schema current_time
	current_timestamp current_user default deferrable desc distinct do else end except false
	fetch for foreign freeze from full grant group having ilike in initially inner intersect into
	is isnull join lateral leading left like limit localtime localtimestamp natural not notnull
	null offset on only or order outer overlaps placing primary references returning right select
	session_user similar some symmetric system_user table tablesample then to trailing true union
	unique user using variadic verbose when where window with`)

// validSchema reports whether s can name the auth tables' schema as written, unquoted, in SQL
// and in goose's table name: a lowercase identifier (an uppercase one would fold to lowercase
// unquoted), not a reserved word, and not pg_*, which PostgreSQL keeps for its own schemas.
func validSchema(s string) bool {
	if !validSQLIdentifier(s) || strings.ToLower(s) != s || strings.HasPrefix(s, "pg_") {
		return false
	}
	for _, w := range reservedSQLWords {
		if s == w {
			return false
		}
	}
	return true
}

// createSchemaLine is the statement by which the first migration of a module with a schema
// creates it; its absence from that migration means that the tables live in the connection's
// current schema.
var createSchemaLine = regexp.MustCompile(`(?m)^\s*create schema (?:if not exists )?([a-z0-9_]+);$`)

// firstMigration is the name of the migration that creates the auth tables.
const firstMigration = "00001_better_auth_core.sql"

// checkSchemaUnchanged refuses a schema other than the one the module's migrations were
// generated for. Migrations are written once and never rewritten, so a new schema would leave
// the database's tables where they are while every query looked for them elsewhere. A module
// that has no migration yet may choose freely.
func checkSchemaUnchanged(st state, opts Options) error {
	for name, base := range st.bases {
		if path.Base(name) != firstMigration || st.classes[name] != Migration {
			continue
		}
		was := ""
		if m := createSchemaLine.FindSubmatch(base); m != nil {
			was = string(m[1])
		}
		if was == opts.Schema {
			return nil
		}
		want := "set schema back to " + was
		if was == "" {
			want = "remove schema from it"
		}
		now := opts.Schema
		if now == "" {
			now = "none (the connection's current schema)"
		}
		return fmt.Errorf("%s: schema is %s, but this module's migrations (%s) were generated for %s, and migrations "+
			"are never rewritten: a database they migrated has its auth tables there. To keep using them, %s. "+
			"Moving a migrated database's tables is done by hand (alter table ... set schema)",
			ConfigFile, now, name, describeSchema(was), want)
	}
	return nil
}

func describeSchema(s string) string {
	if s == "" {
		return "the connection's current schema"
	}
	return "schema " + s
}

// paramName is the name of a query parameter that sets the field: its Go name in snake case
// (tenant_id), since sqlc folds parameter names to lowercase.
func (f Field) paramName() string {
	var b strings.Builder
	r := []rune(f.GoName)
	for i, c := range r {
		upper := unicode.IsUpper(c)
		if i > 0 && upper && (!unicode.IsUpper(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}
