package config

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// node is one value of a JSON or YAML file, with its line: both formats are read into it and
// checked by the same rules (exact-case keys, each key once, one document, finite numbers).
type node struct {
	kind  nodeKind
	line  int
	text  string  // a scalar's text, as written (a string's value, a number's digits)
	keys  []*node // a map's keys (scalars), in file order
	items []*node // a map's values (paired with keys) or a list's items
}

type nodeKind int

const (
	stringNode nodeKind = iota
	numberNode
	boolNode
	nullNode
	listNode
	mapNode
)

// kindName words a kind for "a list is not allowed here".
func (k nodeKind) name() string {
	return [...]string{"a text", "a number", "true/false", "null", "a list", "a map"}[k]
}

// number reads a number node as a finite float64 (YAML's .inf and .nan, and 1e400, are not).
func (n *node) number() (float64, bool) {
	if n.kind != numberNode {
		return 0, false
	}
	text := strings.ReplaceAll(n.text, "_", "")
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		// YAML's other integer forms: 0x1F, 0o17.
		i, ierr := strconv.ParseInt(text, 0, 64)
		if ierr != nil {
			return 0, false
		}
		f = float64(i)
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// maxWhole is the largest whole number read (beyond it, float64 loses integers).
const maxWhole = 1 << 53

// whole reads a number node that is a whole number.
func (n *node) whole() (int, bool) {
	f, ok := n.number()
	if !ok || f != math.Trunc(f) || math.Abs(f) > maxWhole {
		return 0, false
	}
	return int(f), true
}

// shown is the node's value as a problem line quotes it.
func (n *node) shown() any {
	switch n.kind {
	case listNode, mapNode:
		return nil
	}
	return n.text
}

// plain turns a node into the values JSON gives (cdk.json's context): string, float64, bool,
// nil, []any, map[string]any. Numbers that are not finite are problems.
func (n *node) plain() (any, *lineError) {
	switch n.kind {
	case stringNode:
		return n.text, nil
	case numberNode:
		f, ok := n.number()
		if !ok {
			return nil, &lineError{n.line, fmt.Sprintf("%s is not a finite number; allowed: a number such as 1 or 2.5", strconv.Quote(n.text))}
		}
		return f, nil
	case boolNode:
		return n.text == "true", nil
	case nullNode:
		return nil, nil
	case listNode:
		out := make([]any, 0, len(n.items))
		for _, item := range n.items {
			v, err := item.plain()
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	out := make(map[string]any, len(n.keys))
	for i, k := range n.keys {
		v, err := n.items[i].plain()
		if err != nil {
			return nil, err
		}
		out[k.text] = v
	}
	return out, nil
}

// record turns a node into JSON for an example record: numbers keep their digits.
// Near-copy of plain's list case: record keeps line errors and JSON numbers, plain does not.
func (n *node) record() (any, *lineError) {
	switch n.kind {
	case numberNode:
		f, ok := n.number()
		if !ok {
			return nil, &lineError{n.line, fmt.Sprintf("%s is not a finite number; allowed: a JSON number", strconv.Quote(n.text))}
		}
		if json.Valid([]byte(n.text)) {
			return json.Number(n.text), nil
		}
		return f, nil
	case listNode:
		out := make([]any, 0, len(n.items))
		for _, item := range n.items {
			v, err := item.record()
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case mapNode:
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			v, err := n.items[i].record()
			if err != nil {
				return nil, err
			}
			out[k.text] = v
		}
		return out, nil
	}
	return n.plain()
}

// badText says why s may not be a name, pattern or description ("" if it may): a control
// character or a line break would reach an email subject, a template or a terminal.
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Sprintf("has the control character %U (a line break, tab or other)", r)
		}
	}
	return ""
}

// entryName names entry i (from 0) of the alarms file: "alarm 2 (X)", or "alarm 2" when it has
// no ID to show.
func entryName(i int, id string) string {
	if id == "" {
		return fmt.Sprintf("alarm %d", i+1)
	}
	return fmt.Sprintf("alarm %d (%s)", i+1, label(id))
}

// label is s as a one-line label of a problem: printable, at most 64 characters.
func label(s string) string {
	clean := true
	for _, r := range s {
		if !unicode.IsPrint(r) {
			clean = false
			break
		}
	}
	if clean && utf8.RuneCountInString(s) <= 64 && utf8.ValidString(s) {
		return s
	}
	runes := []rune(s)
	if len(runes) > 64 {
		return strconv.QuoteToGraphic(string(runes[:64])) + "…"
	}
	return strconv.QuoteToGraphic(s)
}
