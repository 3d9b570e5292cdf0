package generator

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// EditConfig returns the module's kernia.yaml changed to enable exactly opts' plugins with
// their options, for add and remove. The file is edited, not rendered afresh: the user's
// comments, blank lines and order stay, only the lines of an added or removed plugin, or of
// a changed option, change. A file whose plugins are not written as a plain list (a flow
// list, say) gets a freshly rendered plugins block; the rest of the file still stays.
func (p Project) EditConfig(opts Options) ([]byte, error) {
	data, err := p.read(ConfigFile)
	if err != nil {
		return nil, err
	}
	if data == nil {
		return opts.YAML(), nil
	}
	out, ok := editPlugins(data, opts)
	if ok {
		if got, err := parseConfig(out); err == nil && samePlugins(got, opts) {
			return out, nil
		}
	}
	// The edit could not be made faithfully: render the file afresh rather than write one
	// that does not say what was asked.
	return opts.YAML(), nil
}

// samePlugins reports whether two configurations enable the same plugins with the same
// option values, defaults included.
func samePlugins(a, b Options) bool {
	if !slices.Equal(a.Plugins, b.Plugins) {
		return false
	}
	for _, name := range a.Plugins {
		p, _ := LookupPlugin(name)
		for _, opt := range p.Options {
			if !optionEqual(a.pluginOption(name, opt), b.pluginOption(name, opt)) {
				return false
			}
		}
	}
	return true
}

