// Package reference is a second, deliberately naive evaluator of CloudWatch Logs JSON filter
// patterns, written from the grammar and rules in ../../SEMANTICS.md and nothing else. It exists
// only so that the tests of package filterpattern can compare the engine with something that
// shares no code with it: being a separate package, it cannot call the engine's parser, scanner,
// number or regex code, and the engine's tests import it, so it cannot import the engine either.
//
// Clarity over speed throughout:
//   - a recursive-descent parser over the pattern text, one function per grammar rule;
//   - records decoded whole with encoding/json (UseNumber) into maps and slices;
//   - numbers compared exactly by normalizing both spellings to digits and a decimal exponent;
//   - %regex% values parsed into a small tree of items and matched by a memoized backtracking
//     search over the value's characters (no package regexp).
//
// Parse reports only whether a pattern is accepted (with a short reason); it does not try to
// reproduce the engine's messages or columns.
package reference

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"unicode/utf8"
)

// ErrUnknown is returned by Match for inputs the reference declines to judge: numbers whose
// exponent is beyond ±2^48, where SEMANTICS.md lets the engine compare by digits alone.
var ErrUnknown = errors.New("reference: cannot judge")

// Limits from SEMANTICS.md.
const (
	maxPatternChars = 1024
	maxRegexes      = 2
	maxRepeatCount  = 1000
	maxRegexCost    = 256
	maxArrayIndex   = 1<<31 - 1
)

// Pattern is a parsed pattern.
type Pattern struct {
	all  bool // the empty pattern
	expr expr
}

// expr is a boolean expression: an or-list of and-lists, or one comparison.
type expr struct {
	or, and []expr // exactly one of or, and, cmp is set
	cmp     *comparison
}

type comparison struct {
	path []any // string (member name) or int (array index)
	op   string
	// exactly one of the following describes the right-hand side
	str    *wildString // quoted or unquoted string
	num    string      // unquoted number, as written
	re     *regexTree
	noData bool // IS NULL, IS TRUE, IS FALSE, NOT EXISTS
}

type wildString struct {
	text        string
	first, last bool // '*' wildcard at the start / end
}

// Parse parses src and reports whether the pattern is accepted.
func Parse(src string) (*Pattern, error) {
	if !utf8.ValidString(src) {
		return nil, errors.New("invalid UTF-8")
	}
	if utf8.RuneCountInString(src) > maxPatternChars {
		return nil, errors.New("longer than 1024 characters")
	}
	p := &rparser{s: src}
	p.skipSpace()
	if p.pos == len(p.s) {
		return &Pattern{all: true}, nil
	}
	if p.s[p.pos] != '{' {
		return nil, errors.New("only the empty pattern and JSON patterns are evaluated")
	}
	p.pos++
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if !p.eat("}") {
		return nil, p.fail("expected '}'")
	}
	p.skipSpace()
	if p.pos != len(p.s) {
		return nil, p.fail("text after the closing '}'")
	}
	return &Pattern{expr: e}, nil
}

type rparser struct {
	s         string
	pos       int
	regexes   int
	regexCost int
}

func (p *rparser) fail(msg string) error { return fmt.Errorf("at byte %d: %s", p.pos, msg) }

