package generator

import (
	"bytes"
	"fmt"
)

// replaceHeader swaps the comment block that opens a generated Go file (sqlc's and oapi-codegen's
// headers name their own tool and version, taken from the host binary's build information) for
// kernia-gen's header. Everything from the package clause on is kept.
func replaceHeader(src []byte, extra ...string) ([]byte, error) {
	start := 0
	if !bytes.HasPrefix(src, []byte("package ")) {
		i := bytes.Index(src, []byte("\npackage "))
		if i < 0 {
			return nil, fmt.Errorf("no package clause in generated source")
		}
		start = i + 1
	}
	var b bytes.Buffer
	b.WriteString(generatedHeader + "\n")
	for _, line := range extra {
		b.WriteString("// " + line + "\n")
	}
	b.WriteString("\n")
	b.Write(src[start:])
	return b.Bytes(), nil
}
