package filterpattern

import (
	"strings"
	"unicode/utf8"
)

// maxIndex bounds array indices so they fit an int everywhere.
const maxIndex = 1<<31 - 1

// selector parses $.name, $.a.b, $.a[0], $.a[0][1] and $.['name.with.dots'].
//
// The user guide: "Property selectors always start with dollar sign ($) ... Property selectors are
// alphanumeric strings that also support '-' and '_' characters. Array elements are denoted with
// [NUMBER] syntax, and must follow a property." and "If the JSON property contains a period
// ("."), then the bracket notation may be used to select that property", shown as
// { $.['cluster.name'] = "c" }. The JSON wildcard selectors ($.a[*], $.*) are documented without
// saying how != or NOT EXISTS treat them, so they are rejected as unsupported.
func (ps *parser) selector() ([]step, error) {
	ps.i++ // '$'
	if ps.eof() || ps.peek() != '.' {
		return nil, ps.errf(ps.i, "expected '.' after '$' (a selector starts with '$.' and an array index must follow a property)")
	}
	var path []step
	for !ps.eof() {
		switch ps.peek() {
		case '.':
			ps.i++
			s, err := ps.property()
			if err != nil {
				return nil, err
			}
			path = append(path, s)
		case '[':
			s, err := ps.index()
			if err != nil {
				return nil, err
			}
			path = append(path, s)
		default:
			if c := ps.peek(); !isSpace(c) && strings.IndexByte("=!<>)}&|", c) < 0 {
				r, _ := utf8.DecodeRuneInString(ps.src[ps.i:])
				return nil, ps.errf(ps.i, "unexpected %q in selector; property names hold only letters A-Z a-z, digits, '-' and '_' (use $.['name'] for other names)", r)
			}
			return path, nil
		}
	}
	return path, nil
}

func isNameByte(c byte) bool { return isAlnum(c) || c == '-' || c == '_' }

// property parses what follows a '.': a name or a bracket-quoted name.
func (ps *parser) property() (step, error) {
	if strings.HasPrefix(ps.src[ps.i:], "['") {
		open := ps.i
		ps.i += 2
		end := strings.Index(ps.src[ps.i:], "']")
		if end < 0 {
			return step{}, ps.errf(open, "unterminated ['name']: expected a closing \"']\"")
		}
		name := ps.src[ps.i : ps.i+end]
		switch {
		case name == "":
			return step{}, ps.errf(open, "empty property name in ['']")
		case strings.ContainsAny(name, `'\`):
			return step{}, ps.unsupported(open, "quotes or backslashes inside ['name'] (the user guide shows no escapes there)")
		}
		for _, r := range name {
			if r < 0x20 || r == 0x7f {
				return step{}, ps.unsupported(open, "control characters inside ['name']")
			}
		}
		ps.i += end + 2
		return step{name: name}, nil
	}
	if !ps.eof() && ps.peek() == '*' {
		return step{}, ps.unsupported(ps.i, "the wildcard selector .* (the user guide does not define how !=, NOT EXISTS or IS NULL apply to it)")
	}
	start := ps.i
	for !ps.eof() && isNameByte(ps.peek()) {
		ps.i++
	}
	if ps.i == start {
		return step{}, ps.errf(ps.i, "expected a property name (letters, digits, '-' or '_') after '.', found %s", ps.found(ps.i))
	}
	return step{name: ps.src[start:ps.i]}, nil
}

// index parses [N].
func (ps *parser) index() (step, error) {
	open := ps.i
	ps.i++
	if !ps.eof() && ps.peek() == '*' {
		return step{}, ps.unsupported(ps.i, "the wildcard selector [*] (the user guide does not define how !=, NOT EXISTS or IS NULL apply to it)")
	}
	start := ps.i
	n := 0
	for !ps.eof() && isDigit(ps.peek()) {
		if n <= maxIndex {
			n = n*10 + int(ps.peek()-'0')
		}
		ps.i++
	}
	digits := ps.src[start:ps.i]
	switch {
	case digits == "":
		return step{}, ps.errf(ps.i, "expected an array index (digits) after '[', found %s", ps.found(ps.i))
	case len(digits) > 1 && digits[0] == '0':
		return step{}, ps.unsupported(start, "the array index %s with a leading zero", digits)
	case n > maxIndex:
		return step{}, ps.unsupported(start, "the array index %s, larger than %d", digits, maxIndex)
	}
	if ps.eof() || ps.peek() != ']' {
		return step{}, ps.errf(ps.i, "expected ']' after [%s, found %s", ps.src[open+1:ps.i], ps.found(ps.i))
	}
	ps.i++
	return step{index: n, isIndex: true}, nil
}
