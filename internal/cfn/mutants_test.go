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
