package replay

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

func at(s string) int64 {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.Unix()
}

func TestPeriodsAlignOnMultiplesOfThePeriod(t *testing.T) {
	for _, c := range []struct {
		t      string
		period int64
		want   string
	}{
		{"2024-05-01T12:04:59Z", 300, "2024-05-01T12:00:00Z"},
		{"2024-05-01T12:05:00Z", 300, "2024-05-01T12:05:00Z"},
		{"2024-05-01T12:59:59Z", 3600, "2024-05-01T12:00:00Z"},
		{"2024-05-01T23:59:59Z", 86400, "2024-05-01T00:00:00Z"},
		{"1969-12-31T23:59:59Z", 300, "1969-12-31T23:55:00Z"},
		{"1969-12-31T23:55:00Z", 300, "1969-12-31T23:55:00Z"},
	} {
		if got := bucketOf(at(c.t), c.period); got != at(c.want) {
			t.Errorf("bucketOf(%s, %d) = %s, want %s", c.t, c.period, time.Unix(got, 0).UTC().Format(time.RFC3339), c.want)
		}
	}
}

// replayTimes evaluates alarm a over one filter (value 1) matching at the given times, with the
// input spanning from..to.
func replayTimes(a Alarm, from, to string, times ...string) AlarmReport {
	counts := map[int64]int64{}
	for _, s := range times {
		counts[bucketOf(at(s), a.Period)]++
	}
	filters := []Filter{{Name: "f", Value: 1}}
	data := metricData(filters, []map[int64]int64{counts}, nil, a.Statistic)
	var ar AlarmReport
	summarize(&ar, evaluate(&a, data, bucketOf(at(from), a.Period), bucketOf(at(to), a.Period)), a.Period)
	return ar
}

func signInFailures() Alarm {
	return Alarm{Threshold: 3, Comparison: GreaterOrEqual, Statistic: Sum, Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: NotBreaching}
}

func starts(ar AlarmReport) []string {
	var out []string
	for _, p := range ar.AlarmPeriods {
		out = append(out, p.Start.Format("15:04"))
	}
	return out
}

func TestThreeFailuresInOnePeriodFire(t *testing.T) {
	ar := replayTimes(signInFailures(), "2024-05-01T11:00:00Z", "2024-05-01T13:00:00Z",
		"2024-05-01T12:00:00Z", "2024-05-01T12:02:30Z", "2024-05-01T12:04:59Z")
	if got := starts(ar); !reflect.DeepEqual(got, []string{"12:00"}) || ar.EpisodeCount != 1 {
		t.Fatalf("ALARM periods = %v, episodes = %d; want [12:00], 1", got, ar.EpisodeCount)
	}
	if v := ar.AlarmPeriods[0].Value; v == nil || *v != 3 {
		t.Errorf("period value = %v, want 3", v)
	}
}

func TestThreeFailuresStraddlingABoundaryDoNotFire(t *testing.T) {
	ar := replayTimes(signInFailures(), "2024-05-01T11:00:00Z", "2024-05-01T13:00:00Z",
		"2024-05-01T12:03:00Z", "2024-05-01T12:04:59Z", "2024-05-01T12:05:00Z")
	if ar.AlarmPeriodCount != 0 || ar.EpisodeCount != 0 {
		t.Errorf("ALARM periods = %v, want none (2 + 1 across 12:05)", starts(ar))
	}
}

func TestTwoFailuresDoNotFire(t *testing.T) {
	ar := replayTimes(signInFailures(), "2024-05-01T11:00:00Z", "2024-05-01T13:00:00Z",
		"2024-05-01T12:01:00Z", "2024-05-01T12:02:00Z")
	if ar.AlarmPeriodCount != 0 {
		t.Errorf("ALARM periods = %v, want none", starts(ar))
	}
}

