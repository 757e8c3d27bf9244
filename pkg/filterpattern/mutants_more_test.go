package filterpattern_test

import (
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// Every refusal of a %regex% names the character and the column: control characters, a '{' that
// starts no repetition, a trailing '\', a short \x, an empty or malformed [...].
func TestRegexRefusalsAreExact(t *testing.T) {
	for pattern, want := range map[string]string{
		"{ $.a = %a\x01% }":   `col 11: control character '\x01' is not allowed in %regex%`,
		"{ $.a = %a\x7f% }":   `col 11: control character '\x7f' is not allowed in %regex%`,
		"{ $.a = %a\x1f% }":   `col 11: control character '\x1f' is not allowed in %regex%`,
		"{ $.a = %[a\x01]% }": `col 12: control character '\x01' is not allowed in %regex%`,
		`{ $.a = %a~% }`:      `col 11: '~' is not allowed in %regex% (not in the guide's list of characters); use \x7E to match it`,
		`{ $.a = %a{2% }`:     `col 11: '{' in %regex% must start a repetition like {2,5}; write \{ to match it`,
		`{ $.a = %a\% }`:      `col 11: '\' at the end of %regex% escapes nothing`,
		`{ $.a = %\x4% }`:     `col 10: \x in %regex% needs two hexadecimal digits, as in \x3A`,
		`{ $.a = %\xG1% }`:    `col 10: \x in %regex% needs two hexadecimal digits, as in \x3A`,
		`{ $.a = %\x1G% }`:    `col 10: \x in %regex% needs two hexadecimal digits, as in \x3A`,
		`{ $.a = %[\xG1]% }`:  `col 11: \x in %regex% needs two hexadecimal digits, as in \x3A`,
		`{ $.a = %[a-\x4]% }`: `col 13: \x in %regex% needs two hexadecimal digits, as in \x3A`,
		`{ $.a = %[]% }`:      `col 10: empty [] in %regex%`,
		`{ $.a = %[a-\d]% }`:  `col 12: a range in [...] needs a character on both sides of '-'`,
		`{ $.a = %[a[]% }`:    `col 12: '[' inside [...] in %regex%; write \[ to match it`,
		`{ $.a = %[a-b-c]% }`: `col 14: '-' inside [...] must come first or last, or form a range such as a-z`,
		`{ $.a = %[aé]% }`:    `col 12: multi-byte characters are not allowed in %regex% (the guide excludes them)`,
		`{ $.a = %[\.-\$]% }`: `col 13: range .-$ in %regex% is out of order`,
	} {
		if _, err := filterpattern.Parse(pattern); err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", pattern, err, want)
		}
	}
}

// An escaped literal may start or end a range inside [...]: [\.-a] is every byte from '.' to 'a'.
func TestEscapedLiteralBoundsARange(t *testing.T) {
	p := mustParse(t, `{ $.a = %^[\.-0]$% }`)
	for rec, want := range map[string]bool{`{"a":"."}`: true, `{"a":"/"}`: true, `{"a":"0"}`: true, `{"a":"-"}`: false, `{"a":"1"}`: false} {
		if got := p.Match([]byte(rec)); got != want {
			t.Errorf("[\\.-0] on %s: %v, want %v", rec, got, want)
		}
	}
}

