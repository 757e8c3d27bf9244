package replay_test

import (
	"testing"

	"github.com/trailwatch/trailwatch/internal/replay"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// TestFromCatalogUsesTheRowsNamespace: the CIS rows publish to LogMetrics, so that is the metric
// replay reports (it used to say CloudTrailMetrics for every row, unlike the deployed stack).
func TestFromCatalogUsesTheRowsNamespace(t *testing.T) {
	rows, err := catalog.Resolve("Cis1RootUsage,IAMPolicyChanges")
	if err != nil {
		t.Fatal(err)
	}
	rules := replay.FromCatalog(rows, replay.DefaultPeriod)
	want := map[string]string{"Cis1RootUsage": "LogMetrics", "IAMPolicyChanges": "CloudTrailMetrics"}
	for _, r := range rules {
		if r.Namespace != want[r.ID] {
			t.Errorf("%s: namespace %q, want %q", r.ID, r.Namespace, want[r.ID])
		}
	}
}

// TestFromCatalogUsesTheRowsPeriod: a row's own period wins; the default (replay --period) is for
// rows that set none. Replay used to give every row the default.
func TestFromCatalogUsesTheRowsPeriod(t *testing.T) {
	own := catalog.AWS()[0]
	own.PeriodSeconds = 900
	other := catalog.AWS()[1]
	rules := replay.FromCatalog([]catalog.Alarm{own, other}, 600)
	if got := rules[0].Alarm.Period; got != 900 {
		t.Errorf("%s: period %d, want the row's 900", own.ID, got)
	}
	if got := rules[1].Alarm.Period; got != 600 {
		t.Errorf("%s: period %d, want the default 600", other.ID, got)
	}
}

// TestFromCatalogEvaluatesAsTheCatalogSays: every setting of a catalog rule is the catalog's.
func TestFromCatalogEvaluatesAsTheCatalogSays(t *testing.T) {
	for _, row := range append(catalog.AWS(), catalog.CIS()...) {
		ev := row.Evaluation("", 0)
		r := replay.FromCatalog([]catalog.Alarm{row}, replay.DefaultPeriod)[0]
		a := r.Alarm
		if r.MetricName != ev.MetricName || r.Namespace != ev.Namespace || r.Filters[0].Value != 1 ||
			string(a.Statistic) != ev.Statistic || string(a.Comparison) != ev.ComparisonOperator ||
			a.Period != int64(ev.PeriodSeconds) || a.EvaluationPeriods != ev.EvaluationPeriods ||
			a.DatapointsToAlarm != ev.DatapointsToAlarm || string(a.TreatMissingData) != ev.TreatMissingData ||
			a.Threshold != ev.Threshold {
			t.Errorf("%s: rule %+v alarm %+v, catalog says %+v", row.ID, r, *a, ev)
		}
	}
	if err := replay.Validate(replay.FromCatalog(append(catalog.AWS(), catalog.CIS()...), replay.DefaultPeriod)); err != nil {
		t.Errorf("replay cannot evaluate the catalog's settings: %v", err)
	}
}
