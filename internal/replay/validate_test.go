package replay

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// Validate names every rule replay cannot evaluate exactly, each problem once, with the limits
// CloudWatch sets, in the rules' order; what it accepts is accepted at the very edge.
func TestValidateNamesEveryProblemAtItsEdge(t *testing.T) {
	max := math.Ldexp(1, 360)
	alarm := func(id string, period int64, n, m int) Rule {
		return Rule{ID: id, Namespace: "N", MetricName: id, Filters: []Filter{{Name: "f", Value: 1}}, Alarm: &Alarm{
			Name: id, Threshold: 1, Comparison: GreaterOrEqual, Statistic: Sum, Period: period,
			EvaluationPeriods: n, DatapointsToAlarm: m, TreatMissingData: NotBreaching}}
	}
	with := func(r Rule, f func(*Rule)) Rule { f(&r); return r }
	neg := -max
	ok := []Rule{
		alarm("P60", 60, 1440, 1440), alarm("P3540", 3540, 24, 1), alarm("P3600", 3600, 168, 2), alarm("P7d", 604800, 1, 1),
		{ID: "Unwatched", Filters: []Filter{{Name: "f", Value: max, Default: &neg}}},
		with(alarm("Cmp", 60, 1, 1), func(r *Rule) {
			r.Alarm.Comparison, r.Alarm.Statistic, r.Alarm.TreatMissingData = Greater, SampleCount, Breaching
		}),
		with(alarm("Cmp2", 60, 1, 1), func(r *Rule) { r.Alarm.Comparison, r.Alarm.Statistic, r.Alarm.TreatMissingData = Less, Average, Ignore }),
		with(alarm("Cmp3", 60, 1, 1), func(r *Rule) {
			r.Alarm.Comparison, r.Alarm.Statistic, r.Alarm.TreatMissingData = LessOrEqual, Minimum, MissingMissing
		}),
		with(alarm("Cmp4", 60, 1, 1), func(r *Rule) { r.Alarm.Statistic, r.Alarm.Threshold = Maximum, -1e308 }),
	}
	if err := Validate(ok); err != nil {
		t.Errorf("Validate(edges CloudWatch accepts): %v", err)
	}
	above := math.Nextafter(max, math.Inf(1))
	bad := []Rule{
		{ID: "NoFilter", Namespace: "N", MetricName: "M"},
		{ID: "Values", Filters: []Filter{{Name: "big", Value: above}, {Name: "low", Value: 1, Default: &[]float64{-above}[0]}, {Name: "nan", Value: math.NaN()}}},
		alarm("P0", 0, 1, 1), alarm("P9", 9, 1, 1), alarm("P10", 10, 1, 1), alarm("P11", 11, 1, 1), alarm("P19", 19, 1, 1), alarm("P20", 20, 1, 1),
		alarm("P21", 21, 1, 1), alarm("P29", 29, 1, 1), alarm("P30", 30, 1, 1), alarm("P31", 31, 1, 1), alarm("P61", 61, 1, 1), alarm("P90", 90, 1, 1),
		alarm("P7d1m", 604860, 1, 1),
		alarm("N0", 60, 0, 1), alarm("M0", 60, 1, 0), alarm("M3of2", 60, 2, 3),
		alarm("Short", 60, 1441, 1), alarm("Short59m", 3540, 25, 1), alarm("Long", 3600, 169, 1),
		with(alarm("Kinds", 60, 1, 1), func(r *Rule) {
			r.Alarm.Comparison, r.Alarm.Statistic, r.Alarm.TreatMissingData = "GreaterThanUpperThreshold", "p99", "drop"
		}),
		with(alarm("NaN", 60, 1, 1), func(r *Rule) { r.Alarm.Threshold = math.NaN() }),
		with(alarm("MinusInf", 60, 1, 1), func(r *Rule) { r.Alarm.Threshold = math.Inf(-1) }),
	}
	want := `NoFilter: no metric filter emits metric N/M
Values: filter big: MetricValue and DefaultValue must be numbers from -2^360 to 2^360 (CloudWatch's range)
Values: filter low: MetricValue and DefaultValue must be numbers from -2^360 to 2^360 (CloudWatch's range)
Values: filter nan: MetricValue and DefaultValue must be numbers from -2^360 to 2^360 (CloudWatch's range)
P0: period 0 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)
P9: period 9 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)
P10: unsupported period 10 s: a high-resolution period, but metric filter metrics are standard resolution (a multiple of 60 s)
P11: period 11 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)
P19: period 19 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)
P20: unsupported period 20 s: a high-resolution period, but metric filter metrics are standard resolution (a multiple of 60 s)
P21: period 21 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)
P29: period 29 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)
P30: unsupported period 30 s: a high-resolution period, but metric filter metrics are standard resolution (a multiple of 60 s)
P31: period 31 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)
P61: period 61 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)
P90: period 90 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)
P7d1m: period 604860 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)
N0: evaluation: 1 datapoints to alarm out of 0 periods (CloudWatch needs 1 <= DatapointsToAlarm <= EvaluationPeriods)
M0: evaluation: 0 datapoints to alarm out of 1 periods (CloudWatch needs 1 <= DatapointsToAlarm <= EvaluationPeriods)
M3of2: evaluation: 3 datapoints to alarm out of 2 periods (CloudWatch needs 1 <= DatapointsToAlarm <= EvaluationPeriods)
Short: evaluation range 1441 periods x 60 s exceeds CloudWatch's limit of 86400 s (1 day for periods under an hour)
Short59m: evaluation range 25 periods x 3540 s exceeds CloudWatch's limit of 86400 s (1 day for periods under an hour)
Long: evaluation range 169 periods x 3600 s exceeds CloudWatch's limit of 604800 s (7 days)
Kinds: unsupported comparison operator "GreaterThanUpperThreshold" (replay supports GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold)
Kinds: unsupported statistic "p99" (replay supports Sum, SampleCount, Average, Minimum, Maximum)
Kinds: unsupported TreatMissingData "drop"
NaN: threshold NaN is not a finite number
MinusInf: threshold -Inf is not a finite number`
	err := Validate(bad)
	if err == nil || err.Error() != want || !errors.Is(err, ErrUnsupported) {
		t.Errorf("Validate:\n%v\nwant (ErrUnsupported):\n%s", err, want)
	}
	// One problem alone is reported too.
	if err := Validate([]Rule{alarm("P90", 90, 1, 1)}); err == nil || !strings.HasPrefix(err.Error(), "P90: period 90 s") {
		t.Errorf("Validate(one bad rule) = %v", err)
	}
}
