package filterpattern

import (
	"encoding/json"
	goparser "go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern/internal/reference"
)

// The differential tests (TestSetAgreesWithReference, FuzzParse, FuzzMatch) compare the engine
// with internal/reference, a second evaluator written from SEMANTICS.md alone: its own
// recursive-descent parser, encoding/json for records, exact decimal comparison of its own, and
// a backtracking matcher for %regex% instead of package regexp. It is a separate package, so it
// cannot reach the engine's unexported parser, scanner, number or regex code; it is given only
// the pattern's text.

// refPattern parses p's text with the reference. The engine accepted p, so the reference must too.
func refPattern(t testing.TB, p *Pattern) *reference.Pattern {
	t.Helper()
	rp, err := reference.Parse(p.String())
	if err != nil {
		t.Fatalf("the engine accepts %q but the reference rejects it: %v", p.String(), err)
	}
	return rp
}

// refDecode decodes a record the way SEMANTICS.md defines a valid record: one JSON object, valid
// UTF-8, nothing after it. It returns nil for anything else.
func refDecode(record []byte) map[string]any {
	m, _ := reference.DecodeObject(record)
	return m
}

// reencode writes a valid record back out with encoding/json: keys sorted, duplicates gone,
// strings re-escaped, numbers as written.
func reencode(record []byte) ([]byte, bool) {
	m := refDecode(record)
	if m == nil {
		return nil, false
	}
	out, err := json.Marshal(m)
	return out, err == nil
}

// TestReferenceSharesNoCode backs the claim above: the reference's files import only the standard
// library (a package path without a dot), so no engine code and no shared helper can reach it.
func TestReferenceSharesNoCode(t *testing.T) {
	files, err := filepath.Glob("internal/reference/*.go")
	if err != nil || len(files) < 2 {
		t.Fatalf("reference sources not found: %v %v", files, err)
	}
	for _, name := range files {
		f, err := goparser.ParseFile(token.NewFileSet(), name, nil, goparser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
				t.Errorf("%s imports %s; the reference may use only the standard library", name, path)
			}
		}
	}
}
