package config

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// alarmFields are the fields of an entry of the alarms file, in the order the docs give them.
var alarmFields = []string{"id", "pattern", "threshold", "period", "description", "metricName", "alarmName", "namespace", "dimensions", "fires", "quiet"}

// alarmEntry is one entry of the alarms file, with the lines of its fields.
type alarmEntry struct {
	alarm  customAlarm
	line   int
	lines  fieldLines
	failed map[string]bool // fields whose kind of value is wrong ("dimensions.User"; reported already)
}

// fieldLines are the lines of an entry's fields: "threshold", "description.en", "fires[2]" (a
// description's are set for every language, a list's for each item); 0: not given.
type fieldLines map[string]int

// alarmEntries reads the entries of a parsed alarms file: a map with an "alarms" list, or (the
// intent being clear) the list itself.
func alarmEntries(root *node, in Problem) ([]alarmEntry, ErrorList) {
	at := func(n *node, msg string) ErrorList {
		p := in.with(msg)
		p.Line = n.line
		return ErrorList{p}
	}
	list := root
	switch root.kind {
	case mapNode:
		list = nil
		for i, k := range root.keys {
			if k.text != "alarms" {
				hint := ""
				if near := nearest(k.text, []string{"alarms"}); near != "" {
					hint = "did you mean alarms? "
				}
				return nil, at(k, fmt.Sprintf("%s is not a top-level key of an alarms file; %sallowed: alarms (the list of alarms)", strconv.Quote(k.text), hint))
			}
			list = root.items[i]
		}
		if list == nil || list.kind == nullNode {
			return nil, nil
		}
		if list.kind != listNode {
			return nil, at(list, fmt.Sprintf("alarms is %s; allowed: a list of alarms", list.kind.name()))
		}
	case listNode:
	case nullNode:
		return nil, nil
	default:
		return nil, at(root, fmt.Sprintf("is %s; allowed: a map with an \"alarms\" list, or a list of alarms", root.kind.name()))
	}
	var out []alarmEntry
	var errs ErrorList
	for i, item := range list.items {
		e, problems := alarmEntryOf(item, i, in)
		errs = append(errs, problems...)
		out = append(out, e)
	}
	return out, errs
}

// alarmEntryOf reads one entry; problems with its fields' kinds are reported here, problems with
// their values by CheckRow and limitProblems.
func alarmEntryOf(n *node, i int, in Problem) (alarmEntry, ErrorList) {
	e := alarmEntry{line: n.line, lines: fieldLines{}, failed: map[string]bool{}}
	var errs ErrorList
	entry := in
	entry.Entry = entryName(i, "")
	entry.Line = n.line
	if n.kind != mapNode {
		e.failed["entry"] = true
		return e, ErrorList{entry.with(fmt.Sprintf("is %s; allowed: a map of fields (%s)", n.kind.name(), strings.Join(alarmFields, ", ")))}
	}
	// The entry's label names its ID, when it has one read as text (a number written bare
	// included), as every later problem of the entry names it.
	for j, k := range n.keys {
		if id, ok := n.items[j].textValue(); k.text == "id" && ok {
			entry.Entry = entryName(i, id)
		}
	}
	bad := func(field string, v *node, msg, allowed string) {
		e.failed[field] = true
		p := entry
		p.Field, p.Line, p.Msg, p.Allowed, p.Value = field, v.line, msg, allowed, v.shown()
		errs.Add(&p)
	}
	a := &e.alarm
	for j, k := range n.keys {
		v := n.items[j]
		field := k.text
		e.lines[field] = k.line
		switch field {
		case "id", "pattern", "metricName", "alarmName", "namespace":
			s, ok := v.textValue()
			if !ok {
				bad(field, v, "is "+v.kind.name(), "a text")
				continue
			}
			*map[string]*string{"id": &a.ID, "pattern": &a.Pattern, "metricName": &a.MetricName, "alarmName": &a.AlarmName, "namespace": &a.Namespace}[field] = s
		case "threshold":
			f, ok := v.number()
			if v.kind == stringNode { // "1" from JSON: the intent is clear
				var err error
				f, err = strconv.ParseFloat(strings.TrimSpace(v.text), 64)
				ok = err == nil && !isNotFinite(f)
			}
			if !ok {
				bad(field, v, "is not a finite number", "a number greater than 0, such as 1 (events in one period)")
				continue
			}
			a.Threshold = &f
		case "period":
			p, ok := v.whole()
			if !ok {
				bad(field, v, "is not a whole number of seconds", "a multiple of 60 from 60 to 86400")
				continue
			}
			a.Period = p
		case "description":
			desc, problems := descriptionOf(v, entry)
			errs = append(errs, problems...)
			if len(problems) > 0 {
				e.failed[field] = true
			}
			a.Description = desc
			for _, l := range catalog.Languages {
				e.lines["description."+l.Code] = v.line
			}
		case "dimensions":
			if v.kind == nullNode {
				continue
			}
			if v.kind != mapNode {
				bad(field, v, "is "+v.kind.name(), "a map of up to 3 dimension names to record fields, e.g. {Account: $.recipientAccountId}")
				continue
			}
			a.Dimensions = map[string]string{}
			for d, dk := range v.keys {
				s, ok := v.items[d].textValue()
				if !ok {
					bad(field+"."+dk.text, v.items[d], "is "+v.items[d].kind.name(), "a record field such as $.recipientAccountId")
					continue
				}
				a.Dimensions[dk.text] = s
			}
		case "fires", "quiet":
			records, problems := recordsOf(v, field, entry)
			errs = append(errs, problems...)
			if len(problems) > 0 {
				e.failed[field] = true
			}
			for r := range records {
				e.lines[fmt.Sprintf("%s[%d]", field, r+1)] = v.items[r].line
			}
			if field == "fires" {
				a.Fires = records
			} else {
				a.Quiet = records
			}
		default:
			hint := ""
			if near := nearest(field, alarmFields); near != "" {
				hint = "did you mean " + near + "? "
				e.failed[near] = true // not "threshold: is required" as well
			}
			p := entry
			p.Field, p.Line, p.Msg = label(field), k.line, "is not a field of an alarm; "+hint+"allowed: "+strings.Join(alarmFields, ", ")
			errs.Add(&p)
		}
	}
	return e, errs
}

