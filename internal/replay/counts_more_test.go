package replay_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/replay"
)

// Counts made elsewhere (an Athena query) give the report a local replay of the same records
// gives: matches, times, top lists, datapoints, ALARM periods and episodes.
func TestReportFromCountsIsTheLocalReport(t *testing.T) {
	rules := []replay.Rule{{ID: "Vpc", Namespace: "N", MetricName: "Vpc", Filters: []replay.Filter{
		{Name: "create", Pattern: `{ $.eventName = CreateVpc }`, Value: 1},
		{Name: "any", Pattern: `{ $.eventName = CreateVpc || $.eventName = DeleteVpc }`, Value: 1},
	}, Alarm: &replay.Alarm{Name: "A", Threshold: 2, Comparison: replay.GreaterOrEqual, Statistic: replay.Sum,
		Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: replay.NotBreaching}}}
	dir := t.TempDir()
	alice, bob := `,"userIdentity":{"arn":"alice"}`, `,"userIdentity":{"arn":"bob"}`
	write(t, filepath.Join(dir, "a.jsonl"), []byte(strings.Join([]string{
		`{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:10Z","eventName":"CreateVpc","sourceIPAddress":"192.0.2.1"` + alice + `}`,
		`{"eventVersion":"1.08","eventTime":"2024-05-01T12:01:00Z","eventName":"CreateVpc","sourceIPAddress":"192.0.2.2"` + bob + `}`,
		`{"eventVersion":"1.08","eventName":"CreateVpc"}`,
		`{"eventVersion":"1.08","eventTime":"2024-05-01T12:07:00Z","eventName":"DeleteVpc","sourceIPAddress":"192.0.2.1"` + alice + `}`,
	}, "\n")+"\n"))
	local := run(t, rules, dir)

	at := func(mmss string) int64 {
		return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC).Unix() + mustSeconds(mmss)
	} // 12:mm:ss
	c := replay.Counts{Records: 4, NoEventTime: 1, FirstEvent: at("00:10"), LastEvent: at("07:00"), HasTime: true,
		Filters: []map[int64]int64{{at("00:00"): 2}, {at("00:00"): 2, at("05:00"): 1}},
		Rules: []replay.RuleCounts{{Matches: 3, First: at("00:10"), Last: at("07:00"),
			Principals: map[string]int64{"alice": 2, "bob": 1}, EventNames: map[string]int64{"CreateVpc": 2, "DeleteVpc": 1},
			SourceIPs: map[string]int64{"192.0.2.1": 2, "192.0.2.2": 1}}}}
	counted, err := replay.ReportFromCounts(rules, c, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(counted.Alarms)
	want, _ := json.Marshal(local.Alarms)
	if string(got) != string(want) {
		t.Errorf("alarms from counts:\n%s\nlocal replay:\n%s", got, want)
	}
	if local.Alarms[0].AlarmPeriodCount != 1 || local.Alarms[0].Matches != 3 {
		t.Errorf("local replay: %d ALARM periods, %d matches; want 1 (12:00, sum 4), 3", local.Alarms[0].AlarmPeriodCount, local.Alarms[0].Matches)
	}
	ct, lt := counted.Totals, local.Totals
	if ct.RecordsRead != 3 || ct.RecordsRead != lt.RecordsRead || ct.RecordsSkipped != lt.RecordsSkipped || !ct.FirstEvent.Equal(*lt.FirstEvent) ||
		!ct.LastEvent.Equal(*lt.LastEvent) || len(ct.SkippedByReason) != 1 || ct.SkippedByReason["no_event_time"] != 1 || ct.FilesRead != 0 || ct.BytesRead != 0 {
		t.Errorf("totals from counts %+v\nlocal %+v", ct, lt)
	}
	if s, _ := json.Marshal([]any{ct.Skipped, ct.Ignored}); string(s) != "[[],[]]" {
		t.Errorf("skipped and ignored from counts = %s, want empty lists", s)
	}
}

