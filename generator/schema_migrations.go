package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Schema changes over time. Migrations are written once and never rewritten, so a change to
// kernia.yaml's schema after the first migration becomes a migration of its own: a field
// added, a table renamed (modelName). Each migration records what it created in marker lines,
// from which the next generation knows what the database has:
//
//	-- kernia-gen table: user users
//	-- kernia-gen columns: user id name email email_verified image createdAt updatedAt
//	-- kernia-gen field: user.plan text plan
//	-- kernia-gen ids: serial
//
// A field removed from kernia.yaml stops being read and written, but its column stays (the
// data is the user's; dropping it is a statement they run themselves). Changing a field's type
// or column, or a Better Auth field's column, is refused: that is a data migration only the
// user can write.

// schemaMigrationBase is the first version of the migrations written for schema changes,
// far above the versions of the plugins' own migrations.
const schemaMigrationBase = 10000

var (
	tableMarker  = regexp.MustCompile(`(?m)^-- kernia-gen table: (\w+) (\w+)$`)
	columnMarker = regexp.MustCompile(`(?m)^-- kernia-gen columns: (\w+) ([\w ]+)$`)
	fieldMarker  = regexp.MustCompile(`(?m)^-- kernia-gen field: (\w+)\.(\w+) (\w+) (\w+)$`)
	idsMarker    = regexp.MustCompile(`(?m)^-- kernia-gen ids: (\w+)$`)
	// schemaMigrationName matches the migrations written for schema changes.
	schemaMigrationName = regexp.MustCompile(`^(\d+)_schema_changes\.sql$`)
)

// migratedSchema is what the module's migrations already create.
type migratedSchema struct {
	// started is whether the first migration exists: before it, nothing is migrated and the
	// first migration creates everything kernia.yaml declares.
	started bool
	// tables are the tables' SQL names, by Better Auth's name; a table the migrations do not
	// name has its default name. columns are the columns of Better Auth's own fields, in order,
	// where the migrations name them; their default names otherwise.
	tables  map[string]string
	columns map[string][]string
	// fields are the additional fields created, by "table.field": their column type and column;
	// fieldFiles the migrations that created them.
	fields     map[string][2]string
	fieldFiles map[string]string
	// ids is the id strategy the first migration made the id columns for (random, uuid,
	// serial); empty when it does not say (written by a kernia-gen before the marker).
	ids string
	// changes are the schema migrations written so far, by module-relative path.
	changes map[string][]byte
	// last is the highest version among them.
	last int
}

// readMigrated reads the markers of the module's migrations: the pristine copies of the last
// generation, and the files themselves where there is none.
func readMigrated(files map[string][]byte, dir string) migratedSchema {
	m := migratedSchema{tables: map[string]string{}, columns: map[string][]string{}, fields: map[string][2]string{}, fieldFiles: map[string]string{}, changes: map[string][]byte{}, last: schemaMigrationBase}
	for _, name := range sortedKeys(files) {
		if path.Dir(name) != path.Join(dir, "migrations") {
			continue
		}
		content := files[name]
		base := path.Base(name)
		if base == firstMigration {
			m.started = true
		}
		if s := schemaMigrationName.FindStringSubmatch(base); s != nil {
			m.changes[name] = content
			v, _ := strconv.Atoi(s[1])
			m.last = max(m.last, v)
		}
		for _, t := range tableMarker.FindAllSubmatch(content, -1) {
			m.tables[string(t[1])] = string(t[2])
		}
		for _, c := range columnMarker.FindAllSubmatch(content, -1) {
			m.columns[string(c[1])] = strings.Fields(string(c[2]))
		}
		if ids := idsMarker.FindSubmatch(content); ids != nil {
			m.ids = string(ids[1])
		}
		for _, f := range fieldMarker.FindAllSubmatch(content, -1) {
			key := string(f[1]) + "." + string(f[2])
			m.fields[key] = [2]string{string(f[3]), string(f[4])}
			m.fieldFiles[key] = name
		}
	}
	return m
}

// checkSchemaChanges refuses the changes a migration cannot make safely.
func (o Options) checkSchemaChanges(m migratedSchema) error {
	if m.started && m.ids != "" && m.ids != o.idStrategy() {
		return fmt.Errorf("advanced.database.generateId: the migrations made the id columns for %s ids, and kernia.yaml now asks for %s. "+
			"kernia-gen does not change the type of the id columns and of every column that references them: that is a data "+
			"migration only you can write. Put generateId back as it was", m.ids, o.idStrategy())
	}
	for _, t := range o.Tables() {
		if m.started {
			was := m.columns[t.Name]
			if was == nil {
				was = columnNames(builtinTable(t.Name))
			}
			if now := columnNames(t); !slices.Equal(now, was) {
				return fmt.Errorf("%s.fields: the migrations created the columns %s, and kernia.yaml now names them %s. "+
					"kernia-gen does not rename the columns of a migrated table: that is a migration only you can write "+
					"(alter table ... rename column ...), after which kernia.yaml's fields may follow it. Put %s.fields back as it was",
					t.Name, strings.Join(was, ", "), strings.Join(now, ", "), t.Name)
			}
		}
		for _, f := range t.Additional() {
			was, ok := m.fields[t.Name+"."+f.Name]
			if !ok {
				continue
			}
			if now := [2]string{o.columnType(f), f.Column}; now != was {
				return fmt.Errorf("%s.additionalFields.%s: its column is %s %q in the database (the migrations created it so), "+
					"and kernia.yaml now makes it %s %q. kernia-gen does not change a column's type or name: that is a data "+
					"migration only you can write. Keep the field as it was, or add a field with another name (the old column "+
					"stays; drop it by hand when its data has moved)", t.Name, f.Name, was[0], was[1], now[0], now[1])
			}
		}
	}
	return nil
}

