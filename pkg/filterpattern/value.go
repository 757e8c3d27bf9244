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
//     '.', '*' and '-' (isUnquotedChar), '-' only between other characters (hyphens). It ends at whitespace or at a character with a meaning
//     in the grammar: ) } && || and the others unquoted stops at. Unicode, '@', '$' and '\'
//     "must be enclosed in double quotes to be valid" (the guide); other characters are rejected
//     as unsupported, for want of evidence either way.
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
			switch {
			case r < utf8.RuneSelf && isUnquotedChar(byte(r)):
			case r >= utf8.RuneSelf || r == '@' || r == '$' || r == '\\':
				return ps.errf(at+k, "unquoted value %q contains %q; put the value in double quotes", tok, r)
			default:
				return ps.unsupported(at+k, "unquoted value %q contains %q (no public evidence that CloudWatch Logs accepts it unquoted); put the value in double quotes", tok, r)
			}
		}
		if err := ps.hyphens(tok, at); err != nil {
			return err
		}
		if ordering {
			return ps.errf(at, "%s needs a number, found %q", what, tok)
		}
		c.kind = operandString
		c.lead, c.trail, c.text = wildcard(tok)
	}
	return nil
}

// isUnquotedChar reports whether c may appear in an unquoted string value: ASCII letters, digits,
// '_' (the guide: "Strings that consist entirely of alphanumeric characters do not need to be
// quoted"), '.' and '*' (the guide's own 123.123.*), and '-' (deployed patterns such as
// { $.eventSource = sso-directory.amazonaws.com }; SEMANTICS.md has the evidence).
func isUnquotedChar(c byte) bool {
	return isAlnum(c) || c == '_' || c == '.' || c == '*' || c == '-'
}

// hyphens rejects, as unsupported, an unquoted string value tok (starting at byte at) whose
// literal text — the value without its wildcard stars — is a lone '-', starts or ends with '-', or
// holds "--", pointing at the first such '-'. The public evidence for '-' in unquoted values
// (SEMANTICS.md, "Strings") shows it only between other characters: sso-directory.amazonaws.com,
// us-east-1, wsc2024-instance-role. A number such as -5 never gets here.
func (ps *parser) hyphens(tok string, at int) error {
	lead, _, text := wildcard(tok)
	start := at
	if lead {
		start++
	}
	s := string(text)
	k := -1
	for i := 0; i < len(s) && k < 0; i++ {
		if s[i] == '-' && (i == 0 || i == len(s)-1 || s[i+1] == '-') {
			k = i
		}
	}
	var why string
	switch {
	case k < 0:
		return nil
	case s == "-":
		why = "is a lone '-'"
	case k == 0:
		why = "starts with '-'"
	case k == len(s)-1:
		why = "ends with '-'"
	default:
		why = "holds \"--\""
	}
	return ps.unsupported(start+k, "unquoted value %q %s (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes", tok, why)
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
	re, cost, rerr := compileRegex(src, ps.regexCost)
	if rerr != nil {
		// The regex text is ASCII up to the error (multi-byte characters are rejected where met).
		return &SyntaxError{Col: ps.col(open + 1 + rerr.i), Msg: rerr.msg, Unsupported: rerr.unsupported}
	}
	ps.regexCost = cost
	c.kind, c.re = operandRegex, re
	if ps.reSrc == nil {
		ps.reSrc = map[int]string{}
	}
	ps.reSrc[len(ps.conds)] = src // c becomes conds[len(conds)] in add, right after value
	ps.i = open + 2 + end
	return nil
}
