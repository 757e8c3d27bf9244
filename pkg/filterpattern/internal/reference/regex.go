package reference

import (
	"errors"
	"strconv"
	"strings"
)

// The %regex% subset of SEMANTICS.md ("Regular expressions"), parsed into branches of items and
// matched by a memoized backtracking search. Every atom matches exactly one character, so an
// item is a character test with a repetition range, and "does the rest match from here" has
// only (item, position) states.

type regexTree struct {
	branches [][]regexItem
}

type regexItem struct {
	anchor   byte            // '^' or '$', or 0 for a character item
	test     func(rune) bool // for a character item
	min, max int             // repetitions; max < 0 is unbounded
}

const regexLiteralSymbols = ":_#=@/;,- "
const regexOperatorChars = `^$?[]{}|\*+.`

func isPlainRegexChar(c byte) bool {
	return isLetterOrDigit(c) || strings.IndexByte(regexLiteralSymbols, c) >= 0
}

// shorthand classes as SEMANTICS.md defines them.
func shorthand(letter byte) (func(rune) bool, bool) {
	var in func(rune) bool
	switch letter | 0x20 {
	case 'd':
		in = func(r rune) bool { return r >= '0' && r <= '9' }
	case 'w':
		in = func(r rune) bool { return r < 128 && (isLetterOrDigit(byte(r)) || r == '_') }
	case 's':
		in = func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }
	default:
		return nil, false
	}
	if letter >= 'A' && letter <= 'Z' {
		return func(r rune) bool { return !in(r) }, true
	}
	return in, true
}

type regexReader struct {
	s    string
	i    int
	cost int
}

// parseRegex parses the text between the % signs and returns its matching cost (SEMANTICS.md
// "Matching cost").
func parseRegex(src string) (*regexTree, int, error) {
	if src == "" {
		return nil, 0, errors.New("empty regex")
	}
	rd := &regexReader{s: src}
	t := &regexTree{}
	for {
		var branch []regexItem
		for rd.i < len(rd.s) && rd.s[rd.i] != '|' {
			it, err := rd.item()
			if err != nil {
				return nil, 0, err
			}
			branch = append(branch, it)
		}
		if len(branch) == 0 {
			return nil, 0, errors.New("empty alternative")
		}
		t.branches = append(t.branches, branch)
		if rd.i == len(rd.s) {
			return t, rd.cost, nil
		}
		rd.i++ // '|'
	}
}

func (rd *regexReader) item() (regexItem, error) {
	c := rd.s[rd.i]
	var it regexItem
	switch {
	case c == '^' || c == '$':
		rd.i++
		if rd.i < len(rd.s) && strings.IndexByte("?*+{", rd.s[rd.i]) >= 0 {
			return it, errors.New("an anchor cannot repeat")
		}
		return regexItem{anchor: c}, nil
	case c == '.':
		rd.i++
		it.test = func(r rune) bool { return r != '\n' }
	case c == '[':
		f, err := rd.class()
		if err != nil {
			return it, err
		}
		it.test = f
	case c == '\\':
		f, _, err := rd.escape(false)
		if err != nil {
			return it, err
		}
		it.test = f
	case isPlainRegexChar(c):
		rd.i++
		lit := rune(c)
		it.test = func(r rune) bool { return r == lit }
	default:
		return it, errors.New("character not allowed in a regex: " + strconv.QuoteRune(rune(c)))
	}
	it.min, it.max = 1, 1
	times := 1
	if rd.i < len(rd.s) && strings.IndexByte("?*+{", rd.s[rd.i]) >= 0 {
		switch rd.s[rd.i] {
		case '?':
			it.min, it.max = 0, 1
			rd.i++
		case '*':
			it.min, it.max = 0, -1
			rd.i++
		case '+':
			it.min, it.max = 1, -1
			rd.i++
		case '{':
			m, n, t, err := rd.counted()
			if err != nil {
				return it, err
			}
			it.min, it.max, times = m, n, t
		}
		if rd.i < len(rd.s) && strings.IndexByte("?*+{", rd.s[rd.i]) >= 0 {
			return it, errors.New("a repetition after a repetition")
		}
	}
	rd.cost += times
	return it, nil
}

// counted reads {m}, {m,}, {,n} or {m,n} and returns the range and its cost.
func (rd *regexReader) counted() (lo, hi, cost int, err error) {
	end := strings.IndexByte(rd.s[rd.i:], '}')
	if end < 0 {
		return 0, 0, 0, errors.New("'{' without '}'")
	}
	body := rd.s[rd.i+1 : rd.i+end]
	rd.i += end + 1
	parts := strings.Split(body, ",")
	if len(parts) > 2 {
		return 0, 0, 0, errors.New("bad repetition")
	}
	num := func(s string) (int, bool) {
		if s == "" {
			return -1, true
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
		}
		if len(strings.TrimLeft(s, "0")) > 4 {
			return maxRepeatCount + 1, true
		}
		v, _ := strconv.Atoi(s)
		return v, true
	}
	m, ok1 := num(parts[0])
	if len(parts) == 1 {
		if !ok1 || m < 0 {
			return 0, 0, 0, errors.New("bad repetition")
		}
		if m > maxRepeatCount {
			return 0, 0, 0, errors.New("repetition above 1000 (unsupported)")
		}
		return m, m, m, nil
	}
	n, ok2 := num(parts[1])
	if !ok1 || !ok2 || (m < 0 && n < 0) {
		return 0, 0, 0, errors.New("bad repetition")
	}
	if m > maxRepeatCount || n > maxRepeatCount {
		return 0, 0, 0, errors.New("repetition above 1000 (unsupported)")
	}
	if m < 0 {
		m = 0
	}
	if n < 0 {
		return m, -1, m + 1, nil
	}
	if n < m {
		return 0, 0, 0, errors.New("repetition range out of order")
	}
	return m, n, n, nil
}

