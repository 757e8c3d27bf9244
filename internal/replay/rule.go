package replay

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Comparison is a CloudWatch alarm ComparisonOperator.
type Comparison string

// The comparison operators a metric-filter alarm can use (anomaly-detection operators need a
// model that replay cannot rebuild and are rejected).
const (
	GreaterOrEqual Comparison = "GreaterThanOrEqualToThreshold"
	Greater        Comparison = "GreaterThanThreshold"
	Less           Comparison = "LessThanThreshold"
	LessOrEqual    Comparison = "LessThanOrEqualToThreshold"
)

func (c Comparison) breaches(v, threshold float64) bool {
	switch c {
	case GreaterOrEqual:
		return v >= threshold
	case Greater:
		return v > threshold
	case Less:
		return v < threshold
	case LessOrEqual:
		return v <= threshold
	}
	return false
}

// Statistic is a CloudWatch alarm Statistic.
type Statistic string

// The statistics replay computes exactly from the filters' values.
const (
	Sum         Statistic = "Sum"
	SampleCount Statistic = "SampleCount"
	Average     Statistic = "Average"
	Minimum     Statistic = "Minimum"
	Maximum     Statistic = "Maximum"
)

// Missing is a CloudWatch alarm TreatMissingData setting.
type Missing string

// TreatMissingData values. CloudWatch's default, when the property is absent, is MissingMissing.
const (
	NotBreaching   Missing = "notBreaching"
	Breaching      Missing = "breaching"
	Ignore         Missing = "ignore"
	MissingMissing Missing = "missing"
)

// Filter is one metric filter feeding a rule's metric.
type Filter struct {
	// Name identifies the filter in reports: the catalog row ID or the template logical ID.
	Name string `json:"name"`
	// Pattern is the CloudWatch Logs filter pattern.
	Pattern string `json:"pattern"`
	// Value is what the filter emits for a matching record (MetricValue; replay supports numbers).
	Value float64 `json:"value"`
	// Default is emitted for each record that does not match (DefaultValue); nil emits nothing.
	Default *float64 `json:"default_value,omitempty"`
}

// Alarm is how CloudWatch evaluates a rule's metric.
type Alarm struct {
	Name              string     `json:"name"`
	Threshold         float64    `json:"threshold"`
	Comparison        Comparison `json:"comparison"`
	Statistic         Statistic  `json:"statistic"`
	Period            int64      `json:"period_seconds"`
	EvaluationPeriods int        `json:"evaluation_periods"`
	DatapointsToAlarm int        `json:"datapoints_to_alarm"`
	TreatMissingData  Missing    `json:"treat_missing_data"`
}

// Rule is one metric and what watches it: the filters that emit it and, when there is one, the
// alarm on it. A metric with several alarms is several rules.
type Rule struct {
	ID         string   `json:"id"`
	MetricName string   `json:"metric_name"`
	Namespace  string   `json:"namespace"`
	Filters    []Filter `json:"filters"`
	// Alarm is nil for a metric filter that no alarm watches: replay reports its matches only.
	Alarm *Alarm `json:"alarm"`
}

// DefaultPeriod is the period of AWS's recommended alarms, and the bucket size for filters that no
// alarm watches.
const DefaultPeriod = catalog.DefaultPeriodSeconds

// FromCatalog turns catalog rows into rules with the evaluation settings the stack deploys
// (catalog.Alarm.Evaluation): the row's namespace and period, defaultPeriod seconds for a row that
// sets no period of its own.
func FromCatalog(rows []catalog.Alarm, defaultPeriod int64) []Rule {
	out := make([]Rule, 0, len(rows))
	for _, a := range rows {
		ev := a.Evaluation("", int(defaultPeriod))
		filters := []Filter{{Name: a.ID, Pattern: a.Pattern, Value: constValue(ev.MetricValue)}}
		if a.BenchmarkPattern != "" {
			// Deployed as a second filter on the same metric that publishes 0 (catalog.BenchmarkMetricValue).
			filters = append(filters, Filter{Name: a.ID + "/BenchmarkFilter", Pattern: a.BenchmarkPattern, Value: constValue(catalog.BenchmarkMetricValue)})
		}
		out = append(out, Rule{
			ID:         a.ID,
			MetricName: ev.MetricName,
			Namespace:  ev.Namespace,
			Filters:    filters,
			Alarm: &Alarm{
				Name:              a.AlarmName,
				Threshold:         ev.Threshold,
				Comparison:        Comparison(ev.ComparisonOperator),
				Statistic:         Statistic(ev.Statistic),
				Period:            int64(ev.PeriodSeconds),
				EvaluationPeriods: ev.EvaluationPeriods,
				DatapointsToAlarm: ev.DatapointsToAlarm,
				TreatMissingData:  Missing(ev.TreatMissingData),
			},
		})
	}
	return out
}

