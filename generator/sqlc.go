package generator

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sqlc-dev/sqlc/pkg/cli"
)

// storeDir is the sub-package of the emitted package that holds sqlc's output.
const storeDir = "store"

// renderStore runs sqlc in-process on the enabled plugins' queries against their migrations.
// sqlc reads its inputs from disk, so they are laid out in a temporary folder the way the
// embedded sqlc.yaml expects.
func renderStore(_ context.Context, inputs fs.FS, opts Options) ([]File, error) {
	tmp, err := os.MkdirTemp("", "kernia-sqlc-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	if err := copyFile(inputs, "sqlc.yaml", filepath.Join(tmp, "sqlc.yaml")); err != nil {
		return nil, err
	}
	for _, plugin := range opts.Plugins {
		migrations, err := fs.Glob(inputs, path.Join("migrations", plugin, "*.sql"))
		if err != nil {
			return nil, err
		}
		for _, m := range migrations {
			if err := copyFile(inputs, m, filepath.Join(tmp, "migrations", path.Base(m))); err != nil {
				return nil, err
			}
		}
		q := path.Join("queries", plugin+".sql")
		if _, err := fs.Stat(inputs, q); err == nil {
			if err := copyFile(inputs, q, filepath.Join(tmp, "queries", plugin+".sql")); err != nil {
				return nil, err
			}
		}
	}

	if code := cli.Run([]string{"generate", "--file", filepath.Join(tmp, "sqlc.yaml")}); code != 0 {
		return nil, fmt.Errorf("sqlc failed (exit %d); its messages are above", code)
	}

	entries, err := os.ReadDir(filepath.Join(tmp, storeDir))
	if err != nil {
		return nil, fmt.Errorf("reading sqlc output: %w", err)
	}
	var files []File
	for _, e := range entries {
		src, err := os.ReadFile(filepath.Join(tmp, storeDir, e.Name()))
		if err != nil {
			return nil, err
		}
		note := "Source: sqlc, on the queries and migrations of the enabled plugins."
		if q, ok := strings.CutSuffix(e.Name(), ".sql.go"); ok {
			note = "Source: queries/" + q + ".sql, through sqlc."
		}
		src, err = replaceHeader(src, note)
		if err != nil {
			return nil, fmt.Errorf("sqlc output %s: %w", e.Name(), err)
		}
		files = append(files, File{Path: path.Join(opts.Dir, storeDir, e.Name()), Content: src})
	}
	return files, nil
}

// copyMigrations emits the enabled plugins' goose migrations into the package's migrations
// folder, where the generated Migrate function embeds them.
func copyMigrations(_ context.Context, inputs fs.FS, opts Options) ([]File, error) {
	var files []File
	for _, plugin := range opts.Plugins {
		names, err := fs.Glob(inputs, path.Join("migrations", plugin, "*.sql"))
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			src, err := fs.ReadFile(inputs, name)
			if err != nil {
				return nil, err
			}
			files = append(files, File{Path: path.Join(opts.Dir, "migrations", path.Base(name)), Content: src})
		}
	}
	return files, nil
}

func copyFile(inputs fs.FS, name, dst string) error {
	src, err := fs.ReadFile(inputs, name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, src, 0o644)
}