func mustSeconds(mmss string) int64 {
	d, err := time.ParseDuration(strings.Replace(mmss, ":", "m", 1) + "s")
	if err != nil {
		panic(err)
	}
	return int64(d / time.Second)
}

// Counts without a usable time (or without records) evaluate nothing; a rule with no matches has
// no first or last match; top lists default to 5 and are empty lists, not null, for a rule the
// counts give no values.
func TestReportFromCountsWithoutTimes(t *testing.T) {
	rules := []replay.Rule{{ID: "R", Filters: []replay.Filter{{Name: "f", Value: 1}}, Alarm: &replay.Alarm{Name: "A", Threshold: 1,
		Comparison: replay.LessOrEqual, Statistic: replay.Sum, Period: 60, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: replay.Breaching}}}
	six := map[string]int64{"a": 6, "b": 5, "c": 4, "d": 3, "e": 2, "f": 1}
	for _, c := range []replay.Counts{
		{Records: 2, FirstEvent: 0, LastEvent: 600, HasTime: false, Filters: []map[int64]int64{{}}, Rules: []replay.RuleCounts{{Principals: six}}},
		{Records: 0, FirstEvent: 0, LastEvent: 600, HasTime: true, Filters: []map[int64]int64{{}}, Rules: []replay.RuleCounts{{Principals: six}}},
	} {
		rep, err := replay.ReportFromCounts(rules, c, 0)
		if err != nil {
			t.Fatal(err)
		}
		a := rep.Alarms[0]
		s, _ := json.Marshal([]any{rep.Totals.FirstEvent, rep.Totals.SkippedByReason, a.AlarmPeriodCount, a.AlarmPeriods, a.FirstMatch, a.LastMatch, len(a.TopPrincipals), a.TopEventNames, a.TopSourceIPs})
		if string(s) != `[null,{},0,[],null,null,5,[],[]]` {
			t.Errorf("counts %+v: %s", c, s)
		}
		if rep, _ := replay.ReportFromCounts(rules, c, 1); len(rep.Alarms[0].TopPrincipals) != 1 {
			t.Errorf("top 1: %v", rep.Alarms[0].TopPrincipals)
		}
	}
	// One match has its time as both first and last match.
	one := replay.Counts{Filters: []map[int64]int64{{}}, Rules: []replay.RuleCounts{{Matches: 1, First: 600, Last: 600}}}
	if rep, _ := replay.ReportFromCounts(rules, one, 0); fmt.Sprint(rep.Alarms[0].FirstMatch, rep.Alarms[0].LastMatch) != "1970-01-01 00:10:00 +0000 UTC 1970-01-01 00:10:00 +0000 UTC" {
		t.Errorf("one match at 600: first %v, last %v", rep.Alarms[0].FirstMatch, rep.Alarms[0].LastMatch)
	}
}

// One record is enough to evaluate, and each rule reads its own filters' counts.
func TestReportFromCountsOneRecordTwoRules(t *testing.T) {
	alarm := &replay.Alarm{Name: "A", Threshold: 1, Comparison: replay.GreaterOrEqual, Statistic: replay.Sum,
		Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: replay.NotBreaching}
	rules := []replay.Rule{
		{ID: "Hit", Filters: []replay.Filter{{Name: "h", Value: 1}}, Alarm: alarm},
		{ID: "Miss", Filters: []replay.Filter{{Name: "m", Value: 1}}, Alarm: alarm},
	}
	c := replay.Counts{Records: 1, FirstEvent: 610, LastEvent: 610, HasTime: true,
		Filters: []map[int64]int64{{600: 1}, {}}, Rules: []replay.RuleCounts{{Matches: 1, First: 610, Last: 610}, {}}}
	rep, err := replay.ReportFromCounts(rules, c, 0)
	if err != nil {
		t.Fatal(err)
	}
	if hit, miss := rep.Alarms[0].AlarmPeriodCount, rep.Alarms[1].AlarmPeriodCount; hit != 1 || miss != 0 {
		t.Errorf("ALARM periods: Hit %d, Miss %d; want 1, 0", hit, miss)
	}
}
