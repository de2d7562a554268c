package cli

import (
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// unifiedDiff is the unified diff (3 lines of context) that turns old into new, labelled as
// gofmt -d does, name.orig and name, so that patch -p0 applies it to name. A last line
// without a newline is marked as diff(1) marks it.
func unifiedDiff(name string, old, new []byte) string {
	text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        diffLines(string(old)),
		B:        diffLines(string(new)),
		FromFile: name + ".orig",
		ToFile:   name,
		Context:  3,
	})
	if err != nil {
		panic(err) // it writes to a strings.Builder, which does not fail
	}
	return text
}

// diffLines splits text into lines that keep their "\n". A last line without one carries
// diff's "\ No newline at end of file" marker, so that it differs from the same line with a
// newline and the diff says why.
func diffLines(text string) []string {
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		return lines[:len(lines)-1]
	}
	lines[len(lines)-1] += "\n\\ No newline at end of file\n"
	return lines
}
