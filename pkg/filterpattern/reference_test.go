package filterpattern

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"strings"
	"unicode/utf8"
)

// The reference evaluator below is a second, deliberately naive implementation used only by
// tests: it decodes the record with encoding/json into maps and slices, walks each selector, and
// compares numbers with math/big. Agreement between it and the single-pass Set (in the property
// test and the fuzz targets) is evidence that the scanner extracts exactly what a full decode
// would, including escapes and duplicate keys.

// errRefUnknown marks inputs the reference cannot judge cheaply (huge exponents for math/big).
var errRefUnknown = errors.New("reference: cannot judge")

// refDecode decodes a record the way the engine defines a valid record: one JSON object, valid
// UTF-8, nothing after it. It returns nil for anything else.
func refDecode(record []byte) map[string]any {
	if !utf8.Valid(record) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(record))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil
	}
	m, _ := v.(map[string]any)
	return m
}

// refMatch evaluates p on record without the scanner.
func refMatch(p *Pattern, record []byte) (bool, error) {
	if p.matchAll {
		return true, nil
	}
	m := refDecode(record)
	if m == nil {
		return false, nil
	}
	return refEval(p, &p.root, m)
}

func refEval(p *Pattern, n *node, doc map[string]any) (bool, error) {
	switch n.kind {
	case nodeAnd, nodeOr:
		want := n.kind == nodeOr // the value that decides the result early
		var firstErr error
		for k := range n.kids {
			got, err := refEval(p, &n.kids[k], doc)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			if got == want {
				return want, nil
			}
		}
		return !want, firstErr
	}
	c := &p.conds[n.cond]
	v, found := refSelect(doc, c.path)
	switch c.op {
	case opNotExists:
		return !found, nil
	case opIsNull:
		return found && v == nil, nil
	case opIsTrue:
		return v == true, nil
	case opIsFalse:
		return v == false, nil
	}
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = string(x)
	default:
		return false, nil // missing, null, booleans, objects, arrays
	}
	eq := c.op == opEq
	switch c.kind {
	case operandString:
		lit := string(c.text)
		var m bool
		switch {
		case c.lead && c.trail:
			m = strings.Contains(text, lit)
		case c.lead:
			m = strings.HasSuffix(text, lit)
		case c.trail:
			m = strings.HasPrefix(text, lit)
		default:
			m = text == lit
		}
		return m == eq, nil
	case operandRegex:
		return c.re.MatchString(text) == eq, nil
	}
	if _, isString := v.(string); isString {
		switch c.op {
		case opEq:
			return text == string(c.text), nil
		case opNe:
			return text != string(c.text), nil
		}
		return false, nil
	}
	a, okA := refRat(text)
	b, okB := refRat(string(c.text))
	if !okA || !okB {
		return false, errRefUnknown
	}
	r := a.Cmp(b)
	switch c.op {
	case opEq:
		return r == 0, nil
	case opNe:
		return r != 0, nil
	case opLt:
		return r < 0, nil
	case opLe:
		return r <= 0, nil
	case opGt:
		return r > 0, nil
	}
	return r >= 0, nil
}

// refRat parses a number with math/big, refusing exponents big.Rat would take long to expand.
func refRat(s string) (*big.Rat, bool) {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp := strings.TrimLeft(s[i+1:], "+-")
		if len(strings.TrimLeft(exp, "0")) > 4 {
			return nil, false
		}
	}
	return new(big.Rat).SetString(s)
}

func refSelect(v any, path []step) (any, bool) {
	for _, st := range path {
		if st.isIndex {
			a, ok := v.([]any)
			if !ok || st.index >= len(a) {
				return nil, false
			}
			v = a[st.index]
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[st.name]; !ok {
			return nil, false
		}
	}
	return v, true
}

// reencode writes a valid record back out with encoding/json: keys sorted, duplicates gone,
// strings re-escaped, numbers as written.
func reencode(record []byte) ([]byte, bool) {
	m := refDecode(record)
	if m == nil {
		return nil, false
	}
	out, err := json.Marshal(m)
	return out, err == nil
}
