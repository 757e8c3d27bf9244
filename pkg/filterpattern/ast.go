package filterpattern

import "regexp"

// step is one hop of a selector: a property name or an array index.
type step struct {
	name    string
	index   int
	isIndex bool
}

// op is the test a condition applies to the value its selector points at.
type op uint8

const (
	opEq op = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opIsNull
	opIsTrue
	opIsFalse
	opNotExists
)

// operand says what kind of value stands on the right of a comparison operator.
type operand uint8

const (
	operandNone   operand = iota // IS NULL, IS TRUE, IS FALSE, NOT EXISTS
	operandString                // a quoted or unquoted string, possibly with a leading/trailing '*'
	operandNumber                // an unquoted number: compared by value with JSON numbers
	operandRegex                 // %regex%
)

// cond is one comparison: selector, operator and value.
type cond struct {
	path []step
	op   op
	kind operand
	// text is, for operandString, the value without its wildcard stars; for operandNumber, the
	// number exactly as written (a JSON string is compared with it as text).
	text        []byte
	lead, trail bool // operandString: '*' at the start / end of the value
	num         decimal
	re          *regexp.Regexp
}

// node is an expression: a condition or an n-ary && / || of sub-expressions.
type node struct {
	kind nodeKind
	cond int    // index into Pattern.conds for nodeCond
	kids []node // operands of nodeAnd / nodeOr, in source order
}

type nodeKind uint8

const (
	nodeCond nodeKind = iota
	nodeAnd
	nodeOr
)
