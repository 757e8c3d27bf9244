package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one problem with the configuration. Where it is goes from the outside in — the
// targets file and target, the context key, the file that key names and the entry and field in
// it — and each part that does not apply is empty. Its line names that place, the bad value and
// what is allowed.
type Problem struct {
	TargetsFile string // the targets file the problem is in, if any
	Target      string // the target in it: "target 2 (123456789012/us-east-1)", "defaults"
	Key         string // the context key
	File        string // the file Key names (alarmsFile), when the problem is inside it
	Line        int    // the line of the innermost file (File, else TargetsFile); 0: not known
	Entry       string // the entry of File: "alarm 2 (RootLogin)"
	Field       string // the entry's field: "threshold"
	Value       any    // the value as given; nil when missing or not one value
	Msg         string // what is wrong: "is not an email address"
	Allowed     string // what would be accepted; "" when Msg says it
	Err         error  // ErrMissing, ErrInvalid, ErrUnknownKey, ErrAlarmsFile or ErrTargetsFile
}

func (p *Problem) Error() string {
	var parts []string
	line := ""
	if p.Line > 0 {
		line = fmt.Sprintf("line %d", p.Line)
	}
	if p.TargetsFile != "" {
		parts = append(parts, "targetsFile", p.TargetsFile)
		if p.File == "" && line != "" {
			parts = append(parts, line)
		}
	}
	for i, s := range []string{p.Target, p.Key, p.File, p.Entry, p.Field} {
		if s != "" {
			parts = append(parts, s)
		}
		if i == 2 && s != "" && line != "" { // the line follows the file it is in
			parts = append(parts, line)
		}
	}
	var what string
	switch {
	case errors.Is(p.Err, ErrMissing):
		what = "required but not set"
	case p.Value != nil:
		what = quote(p.Value) + " " + p.Msg
	default:
		what = p.Msg
	}
	if p.Allowed != "" {
		what += "; allowed: " + p.Allowed
	}
	return oneLine(strings.Join(append(parts, what), ": "))
}

// oneLine escapes what is not printable (a line break in a path, a control character in a file),
// so every problem is exactly one line and cannot forge another or reach the terminal raw.
func oneLine(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"): // a byte that is not UTF-8
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unicode.IsPrint(r): // the space is printable
			q := strconv.QuoteToGraphic(string(r))
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (p *Problem) Unwrap() error { return p.Err }

// Is matches ErrTargetsFile for every problem in a targets file, and ErrInvalid for every problem
// with a file (its Err is the file's sentinel).
func (p *Problem) Is(target error) bool {
	switch target {
	case ErrTargetsFile:
		return p.TargetsFile != ""
	case ErrInvalid:
		return p.TargetsFile != "" || p.Err == ErrAlarmsFile || p.Err == ErrTargetsFile
	}
	return false
}

// maxShown is the most characters of a value a problem line shows.
const maxShown = 256

// quote shows a value in the user's words: a text quoted, a number as written, a list or map in
// JSON (never Go's map[...] or []interface {}).
func quote(v any) string {
	switch x := v.(type) {
	case string:
		if r := []rune(x); len(r) > maxShown {
			return strconv.Quote(string(r[:maxShown])) + fmt.Sprintf("… (%d characters)", len(r))
		}
		return strconv.Quote(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any, map[string]any:
		b, err := json.Marshal(x)
		if err != nil || len(b) > 200 {
			return "(a list or map)"
		}
		return string(b)
	}
	return fmt.Sprintf("%v", v)
}

// ErrorList is a list of problems, as go/scanner's: the app prints one line per problem.
// The zero value is an empty list, ready to use.
type ErrorList []*Problem

// Add appends p.
func (l *ErrorList) Add(p *Problem) { *l = append(*l, p) }

// Error joins the problems' lines.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, p := range l {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As see every problem.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, p := range l {
		out[i] = p
	}
	return out
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// In returns copies of the problems placed inside target of the targets file path.
func (l ErrorList) In(path, target string) ErrorList {
	out := make(ErrorList, len(l))
	for i, p := range l {
		q := *p
		q.TargetsFile, q.Target = path, target
		out[i] = &q
	}
	return out
}

// Problems returns err's problems: the list, or err as one problem when it is not one. The app
// prints them one a line.
func Problems(err error) ErrorList {
	var list ErrorList
	if err == nil {
		return nil
	}
	if errors.As(err, &list) {
		return list
	}
	var p *Problem
	if errors.As(err, &p) {
		return ErrorList{p}
	}
	return ErrorList{{Msg: err.Error(), Err: err}}
}