// Property names in ['...'] and quoted values refuse what they cannot hold, with exact messages.
func TestBracketNameAndQuotedValueRefusals(t *testing.T) {
	for pattern, want := range map[string]string{
		`{ $.[''] = 1 }`:      `col 5: empty property name in ['']`,
		`{ $.['a\b'] = 1 }`:   `col 5: not supported: quotes or backslashes inside ['name'] (the user guide shows no escapes there)`,
		`{ $.['a'b'] = 1 }`:   `col 5: not supported: quotes or backslashes inside ['name'] (the user guide shows no escapes there)`,
		"{ $.['a\x01'] = 1 }": `col 5: not supported: control characters inside ['name']`,
		"{ $.['a\x1f'] = 1 }": `col 5: not supported: control characters inside ['name']`,
		"{ $.['a\x7f'] = 1 }": `col 5: not supported: control characters inside ['name']`,
		"{ $.a = \"x\x01\" }": `col 11: not supported: a control character ('\x01') in a quoted value`,
		"{ $.a = \"x\x1f\" }": `col 11: not supported: a control character ('\x1f') in a quoted value`,
		"{ $.a = \"x\x7f\" }": `col 11: not supported: a control character ('\x7f') in a quoted value`,
		`{ $.a = = 1 }`:       `col 9: expected a value after $.a =, found "="`,
		`{ $.a != <1 }`:       `col 10: expected a value after $.a !=, found "<1"`,
		`{ $.a }`:             `col 7: expected an operator (=, !=, <, <=, >, >=, IS or NOT EXISTS) after $.a, found "}"`,
		`{ $.a`:               `col 6: expected an operator (=, !=, <, <=, >, >=, IS or NOT EXISTS) after $.a, found the end of the pattern`,
		`{ $.a NOT`:           `col 10: expected EXISTS after $.a NOT, found the end of the pattern`,
	} {
		if _, err := filterpattern.Parse(pattern); err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", pattern, err, want)
		}
	}
	// A space and a printable byte are fine in ['...'] and in a quoted value.
	p := mustParse(t, "{ $.['a b~'] = \"x ~\" }")
	if !p.Match([]byte(`{"a b~":"x ~"}`)) {
		t.Errorf("['a b~'] = \"x ~\" did not match its own record")
	}
}

// A record nested deeper than MaxDepth through objects is refused with its offset, as one through
// arrays is; exactly MaxDepth levels are read.
func TestObjectNestingLimit(t *testing.T) {
	set := filterpattern.NewSet(mustParse(t, `{ $.b NOT EXISTS }`))
	hits := make([]bool, 1)
	deep := func(n int) []byte {
		return []byte(strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n))
	}
	if err := set.Match(deep(filterpattern.MaxDepth+1), hits); err == nil || err.Error() != "byte 50000: nesting deeper than 10000 levels" {
		t.Errorf("10001 objects: %v", err)
	}
	if err := set.Match(deep(filterpattern.MaxDepth), hits); err != nil || !hits[0] {
		t.Errorf("10000 objects: %v, hit %v", err, hits[0])
	}
}

// A record cut after a minus sign is cut JSON, found at its end; a \b escape in a record's string
// is a backspace the value holds.
func TestRecordEdges(t *testing.T) {
	set := filterpattern.NewSet(mustParse(t, `{ $.a = %^\x08x$% }`))
	hits := make([]bool, 1)
	if err := set.Match([]byte(`{"a":-`), hits); err == nil || err.Error() != "byte 6: unexpected end of JSON input" {
		t.Errorf(`{"a":- : %v`, err)
	}
	if err := set.Match([]byte(`{"a":"\bx"}`), hits); err != nil || !hits[0] {
		t.Errorf(`\b: %v, hit %v`, err, hits[0])
	}
	if err := set.Match([]byte(`{"a":"\fx"}`), hits); err != nil || hits[0] {
		t.Errorf(`\f matched as \b: %v, hit %v`, err, hits[0])
	}
}

// MatchesAll is true only for the empty pattern; Regexes counts the %regex% operands.
func TestMatchesAllAndRegexes(t *testing.T) {
	for src, want := range map[string][2]int{
		"":                                       {1, 0},
		"  ":                                     {1, 0},
		`{ $.a = 1 }`:                            {0, 0},
		`{ $.a = %x% }`:                          {0, 1},
		`{ $.a = %x% || $.b = 1 || $.c != %y% }`: {0, 2},
	} {
		p := mustParse(t, src)
		all := 0
		if p.MatchesAll() {
			all = 1
		}
		if got := [2]int{all, p.Regexes()}; got != want {
			t.Errorf("%q: MatchesAll, Regexes = %v, want %v", src, got, want)
		}
	}
}

// The view of a single condition: its Kind is a condition, it has no operands; a number operand
// matches its exact text only; NOT EXISTS matches no text and has no regex.
func TestViewOfASingleCondition(t *testing.T) {
	root, ok := mustParse(t, `{ $.n = 1.50 }`).Expr()
	if !ok || root.Kind() != filterpattern.ExprCond || len(root.Operands()) != 0 {
		t.Fatalf("root: ok=%v kind=%v", ok, root.Kind())
	}
	c := root.Cond()
	if !c.MatchesText("1.50") || c.MatchesText("1.5") || c.Regex() != "" {
		t.Errorf("number view: MatchesText(1.50)=%v MatchesText(1.5)=%v Regex=%q", c.MatchesText("1.50"), c.MatchesText("1.5"), c.Regex())
	}
	root, _ = mustParse(t, `{ $.n NOT EXISTS }`).Expr()
	if c := root.Cond(); c.MatchesText("") || c.MatchesText("x") || c.Regex() != "" {
		t.Errorf("NOT EXISTS view matches text or has a regex %q", c.Regex())
	}
	root, _ = mustParse(t, `{ $.n IS TRUE }`).Expr()
	if c := root.Cond(); c.MatchesText("true") {
		t.Errorf("IS TRUE view matches the text true")
	}
}

