package cfn

import (
	"encoding/json"
	"testing"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// Pattern takes only a string or an object holding exactly one Fn::Join.
func TestPatternRefusesOtherValues(t *testing.T) {
	for _, raw := range []string{
		`123`, `[]`, `{}`,
		`{"Ref": "Bucket"}`,
		`{"Fn::Join": ["", ["a"]], "Ref": "Bucket"}`,
	} {
		if text, refs, ok := Pattern(json.RawMessage(raw)); ok || text != "" || refs != nil {
			t.Errorf("Pattern(%s) = %q, %v, %v; want \"\", nil, false", raw, text, refs, ok)
		}
	}
	if text, _, ok := Pattern(json.RawMessage(`{"Fn::Join": ["", ["a", "b"]]}`)); !ok || text != "ab" {
		t.Errorf("Pattern(Fn::Join) = %q, %v; want \"ab\", true", text, ok)
	}
}

// A pattern's Fn::Join must have a separator and a list of parts, each a string, a Ref or an
// Fn::GetAtt of two names: anything else is not a pattern trailwatch can read.
func TestPatternRefusesMalformedJoins(t *testing.T) {
	for _, raw := range []string{
		`{"Fn::Join": ["", "a"]}`,
		`{"Fn::Join": [{"Ref": "Sep"}, ["a", {"Ref": "Bucket"}]]}`,
		`{"Fn::Join": ["", ["a", {"Ref": "Bucket"}, 7]]}`,
		`{"Fn::Join": ["", ["a", {"Ref": "Bucket"}, ["b"]]]}`,
		`{"Fn::Join": ["", [{"Ref": "Bucket"}, {"Ref": ""}]]}`,
	} {
		if text, refs, ok := Pattern(json.RawMessage(raw)); ok || text != "" || refs != nil {
			t.Errorf("Pattern(%s) = %q, %v, %v; want \"\", nil, false", raw, text, refs, ok)
		}
	}
}