func isWhite(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (p *rparser) skipSpace() {
	for p.pos < len(p.s) && isWhite(p.s[p.pos]) {
		p.pos++
	}
}

func (p *rparser) eat(tok string) bool {
	if strings.HasPrefix(p.s[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

// or := and { "||" and }
func (p *rparser) parseOr() (expr, error) {
	var list []expr
	for {
		e, err := p.parseAnd()
		if err != nil {
			return expr{}, err
		}
		list = append(list, e)
		save := p.pos
		p.skipSpace()
		if !p.eat("||") {
			p.pos = save
			break
		}
	}
	if len(list) == 1 {
		return list[0], nil
	}
	return expr{or: list}, nil
}

// and := unary { "&&" unary }
// Near-copy of parseOr: the reference parser is kept a literal transcription of the grammar, one
// function per rule.
func (p *rparser) parseAnd() (expr, error) {
	var list []expr
	for {
		e, err := p.parseUnary()
		if err != nil {
			return expr{}, err
		}
		list = append(list, e)
		save := p.pos
		p.skipSpace()
		if !p.eat("&&") {
			p.pos = save
			break
		}
	}
	if len(list) == 1 {
		return list[0], nil
	}
	return expr{and: list}, nil
}

// unary := "(" or ")" | condition
func (p *rparser) parseUnary() (expr, error) {
	p.skipSpace()
	if p.eat("(") {
		e, err := p.parseOr()
		if err != nil {
			return expr{}, err
		}
		p.skipSpace()
		if !p.eat(")") {
			return expr{}, p.fail("expected ')'")
		}
		return e, nil
	}
	if p.pos < len(p.s) && p.s[p.pos] == '$' {
		c, err := p.parseCondition()
		if err != nil {
			return expr{}, err
		}
		return expr{cmp: c}, nil
	}
	return expr{}, p.fail("expected a condition or '('")
}

// endsWord: a keyword must be followed by whitespace, the end, or one of ) } & |.
func (p *rparser) keyword(w string) bool {
	if !strings.HasPrefix(p.s[p.pos:], w) {
		return false
	}
	end := p.pos + len(w)
	if end < len(p.s) && !isWhite(p.s[end]) && !strings.ContainsRune(")}&|", rune(p.s[end])) {
		return false
	}
	p.pos = end
	return true
}

// condition := selector ( op value | "IS" ("NULL"|"TRUE"|"FALSE") | "NOT" "EXISTS" )
func (p *rparser) parseCondition() (*comparison, error) {
	path, err := p.parseSelector()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	c := &comparison{path: path}
	switch {
	case p.eat("=="):
		return nil, p.fail("'==' is not an operator")
	case p.eat("!="):
		c.op = "!="
	case p.eat("<="):
		c.op = "<="
	case p.eat(">="):
		c.op = ">="
	case p.eat("="):
		c.op = "="
	case p.eat("<"):
		c.op = "<"
	case p.eat(">"):
		c.op = ">"
	case p.keyword("IS"):
		p.skipSpace()
		for _, w := range []string{"NULL", "TRUE", "FALSE"} {
			if p.keyword(w) {
				c.op, c.noData = "IS "+w, true
				return c, nil
			}
		}
		return nil, p.fail("expected NULL, TRUE or FALSE after IS")
	case p.keyword("NOT"):
		p.skipSpace()
		if !p.keyword("EXISTS") {
			return nil, p.fail("expected EXISTS after NOT")
		}
		c.op, c.noData = "NOT EXISTS", true
		return c, nil
	default:
		return nil, p.fail("expected an operator")
	}
	p.skipSpace()
	return c, p.parseValue(c)
}

// selector := "$" ( "." name | "." "['" bracketname "']" | "[" index "]" )+ , starting with "."
func (p *rparser) parseSelector() ([]any, error) {
	p.pos++ // '$'
	if p.pos >= len(p.s) || p.s[p.pos] != '.' {
		return nil, p.fail("a selector starts with '$.'")
	}
	var path []any
	for p.pos < len(p.s) {
		switch c := p.s[p.pos]; {
		case c == '.':
			p.pos++
			if strings.HasPrefix(p.s[p.pos:], "['") {
				end := strings.Index(p.s[p.pos+2:], "']")
				if end < 0 {
					return nil, p.fail("unterminated ['name']")
				}
				name := p.s[p.pos+2 : p.pos+2+end]
				if name == "" {
					return nil, p.fail("empty ['']")
				}
				for _, r := range name {
					if r == '\'' || r == '\\' || r < 0x20 || r == 0x7f {
						return nil, p.fail("quote, backslash or control character in ['name'] (unsupported)")
					}
				}
				path = append(path, name)
				p.pos += 2 + end + 2
				continue
			}
			start := p.pos
			for p.pos < len(p.s) && isNameChar(p.s[p.pos]) {
				p.pos++
			}
			if p.pos == start {
				return nil, p.fail("expected a property name (wildcard .* is unsupported)")
			}
			path = append(path, p.s[start:p.pos])
		case c == '[':
			p.pos++
			start := p.pos
			for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
				p.pos++
			}
			digits := p.s[start:p.pos]
			if digits == "" {
				return nil, p.fail("expected an array index (wildcard [*] is unsupported)")
			}
			if len(digits) > 1 && digits[0] == '0' {
				return nil, p.fail("leading zero in an index (unsupported)")
			}
			n, ok := new(big.Int).SetString(digits, 10)
			if !ok || n.Cmp(big.NewInt(maxArrayIndex)) > 0 {
				return nil, p.fail("index too large (unsupported)")
			}
			if !p.eat("]") {
				return nil, p.fail("expected ']'")
			}
			path = append(path, int(n.Int64()))
		case isWhite(c) || strings.ContainsRune("=!<>)}&|", rune(c)):
			return path, nil
		default:
			return nil, p.fail("unexpected character in a selector")
		}
	}
	return path, nil
}

func isLetterOrDigit(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isNameChar(c byte) bool { return isLetterOrDigit(c) || c == '-' || c == '_' }

// value := quoted | "%" regex "%" | unquoted
func (p *rparser) parseValue(c *comparison) error {
	ordering := c.op != "=" && c.op != "!="
	if p.pos >= len(p.s) {
		return p.fail("expected a value")
	}
	switch p.s[p.pos] {
	case '"':
		if ordering {
			return p.fail("ordering needs a number")
		}
		text, err := p.parseQuoted()
		if err != nil {
			return err
		}
		c.str = splitWildcards(text)
		return nil
	case '%':
		if ordering {
			return p.fail("ordering needs a number")
		}
		end := strings.IndexByte(p.s[p.pos+1:], '%')
		if end < 0 {
			return p.fail("unterminated %regex%")
		}
		p.regexes++
		if p.regexes > maxRegexes {
			return p.fail("more than 2 regexes")
		}
		tree, cost, err := parseRegex(p.s[p.pos+1 : p.pos+1+end])
		if err != nil {
			return p.fail(err.Error())
		}
		p.regexCost += cost
		if p.regexCost > maxRegexCost {
			return p.fail("regex cost above 256 (unsupported)")
		}
		c.re = tree
		p.pos += end + 2
		return nil
	}
	start := p.pos
	for p.pos < len(p.s) && !isWhite(p.s[p.pos]) && !strings.ContainsRune(`(){}&|"%=!<>`, rune(p.s[p.pos])) {
		p.pos++
	}
	tok := p.s[start:p.pos]
	if tok == "" {
		return p.fail("expected a value")
	}
	if isNumberSyntax(tok) {
		c.num = tok
		return nil
	}
	for i := 0; i < len(tok); i++ {
		if !isLetterOrDigit(tok[i]) && !strings.ContainsRune("_.*-", rune(tok[i])) {
			return p.fail("unquoted value with a character that needs quotes")
		}
	}
	// '-' is known to be accepted unquoted only with another character on each side of it, in
	// the value's literal text (wildcard stars are not part of it): us-east-1, not -x, x-, a--b.
	w := splitWildcards(tok)
	for i := 0; i < len(w.text); i++ {
		if w.text[i] == '-' && (i == 0 || i == len(w.text)-1 || w.text[i+1] == '-') {
			p.pos = start + i
			if w.first {
				p.pos++
			}
			return p.fail("'-' at an end of an unquoted value or next to another '-' (unsupported)")
		}
	}
	if ordering {
		return p.fail("ordering needs a number")
	}
	c.str = splitWildcards(tok)
	return nil
}

// parseQuoted reads "..." with the escapes \" and \\ only and no control characters.
func (p *rparser) parseQuoted() (string, error) {
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c == '\\':
			if p.pos+1 < len(p.s) && (p.s[p.pos+1] == '"' || p.s[p.pos+1] == '\\') {
				b.WriteByte(p.s[p.pos+1])
				p.pos += 2
				continue
			}
			if p.pos+1 >= len(p.s) {
				return "", p.fail("unterminated quoted value")
			}
			return "", p.fail("unsupported escape")
		case c < 0x20 || c == 0x7f:
			return "", p.fail("control character in a quoted value")
		}
		b.WriteByte(c)
		p.pos++
	}
	return "", p.fail("unterminated quoted value")
}

func splitWildcards(s string) *wildString {
	w := &wildString{}
	if len(s) > 0 && s[0] == '*' {
		w.first, s = true, s[1:]
	}
	if len(s) > 0 && s[len(s)-1] == '*' {
		w.last, s = true, s[:len(s)-1]
	}
	w.text = s
	return w
}

// isNumberSyntax: [+-]? digits ( "." digits )? ( [eE] [+-]? digits )?
func isNumberSyntax(s string) bool {
	i := 0
	digits := func() bool {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > start
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if !digits() {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(s)
}

// Match evaluates the pattern on one log event.
func (pt *Pattern) Match(record []byte) (bool, error) {
	if pt.all {
		return true, nil
	}
	doc, ok := DecodeObject(record)
	if !ok {
		return false, nil
	}
	return evaluate(&pt.expr, doc)
}

// DecodeObject decodes a record that is one JSON object in valid UTF-8 with nothing after it.
func DecodeObject(record []byte) (map[string]any, bool) {
	if !utf8.Valid(record) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(record))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	m, ok := v.(map[string]any)
	return m, ok
}

// evaluate: an error from one operand does not hide a decisive answer from another.
func evaluate(e *expr, doc map[string]any) (bool, error) {
	if e.cmp != nil {
		return compare(e.cmp, doc)
	}
	list, decisive := e.and, false
	if e.or != nil {
		list, decisive = e.or, true
	}
	var unknown error
	for i := range list {
		v, err := evaluate(&list[i], doc)
		switch {
		case err != nil:
			unknown = err
		case v == decisive:
			return decisive, nil
		}
	}
	return !decisive, unknown
}

func lookup(doc any, path []any) (any, bool) {
	v := doc
	for _, step := range path {
		switch s := step.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[s]; !ok {
				return nil, false
			}
		case int:
			a, ok := v.([]any)
			if !ok || s >= len(a) {
				return nil, false
			}
			v = a[s]
		}
	}
	return v, true
}

func compare(c *comparison, doc map[string]any) (bool, error) {
	v, found := lookup(doc, c.path)
	switch c.op {
	case "NOT EXISTS":
		return !found, nil
	case "IS NULL":
		return found && v == nil, nil
	case "IS TRUE":
		return v == true, nil
	case "IS FALSE":
		return v == false, nil
	}
	var text string
	_, isString := v.(string)
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = string(x)
	default:
		return false, nil // missing, null, true, false, object, array: no comparison holds
	}
	positive := c.op == "="
	switch {
	case c.str != nil:
		return c.str.matches(text) == positive, nil
	case c.re != nil:
		return c.re.search(text) == positive, nil
	}
	// An unquoted number.
	if isString {
		switch c.op {
		case "=":
			return text == c.num, nil
		case "!=":
			return text != c.num, nil
		}
		return false, nil
	}
	r, err := compareNumbers(text, c.num)
	if err != nil {
		return false, err
	}
	switch c.op {
	case "=":
		return r == 0, nil
	case "!=":
		return r != 0, nil
	case "<":
		return r < 0, nil
	case "<=":
		return r <= 0, nil
	case ">":
		return r > 0, nil
	}
	return r >= 0, nil
}

func (w *wildString) matches(text string) bool {
	// Near-copy of the engine's compare.go wildcard test: the reference evaluator must share no
	// code with the engine.
	switch {
	case w.first && w.last:
		return strings.Contains(text, w.text)
	case w.first:
		return strings.HasSuffix(text, w.text)
	case w.last:
		return strings.HasPrefix(text, w.text)
	}
	return text == w.text
}

// normalized is a number as sign × 0.DIGITS × 10^point: digits has no leading or trailing zeros
// and is empty for zero.
type normalized struct {
	neg    bool
	digits string
	point  *big.Int
}

func normalize(s string) (normalized, error) {
	var n normalized
	if s[0] == '+' || s[0] == '-' {
		n.neg = s[0] == '-'
		s = s[1:]
	}
	mant, exp := s, "0"
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
	}
	e, _ := new(big.Int).SetString(strings.TrimPrefix(exp, "+"), 10)
	if new(big.Int).Abs(e).Cmp(new(big.Int).Lsh(big.NewInt(1), 48)) > 0 {
		return n, ErrUnknown
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	all := intPart + frac
	lead := len(all) - len(strings.TrimLeft(all, "0"))
	all = strings.TrimRight(all[lead:], "0")
	// value = 0.ALL × 10^(len(intPart) - lead + e)
	n.digits = all
	n.point = new(big.Int).Add(e, big.NewInt(int64(len(intPart)-lead)))
	if all == "" {
		n.neg = false
	}
	return n, nil
}

// compareNumbers returns -1, 0 or 1 as a < b, exactly.
func compareNumbers(a, b string) (int, error) {
	x, err := normalize(a)
	if err != nil {
		return 0, err
	}
	y, err := normalize(b)
	if err != nil {
		return 0, err
	}
	sign := func(n normalized) int {
		switch {
		case n.digits == "":
			return 0
		case n.neg:
			return -1
		}
		return 1
	}
	sx, sy := sign(x), sign(y)
	if sx != sy || sx == 0 {
		switch {
		case sx < sy:
			return -1, nil
		case sx > sy:
			return 1, nil
		}
		return 0, nil
	}
	mag := x.point.Cmp(y.point)
	if mag == 0 {
		mag = strings.Compare(x.digits, y.digits) // same point: compare digit strings as decimals
	}
	return mag * sx, nil
}