// An index whose first ten digits are exactly the largest index is still too large when more digits
// follow: $.a[21474836470] is refused, not read as [2147483647].
func TestArrayIndexBeyondTheLimitByADigit(t *testing.T) {
	want := "col 7: not supported: the array index 21474836470, larger than 2147483647"
	if _, err := filterpattern.Parse(`{ $.a[21474836470] = 1 }`); err == nil || err.Error() != want {
		t.Errorf("index 21474836470: error %v, want %q", err, want)
	}
}

// An || of exact values on one selector answers the same with three values (compared one by one)
// as with four or more (one set lookup): a string, a number by its text, an escaped string, and
// never a boolean, null, object, array or a missing key.
func TestExactValuesAnswerAlikeInEitherShape(t *testing.T) {
	three := mustParse(t, `{ $.a = "x" || $.a = "1.0" || $.a = "é" }`)
	four := mustParse(t, `{ $.a = "x" || $.a = "1.0" || $.a = "é" || $.a = "zz" }`)
	for rec, want := range map[string]bool{
		`{"a":"x"}`: true, `{"a":1.0}`: true, `{"a":"1.0"}`: true, `{"a":"\u00e9"}`: true, `{"a":"\u0078"}`: true,
		`{"a":1}`: false, `{"a":"X"}`: false, `{"a":true}`: false, `{"a":null}`: false, `{"a":{}}`: false,
		`{"a":["x"]}`: false, `{"b":"x"}`: false, `{"a":"x "}`: false,
	} {
		if got3, got4 := three.Match([]byte(rec)), four.Match([]byte(rec)); got3 != want || got4 != want {
			t.Errorf("%s: three values %v, four values %v, want %v", rec, got3, got4, want)
		}
	}
}

// Exponents of several digits compare by value: 1e12 is the thirteen-digit 1000000000000 and
// 10e11, 1.5e-12 is 0.0000000000015; 1e21 is not 1e12.
func TestMultiDigitExponents(t *testing.T) {
	big := mustParse(t, `{ $.n = 1e12 }`)
	for rec, want := range map[string]bool{`{"n":1000000000000}`: true, `{"n":10e11}`: true, `{"n":1E+12}`: true, `{"n":1e21}`: false, `{"n":100000000000}`: false, `{"n":1e13}`: false} {
		if got := big.Match([]byte(rec)); got != want {
			t.Errorf("$.n = 1e12 on %s: %v, want %v", rec, got, want)
		}
	}
	small := mustParse(t, `{ $.n = 1.5e-12 }`)
	for rec, want := range map[string]bool{`{"n":0.0000000000015}`: true, `{"n":15e-13}`: true, `{"n":0.000000000015}`: false} {
		if got := small.Match([]byte(rec)); got != want {
			t.Errorf("$.n = 1.5e-12 on %s: %v, want %v", rec, got, want)
		}
	}
}

// \x7F, the last ASCII character, is accepted in a %regex% and matches DEL; \x80 is not ASCII.
func TestRegexHexEscapeUpToDEL(t *testing.T) {
	p := mustParse(t, `{ $.a = %^\x7F$% }`)
	if !p.Match([]byte(`{"a":"\u007f"}`)) || p.Match([]byte(`{"a":"~"}`)) {
		t.Errorf(`%%^\x7F$%% does not match exactly DEL`)
	}
	want := `col 10: \x80 in %regex% is not an ASCII character`
	if _, err := filterpattern.Parse(`{ $.a = %\x80% }`); err == nil || err.Error() != want {
		t.Errorf(`\x80: %v, want %s`, err, want)
	}
}

