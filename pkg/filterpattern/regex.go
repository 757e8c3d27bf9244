package filterpattern

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The %regex% subset, exactly as the CloudWatch Logs user guide lists it ("Supported regular
// expressions (regex) syntax", FilterAndPatternSyntax.html#regex-expressions):
//   - characters: letters, digits and the symbols : _ # = @ / ; , -
//   - operators: ^ $ ? [ ] { } | \ * + .
//   - escapes: \d \D \s \S \w \W, \xhh, and \ before an operator for its literal meaning
//   - no ( ) — "You cannot use parentheses to define a subpattern" — and no multi-byte characters
//   - at most 2 regexes in a JSON filter pattern.
//
// A space is also accepted: the same page's own example %^starting|^initializing|^shutting down%
// contains one, although its list of characters does not. Everything else is rejected rather than
// guessed at. The accepted text is translated to an equivalent Go (RE2) expression whose classes
// are spelled out exactly as the guide defines them (\s is tab, space and newline only).

// maxRegexes is the guide's quota: "a limit of 2 regex for each filter pattern when creating a
// delimited or JSON filter pattern".
const maxRegexes = 2

// maxRepeat is RE2's limit on a {m,n} count; larger counts are rejected here with a clear message.
const maxRepeat = 1000

// MaxRegexCost bounds what the %regex% values of one pattern cost to match. The engine runs them on
// Go's RE2 automaton, whose time per character of the value searched grows with the number of
// positions the expression can be at, so a pattern's cost is the number of character positions
// in its regexes once counted repetitions are written out: every character, class, '.' or
// escape counts 1, times n for {m,n} and {,n}, m for {m}, m+1 for {m,}, and once for ? * +.
// CloudWatch Logs documents no limit on repetition counts, only the 1024-character pattern and
// two regexes per pattern, which leave {0,1000} repetitions costing seconds per 100 KB record
// here; so the engine refuses (ErrUnsupported) a pattern whose regexes cost more than this. The
// bound is a judgment (SEMANTICS.md, "Matching cost"): far above the guide's IP-address regex
// (15) or a UUID (36); BenchmarkRegexCostBound measures the worst accepted pattern.
const MaxRegexCost = 256

const regexSymbols = ":_#=@/;,- "

// regexOperators are the characters \ may escape to stand for themselves.
const regexOperators = `^$?[]{}|\*+.`

// regexError is a problem at byte i of the regex text.
type regexError struct {
	i           int
	msg         string
	unsupported bool
}

// compileRegex validates src (the text between the % signs) and compiles its Go equivalent. spent
// is the cost of the pattern's earlier regexes; cost is spent plus this one's (see MaxRegexCost).
func compileRegex(src string, spent int) (re *regexp.Regexp, cost int, rerr *regexError) {
	if src == "" {
		return nil, 0, &regexError{0, "empty %regex%", false}
	}
	t := regexTranslator{src: src, cost: spent, spent: spent}
	if err := t.alternation(); err != nil {
		return nil, 0, err
	}
	re, err := regexp.Compile(t.out.String())
	if err != nil {
		// The translator emits only constructs RE2 accepts; reaching here is an engine bug.
		return nil, 0, &regexError{0, "internal error compiling " + strconv.Quote(t.out.String()) + ": " + err.Error(), false}
	}
	return re, t.cost, nil
}

type regexTranslator struct {
	src   string
	i     int
	out   strings.Builder
	cost  int // MaxRegexCost units so far, including earlier regexes of the pattern
	spent int // the part of cost spent by earlier regexes
}

func (t *regexTranslator) errf(i int, unsupported bool, format string, args ...any) *regexError {
	return &regexError{i, fmt.Sprintf(format, args...), unsupported}
}

// alternation: branch ('|' branch)*. Every branch must be non-empty.
func (t *regexTranslator) alternation() *regexError {
	for {
		if err := t.branch(); err != nil {
			return err
		}
		if t.i == len(t.src) {
			return nil
		}
		// branch stops only at '|' or the end.
		t.out.WriteByte('|')
		t.i++
	}
}

func (t *regexTranslator) branch() *regexError {
	start := t.i
	for t.i < len(t.src) && t.src[t.i] != '|' {
		if err := t.item(); err != nil {
			return err
		}
	}
	if t.i == start {
		return t.errf(t.i, false, "empty alternative in %%regex%%: '|' needs a term on both sides")
	}
	return nil
}

// item: an atom and at most one quantifier.
func (t *regexTranslator) item() *regexError {
	at := t.i
	c := t.src[t.i]
	quantifiable := true
	switch {
	case c == '^' || c == '$':
		t.out.WriteByte(c)
		t.i++
		quantifiable = false
	case c == '.':
		t.out.WriteString(`[^\n]`)
		t.i++
	case c == '[':
		if err := t.class(); err != nil {
			return err
		}
	case c == '\\':
		s, err := t.escape(false)
		if err != nil {
			return err
		}
		t.out.WriteString(s)
	case isQuantifierStart(c):
		return t.errf(t.i, false, "'%c' in %%regex%% has nothing to repeat", c)
	default:
		if err := t.literal(c); err != nil {
			return err
		}
		t.out.WriteString(regexp.QuoteMeta(string(c)))
		t.i++
	}
	times := 1
	if t.i < len(t.src) && isQuantifierStart(t.src[t.i]) {
		if !quantifiable {
			return t.errf(t.i, false, "'%c' in %%regex%% cannot repeat the anchor '%c'", t.src[t.i], t.src[at])
		}
		n, err := t.quantifier()
		if err != nil {
			return err
		}
		times = n
		if t.i < len(t.src) && isQuantifierStart(t.src[t.i]) {
			return t.errf(t.i, true, "not supported in %%regex%%: '%c' right after another repetition (the guide defines one repetition per term)", t.src[t.i])
		}
	}
	if quantifiable {
		t.cost += times
		if t.cost > MaxRegexCost {
			earlier := ""
			if t.spent > 0 {
				earlier = fmt.Sprintf(", %d of them in the earlier %%regex%%", t.spent)
			}
			return t.errf(at, true, "not supported in %%regex%%: '%s' brings the pattern's regex cost to %d%s; the engine's limit is %d (each character, class or escape counts once per repetition, so {0,1000} counts 1000), to bound the matching time per record",
				t.src[at:t.i], t.cost, earlier, MaxRegexCost)
		}
	}
	return nil
}

func isQuantifierStart(c byte) bool { return c == '?' || c == '*' || c == '+' || c == '{' }

// literal checks that c may stand for itself outside a class.
func (t *regexTranslator) literal(c byte) *regexError {
	switch {
	case isAlnum(c) || strings.IndexByte(regexSymbols, c) >= 0:
		return nil
	case c == '(' || c == ')':
		return t.errf(t.i, false, "'%c' is not allowed in %%regex%% (the guide: parentheses cannot define a subpattern); use \\x%02X to match it", c, c)
	case c == ']' || c == '}':
		return t.errf(t.i, false, "unmatched '%c' in %%regex%%; write \\%c to match it", c, c)
	case c >= 0x80:
		return t.errf(t.i, false, "multi-byte characters are not allowed in %%regex%% (the guide excludes them)")
	case c < 0x20 || c == 0x7f:
		return t.errf(t.i, false, "control character %q is not allowed in %%regex%%", c)
	default:
		return t.errf(t.i, false, "'%c' is not allowed in %%regex%% (not in the guide's list of characters); use \\x%02X to match it", c, c)
	}
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// quantifier: ? * + or {m,n} with m or n optional ("Either m or n can be omitted") or {m}. times
// is how many copies of the repeated atom it costs (MaxRegexCost).
func (t *regexTranslator) quantifier() (times int, rerr *regexError) {
	c := t.src[t.i]
	if c != '{' {
		t.out.WriteByte(c)
		t.i++
		return 1, nil
	}
	start := t.i
	end := strings.IndexByte(t.src[start:], '}')
	if end < 0 {
		return 0, t.errf(start, false, "'{' in %%regex%% must start a repetition like {2,5}; write \\{ to match it")
	}
	body := t.src[start+1 : start+end]
	lo, hi, hasComma := body, "", false
	if k := strings.IndexByte(body, ','); k >= 0 {
		lo, hi, hasComma = body[:k], body[k+1:], true
	}
	if !allDigits(lo) || !allDigits(hi) || (lo == "" && hi == "") {
		return 0, t.errf(start, false, "'{%s}' in %%regex%% is not a repetition; write {m,n}, {m,}, {,n} or {m} with digits and no spaces", body)
	}
	m, n := 0, -1
	if lo != "" {
		m = atoiSat(lo)
	}
	if hi != "" {
		n = atoiSat(hi)
	}
	if m > maxRepeat || n > maxRepeat {
		return 0, t.errf(start, true, "not supported in %%regex%%: a repetition count above %d", maxRepeat)
	}
	switch {
	case !hasComma:
		fmt.Fprintf(&t.out, "{%d}", m)
		times = m
	case n < 0:
		fmt.Fprintf(&t.out, "{%d,}", m)
		times = m + 1
	default:
		if n < m {
			return 0, t.errf(start, false, "'{%s}' in %%regex%% repeats at least %d but at most %d times", body, m, n)
		}
		fmt.Fprintf(&t.out, "{%d,%d}", m, n)
		times = n
	}
	t.i = start + end + 1
	return times, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func atoiSat(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
		if n > maxRepeat {
			return maxRepeat + 1
		}
	}
	return n
}

// classes spells \d, \w and \s exactly as the guide defines them: "%\w% is equivalent to
// %[a-zA-Z_0-9]%"; "Whitespace characters include the tab (\t), space ( ), and newline (\n)".
var classes = map[byte]string{'d': `0-9`, 'w': `0-9A-Za-z_`, 's': `\t\n `}

// escape reads a backslash sequence at t.i and returns its Go spelling. inClass reports whether
// it appears inside [...], where only \d, \w, \s (not their negations) can be spelled out.
func (t *regexTranslator) escape(inClass bool) (string, *regexError) {
	at := t.i
	if t.i+1 >= len(t.src) {
		return "", t.errf(at, false, "'\\' at the end of %%regex%% escapes nothing")
	}
	c := t.src[t.i+1]
	t.i += 2
	switch {
	case c == 'd' || c == 'w' || c == 's':
		if inClass {
			return classes[c], nil
		}
		return "[" + classes[c] + "]", nil
	case c == 'D' || c == 'W' || c == 'S':
		if inClass {
			return "", t.errf(at, true, "not supported in %%regex%%: \\%c inside [...]", c)
		}
		return "[^" + classes[c+'a'-'A'] + "]", nil
	case c == 'x':
		if t.i+2 > len(t.src) || !isHex(t.src[t.i]) || !isHex(t.src[t.i+1]) {
			return "", t.errf(at, false, "\\x in %%regex%% needs two hexadecimal digits, as in \\x3A")
		}
		v, _ := strconv.ParseUint(t.src[t.i:t.i+2], 16, 8)
		t.i += 2
		if v > 0x7f {
			return "", t.errf(at, false, "\\x%02X in %%regex%% is not an ASCII character", v)
		}
		return fmt.Sprintf(`\x{%02x}`, v), nil
	case strings.IndexByte(regexOperators, c) >= 0:
		return `\` + string(c), nil
	default:
		return "", t.errf(at, true, "not supported in %%regex%%: the escape \\%c (the guide defines \\d \\D \\s \\S \\w \\W \\xhh and \\ before an operator)", c)
	}
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// class: '[' '^'? item+ ']' where an item is a character, a range a-z or an escape. '-' stands for
// itself first or last; '[' must be escaped.
func (t *regexTranslator) class() *regexError {
	open := t.i
	t.i++
	t.out.WriteByte('[')
	if t.i < len(t.src) && t.src[t.i] == '^' {
		t.out.WriteByte('^')
		t.i++
	}
	first := t.i
	for {
		if t.i >= len(t.src) {
			return t.errf(open, false, "unterminated [...] in %%regex%%")
		}
		c := t.src[t.i]
		if c == ']' {
			if t.i == first {
				return t.errf(open, false, "empty [] in %%regex%%")
			}
			t.out.WriteByte(']')
			t.i++
			return nil
		}
		lo, loLit, err := t.classAtom(first)
		if err != nil {
			return err
		}
		// A range needs a literal on both sides of '-' and a following character that is not ']'.
		if loLit >= 0 && t.i+1 < len(t.src) && t.src[t.i] == '-' && t.src[t.i+1] != ']' {
			dash := t.i
			t.i++
			hi, hiLit, err := t.classAtom(first)
			if err != nil {
				return err
			}
			if hiLit < 0 {
				return t.errf(dash, false, "a range in [...] needs a character on both sides of '-'")
			}
			if hiLit < loLit {
				return t.errf(dash, false, "range %c-%c in %%regex%% is out of order", loLit, hiLit)
			}
			t.out.WriteString(lo + "-" + hi)
			continue
		}
		t.out.WriteString(lo)
	}
}

// classAtom reads one character or escape inside [...]. lit is the byte it stands for, or -1 for
// a class escape such as \d that cannot end a range.
func (t *regexTranslator) classAtom(first int) (out string, lit int, err *regexError) {
	c := t.src[t.i]
	switch {
	case c == '\\':
		save := t.i
		s, err := t.escape(true)
		if err != nil {
			return "", 0, err
		}
		switch e := t.src[save+1]; {
		case e == 'x':
			v, _ := strconv.ParseUint(t.src[save+2:save+4], 16, 8)
			return s, int(v), nil
		case e == 'd' || e == 'w' || e == 's':
			return s, -1, nil
		default:
			return s, int(e), nil
		}
	case c == '[':
		return "", 0, t.errf(t.i, false, "'[' inside [...] in %%regex%%; write \\[ to match it")
	case c == '-':
		if t.i != first && t.i+1 < len(t.src) && t.src[t.i+1] != ']' {
			return "", 0, t.errf(t.i, false, "'-' inside [...] must come first or last, or form a range such as a-z")
		}
	case c == '^' || strings.IndexByte(`$?{}|*+.`, c) >= 0:
		// Operators lose their meaning inside a class.
	default:
		if err := t.literal(c); err != nil {
			return "", 0, err
		}
	}
	t.i++
	return regexp.QuoteMeta(string(c)), int(c), nil
}
