package generator

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
)

// The schema of the auth tables: Better Auth's own fields, as its get-tables.mjs declares
// them, resolved against kernia.yaml's user, session, account, verification and rateLimit
// settings (modelName, fields, additionalFields: upstream's option names). Every query,
// migration, model and OpenAPI schema names tables and columns through it, so that a renamed
// table or column, or a field the user added, is one setting away.

// Field types, spelled as Better Auth spells them. An enum is a string field with Values.
const (
	typeString      = "string"
	typeNumber      = "number"
	typeBoolean     = "boolean"
	typeDate        = "date"
	typeJSON        = "json"
	typeStringArray = "string[]"
	typeNumberArray = "number[]"
)

var fieldTypes = []string{typeString, typeNumber, typeBoolean, typeDate, typeJSON, typeStringArray, typeNumberArray}

// Field is a column of an auth table.
type Field struct {
	// Name is Better Auth's name of the field: its JSON key and its key in kernia.yaml.
	Name string
	// Column is its SQL column: Name unless kernia.yaml's fields or fieldName renames it.
	Column string
	// Type is one of fieldTypes; Values, when set, are the strings a string field allows.
	Type   string
	Values []string
	// Required fields are NOT NULL (Better Auth's required, true unless set false).
	// RequiredInput is required: true written out, which is what makes Better Auth refuse a
	// creation without the field (MISSING_FIELD) before anything else.
	Required, RequiredInput bool
	// Default is the value a creation fills in when none is given: a string, a float64 or a
	// bool as kernia.yaml spells it; nil for none. Core timestamps default to the time of
	// the write in Go and to CURRENT_TIMESTAMP in SQL (DefaultNow).
	Default    any
	DefaultNow bool
	// NoColumnDefault leaves Default out of the column a plugin's migration adds, as Better
	// Auth's migration leaves it out when it creates the table with the field (two-factor's
	// twoFactorEnabled): Default is still what a creation writes.
	NoColumnDefault bool
	// Input fields may be set by the client on sign-up and update-user; Returned ones appear
	// in the JSON answers.
	Input, Returned bool
	Unique, Index   bool
	// BigInt makes a number a bigint column rather than an integer one.
	BigInt bool
	// References names the field another table's id is in, e.g. session.userId.
	References *Reference
	// SerialID marks an id, or a reference to one, when the database assigns them
	// (generateId: serial): an integer column that Go and the JSON hold as a string.
	SerialID bool
	// Additional marks a field that is not one of Better Auth's core fields: one kernia.yaml
	// added, or one a plugin adds to a core table (Plugin names it). Both are read from
	// request bodies and written to the JSON alike, as Better Auth's schema merges them.
	Additional bool
	// Plugin is the plugin that adds the field to a core table ("username"); its migration,
	// not the core's or kernia.yaml's, creates the column.
	Plugin string
	// GoName is the field's name in the Go structs of the store and of the API.
	GoName string
}

// Reference is a foreign key: the field holds the id of a row of Table, and OnDelete is what
// deleting that row does (cascade unless set).
type Reference struct {
	Table, Field, OnDelete string
}

// Table is an auth table.
type Table struct {
	// Name is Better Auth's model name ("user"); SQLName the table's name in the database
	// (kernia.yaml's modelName, Name by default).
	Name, SQLName string
	// Fields are the columns in the order Better Auth creates them: id, its own, then the
	// additional fields in kernia.yaml's order.
	Fields []Field
	// GoName is the name of the table's model struct in the store package.
	GoName string
}