func TestConsecutivePeriodsAreOneEpisode(t *testing.T) {
	a := signInFailures()
	a.Threshold = 1
	ar := replayTimes(a, "2024-05-01T11:00:00Z", "2024-05-01T13:00:00Z",
		"2024-05-01T12:01:00Z", "2024-05-01T12:06:00Z", // 12:00 and 12:05: one episode
		"2024-05-01T12:21:00Z") // 12:20 after an OK period: a second one
	if got := starts(ar); !reflect.DeepEqual(got, []string{"12:00", "12:05", "12:20"}) {
		t.Errorf("ALARM periods = %v", got)
	}
	if ar.EpisodeCount != 2 || len(ar.Episodes) != 2 || ar.Episodes[0].Periods != 2 || ar.Episodes[0].End.Format("15:04") != "12:10" {
		t.Errorf("episodes = %+v, want 12:00-12:10 (2 periods) and 12:20", ar.Episodes)
	}
}

func TestComparisonOperatorsAtTheThreshold(t *testing.T) {
	for _, c := range []struct {
		cmp  Comparison
		want int64
	}{{GreaterOrEqual, 1}, {Greater, 0}, {Less, 0}, {LessOrEqual, 1}} {
		a := signInFailures()
		a.Comparison = c.cmp
		ar := replayTimes(a, "2024-05-01T12:00:00Z", "2024-05-01T12:30:00Z",
			"2024-05-01T12:01:00Z", "2024-05-01T12:02:00Z", "2024-05-01T12:03:00Z")
		if ar.AlarmPeriodCount != c.want {
			t.Errorf("%s 3 with 3 in a period: %d ALARM periods, want %d", c.cmp, ar.AlarmPeriodCount, c.want)
		}
	}
}

func TestMOutOfN(t *testing.T) {
	a := signInFailures()
	a.Threshold, a.EvaluationPeriods, a.DatapointsToAlarm = 1, 3, 2
	// Breaching at 12:00 and 12:10: the window ending 12:10 (12:00, 12:05, 12:10) has 2 of 3.
	ar := replayTimes(a, "2024-05-01T11:00:00Z", "2024-05-01T13:00:00Z", "2024-05-01T12:00:30Z", "2024-05-01T12:10:30Z")
	if got := starts(ar); !reflect.DeepEqual(got, []string{"12:10"}) {
		t.Errorf("2 of 3: ALARM periods = %v, want [12:10]", got)
	}
	// 12:00 and 12:15 are never 2 within 3 periods.
	ar = replayTimes(a, "2024-05-01T11:00:00Z", "2024-05-01T13:00:00Z", "2024-05-01T12:00:30Z", "2024-05-01T12:15:30Z")
	if ar.AlarmPeriodCount != 0 {
		t.Errorf("2 of 3 spread out: ALARM periods = %v, want none", starts(ar))
	}
}

func TestMissingDataTreatments(t *testing.T) {
	a := signInFailures()
	a.Threshold = 1
	a.TreatMissingData = Breaching
	// Input spans 12:00-12:14; data (breaching) only at 12:00; 12:05 and 12:10 are missing.
	ar := replayTimes(a, "2024-05-01T12:00:00Z", "2024-05-01T12:14:00Z", "2024-05-01T12:01:00Z")
	if ar.AlarmPeriodCount != 3 || ar.EpisodeCount != 1 {
		t.Errorf("breaching: %d periods, %d episodes; want 3, 1", ar.AlarmPeriodCount, ar.EpisodeCount)
	}

	a.TreatMissingData = Ignore
	ar = replayTimes(a, "2024-05-01T12:00:00Z", "2024-05-01T12:14:00Z", "2024-05-01T12:01:00Z")
	if ar.AlarmPeriodCount != 3 {
		t.Errorf("ignore: %d ALARM periods, want 3 (the state holds through missing data)", ar.AlarmPeriodCount)
	}

	for _, m := range []Missing{NotBreaching, MissingMissing} {
		a.TreatMissingData = m
		ar = replayTimes(a, "2024-05-01T12:00:00Z", "2024-05-01T12:14:00Z", "2024-05-01T12:01:00Z", "2024-05-01T12:11:00Z")
		if ar.AlarmPeriodCount != 2 || ar.EpisodeCount != 2 {
			t.Errorf("%s: %d periods, %d episodes; want 2, 2", m, ar.AlarmPeriodCount, ar.EpisodeCount)
		}
	}
}

