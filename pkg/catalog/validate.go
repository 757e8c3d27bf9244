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

// MaxAlarmNameLen is CloudWatch's limit on alarm names.
const MaxAlarmNameLen = 255

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
	for i, a := range rows {
		switch {
		case !idRE.MatchString(a.ID):
			bad(i, a, "ID %q is not a PascalCase construct ID (a capital letter, then letters and digits, up to 64)", a.ID)
		case ids[a.ID]:
			bad(i, a, "ID %q is used twice", a.ID)
		}
		ids[a.ID] = true
		switch {
		case a.MetricName == "":
			bad(i, a, "metric name is empty")
		case metrics[a.MetricName]:
			bad(i, a, "metric name %q is used twice", a.MetricName)
		}
		metrics[a.MetricName] = true
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
		if _, err := filterpattern.Parse(a.Pattern); err != nil {
			bad(i, a, "pattern: %v", err)
		} else if a.Pattern == "" {
			bad(i, a, "pattern is empty (it would count every event)")
		}
	}
	return errors.Join(errs...)
}
