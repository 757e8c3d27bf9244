package config

import (
	"fmt"
	"math"
	"regexp"
	"unicode/utf8"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Limits of CloudWatch and CloudWatch Logs that an alarm row reaches, checked here so that a row
// that would fail at deploy (or could not be written into a template) stops synth instead.
const (
	// MaxPatternLen is the longest filter pattern (CloudWatch Logs PutMetricFilter, filterPattern).
	MaxPatternLen = 1024
	// MaxDescriptionLen is the longest alarm description (CloudWatch PutMetricAlarm, AlarmDescription).
	MaxDescriptionLen = 1024
	// MaxNamespaceLen is the longest metric namespace (CloudWatch Logs MetricTransformation, metricNamespace).
	MaxNamespaceLen = 255
)

// namespaceRE is CloudWatch Logs' rule for a metric namespace: no ':', '*' or '$'.
var namespaceRE = regexp.MustCompile(`^[^:*$]*$`)

// limitProblems reports what of a row (from the alarms file) is beyond CloudWatch's limits or
// would put a control character into a name, pattern or description. CheckRow reports the rest.
func limitProblems(a catalog.Alarm) []*catalog.FieldError {
	var errs []*catalog.FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, &catalog.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	texts := []struct {
		field, value string
		most         int
	}{
		{"id", a.ID, 64},
		{"pattern", a.Pattern, MaxPatternLen},
		{"metricName", a.MetricName, catalog.MaxAlarmNameLen},
		{"alarmName", a.AlarmName, catalog.MaxAlarmNameLen},
		{"namespace", a.Namespace, MaxNamespaceLen},
		{"description.en", a.Description.EN, MaxDescriptionLen},
		{"description.ja", a.Description.JA, MaxDescriptionLen},
	}
	for _, t := range texts {
		if why := badText(t.value); why != "" {
			bad(t.field, "%s; allowed: printable text on one line", why)
		} else if n := utf8.RuneCountInString(t.value); n > t.most {
			bad(t.field, "is %d characters long; allowed: at most %d", n, t.most)
		}
	}
	if a.Namespace != "" && !namespaceRE.MatchString(a.Namespace) {
		bad("namespace", "%q has ':', '*' or '$'; allowed: a CloudWatch namespace of up to %d characters without them", a.Namespace, MaxNamespaceLen)
	}
	if math.IsInf(a.Threshold, 0) || math.IsNaN(a.Threshold) {
		bad("threshold", "%v is not a finite number; allowed: a number greater than 0", a.Threshold)
	}
	for name, field := range a.Dimensions {
		if why := badText(name + field); why != "" {
			bad("dimensions", "%s %s; allowed: printable text on one line", label(name), why)
		}
	}
	return errs
}
