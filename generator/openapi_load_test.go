package generator

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	kernia "github.com/kernia/kernia-gen"
)

// Every file of openapi/ belongs to a plugin kernia-gen knows, and merging every plugin's file
// marks each operation with the plugin whose file holds it.
func TestOpenAPIFilesArePlugins(t *testing.T) {
	entries, err := fs.ReadDir(kernia.Inputs, openAPIDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if !ok || !slices.Contains(KnownPlugins, name) {
			t.Errorf("openapi/%s is not named after a plugin (%v)", e.Name(), KnownPlugins)
		}
	}
	spec, err := loadSpec(kernia.Inputs, KnownPlugins)
	if err != nil {
		t.Fatal(err)
	}
	plugins := map[string]bool{}
	for p, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			plugin, _ := op.Extensions[pluginExtension].(string)
			if !slices.Contains(KnownPlugins, plugin) {
				t.Errorf("%s %s: x-kernia-plugin %q", method, p, plugin)
			}
			plugins[plugin] = true
		}
	}
	for _, want := range []string{"core", "username", "two-factor"} {
		if !plugins[want] {
			t.Errorf("no operation of %s in the merged document", want)
		}
	}
	core, err := loadSpec(kernia.Inputs, []string{"core"})
	if err != nil {
		t.Fatal(err)
	}
	if core.Paths.Find("/sign-in/username") != nil || core.Components.Schemas["SignInUsernameRequest"] != nil {
		t.Error("the core alone has the username plugin's path or schema")
	}
}

// A plugin's file that redefines a path or schema, names another plugin on an operation or holds
// more than paths and schemas is refused with its name in the message.
func TestOpenAPIPluginFileRefused(t *testing.T) {
	core, err := fs.ReadFile(kernia.Inputs, "openapi/core.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ file, want string }{
		"path twice":    {"paths:\n  /sign-in/email:\n    post: {operationId: x}\n", "paths /sign-in/email is defined twice"},
		"schema twice":  {"components:\n  schemas:\n    User: {type: object}\n", "schemas User is defined twice"},
		"other plugin":  {"paths:\n  /x:\n    post: {operationId: x, x-kernia-plugin: core}\n", "names plugin core"},
		"other section": {"info: {title: x}\n", "not info"},
		"responses":     {"components:\n  responses:\n    E: {description: x}\n", "not components.responses"},
	} {
		t.Run(name, func(t *testing.T) {
			inputs := fstest.MapFS{
				"openapi/core.yaml":  {Data: core},
				"openapi/extra.yaml": {Data: []byte(tc.file)},
			}
			_, err := loadSpec(inputs, []string{"core", "extra"})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "openapi/extra.yaml") {
				t.Fatalf("err = %v, want %q naming openapi/extra.yaml", err, tc.want)
			}
		})
	}
}
