package generator

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// kernia.yaml's schema settings, spelled as Better Auth's options:
//
//	user:
//	  modelName: users
//	  fields:
//	    emailVerified: email_verified
//	  additionalFields:
//	    plan: {type: string, required: false, defaultValue: free}
//	    role: {type: [member, admin], input: false, defaultValue: member}
//	session: {modelName: sessions}
//	advanced:
//	  database:
//	    generateId: uuid

// ModelOptions are kernia.yaml's settings of one auth table.
type ModelOptions struct {
	// ModelName is the table's SQL name; empty keeps Better Auth's.
	ModelName string
	// Fields maps Better Auth's field names to the columns that hold them.
	Fields map[string]string
	// AdditionalFields are the fields added to Better Auth's, in kernia.yaml's order.
	AdditionalFields []Field
}

// idStrategies are advanced.database.generateId's values kernia-gen supports: random strings
// (the default, ""), UUIDs in uuid columns, and integers the database assigns (serial).
var idStrategies = []string{"", "uuid", "serial"}

// parseModel decodes the settings of one table.
func parseModel(table string, n *yaml.Node, o *Options) error {
	if n.Kind != yaml.MappingNode {
		return errAt(n, "%s: expected a mapping (modelName, fields, additionalFields)", table)
	}
	var m ModelOptions
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		switch key.Value {
		case "modelName":
			if err := scalar(val, &m.ModelName); err != nil {
				return err
			}
			if !validSQLIdentifier(m.ModelName) {
				return errAt(val, "%s.modelName %q must be a plain SQL identifier (letters, digits, _; at most 63)", table, m.ModelName)
			}
		case "fields":
			if err := parseColumns(table, val, &m); err != nil {
				return err
			}
		case "additionalFields":
			if !slices.Contains(extensibleTables, table) {
				return errAt(key, "%s: additionalFields are only for %s", table, strings.Join(extensibleTables, ", "))
			}
			if err := parseAdditional(table, val, &m); err != nil {
				return err
			}
		default:
			return errAt(key, "%s: unknown setting %q (settings: modelName, fields, additionalFields)", table, key.Value)
		}
	}
	if o.Models == nil {
		o.Models = map[string]ModelOptions{}
	}
	o.Models[table] = m
	return nil
}

// parseColumns decodes fields: a map from Better Auth's field names to column names.
func parseColumns(table string, n *yaml.Node, m *ModelOptions) error {
	if n.Kind != yaml.MappingNode {
		return errAt(n, "%s.fields: expected a mapping of field names to column names", table)
	}
	builtin := builtinTable(table)
	m.Fields = map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if _, ok := builtin.field(key.Value); !ok || key.Value == "id" {
			return errAt(key, "%s.fields: %q is not a field of Better Auth's %s table that can be renamed", table, key.Value, table)
		}
		var col string
		if err := scalar(val, &col); err != nil {
			return err
		}
		if !validSQLIdentifier(col) {
			return errAt(val, "%s.fields.%s: %q must be a plain SQL identifier", table, key.Value, col)
		}
		m.Fields[key.Value] = col
	}
	return nil
}

func builtinTable(name string) Table {
	for _, ts := range builtinTables {
		for _, t := range ts {
			if t.Name == name {
				return t
			}
		}
	}
	return Table{}
}

// parseAdvanced decodes advanced.database.generateId.
func parseAdvanced(n *yaml.Node, o *Options) error {
	db := mappingValue(n, "database")
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 || db == nil || db.Kind != yaml.MappingNode || len(db.Content) != 2 || db.Content[0].Value != "generateId" {
		return errAt(n, "advanced: only database.generateId is a generation-time setting (uuid or serial, or left out for random strings)")
	}
	v := db.Content[1]
	if err := scalar(v, &o.GenerateID); err != nil || !slices.Contains(idStrategies, o.GenerateID) || o.GenerateID == "" {
		return errAt(v, "advanced.database.generateId: expected uuid or serial (left out, ids are random strings as Better Auth's default)")
	}
	return nil
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// validateSchema checks what needs the whole configuration: references to tables that exist,
// and no two fields of a table, or two tables, sharing a SQL name.
func (o Options) validateSchema() error {
	tables := o.Tables()
	seen := map[string]string{}
	for _, t := range tables {
		if other, ok := seen[strings.ToLower(t.SQLName)]; ok {
			return fmt.Errorf("tables %s and %s would both be named %q", other, t.Name, t.SQLName)
		}
		seen[strings.ToLower(t.SQLName)] = t.Name
		cols := map[string]string{}
		for _, f := range t.Fields {
			if other, ok := cols[strings.ToLower(f.Column)]; ok {
				return fmt.Errorf("%s: fields %s and %s would both be column %q", t.Name, other, f.Name, f.Column)
			}
			cols[strings.ToLower(f.Column)] = f.Name
			if r := f.References; r != nil {
				target, err := o.table(r.Table)
				if err != nil {
					return fmt.Errorf("%s.additionalFields.%s.references: %w", t.Name, f.Name, err)
				}
				if _, ok := target.field(r.Field); !ok {
					return fmt.Errorf("%s.additionalFields.%s.references: table %s has no field %q", t.Name, f.Name, r.Table, r.Field)
				}
			}
		}
	}
	return nil
}

// WithSchemaSettings returns opts with the schema settings of a YAML or JSON document (user,
// session, account, verification, rateLimit and advanced, as in kernia.yaml and Better Auth's
// options); other keys are refused. Its errors start with the line: "12: ...".
func WithSchemaSettings(opts Options, data []byte) (Options, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return opts, fmt.Errorf(" %v", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return opts, lineError{1, "expected a mapping of table settings (user, session, account, verification, rateLimit, advanced)"}
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		var err error
		switch {
		case slices.Contains(customizableTables, key.Value):
			err = parseModel(key.Value, val, &opts)
		case key.Value == "advanced":
			err = parseAdvanced(val, &opts)
		default:
			err = errAt(key, "%q is not a table setting (user, session, account, verification, rateLimit, advanced)", key.Value)
		}
		if err != nil {
			return opts, err
		}
	}
	return opts, nil
}
