package generator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/template"
)

// The migrations' DDL, written from the schema (schema.go) the way Better Auth's migration
// engine writes it for PostgreSQL (better-auth db/get-migration.mjs): the same column types,
// constraints, defaults and index names, so that a database migrated here and one migrated by
// Node are alike, whatever names and additional fields the configuration gives them.

// ddlFuncs are the migration templates' functions:
//
//	{{createTable "user"}}        create table if not exists, with every column of the first migration
//	{{createIndexes "session"}}   the table's single-column indexes
//	{{adoptionCheck "user" ...}}  a DO block refusing a same-named table that is not Better Auth's
//	{{addFields "user" "plan"}}   add columns to an existing table, as upstream adds them
func (o Options) ddlFuncs() template.FuncMap {
	return template.FuncMap{
		"createTable":   o.createTable,
		"createIndexes": o.createIndexes,
		"adoptionCheck": o.adoptionCheck,
		"addFields":     o.addFields,
	}
}

// columnType is the PostgreSQL type Better Auth's migration gives a field.
func (o Options) columnType(f Field) string {
	switch {
	case f.Name == "id" || f.References != nil && f.References.Field == "id":
		if o.GenerateID == "uuid" {
			return "uuid"
		}
		return "text"
	}
	return f.kind().column
}

// columnDefinition is a column as create table declares it.
func (o Options) columnDefinition(t Table, f Field) (string, error) {
	def := strconv.Quote(f.Column) + " " + o.columnType(f)
	if f.Name == "id" {
		if o.GenerateID == "uuid" {
			def += " default pg_catalog.gen_random_uuid()"
		}
		return def + " not null primary key", nil
	}
	if f.Required {
		def += " not null"
	}
	if r := f.References; r != nil {
		ref, err := o.reference(r)
		if err != nil {
			return "", err
		}
		def += " references " + ref
	}
	if f.Unique {
		def += " unique"
	}
	if f.DefaultNow {
		def += " default CURRENT_TIMESTAMP"
	}
	return def, nil
}

func (o Options) reference(r *Reference) (string, error) {
	table, err := o.sqlTable(r.Table)
	if err != nil {
		return "", err
	}
	col, err := o.sqlColumn(r.Table, r.Field)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s (%s) on delete %s", table, col, r.OnDelete), nil
}

// createTable declares a table with Better Auth's columns and the additional fields.
func (o Options) createTable(name string) (string, error) {
	t, err := o.table(name)
	if err != nil {
		return "", err
	}
	table, _ := o.sqlTable(name)
	lines := make([]string, 0, len(t.Fields))
	for _, f := range t.Fields {
		def, err := o.columnDefinition(t, f)
		if err != nil {
			return "", err
		}
		lines = append(lines, "  "+def)
	}
	cols := columnNames(t)
	return fmt.Sprintf("-- kernia-gen table: %s %s\n-- kernia-gen columns: %s %s\ncreate table if not exists %s (\n%s\n);",
		t.Name, t.SQLName, t.Name, strings.Join(cols, " "), table, strings.Join(lines, ",\n")), nil
}

// createIndexes creates the indexes of the table's fields that ask for one and are not
// unique (a unique column has its constraint's index).
func (o Options) createIndexes(name string) (string, error) {
	t, err := o.table(name)
	if err != nil {
		return "", err
	}
	table, _ := o.sqlTable(name)
	var lines []string
	for _, f := range t.Fields {
		if f.Index && !f.Unique {
			lines = append(lines, fmt.Sprintf("create index if not exists %s on %s (%s);",
				strconv.Quote(indexName(t.SQLName, f.Column, false)), table, strconv.Quote(f.Column)))
		}
	}
	return strings.Join(lines, "\n"), nil
}