// editPlugins edits the lines of the plugins list in data. ok is false when the file's
// layout is not one it can edit line by line.
func editPlugins(data []byte, opts Options) (out []byte, ok bool) {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, false
	}
	crlf := bytes.Contains(data, []byte("\r\n"))
	lines := strings.SplitAfter(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	root := doc.Content[0]
	var seq *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "plugins" {
			seq = root.Content[i+1]
		}
	}
	if seq == nil || seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 || len(seq.Content) == 0 {
		return nil, false
	}
	indent := strings.Repeat(" ", seq.Content[0].Column-3) // the column of "- "
	type item struct {
		name       string
		node       *yaml.Node
		first, end int // 0-based lines, end exclusive; first includes the comment above it
	}
	var items []item
	for _, n := range seq.Content {
		name := n
		if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
			name = n.Content[0]
		}
		if name.Kind != yaml.ScalarNode || n.Style&yaml.FlowStyle != 0 {
			return nil, false
		}
		first := n.Line - 1 - strings.Count(name.HeadComment+n.HeadComment, "\n") - btoi(name.HeadComment != "") - btoi(n.HeadComment != "")
		items = append(items, item{name.Value, n, first, lastLine(n)})
	}

	// Option values that changed, rewritten in place on their lines.
	for _, it := range items {
		if !slices.Contains(opts.Plugins, it.name) {
			continue
		}
		edits, ok := editOptions(lines, it.node, opts, it.name)
		if !ok {
			return nil, false
		}
		for i, l := range edits {
			lines[i] = l
		}
	}
	// Then the lines: a removed plugin's go (with the comment above them), an option set
	// for the first time follows its plugin's lines, and a new plugin follows the list.
	skip := map[int]bool{}
	insert := map[int]string{} // text written before a 0-based line
	for _, it := range items {
		if !slices.Contains(opts.Plugins, it.name) {
			for i := it.first; i < it.end; i++ {
				skip[i] = true
			}
			continue
		}
		added, ok := addedOptions(it.node, opts, it.name, indent)
		if !ok {
			return nil, false
		}
		insert[it.end] += added
	}
	end := items[len(items)-1].end
	for _, name := range opts.Plugins {
		if !slices.ContainsFunc(items, func(it item) bool { return it.name == name }) {
			insert[end] += renderPlugin(opts, name, indent)
		}
	}
	var b strings.Builder
	for i := 0; i <= len(lines); i++ {
		b.WriteString(insert[i])
		if i < len(lines) && !skip[i] {
			b.WriteString(lines[i])
		}
	}
	out = []byte(b.String())
	if crlf {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	return out, true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lastLine is the 0-based line after the last line that holds part of n.
func lastLine(n *yaml.Node) int {
	end := n.Line
	for _, c := range n.Content {
		end = max(end, lastLine(c))
	}
	return end
}

// editOptions rewrites, in place, the values of a listed plugin's options that opts changes.
func editOptions(lines []string, item *yaml.Node, opts Options, name string) (map[int]string, bool) {
	e := map[int]string{}
	if item.Kind != yaml.MappingNode {
		return e, true
	}
	values := item.Content[1]
	if values.Kind != yaml.MappingNode || values.Style&yaml.FlowStyle != 0 {
		return e, false
	}
	plugin, _ := LookupPlugin(name)
	for i := 0; i+1 < len(values.Content); i += 2 {
		key, val := values.Content[i], values.Content[i+1]
		opt, err := plugin.option(key.Value)
		if err == nil && val.Kind == yaml.SequenceNode {
			line, ok := editListOption(lines, key, val, opts.pluginOption(name, opt))
			if !ok {
				return e, false
			}
			if line != "" {
				e[val.Line-1] = line
			}
			continue
		}
		if err != nil || val.Kind != yaml.ScalarNode || val.Line != key.Line {
			return e, false
		}
		want := fmt.Sprint(opts.pluginOption(name, opt))
		if val.Value == want {
			continue
		}
		line := lines[val.Line-1]
		col := val.Column - 1
		if col+len(val.Value) > len(line) || line[col:col+len(val.Value)] != val.Value {
			return e, false // a quoted or otherwise spelled value
		}
		e[val.Line-1] = line[:col] + want + line[col+len(val.Value):]
	}
	return e, true
}

// editListOption rewrites a list option written as a flow list on its key's line
// ("providers: [google, github]") to want's values. It returns "" when the list already holds
// them, and ok false for a list spelled another way (over several lines, say).
func editListOption(lines []string, key, val *yaml.Node, want any) (string, bool) {
	if val.Style&yaml.FlowStyle == 0 || val.Line != key.Line || lastLine(val) != val.Line {
		return "", false
	}
	var have []string
	for _, n := range val.Content {
		have = append(have, n.Value)
	}
	if optionEqual(have, want) {
		return "", true
	}
	line := lines[val.Line-1]
	start := val.Column - 1
	if start >= len(line) || line[start] != '[' {
		return "", false
	}
	end := strings.IndexByte(line[start:], ']')
	if end < 0 {
		return "", false
	}
	return line[:start] + optionText(want) + line[start+end+1:], true
}

// addedOptions are the lines of the options that opts sets on a listed plugin and that the
// file does not spell out yet. ok is false for a plugin written as a bare name, which would
// need to become a mapping.
func addedOptions(item *yaml.Node, opts Options, name, indent string) (string, bool) {
	plugin, _ := LookupPlugin(name)
	have := map[string]bool{}
	if item.Kind == yaml.MappingNode && item.Content[1].Kind == yaml.MappingNode {
		for i := 0; i < len(item.Content[1].Content); i += 2 {
			have[item.Content[1].Content[i].Value] = true
		}
	}
	var b strings.Builder
	for _, opt := range plugin.Options {
		v, set := opts.PluginOptions[name][opt.Name]
		if !set || have[opt.Name] || optionEqual(v, opt.Default) {
			continue
		}
		if item.Kind != yaml.MappingNode {
			return "", false
		}
		fmt.Fprintf(&b, "%s    %s: %s # %s\n", indent, opt.Name, optionText(v), opt.Doc)
	}
	return b.String(), true
}

// renderPlugin is a new plugin's entry, as YAML renders it.
func renderPlugin(opts Options, name, indent string) string {
	p, _ := LookupPlugin(name)
	if len(p.Options) == 0 {
		return fmt.Sprintf("%s- %s\n", indent, name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s- %s:\n", indent, name)
	for _, opt := range p.Options {
		fmt.Fprintf(&b, "%s    %s: %s # %s\n", indent, opt.Name, optionText(opts.pluginOption(name, opt)), opt.Doc)
	}
	return b.String()
}
