package athena

import "testing"

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// A result without one of the fixed columns is refused, naming the column.
func TestDecodeNeedsEveryFixedColumn(t *testing.T) {
	fixed := []string{"kind", "bucket", "key", "records", "bad_time", "min_time", "max_time"}
	for i, missing := range fixed {
		header := append(append([]string{}, fixed[:i]...), fixed[i+1:]...)
		res, err := Decode(nil, 0, header, nil)
		if want := `result has no column "` + missing + `"`; err == nil || err.Error() != want || res != nil {
			t.Errorf("without %s: %v, %v; want %q", missing, res, err, want)
		}
	}
	if _, err := Decode(nil, 0, fixed, nil); err != nil {
		t.Errorf("every column: %v", err)
	}
}