// adoptionCheck is a DO block that stops the migration when a table of one of these names
// exists without Better Auth's columns: an application's own table, which must not be
// adopted. Additional fields are not required: a migration adds them.
func (o Options) adoptionCheck(names ...string) (string, error) {
	var rows []string
	for _, name := range names {
		t, err := o.table(name)
		if err != nil {
			return "", err
		}
		var cols []string
		for _, f := range t.Fields {
			if !f.Additional {
				cols = append(cols, sqlString(f.Column))
			}
		}
		rows = append(rows, fmt.Sprintf("      (%s, array[%s])", sqlString(t.SQLName), strings.Join(cols, ", ")))
	}
	way := `'Rename your table, or give the auth tables a schema of their own: create schema auth, and connect '
        'with search_path=auth,public (see "Tables with the same names" in kernia-gen''s docs/adopting.md)',`
	if o.Schema != "" {
		way = `'Rename your table, or generate the auth package with another schema: in kernia.yaml''s schema, '
        'before the first migration (see "Tables with the same names" in kernia-gen''s docs/adopting.md)',`
	}
	schema := o.sqlSchemaExpr()
	return `-- Adopt only Better Auth's own tables. An application table that has one of these names but
-- lacks their columns stops the migration here, with a message that names it, instead of
-- being adopted and failing every request later.
-- +goose StatementBegin
do $$
declare
  t record;
  missing text;
begin
  for t in
    select * from (values
` + strings.Join(rows, ",\n") + `
    ) as v (name, columns)
  loop
    select string_agg(format('%I', c), ', ') into missing
    from unnest(t.columns) as c
    where exists (
      select 1 from information_schema.tables
      where table_schema = ` + schema + ` and table_name = t.name
    ) and not exists (
      select 1 from information_schema.columns
      where table_schema = ` + schema + ` and table_name = t.name and column_name = c
    );
    if missing is not null then
      raise exception 'table %.% is in the way: it is not a Better Auth table (it lacks the columns %). '
        ` + way + `
        ` + schema + `, format('%I', t.name), missing;
    end if;
  end loop;
end
$$;
-- +goose StatementEnd`, nil
}

// sqlString is s as an SQL string literal.
func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// addFields adds additional fields to a table that lacks them, as Better Auth's migration
// adds a field to an existing table: with its default, and an index when the field asks for
// one or is unique. A table created by createTable already has them, so each is added only
// if missing, and on a table that has rows a required field without a default stops the
// migration with a message, as upstream's does. Without names, every additional field of the
// table is added. Each field leaves a "-- kernia-gen field:" line, from which a later
// generation knows what the migrations already create (schema_migrations.go).
func (o Options) addFields(name string, fields ...string) (string, error) {
	t, err := o.table(name)
	if err != nil {
		return "", err
	}
	table, _ := o.sqlTable(name)
	var b strings.Builder
	for _, f := range t.Additional() {
		if len(fields) > 0 && !slices.Contains(fields, f.Name) {
			continue
		}
		def := strconv.Quote(f.Column) + " " + o.columnType(f)
		if f.Required {
			def += " not null"
		}
		if f.References != nil {
			ref, err := o.reference(f.References)
			if err != nil {
				return "", err
			}
			def += " references " + ref
		}
		static := f.Default != nil && !(f.Unique && !f.Required)
		if static {
			def += " default " + sqlLiteral(f.Default)
		}
		fmt.Fprintf(&b, "-- kernia-gen field: %s.%s %s %s\n", t.Name, f.Name, o.columnType(f), f.Column)
		b.WriteString("-- +goose StatementBegin\ndo $$\nbegin\n")
		fmt.Fprintf(&b, "  if not exists (\n    select 1 from information_schema.columns\n    where table_schema = %s and table_name = %s and column_name = %s\n  ) then\n",
			o.sqlSchemaExpr(), sqlString(t.SQLName), sqlString(f.Column))
		if f.Required && !static {
			fmt.Fprintf(&b, "    if exists (select 1 from %s) then\n", table)
			fmt.Fprintf(&b, "      raise exception %s;\n    end if;\n", sqlString(fmt.Sprintf(
				"Cannot add required column %q to populated table %q: the schema declares no default value, so existing rows "+
					"have no value to backfill. Add the column as nullable, backfill a correct value for every row, then make it NOT NULL.",
				f.Column, t.SQLName)))
		}
		fmt.Fprintf(&b, "    alter table %s add column %s;\n", table, def)
		if f.Index || f.Unique {
			kind := "index"
			if f.Unique {
				kind = "unique index"
			}
			fmt.Fprintf(&b, "    create %s %s on %s (%s);\n", kind, strconv.Quote(indexName(t.SQLName, f.Column, f.Unique)), table, strconv.Quote(f.Column))
		}
		b.WriteString("  end if;\nend\n$$;\n-- +goose StatementEnd\n")
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// sqlLiteral is a default value as SQL: a string literal, a number or a boolean.
func sqlLiteral(v any) string {
	if s, ok := v.(string); ok {
		return sqlString(s)
	}
	return fmt.Sprint(v)
}
