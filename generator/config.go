package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// kernia.yaml records the options of a generation:
//
//	dir: internal/auth
//	package: auth
//	basePath: /api/auth
//	plugins:
//	  - core
//	  - bearer:
//	      requireSignature: true
//	server: true
//	demo: false
//	migrationTable: kernia_db_version
//	schema: auth
//
// A plugin is its name, or a one-key map from its name to its options.

// LoadConfig reads kernia.yaml at the module root. Its errors name the file and line.
func (p Project) LoadConfig() (Options, error) {
	name := filepath.Join(p.Root, ConfigFile)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return Options{}, fmt.Errorf("%w in %s: this module has not been initialised; run `kernia-gen init` first", ErrNoConfig, p.Root)
	}
	if err != nil {
		return Options{}, err
	}
	opts, err := parseConfig(data)
	if err != nil {
		return Options{}, fmt.Errorf("%s:%w", ConfigFile, err)
	}
	opts = p.options(opts)
	return opts.withDefaults(), nil
}

// lineError is an error at a line of the configuration file.
type lineError struct {
	line int
	msg  string
}

func (e lineError) Error() string { return strconv.Itoa(e.line) + ": " + e.msg }

// isEmptyDocument reports whether n is the implicit null of a document with no content,
// as opposed to a null the file spells out ("~" or "null").
func isEmptyDocument(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" && n.Style == 0
}

func errAt(n *yaml.Node, format string, args ...any) error {
	return lineError{n.Line, fmt.Sprintf(format, args...)}
}

// parseConfig decodes kernia.yaml, refusing unknown keys, plugins and options.
func parseConfig(data []byte) (Options, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Options{}, fmt.Errorf(" %v", err)
	}
	// A file of only comments or a bare "---" is a document without content; yaml.v3 puts
	// the latter's null node on the line after the file's last, so it is caught here too.
	if len(doc.Content) == 0 || isEmptyDocument(doc.Content[0]) {
		return Options{}, lineError{1, "the file is empty"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return Options{}, errAt(root, "expected a mapping of settings")
	}
	var o Options
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		// A second "dir:" further down would silently win and move the package.
		if line, ok := seen[key.Value]; ok {
			return Options{}, errAt(key, "%s is set twice (also on line %d); keep one", key.Value, line)
		}
		seen[key.Value] = key.Line
		var err error
		switch key.Value {
		case "dir":
			err = scalar(val, &o.Dir)
		case "package":
			err = scalar(val, &o.Package)
		case "basePath":
			err = scalar(val, &o.BasePath)
		case "migrationTable":
			err = scalar(val, &o.MigrationTable)
		case "schema":
			err = scalar(val, &o.Schema)
		case "server":
			err = decodeBool(val, &o.Server)
		case "demo":
			err = decodeBool(val, &o.Demo)
		case "plugins":
			err = parsePlugins(val, &o)
		case "user", "session", "account", "verification", "rateLimit":
			err = parseModel(key.Value, val, &o)
		case "advanced":
			err = parseAdvanced(val, &o)
		default:
			err = errAt(key, "unknown setting %q (settings: dir, package, basePath, plugins, server, demo, migrationTable, schema, "+
				"user, session, account, verification, rateLimit, advanced)", key.Value)
		}
		if err != nil {
			return Options{}, err
		}
	}
	return o, nil
}

func scalar(n *yaml.Node, dst *string) error {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		return errAt(n, "expected a string")
	}
	*dst = n.Value
	return nil
}

func decodeBool(n *yaml.Node, dst *bool) error {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return errAt(n, "expected true or false")
	}
	return n.Decode(dst)
}

func parsePlugins(n *yaml.Node, o *Options) error {
	if n.Kind != yaml.SequenceNode {
		return errAt(n, "plugins: expected a list")
	}
	for _, item := range n.Content {
		name, opts := item, (*yaml.Node)(nil)
		if item.Kind == yaml.MappingNode && len(item.Content) == 2 {
			name, opts = item.Content[0], item.Content[1]
		}
		if name.Kind != yaml.ScalarNode {
			return errAt(item, "a plugin is its name, or its name followed by its options")
		}
		plugin, err := LookupPlugin(name.Value)
		if err != nil {
			return errAt(name, "%v", err)
		}
		if o.pluginEnabled(plugin.Name) {
			return errAt(name, "plugin %s is listed twice", plugin.Name)
		}
		o.Plugins = append(o.Plugins, plugin.Name)
		if opts == nil {
			continue
		}
		if opts.Kind != yaml.MappingNode {
			return errAt(opts, "options of %s: expected a mapping", plugin.Name)
		}
		for i := 0; i+1 < len(opts.Content); i += 2 {
			if err := o.setOption(plugin, opts.Content[i], opts.Content[i+1]); err != nil {
				return err
			}
		}
	}
	return nil
}

