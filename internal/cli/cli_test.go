package cli

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// Each exit code is the number docs/cli.md#exit-status gives its meaning: scripts test these
// numbers, so a code never changes meaning.
func TestExitCodesAreTheDocumentedOnes(t *testing.T) {
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "\n## Exit status\n")
	if !ok {
		t.Fatal(`docs/cli.md has no "## Exit status" section`)
	}
	meaning := map[int]string{} // code -> the table's "Meaning" cell
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		if code, err := strconv.Atoi(strings.Trim(cells[1], " `")); err == nil {
			meaning[code] = strings.TrimSpace(cells[2])
		}
	}
	for _, c := range []struct {
		name    string
		code    int
		meaning string // how the table's cell starts
	}{
		{"ExitOK", ExitOK, "done, nothing wrong"},
		{"ExitProblems", ExitProblems, "ran to the end, found problems"},
		{"ExitUsage", ExitUsage, "usage error"},
		{"ExitListing", ExitListing, "an input could not be listed"},
		{"ExitOutput", ExitOutput, "the output could not be written or encoded"},
	} {
		if got := meaning[c.code]; !strings.HasPrefix(got, c.meaning) {
			t.Errorf("%s = %d, which docs/cli.md gives as %q; want the code documented as %q", c.name, c.code, got, c.meaning)
		}
	}
	if len(meaning) != 5 {
		t.Errorf("docs/cli.md documents %d codes, want 5: %v", len(meaning), meaning)
	}
}
