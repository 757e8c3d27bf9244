package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
	"github.com/trailwatch/trailwatch/internal/replay"
)

// TestTableEverySection pins the table report byte for byte on a report that has every section:
// the range left out, skips beyond the listed ones, ignored inputs, each comparison, an alarm with
// one match and one period, a metric filter no alarm watches, approximate top counts, a peak and
// no peak, and an alarm without matches (a table row, no details).
func TestTableEverySection(t *testing.T) {
	at := func(h, m int) *time.Time {
		v := time.Date(2024, 3, 5, h, m, 7, 0, time.UTC)
		return &v
	}
	peak := 2.5
	rep := &replay.Report{
		Totals: replay.Totals{
			FilesRead: 1234, BytesRead: 3 << 20, RecordsRead: 1234567,
			RecordsOutsideRange: 1001,
			RecordsSkipped:      1005,
			SkippedByReason:     map[cloudtrail.Reason]int64{cloudtrail.ReasonTruncated: 5, cloudtrail.ReasonBadJSON: 1000},
			Skipped: []cloudtrail.Problem{
				{Location: cloudtrail.Location{File: "a.jsonl", Line: 2}, Reason: cloudtrail.ReasonBadJSON, Detail: "line is not one JSON value"},
				{Location: cloudtrail.Location{File: "b\x1b.gz"}, Reason: cloudtrail.ReasonTruncated, Detail: "unexpected EOF"},
			},
			IgnoredCount: 2,
			Ignored:      []cloudtrail.Ignored{{File: "digest\n.json.gz", Reason: "a CloudTrail digest file"}},
			FirstEvent:   at(1, 2), LastEvent: at(23, 59),
		},
		Alarms: []replay.AlarmReport{
			{
				ID: "One", Matches: 1, FirstMatch: at(3, 0), LastMatch: at(3, 0),
				Alarm:            &replay.Alarm{Name: "one-alarm", Threshold: 1, Comparison: replay.GreaterOrEqual, Statistic: replay.Sum, Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1},
				AlarmPeriodCount: 1, EpisodeCount: 1,
				Episodes:      []replay.Episode{{Start: *at(3, 0), End: *at(3, 5), Periods: 1}},
				TopPrincipals: []replay.Count{{Value: "alice", Count: 1}},
				TopEventNames: []replay.Count{{Value: "RunInstances", Count: 1}},
				TopSourceIPs:  []replay.Count{{Value: "192.0.2.1", Count: 1}},
			},
			{
				ID: "Many", Matches: 4321, FirstMatch: at(4, 0), LastMatch: at(5, 0),
				Alarm:            &replay.Alarm{Name: "many", Threshold: 2.5, Comparison: replay.Greater, Statistic: replay.Maximum, Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3},
				AlarmPeriodCount: 12345, EpisodeCount: 2,
				Episodes: []replay.Episode{
					{Start: *at(4, 0), End: *at(4, 10), Periods: 10, Peak: &peak},
					{Start: *at(5, 0), End: *at(5, 1), Periods: 1},
				},
				TopCountErrorBound: 7,
				TopPrincipals:      []replay.Count{{Value: "bob", Count: 4000}, {Value: "carol", Count: 321}},
			},
			{
				ID: "Less", Alarm: &replay.Alarm{Name: "l<b>&amp;", Threshold: 0.5, Comparison: replay.Less, Statistic: replay.Average, Period: 3600, EvaluationPeriods: 2, DatapointsToAlarm: 2},
			},
			{
				ID: "LessOrEqual", Alarm: &replay.Alarm{Name: "le", Threshold: 10, Comparison: replay.LessOrEqual, Statistic: replay.SampleCount, Period: 600, EvaluationPeriods: 3, DatapointsToAlarm: 1},
			},
			{ID: "Unwatched", Matches: 2, FirstMatch: at(6, 0), LastMatch: at(7, 0)},
		},
	}
	var b bytes.Buffer
	writeTable(&b, rep)
	want := `Replayed 1,234,567 records from 1,234 files (3.0 MiB read), 2024-03-05 01:02:07Z .. 2024-03-05 23:59:07Z.
Left out 1,001 records outside --since/--until.
Skipped 1,005 (bad_json 1000, truncated 5):
  a.jsonl:2: line is not one JSON value
  b\x1b.gz: unexpected EOF
  ... and 1,003 more
Ignored 2 inputs holding no records or named twice (e.g. digest\n.json.gz: a CloudTrail digest file).

ALARM        NAME       CONDITION                           MATCHES  ALARM PERIODS  EPISODES  FIRST MATCH           LAST MATCH
One          one-alarm  Sum >= 1 per 300s, 1 of 1           1        1              1         2024-03-05 03:00:07Z  2024-03-05 03:00:07Z
Many         many       Maximum > 2.5 per 60s, 3 of 5       4,321    12,345         2         2024-03-05 04:00:07Z  2024-03-05 05:00:07Z
Less         l<b>&amp;  Average < 0.5 per 3600s, 2 of 2     0        0              0         -                     -
LessOrEqual  le         SampleCount <= 10 per 600s, 1 of 3  0        0              0         -                     -
Unwatched    -          (no alarm: matches only)            2        -              -         2024-03-05 06:00:07Z  2024-03-05 07:00:07Z

One (one-alarm: Sum >= 1 per 300s, 1 of 1): 1 match
  ALARM episodes (1):
    2024-03-05 03:00:07Z .. 2024-03-05 03:05:07Z (1 period)
  top principals: alice (1)
  top event names: RunInstances (1)
  top source IPs: 192.0.2.1 (1)

Many (many: Maximum > 2.5 per 60s, 3 of 5): 4,321 matches
  ALARM episodes (2):
    2024-03-05 04:00:07Z .. 2024-03-05 04:10:07Z (10 periods, peak 2.5)
    2024-03-05 05:00:07Z .. 2024-03-05 05:01:07Z (1 period)
  top principals (approximate: counts may be over by up to 7): bob (4,000), carol (321)
  top event names: -
  top source IPs: -

Unwatched: 2 matches
  top principals: -
  top event names: -
  top source IPs: -
`
	if got := b.String(); got != want {
		t.Errorf("table report:\n%s\nwant:\n%s", got, want)
	}
}

// A report with no records has no time range and no skip, range or ignored lines.
func TestTableEmptyReport(t *testing.T) {
	var b bytes.Buffer
	writeTable(&b, &replay.Report{})
	want := "Replayed 0 records from 0 files (0 B read).\n\nALARM  NAME  CONDITION  MATCHES  ALARM PERIODS  EPISODES  FIRST MATCH  LAST MATCH\n"
	if got := b.String(); got != want {
		t.Errorf("table report %q, want %q", got, want)
	}
}

// Thousands separators go every three digits from the right, whatever the length.
func TestGroupDigits(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0", 7: "7", 999: "999", 1000: "1,000", 12345: "12,345", 123456: "123,456",
		1234567: "1,234,567", 9223372036854775807: "9,223,372,036,854,775,807",
	} {
		if got := group(n); got != want {
			t.Errorf("group(%d) = %q, want %q", n, got, want)
		}
	}
}

// Ignored inputs counted without an example (a report built from counts) get the line without
// "(e.g. ...)".
func TestTableIgnoredWithoutExample(t *testing.T) {
	var b bytes.Buffer
	rep := &replay.Report{}
	rep.Totals.IgnoredCount = 2
	writeTable(&b, rep)
	if want := "Ignored 2 inputs holding no records or named twice.\n"; !strings.Contains(b.String(), want) {
		t.Errorf("table report %q lacks %q", b.String(), want)
	}
}