// field returns the table's field of that Better Auth name.
func (t Table) field(name string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Configured returns the fields kernia.yaml added: the additional fields but the plugins'.
func (t Table) Configured() []Field {
	var fs []Field
	for _, f := range t.Fields {
		if f.Additional && f.Plugin == "" {
			fs = append(fs, f)
		}
	}
	return fs
}

// Additional returns the fields kernia.yaml and the enabled plugins added to Better Auth's.
func (t Table) Additional() []Field {
	var fs []Field
	for _, f := range t.Fields {
		if f.Additional {
			fs = append(fs, f)
		}
	}
	return fs
}

// coreField is a Better Auth field that a plain string declaration describes.
func coreField(name, typ string, required bool) Field {
	return Field{Name: name, Type: typ, Required: required, Input: true, Returned: true}
}

func withDefaultNow(f Field) Field { f.DefaultNow = true; return f }

func unique(f Field) Field { f.Unique = true; return f }

func indexed(f Field) Field { f.Index = true; return f }

func userReference(f Field) Field {
	f.References = &Reference{Table: "user", Field: "id", OnDelete: "cascade"}
	f.Index = true
	return f
}

// builtinTables are Better Auth 1.7's core tables and the rate limiter's, with their fields in
// upstream's order (@better-auth/core db/get-tables.mjs), id first. pluginTables maps a plugin
// to the tables it adds.
var builtinTables = map[string][]Table{
	"core": {
		{Name: "user", GoName: "User", Fields: []Field{
			coreField("id", typeString, true),
			coreField("name", typeString, true),
			unique(coreField("email", typeString, true)),
			coreField("emailVerified", typeBoolean, true),
			coreField("image", typeString, false),
			withDefaultNow(coreField("createdAt", typeDate, true)),
			withDefaultNow(coreField("updatedAt", typeDate, true)),
		}},
		{Name: "session", GoName: "Session", Fields: []Field{
			coreField("id", typeString, true),
			coreField("expiresAt", typeDate, true),
			unique(coreField("token", typeString, true)),
			withDefaultNow(coreField("createdAt", typeDate, true)),
			coreField("updatedAt", typeDate, true),
			coreField("ipAddress", typeString, false),
			coreField("userAgent", typeString, false),
			userReference(coreField("userId", typeString, true)),
		}},
		{Name: "account", GoName: "Account", Fields: []Field{
			coreField("id", typeString, true),
			coreField("accountId", typeString, true),
			coreField("providerId", typeString, true),
			userReference(coreField("userId", typeString, true)),
			coreField("accessToken", typeString, false),
			coreField("refreshToken", typeString, false),
			coreField("idToken", typeString, false),
			coreField("accessTokenExpiresAt", typeDate, false),
			coreField("refreshTokenExpiresAt", typeDate, false),
			coreField("scope", typeString, false),
			coreField("password", typeString, false),
			withDefaultNow(coreField("createdAt", typeDate, true)),
			coreField("updatedAt", typeDate, true),
		}},
		{Name: "verification", GoName: "Verification", Fields: []Field{
			coreField("id", typeString, true),
			indexed(coreField("identifier", typeString, true)),
			coreField("value", typeString, true),
			coreField("expiresAt", typeDate, true),
			withDefaultNow(coreField("createdAt", typeDate, true)),
			withDefaultNow(coreField("updatedAt", typeDate, true)),
		}},
		{Name: "rateLimit", GoName: "RateLimit", Fields: []Field{
			coreField("id", typeString, true),
			unique(coreField("key", typeString, true)),
			coreField("count", typeNumber, true),
			bigint(coreField("lastRequest", typeNumber, true)),
		}},
	},
	// better-auth plugins/two-factor/schema.mjs. Upstream declares defaults (verified true,
	// failedVerificationCount 0) that its migration does not write: the columns are nullable
	// without defaults, and the code reads a null as the default.
	"two-factor": {
		{Name: "twoFactor", GoName: "TwoFactor", Fields: []Field{
			coreField("id", typeString, true),
			indexed(coreField("secret", typeString, true)),
			coreField("backupCodes", typeString, true),
			userReference(coreField("userId", typeString, true)),
			coreField("verified", typeBoolean, false),
			coreField("failedVerificationCount", typeNumber, false),
			coreField("lockedUntil", typeDate, false),
		}},
	},
	// @better-auth/passkey 1.7.6 src/schema.ts. Its migration creates every column without a
	// default, createdAt nullable, and indexes userId and credentialID (not unique).
	"passkey": {
		{Name: "passkey", GoName: "Passkey", Fields: []Field{
			coreField("id", typeString, true),
			coreField("name", typeString, false),
			coreField("publicKey", typeString, true),
			userReference(coreField("userId", typeString, true)),
			indexed(coreField("credentialID", typeString, true)),
			coreField("counter", typeNumber, true),
			coreField("deviceType", typeString, true),
			coreField("backedUp", typeBoolean, true),
			coreField("transports", typeString, false),
			coreField("createdAt", typeDate, false),
			coreField("aaguid", typeString, false),
		}},
	},
}

func bigint(f Field) Field { f.BigInt = true; return f }

// pluginFields are the fields plugins add to core tables, by plugin and table, in upstream's
// order; each plugin's migration creates their columns.
var pluginFields = map[string]map[string][]Field{
	// better-auth plugins/username/schema.mjs.
	"username": {"user": {
		pluginField("username", unique(coreField("username", typeString, false))),
		pluginField("username", coreField("displayUsername", typeString, false)),
	}},
	// better-auth plugins/two-factor/schema.mjs: set by the plugin, never by the client.
	"two-factor": {"user": {
		pluginField("two-factor", noColumnDefault(withDefault(false, notInput(coreField("twoFactorEnabled", typeBoolean, false))))),
	}},
}

func notInput(f Field) Field { f.Input = false; return f }

func withDefault(v any, f Field) Field { f.Default = v; return f }

func noColumnDefault(f Field) Field { f.NoColumnDefault = true; return f }

func pluginField(plugin string, f Field) Field {
	f.Additional, f.Plugin = true, plugin
	return f
}

// customizableTables are the tables whose settings kernia.yaml may hold, in its order.
var customizableTables = []string{"user", "session", "account", "verification", "rateLimit"}

// extensibleTables may get additional fields (Better Auth's additionalFields).
var extensibleTables = []string{"user", "session", "account"}

// goInitialisms are the words a Go name spells in capitals, as the rest of the package does.
var goInitialisms = map[string]string{"id": "ID", "url": "URL", "ip": "IP", "api": "API", "uri": "URI", "json": "JSON", "http": "HTTP", "sql": "SQL", "uuid": "UUID"}

// goName turns a Better Auth field name into a Go one: tenantId → TenantID, plan → Plan,
// nick_name → NickName.
func goName(name string) string {
	var words []string
	start := 0
	runes := []rune(name)
	for i := 1; i <= len(runes); i++ {
		if i == len(runes) || runes[i] == '_' || unicode.IsUpper(runes[i]) && !unicode.IsUpper(runes[i-1]) {
			if w := strings.Trim(string(runes[start:i]), "_"); w != "" {
				words = append(words, w)
			}
			start = i
		}
	}
	var b strings.Builder
	for _, w := range words {
		if up, ok := goInitialisms[strings.ToLower(w)]; ok {
			b.WriteString(up)
			continue
		}
		r := []rune(w)
		b.WriteString(string(unicode.ToUpper(r[0])) + string(r[1:]))
	}
	return b.String()
}

// Tables returns the tables of the enabled plugins, resolved against kernia.yaml.
func (o Options) Tables() []Table {
	var tables []Table
	for _, plugin := range o.Plugins {
		for _, t := range builtinTables[plugin] {
			tables = append(tables, o.resolveTable(t))
		}
	}
	return tables
}

// table returns the resolved table of that Better Auth name.
func (o Options) table(name string) (Table, error) {
	for _, t := range o.Tables() {
		if t.Name == name {
			return t, nil
		}
	}
	return Table{}, fmt.Errorf("no auth table %q among the enabled plugins' tables", name)
}

// resolveTable applies kernia.yaml's settings of a table to Better Auth's declaration.
func (o Options) resolveTable(t Table) Table {
	m := o.Models[t.Name]
	t.SQLName = t.Name
	if m.ModelName != "" {
		t.SQLName = m.ModelName
	}
	t.Fields = slices.Clone(t.Fields)
	for _, plugin := range o.Plugins {
		t.Fields = append(t.Fields, pluginFields[plugin][t.Name]...)
	}
	t.Fields = append(t.Fields, m.AdditionalFields...)
	for i, f := range t.Fields {
		if f.Column == "" {
			f.Column = f.Name
		}
		if c, ok := m.Fields[f.Name]; ok {
			f.Column = c
		}
		if f.GoName == "" {
			f.GoName = goName(f.Name)
		}
		f.SerialID = o.DatabaseAssignsIDs() && (f.Name == "id" || f.References != nil && f.References.Field == "id")
		t.Fields[i] = f
	}
	return t
}

// indexName is the name Better Auth gives the index of one column (@better-auth/core
// db/database-index.mjs getDatabaseIndexName): table_column_idx, or _uidx for a unique one,
// shortened with a hash to PostgreSQL's 63 bytes.
func indexName(table, column string, unique bool) string {
	kind := "idx"
	if unique {
		kind = "uidx"
	}
	name := table + "_" + column + "_" + kind
	if len(name) <= 63 {
		return name
	}
	// FNV-1a over the UTF-16 code units, as JavaScript's charCodeAt gives them.
	h := uint32(2166136261)
	for _, u := range utf16.Encode([]rune(name)) {
		h ^= uint32(u)
		h *= 16777619
	}
	suffix := fmt.Sprintf("_%08x_%s", h, kind)
	head := name[:len(name)-len(kind)-1]
	budget := 63 - len(suffix)
	cut := 0
	for i := range head {
		if i > budget {
			break
		}
		cut = i
	}
	if len(head) <= budget {
		cut = len(head)
	}
	return head[:cut] + suffix
}
