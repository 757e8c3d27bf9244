package config

import (
	"errors"
	"fmt"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// ErrAlarmsFile is matched (errors.Is) by every problem with the custom alarms file; so is ErrInvalid.
var ErrAlarmsFile = errors.New("bad alarms file")

// readTree reads path (readBounded) and parses it (parseFile); at places each problem.
func readTree(path string, at Problem) (*node, ErrorList) {
	raw, msg := readBounded(path)
	if msg != "" {
		return nil, ErrorList{at.with(msg)}
	}
	root, lerr := parseFile(path, raw)
	if lerr != nil {
		p := at.with(lerr.msg)
		p.Line = lerr.line
		return nil, ErrorList{p}
	}
	return root, nil
}

// with returns a copy of p that says msg.
func (p Problem) with(msg string) *Problem {
	p.Msg = msg
	return &p
}

// customAlarm is one entry of the custom alarms file (alarmsFile=PATH), JSON or YAML; read by
// alarmEntries (alarmsdecode.go), the file is:
//
//	alarms:
//	  - id: RootAccessKeyCreated        # required: a PascalCase construct ID, unique
//	    pattern: '{ ... }'               # required: a CloudWatch Logs JSON filter pattern
//	    threshold: 1                     # required: > 0 events in one period
//	    period: 300                      # optional: seconds, a multiple of 60 up to 86400; default 300
//	    description: {en: ..., ja: ...}  # required: en; ja optional (falls back to en); or a text (en)
//	    metricName: ...                  # optional: default ID + "Count"
//	    alarmName: ...                   # optional: default "CloudTrail" + ID
//	    namespace: ...                   # optional: default CloudTrailMetrics
//	    dimensions: {Account: $.recipientAccountId}  # optional: at most 3
//	    fires: [ {record}, ... ]         # optional: records that must match (checked at synth)
//	    quiet: [ {record}, ... ]         # optional: records that must not match
type customAlarm struct {
	ID          string
	Pattern     string
	Threshold   *float64
	Period      int
	Description catalog.Text
	MetricName  string
	AlarmName   string
	Namespace   string
	Dimensions  map[string]string
	Fires       []string // records, as JSON
	Quiet       []string
}

// loadAlarmsFile reads, decodes (unknown fields are errors) and validates the custom alarms in
// path. builtIn are the rows of the selected profiles: custom IDs, metrics and alarm names must
// not collide with them. Every problem names the file, the entry and the field.
func loadAlarmsFile(path string, builtIn []catalog.Alarm) ([]catalog.Alarm, ErrorList) {
	in := Problem{Key: alarmsFileKey, File: path, Err: ErrAlarmsFile}
	root, errs := readTree(path, in)
	if len(errs) > 0 {
		return nil, errs
	}
	return decodeAlarms(root, builtIn, in)
}

// decodeAlarms reads the alarms of a parsed alarms file and validates them.
func decodeAlarms(root *node, builtIn []catalog.Alarm, in Problem) ([]catalog.Alarm, ErrorList) {
	path := in.File
	file, errs := alarmEntries(root, in)
	if len(errs) > 0 && file == nil {
		return nil, errs
	}
	if len(file) == 0 {
		return nil, ErrorList{in.with(`has no alarms (want a top-level "alarms" list with at least one entry)`)}
	}
	if len(file) > catalog.MaxFiltersPerLogGroup {
		return nil, ErrorList{in.with(fmt.Sprintf("has %d alarms; allowed: at most %d (each alarm is a metric filter, and CloudWatch Logs allows %d on one log group)",
			len(file), catalog.MaxFiltersPerLogGroup, catalog.MaxFiltersPerLogGroup))}
	}
	var rows []catalog.Alarm
	for i, e := range file {
		c := e.alarm
		entry := in
		entry.Entry = entryName(i, c.ID)
		entry.Line = e.line
		if e.failed["entry"] {
			rows = append(rows, catalog.Alarm{}) // keeps rows[i] the file's entry i; no identity
			continue
		}
		row, missing := c.row()
		for _, fe := range missing {
			if !e.failed[fe.Field] {
				errs.Add(entry.field(fe, e.lines))
			}
		}
		limits := limitProblems(row)
		for _, fe := range limits {
			// A name made from the ID (ID+"Count", "CloudTrail"+ID) is beyond its limits only when
			// the ID is (at most 64 printable characters), and the ID's problem says it.
			if e.lines[fe.Field] == 0 && (fe.Field == "metricName" || fe.Field == "alarmName") {
				continue
			}
			errs.Add(entry.field(fe, e.lines))
		}
		if len(limits) > 0 || len(e.failed) > 0 {
			rows = append(rows, row)
			continue // CheckRow parses the pattern and runs the records: only whole rows within limits
		}
		for _, fe := range catalog.CheckRow(row) {
			if !coveredBy(fe.Field, missing) {
				errs.Add(entry.field(fe, e.lines))
			}
		}
		rows = append(rows, row)
	}
	// Across entries, and against the built-in rows: IDs, metrics and alarm names are unique.
	seen := map[identity]string{}
	for _, b := range builtIn {
		for _, id := range identities(b) {
			seen[id] = "built-in alarm " + b.ID
		}
	}
	for i, r := range rows {
		if r.ID == "" {
			continue // no ID: reported as required (or the entry is not a map)
		}
		for _, id := range identities(r) {
			if other, dup := seen[id]; dup {
				errs.Add(&Problem{Key: alarmsFileKey, File: path, Line: file[i].lines[id.field], Entry: entryName(i, r.ID), Field: id.field,
					Msg: fmt.Sprintf("%s is already used by %s", label(id.value), other), Err: ErrAlarmsFile})
			}
			seen[id] = entryName(i, r.ID) + " of this file"
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return rows, nil
}

// field returns a copy of p about the entry's field fe, at its line when lines know it.
func (p Problem) field(fe *catalog.FieldError, lines fieldLines) *Problem {
	p.Field, p.Msg = fe.Field, fe.Msg
	if l := lines[fe.Field]; l > 0 {
		p.Line = l
	}
	return &p
}

// identity is a value that must be unique across every alarm of a stack.
type identity struct{ field, value string }

func identities(a catalog.Alarm) []identity {
	return []identity{
		{"id", a.ID},
		{"metricName", a.EffectiveNamespace(catalog.AWSNamespace) + "/" + a.MetricName},
		{"alarmName", a.AlarmName},
	}
}

// row turns a file entry into a catalog row, applying the defaults, and reports fields that are
// missing (CheckRow reports values that are wrong).
func (c customAlarm) row() (catalog.Alarm, []*catalog.FieldError) {
	var problems []*catalog.FieldError
	if c.ID == "" {
		problems = append(problems, &catalog.FieldError{Field: "id", Msg: "is required"})
	}
	if c.Pattern == "" {
		problems = append(problems, &catalog.FieldError{Field: "pattern", Msg: "is required"})
	}
	threshold := 0.0
	if c.Threshold == nil {
		problems = append(problems, &catalog.FieldError{Field: "threshold", Msg: "is required"})
	} else {
		threshold = *c.Threshold
	}
	row := catalog.Alarm{
		ID: c.ID, Pattern: c.Pattern, Threshold: threshold, PeriodSeconds: c.Period,
		Description: c.Description,
		MetricName:  c.MetricName, AlarmName: c.AlarmName, Namespace: c.Namespace, Dimensions: c.Dimensions,
	}
	if row.MetricName == "" && c.ID != "" {
		row.MetricName = c.ID + "Count"
	}
	if row.AlarmName == "" && c.ID != "" {
		row.AlarmName = "CloudTrail" + c.ID
	}
	row.Fires, row.Quiet = c.Fires, c.Quiet
	return row, problems
}

// coveredBy reports whether a CheckRow problem only restates a missing field (or a default
// derived from the missing ID).
func coveredBy(field string, missing []*catalog.FieldError) bool {
	for _, m := range missing {
		if m.Field == field || (m.Field == "id" && (field == "metricName" || field == "alarmName")) {
			return true
		}
	}
	return false
}
