package filterpattern

import (
	"strings"
)

// The JSON pattern grammar (SEMANTICS.md; CloudWatch Logs user guide, "Using filter patterns to
// match terms in JSON log events"):
//
//	pattern    = ws "{" ws or ws "}" ws
//	or         = and { ws "||" ws and }
//	and        = unary { ws "&&" ws unary }
//	unary      = "(" ws or ws ")" | condition
//	condition  = selector ws ( cmp ws value | "IS" ws ( "NULL" | "TRUE" | "FALSE" ) | "NOT" ws "EXISTS" )
//	cmp        = "=" | "!=" | "<" | "<=" | ">" | ">="
//
// "Parenthesis are allowed and the syntax follows standard order of operations () > && > ||".

// json parses a whole JSON pattern starting at '{'.
func (ps *parser) json() (node, error) {
	n, err := ps.group("'{'", '}')
	if err != nil {
		return node{}, err
	}
	ps.ws()
	if !ps.eof() {
		return node{}, ps.errf(ps.i, "unexpected %s after the closing '}'", ps.found(ps.i))
	}
	return n, nil
}

// group parses the expression after the opener at ps.i (named open in messages) and its closer.
func (ps *parser) group(open string, closer byte) (node, error) {
	ps.i++
	start := ps.i
	ps.ws()
	n, err := ps.or(open)
	if err != nil {
		return node{}, err
	}
	return n, ps.closeWith(closer, start)
}

// closeWith consumes the closer that must follow an expression begun at start.
func (ps *parser) closeWith(closer byte, start int) error {
	ps.ws()
	if !ps.eof() && ps.peek() == closer {
		ps.i++
		ps.lastEnd = ps.i
		return nil
	}
	if ps.eof() || ps.peek() == '}' || ps.peek() == ')' {
		return ps.errf(ps.i, "expected '%c' after %s", closer, ps.snippet(start))
	}
	return ps.errf(ps.i, "expected '&&', '||' or '%c' after %s, found %s", closer, ps.snippet(start), ps.found(ps.i))
}

func (ps *parser) or(after string) (node, error) {
	return ps.list(nodeOr, "||", after, ps.and)
}

func (ps *parser) and(after string) (node, error) {
	return ps.list(nodeAnd, "&&", after, ps.unary)
}