// setOption checks a plugin option's name and type and records its value.
func (o *Options) setOption(p Plugin, key, val *yaml.Node) error {
	opt, err := p.option(key.Value)
	if err != nil {
		return errAt(key, "%v", err)
	}
	var v any
	switch opt.Default.(type) {
	case bool:
		var b bool
		if val.Tag != "!!bool" || val.Decode(&b) != nil {
			return errAt(val, "%s.%s: expected true or false", p.Name, opt.Name)
		}
		v = b
	case int:
		var n int
		if val.Tag != "!!int" || val.Decode(&n) != nil || n < 1 {
			return errAt(val, "%s.%s: expected a positive whole number", p.Name, opt.Name)
		}
		if len(opt.Choices) > 0 && !slices.Contains(opt.Choices, n) {
			return errAt(val, "%s.%s: expected one of %v", p.Name, opt.Name, opt.Choices)
		}
		v = n
	case string:
		// Any scalar is its text (issuer: 2026 is "2026"); null, a list or a mapping is not.
		if val.Kind != yaml.ScalarNode || val.Tag == "!!null" {
			return errAt(val, "%s.%s: expected a string", p.Name, opt.Name)
		}
		v = val.Value
	case []string:
		list, err := parseListOption(p, opt, val)
		if err != nil {
			return err
		}
		v = list
	}
	if o.PluginOptions == nil {
		o.PluginOptions = map[string]map[string]any{}
	}
	if o.PluginOptions[p.Name] == nil {
		o.PluginOptions[p.Name] = map[string]any{}
	}
	o.PluginOptions[p.Name][opt.Name] = v
	return nil
}

// YAML renders the options as kernia.yaml, with comments.
func (o Options) YAML() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `# kernia-gen configuration: the structural choices applied at generation time. Edit it and
# run kernia-gen generate, or use kernia-gen add/remove. Runtime options (secret, base URL,
# session lifetimes, ...) are fields of the Config in %s/config.go instead.

# Folder of the emitted package, relative to the module root, and its package name.
dir: %s
package: %s

# Path the auth handler is mounted on.
basePath: %s

# Enabled plugins, each with its options. "core" (email and password, sessions) is always on.
plugins:
`, o.Dir, yamlString(o.Dir), yamlString(o.Package), yamlString(o.BasePath))
	for _, name := range o.Plugins {
		p, _ := LookupPlugin(name)
		if len(p.Options) == 0 {
			fmt.Fprintf(&b, "  - %s\n", name)
			continue
		}
		fmt.Fprintf(&b, "  - %s:\n", name)
		for _, opt := range p.Options {
			fmt.Fprintf(&b, "      %s: %s # %s\n", opt.Name, optionText(o.pluginOption(name, opt)), opt.Doc)
		}
	}
	fmt.Fprintf(&b, `
# Also emit cmd/server/main.go, a runnable server around the package.
server: %t

# Also emit a browser demo page that the server serves under /demo/ (needs server).
demo: %t

# goose version table of the emitted migrations.
migrationTable: %s
`, o.Server, o.Demo, yamlString(o.MigrationTable))
	schema := "# schema: auth"
	if o.Schema != "" {
		schema = "schema: " + yamlString(o.Schema)
	}
	fmt.Fprintf(&b, `
# PostgreSQL schema of the auth tables (and of the goose version table), e.g. auth for
# auth."user"; left out, they live in the connection's current schema (its search_path). Fixed
# once the first migration is generated.
%s
`, schema)
	b.WriteString(o.schemaYAML())
	return b.Bytes()
}

// yamlString is s as a YAML string on one line: plain if it reads back as that string, else
// quoted (a package named true or a folder named 0 would otherwise read as a bool or a number).
func yamlString(s string) string {
	node := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.ContainsAny(s, "\r\n\u0085\u2028\u2029") {
		node.Style = yaml.DoubleQuotedStyle // not a block over several lines, nor a raw YAML line break
	}
	out, err := yaml.Marshal(node)
	if err != nil {
		panic(err) // a string scalar always marshals
	}
	return strings.TrimSuffix(string(out), "\n")
}

// pluginOption is an option's configured value, or its default.
func (o Options) pluginOption(plugin string, opt PluginOption) any {
	if v, ok := o.PluginOptions[plugin][opt.Name]; ok {
		return v
	}
	return opt.Default
}

// WriteConfig replaces kernia.yaml.
func (p Project) WriteConfig(content []byte) error {
	return writeFileAtomic(p.path(ConfigFile), content)
}

// WithPlugin returns the options with a plugin enabled and the given name=value options set.
func (o Options) WithPlugin(name string, options []string) (Options, error) {
	plugin, err := LookupPlugin(name)
	if err != nil {
		return o, err
	}
	if !o.pluginEnabled(name) {
		o.Plugins = append(slices.Clip(o.Plugins), name)
	}
	pluginOptions := map[string]map[string]any{}
	for k, v := range o.PluginOptions {
		pluginOptions[k] = maps.Clone(v)
	}
	o.PluginOptions = pluginOptions
	for _, kv := range options {
		k, v, ok := strings.Cut(kv, "=")
		syntax := &OptionError{Option: kv, Reason: "expected name=value" + plugin.optionExample()}
		if !ok || strings.TrimSpace(k) == "" {
			return o, syntax
		}
		doc := fmt.Sprintf("%s: %s", k, v)
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &n); err != nil || len(n.Content) == 0 || len(n.Content[0].Content) != 2 {
			return o, syntax
		}
		if err := o.setOption(plugin, n.Content[0].Content[0], n.Content[0].Content[1]); err != nil {
			return o, &OptionError{Option: kv, Reason: strings.TrimPrefix(err.Error(), "1: ")}
		}
	}
	return o, o.validate()
}

// WithoutPlugin returns the options with a plugin disabled.
func (o Options) WithoutPlugin(name string) (Options, error) {
	if _, err := LookupPlugin(name); err != nil {
		return o, err
	}
	if name == "core" {
		return o, errors.New("core cannot be removed")
	}
	if !o.pluginEnabled(name) {
		return o, fmt.Errorf("plugin %s is not enabled", name)
	}
	o.Plugins = slices.DeleteFunc(slices.Clone(o.Plugins), func(p string) bool { return p == name })
	return o, nil
}
