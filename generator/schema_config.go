package generator

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
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
// (the default, ""), and UUIDs in uuid columns.
var idStrategies = []string{"", "uuid"}

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

// parseAdditional decodes additionalFields, keeping their order.
func parseAdditional(table string, n *yaml.Node, m *ModelOptions) error {
	if n.Kind != yaml.MappingNode {
		return errAt(n, "%s.additionalFields: expected a mapping of field names to their attributes", table)
	}
	builtin := builtinTable(table)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		name := key.Value
		if _, ok := builtin.field(name); ok {
			return errAt(key, "%s.additionalFields.%s: Better Auth's %s table has that field already", table, name, table)
		}
		if !validFieldName(name) {
			return errAt(key, "%s.additionalFields: %q must be a name of letters and digits starting with a letter", table, name)
		}
		f, err := parseField(table+".additionalFields."+name, val)
		if err != nil {
			return err
		}
		f.Name, f.Additional = name, true
		if f.Column == "" {
			f.Column = name
		}
		m.AdditionalFields = append(m.AdditionalFields, f)
	}
	return nil
}

// validFieldName keeps field names to what is both a JavaScript identifier and a Go one once
// capitalised: letters and digits, starting with a letter.
func validFieldName(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' && i > 0) {
			return false
		}
	}
	return true
}

// parseField decodes one additional field's attributes (Better Auth's DBFieldAttribute).
func parseField(where string, n *yaml.Node) (Field, error) {
	f := Field{Required: true, Input: true, Returned: true}
	if n.Kind != yaml.MappingNode {
		return f, errAt(n, "%s: expected a mapping of attributes (type, required, defaultValue, ...)", where)
	}
	var def *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		var err error
		switch key.Value {
		case "type":
			err = parseFieldType(where, val, &f)
		case "required":
			err = decodeBool(val, &f.Required)
			f.RequiredInput = f.Required
		case "input":
			err = decodeBool(val, &f.Input)
		case "returned":
			err = decodeBool(val, &f.Returned)
		case "unique":
			err = decodeBool(val, &f.Unique)
		case "index":
			err = decodeBool(val, &f.Index)
		case "bigint":
			err = decodeBool(val, &f.BigInt)
		case "defaultValue":
			def = val
		case "fieldName":
			if err = scalar(val, &f.Column); err == nil && !validSQLIdentifier(f.Column) {
				err = errAt(val, "%s.fieldName %q must be a plain SQL identifier", where, f.Column)
			}
		case "references":
			f.References, err = parseReference(where, val)
		default:
			err = errAt(key, "%s: unknown attribute %q (attributes: type, required, defaultValue, input, returned, unique, index, references, bigint, fieldName)", where, key.Value)
		}
		if err != nil {
			return f, err
		}
	}
	if f.Type == "" {
		return f, errAt(n, "%s: type is missing (%s, or a list of allowed strings)", where, strings.Join(fieldTypes, ", "))
	}
	if f.BigInt && f.Type != typeNumber {
		return f, errAt(n, "%s: bigint is for number fields", where)
	}
	if def != nil {
		v, err := parseDefault(where, def, f)
		if err != nil {
			return f, err
		}
		f.Default = v
	}
	return f, nil
}

func parseFieldType(where string, n *yaml.Node, f *Field) error {
	if n.Kind == yaml.SequenceNode {
		if len(n.Content) == 0 {
			return errAt(n, "%s.type: a list of allowed strings must not be empty", where)
		}
		for _, v := range n.Content {
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				return errAt(v, "%s.type: a list of allowed strings holds strings only", where)
			}
			if slices.Contains(f.Values, v.Value) {
				return errAt(v, "%s.type: %q is listed twice", where, v.Value)
			}
			f.Values = append(f.Values, v.Value)
		}
		f.Type = typeString
		return nil
	}
	var t string
	if err := scalar(n, &t); err != nil {
		return err
	}
	if !slices.Contains(fieldTypes, t) {
		return errAt(n, "%s.type %q: expected one of %s, or a list of allowed strings", where, t, strings.Join(fieldTypes, ", "))
	}
	f.Type = t
	return nil
}

// parseDefault checks that a defaultValue fits the field's type. Better Auth also takes a
// function there; kernia.yaml's place for code is the database hooks.
func parseDefault(where string, n *yaml.Node, f Field) (any, error) {
	bad := func() (any, error) {
		return nil, errAt(n, "%s.defaultValue: expected a %s", where, describeType(f))
	}
	if n.Kind != yaml.ScalarNode {
		return bad()
	}
	switch {
	case f.Type == typeString && n.Tag == "!!str":
		if len(f.Values) > 0 && !slices.Contains(f.Values, n.Value) {
			return nil, errAt(n, "%s.defaultValue %q is not among the allowed strings", where, n.Value)
		}
		return n.Value, nil
	case f.Type == typeBoolean && n.Tag == "!!bool":
		var b bool
		return b, n.Decode(&b)
	case f.Type == typeNumber && (n.Tag == "!!int" || n.Tag == "!!float"):
		// The column is an integer one (Better Auth's migration), so must be the default.
		v, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil || !f.BigInt && (v < -1<<31 || v > 1<<31-1) {
			return nil, errAt(n, "%s.defaultValue: expected a whole number that fits the %s column", where, map[bool]string{true: "bigint", false: "integer"}[f.BigInt])
		}
		return v, nil
	}
	return bad()
}

