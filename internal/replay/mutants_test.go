package replay

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
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

// The hand-written parser of CloudTrail's layout agrees with time.Parse on every one-character
// change of that layout and on both sides of every field's range (month ends in leap and common
// years, 2100 included), within replay's years and past them.
func TestFastEventTimeAgreesWithTimeParse(t *testing.T) {
	var cases []string
	for _, base := range []string{"2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "9998-12-31T19:28:37Z"} {
		for i := range base {
			for _, c := range "/0123456789:-TZ" {
				b := []byte(base)
				b[i] = byte(c)
				cases = append(cases, string(b))
			}
		}
	}
	for _, y := range []int{1969, 1970, 1971, 2000, 2023, 2024, 2100, 9998, 9999} {
		for mo := 0; mo <= 13; mo++ {
			for _, d := range []int{0, 1, 27, 28, 29, 30, 31, 32} {
				cases = append(cases, fmt.Sprintf("%04d-%02d-%02dT12:00:00Z", y, mo, d))
			}
		}
	}
	for _, hms := range []string{"00:00:00", "23:59:59", "24:00:00", "19:60:00", "19:00:60", "10:20:30", "09:48:57"} {
		cases = append(cases, "2024-05-01T"+hms+"Z", "1969-12-31T"+hms+"Z", "9998-12-31T"+hms+"Z")
	}
	for _, s := range cases {
		want, err := time.Parse(time.RFC3339, s)
		wantOK := err == nil && want.Unix() >= 0 && want.Unix() <= 253370764799 // 1970 to 9998
		if got, ok := fastUTC([]byte(s)); ok != wantOK || (ok && got != want.Unix()) {
			t.Errorf("fastUTC(%s) = %d, %v; time.Parse: %v, %v", s, got, ok, want.Unix(), err)
		}
		if got, ok := parseEventTime([]byte(`"` + s + `"`)); ok != wantOK || (ok && got != want.Unix()) {
			t.Errorf("parseEventTime(%q) = %d, %v; time.Parse: %v, %v", s, got, ok, want.Unix(), err)
		}
	}
}

// CloudTrail's own layout is read without allocating (it is read for every record); any other
// RFC 3339 form takes time.Parse.
func TestEventTimeReadsCloudTrailsLayoutWithoutAllocating(t *testing.T) {
	for s, want := range map[string]float64{`"2024-05-01T12:34:56Z"`: 0, `"2024-05-01T12:34:56.5Z"`: 1, `"2024-05-01T12:34:56+00:00"`: 1} {
		raw := []byte(s)
		if n := testing.AllocsPerRun(10, func() { parseEventTime(raw) }); n != want {
			t.Errorf("parseEventTime(%s): %v allocations, want %v", s, n, want)
		}
	}
	for _, s := range []string{`"2024-05-01"`, `"2024-05-01T12:34:56Z`, `2024-05-01T12:34:56Z"`, `"2024-05-01T12:34:56Z""`, `12345678901234567890123`} {
		if got, ok := parseEventTime([]byte(s)); ok {
			t.Errorf("parseEventTime(%s) = %d, true; want false", s, got)
		}
	}
}
