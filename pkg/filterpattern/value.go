package filterpattern

import (
	"strings"
	"unicode/utf8"
)

// value parses what follows a comparison operator into c. what is the selector and operator, for
// messages ("expected a value after $.a =").
//
// Three forms (user guide, "Using filter patterns to match terms in JSON log events"):
//   - "quoted": a string. Its only escapes are \" and \\, the ones the AWS CDK's FilterPattern
//     writes when it quotes a value; any other backslash sequence is rejected as unsupported.
//   - %regex%: see regex.go; only after = or !=.
//   - unquoted: a number ([+-]digits[.digits][e[+-]digits]) or a string of letters, digits, '_',
//     '.' and '*' — the characters the guide's own unquoted examples use (123.123.*, *.8xlarge).
//     Anything else "must be enclosed in double quotes to be valid".
//
// In a string value a '*' at the start and/or end is a wildcard; elsewhere it is literal.
func (ps *parser) value(c *cond, what string) error {
	if ps.eof() || strings.IndexByte(")}&|", ps.peek()) >= 0 {
		return ps.errf(ps.i, "expected a value after %s", what)
	}
	ordering := c.op != opEq && c.op != opNe
	at := ps.i
	switch ps.peek() {
	case '"':
		s, err := ps.quoted()
		if err != nil {
			return err
		}
		if ordering {
			return ps.errf(at, "%s needs a number; a quoted value is a string", what)
		}
		c.kind = operandString
		c.lead, c.trail, c.text = wildcard(s)
	case '%':
		if ordering {
			return ps.errf(at, "%s needs a number; a %%regex%% compares only with = or !=", what)
		}
		return ps.regex(c)
	default:
		tok := ps.unquoted()
		if tok == "" {
			return ps.errf(at, "expected a value after %s, found %s", what, ps.found(at))
		}
		if d, ok := parseDecimal([]byte(tok)); ok {
			c.kind, c.text, c.num = operandNumber, []byte(tok), d
			return nil
		}
		for k, r := range tok {
			if r >= utf8.RuneSelf || !(isAlnum(byte(r)) || r == '_' || r == '.' || r == '*') {
				return ps.errf(at+k, "unquoted value %q contains %q; put the value in double quotes", tok, r)
			}
		}
		if ordering {
			return ps.errf(at, "%s needs a number, found %q", what, tok)
		}
		c.kind = operandString
		c.lead, c.trail, c.text = wildcard(tok)
	}
	return nil
}

// unquoted consumes a run of characters up to whitespace or a character with a meaning in the
// grammar.
func (ps *parser) unquoted() string {
	start := ps.i
	for !ps.eof() && !isSpace(ps.peek()) && strings.IndexByte(`(){}&|"%=!<>`, ps.peek()) < 0 {
		ps.i++
	}
	return ps.src[start:ps.i]
}

// quoted consumes "..." and returns its content with \" and \\ resolved.
func (ps *parser) quoted() (string, error) {
	open := ps.i
	ps.i++
	var b strings.Builder
	for {
		if ps.eof() {
			return "", ps.errf(open, "unterminated quoted value: expected a closing '\"'")
		}
		c := ps.peek()
		switch {
		case c == '"':
			ps.i++
			return b.String(), nil
		case c == '\\':
			if ps.i+1 == len(ps.src) {
				return "", ps.errf(open, "unterminated quoted value: expected a closing '\"'")
			}
			if next := ps.src[ps.i+1]; next == '"' || next == '\\' {
				b.WriteByte(next)
				ps.i += 2
				continue
			}
			r, _ := utf8.DecodeRuneInString(ps.src[ps.i+1:])
			return "", ps.unsupported(ps.i, "the escape \\%c in a quoted value (only \\\" and \\\\ have a documented meaning)", r)
		case c < 0x20 || c == 0x7f:
			return "", ps.unsupported(ps.i, "a control character (%q) in a quoted value", c)
		}
		b.WriteByte(c)
		ps.i++
	}
}

// wildcard splits a string value into its leading/trailing '*' wildcards and the literal text.
func wildcard(s string) (lead, trail bool, text []byte) {
	if strings.HasPrefix(s, "*") {
		lead, s = true, s[1:]
	}
	if strings.HasSuffix(s, "*") {
		trail, s = true, s[:len(s)-1]
	}
	return lead, trail, []byte(s)
}

// regex parses %...% at ps.i into c.
func (ps *parser) regex(c *cond) error {
	open := ps.i
	end := strings.IndexByte(ps.src[open+1:], '%')
	if end < 0 {
		return ps.errf(open, "unterminated %%regex%%: expected a closing '%%'")
	}
	ps.regexes++
	if ps.regexes > maxRegexes {
		return ps.errf(open, "a JSON pattern may hold at most %d %%regex%% values (CloudWatch Logs quota)", maxRegexes)
	}
	src := ps.src[open+1 : open+1+end]
	re, rerr := compileRegex(src)
	if rerr != nil {
		// The regex text is ASCII up to the error (multi-byte characters are rejected where met).
		return &SyntaxError{Col: ps.col(open + 1 + rerr.i), Msg: rerr.msg, Unsupported: rerr.unsupported}
	}
	c.kind, c.re = operandRegex, re
	ps.i = open + 2 + end
	return nil
}
