package generator

import (
	"context"
	"fmt"
	"io/fs"
	"path"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// pluginExtension names the plugin an OpenAPI operation belongs to.
const pluginExtension = "x-kernia-plugin"

// renderAPI runs oapi-codegen on the operations of the enabled plugins. It emits the models and
// the net/http ServerInterface with its routing; the emitted handlers decode request bodies
// themselves, because Better Auth's validation messages and status codes are part of the wire
// contract and oapi-codegen's strict server would answer with its own. The route registration
// comes from templates/oapi, unexported, so that nothing serves the handlers around Auth.Handler.
func renderAPI(_ context.Context, inputs fs.FS, opts Options) ([]File, error) {
	raw, err := fs.ReadFile(inputs, "openapi.yaml")
	if err != nil {
		return nil, err
	}
	spec, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := selectPlugins(spec, opts); err != nil {
		return nil, err
	}
	if err := addFieldsToSpec(spec, opts); err != nil {
		return nil, err
	}
	handlerTemplate, err := fs.ReadFile(inputs, "templates/oapi/std-http-handler.tmpl")
	if err != nil {
		return nil, err
	}
	src, err := codegen.Generate(spec, codegen.Configuration{
		PackageName: opts.Package,
		Generate: codegen.GenerateOptions{
			Models:        true,
			StdHTTPServer: true,
		},
		OutputOptions: codegen.OutputOptions{
			NameNormalizer: "ToCamelCaseWithInitialisms",
			UserTemplates:  map[string]string{"stdhttp/std-http-handler.tmpl": string(handlerTemplate)},
		},
		AllowRemoteRefsFrom: []string{},
	})
	if err != nil {
		return nil, fmt.Errorf("oapi-codegen: %w", err)
	}
	out, err := replaceHeader([]byte(src), "Source: openapi.yaml, through oapi-codegen.")
	if err != nil {
		return nil, err
	}
	return []File{{Path: path.Join(opts.Dir, "api.gen.go"), Content: out}}, nil
}

// selectPlugins removes the operations whose plugin is not enabled, and paths left empty.
func selectPlugins(spec *openapi3.T, opts Options) error {
	for p, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			plugin, ok := op.Extensions[pluginExtension].(string)
			if !ok {
				return fmt.Errorf("openapi.yaml: %s %s has no %s", method, p, pluginExtension)
			}
			if !opts.pluginEnabled(plugin) {
				item.SetOperation(method, nil)
			}
		}
		if len(item.Operations()) == 0 {
			spec.Paths.Delete(p)
		}
	}
	return nil
}