func isNotFinite(f float64) bool { return math.IsInf(f, 0) || math.IsNaN(f) }

// textValue reads a text field: a string, or (the intent being clear) a number written bare.
func (n *node) textValue() (string, bool) {
	switch n.kind {
	case stringNode, numberNode:
		return n.text, true
	}
	return "", false
}

// descriptionOf reads a description: a text (English), or a map of language codes to texts.
func descriptionOf(v *node, entry Problem) (catalog.Text, ErrorList) {
	codes := catalog.LanguageCodes()
	allowed := "a text (English), or a map of " + strings.Join(codes, ", ") + " to texts, e.g. {en: ..., ja: ...}"
	bad := func(field string, n *node, msg string) ErrorList {
		p := entry
		p.Field, p.Line, p.Msg, p.Allowed, p.Value = field, n.line, msg, allowed, n.shown()
		return ErrorList{&p}
	}
	switch v.kind {
	case stringNode:
		return catalog.Text{catalog.DefaultLanguage(): v.text}, nil
	case mapNode:
	default:
		return catalog.Text{}, bad("description", v, "is "+v.kind.name())
	}
	t := catalog.Text{}
	var errs ErrorList
	for i, k := range v.keys {
		s, ok := v.items[i].textValue()
		switch {
		case !slices.Contains(codes, k.text):
			p := entry
			p.Field, p.Line, p.Msg, p.Allowed = "description."+label(k.text), k.line, "is not a language trailwatch writes", strings.Join(codes, ", ")
			errs.Add(&p)
		case !ok:
			errs = append(errs, bad("description."+k.text, v.items[i], "is "+v.items[i].kind.name())...)
		default:
			t[k.text] = s
		}
	}
	return t, errs
}

// recordsOf reads fires or quiet: a list of records (maps), each turned into JSON.
func recordsOf(v *node, field string, entry Problem) ([]string, ErrorList) {
	const allowed = "a list of CloudTrail records, each a map such as {eventName: CreateUser}"
	bad := func(f string, n *node, msg string) ErrorList {
		p := entry
		p.Field, p.Line, p.Msg, p.Allowed = f, n.line, msg, allowed
		return ErrorList{&p}
	}
	if v.kind == nullNode {
		return nil, nil
	}
	if v.kind != listNode {
		return nil, bad(field, v, "is "+v.kind.name())
	}
	var out []string
	var errs ErrorList
	for i, item := range v.items {
		f := fmt.Sprintf("%s[%d]", field, i+1)
		if item.kind != mapNode {
			errs = append(errs, bad(f, item, "is "+item.kind.name())...)
			continue
		}
		rec, lerr := item.record()
		if lerr != nil { // its message says what is allowed instead
			p := entry
			p.Field, p.Line, p.Msg = f, lerr.line, lerr.msg
			errs.Add(&p)
			continue
		}
		b, _ := json.Marshal(rec) // record gives only finite numbers and valid JSON numbers
		out = append(out, string(b))
	}
	return out, errs
}

// nearest returns the name of names that s is probably a typo of (case or up to two edits), or "".
func nearest(s string, names []string) string {
	if len(s) > 64 {
		return ""
	}
	best, bestDist := "", 3
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}
