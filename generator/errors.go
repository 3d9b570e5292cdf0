package generator

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kernia/kernia-gen/internal/suggest"
)

// The errors a command line maps to its own messages and exit codes; test them with errors.Is
// and errors.As. Each message already says what to do next.
var (
	// ErrNoModule means there is no go.mod in the folder or any folder above it.
	ErrNoModule = errors.New("no go.mod")
	// ErrInitialized means the module already has a kernia.yaml.
	ErrInitialized = errors.New("already initialised")
	// ErrNoConfig means the module has no kernia.yaml: it was never initialised.
	ErrNoConfig = errors.New("no " + ConfigFile)
)

// NotModuleRootError means kernia-gen ran in a folder inside a module rather than at its root.
type NotModuleRootError struct {
	// Dir is where kernia-gen ran; Root is the folder above it that holds go.mod.
	Dir, Root string
}

func (e *NotModuleRootError) Error() string {
	return fmt.Sprintf("%s is not the module root: go.mod is in %s; run kernia-gen there (cd %s)", e.Dir, e.Root, e.Root)
}

// UnknownPluginError means a plugin name is not one of Plugins.
type UnknownPluginError struct {
	Name string
	// Suggestion is the known plugin the name most likely misspells, or "".
	Suggestion string
}

func (e *UnknownPluginError) Error() string {
	msg := fmt.Sprintf("unknown plugin %q", e.Name)
	if e.Suggestion != "" {
		msg += fmt.Sprintf("; did you mean %q?", e.Suggestion)
	}
	return msg + " (known plugins: " + strings.Join(KnownPlugins, ", ") + ")"
}

func unknownPlugin(name string) error {
	return &UnknownPluginError{Name: name, Suggestion: suggest.Closest(name, KnownPlugins)}
}

// OptionError is a plugin option given on the command line (name=value) that is malformed,
// unknown, or of the wrong type.
type OptionError struct {
	// Option is the argument as given; Reason says what is wrong and what is expected.
	Option, Reason string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("--option %q: %s", e.Option, e.Reason)
}

// ConflictMarkersError means scaffolded files still hold the conflict markers of an earlier
// generation. Regenerating over them would merge against a half-resolved file, so kernia-gen
// asks for them to be resolved first.
type ConflictMarkersError struct {
	// Paths are module-relative, sorted.
	Paths []string
}

func (e *ConflictMarkersError) Error() string {
	return fmt.Sprintf("unresolved conflict markers from an earlier generate in %s. "+
		"Resolve each conflict: keep the lines you want from the (yours) and (kernia-gen) sides and "+
		"delete the <<<<<<<, |||||||, ======= and >>>>>>> lines (git diff --check lists any left), "+
		"then run the command again", strings.Join(e.Paths, ", "))
}
