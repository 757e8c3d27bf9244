package catalog

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// ErrInvalid is wrapped by every problem Validate reports.
var ErrInvalid = errors.New("invalid alarm")

var idRE = regexp.MustCompile(`^[A-Z][A-Za-z0-9]{0,63}$`)

// CloudWatch limits.
const (
	// MaxAlarmNameLen is the longest alarm name.
	MaxAlarmNameLen = 255
	// MaxRegexesPerLogGroup is the most %regex% values the metric filters of one log group may hold.
	MaxRegexesPerLogGroup = 5
)

var (
	dimensionNameRE  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,255}$`)
	dimensionFieldRE = regexp.MustCompile(`^\$(\.[A-Za-z0-9_-]+)+$`)
)

// Validate checks rows before anything is built from them: IDs are unique PascalCase construct IDs,
// metric and alarm names are set and unique, thresholds are positive, and every filter pattern
// parses with the engine (a malformed pattern is reported with its column, e.g.
// "alarm 4 (VpcChanges): pattern: col 28: expected ')' after $.eventName = CreateVpc"). It reports
// every problem, joined.
func Validate(rows []Alarm) error {
	var errs []error
	bad := func(i int, a Alarm, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: alarm %d (%s): %s", ErrInvalid, i+1, a.ID, fmt.Sprintf(format, args...)))
	}
	ids, metrics, names := map[string]bool{}, map[string]bool{}, map[string]bool{}
	regexes := 0
	for i, a := range rows {
		switch {
		case !idRE.MatchString(a.ID):
			bad(i, a, "ID %q is not a PascalCase construct ID (a capital letter, then letters and digits, up to 64)", a.ID)
		case ids[a.ID]:
			bad(i, a, "ID %q is used twice", a.ID)
		}
		ids[a.ID] = true
		metric := a.EffectiveNamespace(AWSNamespace) + "/" + a.MetricName
		switch {
		case a.MetricName == "":
			bad(i, a, "metric name is empty")
		case metrics[metric]:
			bad(i, a, "metric %s is used twice", metric)
		}
		metrics[metric] = true
		switch {
		case a.AlarmName == "":
			bad(i, a, "alarm name is empty")
		case len(a.AlarmName) > MaxAlarmNameLen:
			bad(i, a, "alarm name is %d characters; CloudWatch allows %d", len(a.AlarmName), MaxAlarmNameLen)
		case names[a.AlarmName]:
			bad(i, a, "alarm name %q is used twice", a.AlarmName)
		}
		names[a.AlarmName] = true
		if !(a.Threshold > 0) {
			bad(i, a, "threshold %v must be greater than 0", a.Threshold)
		}
		if a.Description.EN == "" {
			bad(i, a, "English description is empty")
		}
		if p := a.EffectivePeriod(); p < 60 || p > 86400 || p%60 != 0 {
			bad(i, a, "period %d s is not allowed; allowed: a multiple of 60 from 60 to 86400 (metric filters publish one-minute metrics)", p)
		}
		if len(a.Dimensions) > 3 {
			bad(i, a, "%d dimensions; a metric filter allows at most 3", len(a.Dimensions))
		}
		for name, field := range a.Dimensions {
			if !dimensionNameRE.MatchString(name) || !dimensionFieldRE.MatchString(field) {
				bad(i, a, "dimension %q = %q is not allowed; allowed: a name of letters, digits, '_', '-', '.' and a field like $.recipientAccountId", name, field)
			}
		}
		p, err := filterpattern.Parse(a.Pattern)
		switch {
		case err != nil:
			bad(i, a, "pattern: %v", err)
		case a.Pattern == "" || p.MatchesAll():
			bad(i, a, "pattern is empty (it would count every event)")
		default:
			regexes += p.Regexes()
		}
	}
	if regexes > MaxRegexesPerLogGroup {
		errs = append(errs, fmt.Errorf("%w: the patterns hold %d %%regex%% values; CloudWatch Logs allows at most %d across the metric filters of one log group", ErrInvalid, regexes, MaxRegexesPerLogGroup))
	}
	return errors.Join(errs...)
}