// schemaChanges returns the migrations of the schema changes: those written before, as they
// are, and one for what kernia.yaml declares that the migrations do not create yet.
func (o Options) schemaChanges(m migratedSchema) ([]File, error) {
	files := make([]File, 0, len(m.changes)+1)
	for _, name := range sortedKeys(m.changes) {
		files = append(files, File{Path: name, Content: m.changes[name]})
	}
	if !m.started {
		return files, nil // the first migration creates everything
	}
	var up, down bytes.Buffer
	for _, t := range o.Tables() {
		was, ok := m.tables[t.Name]
		if !ok {
			was = t.Name
		}
		if was != t.SQLName {
			fmt.Fprintf(&up, "-- kernia-gen table: %s %s\nalter table if exists %s%q rename to %q;\n\n", t.Name, t.SQLName, o.sqlSchemaPrefix(), was, t.SQLName)
			fmt.Fprintf(&down, "alter table if exists %s%q rename to %q;\n", o.sqlSchemaPrefix(), t.SQLName, was)
		}
		var added []string
		for _, f := range t.Configured() { // a plugin's fields come with its own migration
			if _, ok := m.fields[t.Name+"."+f.Name]; !ok {
				added = append(added, f.Name)
			}
		}
		if len(added) == 0 {
			continue
		}
		sql, err := o.addFields(t.Name, added...)
		if err != nil {
			return nil, err
		}
		up.WriteString(sql + "\n\n")
		table, _ := o.sqlTable(t.Name)
		for _, name := range slices.Backward(added) {
			col, _ := o.sqlColumn(t.Name, name)
			fmt.Fprintf(&down, "alter table %s drop column if exists %s;\n", table, col)
		}
	}
	if up.Len() == 0 {
		return files, nil
	}
	version := m.last + 1
	name := fmt.Sprintf("%05d_schema_changes.sql", version)
	content := "-- The changes to kernia.yaml's schema since the migrations before this one: written once, as\n" +
		"-- every migration, by the kernia-gen generate that found them.\n\n-- +goose Up\n" +
		strings.TrimRight(up.String(), "\n") + "\n\n-- +goose Down\n-- Drops the added columns and their data. Back up first.\n" + down.String()
	return append(files, File{Path: path.Join(o.Dir, "migrations", name), Content: []byte(content)}), nil
}

// readMigrations reads what the module's migrations create: from the pristine copies of the
// last generation, and from the files where there is none (a module from before manifests).
func (p Project) readMigrations(st state, dir string) (migratedSchema, error) {
	files := map[string][]byte{}
	for name, content := range st.bases {
		if st.classes[name] == Migration {
			files[name] = content
		}
	}
	entries, err := os.ReadDir(filepath.Join(p.Root, filepath.FromSlash(dir), "migrations"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return migratedSchema{}, err
	}
	for _, e := range entries {
		name := path.Join(dir, "migrations", e.Name())
		if _, ok := files[name]; ok || path.Ext(name) != ".sql" {
			continue
		}
		content, err := p.read(name)
		if err != nil {
			return migratedSchema{}, err
		}
		files[name] = content
	}
	return readMigrated(files, dir), nil
}

// noteRemovedFields tells, on the migration that created it, of each field kernia.yaml no longer
// declares: its column stays, with the statement that drops it.
func (o Options) noteRemovedFields(plan *Plan, m migratedSchema) {
	declared := map[string]bool{}
	for _, t := range o.Tables() {
		for _, f := range t.Additional() {
			declared[t.Name+"."+f.Name] = true
		}
	}
	for _, key := range sortedKeys(m.fields) {
		if declared[key] {
			continue
		}
		table, _, _ := strings.Cut(key, ".")
		name, err := o.sqlTable(table)
		if err != nil {
			continue // the plugin of that table is no longer enabled
		}
		for i, c := range plan.Changes {
			if c.Path == m.fieldFiles[key] {
				note := fmt.Sprintf("%s is no longer in %s: its column and data stay; alter table %s drop column %q; drops them", key, ConfigFile, name, m.fields[key][1])
				plan.Changes[i].Note = strings.TrimPrefix(c.Note+"; "+note, "; ")
			}
		}
	}
}

// columnNames are the columns of a table's Better Auth fields, in order; those of fields
// other than Better Auth's are left out.
func columnNames(t Table) []string {
	var cols []string
	for _, f := range t.Fields {
		if !f.Additional {
			c := f.Column
			if c == "" {
				c = f.Name
			}
			cols = append(cols, c)
		}
	}
	return cols
}
