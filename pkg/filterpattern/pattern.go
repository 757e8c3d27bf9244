package filterpattern

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxLen is the longest filter pattern CloudWatch Logs accepts, in characters (MetricFilter and
// PutMetricFilter API references: filterPattern "Maximum length of 1024").
const MaxLen = 1024

// Pattern is a parsed filter pattern. It is immutable: one Pattern may be matched, and put in any
// number of Sets, from many goroutines at once.
type Pattern struct {
	src      string
	matchAll bool
	conds    []cond
	root     node
	single   *Set // a Set of this pattern alone, behind Match
	// reSrc holds, by index into conds, the source of each %regex% value (between the '%'s),
	// for Canonical.
	reSrc map[int]string
}

// Parse parses a CloudWatch Logs filter pattern. It accepts the empty pattern (only whitespace),
// which matches every log event, and JSON patterns { ... } as described in SEMANTICS.md. Term
// patterns, space-delimited patterns and other constructs whose meaning the AWS documentation does
// not pin down are rejected with an error that matches ErrUnsupported. Every error is a
// *SyntaxError giving the 1-based column and what was expected there.
func Parse(pattern string) (*Pattern, error) {
	if !utf8.ValidString(pattern) {
		i := 0
		for i < len(pattern) {
			r, n := utf8.DecodeRuneInString(pattern[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return nil, &SyntaxError{Col: utf8.RuneCountInString(pattern[:i]) + 1, Msg: "pattern is not valid UTF-8"}
	}
	if n := utf8.RuneCountInString(pattern); n > MaxLen {
		return nil, &SyntaxError{Col: MaxLen + 1, Msg: fmt.Sprintf("pattern is %d characters long; CloudWatch Logs allows at most %d", n, MaxLen)}
	}
	p := &Pattern{src: pattern}
	ps := parser{src: pattern}
	ps.ws()
	switch {
	case ps.eof():
		p.matchAll = true
	case ps.peek() == '{':
		root, err := ps.json()
		if err != nil {
			return nil, err
		}
		p.root, p.conds, p.reSrc = root, ps.conds, ps.reSrc
	case ps.peek() == '[':
		return nil, ps.unsupported(ps.i, "space-delimited patterns [field, ...]; the engine evaluates JSON patterns { ... } and the empty pattern")
	case ps.peek() == '%':
		return nil, ps.unsupported(ps.i, "a standalone %%regex%% pattern; the engine evaluates JSON patterns { ... } and the empty pattern")
	default:
		return nil, ps.unsupported(ps.i, "term patterns such as ERROR or \"two words\"; the engine evaluates JSON patterns { ... } and the empty pattern")
	}
	p.single = NewSet(p)
	return p, nil
}

// String returns the pattern's source text, exactly as given to Parse.
func (p *Pattern) String() string { return p.src }

// MatchesAll reports whether p is the empty pattern, which matches every log event, JSON or not.
func (p *Pattern) MatchesAll() bool { return p.matchAll }

// Match reports whether the log event record matches p. A JSON pattern never matches a record that
// is not a JSON object; the empty pattern matches every record. Match allocates nothing in the
// steady state and is safe for concurrent use. To match many patterns, use a Set, which reads the
// record once for all of them.
func (p *Pattern) Match(record []byte) bool {
	var hit [1]bool
	_ = p.single.Match(record, hit[:])
	return hit[0]
}

// parser reads a pattern left to right; i is a byte offset into src.
type parser struct {
	src       string
	i         int
	lastEnd   int // end of the last complete operand, for "after ..." in messages
	conds     []cond
	regexes   int
	regexCost int // MaxRegexCost units spent by the regexes so far
	reSrc     map[int]string
}

func (ps *parser) eof() bool  { return ps.i >= len(ps.src) }
func (ps *parser) peek() byte { return ps.src[ps.i] }

func (ps *parser) ws() {
	for ps.i < len(ps.src) && isSpace(ps.src[ps.i]) {
		ps.i++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// col converts a byte offset to a 1-based column in characters.
func (ps *parser) col(i int) int { return utf8.RuneCountInString(ps.src[:i]) + 1 }

func (ps *parser) errf(i int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Col: ps.col(i), Msg: fmt.Sprintf(format, args...)}
}

func (ps *parser) unsupported(i int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Col: ps.col(i), Msg: "not supported: " + fmt.Sprintf(format, args...), Unsupported: true}
}

// snippet is the source between start and the last complete operand, for "after ..." messages.
// It is called only after an operand parsed past start, so lastEnd >= start.
func (ps *parser) snippet(start int) string {
	s := strings.TrimSpace(ps.src[start:ps.lastEnd])
	if n := utf8.RuneCountInString(s); n > 40 {
		r := []rune(s)
		s = "..." + string(r[n-37:])
	}
	return s
}

// found describes the text at i for "found ..." in messages.
func (ps *parser) found(i int) string {
	if i >= len(ps.src) {
		return "the end of the pattern"
	}
	if isSpace(ps.src[i]) {
		return "whitespace"
	}
	j := i
	for j < len(ps.src) && !isSpace(ps.src[j]) && j-i < 20 {
		_, n := utf8.DecodeRuneInString(ps.src[j:])
		j += n
	}
	return fmt.Sprintf("%q", ps.src[i:j])
}

// Regexes returns how many %regex% values the pattern has. CloudWatch Logs allows at most 2 per
// pattern (Parse enforces it) and at most 5 across the metric filters of one log group, which a
// caller putting several patterns on one group must check.
func (p *Pattern) Regexes() int {
	n := 0
	for _, c := range p.conds {
		if c.kind == operandRegex {
			n++
		}
	}
	return n
}
