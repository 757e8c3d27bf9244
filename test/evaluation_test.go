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
			// Every filter publishing the alarm's metric (a row may have more than one) adds the
			// catalog's value.
			feeding := filters[ev.Namespace+"/"+ev.MetricName]
			if len(feeding) == 0 {
				t.Errorf("%s: %s: no filter publishes %s/%s", name, row.ID, ev.Namespace, ev.MetricName)
			}
			for _, mt := range feeding {
				if v := mt["MetricValue"]; v != ev.MetricValue {
					t.Errorf("%s: %s: filter MetricValue %v, catalog %s", name, row.ID, v, ev.MetricValue)
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