// {m,n} with n equal to m, or to 0, is that exact count, not "m or more"; {2,0} is out of order.
func TestRepetitionBoundsAtTheirEdges(t *testing.T) {
	for pattern, recs := range map[string]map[string]bool{
		`{ $.a = %^xa{0,0}b$% }`: {`{"a":"xb"}`: true, `{"a":"xab"}`: false},
		`{ $.a = %^a{2,2}$% }`:   {`{"a":"aa"}`: true, `{"a":"aaa"}`: false, `{"a":"a"}`: false},
	} {
		p := mustParse(t, pattern)
		for rec, want := range recs {
			if got := p.Match([]byte(rec)); got != want {
				t.Errorf("%s on %s: %v, want %v", pattern, rec, got, want)
			}
		}
	}
	want := `col 11: '{2,0}' in %regex% repeats at least 2 but at most 0 times`
	if _, err := filterpattern.Parse(`{ $.a = %a{2,0}% }`); err == nil || err.Error() != want {
		t.Errorf("{2,0}: %v, want %s", err, want)
	}
}

// Canonical keeps its spaced form up to exactly MaxLen characters and drops the spaces one
// character beyond.
func TestCanonicalSpacedUpToMaxLen(t *testing.T) {
	v := strings.Repeat("x", filterpattern.MaxLen-10)
	if got, want := mustParse(t, `{$.a=`+v+`}`).Canonical(), `{ $.a = `+v+` }`; got != want {
		t.Errorf("spaced form of %d characters: got %d characters %.12q...", len(want), len(got), got)
	}
	v += "x"
	if got, want := mustParse(t, `{$.a=`+v+`}`).Canonical(), `{$.a=`+v+`}`; got != want {
		t.Errorf("spaced form of %d characters: got %d characters %.12q...", filterpattern.MaxLen+1, len(got), got)
	}
}

// The regex-cost message counts an earlier %regex% of cost 1 too.
func TestRegexCostNamesAnEarlierRegexOfOne(t *testing.T) {
	want := `col 23: not supported in %regex%: 'b{256}' brings the pattern's regex cost to 257, 1 of them in the earlier %regex%; the engine's limit is 256 (each character, class or escape counts once per repetition, so {0,1000} counts 1000), to bound the matching time per record`
	if _, err := filterpattern.Parse(`{ $.a = %a% || $.b = %b{256}% }`); err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// An || of four or more wildcard values on one selector keeps its wildcards: only exact values
// are gathered into one lookup.
func TestWildcardValuesAreNotLookedUpExactly(t *testing.T) {
	for pattern, rec := range map[string]string{
		`{ $.a = "*w" || $.a = "*x" || $.a = "*y" || $.a = "*z" }`:     `{"a":"ax"}`,
		`{ $.a = "w*" || $.a = "x*" || $.a = "y*" || $.a = "z*" }`:     `{"a":"xa"}`,
		`{ $.a = "*w*" || $.a = "*x*" || $.a = "*y*" || $.a = "*z*" }`: `{"a":"axa"}`,
	} {
		if !mustParse(t, pattern).Match([]byte(rec)) {
			t.Errorf("%s did not match %s", pattern, rec)
		}
	}
}

// Only = with a string is gathered into one lookup: four != values still mean "differs from one of
// them", and four numbers still compare by value (1.0 is 1).
func TestOnlyEqualStringsAreLookedUp(t *testing.T) {
	for pattern, rec := range map[string]string{
		`{ $.a != "w" || $.a != "x" || $.a != "y" || $.a != "z" }`: `{"a":"q"}`,
		`{ $.a = 1 || $.a = 2 || $.a = 3 || $.a = 4 }`:             `{"a":1.0}`,
	} {
		if !mustParse(t, pattern).Match([]byte(rec)) {
			t.Errorf("%s did not match %s", pattern, rec)
		}
	}
}

// Each operator's String is the operator as written in the pattern it was parsed from.
func TestEveryOpStringsAsWritten(t *testing.T) {
	for _, op := range []string{"=", "!=", "<", "<=", ">", ">=", "IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"} {
		src := "{ $.a " + op + " 1 }"
		if strings.HasPrefix(op, "IS") || op == "NOT EXISTS" {
			src = "{ $.a " + op + " }"
		}
		root, _ := mustParse(t, src).Expr()
		if got := root.Cond().Op().String(); got != op {
			t.Errorf("%s: Op().String() = %q", src, got)
		}
	}
}
