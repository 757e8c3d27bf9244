package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// ErrAlarmsFile is matched (errors.Is) by every problem with the custom alarms file; so is ErrInvalid.
var ErrAlarmsFile = errors.New("bad alarms file")

// readStrict reads path into v (decodeStrict); at places each problem (its Msg is filled in).
func readStrict(path string, v any, at Problem) ErrorList {
	raw, err := os.ReadFile(path)
	if err != nil {
		return ErrorList{at.with(fmt.Sprintf("cannot be read: %v", errors.Unwrap(err)))}
	}
	var errs ErrorList
	for _, msg := range decodeStrict(path, raw, v) {
		errs.Add(at.with(msg))
	}
	return errs
}

// with returns a copy of p that says msg.
func (p Problem) with(msg string) *Problem {
	p.Msg = msg
	return &p
}

// alarmsFile is the custom alarms file (alarmsFile=PATH), JSON or YAML:
//
//	alarms:
//	  - id: RootAccessKeyCreated        # required: a PascalCase construct ID, unique
//	    pattern: '{ ... }'               # required: a CloudWatch Logs JSON filter pattern
//	    threshold: 1                     # required: > 0 events in one period
//	    period: 300                      # optional: seconds, a multiple of 60 up to 86400; default 300
//	    description: {en: ..., ja: ...}  # required: en; ja optional (falls back to en)
//	    metricName: ...                  # optional: default ID + "Count"
//	    alarmName: ...                   # optional: default "CloudTrail" + ID
//	    namespace: ...                   # optional: default CloudTrailMetrics
//	    dimensions: {Account: $.recipientAccountId}  # optional: at most 3
//	    fires: [ {record}, ... ]         # optional: records that must match (checked at synth)
//	    quiet: [ {record}, ... ]         # optional: records that must not match
type alarmsFile struct {
	Alarms []customAlarm `json:"alarms" yaml:"alarms"`
}

type customAlarm struct {
	ID          string            `json:"id" yaml:"id"`
	Pattern     string            `json:"pattern" yaml:"pattern"`
	Threshold   *float64          `json:"threshold" yaml:"threshold"`
	Period      int               `json:"period" yaml:"period"`
	Description customText        `json:"description" yaml:"description"`
	MetricName  string            `json:"metricName" yaml:"metricName"`
	AlarmName   string            `json:"alarmName" yaml:"alarmName"`
	Namespace   string            `json:"namespace" yaml:"namespace"`
	Dimensions  map[string]string `json:"dimensions" yaml:"dimensions"`
	Fires       []map[string]any  `json:"fires" yaml:"fires"`
	Quiet       []map[string]any  `json:"quiet" yaml:"quiet"`
}

// customText is a description by language code; row refuses a code not in catalog.Languages.
type customText map[string]string

// loadAlarmsFile reads, decodes (unknown fields are errors) and validates the custom alarms in
// path. builtIn are the rows of the selected profiles: custom IDs, metrics and alarm names must
// not collide with them. Every problem names the file, the entry and the field.
func loadAlarmsFile(path string, builtIn []catalog.Alarm) ([]catalog.Alarm, ErrorList) {
	in := Problem{Key: alarmsFileKey, File: path, Err: ErrAlarmsFile}
	var file alarmsFile
	if errs := readStrict(path, &file, in); len(errs) > 0 {
		return nil, errs
	}
	if len(file.Alarms) == 0 {
		return nil, ErrorList{in.with(`has no alarms (want a top-level "alarms" list with at least one entry)`)}
	}
	var rows []catalog.Alarm
	var errs ErrorList
	for i, c := range file.Alarms {
		entry := in
		entry.Entry = fmt.Sprintf("alarm %d (%s)", i+1, c.ID)
		row, missing := c.row()
		for _, fe := range missing {
			errs.Add(entry.field(fe))
		}
		for _, fe := range catalog.CheckRow(row) {
			if !coveredBy(fe.Field, missing) {
				errs.Add(entry.field(fe))
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
		for _, id := range identities(r) {
			if other, dup := seen[id]; dup {
				errs.Add(&Problem{Key: alarmsFileKey, File: path, Entry: fmt.Sprintf("alarm %d (%s)", i+1, r.ID), Field: id.field,
					Msg: fmt.Sprintf("%s is already used by %s", id.value, other), Err: ErrAlarmsFile})
			}
			seen[id] = fmt.Sprintf("alarm %d (%s) of this file", i+1, r.ID)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return rows, nil
}

// field returns a copy of p about the entry's field fe.
func (p Problem) field(fe *catalog.FieldError) *Problem {
	p.Field, p.Msg = fe.Field, fe.Msg
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
	codes := catalog.LanguageCodes()
	for _, code := range slices.Sorted(maps.Keys(c.Description)) {
		if !slices.Contains(codes, code) {
			problems = append(problems, &catalog.FieldError{Field: "description." + code,
				Msg: "is not a language trailwatch writes; allowed: " + strings.Join(codes, ", ")})
		}
	}
	row := catalog.Alarm{
		ID: c.ID, Pattern: c.Pattern, Threshold: threshold, PeriodSeconds: c.Period,
		Description: catalog.Text(c.Description),
		MetricName:  c.MetricName, AlarmName: c.AlarmName, Namespace: c.Namespace, Dimensions: c.Dimensions,
	}
	if row.MetricName == "" && c.ID != "" {
		row.MetricName = c.ID + "Count"
	}
	if row.AlarmName == "" && c.ID != "" {
		row.AlarmName = "CloudTrail" + c.ID
	}
	for _, list := range []struct {
		in  []map[string]any
		out *[]string
	}{{c.Fires, &row.Fires}, {c.Quiet, &row.Quiet}} {
		for _, rec := range list.in {
			b, err := json.Marshal(rec)
			if err != nil {
				problems = append(problems, &catalog.FieldError{Field: "fires/quiet", Msg: err.Error()})
				continue
			}
			*list.out = append(*list.out, string(b))
		}
	}
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

// decodeStrict decodes JSON (a .json file) or YAML (anything else) and refuses unknown fields,
// so a misspelt "treshold" is an error, not a silently missing value.
// It returns one problem per line.
func decodeStrict(path string, raw []byte, v any) []string {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) {
				line := bytes.Count(raw[:min(int(syn.Offset), len(raw))], []byte("\n")) + 1
				return []string{fmt.Sprintf("line %d: %v", line, err)}
			}
			if err == io.EOF {
				return []string{"is empty"}
			}
			return []string{err.Error()}
		}
		if dec.More() {
			return []string{"has more than one JSON document"}
		}
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	err := dec.Decode(v)
	var typeErr *yaml.TypeError
	switch {
	case err == nil:
		return nil
	case err == io.EOF:
		return []string{"is empty"}
	case errors.As(err, &typeErr):
		return typeErr.Errors // "line 3: field treshold not found in type ..."
	default:
		return []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
}
