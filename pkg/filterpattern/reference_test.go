package filterpattern

import (
	"encoding/json"
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
