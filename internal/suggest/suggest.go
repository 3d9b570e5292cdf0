// Package suggest finds the known name a mistyped one was most likely meant to be, for "did you
// mean" hints in error messages.
package suggest

import "strings"

// Closest returns the candidate nearest to name, or "" when none is near enough to be a likely
// typo: within an edit distance of one for short names, and of a third of the name's length
// for longer ones (transposed letters count as one edit). A candidate that name is a prefix of,
// such as "gen" for "generate", also matches when it is the only one.
func Closest(name string, candidates []string) string {
	name = strings.ToLower(name)
	best, bestDist := "", max(1, len(name)/3)+1
	for _, c := range candidates {
		if d := distance(name, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	var prefixed []string
	for _, c := range candidates {
		if len(name) >= 2 && strings.HasPrefix(strings.ToLower(c), name) {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

// distance is the optimal string alignment distance between a and b: insertions, deletions,
// substitutions and transpositions of adjacent bytes, each costing one.
func distance(a, b string) int {
	// rows[i][j] is the distance between a[:i] and b[:j]; three rows are enough.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
