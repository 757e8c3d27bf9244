package replay

import (
	"encoding/json"
	"strings"
	"testing"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// A value echoed in a message is kept whole up to 120 bytes and cut after them.
func TestExcerptCutsAfter120Bytes(t *testing.T) {
	whole := `"` + strings.Repeat("a", 118) + `"` // 120 bytes
	if got := excerpt(json.RawMessage(whole)); got != whole {
		t.Errorf("120 bytes: %q, want it whole", got)
	}
	long := `"` + strings.Repeat("a", 119) + `"` // 121 bytes
	if got, want := excerpt(json.RawMessage(long)), long[:120]+"…"; got != want {
		t.Errorf("121 bytes: %q, want %q", got, want)
	}
}

// The report's documented bounds (docs/cli.md promises 1000 of each), pinned as literals so
// a change to the constants is made on purpose.
func TestListsAtMostAThousandEpisodesAndPeriods(t *testing.T) {
	var runs []run
	for i := range int64(1001) {
		runs = append(runs, run{start: i * 600, end: i * 600, state: StateAlarm}, run{start: i*600 + 300, end: i*600 + 300, state: StateOK})
	}
	var ar AlarmReport
	summarize(&ar, runs, 300)
	if ar.EpisodeCount != 1001 || len(ar.Episodes) != 1000 || !ar.EpisodesTruncated {
		t.Errorf("episodes: count %d, listed %d, truncated %v; want 1001, 1000, true", ar.EpisodeCount, len(ar.Episodes), ar.EpisodesTruncated)
	}
	if ar.AlarmPeriodCount != 1001 || len(ar.AlarmPeriods) != 1000 || !ar.AlarmPeriodsTruncated {
		t.Errorf("periods: count %d, listed %d, truncated %v; want 1001, 1000, true", ar.AlarmPeriodCount, len(ar.AlarmPeriods), ar.AlarmPeriodsTruncated)
	}
}

// The fast path takes only CloudTrail's exact layout: a wrong separator anywhere is refused, as
// time.Parse refuses it, and a good time reads the same from either path.
func TestEventTimeRefusesWrongSeparators(t *testing.T) {
	const good = "2024-05-01T12:34:56Z"
	want, ok := parseEventTime([]byte(`"` + good + `"`))
	if !ok || want != 1714566896 {
		t.Fatalf("parseEventTime(%s) = %d, %v; want 1714566896, true", good, want, ok)
	}
	for _, i := range []int{4, 7, 10, 13, 16, 19} {
		bad := []byte(good)
		bad[i] = '0'
		if got, ok := parseEventTime([]byte(`"` + string(bad) + `"`)); ok {
			t.Errorf("parseEventTime(%s) = %d, true; want false", bad, got)
		}
	}
	if got, ok := fastUTC([]byte(good)); !ok || got != want {
		t.Errorf("fastUTC(%s) = %d, %v; want %d, true", good, got, ok, want)
	}
}