// escape reads a backslash sequence. lit is the single character it stands for, or -1 for a
// shorthand class.
func (rd *regexReader) escape(inClass bool) (f func(rune) bool, lit rune, err error) {
	if rd.i+1 >= len(rd.s) {
		return nil, 0, errors.New("'\\' at the end")
	}
	c := rd.s[rd.i+1]
	rd.i += 2
	if g, ok := shorthand(c); ok {
		if inClass && c >= 'A' && c <= 'Z' {
			return nil, 0, errors.New("negated shorthand inside [...] (unsupported)")
		}
		return g, -1, nil
	}
	switch {
	case c == 'x':
		if rd.i+2 > len(rd.s) {
			return nil, 0, errors.New("\\x needs two hex digits")
		}
		v, perr := strconv.ParseUint(rd.s[rd.i:rd.i+2], 16, 8)
		if perr != nil || strings.ContainsAny(rd.s[rd.i:rd.i+2], "+-") {
			return nil, 0, errors.New("\\x needs two hex digits")
		}
		if v > 0x7f {
			return nil, 0, errors.New("\\x above 7F")
		}
		rd.i += 2
		lit = rune(v)
	case strings.IndexByte(regexOperatorChars, c) >= 0:
		lit = rune(c)
	default:
		return nil, 0, errors.New("unsupported escape")
	}
	return func(r rune) bool { return r == lit }, lit, nil
}

// class reads [...]: an optional '^', then characters, ranges a-z and escapes; '-' literal first
// or last; '[' must be escaped.
func (rd *regexReader) class() (func(rune) bool, error) {
	rd.i++
	negate := false
	if rd.i < len(rd.s) && rd.s[rd.i] == '^' {
		negate = true
		rd.i++
	}
	var tests []func(rune) bool
	first := true
	for {
		if rd.i >= len(rd.s) {
			return nil, errors.New("unterminated [...]")
		}
		if rd.s[rd.i] == ']' {
			if first {
				return nil, errors.New("empty []")
			}
			rd.i++
			break
		}
		lo, loLit, err := rd.classMember(first)
		if err != nil {
			return nil, err
		}
		first = false
		if loLit >= 0 && rd.i+1 < len(rd.s) && rd.s[rd.i] == '-' && rd.s[rd.i+1] != ']' {
			rd.i++
			_, hiLit, err := rd.classMember(false)
			if err != nil {
				return nil, err
			}
			if hiLit < 0 {
				return nil, errors.New("a range needs a character at both ends")
			}
			if hiLit < loLit {
				return nil, errors.New("range out of order")
			}
			a, b := loLit, hiLit
			tests = append(tests, func(r rune) bool { return r >= a && r <= b })
			continue
		}
		tests = append(tests, lo)
	}
	return func(r rune) bool {
		in := false
		for _, t := range tests {
			if t(r) {
				in = true
				break
			}
		}
		return in != negate
	}, nil
}

func (rd *regexReader) classMember(first bool) (func(rune) bool, rune, error) {
	c := rd.s[rd.i]
	switch {
	case c == '\\':
		return rd.escape(true)
	case c == '[':
		return nil, 0, errors.New("'[' inside [...] must be escaped")
	case c == '-':
		if !first && rd.i+1 < len(rd.s) && rd.s[rd.i+1] != ']' {
			return nil, 0, errors.New("'-' in the middle of [...]")
		}
	case isPlainRegexChar(c) || strings.IndexByte(regexOperatorChars, c) >= 0:
	default:
		return nil, 0, errors.New("character not allowed in a regex")
	}
	rd.i++
	lit := rune(c)
	return func(r rune) bool { return r == lit }, lit, nil
}

// search reports whether the regex matches anywhere in text; '^' and '$' are the ends of text.
func (t *regexTree) search(text string) bool {
	runes := []rune(text)
	for _, b := range t.branches {
		m := &matcher{items: b, text: runes, memo: map[[2]int]bool{}}
		for start := 0; start <= len(runes); start++ {
			if m.from(0, start) {
				return true
			}
		}
	}
	return false
}

type matcher struct {
	items []regexItem
	text  []rune
	memo  map[[2]int]bool
}

// from reports whether items[i:] match text starting at pos (to any end).
func (m *matcher) from(i, pos int) bool {
	if i == len(m.items) {
		return true
	}
	key := [2]int{i, pos}
	if v, ok := m.memo[key]; ok {
		return v
	}
	it := m.items[i]
	ok := false
	switch it.anchor {
	case '^':
		ok = pos == 0 && m.from(i+1, pos)
	case '$':
		ok = pos == len(m.text) && m.from(i+1, pos)
	default:
		run := 0
		for pos+run < len(m.text) && (it.max < 0 || run < it.max) && it.test(m.text[pos+run]) {
			run++
		}
		for k := it.min; k <= run && !ok; k++ {
			ok = m.from(i+1, pos+k)
		}
	}
	m.memo[key] = ok
	return ok
}