func TestLessThanNeedsDefaultValue(t *testing.T) {
	a := Alarm{Threshold: 1, Comparison: Less, Statistic: Sum, Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: NotBreaching}
	zero := 0.0
	filters := []Filter{{Name: "f", Value: 1, Default: &zero}}
	p := at("2024-05-01T12:00:00Z")
	counts := []map[int64]int64{{p: 1}}              // one match at 12:00
	totals := map[int64]int64{p: 5, p + 300: 4}      // records at 12:00 and 12:05
	data := metricData(filters, counts, totals, Sum) // 12:00 -> 1, 12:05 -> 0
	var ar AlarmReport
	summarize(&ar, evaluate(&a, data, p, p+600), 300) // 12:10 has no records: missing
	if got := starts(ar); !reflect.DeepEqual(got, []string{"12:05"}) {
		t.Errorf("Sum < 1 with DefaultValue 0: ALARM periods = %v, want [12:05]", got)
	}
	// Without DefaultValue a filter emits nothing when it does not match: never below 1.
	filters[0].Default = nil
	data = metricData(filters, counts, totals, Sum)
	ar = AlarmReport{}
	summarize(&ar, evaluate(&a, data, p, p+600), 300)
	if ar.AlarmPeriodCount != 0 {
		t.Errorf("Sum < 1 without DefaultValue: ALARM periods = %v, want none", starts(ar))
	}
}

func TestStatistics(t *testing.T) {
	zero := 0.0
	filters := []Filter{{Value: 2, Default: &zero}, {Value: 5}}
	counts := []map[int64]int64{{0: 3}, {0: 1}}
	totals := map[int64]int64{0: 4}
	for stat, want := range map[Statistic]float64{
		Sum: 3*2 + 1*0 + 1*5, SampleCount: 4 + 1, Average: 11.0 / 5, Minimum: 0, Maximum: 5,
	} {
		d := metricData(filters, counts, totals, stat)
		if len(d) != 1 || d[0].value != want {
			t.Errorf("%s = %v, want %v", stat, d, want)
		}
	}
	// A filter that matched nothing in a period, and a DefaultValue with no other record to
	// count, add no value to it: the extremes are those of what was emitted. Periods come in
	// time order; a period with no record at all has no datapoint.
	counts = []map[int64]int64{{600: 4, 0: 1, 300: 0}, {0: 1}}
	totals = map[int64]int64{600: 4, 0: 2}
	for stat, want := range map[Statistic]string{
		Minimum: "[{0 0} {600 2}]", Maximum: "[{0 5} {600 2}]", SampleCount: "[{0 3} {600 4}]", Sum: "[{0 7} {600 8}]",
	} {
		if d := fmt.Sprint(metricData(filters, counts, totals, stat)); d != want {
			t.Errorf("%s = %s, want %s", stat, d, want)
		}
	}
}

// Each comparison operator breaches below, at and above its threshold as CloudWatch words it.
func TestBreaches(t *testing.T) {
	for c, want := range map[Comparison][3]bool{
		GreaterOrEqual: {false, true, true}, Greater: {false, false, true},
		Less: {true, false, false}, LessOrEqual: {true, true, false}, "Other": {false, false, false},
	} {
		if got := [3]bool{c.breaches(2, 3), c.breaches(3, 3), c.breaches(4, 3)}; got != want {
			t.Errorf("%s: breaches at 2, 3, 4 of threshold 3 = %v, want %v", c, got, want)
		}
	}
}
