package replay_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// The report lists the first 20 skipped places and counts the rest.
func TestListsTheFirstTwentySkippedPlaces(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "bad.jsonl"), []byte(strings.Repeat(`{"eventVersion":"1.08","eventName":"CreateVpc","eventSource":"ec2.amazonaws.com"}`+"\n", 25)))
	rep := run(t, catalogRules(), dir)
	if rep.Totals.RecordsSkipped != 25 || len(rep.Totals.Skipped) != 20 {
		t.Fatalf("skipped %d, listed %d; want 25 and 20", rep.Totals.RecordsSkipped, len(rep.Totals.Skipped))
	}
	if got, want := rep.Totals.Skipped[19].Location.String(), filepath.Join(dir, "bad.jsonl")+":20"; got != want {
		t.Errorf("last listed at %s, want %s", got, want)
	}
}

// One match is enough for the first and last match times.
func TestOneMatchHasFirstAndLastMatch(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "one.jsonl"), []byte(record("CreateVpc", "2024-05-01T12:00:00Z", "")+"\n"))
	a := alarm(t, run(t, catalogRules(), dir), "VpcChanges")
	want := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	if a.Matches != 1 || a.FirstMatch == nil || a.LastMatch == nil || !a.FirstMatch.Equal(want) || !a.LastMatch.Equal(want) {
		t.Errorf("matches %d, first %v, last %v; want 1 and %v for both", a.Matches, a.FirstMatch, a.LastMatch, want)
	}
	for _, a := range run(t, catalogRules(), dir).Alarms {
		if a.Matches == 0 && (a.FirstMatch != nil || a.LastMatch != nil) {
			t.Errorf("%s: no match, but first %v, last %v", a.ID, fmt.Sprint(a.FirstMatch), fmt.Sprint(a.LastMatch))
		}
	}
}
