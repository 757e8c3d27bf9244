package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// exitNames are the shared exit codes by name.
var exitNames = map[string]int{
	"ExitOK": cli.ExitOK, "ExitProblems": cli.ExitProblems, "ExitUsage": cli.ExitUsage,
	"ExitListing": cli.ExitListing, "ExitOutput": cli.ExitOutput,
}

// commandSources are the files whose code decides each command's exit code: its own, and main.go
// (parseFlags: 0 for -h, 2 for a bad flag).
var commandSources = map[string][]string{
	"match":  {"main.go", "match.go"},
	"replay": {"main.go", "replay.go", "s3.go", "athena.go", "athena_run.go"},
	"doctor": {"main.go", "../../internal/doctor/*.go"},
}

// exitCodesUsed lists the exit codes a command's code names, from its source.
func exitCodesUsed(t *testing.T, command string) []int {
	t.Helper()
	var used []int
	for _, glob := range commandSources[command] {
		files, err := filepath.Glob(glob)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no files (%v)", glob, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				var name string
				switch n := n.(type) {
				case *ast.SelectorExpr:
					name = n.Sel.Name
				case *ast.Ident:
					name = n.Name
				}
				if code, ok := exitNames[name]; ok && !slices.Contains(used, code) {
					used = append(used, code)
				} else if !ok && strings.HasPrefix(name, "Exit") && strings.Contains(f, "doctor") {
					t.Errorf("%s: exit code %s is not one of the shared ones (internal/cli)", f, name)
				}
				return true
			})
		}
	}
	slices.Sort(used)
	return used
}

// exitStatusCodes are the codes a help text's "Exit status:" paragraph names ("0 if ...", "1 a ...").
func exitStatusCodes(t *testing.T, help string) []int {
	t.Helper()
	i := strings.Index(help, "Exit status:")
	if i < 0 {
		t.Fatalf("no \"Exit status:\" in:\n%s", help)
	}
	para, _, _ := strings.Cut(help[i:], "\n\n")
	var codes []int
	for _, m := range regexp.MustCompile(`(?:^|[\s,:])([0-9]) `).FindAllStringSubmatch(para, -1) {
		n, _ := strconv.Atoi(m[1])
		if !slices.Contains(codes, n) {
			codes = append(codes, n)
		}
	}
	slices.Sort(codes)
	return codes
}

// TestHelpNamesTheExitCodesTheCodeUses: every command's -h names exactly the exit codes its code
// can return, and so does its column of the table in docs/cli.md. (doctor's help goes to stderr,
// as internal/doctor's tests pin; the others' to stdout.)
func TestHelpNamesTheExitCodesTheCodeUses(t *testing.T) {
	table := exitTable(t)
	for _, c := range commands {
		used := exitCodesUsed(t, c.name)
		if len(used) < 3 {
			t.Errorf("%s: found only exit codes %v in its code; the source list is wrong", c.name, used)
		}
		code, out, diag := call(t, "", c.name, "-h")
		if code != cli.ExitOK {
			t.Errorf("%s -h: exit %d", c.name, code)
		}
		if named := exitStatusCodes(t, out+diag); !slices.Equal(named, used) {
			t.Errorf("%s -h names exit codes %v; its code returns %v", c.name, named, used)
		}
		if documented := table[c.name]; !slices.Equal(documented, used) {
			t.Errorf("docs/cli.md#exit-status gives %s exit codes %v; its code returns %v", c.name, documented, used)
		}
	}
}

// exitTable reads the exit-status table of docs/cli.md: for each command column, the codes whose
// cell is not "—".
func exitTable(t *testing.T) map[string][]int {
	t.Helper()
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "\n## Exit status\n")
	if !ok {
		t.Fatal("docs/cli.md has no \"## Exit status\" section")
	}
	var header []string
	out := map[string][]int{}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "|") {
			if header != nil {
				break
			}
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`*")
		}
		if header == nil {
			header = cells
			continue
		}
		code, err := strconv.Atoi(cells[0])
		if err != nil {
			continue // the |---| row
		}
		for i, cell := range cells {
			if i >= 2 && i < len(header) && cell != "—" {
				out[header[i]] = append(out[header[i]], code)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("docs/cli.md#exit-status: no table found")
	}
	return out
}
