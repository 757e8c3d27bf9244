package filterpattern

import "bytes"

// This file exports a read-only view of a parsed JSON pattern, for tools that translate patterns
// into other languages (internal/athena writes SQL from it). The view exposes what Parse decided —
// selector steps, operator, operand kind and value — and nothing that could change a Pattern.

// ExprKind is the kind of an expression node.
type ExprKind uint8

// The expression kinds.
const (
	ExprCond ExprKind = iota // one condition: Cond()
	ExprAnd                  // Operands() joined by &&
	ExprOr                   // Operands() joined by ||
)

// Op is the test a condition applies.
type Op uint8

// The operators, as SEMANTICS.md defines them.
const (
	OpEq Op = iota
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpIsNull
	OpIsTrue
	OpIsFalse
	OpNotExists
)

var opText = [...]string{"=", "!=", "<", "<=", ">", ">=", "IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"}

// String returns the operator as written in a pattern.
func (o Op) String() string { return opText[o] }

// Operand is the kind of value on the right of a comparison.
type Operand uint8

// The operand kinds.
const (
	OperandNone   Operand = iota // IS NULL, IS TRUE, IS FALSE, NOT EXISTS
	OperandString                // quoted or unquoted string, maybe with a leading/trailing '*'
	OperandNumber                // unquoted number: by value with JSON numbers, by text with strings
	OperandRegex                 // %regex%
)

// Step is one hop of a selector: a property Name, or an array Index when IsIndex.
type Step struct {
	Name    string
	Index   int
	IsIndex bool
}

// Expr is a read-only view of one node of a JSON pattern's expression.
type Expr struct {
	p *Pattern
	n *node
}

// Expr returns the root of a JSON pattern's expression; ok is false for the empty pattern, which
// has none (it matches every log event).
func (p *Pattern) Expr() (e Expr, ok bool) {
	if p.matchAll {
		return Expr{}, false
	}
	return Expr{p, &p.root}, true
}

// Kind says whether e is a condition, an && or an ||.
func (e Expr) Kind() ExprKind {
	switch e.n.kind {
	case nodeAnd:
		return ExprAnd
	case nodeOr:
		return ExprOr
	}
	return ExprCond
}

// Operands returns the operands of an && or ||, in source order (nil for a condition).
func (e Expr) Operands() []Expr {
	out := make([]Expr, len(e.n.kids))
	for i := range e.n.kids {
		out[i] = Expr{e.p, &e.n.kids[i]}
	}
	return out
}

// Cond returns the condition of an ExprCond node.
func (e Expr) Cond() Cond { return Cond{&e.p.conds[e.n.cond]} }

// Cond is a read-only view of one condition: selector, operator, operand.
type Cond struct{ c *cond }

// Path returns the selector's steps ($.a[0].b is a, [0], b).
func (c Cond) Path() []Step {
	out := make([]Step, len(c.c.path))
	for i, s := range c.c.path {
		out[i] = Step{Name: s.name, Index: s.index, IsIndex: s.isIndex}
	}
	return out
}

// Op returns the operator.
func (c Cond) Op() Op { return Op(c.c.op) }

// Operand returns the kind of value compared with.
func (c Cond) Operand() Operand { return Operand(c.c.kind) }

// Text returns, for a string operand, the value without its wildcard stars; for a number, the
// number exactly as written. It is empty for other operands.
func (c Cond) Text() string { return string(c.c.text) }

// Wildcards reports a string operand's leading and trailing '*' wildcards.
func (c Cond) Wildcards() (lead, trail bool) { return c.c.lead, c.c.trail }

// MatchesText reports whether a string or number operand with = would accept a value whose text
// is s (wildcards applied; a number operand compares by text, as with a JSON string value). For a
// regex it reports whether the regex finds a match in s.
func (c Cond) MatchesText(s string) bool {
	switch c.c.kind {
	case operandString:
		return c.c.matchString([]byte(s))
	case operandNumber:
		return bytes.Equal([]byte(s), c.c.text)
	case operandRegex:
		return c.c.re.MatchString(s)
	}
	return false
}

// Regex returns a %regex% operand as the RE2 (Go regexp) expression the engine runs: classes
// spelled out as the CloudWatch Logs guide defines them (\s is [\t\n ], '.' is [^\n]), \xhh as
// \x{hh}, and '^' and '$' (outside classes) anchoring the whole value. It is empty for other
// operands.
func (c Cond) Regex() string {
	if c.c.re == nil {
		return ""
	}
	return c.c.re.String()
}
