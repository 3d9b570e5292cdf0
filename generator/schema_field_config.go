package generator

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// kernia.yaml's additionalFields: each field's attributes, checked as they are read, so that
// an error names the line.

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
