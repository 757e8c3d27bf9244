package filterpattern_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
	"github.com/trailwatch/trailwatch/pkg/filterpattern/internal/reference"
)

// TestParseErrorMessages pins the exact text of every kind of parse error: callers show it to
// people, so a change in wording or column is a reviewed change.
func TestParseErrorMessages(t *testing.T) {
	tests := []struct {
		pattern     string
		want        string
		unsupported bool
	}{
		// Structure.
		{`{ ($.eventName = CreateVpc }`, `col 28: expected ')' after $.eventName = CreateVpc`, false},
		{`{ $.eventName = CreateVpc`, `col 26: expected '}' after $.eventName = CreateVpc`, false},
		{`{ ($.a = 1) ($.b = 2) }`, `col 13: expected '&&', '||' or '}' after ($.a = 1), found "($.b"`, false},
		{`{ $.a = 1 $.b = 2 }`, `col 11: expected '&&', '||' or '}' after $.a = 1, found "$.b"`, false},
		{`{ $.a = 1 & $.b = 2 }`, `col 11: expected '&&', '||' or '}' after $.a = 1, found "&"`, false},
		{`{ $.a = 1 ) }`, `col 11: expected '}' after $.a = 1`, false},
		{`{ $.a = 1 } x`, `col 13: unexpected "x" after the closing '}'`, false},
		{`{ }`, `col 3: expected a condition such as $.eventName = CreateTrail after '{'`, false},
		{`{}`, `col 2: expected a condition such as $.eventName = CreateTrail after '{'`, false},
		{`{ () }`, `col 4: expected a condition such as $.eventName = CreateTrail after '('`, false},
		{`{ $.a = 1 && }`, `col 14: expected a condition such as $.eventName = CreateTrail after '&&'`, false},
		{`{ $.a = 1 || || $.b = 2 }`, `col 14: expected a condition such as $.eventName = CreateTrail after '||', found "||"`, false},
		// Selectors.
		{`{ eventName = CreateVpc }`, `col 3: expected a selector starting with '$.' or '(', found "eventName"`, false},
		{`{ $eventName = CreateVpc }`, `col 4: expected '.' after '$' (a selector starts with '$.' and an array index must follow a property)`, false},
		{`{ $[0] = 1 }`, `col 4: expected '.' after '$' (a selector starts with '$.' and an array index must follow a property)`, false},
		{`{ $. = CreateVpc }`, `col 5: expected a property name (letters, digits, '-' or '_') after '.', found whitespace`, false},
		{`{ $.a[x] = 1 }`, `col 7: expected an array index (digits) after '[', found "x]"`, false},
		{`{ $.a[1 = 1 }`, `col 8: expected ']' after [1, found whitespace`, false},
		{`{ $.a@b = 1 }`, `col 6: unexpected '@' in selector; property names hold only letters A-Z a-z, digits, '-' and '_' (use $.['name'] for other names)`, false},
		{`{ $.café = 1 }`, `col 8: unexpected 'é' in selector; property names hold only letters A-Z a-z, digits, '-' and '_' (use $.['name'] for other names)`, false},
		{`{ $.a.['b = 1 }`, `col 7: unterminated ['name']: expected a closing "']"`, false},
		{`{ $.a[01] = 1 }`, `col 7: not supported: the array index 01 with a leading zero`, true},
		{`{ $.a[*] = 1 }`, `col 7: not supported: the wildcard selector [*] (the user guide does not define how !=, NOT EXISTS or IS NULL apply to it)`, true},
		{`{ $.* = 1 }`, `col 5: not supported: the wildcard selector .* (the user guide does not define how !=, NOT EXISTS or IS NULL apply to it)`, true},
		// Operators and keywords.
		{`{ $.a == 1 }`, `col 7: '==' is not an operator; use '='`, false},
		{`{ $.a }`, `col 7: expected an operator (=, !=, <, <=, >, >=, IS or NOT EXISTS) after $.a, found "}"`, false},
		{`{ $.a IS MAYBE }`, `col 10: expected NULL, TRUE or FALSE after IS, found "MAYBE"`, false},
		{`{ $.a IS NOT NULL }`, `col 7: IS NOT is not supported by CloudWatch Logs (the user guide: "The variables IS NOT and EXISTS currently aren't supported")`, false},
		{`{ $.a EXISTS }`, `col 7: EXISTS is not supported by CloudWatch Logs (the user guide: "The variables IS NOT and EXISTS currently aren't supported"); use NOT EXISTS for absence`, false},
		{`{ $.a NOT NULL }`, `col 11: expected EXISTS after $.a NOT, found "NULL"`, false},
		{`{ $.a is null }`, `col 7: keywords are upper case: write IS NULL, IS TRUE, IS FALSE or NOT EXISTS, found "is"`, false},
		// Values.
		{`{ $.eventName = }`, `col 17: expected a value after $.eventName =`, false},
		{`{ ($.a = ) }`, `col 10: expected a value after $.a =`, false},
		{`{ $.a = "abc }`, `col 9: unterminated quoted value: expected a closing '"'`, false},
		{`{ $.a = "abc\`, `col 9: unterminated quoted value: expected a closing '"'`, false},
		{`{ $.a = "a\nb" }`, `col 11: not supported: the escape \n in a quoted value (only \" and \\ have a documented meaning)`, true},
		{`{ $.a = café }`, `col 12: unquoted value "café" contains 'é'; put the value in double quotes`, false},
		{`{ $.a = user@example.com }`, `col 13: unquoted value "user@example.com" contains '@'; put the value in double quotes`, false},
		{`{ $.a = a$b }`, `col 10: unquoted value "a$b" contains '$'; put the value in double quotes`, false},
		{`{ $.a = a\b }`, `col 10: unquoted value "a\\b" contains '\\'; put the value in double quotes`, false},
		{`{ $.a = arn:aws:iam::1:root }`, `col 12: not supported: unquoted value "arn:aws:iam::1:root" contains ':' (no public evidence that CloudWatch Logs accepts it unquoted); put the value in double quotes`, true},
		{`{ $.a = role/x }`, `col 13: not supported: unquoted value "role/x" contains '/' (no public evidence that CloudWatch Logs accepts it unquoted); put the value in double quotes`, true},
		// '-' only between other characters of an unquoted value (SEMANTICS.md, "Strings").
		{`{ $.a = - }`, `col 9: not supported: unquoted value "-" is a lone '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a = --x }`, `col 9: not supported: unquoted value "--x" starts with '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a = -x }`, `col 9: not supported: unquoted value "-x" starts with '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a = 5- }`, `col 10: not supported: unquoted value "5-" ends with '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a = us- }`, `col 11: not supported: unquoted value "us-" ends with '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a = a--b }`, `col 10: not supported: unquoted value "a--b" holds "--" (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a = us--east-1 }`, `col 11: not supported: unquoted value "us--east-1" holds "--" (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a = us-* }`, `col 11: not supported: unquoted value "us-*" ends with '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a = *-1 }`, `col 10: not supported: unquoted value "*-1" starts with '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a = *-east-* }`, `col 10: not supported: unquoted value "*-east-*" starts with '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a != -* }`, `col 10: not supported: unquoted value "-*" is a lone '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{($.a=x)&&($.b=-)}`, `col 16: not supported: unquoted value "-" is a lone '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a < -x }`, `col 9: not supported: unquoted value "-x" starts with '-' (CloudWatch Logs is known to accept '-' unquoted only between other characters, as in us-east-1); put the value in double quotes`, true},
		{`{ $.a = us-east-1 us-west-2 }`, `col 19: expected '&&', '||' or '}' after $.a = us-east-1, found "us-west-2"`, false},
		{`{ $.a = a-b&c }`, `col 12: expected '&&', '||' or '}' after $.a = a-b, found "&c"`, false},
		{`{ $.a > us-east-1 }`, `col 9: $.a > needs a number, found "us-east-1"`, false},
		{`{ $.a < 1-2 }`, `col 9: $.a < needs a number, found "1-2"`, false},
		{`{ $.a > abc }`, `col 9: $.a > needs a number, found "abc"`, false},
		{`{ $.a < "5" }`, `col 9: $.a < needs a number; a quoted value is a string`, false},
		{`{ $.a >= %5% }`, `col 10: $.a >= needs a number; a %regex% compares only with = or !=`, false},
		// Regular expressions.
		{`{ $.a = %abc }`, `col 9: unterminated %regex%: expected a closing '%'`, false},
		{`{ $.a = %% }`, `col 10: empty %regex%`, false},
		{`{ $.a = %ab(c)% }`, `col 12: '(' is not allowed in %regex% (the guide: parentheses cannot define a subpattern); use \x28 to match it`, false},
		{`{ $.a = %a% || $.b = %b% || $.c = %c% }`, `col 35: a JSON pattern may hold at most 2 %regex% values (CloudWatch Logs quota)`, false},
		{`{ $.a = %!% }`, `col 10: '!' is not allowed in %regex% (not in the guide's list of characters); use \x21 to match it`, false},
		{`{ $.a = %é% }`, `col 10: multi-byte characters are not allowed in %regex% (the guide excludes them)`, false},
		{`{ $.a = %*a% }`, `col 10: '*' in %regex% has nothing to repeat`, false},
		{`{ $.a = %a|% }`, `col 12: empty alternative in %regex%: '|' needs a term on both sides`, false},
		{`{ $.a = %^*% }`, `col 11: '*' in %regex% cannot repeat the anchor '^'`, false},
		{`{ $.a = %a]% }`, `col 11: unmatched ']' in %regex%; write \] to match it`, false},
		{`{ $.a = %\x80% }`, `col 10: \x80 in %regex% is not an ASCII character`, false},
		{`{ $.a = %a{3,2}% }`, `col 11: '{3,2}' in %regex% repeats at least 3 but at most 2 times`, false},
		{`{ $.a = %a{1, 2}% }`, `col 11: '{1, 2}' in %regex% is not a repetition; write {m,n}, {m,}, {,n} or {m} with digits and no spaces`, false},
		{`{ $.a = %[z-a]% }`, `col 12: range z-a in %regex% is out of order`, false},
		{`{ $.a = %a**% }`, `col 12: not supported in %regex%: '*' right after another repetition (the guide defines one repetition per term)`, true},
		{`{ $.a = %\p% }`, `col 10: not supported in %regex%: the escape \p (the guide defines \d \D \s \S \w \W \xhh and \ before an operator)`, true},
		{`{ $.a = %[\D]% }`, `col 11: not supported in %regex%: \D inside [...]`, true},
		{`{ $.a = %a{2000}% }`, `col 11: not supported in %regex%: a repetition count above 1000`, true},
		// Regex cost (MaxRegexCost = 256): limit+1 is rejected, alone or summed over both regexes.
		{`{ $.a = %\w{0,257}% }`, `col 10: not supported in %regex%: '\w{0,257}' brings the pattern's regex cost to 257; the engine's limit is 256 (each character, class or escape counts once per repetition, so {0,1000} counts 1000), to bound the matching time per record`, true},
		{`{ $.a = %\w{0,1000}x% }`, `col 10: not supported in %regex%: '\w{0,1000}' brings the pattern's regex cost to 1000; the engine's limit is 256 (each character, class or escape counts once per repetition, so {0,1000} counts 1000), to bound the matching time per record`, true},
		{`{ $.a = %[a-z]{256}% || $.b = %x% }`, `col 32: not supported in %regex%: 'x' brings the pattern's regex cost to 257, 256 of them in the earlier %regex%; the engine's limit is 256 (each character, class or escape counts once per repetition, so {0,1000} counts 1000), to bound the matching time per record`, true},
		{`{ $.a = %a{200}b{56}c% }`, `col 21: not supported in %regex%: 'c' brings the pattern's regex cost to 257; the engine's limit is 256 (each character, class or escape counts once per repetition, so {0,1000} counts 1000), to bound the matching time per record`, true},
		{`{ $.a = %x{256,}% }`, `col 10: not supported in %regex%: 'x{256,}' brings the pattern's regex cost to 257; the engine's limit is 256 (each character, class or escape counts once per repetition, so {0,1000} counts 1000), to bound the matching time per record`, true},
		// Other kinds of pattern.
		{`ERROR`, `col 1: not supported: term patterns such as ERROR or "two words"; the engine evaluates JSON patterns { ... } and the empty pattern`, true},
		{`"Failed authentication"`, `col 1: not supported: term patterns such as ERROR or "two words"; the engine evaluates JSON patterns { ... } and the empty pattern`, true},
		{`  ?ERROR ?WARN`, `col 3: not supported: term patterns such as ERROR or "two words"; the engine evaluates JSON patterns { ... } and the empty pattern`, true},
		{`[ip, user, status_code = 4*]`, `col 1: not supported: space-delimited patterns [field, ...]; the engine evaluates JSON patterns { ... } and the empty pattern`, true},
		{`%AUTHORIZED%`, `col 1: not supported: a standalone %regex% pattern; the engine evaluates JSON patterns { ... } and the empty pattern`, true},
		// Limits and encoding.
		{`{ $.a = "` + strings.Repeat("x", 1020) + `" }`, `col 1025: pattern is 1032 characters long; CloudWatch Logs allows at most 1024`, false},
		{"{ $.a = \"\xff\" }", `col 10: pattern is not valid UTF-8`, false},
	}
	for _, tt := range tests {
		p, err := filterpattern.Parse(tt.pattern)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want error %q", tt.pattern, p, tt.want)
			continue
		}
		var se *filterpattern.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error %T is not a *SyntaxError", tt.pattern, err)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("Parse(%q)\n got: %s\nwant: %s", tt.pattern, got, tt.want)
		}
		if got := errors.Is(err, filterpattern.ErrUnsupported); got != tt.unsupported {
			t.Errorf("Parse(%q): errors.Is(err, ErrUnsupported) = %v, want %v", tt.pattern, got, tt.unsupported)
		}
		if _, err := reference.Parse(tt.pattern); err == nil {
			t.Errorf("the independent reference accepts %q, which the engine rejects", tt.pattern)
		}
	}
}

