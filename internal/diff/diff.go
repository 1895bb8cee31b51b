// Package diff compares two texts line by line, for showing editors what
// changed between two revisions of an article.
package diff

import "strings"

// Line is one line of a comparison.
type Line struct {
	Kind string // "same", "add" or "del"
	Text string
}

// maxCells bounds the comparison table; beyond it the texts are shown as a
// whole-block replacement rather than spending unbounded memory.
const maxCells = 4_000_000

// Lines returns the shortest edit from a to b as a sequence of kept, added
// and removed lines (a longest-common-subsequence diff).
func Lines(a, b string) []Line {
	al, bl := split(a), split(b)
	// Trim the common prefix and suffix: most edits touch a few lines.
	pre := 0
	for pre < len(al) && pre < len(bl) && al[pre] == bl[pre] {
		pre++
	}
	suf := 0
	for suf < len(al)-pre && suf < len(bl)-pre && al[len(al)-1-suf] == bl[len(bl)-1-suf] {
		suf++
	}
	var out []Line
	for _, l := range al[:pre] {
		out = append(out, Line{"same", l})
	}
	out = append(out, middle(al[pre:len(al)-suf], bl[pre:len(bl)-suf])...)
	for _, l := range al[len(al)-suf:] {
		out = append(out, Line{"same", l})
	}
	return out
}

func middle(a, b []string) []Line {
	var out []Line
	if len(a)*len(b) > maxCells {
		for _, l := range a {
			out = append(out, Line{"del", l})
		}
		for _, l := range b {
			out = append(out, Line{"add", l})
		}
		return out
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, Line{"same", a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, Line{"del", a[i]})
			i++
		default:
			out = append(out, Line{"add", b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, Line{"del", a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, Line{"add", b[j]})
	}
	return out
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

// Changed reports whether a comparison has any additions or removals.
func Changed(lines []Line) bool {
	for _, l := range lines {
		if l.Kind != "same" {
			return true
		}
	}
	return false
}
