package test

import (
	"fmt"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// evaluationFixtures synthesize every built-in profile alone, and an alarms file whose rows set
// their own period: the stacks the golden tests pin.
var evaluationFixtures = map[string]func(testing.TB) *fixture{
	"aws":           defaultFixture,
	"cis":           func(t testing.TB) *fixture { return profileFixture(t, "cis") },
	"custom-alarms": func(t testing.TB) *fixture { return profileFixture(t, "custom-alarms") },
}

// TestCatalogEvaluationIsWhatTheStackDeploys: for every row of every profile (and of the example
// alarms file), the metric filter and alarm in the synthesized template carry the catalog's
// evaluation settings, which replay uses too.
func TestCatalogEvaluationIsWhatTheStackDeploys(t *testing.T) {
	for _, name := range catalog.ProfileNames() {
		if evaluationFixtures[name] == nil {
			t.Errorf("profile %s has no fixture here; add its stack to evaluationFixtures", name)
		}
	}
	for name, fixtureOf := range evaluationFixtures {
		f := fixtureOf(t)
		if len(f.cfg.Alarms) == 0 {
			t.Fatalf("%s: no alarms", name)
		}
		alarms := alarmsByName(f)
		filters := map[string][]map[string]any{} // namespace/metric -> metric transformations
		for _, mf := range f.resources("AWS::Logs::MetricFilter") {
			for _, tr := range props(mf)["MetricTransformations"].([]any) {
				m := tr.(map[string]any)
				if m["Dimensions"] == nil {
					key := fmt.Sprint(m["MetricNamespace"], "/", m["MetricName"])
					filters[key] = append(filters[key], m)
				}
			}
		}
		for _, row := range f.cfg.Alarms {
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
			feeding := filters[ev.Namespace+"/"+ev.MetricName]
			if len(feeding) != 1 {
				t.Errorf("%s: %s: %d filters publish %s/%s, want 1", name, row.ID, len(feeding), ev.Namespace, ev.MetricName)
				continue
			}
			if v := feeding[0]["MetricValue"]; v != ev.MetricValue {
				t.Errorf("%s: %s: filter MetricValue %v, catalog %s", name, row.ID, v, ev.MetricValue)
			}
		}
	}
}
