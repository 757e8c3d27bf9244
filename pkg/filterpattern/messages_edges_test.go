package filterpattern_test

import (
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// Error messages at their edges: the "after ..." snippet is shown whole up to 40 characters and
// cut to its last 37 with "..." beyond; the "found ..." text is at most 20 characters; a [...]
// class that the regex's end cuts short is unterminated wherever it stops, even right after '-'.
func TestErrorMessageEdges(t *testing.T) {
	for pattern, want := range map[string]string{
		`{ $.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = 1 x }`:  `col 44: expected '&&', '||' or '}' after $.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = 1, found "x"`,
		`{ $.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = 1 x }`: `col 45: expected '&&', '||' or '}' after ...aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = 1, found "x"`,
		`{ $.a = 1 abcdefghijklmnopqrstuvwxyz }`:          `col 11: expected '&&', '||' or '}' after $.a = 1, found "abcdefghijklmnopqrst"`,
		`{ $.a = %[a-% }`:                                 `col 10: unterminated [...] in %regex%`,
		`{ $.a = %[ab% }`:                                 `col 10: unterminated [...] in %regex%`,
		`{ $.a = %[% }`:                                   `col 10: unterminated [...] in %regex%`,
	} {
		if _, err := filterpattern.Parse(pattern); err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", pattern, err, want)
		}
	}
}

// Inside [...] the operators are plain characters: [$.?] matches a dollar sign, a dot or a
// question mark, and nothing else.
func TestOperatorsInAClassAreLiteral(t *testing.T) {
	p := mustParse(t, `{ $.a = %^[$.?]$% }`)
	for rec, want := range map[string]bool{`{"a":"$"}`: true, `{"a":"."}`: true, `{"a":"?"}`: true, `{"a":"x"}`: false} {
		if got := p.Match([]byte(rec)); got != want {
			t.Errorf("[$.?] on %s: %v, want %v", rec, got, want)
		}
	}
}

// '-' in a class: first or last it is literal; after a class escape (which cannot start a range)
// or after a range, it is refused; '^' after the first place is literal.
func TestDashAndCaretInAClass(t *testing.T) {
	for pattern, want := range map[string]string{
		`{ $.a = %[\d-a]% }`:   `col 13: '-' inside [...] must come first or last, or form a range such as a-z`,
		`{ $.a = %[ab-c-d]% }`: `col 15: '-' inside [...] must come first or last, or form a range such as a-z`,
		`{ $.a = %[\d-]% }`:    "",
		`{ $.a = %[\d-a% }`:    `col 13: '-' inside [...] must come first or last, or form a range such as a-z`,
	} {
		_, err := filterpattern.Parse(pattern)
		if (want == "" && err != nil) || (want != "" && (err == nil || err.Error() != want)) {
			t.Errorf("%s: %v, want %q", pattern, err, want)
		}
	}
	for pattern, recs := range map[string]map[string]bool{
		`{ $.a = %^[a-]$% }`: {`{"a":"-"}`: true, `{"a":"a"}`: true, `{"a":"b"}`: false},
		`{ $.a = %^[-a]$% }`: {`{"a":"-"}`: true, `{"a":"a"}`: true, `{"a":"b"}`: false},
		`{ $.a = %^[a^]$% }`: {`{"a":"^"}`: true, `{"a":"a"}`: true, `{"a":"b"}`: false},
	} {
		p := mustParse(t, pattern)
		for rec, want := range recs {
			if got := p.Match([]byte(rec)); got != want {
				t.Errorf("%s on %s: %v, want %v", pattern, rec, got, want)
			}
		}
	}
}

// \x in a %regex% needs two hex digits even at the end, and takes every ASCII value up to \x7F.
func TestHexEscapeEdges(t *testing.T) {
	for _, pattern := range []string{`{ $.a = %\x4% }`, `{ $.a = %\x4z% }`, `{ $.a = %\xz4% }`} {
		if _, err := filterpattern.Parse(pattern); err == nil || err.Error() != `col 10: \x in %regex% needs two hexadecimal digits, as in \x3A` {
			t.Errorf(`%s: %v`, pattern, err)
		}
	}
	p := mustParse(t, `{ $.a = %^\x7F$% }`)
	if !p.Match([]byte(`{"a":"\u007f"}`)) || p.Match([]byte(`{"a":"~"}`)) {
		t.Errorf(`\x7F does not match exactly DEL`)
	}
}

// Every JSON escape is read as its character before matching: "x\fy" is x, form feed, y. (\n is
// left out: "." does not match a newline.)
func TestEscapesAreReadBeforeMatching(t *testing.T) {
	p := mustParse(t, `{ $.a = %^x.y$% }`)
	for _, esc := range []string{`\b`, `\f`, `\r`, `\t`, `\/`, `\"`, `\\`, `\u00e9`} {
		if rec := `{"a":"x` + esc + `y"}`; !p.Match([]byte(rec)) {
			t.Errorf("%s: ^x.y$ does not match, want the escape read as one character", rec)
		}
	}
}

// Canonical writes a name bare only when every byte may follow a bare '.', the first included.
func TestCanonicalBracketsANameByItsFirstByte(t *testing.T) {
	for _, pattern := range []string{`{ $.['@ab'].c = 1 }`, `{ $.a.['b@'] = 1 }`} {
		if got := mustParse(t, pattern).Canonical(); got != pattern {
			t.Errorf("Canonical(%s) = %s, want it unchanged", pattern, got)
		}
	}
}
