package docs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// securityRun finds the `go test ./test/ -run '...'` commands in docs/security.md (a command may
// wrap across lines).
var securityRun = regexp.MustCompile(`go test \./test/ -run\s+'([^']+)'`)

// docs/security.md says its command runs the tests that pin every policy statement. Every test in
// test/ that looks at a policy statement (its source says Statement, PolicyDocument or KeyPolicy)
// must be selected by that command's -run pattern, and the pattern must select at least one test.
func TestSecurityCommandRunsEveryPolicyStatementTest(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "docs", "security.md"))
	if err != nil {
		t.Fatal(err)
	}
	cmds := securityRun.FindAllStringSubmatch(string(raw), -1)
	if len(cmds) == 0 {
		t.Fatal("docs/security.md has no `go test ./test/ -run '...'` command")
	}
	patterns := map[string]bool{}
	for _, c := range cmds {
		patterns[c[1]] = true
	}
	if len(patterns) != 1 {
		t.Fatalf("docs/security.md gives %d different -run patterns (%v); want one", len(patterns), patterns)
	}
	run := regexp.MustCompile(cmds[0][1])

	files, err := filepath.Glob(filepath.Join(root, "test", "*_test.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no tests in test/: %v", err)
	}
	statement := regexp.MustCompile(`Statement|PolicyDocument|KeyPolicy`)
	var policyTests []string
	fset := token.NewFileSet()
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Body == nil {
				continue
			}
			body := src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset]
			if statement.Match(body) {
				policyTests = append(policyTests, fn.Name.Name)
			}
		}
	}
	if len(policyTests) == 0 {
		t.Fatal("found no test in test/ that checks a policy statement")
	}
	for _, name := range policyTests {
		if !run.MatchString(name) {
			t.Errorf("%s checks policy statements but docs/security.md's -run '%s' does not run it", name, run)
		}
	}
}

// .ci/run runs exactly the README's test commands (the lines of the sh block after "Run the tests").
func TestCIRunsTheREADMETestCommands(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "Run the tests")
	if !ok {
		t.Fatal(`README.md has no "Run the tests" section`)
	}
	_, block, ok := strings.Cut(after, "```sh\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal(`README.md's "Run the tests" has no sh block`)
	}
	var readmeCmds []string
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		readmeCmds = append(readmeCmds, strings.TrimSpace(line))
	}
	var ciCmds []string
	for _, line := range strings.Split(string(ci), "\n") {
		if strings.HasPrefix(line, "go test") {
			ciCmds = append(ciCmds, strings.TrimSpace(line))
		}
	}
	if strings.Join(ciCmds, "\n") != strings.Join(readmeCmds, "\n") {
		t.Errorf(".ci/run's test commands\n  %s\ndiffer from the README's\n  %s", strings.Join(ciCmds, "\n  "), strings.Join(readmeCmds, "\n  "))
	}
}
