package filterpattern

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Canonical prints the pattern from its parsed form, not from its source text, so two patterns
// with the same meaning written with different spacing, quoting, bracket names or redundant
// parentheses print the same:
//
//   - the empty pattern prints as "";
//   - a JSON pattern prints as "{ A }", with one space around && and || and around each operator:
//     { $.eventSource = kms.amazonaws.com && ($.eventName = DisableKey || $.eventName = ScheduleKeyDeletion) };
//   - chains of one operator are flattened ((a || b) || c prints as a || b || c), and parentheses
//     are printed only around an || inside an &&, where they are needed;
//   - a property name prints as .name when it holds only letters, digits, '-' and '_', else as
//     .['name']; an index as [N];
//   - a string value prints unquoted when its unquoted spelling is accepted and means the same
//     string (not a number, only unquoted characters, '-' only between other characters), else
//     in double quotes with '"' and '\' escaped; wildcard stars stay where they were;
//   - a number prints exactly as written (its text is what a JSON string is compared with);
//   - a %regex% prints as written.
//
// When that form would be longer than MaxLen, Canonical drops every optional space instead
// ({$.a=1||$.b=2}), which is never longer than the source. Either way Parse(p.Canonical())
// succeeds, has the same Canonical, and matches exactly the same log events as p.
func (p *Pattern) Canonical() string {
	if p.matchAll {
		return ""
	}
	if s := p.canonical(true); utf8.RuneCountInString(s) <= MaxLen {
		return s
	}
	return p.canonical(false)
}

func (p *Pattern) canonical(spaced bool) string {
	pr := printer{p: p, spaced: spaced}
	pr.b.WriteByte('{')
	pr.space()
	pr.node(p.root, false)
	pr.space()
	pr.b.WriteByte('}')
	return pr.b.String()
}

type printer struct {
	p      *Pattern
	spaced bool
	b      strings.Builder
}

func (pr *printer) space() {
	if pr.spaced {
		pr.b.WriteByte(' ')
	}
}

// node prints n; inAnd says it is an operand of &&, where an || needs parentheses.
func (pr *printer) node(n node, inAnd bool) {
	switch n.kind {
	case nodeCond:
		pr.cond(&pr.p.conds[n.cond], n.cond)
	case nodeAnd:
		for i, k := range n.kids {
			if i > 0 {
				pr.op("&&")
			}
			pr.node(k, true)
		}
	case nodeOr:
		if inAnd {
			pr.b.WriteByte('(')
		}
		for i, k := range n.kids {
			if i > 0 {
				pr.op("||")
			}
			pr.node(k, false)
		}
		if inAnd {
			pr.b.WriteByte(')')
		}
	}
}

func (pr *printer) op(s string) {
	pr.space()
	pr.b.WriteString(s)
	pr.space()
}

var cmpText = [...]string{opEq: "=", opNe: "!=", opLt: "<", opLe: "<=", opGt: ">", opGe: ">="}

func (pr *printer) cond(c *cond, i int) {
	pr.b.WriteByte('$')
	for _, s := range c.path {
		switch {
		case s.isIndex:
			pr.b.WriteByte('[')
			pr.b.WriteString(strconv.Itoa(s.index))
			pr.b.WriteByte(']')
		case plainName(s.name):
			pr.b.WriteByte('.')
			pr.b.WriteString(s.name)
		default:
			pr.b.WriteString(".['")
			pr.b.WriteString(s.name)
			pr.b.WriteString("']")
		}
	}
	switch c.op {
	case opIsNull:
		pr.b.WriteString(" IS NULL")
		return
	case opIsTrue:
		pr.b.WriteString(" IS TRUE")
		return
	case opIsFalse:
		pr.b.WriteString(" IS FALSE")
		return
	case opNotExists:
		pr.b.WriteString(" NOT EXISTS")
		return
	}
	pr.op(cmpText[c.op])
	switch c.kind {
	case operandNumber:
		pr.b.Write(c.text)
	case operandRegex:
		pr.b.WriteByte('%')
		pr.b.WriteString(pr.p.reSrc[i])
		pr.b.WriteByte('%')
	default:
		var v strings.Builder
		if c.lead {
			v.WriteByte('*')
		}
		v.Write(c.text)
		if c.trail {
			v.WriteByte('*')
		}
		pr.str(v.String())
	}
}

// str prints a string value, with its wildcard stars, unquoted when that spelling reads back as
// the same string.
func (pr *printer) str(v string) {
	if bareString(v) {
		pr.b.WriteString(v)
		return
	}
	pr.b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			pr.b.WriteByte('\\')
		}
		pr.b.WriteByte(v[i])
	}
	pr.b.WriteByte('"')
}

// bareString reports whether v, written unquoted, is read by value as the string v: not empty,
// only unquoted characters, not a number, and '-' only between other characters of the literal.
func bareString(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if !isUnquotedChar(v[i]) {
			return false
		}
	}
	if _, isNum := parseDecimal([]byte(v)); isNum {
		return false
	}
	_, _, lit := wildcard(v)
	s := string(lit)
	return !strings.HasPrefix(s, "-") && !strings.HasSuffix(s, "-") && !strings.Contains(s, "--")
}

// plainName reports whether the property name s can be written after a bare '.'. Parse refuses an
// empty name, in brackets or after a bare '.', so s is never empty.
func plainName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}