// constValue reads a catalog metric value (catalog.MetricValue, catalog.BenchmarkMetricValue): a
// constant, which TestFromCatalogEvaluatesAsTheCatalogSays and the benchmark test read as 1 and 0.
func constValue(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic("catalog metric value is not a number: " + s)
	}
	return v
}

// ErrUnsupported marks an alarm or filter setting replay cannot reproduce.
var ErrUnsupported = errors.New("unsupported")

// Validate checks that every rule is something replay evaluates exactly.
func Validate(rules []Rule) error {
	var errs []error
	for _, r := range rules {
		if len(r.Filters) == 0 {
			errs = append(errs, fmt.Errorf("%s: no metric filter emits metric %s/%s", r.ID, r.Namespace, r.MetricName))
		}
		for _, f := range r.Filters {
			if !metricValue(f.Value) || (f.Default != nil && !metricValue(*f.Default)) {
				errs = append(errs, fmt.Errorf("%s: filter %s: MetricValue and DefaultValue must be numbers from -2^360 to 2^360 (CloudWatch's range)", r.ID, f.Name))
			}
		}
		a := r.Alarm
		if a == nil {
			continue
		}
		switch a.Comparison {
		case GreaterOrEqual, Greater, Less, LessOrEqual:
		default:
			errs = append(errs, fmt.Errorf("%s: %w comparison operator %q (replay supports GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold)", r.ID, ErrUnsupported, a.Comparison))
		}
		switch a.Statistic {
		case Sum, SampleCount, Average, Minimum, Maximum:
		default:
			errs = append(errs, fmt.Errorf("%s: %w statistic %q (replay supports Sum, SampleCount, Average, Minimum, Maximum)", r.ID, ErrUnsupported, a.Statistic))
		}
		if err := checkEvaluation(a); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.ID, err))
		}
		if !finite(a.Threshold) {
			errs = append(errs, fmt.Errorf("%s: threshold %v is not a finite number", r.ID, a.Threshold))
		}
		switch a.TreatMissingData {
		case NotBreaching, Breaching, Ignore, MissingMissing:
		default:
			errs = append(errs, fmt.Errorf("%s: %w TreatMissingData %q", r.ID, ErrUnsupported, a.TreatMissingData))
		}
	}
	return errors.Join(errs...)
}

// CloudWatch's limits on an alarm's evaluation, from the PutMetricAlarm API reference: Period is
// 10, 20, 30 or a multiple of 60 seconds; Period × EvaluationPeriods is at most 7 days, and at
// most 1 day when Period is under an hour; 1 <= DatapointsToAlarm <= EvaluationPeriods. Replay
// also bounds its own work by them: it walks at most EvaluationPeriods periods per datapoint.
const (
	MaxEvaluationRange      = 7 * 24 * 3600 // seconds
	MaxShortEvaluationRange = 24 * 3600     // seconds, for periods under an hour
	MaxPeriod               = MaxEvaluationRange
)

// checkEvaluation checks an alarm's period, evaluation periods and datapoints to alarm.
func checkEvaluation(a *Alarm) error {
	if a.Period < 60 || a.Period%60 != 0 || a.Period > MaxPeriod {
		if a.Period == 10 || a.Period == 20 || a.Period == 30 {
			return fmt.Errorf("%w period %d s: a high-resolution period, but metric filter metrics are standard resolution (a multiple of 60 s)", ErrUnsupported, a.Period)
		}
		return fmt.Errorf("period %d s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to %d s (7 days)", a.Period, MaxPeriod)
	}
	if a.EvaluationPeriods < 1 || a.DatapointsToAlarm < 1 || a.DatapointsToAlarm > a.EvaluationPeriods {
		return fmt.Errorf("evaluation: %d datapoints to alarm out of %d periods (CloudWatch needs 1 <= DatapointsToAlarm <= EvaluationPeriods)", a.DatapointsToAlarm, a.EvaluationPeriods)
	}
	limit, why := int64(MaxEvaluationRange), "7 days"
	if a.Period < 3600 {
		limit, why = MaxShortEvaluationRange, "1 day for periods under an hour"
	}
	if int64(a.EvaluationPeriods) > limit/a.Period {
		return fmt.Errorf("evaluation range %d periods x %d s exceeds CloudWatch's limit of %d s (%s)", a.EvaluationPeriods, a.Period, limit, why)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// maxMetricValue is the largest magnitude CloudWatch stores (PutMetricData: values from -2^360 to
// 2^360). It also keeps replay's sums finite: 2^63 records of 2^360 are far below MaxFloat64, so
// a report never holds an Inf that JSON cannot encode.
var maxMetricValue = math.Ldexp(1, 360)

func metricValue(f float64) bool { return finite(f) && math.Abs(f) <= maxMetricValue }
