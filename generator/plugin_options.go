package generator

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// optionText is an option value as kernia.yaml writes it: true, 5, or [google, github].
func optionText(v any) string {
	switch v := v.(type) {
	case []string:
		return "[" + strings.Join(v, ", ") + "]"
	case string:
		return yamlString(v)
	}
	return fmt.Sprint(v)
}

// optionEqual reports whether two values of an option are the same. List values are slices,
// which == cannot compare.
func optionEqual(a, b any) bool {
	la, aList := a.([]string)
	lb, bList := b.([]string)
	if aList || bList {
		return aList && bList && slices.Equal(la, lb)
	}
	return a == b
}

// parseListOption reads a list option's value: a YAML list of names (providers: [google,
// github]) or, as --option gives it, one string of comma-separated names
// (providers=google,github). Each name must be one of the option's Allowed values, at most
// once, and the list must not be empty. The names are kept in the order of Allowed, so that a
// file written back reads the same whatever order the user gave.
func parseListOption(p Plugin, opt PluginOption, val *yaml.Node) ([]string, error) {
	hint := fmt.Sprintf("%s.%s: expected a list of %s", p.Name, opt.Name, strings.Join(opt.Allowed, ", "))
	var names []*yaml.Node
	switch {
	case val.Kind == yaml.SequenceNode:
		names = val.Content
	case val.Kind == yaml.ScalarNode && val.Tag == "!!str":
		for _, part := range strings.Split(val.Value, ",") {
			names = append(names, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: strings.TrimSpace(part), Line: val.Line})
		}
	default:
		return nil, errAt(val, "%s, e.g. [%s]", hint, strings.Join(opt.Allowed, ", "))
	}
	seen := map[string]bool{}
	for _, n := range names {
		if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
			return nil, errAt(n, "%s", hint)
		}
		if !slices.Contains(opt.Allowed, n.Value) {
			return nil, errAt(n, "%s.%s: unknown value %q (allowed: %s)", p.Name, opt.Name, n.Value, strings.Join(opt.Allowed, ", "))
		}
		if seen[n.Value] {
			return nil, errAt(n, "%s.%s: %s is listed twice", p.Name, opt.Name, n.Value)
		}
		seen[n.Value] = true
	}
	if len(seen) == 0 {
		return nil, errAt(val, "%s.%s: choose at least one of %s", p.Name, opt.Name, strings.Join(opt.Allowed, ", "))
	}
	var out []string
	for _, a := range opt.Allowed {
		if seen[a] {
			out = append(out, a)
		}
	}
	return out, nil
}

// listChoices are the chosen values of the plugin's list options, as template folders:
// templates/package/social/providers/google for providers: [google].
func (o Options) listChoices(plugin string) []string {
	p, err := LookupPlugin(plugin)
	if err != nil {
		return nil
	}
	var dirs []string
	for _, opt := range p.Options {
		if list, ok := o.pluginOption(plugin, opt).([]string); ok {
			for _, v := range list {
				dirs = append(dirs, opt.Name+"/"+v)
			}
		}
	}
	return dirs
}
