package filterpattern

import (
	"encoding/binary"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting a record may have, the same limit encoding/json enforces.
// AWS does not document one; a record nested deeper is reported as a RecordError. It is the one
// nesting limit of trailwatch: `match` and `replay` both stop there (docs/cli.md, Limits).
const MaxDepth = 10000

const maxDepth = MaxDepth

// valKind is what a selector found in the record.
type valKind uint8

const (
	kMissing valKind = iota
	kNull
	kTrue
	kFalse
	kNumber
	kString
	kObject
	kArray
)

// slotVal is the value a selector points at. For a number, [start, end) is its text in the record;
// for a string, its content between the quotes, or, when decoded is set because the record spelled
// it with escapes, its unescaped text in matchState.buf.
type slotVal struct {
	kind       valKind
	decoded    bool
	start, end int
}

// matchState is the per-call scratch of Set.Match, pooled inside the Set.
type matchState struct {
	slots []slotVal
	buf   []byte // unescaped string values
	key   []byte // an unescaped object key being looked up
}

func (st *matchState) reset() {
	clear(st.slots)
	st.buf = st.buf[:0]
}

// text returns the bytes a string or number value compares as.
func (st *matchState) text(v *slotVal, rec []byte) []byte {
	if v.decoded {
		return st.buf[v.start:v.end]
	}
	return rec[v.start:v.end]
}

// scanner validates a record as RFC 8259 JSON in one pass and fills the slots of the trie nodes
// its values reach. A key that occurs twice in an object selects its last value, as in
// encoding/json and most JSON libraries: entering a key resets the slots below it.
type scanner struct {
	rec []byte
	st  *matchState
}

func (s *scanner) fail(i int, format string, args ...any) error {
	return &RecordError{Offset: i, Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) eof() error {
	return &RecordError{Offset: len(s.rec), Msg: "unexpected end of JSON input"}
}

func (s *scanner) ws(i int) int {
	if i < len(s.rec) && s.rec[i] > ' ' { // compact JSON: no whitespace at all
		return i
	}
	for i < len(s.rec) {
		switch s.rec[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// record scans a whole record, which must be one JSON object surrounded by optional whitespace.
func (s *scanner) record(root *trieNode) error {
	i := s.ws(0)
	if i == len(s.rec) {
		if len(s.rec) == 0 {
			return s.fail(0, "empty record")
		}
		return s.eof()
	}
	start := i
	isObject := s.rec[i] == '{'
	n := root
	if !isObject {
		n = nil
	}
	i, err := s.value(i, n, 0)
	if err != nil {
		return err
	}
	if i = s.ws(i); i < len(s.rec) {
		return s.fail(i, "invalid character %s after top-level value", quoteByte(s.rec[i]))
	}
	if !isObject {
		return s.fail(start, "record is a JSON %s, not an object", kindName(s.rec[start]))
	}
	return nil
}

func kindName(c byte) string {
	switch c {
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func quoteByte(c byte) string {
	if c < utf8.RuneSelf {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// value scans the value starting at rec[i] and returns the offset just after it. n is the trie node
// the value sits at, or nil when no selector reaches it.
func (s *scanner) value(i int, n *trieNode, depth int) (int, error) {
	if i >= len(s.rec) {
		return i, s.eof()
	}
	c := s.rec[i]
	kind, j := kMissing, 0
	var err error
	switch c {
	case '{':
		if n != nil && n.slot >= 0 {
			s.st.slots[n.slot] = slotVal{kind: kObject}
		}
		return s.object(i, n, depth+1)
	case '[':
		if n != nil && n.slot >= 0 {
			s.st.slots[n.slot] = slotVal{kind: kArray}
		}
		return s.array(i, n, depth+1)
	case '"':
		var esc bool
		j, esc, err = s.str(i + 1)
		if err == nil && n != nil && n.slot >= 0 {
			s.setString(n.slot, i+1, j-1, esc)
		}
		return j, err
	case 't':
		kind, j, err = kTrue, i+4, s.literal(i, "true")
	case 'f':
		kind, j, err = kFalse, i+5, s.literal(i, "false")
	case 'n':
		kind, j, err = kNull, i+4, s.literal(i, "null")
	default:
		if c != '-' && !isDigit(c) {
			return i, s.fail(i, "invalid character %s looking for beginning of value", quoteByte(c))
		}
		kind = kNumber
		j, err = s.number(i)
	}
	if err == nil && n != nil && n.slot >= 0 {
		s.st.slots[n.slot] = slotVal{kind: kind, start: i, end: j}
	}
	return j, err
}

func (s *scanner) object(i int, n *trieNode, depth int) (int, error) {
	if depth > maxDepth {
		return i, s.fail(i, "nesting deeper than %d levels", maxDepth)
	}
	i = s.ws(i + 1)
	if i < len(s.rec) && s.rec[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(s.rec) {
			return i, s.eof()
		}
		if s.rec[i] != '"' {
			return i, s.fail(i, "invalid character %s looking for beginning of object key string", quoteByte(s.rec[i]))
		}
		j, esc, err := s.str(i + 1)
		if err != nil {
			return j, err
		}
		var child *trieNode
		if n != nil && len(n.keys) > 0 {
			child = s.lookup(n, s.rec[i+1:j-1], esc)
		}
		i = s.ws(j)
		if i >= len(s.rec) {
			return i, s.eof()
		}
		if s.rec[i] != ':' {
			return i, s.fail(i, "invalid character %s after object key", quoteByte(s.rec[i]))
		}
		if child != nil {
			clear(s.st.slots[child.lo:child.hi])
		}
		if i, err = s.value(s.ws(i+1), child, depth); err != nil {
			return i, err
		}
		if i = s.ws(i); i >= len(s.rec) {
			return i, s.eof()
		}
		switch s.rec[i] {
		case ',':
			i = s.ws(i + 1)
		case '}':
			return i + 1, nil
		default:
			return i, s.fail(i, "invalid character %s after object key:value pair", quoteByte(s.rec[i]))
		}
	}
}

// lookup finds the child of n for a raw key (between its quotes).
func (s *scanner) lookup(n *trieNode, raw []byte, esc bool) *trieNode {
	key := raw
	if esc {
		s.st.key = appendUnescaped(s.st.key[:0], raw)
		key = s.st.key
	}
	if n.keyMap != nil {
		return n.keyMap[string(key)]
	}
	for _, c := range n.keys {
		if c.name == string(key) {
			return c
		}
	}
	return nil
}

func (s *scanner) array(i int, n *trieNode, depth int) (int, error) {
	if depth > maxDepth {
		return i, s.fail(i, "nesting deeper than %d levels", maxDepth)
	}
	i = s.ws(i + 1)
	if i < len(s.rec) && s.rec[i] == ']' {
		return i + 1, nil
	}
	var elems []*trieNode
	if n != nil {
		elems = n.elems
	}
	// Near-copy of the object loop above: the scanner is the hot path, kept flat (no callback per
	// element).
	for idx := 0; ; idx++ {
		var child *trieNode
		if len(elems) > 0 && elems[0].index == idx {
			child, elems = elems[0], elems[1:]
		}
		var err error
		if i, err = s.value(i, child, depth); err != nil {
			return i, err
		}
		if i = s.ws(i); i >= len(s.rec) {
			return i, s.eof()
		}
		switch s.rec[i] {
		case ',':
			i = s.ws(i + 1)
		case ']':
			return i + 1, nil
		default:
			return i, s.fail(i, "invalid character %s after array element", quoteByte(s.rec[i]))
		}
	}
}

func (s *scanner) literal(i int, word string) error {
	for k := 0; k < len(word); k++ {
		if i+k >= len(s.rec) {
			return s.eof()
		}
		if s.rec[i+k] != word[k] {
			return s.fail(i+k, "invalid character %s in literal %s", quoteByte(s.rec[i+k]), word)
		}
	}
	return nil
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and returns the offset after it.
func (s *scanner) number(i int) (int, error) {
	if s.rec[i] == '-' {
		i++
	}
	if i >= len(s.rec) {
		return i, s.eof()
	}
	switch c := s.rec[i]; {
	case c == '0':
		i++
	case '1' <= c && c <= '9':
		i = s.digits(i)
	default:
		return i, s.fail(i, "invalid character %s in numeric literal", quoteByte(c))
	}
	if i < len(s.rec) && s.rec[i] == '.' {
		i++
		if i >= len(s.rec) {
			return i, s.eof()
		}
		if !isDigit(s.rec[i]) {
			return i, s.fail(i, "invalid character %s after decimal point in numeric literal", quoteByte(s.rec[i]))
		}
		i = s.digits(i)
	}
	if i < len(s.rec) && (s.rec[i] == 'e' || s.rec[i] == 'E') {
		i++
		if i < len(s.rec) && (s.rec[i] == '+' || s.rec[i] == '-') {
			i++
		}
		if i >= len(s.rec) {
			return i, s.eof()
		}
		if !isDigit(s.rec[i]) {
			return i, s.fail(i, "invalid character %s in exponent of numeric literal", quoteByte(s.rec[i]))
		}
		i = s.digits(i)
	}
	return i, nil
}

func (s *scanner) digits(i int) int {
	for i < len(s.rec) && isDigit(s.rec[i]) {
		i++
	}
	return i
}

// SWAR constants: eight bytes tested at once for '"', '\\', control characters and non-ASCII.
const (
	lsb   = 0x0101010101010101
	msb   = 0x8080808080808080
	quote = '"' * lsb
	bslsh = '\\' * lsb
)

// plain reports whether none of the eight bytes in x needs a closer look inside a string.
func plain(x uint64) bool {
	q, b := x^quote, x^bslsh
	special := (q - lsb) &^ q      // a byte equal to '"'
	special |= (b - lsb) &^ b      // a byte equal to '\\'
	special |= (x - 0x20*lsb) &^ x // a byte below 0x20
	special |= x                   // a byte with the high bit set
	return special&msb == 0
}

// plainByte marks the bytes a string holds without a closer look: printable ASCII except '"'
// and '\\'.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str scans a string whose content starts at rec[i] and returns the offset after the closing
// quote and whether the string holds escapes.
func (s *scanner) str(i int) (end int, esc bool, err error) {
	rec := s.rec
	for {
		for i+8 <= len(rec) && plain(binary.LittleEndian.Uint64(rec[i:])) {
			i += 8
		}
		for i < len(rec) && plainByte[rec[i]] {
			i++
		}
		if i >= len(rec) {
			return i, esc, s.eof()
		}
		switch c := rec[i]; {
		case c == '"':
			return i + 1, esc, nil
		case c == '\\':
			esc = true
			n, err := s.escape(i)
			if err != nil {
				return i, esc, err
			}
			i += n
		case c < 0x20:
			return i, esc, s.fail(i, "invalid character %s in string literal", quoteByte(c))
		default: // c >= utf8.RuneSelf
			r, size := utf8.DecodeRune(rec[i:])
			if r == utf8.RuneError && size == 1 {
				return i, esc, s.fail(i, "invalid UTF-8 in string literal")
			}
			i += size
		}
	}
}

// escape checks the escape sequence at rec[i] (a backslash) and returns its length.
func (s *scanner) escape(i int) (int, error) {
	if i+1 >= len(s.rec) {
		return 0, s.eof()
	}
	switch c := s.rec[i+1]; c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		for k := i + 2; k < i+6; k++ {
			if k >= len(s.rec) {
				return 0, s.eof()
			}
			if !isHex(s.rec[k]) {
				return 0, s.fail(k, "invalid character %s in \\u hexadecimal character escape", quoteByte(s.rec[k]))
			}
		}
		return 6, nil
	default:
		return 0, s.fail(i+1, "invalid character %s in string escape code", quoteByte(c))
	}
}

func (s *scanner) setString(slot, start, end int, esc bool) {
	if !esc {
		s.st.slots[slot] = slotVal{kind: kString, start: start, end: end}
		return
	}
	off := len(s.st.buf)
	s.st.buf = appendUnescaped(s.st.buf, s.rec[start:end])
	s.st.slots[slot] = slotVal{kind: kString, decoded: true, start: off, end: len(s.st.buf)}
}

// appendUnescaped appends the text of a validated JSON string body. Like encoding/json, it turns a
// \u escape of an unpaired surrogate into U+FFFD.
func appendUnescaped(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		c := src[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		switch src[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(src[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(src) && src[i] == '\\' && src[i+1] == 'u' {
					if r2 := hex4(src[i+2 : i+6]); utf16.DecodeRune(r, r2) != utf8.RuneError {
						r = utf16.DecodeRune(r, r2)
						i += 6
						dst = utf8.AppendRune(dst, r)
						continue
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default: // '"', '\\', '/'
			dst = append(dst, src[i+1])
		}
		i += 2
	}
	return dst
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case isDigit(c):
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}
