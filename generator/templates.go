package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template"
)

// templateData is what every template sees.
type templateData struct {
	Options
	// ImportPath is the emitted package's import path.
	ImportPath string
	// Version is the kernia-gen version doing the generation.
	Version string
}

// Enabled reports whether a plugin is enabled, for templates: {{if .Enabled "bearer"}}.
func (d templateData) Enabled(plugin string) bool {
	return d.pluginEnabled(plugin)
}

// Shares reports whether an enabled plugin needs the core's optional helper of that name
// (Plugin.Shares), for core templates, which name no plugin: {{if .Shares "sealing"}}.
func (d templateData) Shares(helper string) bool {
	for _, name := range d.Plugins {
		if p, err := LookupPlugin(name); err == nil && slices.Contains(p.Shares, helper) {
			return true
		}
	}
	return false
}

// Option is a plugin option's value, for templates: {{.Option "bearer" "requireSignature"}}.
func (d templateData) Option(plugin, name string) (any, error) {
	p, err := LookupPlugin(plugin)
	if err != nil {
		return nil, err
	}
	opt, err := p.option(name)
	if err != nil {
		return nil, err
	}
	return d.pluginOption(plugin, opt), nil
}

// Version is kernia-gen's version, set by the command.
var Version = "devel"

// mailDir is the folder, in a plugin's templates and in the emitted package, of the mail
// templates. They are the emitted package's own text/template and html/template sources
// ({{.URL}}), which it parses at run time, so they are copied verbatim rather than rendered.
// Like every file without the generated-code header, they are scaffolded: the user edits
// them and a regeneration merges.
const mailDir = "mail"

// renderTemplates renders templates/package/<plugin>/*.tmpl into the emitted package (and
// templates/package/<plugin>/<option>/<value>/*.tmpl for each value chosen in a list option) and, with
// Server, templates/server/*.tmpl into cmd/server. A template's path minus ".tmpl" is the
// emitted file's name. A plugin's mail/ folder is copied into the package's mail/ folder as
// it is. With Demo, templates/demo/*.tmpl go to cmd/server too, and the demo page
// (templates/demo/page/*.tmpl rendered, templates/demo/assets/* as they are) to cmd/server/demo.
func renderTemplates(_ context.Context, inputs fs.FS, opts Options) ([]File, error) {
	data := templateData{Options: opts, ImportPath: opts.importPath(), Version: Version}
	var files []File
	render := func(dir, outDir string) error {
		names, err := fs.Glob(inputs, path.Join(dir, "*.tmpl"))
		if err != nil {
			return err
		}
		for _, name := range names {
			out, err := renderTemplate(inputs, name, data)
			if err != nil {
				return err
			}
			if len(bytes.TrimSpace(out)) == 0 {
				continue // a template that renders nothing emits no file (field_input.go without fields)
			}
			files = append(files, File{
				Path:    path.Join(outDir, strings.TrimSuffix(path.Base(name), ".tmpl")),
				Content: out,
			})
		}
		return nil
	}
	copyVerbatim := func(dir, outDir string) error {
		entries, err := fs.ReadDir(inputs, dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.IsDir() {
				return fmt.Errorf("%s/%s: a folder copied as it is holds files only", dir, e.Name())
			}
			content, err := fs.ReadFile(inputs, path.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			files = append(files, File{Path: path.Join(outDir, e.Name()), Content: content})
		}
		return nil
	}
	for _, plugin := range opts.Plugins {
		if err := render(path.Join("templates", "package", plugin), opts.Dir); err != nil {
			return nil, err
		}
		// A list option's chosen values emit their own files: providers: [google] renders
		// templates/package/social/providers/google/*.tmpl, and only those providers' code.
		for _, choice := range opts.listChoices(plugin) {
			if err := render(path.Join("templates", "package", plugin, choice), opts.Dir); err != nil {
				return nil, err
			}
		}
		if err := copyVerbatim(path.Join("templates", "package", plugin, mailDir), path.Join(opts.Dir, mailDir)); err != nil {
			return nil, err
		}
	}
	if opts.Server {
		if err := render(path.Join("templates", "server"), serverDir); err != nil {
			return nil, err
		}
	}
	if opts.Demo {
		if err := render(path.Join("templates", "demo"), serverDir); err != nil {
			return nil, err
		}
		if err := render(path.Join("templates", "demo", "page"), demoDir); err != nil {
			return nil, err
		}
		if err := copyVerbatim(path.Join("templates", "demo", "assets"), demoDir); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// goNameFuncs turn option values into Go names: {{title "google"}} is Google.
var goNameFuncs = template.FuncMap{
	"title": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
}

func renderTemplate(inputs fs.FS, name string, data templateData) ([]byte, error) {
	src, err := fs.ReadFile(inputs, name)
	if err != nil {
		return nil, err
	}
	t, err := template.New(path.Base(name)).Option("missingkey=error").Funcs(data.sqlFuncs()).Funcs(goNameFuncs).Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return b.Bytes(), nil
}