// list parses operand { sep operand } into one n-ary node.
func (ps *parser) list(kind nodeKind, sep, after string, operand func(string) (node, error)) (node, error) {
	first, err := operand(after)
	if err != nil {
		return node{}, err
	}
	kids := []node{first}
	for {
		save := ps.i
		ps.ws()
		if !strings.HasPrefix(ps.src[ps.i:], sep) {
			ps.i = save
			break
		}
		ps.i += len(sep)
		ps.ws()
		n, err := operand("'" + sep + "'")
		if err != nil {
			return node{}, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return node{kind: kind, kids: kids}, nil
}

func (ps *parser) unary(after string) (node, error) {
	ps.ws()
	switch {
	case ps.eof() || ps.peek() == ')' || ps.peek() == '}':
		return node{}, ps.errf(ps.i, "expected a condition such as $.eventName = CreateTrail after %s", after)
	case ps.peek() == '(':
		return ps.group("'('", ')')
	case ps.peek() == '$':
		return ps.condition()
	case strings.HasPrefix(ps.src[ps.i:], "&&") || strings.HasPrefix(ps.src[ps.i:], "||"):
		return node{}, ps.errf(ps.i, "expected a condition such as $.eventName = CreateTrail after %s, found %s", after, ps.found(ps.i))
	default:
		return node{}, ps.errf(ps.i, "expected a selector starting with '$.' or '(', found %s", ps.found(ps.i))
	}
}

// condition parses selector, operator and value.
func (ps *parser) condition() (node, error) {
	start := ps.i
	path, err := ps.selector()
	if err != nil {
		return node{}, err
	}
	sel := ps.src[start:ps.i]
	ps.ws()
	c := cond{path: path}
	rest := ps.src[ps.i:]
	opAt := ps.i
	// Near-copy cases: one per operator, two-byte operators before their one-byte prefixes.
	switch {
	case strings.HasPrefix(rest, "=="):
		return node{}, ps.errf(ps.i, "'==' is not an operator; use '='")
	case strings.HasPrefix(rest, "!="):
		c.op, ps.i = opNe, ps.i+2
	case strings.HasPrefix(rest, "<="):
		c.op, ps.i = opLe, ps.i+2
	case strings.HasPrefix(rest, ">="):
		c.op, ps.i = opGe, ps.i+2
	case strings.HasPrefix(rest, "="):
		c.op, ps.i = opEq, ps.i+1
	case strings.HasPrefix(rest, "<"):
		c.op, ps.i = opLt, ps.i+1
	case strings.HasPrefix(rest, ">"):
		c.op, ps.i = opGt, ps.i+1
	case ps.keyword("IS"):
		if err := ps.isClause(&c, opAt); err != nil {
			return node{}, err
		}
		return ps.add(c), nil
	case ps.keyword("NOT"):
		ps.ws()
		if !ps.keyword("EXISTS") {
			return node{}, ps.errf(ps.i, "expected EXISTS after %s NOT, found %s", sel, ps.found(ps.i))
		}
		c.op = opNotExists
		return ps.add(c), nil
	case ps.keyword("EXISTS"):
		return node{}, ps.errf(opAt, "EXISTS is not supported by CloudWatch Logs (the user guide: \"The variables IS NOT and EXISTS currently aren't supported\"); use NOT EXISTS for absence")
	case ps.keywordFold("IS") || ps.keywordFold("NOT"):
		return node{}, ps.errf(ps.i, "keywords are upper case: write IS NULL, IS TRUE, IS FALSE or NOT EXISTS, found %s", ps.found(ps.i))
	default:
		return node{}, ps.errf(ps.i, "expected an operator (=, !=, <, <=, >, >=, IS or NOT EXISTS) after %s, found %s", sel, ps.found(ps.i))
	}
	opText := ps.src[opAt:ps.i]
	ps.ws()
	if err := ps.value(&c, sel+" "+opText); err != nil {
		return node{}, err
	}
	return ps.add(c), nil
}

func (ps *parser) add(c cond) node {
	ps.conds = append(ps.conds, c)
	ps.lastEnd = ps.i
	return node{kind: nodeCond, cond: len(ps.conds) - 1}
}

// keyword consumes word if it stands at i as a whole word (case-sensitive).
func (ps *parser) keyword(word string) bool {
	if !strings.HasPrefix(ps.src[ps.i:], word) || !ps.wordEnd(ps.i+len(word)) {
		return false
	}
	ps.i += len(word)
	return true
}

// keywordFold reports, without consuming, whether word in another case stands at i.
func (ps *parser) keywordFold(word string) bool {
	end := ps.i + len(word)
	return end <= len(ps.src) && strings.EqualFold(ps.src[ps.i:end], word) && ps.wordEnd(end)
}

func (ps *parser) wordEnd(i int) bool {
	return i >= len(ps.src) || isSpace(ps.src[i]) || strings.IndexByte(")}&|", ps.src[i]) >= 0
}

// isClause parses what follows IS, which started at is.
func (ps *parser) isClause(c *cond, is int) error {
	ps.ws()
	switch {
	case ps.keyword("NULL"):
		c.op = opIsNull
	case ps.keyword("TRUE"):
		c.op = opIsTrue
	case ps.keyword("FALSE"):
		c.op = opIsFalse
	case ps.keyword("NOT"):
		return ps.errf(is, "IS NOT is not supported by CloudWatch Logs (the user guide: \"The variables IS NOT and EXISTS currently aren't supported\")")
	default:
		return ps.errf(ps.i, "expected NULL, TRUE or FALSE after IS, found %s", ps.found(ps.i))
	}
	return nil
}
