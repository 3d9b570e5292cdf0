package generator

import (
	"context"
	"fmt"
	"io/fs"
	"path"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// pluginExtension names the plugin an OpenAPI operation belongs to.
const pluginExtension = "x-kernia-plugin"

// renderAPI runs oapi-codegen on the operations of the enabled plugins (openapi_load.go). It emits the models and
// the net/http ServerInterface with its routing; the emitted handlers decode request bodies
// themselves, because Better Auth's validation messages and status codes are part of the wire
// contract and oapi-codegen's strict server would answer with its own. The route registration
// comes from templates/oapi, unexported, so that nothing serves the handlers around Auth.Handler.
func renderAPI(_ context.Context, inputs fs.FS, opts Options) ([]File, error) {
	spec, err := loadSpec(inputs, opts.Plugins)
	if err != nil {
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
	out, err := replaceHeader([]byte(src), "Source: openapi/*.yaml, through oapi-codegen.")
	if err != nil {
		return nil, err
	}
	return []File{{Path: path.Join(opts.Dir, "api.gen.go"), Content: out}}, nil
}
