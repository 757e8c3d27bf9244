package filterpattern

import "bytes"

// test applies c to the value v found in the record; text is v's bytes for strings and numbers.
//
// The rules (SEMANTICS.md has the reasoning and sources):
//   - NOT EXISTS: true only when the selector reaches nothing.
//   - IS NULL / IS TRUE / IS FALSE: true only for JSON null / true / false.
//   - every comparison (=, !=, <, <=, >, >=) is false unless the value is a string or a number,
//     the user guide's "value nodes"; objects, arrays, null, booleans and missing fields fail
//     both = and !=.
//   - a string or wildcard value compares with a string's text or a number's literal text.
//   - a %regex% searches the same text.
//   - an unquoted number compares with a number by exact decimal value, and with a string by
//     text, for = and != only.
func (c *cond) test(v *slotVal, text []byte) bool {
	switch c.op {
	case opNotExists:
		return v.kind == kMissing
	case opIsNull:
		return v.kind == kNull
	case opIsTrue:
		return v.kind == kTrue
	case opIsFalse:
		return v.kind == kFalse
	}
	if v.kind != kString && v.kind != kNumber {
		return false
	}
	switch c.kind {
	case operandString:
		return c.matchString(text) == (c.op == opEq)
	case operandRegex:
		return c.re.Match(text) == (c.op == opEq)
	}
	// operandNumber
	if v.kind == kString {
		switch c.op {
		case opEq:
			return bytes.Equal(text, c.text)
		case opNe:
			return !bytes.Equal(text, c.text)
		}
		return false
	}
	d, _ := parseDecimal(text) // the scanner validated the JSON number
	r := compareDecimal(&d, &c.num)
	switch c.op {
	case opEq:
		return r == 0
	case opNe:
		return r != 0
	case opLt:
		return r < 0
	case opLe:
		return r <= 0
	case opGt:
		return r > 0
	default:
		return r >= 0
	}
}

// matchString matches a whole value against a string with optional leading/trailing wildcards.
func (c *cond) matchString(text []byte) bool {
	switch {
	case c.lead && c.trail:
		return bytes.Contains(text, c.text)
	case c.lead:
		return bytes.HasSuffix(text, c.text)
	case c.trail:
		return bytes.HasPrefix(text, c.text)
	}
	return bytes.Equal(text, c.text)
}
