// Package catalog holds the alarms trailwatch deploys, as plain data.
//
// A row is one CloudWatch Logs metric filter plus the alarm on its metric. The same rows drive the
// CDK construct (constructs/trailalarms), the filter-pattern engine's tests and the trailwatch CLI,
// so this package imports nothing from the CDK: the CLI never links jsii.
package catalog

// Alarm is one metric filter and the alarm on its metric.
type Alarm struct {
	// ID names the row: the construct ID of its filter and alarm, and the name the CLI prints.
	// It never changes once released; renaming it replaces the deployed resources.
	ID string
	// MetricName is the CloudWatch metric the filter emits (value 1 per matching event).
	MetricName string
	// AlarmName is the alarm's physical name before any prefix; people read it in email subjects.
	AlarmName string
	// Pattern is the CloudWatch Logs filter pattern, byte for byte as deployed.
	Pattern string
	// Threshold is the number of matching events in one period that puts the alarm in ALARM.
	Threshold float64
	// Description is the alarm description.
	Description Text
	// Namespace of the metric.
	// Default: - the construct's namespace (CloudTrailMetrics).
	Namespace string
	// PeriodSeconds is the alarm's period: a multiple of 60 up to 86400.
	// Default: - 300, as in AWS's template.
	PeriodSeconds int
	// Dimensions, if any, name metric dimensions and the record field ("$.a.b") each takes its value
	// from (at most 3). The alarm watches the total; a second filter publishes the same metric per
	// dimension value, for drill-down (each value is a custom metric, billed as such).
	Dimensions map[string]string
	// BenchmarkPattern, if set, is a second filter pattern on the same metric, publishing 0
	// (BenchmarkMetricValue): for when a compliance checker looks for other text than Pattern on a
	// filter of the alarm's metric (see docs/cis-checkers.md). It must match only events Pattern
	// matches (Pattern's filter counts each of them once), at least one Fires record and no Quiet
	// record.
	// Default: - none: one filter.
	BenchmarkPattern string
	// Supersedes is the ID of a row of another profile that counts the same events; when both
	// profiles are deployed, deduplication keeps this row and drops that one.
	Supersedes string
	// Fires holds CloudTrail records (JSON) that must match Pattern.
	Fires []string
	// Quiet holds near-miss CloudTrail records (JSON) that must not match Pattern.
	Quiet []string
}

// EffectiveNamespace is the row's namespace, or def when the row leaves it to the construct.
func (a Alarm) EffectiveNamespace(def string) string {
	if a.Namespace != "" {
		return a.Namespace
	}
	return def
}

// EffectivePeriod is the row's period in seconds, 300 unless the row sets one.
func (a Alarm) EffectivePeriod() int { return a.Evaluation("", 0).PeriodSeconds }

// DefaultPeriodSeconds is the period of AWS's template: five minutes.
const DefaultPeriodSeconds = 300

// MaxFiltersPerLogGroup is CloudWatch Logs' limit on the metric filters of one log group: "the
// maximum number of metric filters that can be associated with a log group" (PutMetricFilter,
// CloudWatch Logs API reference). The configuration checks it before synthesis, doctor before
// deploy against the filters already there.
const MaxFiltersPerLogGroup = 100

// Find returns the row of alarms whose ID is id.
func Find(alarms []Alarm, id string) (Alarm, bool) {
	for _, a := range alarms {
		if a.ID == id {
			return a, true
		}
	}
	return Alarm{}, false
}