// TestUnquotedHyphenRejectedByBoth: the engine and the independent reference each reject a lone,
// leading, trailing or doubled '-' in an unquoted value at that '-' (SEMANTICS.md, "Strings"),
// and accept '-' between other characters. TestParseErrorMessages holds the engine's full
// messages; here the column of the engine and the byte offset of the reference are compared.
func TestUnquotedHyphenRejectedByBoth(t *testing.T) {
	const refMsg = "'-' at an end of an unquoted value or next to another '-' (unsupported)"
	for _, tt := range []struct {
		pattern string
		at      int // 0-based byte offset of the offending '-'
	}{
		{`{ $.a = - }`, 8}, {`{ $.a = -x }`, 8}, {`{ $.a = --x }`, 8}, {`{ $.a = 5- }`, 9},
		{`{ $.a = us- }`, 10}, {`{ $.a = a--b }`, 9}, {`{ $.a = x-y--z }`, 11},
		{`{ $.a = us-* }`, 10}, {`{ $.a = *-1 }`, 9}, {`{ $.a = *x-- }`, 10}, {`{$.a=ok||$.b=-q}`, 13},
	} {
		_, err := filterpattern.Parse(tt.pattern)
		var se *filterpattern.SyntaxError
		if !errors.As(err, &se) || !errors.Is(err, filterpattern.ErrUnsupported) || se.Col != tt.at+1 ||
			!strings.Contains(se.Msg, "put the value in double quotes") {
			t.Errorf("Parse(%q) = %v; want an unsupported error at col %d that says to quote the value", tt.pattern, err, tt.at+1)
		}
		_, rerr := reference.Parse(tt.pattern)
		if want := fmt.Sprintf("at byte %d: %s", tt.at, refMsg); rerr == nil || rerr.Error() != want {
			t.Errorf("reference.Parse(%q) = %v; want %s", tt.pattern, rerr, want)
		}
	}
	for _, ok := range []string{`{ $.a = us-east-1 }`, `{ $.a = a.-b }`, `{ $.a = *x-y* }`, `{ $.a = -5 }`, `{ $.a = 1-e5 }`} {
		if _, err := filterpattern.Parse(ok); err != nil {
			t.Errorf("Parse(%q): %v", ok, err)
		}
		if _, err := reference.Parse(ok); err != nil {
			t.Errorf("reference.Parse(%q): %v", ok, err)
		}
	}
}

// TestColumnsCountCharacters checks that the column is in characters, not bytes, after
// multi-byte text earlier in the pattern.
func TestColumnsCountCharacters(t *testing.T) {
	_, err := filterpattern.Parse(`{ $.a = "日本語" && }`)
	var se *filterpattern.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("want a *SyntaxError, got %v", err)
	}
	if se.Col != 18 {
		t.Errorf("Col = %d, want 18 (the '}' is the 18th character)", se.Col)
	}
}

func TestMaxLenIsInclusive(t *testing.T) {
	base := `{ $.a = "" }`
	ok := base[:9] + strings.Repeat("é", filterpattern.MaxLen-len(base)) + base[9:]
	if _, err := filterpattern.Parse(ok); err != nil {
		t.Errorf("a pattern of exactly %d characters (more bytes) was rejected: %v", filterpattern.MaxLen, err)
	}
	want := "col 1025: pattern is 1025 characters long; CloudWatch Logs allows at most 1024"
	if _, err := filterpattern.Parse(ok[:9] + "x" + ok[9:]); err == nil || err.Error() != want {
		t.Errorf("a pattern of %d characters: error %v, want %q", filterpattern.MaxLen+1, err, want)
	}
}
