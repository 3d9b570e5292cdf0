// Package kernia holds the inputs that kernia-gen renders: the OpenAPI description of every
// endpoint, the sqlc configuration and queries, the goose migrations and the templates of the
// emitted package. They are embedded so that the kernia-gen binary needs nothing else at run time.
package kernia

import "embed"

// Inputs is the tree of generation inputs, with the same layout as this repository's top level.
//
//go:embed openapi sqlc.yaml queries migrations templates
var Inputs embed.FS
