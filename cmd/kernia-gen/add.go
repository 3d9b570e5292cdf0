package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/kernia/kernia-gen/generator"
)

// optionFlags collects repeated --option name=value flags.
type optionFlags []string

func (o *optionFlags) String() string     { return strings.Join(*o, ",") }
func (o *optionFlags) Set(v string) error { *o = append(*o, v); return nil }

func addFlags(o *generateOptions, options *optionFlags) *flag.FlagSet {
	fs := generateFlags("add", o)
	fs.Var(options, "option", "a plugin option as `name=value` (repeatable); on an enabled plugin, changes it")
	return fs
}

// runAdd enables a plugin, or changes its options, records it in kernia.yaml and regenerates.
func runAdd(ctx context.Context, out *output, args []string) error {
	var o generateOptions
	var options optionFlags
	positional, err := parseFlags(addFlags(&o, &options), args, 1, out)
	if err != nil {
		return err
	}
	name := positional[0]
	if _, err := generator.LookupPlugin(name); err != nil {
		return err
	}
	m, err := openModule(ctx, out, !o.dryRun)
	if err != nil {
		return err
	}
	defer m.unlock()
	opts := m.opts
	if slices.Contains(opts.Plugins, name) && len(options) == 0 {
		return fmt.Errorf("plugin %s is already enabled; to change its options, add --option name=value", name)
	}
	opts, err = opts.WithPlugin(name, options)
	if err != nil {
		return err
	}
	return regenerate(ctx, out, m, opts, o, true)
}

// runRemove disables a plugin and regenerates.
func runRemove(ctx context.Context, out *output, args []string) error {
	var o generateOptions
	positional, err := parseFlags(generateFlags("remove", &o), args, 1, out)
	if err != nil {
		return err
	}
	if _, err := generator.LookupPlugin(positional[0]); err != nil {
		return err
	}
	m, err := openModule(ctx, out, !o.dryRun)
	if err != nil {
		return err
	}
	defer m.unlock()
	opts, err := m.opts.WithoutPlugin(positional[0])
	if err != nil {
		return err
	}
	return regenerate(ctx, out, m, opts, o, true)
}
