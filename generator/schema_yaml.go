package generator

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// kernia.yaml's schema settings written back, as init writes them and as they read back.

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