func describeType(f Field) string {
	if len(f.Values) > 0 {
		return "string among " + strings.Join(f.Values, ", ")
	}
	return f.Type
}

func parseReference(where string, n *yaml.Node) (*Reference, error) {
	if n.Kind != yaml.MappingNode {
		return nil, errAt(n, "%s.references: expected {model, field, onDelete}", where)
	}
	r := &Reference{OnDelete: "cascade"}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		var err error
		switch key.Value {
		case "model":
			err = scalar(val, &r.Table)
		case "field":
			err = scalar(val, &r.Field)
		case "onDelete":
			if err = scalar(val, &r.OnDelete); err == nil && !slices.Contains([]string{"cascade", "restrict", "set null", "set default", "no action"}, r.OnDelete) {
				err = errAt(val, "%s.references.onDelete %q: expected cascade, restrict, set null, set default or no action", where, r.OnDelete)
			}
		default:
			err = errAt(key, "%s.references: unknown key %q (model, field, onDelete)", where, key.Value)
		}
		if err != nil {
			return nil, err
		}
	}
	if r.Table == "" || r.Field == "" {
		return nil, errAt(n, "%s.references: model and field are both needed", where)
	}
	return r, nil
}

// parseAdvanced decodes advanced.database.generateId.
func parseAdvanced(n *yaml.Node, o *Options) error {
	db := mappingValue(n, "database")
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 || db == nil || db.Kind != yaml.MappingNode || len(db.Content) != 2 || db.Content[0].Value != "generateId" {
		return errAt(n, "advanced: only database.generateId is a generation-time setting (uuid, or left out for random strings)")
	}
	v := db.Content[1]
	if err := scalar(v, &o.GenerateID); err != nil || !slices.Contains(idStrategies, o.GenerateID) || o.GenerateID == "" {
		return errAt(v, "advanced.database.generateId: expected uuid (left out, ids are random strings as Better Auth's default)")
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

// schemaYAML renders the schema settings for kernia.yaml, in Better Auth's spelling; nothing
// when there are none.
func (o Options) schemaYAML() string {
	var b strings.Builder
	for _, name := range customizableTables {
		m, ok := o.Models[name]
		if !ok {
			continue
		}
		if b.Len() == 0 {
			b.WriteString("\n# The auth tables' names and additional fields, as Better Auth's options spell them\n" +
				"# (see kernia-gen's docs/schema.md).\n")
		}
		fmt.Fprintf(&b, "%s:\n", name)
		if m.ModelName != "" {
			fmt.Fprintf(&b, "  modelName: %s\n", m.ModelName)
		}
		if len(m.Fields) > 0 {
			b.WriteString("  fields:\n")
			for _, f := range builtinTable(name).Fields {
				if c, ok := m.Fields[f.Name]; ok {
					fmt.Fprintf(&b, "    %s: %s\n", f.Name, c)
				}
			}
		}
		if len(m.AdditionalFields) > 0 {
			b.WriteString("  additionalFields:\n")
			for _, f := range m.AdditionalFields {
				fmt.Fprintf(&b, "    %s: {%s}\n", f.Name, strings.Join(fieldAttributes(f), ", "))
			}
		}
	}
	if o.GenerateID != "" {
		fmt.Fprintf(&b, "\n# How row ids are made (Better Auth's advanced.database.generateId).\nadvanced:\n  database:\n    generateId: %s\n", o.GenerateID)
	}
	return b.String()
}

// fieldAttributes are an additional field's attributes that differ from their defaults, as
// YAML flow-mapping entries.
func fieldAttributes(f Field) []string {
	typ := f.Type
	if len(f.Values) > 0 {
		quoted := make([]string, len(f.Values))
		for i, v := range f.Values {
			quoted[i] = flowString(v)
		}
		typ = "[" + strings.Join(quoted, ", ") + "]"
	} else {
		typ = flowString(typ)
	}
	attrs := []string{"type: " + typ}
	flag := func(name string, v, def bool) {
		if v != def {
			attrs = append(attrs, fmt.Sprintf("%s: %t", name, v))
		}
	}
	if !f.Required || f.RequiredInput {
		attrs = append(attrs, fmt.Sprintf("required: %t", f.Required))
	}
	if f.Default != nil {
		v := fmt.Sprint(f.Default)
		if s, ok := f.Default.(string); ok {
			v = flowString(s)
		}
		attrs = append(attrs, "defaultValue: "+v)
	}
	flag("input", f.Input, true)
	flag("returned", f.Returned, true)
	flag("unique", f.Unique, false)
	flag("index", f.Index, false)
	flag("bigint", f.BigInt, false)
	if f.Column != f.Name {
		attrs = append(attrs, "fieldName: "+f.Column)
	}
	if r := f.References; r != nil {
		attrs = append(attrs, fmt.Sprintf("references: {model: %s, field: %s, onDelete: %s}", r.Table, r.Field, flowString(r.OnDelete)))
	}
	return attrs
}

// plainFlow are the strings a YAML flow mapping reads back as themselves without quotes.
var plainFlow = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// flowString is s as a scalar inside a YAML flow mapping: plain when that reads back as s,
// else double-quoted.
func flowString(s string) string {
	if plainFlow.MatchString(s) && yamlString(s) == s {
		return s
	}
	return strconv.Quote(s)
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
