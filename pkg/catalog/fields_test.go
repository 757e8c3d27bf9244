package catalog

import (
	"strings"
	"testing"
)

// TestShownFieldsCoverTheCatalog: every built-in row says what its email shows, every entry names a
// row (a renamed row would otherwise silently fall back to raw requestParameters), and every path
// is a dotted path of a top-level CloudTrail record field.
func TestShownFieldsCoverTheCatalog(t *testing.T) {
	ids := map[string]bool{}
	for _, row := range append(AWS(), CIS()...) {
		ids[row.ID] = true
		if len(ShownFields[row.ID]) == 0 {
			t.Errorf("row %s has no ShownFields entry", row.ID)
		}
	}
	tops := map[string]bool{"requestParameters": true, "responseElements": true, "additionalEventData": true, "errorMessage": true}
	for id, paths := range ShownFields {
		if !ids[id] {
			t.Errorf("ShownFields names %s, which is no built-in row", id)
		}
		for _, p := range paths {
			top, _, _ := strings.Cut(p, ".")
			if !tops[top] || strings.Contains(p, "..") || strings.HasSuffix(p, ".") {
				t.Errorf("%s: path %q is not under %v", id, p, tops)
			}
		}
	}
}
