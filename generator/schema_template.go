package generator

import (
	"strconv"
	"strings"
)

// What the templates ask of the schema: the Go expressions and names that turn each field of
// kernia.yaml into emitted code (model_json.go, model_input.go, field_input.go and their
// tests), and which helpers the emitted package needs for the fields it has.

// Table returns a resolved table, for templates: {{range (.Table "user").Additional}}.
func (d templateData) Table(name string) (Table, error) {
	return d.table(name)
}

// APIValue is the Go expression that converts the field of the store's row v to the type the
// API's struct has for it, for templates: {{.APIValue "u"}} → u.Plan, (*BigInt)(u.Visits).
func (f Field) APIValue(v string) string {
	expr := v + "." + f.GoName
	var named string
	switch {
	case f.Type == typeNumber && f.BigInt:
		named = "BigInt"
	case f.Type == typeDate:
		named = "Timestamp"
	default:
		return expr
	}
	if f.Required {
		return named + "(" + expr + ")"
	}
	return "(*" + named + ")(" + expr + ")"
}

// InputFunc names the emitted function that reads the field's value from a request body,
// coercing it as PostgreSQL's input functions coerce what Better Auth passes them (see
// field_input.go in the emitted package).
func (f Field) InputFunc() string {
	return f.kind().input
}

// kind is what a field type becomes: the PostgreSQL column Better Auth's migration makes for
// it, the emitted function that reads it from a request body, and, for a jsonb column, the Go
// type sqlc is told to give it (sqlc.yaml's overrides).
type kind struct {
	column, input, jsonGoType string
}

// kinds are the field types' kinds; a number with bigint: true is "bigint".
var kinds = map[string]kind{
	typeString:      {"text", "inputString", ""},
	typeNumber:      {"integer", "inputInt32", ""},
	"bigint":        {"bigint", "inputInt64", ""},
	typeBoolean:     {"boolean", "inputBool", ""},
	typeDate:        {"timestamptz", "inputDate", ""},
	typeJSON:        {"jsonb", "inputJSON", "{import: encoding/json, type: RawMessage}"},
	typeStringArray: {"jsonb", "inputStrings", "{type: string, slice: true}"},
	typeNumberArray: {"jsonb", "inputNumbers", "{type: float64, slice: true}"},
	"serialID":      {"integer", "inputSerialID", ""},
}

func (f Field) kind() kind {
	if f.SerialID {
		return kinds["serialID"]
	}
	if f.BigInt {
		return kinds["bigint"]
	}
	return kinds[f.Type]
}

// Scalar reports whether the store holds the field as a pointer when the column is nullable
// (not a slice or raw JSON, whose nil is NULL).
func (f Field) Scalar() bool {
	return f.Type != typeJSON && f.Type != typeStringArray && f.Type != typeNumberArray
}

// GoDefault is the field's defaultValue as a Go expression of the type InputFunc returns.
func (f Field) GoDefault() string {
	switch v := f.Default.(type) {
	case string:
		return "ptr(" + strconv.Quote(v) + ")"
	case bool:
		return "ptr(" + strconv.FormatBool(v) + ")"
	case int64:
		if f.BigInt {
			return "ptr(int64(" + strconv.FormatInt(v, 10) + "))"
		}
		return "ptr(int32(" + strconv.FormatInt(v, 10) + "))"
	}
	return "nil"
}

// UsesInput reports whether some additional field of the enabled tables reads its input with
// fn, so that the emitted package has only the input functions it calls.
func (d templateData) UsesInput(fn string) bool {
	for _, t := range d.Tables() {
		for _, f := range t.Additional() {
			if f.InputFunc() == fn {
				return true
			}
		}
	}
	return false
}

// Uses reports whether the emitted package needs one of the helpers of the additional fields,
// so that it has none it does not call (staticcheck's U1000): "ptr" (some field has a
// default), "jsString" (a field coerces numbers to text), "fieldNotAllowed", "missingField"
// and "invalidField" (the answers about the user's and the session's fields), "enum" (such a
// field the client sets has a list of allowed strings).
func (d templateData) Uses(helper string) bool {
	user, _ := d.table("user")
	for _, t := range d.Tables() {
		for _, f := range t.Additional() {
			switch helper {
			case "ptr":
				if f.Default != nil {
					return true
				}
			case "jsString":
				switch f.InputFunc() {
				case "inputString", "inputInt32", "inputInt64", "inputBool", "inputSerialID":
					return true
				}
			}
		}
	}
	session, _ := d.table("session")
	for _, f := range append(user.Additional(), session.Additional()...) {
		switch {
		case helper == "fieldNotAllowed" && !f.Input,
			helper == "missingField" && f.Input && f.RequiredInput && f.Default == nil,
			helper == "invalidField" && f.Input,
			helper == "enum" && f.Input && len(f.Values) > 0:
			return true
		}
	}
	return false
}

// Expected words what a field takes, for the message refusing another value.
func (f Field) Expected() string {
	switch {
	case len(f.Values) > 0:
		return "one of " + strings.Join(f.Values, ", ")
	case f.SerialID:
		return "the id of a row, a whole number"
	case f.Type == typeNumber:
		return "a whole number that fits the column"
	case f.Type == typeStringArray:
		return "an array of strings"
	case f.Type == typeNumberArray:
		return "an array of numbers"
	case f.Type == typeJSON:
		return "JSON"
	case f.Required:
		return "a " + f.Type + ", not null"
	}
	return "a " + f.Type
}

// SampleJSON is a value of the field's type as a request body writes it, and as the field's
// JSON answer writes it back, for the emitted tests.
func (f Field) SampleJSON() string {
	switch {
	case f.References != nil:
		return "null" // a row's id; the tests' users have none to point to
	case len(f.Values) > 0:
		return strconv.Quote(f.Values[len(f.Values)-1])
	case f.Type == typeNumber && f.BigInt:
		return `"9007199254740991"`
	case f.Type == typeNumber:
		return "42"
	case f.Type == typeBoolean:
		return "true"
	case f.Type == typeDate:
		return `"2000-01-02T03:04:05.678Z"`
	case f.Type == typeJSON:
		return `{"k":[1,"two",null]}`
	case f.Type == typeStringArray:
		return `["a","b"]`
	case f.Type == typeNumberArray:
		return `[1.5,2]`
	}
	return `"sample_` + f.Name + `"` // a valid username too
}

// SampleForm is SampleJSON as a form field's value.
func (f Field) SampleForm() string {
	s := f.SampleJSON()
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}

// HasDefault reports whether the field has a defaultValue, for templates, where a false or
// zero default would read as none.
func (f Field) HasDefault() bool { return f.Default != nil }
