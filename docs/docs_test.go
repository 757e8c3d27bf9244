// Package docs holds trailwatch's reference documentation (Markdown) and the tests that keep it
// true: links resolve, the alarm patterns are the catalog's, and the commands run without a
// terminal. It imports no CDK code, so `go test ./docs/` takes milliseconds.
package docs

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// root is the repository root, seen from this package's directory (where `go test` runs).
const root = ".."

// documents are the Markdown files whose links must resolve, relative to the repository root.
func documents(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := []string{filepath.Join(root, "README.md"), filepath.Join(root, "CONTRIBUTING.md")}
	out = append(out, docs...)
	if len(docs) == 0 {
		t.Fatal("docs/ has no Markdown files")
	}
	return out
}

var (
	fence      = regexp.MustCompile("(?ms)^\\s*```.*?^\\s*```[^\\n]*$")
	inlineCode = regexp.MustCompile("`[^`\\n]*`")
	link       = regexp.MustCompile(`\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	heading    = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)
)

// prose is a Markdown text without its fenced code blocks, so code is not mistaken for links or
// headings.
func prose(md string) string { return fence.ReplaceAllString(md, "") }

// links lists the link targets of a Markdown text, outside code.
func links(md string) []string {
	var out []string
	for _, m := range link.FindAllStringSubmatch(inlineCode.ReplaceAllString(prose(md), "``"), -1) {
		out = append(out, m[1])
	}
	return out
}

// slug is the anchor GitHub gives a heading: lower case, letters, digits, '_' and '-' kept,
// spaces turned into '-', everything else dropped.
func slug(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// anchors lists the anchors of a Markdown text's headings; a repeated heading gets -1, -2, ...
// as on GitHub.
func anchors(md string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, line := range strings.Split(prose(md), "\n") {
		m := heading.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		s := slug(m[1])
		if n := seen[s]; n > 0 {
			out[fmt.Sprintf("%s-%d", s, n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	return out
}

// brokenLinks checks every relative link of the Markdown file path: the file (or directory) it
// names exists, and an #anchor names a heading of that file.
func brokenLinks(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, target := range links(string(raw)) {
		if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		file, anchor, _ := strings.Cut(target, "#")
		dest := path
		if file != "" {
			dest = filepath.Join(filepath.Dir(path), filepath.FromSlash(file))
		}
		info, err := os.Stat(dest)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %s: no such file", path, target))
			continue
		}
		if anchor == "" {
			continue
		}
		if info.IsDir() || !strings.HasSuffix(dest, ".md") {
			bad = append(bad, fmt.Sprintf("%s: %s: an anchor into a file that is not Markdown", path, target))
			continue
		}
		md, err := os.ReadFile(dest)
		if err != nil {
			return nil, err
		}
		if !anchors(string(md))[anchor] {
			bad = append(bad, fmt.Sprintf("%s: %s: %s has no heading with anchor #%s", path, target, dest, anchor))
		}
	}
	return bad, nil
}

// Every relative link in README.md, CONTRIBUTING.md and docs/*.md resolves to a file of the
// repository, and every #anchor to one of its headings.
func TestRelativeLinksResolve(t *testing.T) {
	n := 0
	for _, path := range documents(t) {
		bad, err := brokenLinks(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bad {
			t.Error(b)
		}
		raw, _ := os.ReadFile(path)
		n += len(links(string(raw)))
	}
	if n < 20 {
		t.Errorf("found %d links in the documents; the link reader is broken", n)
	}
}

// The checker itself: a missing file, a missing anchor and an anchor into code are reported; good
// links, links in code and external links are not.
func TestBrokenLinksAreReported(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("other.md", "# Other\n\n## The CIS patterns (Security Hub CloudWatch.1–14)\n\n## Twice\n\n## Twice\n\n```\n# not a heading\n```\n")
	write("doc.md", strings.Join([]string{
		"# Doc",
		"[ok](other.md) [ok](other.md#other) [ok](#doc) [ok](other.md#the-cis-patterns-security-hub-cloudwatch114)",
		"[ok](other.md#twice-1) [ok](https://example.com/x.md#nope) `[code](missing.md)`",
		"```", "[code](gone.md)", "```",
		"[bad](missing.md) [bad](other.md#nope) [bad](other.md#not-a-heading) [bad](#twice-2)",
	}, "\n"))
	bad, err := brokenLinks(filepath.Join(dir, "doc.md"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range bad {
		got = append(got, strings.SplitN(b, ": ", 3)[1]) // "path: target: why"
	}
	want := []string{"missing.md", "other.md#nope", "other.md#not-a-heading", "#twice-2"}
	if !slices.Equal(got, want) {
		t.Errorf("reported %q, want %q; all:\n%s", got, want, strings.Join(bad, "\n"))
	}
}

// docs/alarms.md shows every built-in pattern byte for byte, each in a code block of its own, so
// the document and the catalog cannot drift apart.
func TestAlarmsDocShowsEveryCatalogPattern(t *testing.T) {
	raw, err := os.ReadFile("alarms.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	rows := append(catalog.AWS(), catalog.CIS()...)
	if len(rows) != 24 {
		t.Fatalf("catalog has %d built-in rows, want 24", len(rows))
	}
	for _, a := range rows {
		if !strings.Contains(doc, "```\n"+a.Pattern+"\n```\n") {
			t.Errorf("docs/alarms.md does not show the pattern of %s (%s) byte for byte:\n%s", a.ID, a.AlarmName, a.Pattern)
		}
		if !strings.Contains(doc, "`"+a.AlarmName+"`") {
			t.Errorf("docs/alarms.md does not name alarm %s", a.AlarmName)
		}
	}
}

var (
	npxCommand  = regexp.MustCompile(`npx\s+(\S+)\s+(\S+)`)
	cdkCLI      = regexp.MustCompile(`aws-cdk@([0-9][0-9A-Za-z.\-]*)`)
	pinnedConst = regexp.MustCompile(`const cdkCLIVersion = "([^"]+)"`)
)

// Every npx command in the docs, .ci/run and the workflow runs the pinned CDK CLI with --yes:
// npx asks before installing a package, and a shell without a terminal (CI, a script) cannot
// answer, so without --yes the pasted command hangs or fails.
func TestNpxRunsThePinnedCLIWithoutAsking(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "test", "cli_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	m := pinnedConst.FindSubmatch(raw)
	if m == nil {
		t.Fatal("test/cli_test.go has no cdkCLIVersion")
	}
	pinned := string(m[1])
	files := documents(t)
	workflows, _ := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	files = append(files, filepath.Join(root, ".ci", "run"))
	files = append(files, workflows...)
	commands := 0
	for _, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		for _, c := range npxCommand.FindAllStringSubmatch(text, -1) {
			commands++
			if c[1] != "--yes" {
				t.Errorf("%s: `%s` would ask before installing; write `npx --yes ...`", path, c[0])
			}
			// The package is the pinned aws-cdk (npm's "cdk" is another package), or the
			// workflow's $CDK_CLI, which must then be set to it.
			pkg := strings.TrimRight(strings.Trim(c[2], `"`), "`;,.)")
			switch {
			case pkg == "$CDK_CLI":
				if !strings.Contains(text, "CDK_CLI: aws-cdk@"+pinned+"\n") {
					t.Errorf("%s: `%s`, but the file does not set CDK_CLI: aws-cdk@%s", path, c[0], pinned)
				}
			case pkg != "aws-cdk@"+pinned:
				t.Errorf("%s: `%s` runs %q; write `npx --yes aws-cdk@%s ...`", path, c[0], pkg, pinned)
			}
		}
		for _, v := range cdkCLI.FindAllStringSubmatch(text, -1) {
			if v[1] != pinned {
				t.Errorf("%s: %s, but the pinned CDK CLI (test/cli_test.go) is aws-cdk@%s", path, v[0], pinned)
			}
		}
	}
	if commands < 5 {
		t.Errorf("found %d npx commands; the command reader is broken", commands)
	}
}

// The CLI and the engine never link the CDK: no package under cmd/, pkg/ or internal/ depends on
// aws-cdk-go, jsii-runtime-go or constructs-go, directly or not (CONTRIBUTING.md, "Which package
// may import which"). cmd/trailwatch/deps_test.go checks the CLI's tree; this checks every package.
func TestCLIAndEngineNeverLinkTheCDK(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list dependencies with")
	}
	cmd := exec.Command(gobin, "list", "-deps", "-f", "{{.ImportPath}}", "./cmd/...", "./pkg/...", "./internal/...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/trailwatch/trailwatch/pkg/filterpattern") {
		t.Fatalf("go list -deps did not list the engine; got %d packages", len(deps))
	}
	for _, dep := range deps {
		if strings.Contains(dep, "aws-cdk-go") || strings.Contains(dep, "jsii-runtime-go") || strings.Contains(dep, "constructs-go") {
			t.Errorf("a package under cmd/, pkg/ or internal/ links %s", dep)
		}
	}
}
