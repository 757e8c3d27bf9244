package catalog

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

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

// FieldError is one problem with one field of a row, or with all the rows (no Row and no Field).
// Validate's problems name their row; CheckRow's do not (it sees one row).
type FieldError struct {
	Row   int    // the row's place in the rows checked, from 1; 0: not known (CheckRow) or no one row
	ID    string // the row's ID, when known
	Field string // e.g. "pattern", "threshold", "fires[2]"; "" for a problem of all the rows
	Msg   string
	Other int // for a value used twice, the row (from 1) that used it first; else 0
}

// Entry names the row as the problems of a list of rows do: "alarm 2 (RootLogin)"; the ID alone
// without Row; "" for neither.
func (e *FieldError) Entry() string {
	if e.Row > 0 {
		return fmt.Sprintf("alarm %d (%s)", e.Row, e.ID)
	}
	return e.ID
}

// Error is "alarm N (ID): field: problem", leaving out the parts that are not known.
func (e *FieldError) Error() string {
	var parts []string
	for _, s := range []string{e.Entry(), e.Field, e.Msg} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ": ")
}

// Unwrap makes every FieldError an ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

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

// Problems is a list of problems with rows, as Validate and Tamper return them (go/scanner's
// ErrorList is the model): one "invalid alarm: alarm N (ID): field: problem" line each.
type Problems []*FieldError

func (l Problems) Error() string {
	lines := make([]string, len(l))
	for i, fe := range l {
		lines[i] = ErrInvalid.Error() + ": " + fe.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As see every problem (each is an ErrInvalid).
func (l Problems) Unwrap() []error {
	out := make([]error, len(l))
	for i, fe := range l {
		out[i] = fe
	}
	return out
}

// Err returns the list as an error, or nil when it is empty.
func (l Problems) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Validate checks rows before anything is built from them (CheckRows) and returns every problem
// as Problems, or nil.
func Validate(rows []Alarm) error { return CheckRows(rows).Err() }

// CheckRows checks rows: each row (CheckRow), then across rows unique IDs, metrics and alarm
// names, and the five-regex limit of one log group. Every problem names its row (Row, ID), except
// the regex limit, which is of all the rows.
func CheckRows(rows []Alarm) Problems {
	var errs Problems
	bad := func(i int, a Alarm, fe *FieldError) {
		fe.Row, fe.ID = i+1, a.ID
		errs = append(errs, fe)
	}
	ids, metrics, names := map[string]int{}, map[string]int{}, map[string]int{}
	regexes := 0
	for i, a := range rows {
		for _, fe := range CheckRow(a) {
			bad(i, a, fe)
		}
		if first, ok := ids[a.ID]; ok {
			bad(i, a, &FieldError{Field: "id", Msg: fmt.Sprintf("%q is used twice", a.ID), Other: first})
		} else {
			ids[a.ID] = i + 1
		}
		metric := a.EffectiveNamespace(AWSNamespace) + "/" + a.MetricName
		if first, ok := metrics[metric]; ok {
			bad(i, a, &FieldError{Field: "metricName", Msg: fmt.Sprintf("metric %s is used twice", metric), Other: first})
		} else {
			metrics[metric] = i + 1
		}
		if first, ok := names[a.AlarmName]; ok {
			bad(i, a, &FieldError{Field: "alarmName", Msg: fmt.Sprintf("%q is used twice", a.AlarmName), Other: first})
		} else {
			names[a.AlarmName] = i + 1
		}
		for _, pattern := range []string{a.Pattern, a.BenchmarkPattern} {
			if p, err := filterpattern.Parse(pattern); pattern != "" && err == nil {
				regexes += p.Regexes()
			}
		}
	}
	if regexes > MaxRegexesPerLogGroup {
		errs = append(errs, &FieldError{Msg: fmt.Sprintf("the patterns hold %d %%regex%% values; CloudWatch Logs allows at most %d across the metric filters of one log group", regexes, MaxRegexesPerLogGroup)})
	}
	return errs
}
