package cloudtrail

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ListInputs walks a directory in lexical order, reads a file named twice once, and reports a
// path that does not exist as unreadable, going on with the rest.
func TestListInputs(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b/2.json", "a/1.json.gz", "a/0/x.jsonl"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	missing := filepath.Join(dir, "no-such-file")
	var problems []Problem
	var ignored []Ignored
	got := ListInputs([]string{dir, missing, filepath.Join(dir, "b/2.json")},
		func(p Problem) { problems = append(problems, p) }, func(i Ignored) { ignored = append(ignored, i) })

	var paths []string
	for _, in := range got {
		paths = append(paths, strings.TrimPrefix(in.Path, dir))
	}
	if want := "/a/0/x.jsonl /a/1.json.gz /b/2.json"; strings.Join(paths, " ") != want {
		t.Errorf("inputs %q, want %q", strings.Join(paths, " "), want)
	}
	if len(problems) != 1 || problems[0].Location.File != missing || problems[0].Reason != ReasonUnreadable ||
		!strings.Contains(problems[0].Detail, "no such file or directory") {
		t.Errorf("problems %+v, want one: %s unreadable (no such file or directory)", problems, missing)
	}
	if len(ignored) != 1 || ignored[0].File != filepath.Join(dir, "b/2.json") || !strings.HasPrefix(ignored[0].Reason, "same file as ") {
		t.Errorf("ignored %+v, want b/2.json as the same file", ignored)
	}
}

// StringValue takes a JSON string only: a lone quote is not one (and must not panic).
func TestStringValueNeedsTwoQuotes(t *testing.T) {
	for _, raw := range []string{``, `"`, `x`, `"a`} {
		if s, ok := StringValue([]byte(raw)); ok || s != "" {
			t.Errorf("StringValue(%q) = %q, %v; want \"\", false", raw, s, ok)
		}
	}
	if s, ok := StringValue([]byte(`""`)); !ok || s != "" {
		t.Errorf(`StringValue("") = %q, %v; want "", true`, s, ok)
	}
}
