package catalog

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// ErrInvalid is wrapped by every problem Validate reports.
var ErrInvalid = errors.New("invalid alarm")

// CloudWatch limits.
const (
	// MaxAlarmNameLen is the longest alarm name.
	MaxAlarmNameLen = 255
	// MaxRegexesPerLogGroup is the most %regex% values the metric filters of one log group may hold.
	MaxRegexesPerLogGroup = 5
)

var (
	idRE             = regexp.MustCompile(`^[A-Z][A-Za-z0-9]{0,63}$`)
	metricNameRE     = regexp.MustCompile(`^[^:$][^$]{0,254}$`)
	dimensionNameRE  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,255}$`)
	dimensionFieldRE = regexp.MustCompile(`^\$(\.[A-Za-z0-9_-]+)+$`)
)

// FieldError is one problem with one field of a row.
type FieldError struct {
	Field string // e.g. "pattern", "threshold", "fires[2]"
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// CheckRow checks one row on its own: ID, names, threshold, period, dimensions, description, the
// pattern (parsed by the engine, so a malformed one is reported with its column) and its example
// records (Fires must match, Quiet must not). It returns every problem.
func CheckRow(a Alarm) []*FieldError {
	var errs []*FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if !idRE.MatchString(a.ID) {
		bad("id", "%q is not a PascalCase construct ID (a capital letter, then letters and digits, up to 64)", a.ID)
	}
	if !metricNameRE.MatchString(a.MetricName) {
		bad("metricName", "%q is not a CloudWatch metric name (1 to 255 characters, no '$', not starting with ':')", a.MetricName)
	}
	switch {
	case a.AlarmName == "":
		bad("alarmName", "is empty")
	case len(a.AlarmName) > MaxAlarmNameLen:
		bad("alarmName", "is %d characters; CloudWatch allows %d", len(a.AlarmName), MaxAlarmNameLen)
	}
	if !(a.Threshold > 0) {
		bad("threshold", "%v must be greater than 0", a.Threshold)
	}
	if p := a.EffectivePeriod(); p < 60 || p > 86400 || p%60 != 0 {
		bad("period", "%d s is not allowed; allowed: a multiple of 60 from 60 to 86400 (metric filters publish one-minute metrics)", p)
	}
	if def := DefaultLanguage(); a.Description[def] == "" {
		bad("description."+def, "is empty")
	}
	if len(a.Dimensions) > 3 {
		bad("dimensions", "%d given; a metric filter allows at most 3", len(a.Dimensions))
	}
	for name, field := range a.Dimensions {
		if !dimensionNameRE.MatchString(name) || !dimensionFieldRE.MatchString(field) {
			bad("dimensions", "%q: %q is not allowed; allowed: a name of letters, digits, '_', '-', '.' and a record field like $.recipientAccountId", name, field)
		}
	}
	p, err := filterpattern.Parse(a.Pattern)
	switch {
	case err != nil:
		bad("pattern", "%v", err)
		return errs
	case p.MatchesAll():
		bad("pattern", "is empty (it would count every event)")
		return errs
	}
	errs = append(errs, checkBenchmarkPattern(a)...)
	for i, rec := range a.Fires {
		if !p.Match([]byte(rec)) {
			bad(fmt.Sprintf("fires[%d]", i+1), "the record does not match the pattern")
		}
	}
	for i, rec := range a.Quiet {
		if p.Match([]byte(rec)) {
			bad(fmt.Sprintf("quiet[%d]", i+1), "the record matches the pattern")
		}
	}
	return errs
}

// Validate checks rows before anything is built from them: each row (CheckRow), then across rows
// unique IDs, metrics and alarm names, and the five-regex limit of one log group. It reports every
// problem, joined, each as "alarm N (ID): field: problem".
func Validate(rows []Alarm) error {
	var errs []error
	bad := func(i int, a Alarm, field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: alarm %d (%s): %s", ErrInvalid, i+1, a.ID, (&FieldError{field, fmt.Sprintf(format, args...)}).Error()))
	}
	ids, metrics, names := map[string]bool{}, map[string]bool{}, map[string]bool{}
	regexes := 0
	for i, a := range rows {
		for _, fe := range CheckRow(a) {
			bad(i, a, fe.Field, "%s", fe.Msg)
		}
		if ids[a.ID] {
			bad(i, a, "id", "%q is used twice", a.ID)
		}
		ids[a.ID] = true
		metric := a.EffectiveNamespace(AWSNamespace) + "/" + a.MetricName
		if metrics[metric] {
			bad(i, a, "metricName", "metric %s is used twice", metric)
		}
		metrics[metric] = true
		if names[a.AlarmName] {
			bad(i, a, "alarmName", "%q is used twice", a.AlarmName)
		}
		names[a.AlarmName] = true
		for _, pattern := range []string{a.Pattern, a.BenchmarkPattern} {
			if p, err := filterpattern.Parse(pattern); pattern != "" && err == nil {
				regexes += p.Regexes()
			}
		}
	}
	if regexes > MaxRegexesPerLogGroup {
		errs = append(errs, fmt.Errorf("%w: the patterns hold %d %%regex%% values; CloudWatch Logs allows at most %d across the metric filters of one log group", ErrInvalid, regexes, MaxRegexesPerLogGroup))
	}
	return errors.Join(errs...)
}
