package test

import (
	"fmt"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// TestCatalogEvaluationIsWhatTheStackDeploys: for every row of every stack variant (every
// profile, the example alarms file whose row sets its own period, the organization trail), the
// metric filter and alarm in the synthesized template carry the catalog's evaluation settings,
// which replay uses too.
func TestCatalogEvaluationIsWhatTheStackDeploys(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range variants(t) {
		name := f.name
		alarms := alarmsByName(f)
		type feeder struct {
			pattern string
			value   any
		}
		filters := map[string][]feeder{} // namespace/metric -> the dimensionless filters publishing it
		for _, mf := range f.resources("AWS::Logs::MetricFilter") {
			for _, tr := range props(mf)["MetricTransformations"].([]any) {
				m := tr.(map[string]any)
				if m["Dimensions"] == nil {
					key := fmt.Sprint(m["MetricNamespace"], "/", m["MetricName"])
					pattern, _ := props(mf)["FilterPattern"].(string)
					filters[key] = append(filters[key], feeder{pattern, m["MetricValue"]})
				}
			}
		}
		for _, row := range f.cfg.Alarms {
			seen[row.ID] = true
			ev := row.Evaluation("", 0)
			alarm, ok := alarms[f.cfg.AlarmNamePrefix+row.AlarmName]
			if !ok {
				t.Errorf("%s: %s: no alarm named %s", name, row.ID, row.AlarmName)
				continue
			}
			datapoints, ok := alarm["DatapointsToAlarm"]
			if !ok {
				datapoints = alarm["EvaluationPeriods"] // CloudWatch's default
			}
			got := map[string]any{
				"Namespace": alarm["Namespace"], "MetricName": alarm["MetricName"], "Statistic": alarm["Statistic"],
				"Period": alarm["Period"], "ComparisonOperator": alarm["ComparisonOperator"], "Threshold": alarm["Threshold"],
				"EvaluationPeriods": alarm["EvaluationPeriods"], "DatapointsToAlarm": datapoints,
				"TreatMissingData": alarm["TreatMissingData"],
			}
			want := map[string]any{
				"Namespace": ev.Namespace, "MetricName": ev.MetricName, "Statistic": ev.Statistic,
				"Period": float64(ev.PeriodSeconds), "ComparisonOperator": ev.ComparisonOperator, "Threshold": ev.Threshold,
				"EvaluationPeriods": float64(ev.EvaluationPeriods), "DatapointsToAlarm": float64(ev.DatapointsToAlarm),
				"TreatMissingData": ev.TreatMissingData,
			}
			if toJSON(got) != toJSON(want) {
				t.Errorf("%s: %s: template alarm\n %s\ncatalog\n %s", name, row.ID, toJSON(got), toJSON(want))
			}
			// The row's own filter publishes the catalog's value; a benchmark filter on the same
			// metric publishes "0" (literal: replay and the email count each event once); no other
			// filter feeds the metric.
			feeding := filters[ev.Namespace+"/"+ev.MetricName]
			if len(feeding) == 0 {
				t.Errorf("%s: %s: no filter publishes %s/%s", name, row.ID, ev.Namespace, ev.MetricName)
			}
			for _, fd := range feeding {
				want := ev.MetricValue
				switch {
				case fd.pattern == row.Pattern:
				case row.BenchmarkPattern != "" && fd.pattern == row.BenchmarkPattern:
					want = "0"
				default:
					t.Errorf("%s: %s: a filter that is not the row's publishes %s/%s: %s", name, row.ID, ev.Namespace, ev.MetricName, fd.pattern)
				}
				if fd.value != want {
					t.Errorf("%s: %s: filter %q MetricValue %v, want %s", name, row.ID, fd.pattern, fd.value, want)
				}
			}
		}
	}
	for _, p := range catalog.Profiles {
		for _, row := range p.Rows() {
			if !seen[row.ID] {
				t.Errorf("profile %s: row %s is in no stack variant, so nothing checks it against a template", p.Name, row.ID)
			}
		}
	}
}
