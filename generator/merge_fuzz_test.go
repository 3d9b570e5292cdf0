package generator

import (
	"bytes"
	"os"
	"testing"
)

// FuzzMerge3 checks the three-way merge of a scaffolded file (yours: the user's copy; base:
// the file generated last time; theirs: the file generated now) on arbitrary texts:
//
//   - no line the user added is lost: for every line L, the merged file has at least as many
//     copies of L as yours has more than base. A user's line is kept in the merged text or
//     shown inside a conflict block, never dropped (lines the user kept from base may be
//     changed by the generator);
//   - the conflict count is the number of conflict blocks, and a merge without conflicts
//     leaves no markers (when no input has marker-like lines of its own);
//   - merging a file with itself is the file, and a side that did not change gives way
//     to the other: merge(yours, base, base) = yours;
//   - git refuses binary input (a NUL byte in its first 8000 bytes), and nothing else.
func FuzzMerge3(f *testing.F) {
	signUp, err := os.ReadFile("../templates/package/core/handle_sign_up.go.tmpl")
	if err != nil {
		f.Fatal(err)
	}
	edited := bytes.Replace(signUp, []byte("\treturn"), []byte("\t// mine\n\treturn"), 2)
	changed := bytes.Replace(signUp, []byte("err"), []byte("e"), 3)
	f.Add(edited, signUp, changed)
	f.Add(edited, signUp, edited)
	for _, abc := range [][3]string{
		{"a\nb\nc\n", "a\nc\n", "a\nc\nd\n"},    // separate changes
		{"a\nx\nc\n", "a\nb\nc\n", "a\ny\nc\n"}, // a conflict
		{"a\nb", "a\n", "a\nc"},                 // no final newline
		{"a\r\nb\r\n", "a\r\n", "a\r\nc\r\n"},   // CRLF
		{"", "a\n", "a\nb\n"},                   // the user emptied the file
		{"a\n<<<<<<< x\n", "a\n", "b\na\n"},     // a marker-like line of the user's
		{"a\n\x00", "a\n", "a\nb\n"},            // binary
		{"x\na\nb\n", "a\nb\n", "a\nb\nx\n"},    // the same line added at both ends
		{"b\nb\nb\n", "b\nb\n", "b\nb\nb\nb\n"}, // repeated lines
		{"a\nb\nc\nd\n", "a\nc\n", "c\nd\na\n"}, // moved lines
	} {
		f.Add([]byte(abc[0]), []byte(abc[1]), []byte(abc[2]))
	}
	f.Fuzz(func(t *testing.T, yours, base, theirs []byte) {
		merged, conflicts, err := merge3("f.go", yours, base, theirs, "new")
		binary := isBinaryForGit(yours) || isBinaryForGit(base) || isBinaryForGit(theirs)
		if binary || err != nil {
			if !binary || err == nil {
				t.Fatalf("binary input %v, error %v", binary, err)
			}
			return
		}

		count, baseCount := lineCounts(merged), lineCounts(base)
		last, unterminated := finalLine(yours)
		for line, n := range lineCounts(yours) {
			kept := count[line]
			if unterminated && line == last {
				// In a conflict block git ends the user's last line, with "\r\n" in a CRLF file.
				kept += count[line+"\r"]
			}
			if lost := n - baseCount[line] - kept; lost > 0 {
				t.Fatalf("%d of the user's copies of %q lost (%d conflicts):\nyours %q\nbase %q\ntheirs %q\nmerged %q",
					lost, line, conflicts, yours, base, theirs, merged)
			}
		}

		if !hasMarkerLines(yours) && !hasMarkerLines(base) && !hasMarkerLines(theirs) {
			// git's exit status, the count, stops at 127.
			if blocks := countPrefixed(merged, "<<<<<<< "); min(blocks, 127) != conflicts || conflictMarkers("f.go", merged) != (conflicts > 0) {
				t.Fatalf("%d conflicts reported, %d blocks in %q", conflicts, blocks, merged)
			}
		}

		for _, m := range []struct {
			name                string
			yours, base, theirs []byte
			want                []byte
		}{
			{"identical inputs", yours, yours, yours, yours},
			{"theirs unchanged", yours, base, base, yours},
		} {
			got, n, err := merge3("f.go", m.yours, m.base, m.theirs, "new")
			if err != nil || n != 0 || !bytes.Equal(got, m.want) {
				t.Fatalf("%s: merge(%q, %q, %q) = %q, %d conflicts, %v; want %q", m.name, m.yours, m.base, m.theirs, got, n, err, m.want)
			}
		}
	})
}

// isBinaryForGit reports whether git takes b for a binary file: a NUL in its first 8000 bytes.
func isBinaryForGit(b []byte) bool {
	return bytes.IndexByte(b[:min(len(b), 8000)], 0) >= 0
}

// lineCounts counts a text's lines, without their "\n"; a final line without one counts.
// A "\r" before the "\n" stays: git copies lines byte for byte.
func lineCounts(b []byte) map[string]int {
	counts := map[string]int{}
	for line := range bytes.Lines(b) {
		counts[string(bytes.TrimSuffix(line, []byte("\n")))]++
	}
	return counts
}

// finalLine returns a text's last line and whether it lacks a "\n".
func finalLine(b []byte) (string, bool) {
	if len(b) == 0 || b[len(b)-1] == '\n' {
		return "", false
	}
	return string(b[bytes.LastIndexByte(b, '\n')+1:]), true
}

// hasMarkerLines reports whether a text has lines that look like git's conflict markers.
func hasMarkerLines(b []byte) bool {
	for _, marker := range []string{"<<<<<<<", "|||||||", "=======", ">>>>>>>"} {
		if countPrefixed(b, marker) > 0 {
			return true
		}
	}
	return false
}

// countPrefixed counts the lines of b that start with prefix.
func countPrefixed(b []byte, prefix string) int {
	n := 0
	for line := range bytes.Lines(b) {
		if bytes.HasPrefix(line, []byte(prefix)) {
			n++
		}
	}
	return n
}
