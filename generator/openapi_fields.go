package generator

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The additional fields in the OpenAPI document: kernia.yaml's fields become properties of the
// schemas that carry their table (User, Session, Account) and of the sign-up body, so that
// oapi-codegen gives the emitted package typed fields (User.Plan) and the document the
// application publishes describes them. Fields with returned: false are stored but never
// answered, so they appear in no answer's schema.

// modelSchemas maps a table to the OpenAPI schema of its JSON shape.
var modelSchemas = map[string]string{"user": "User", "session": "Session", "account": "Account"}

// addFieldsToSpec adds the additional fields to the document's schemas.
func addFieldsToSpec(spec *openapi3.T, opts Options) error {
	for _, t := range opts.Tables() {
		name, ok := modelSchemas[t.Name]
		if !ok || len(t.Additional()) == 0 {
			continue
		}
		ref := spec.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			return fmt.Errorf("openapi: no schema %s for table %s", name, t.Name)
		}
		if err := addProperties(ref.Value, t); err != nil {
			return fmt.Errorf("openapi: %s: %w", name, err)
		}
		if t.Name == "user" {
			if req := spec.Components.Schemas["SignUpEmailRequest"]; req != nil && req.Value != nil {
				for _, f := range t.Additional() {
					if f.Input {
						p := fieldSchema(f)
						p.Extensions["x-go-name"] = f.GoName
						p.Description = inputDescription(f)
						req.Value.Properties[f.Name] = openapi3.NewSchemaRef("", p)
					}
				}
			}
		}
	}
	return nil
}

// addProperties adds a table's returned additional fields to its schema, after Better Auth's
// own fields and before id, which Better Auth's answers put last.
func addProperties(s *openapi3.Schema, t Table) error {
	id := s.Properties["id"]
	if id == nil || id.Value == nil {
		return fmt.Errorf("no id property")
	}
	order, ok := id.Value.Extensions["x-order"].(float64)
	if !ok {
		return fmt.Errorf("id has no x-order")
	}
	next := order
	for _, f := range t.Additional() {
		if !f.Returned {
			continue
		}
		p := fieldSchema(f)
		p.Extensions["x-go-name"] = f.GoName
		p.Extensions["x-order"] = float64(next)
		if !f.Required {
			p.Nullable = true
		}
		if p.Type.Is("array") || p.Extensions["x-go-type"] == "json.RawMessage" {
			// nil is JSON null already; no pointer around the slice.
			p.Extensions["x-go-type-skip-optional-pointer"] = true
		}
		s.Properties[f.Name] = openapi3.NewSchemaRef("", p)
		s.Required = append(s.Required, f.Name)
		next++
	}
	// Properties ordered after id (Account's scopes) keep their place after it.
	for name, p := range s.Properties {
		if o, ok := p.Value.Extensions["x-order"].(float64); ok && o > order && (name == "id" || !isAdditional(t, name)) {
			p.Value.Extensions["x-order"] = o + next - order
		}
	}
	id.Value.Extensions["x-order"] = next
	return nil
}

// fieldSchema is the JSON schema of a field's value as Better Auth answers it.
func fieldSchema(f Field) *openapi3.Schema {
	s := &openapi3.Schema{Extensions: map[string]any{}}
	switch {
	case f.Type == typeNumber && f.BigInt:
		// PostgreSQL's int8 reaches JavaScript as text, and Better Auth answers it so.
		s.Type = &openapi3.Types{"string"}
		s.Format = "int64"
		s.Extensions["x-go-type"] = "BigInt"
	case f.Type == typeNumber:
		s.Type = &openapi3.Types{"integer"}
		s.Format = "int32"
	case f.Type == typeBoolean:
		s.Type = &openapi3.Types{"boolean"}
	case f.Type == typeDate:
		s.Type = &openapi3.Types{"string"}
		s.Format = "date-time"
		s.Extensions["x-go-type"] = "Timestamp"
	case f.Type == typeJSON:
		// api.gen.go imports encoding/json already.
		s.Extensions["x-go-type"] = "json.RawMessage"
	case f.Type == typeStringArray:
		s.Type = &openapi3.Types{"array"}
		s.Items = openapi3.NewSchemaRef("", openapi3.NewStringSchema())
	case f.Type == typeNumberArray:
		s.Type = &openapi3.Types{"array"}
		s.Items = openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"number"}, Format: "double"})
	default:
		s.Type = &openapi3.Types{"string"}
		if len(f.Values) > 0 {
			s.Description = "One of: " + strings.Join(f.Values, ", ") + "."
		}
	}
	return s
}

func inputDescription(f Field) string {
	d := "An additional field (kernia.yaml)"
	if f.Required && f.Default == nil {
		d += "; required"
	}
	if f.Default != nil {
		d += fmt.Sprintf("; default %v", f.Default)
	}
	return d + "."
}

func isAdditional(t Table, name string) bool {
	f, ok := t.field(name)
	return ok && f.Additional
}
