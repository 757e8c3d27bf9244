package cloudtrail

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
)

// The scanner below finds where JSON values end without building them. Replay touches every byte
// of gigabytes of input, and the filter-pattern engine parses each record anyway, so this layer
// only needs boundaries and a few top-level fields; it does not validate (the engine reports a
// record that is not valid JSON).

// errIncomplete means the buffer ends before the value does: read more and try again.
var errIncomplete = errors.New("incomplete JSON value")

// errSyntax means the bytes cannot start or continue a JSON value.
var errSyntax = errors.New("malformed JSON")

// isSpace reports JSON insignificant whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// skipSpace returns the index of the first non-space byte of b at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// valueEnd returns the index just past the JSON value that starts at b[i] (which must not be
// space). It returns errIncomplete when b ends inside the value.
func valueEnd(b []byte, i int) (int, error) {
	if i >= len(b) {
		return i, errIncomplete // nothing of the value yet
	}
	switch c := b[i]; {
	case c == '{' || c == '[':
		return containerEnd(b, i)
	case c == '"':
		return stringEnd(b, i)
	case c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n':
		j := i + 1
		for j < len(b) && !isDelimiter(b[j]) {
			j++
		}
		if j == len(b) {
			// A bare number at the very end of the input is complete only at EOF; callers that
			// know they hit EOF treat errIncomplete on a scalar as the end.
			return j, errIncomplete
		}
		return j, nil
	default:
		return 0, errSyntax
	}
}

func isDelimiter(c byte) bool {
	return isSpace(c) || c == ',' || c == ']' || c == '}' || c == ':'
}

// stringEnd returns the index just past the string whose opening quote is b[i].
func stringEnd(b []byte, i int) (int, error) {
	j := i + 1
	for {
		// Eight bytes at a time while none is a quote or a backslash: most of a record is string
		// content, and most strings are too short for bytes.IndexByte's call to pay off.
		for j+8 <= len(b) && !quoteOrBackslash(binary.LittleEndian.Uint64(b[j:])) {
			j += 8
		}
		for j < len(b) && b[j] != '"' && b[j] != '\\' {
			j++
		}
		if j >= len(b) {
			return 0, errIncomplete
		}
		if b[j] == '"' {
			return j + 1, nil
		}
		j += 2 // a backslash escapes the next byte (the rest of \uXXXX is plain)
	}
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// quoteOrBackslash reports whether any of the 8 bytes in x is '"' or '\\' (SWAR: a byte is zero
// after XOR with the target exactly when it equals it).
func quoteOrBackslash(x uint64) bool {
	q := x ^ (lows * '"')
	s := x ^ (lows * '\\')
	return ((q-lows)&^q|(s-lows)&^s)&highs != 0
}

// containerEnd returns the index just past the object or array that opens at b[i].
func containerEnd(b []byte, i int) (int, error) {
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			e, err := stringEnd(b, j)
			if err != nil {
				return 0, err
			}
			j = e - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, errIncomplete
}

// Field is one top-level member of a JSON object: its raw key (without quotes, still escaped)
// and its raw value.
type Field struct {
	Key, Value []byte
}

// ObjectFields calls fn for each top-level member of the object obj, in order, until fn returns
// false. It returns errSyntax when obj is not an object it can walk.
func ObjectFields(obj []byte, fn func(f Field) bool) error {
	_, err := walkObject(obj, fn)
	return err
}

// walkObject is ObjectFields that also returns where it stopped: just past the last value fn saw.
func walkObject(obj []byte, fn func(f Field) bool) (stop int, err error) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return 0, errSyntax
	}
	i = skipSpace(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return i + 1, nil
	}
	for i < len(obj) {
		if obj[i] != '"' {
			return 0, errSyntax
		}
		ke, err := stringEnd(obj, i)
		if err != nil {
			return 0, errSyntax
		}
		key := obj[i+1 : ke-1]
		i = skipSpace(obj, ke)
		if i >= len(obj) || obj[i] != ':' {
			return 0, errSyntax
		}
		i = skipSpace(obj, i+1)
		ve, err := valueEnd(obj, i)
		if err != nil {
			return 0, errSyntax
		}
		if !fn(Field{Key: key, Value: obj[i:ve]}) {
			return ve, nil
		}
		i = skipSpace(obj, ve)
		if i >= len(obj) {
			return 0, errSyntax
		}
		switch obj[i] {
		case ',':
			i = skipSpace(obj, i+1)
		case '}':
			return i + 1, nil
		default:
			return 0, errSyntax
		}
	}
	return 0, errSyntax
}

// Lookup returns the raw values of the named top-level members of obj (nil where absent). Of
// duplicate keys the last one counts, as in the filter-pattern engine and CloudWatch Logs: one
// record has one eventTime, whoever reads it.
func Lookup(obj []byte, names ...string) [][]byte {
	out := make([][]byte, len(names))
	LookupInto(obj, names, out)
	return out
}

// LookupInto is Lookup without the allocation, for the per-record hot path. It stops as soon as
// every name is found, then makes sure no later duplicate overrides what it found: the rest of the
// object is searched for the quoted name (and for \u escapes, which could spell it) and walked in
// full only when one is there, which in CloudTrail records is rare.
func LookupInto(obj []byte, names []string, out [][]byte) {
	for i := range out {
		out[i] = nil
	}
	left := len(names) // names not found yet; the walk stops when there are none
	stop, _ := walkObject(obj, func(f Field) bool {
		for i, n := range names {
			if keyIs(f.Key, n) {
				if out[i] == nil {
					left--
				}
				out[i] = f.Value // of duplicates, the last one counts
				break
			}
		}
		return left != 0
	})
	if left != 0 {
		return // walked to the end (or to a fault): every value found is the last one
	}
	rest := obj[stop:]
	again := bytes.Contains(rest, []byte(`\u`))
	for _, n := range names {
		if again {
			break
		}
		again = bytes.Contains(rest, []byte(`"`+n+`"`))
	}
	if !again {
		return
	}
	_ = ObjectFields(obj, func(f Field) bool {
		for i, n := range names {
			if keyIs(f.Key, n) {
				out[i] = f.Value
				break
			}
		}
		return true
	})
}

// keyIs reports whether the raw key (still escaped) is name: "event\u0054ime" is eventTime.
func keyIs(raw []byte, name string) bool {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw) == name
	}
	s, err := unquote(append(append([]byte{'"'}, raw...), '"'))
	return err == nil && s == name
}

// StringValue returns the Go string of a raw JSON string value, or ok=false when raw is not a
// string. Escapes are decoded.
func StringValue(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner), true
	}
	s, err := unquote(raw)
	if err != nil {
		return "", false
	}
	return s, true
}

// unquote decodes a raw JSON string with escapes. It is off the hot path (escaped keys and
// lookup-events' embedded records), so it leans on encoding/json for exactness.
func unquote(raw []byte) (string, error) {
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}
