package generator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// The OpenAPI document is kept one file per plugin: openapi/core.yaml is a whole document (info,
// the core's paths, the shared responses and schemas), and openapi/<plugin>.yaml holds only the
// paths and schemas the plugin adds. A plugin's file is merged into the core's when the plugin
// is enabled, and each of its operations is marked with the plugin's name in x-kernia-plugin,
// which the routing template and the conformance harness read.

// openAPIDir is the folder of the OpenAPI files among the generator's inputs.
const openAPIDir = "openapi"

// loadSpec merges openapi/core.yaml with the files of the given plugins (core excluded; a
// plugin without routes has no file) into one document.
func loadSpec(inputs fs.FS, plugins []string) (*openapi3.T, error) {
	doc, err := readOpenAPIFile(inputs, "core")
	if err != nil {
		return nil, err
	}
	if err := markOperations(doc, "core"); err != nil {
		return nil, err
	}
	for _, plugin := range plugins {
		if plugin == "core" {
			continue
		}
		part, err := readOpenAPIFile(inputs, plugin)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := mergeOpenAPI(doc, part, plugin); err != nil {
			return nil, err
		}
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	spec, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", openAPIDir, err)
	}
	return spec, nil
}

// readOpenAPIFile decodes openapi/<plugin>.yaml as plain YAML.
func readOpenAPIFile(inputs fs.FS, plugin string) (map[string]any, error) {
	name := path.Join(openAPIDir, plugin+".yaml")
	raw, err := fs.ReadFile(inputs, name)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return doc, nil
}

// mergeOpenAPI adds a plugin's paths and schemas to the document; a plugin file holds nothing
// else, and may not redefine a path or schema another file has.
func mergeOpenAPI(doc, part map[string]any, plugin string) error {
	name := path.Join(openAPIDir, plugin+".yaml")
	for key := range part {
		if key != "paths" && key != "components" {
			return fmt.Errorf("%s: a plugin's file holds paths and components.schemas only, not %s", name, key)
		}
	}
	if err := markOperations(part, plugin); err != nil {
		return err
	}
	if err := mergeSection(doc, "paths", section(part, "paths"), name); err != nil {
		return err
	}
	components := section(part, "components")
	for key := range components {
		if key != "schemas" {
			return fmt.Errorf("%s: a plugin's file holds paths and components.schemas only, not components.%s", name, key)
		}
	}
	docComponents := section(doc, "components")
	if docComponents == nil {
		return fmt.Errorf("%s: no components", path.Join(openAPIDir, "core.yaml"))
	}
	return mergeSection(docComponents, "schemas", section(components, "schemas"), name)
}

// mergeSection copies the entries of from into into[key], refusing one that is there already.
func mergeSection(into map[string]any, key string, from map[string]any, name string) error {
	to := section(into, key)
	if to == nil {
		to = map[string]any{}
		into[key] = to
	}
	for _, k := range slices.Sorted(maps.Keys(from)) {
		if _, dup := to[k]; dup {
			return fmt.Errorf("%s: %s %s is defined twice", name, key, k)
		}
		to[k] = from[k]
	}
	return nil
}

// markOperations sets x-kernia-plugin on every operation of the file's paths, refusing an
// operation that names another plugin.
func markOperations(doc map[string]any, plugin string) error {
	for p, item := range section(doc, "paths") {
		ops, ok := item.(map[string]any)
		if !ok {
			return fmt.Errorf("%s/%s.yaml: path %s is not a mapping", openAPIDir, plugin, p)
		}
		for method, op := range ops {
			fields, ok := op.(map[string]any)
			if !ok || !isHTTPMethod(method) {
				continue
			}
			if named, ok := fields[pluginExtension]; ok && named != plugin {
				return fmt.Errorf("%s/%s.yaml: %s %s names plugin %v", openAPIDir, plugin, method, p, named)
			}
			fields[pluginExtension] = plugin
		}
	}
	return nil
}

// section returns doc[key] as a mapping, or nil.
func section(doc map[string]any, key string) map[string]any {
	m, _ := doc[key].(map[string]any)
	return m
}

func isHTTPMethod(s string) bool {
	switch s {
	case "get", "put", "post", "delete", "options", "head", "patch", "trace":
		return true
	}
	return false
}
