package filterpattern_test

// Tests at the edges mutation testing found unguarded (go run ./tools/mutate ./pkg/filterpattern):
// each limit on both sides, bytes at the ASCII boundary, lowercase hex escapes, truncated records,
// and a trie node with more keys than fit its linear scan.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// A count of 1000 passes the repetition-count check and is then refused by the regex cost limit
// (MaxRegexCost, 256); 1001 is refused by the count check itself, which comes first.
func TestRepeatCountLimitIsInclusive(t *testing.T) {
	for _, ok := range []string{`{ $.a = %a{1000}% }`, `{ $.a = %a{2,1000}% }`, `{ $.a = %a{,1000}% }`} {
		if _, err := filterpattern.Parse(ok); err == nil || !strings.Contains(err.Error(), "brings the pattern's regex cost to 1000; the engine's limit is 256") {
			t.Errorf("%s: error %v, want the regex cost limit", ok, err)
		}
	}
	want := "col 11: not supported in %regex%: a repetition count above 1000"
	for _, bad := range []string{`{ $.a = %a{1001}% }`, `{ $.a = %a{2,1001}% }`, `{ $.a = %a{,1001}% }`} {
		if _, err := filterpattern.Parse(bad); err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %q", bad, err, want)
		}
	}
}

func TestArrayIndexLimitIsInclusive(t *testing.T) {
	p, err := filterpattern.Parse(`{ $.a[2147483647] = 1 }`)
	if err != nil {
		t.Fatalf("index 2147483647: %v", err)
	}
	if p.Match([]byte(`{"a":[1]}`)) {
		t.Errorf("index 2147483647 matched a one-element array")
	}
	want := "col 7: not supported: the array index 2147483648, larger than 2147483647"
	if _, err := filterpattern.Parse(`{ $.a[2147483648] = 1 }`); err == nil || err.Error() != want {
		t.Errorf("index 2147483648: error %v, want %q", err, want)
	}
}

// Errors quote an ASCII byte as a character and anything from 0x80 up as a byte.
func TestBadRecordBytesAreQuotedByKind(t *testing.T) {
	for rec, want := range map[string]string{
		"{\"a\":\x7f}": `byte 5: invalid character '\x7f' looking for beginning of value`,
		"{\"a\":\x80}": "byte 5: invalid character byte 0x80 looking for beginning of value",
	} {
		if err := filterpattern.NewSet().Match([]byte(rec), nil); err == nil || err.Error() != want {
			t.Errorf("%q: error %v, want %q", rec, err, want)
		}
	}
}

// \u escapes decode in either case of hex digit.
func TestUnicodeEscapesInEitherCase(t *testing.T) {
	p := mustParse(t, `{ $.a = "é!" }`)
	for _, rec := range []string{`{"a":"\u00e9\u0021"}`, `{"a":"\u00E9\u0021"}`, `{"a":"é!"}`} {
		if !p.Match([]byte(rec)) {
			t.Errorf("%s does not match a = \"é!\"", rec)
		}
	}
	if p.Match([]byte(`{"a":"\u00e8!"}`)) {
		t.Errorf(`\u00e8 matched é`)
	}
}

// Every prefix of a record is an error, never a panic (the scanner reads strings eight bytes at a
// time and must stop short of the end).
func TestTruncatedRecordsFailCleanly(t *testing.T) {
	rec := `{"eventName":"ConsoleLoginWithAVeryLongNameIndeed","n":[1,2.5e3,true,null],"o":{"k":"\u00e9"}}`
	set := filterpattern.NewSet(mustParse(t, `{ $.eventName = "ConsoleLogin*" }`))
	hits := make([]bool, set.Len())
	for n := 0; n < len(rec); n++ {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("prefix of %d bytes: panic %v", n, r)
				}
			}()
			if err := set.Match([]byte(rec[:n]), hits); err == nil {
				t.Errorf("prefix of %d bytes %q: no error", n, rec[:n])
			}
		}()
	}
	if err := set.Match([]byte(rec), hits); err != nil || !hits[0] {
		t.Errorf("the whole record: hits %v, error %v", hits, err)
	}
	// Valid records with trailing whitespace: a string may end anywhere up to eight bytes before
	// the end of the record.
	for pad := 0; pad <= 9; pad++ {
		rec := `{"eventName":"ConsoleLogin"}` + fmt.Sprintf("%*s", pad, "")
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%q: panic %v", rec, r)
				}
			}()
			if err := set.Match([]byte(rec), hits); err != nil || !hits[0] {
				t.Errorf("%q: hits %v, error %v", rec, hits, err)
			}
		}()
	}
}

// A node with more keys than its linear scan holds switches to a map; every key must still be
// found, whichever order the patterns came in.
func TestManySiblingKeys(t *testing.T) {
	const n = 20
	patterns := make([]*filterpattern.Pattern, n)
	for i := range patterns {
		patterns[i] = mustParse(t, fmt.Sprintf(`{ $.k%d = 1 }`, i))
	}
	set := filterpattern.NewSet(patterns...)
	hits := make([]bool, set.Len())
	for i := 0; i < n; i++ {
		if err := set.Match([]byte(fmt.Sprintf(`{"k%d":1}`, i)), hits); err != nil {
			t.Fatal(err)
		}
		for j, hit := range hits {
			if hit != (j == i) {
				t.Errorf("record k%d: pattern k%d hit = %v", i, j, hit)
			}
		}
	}
}

// Repetition counts of more than one digit are read as numbers.
func TestRepeatCountsOfTwoDigits(t *testing.T) {
	p := mustParse(t, `{ $.a = %^x{12}$% }`)
	for n, want := range map[int]bool{11: false, 12: true, 13: false} {
		rec := fmt.Sprintf(`{"a":"%s"}`, strings.Repeat("x", n))
		if got := p.Match([]byte(rec)); got != want {
			t.Errorf("x{12} on %d x's: %v, want %v", n, got, want)
		}
	}
}

// A range given by \xHH escapes is checked and matched by the escapes' values.
func TestHexRanges(t *testing.T) {
	p := mustParse(t, `{ $.a = %^[\x41-\x43]$% }`)
	for rec, want := range map[string]bool{`{"a":"B"}`: true, `{"a":"C"}`: true, `{"a":"D"}`: false, `{"a":"@"}`: false} {
		if got := p.Match([]byte(rec)); got != want {
			t.Errorf("[\\x41-\\x43] on %s: %v, want %v", rec, got, want)
		}
	}
	for pattern, want := range map[string]string{
		`{ $.a = %[\x42-\x41]% }`: "col 15: range B-A in %regex% is out of order",
		`{ $.a = %[\x61-B]% }`:    "col 15: range a-B in %regex% is out of order",
	} {
		if _, err := filterpattern.Parse(pattern); err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %q", pattern, err, want)
		}
	}
}

// A range of one character ([b-b], [\x42-\x42]) is in order and matches that character.
func TestOneCharacterRange(t *testing.T) {
	for _, pattern := range []string{`{ $.a = %^[b-b]$% }`, `{ $.a = %^[\x62-\x62]$% }`} {
		p := mustParse(t, pattern)
		for rec, want := range map[string]bool{`{"a":"b"}`: true, `{"a":"a"}`: false, `{"a":"c"}`: false} {
			if got := p.Match([]byte(rec)); got != want {
				t.Errorf("%s on %s: %v, want %v", pattern, rec, got, want)
			}
		}
	}
}

// Inside a JSON string a raw control character (below 0x20) and a byte that is not UTF-8 are
// errors; DEL (0x7f) is a plain character. Checked at each end of the byte-at-a-time path too.
func TestRawBytesInStrings(t *testing.T) {
	set := filterpattern.NewSet(mustParse(t, `{ $.b = 1 }`))
	for rec, want := range map[string]string{
		"{\"a\":\"x\x1fy\",\"b\":1}":  `byte 7: invalid character '\x1f' in string literal`,
		"{\"a\":\"\x1f\",\"b\":1}":    `byte 6: invalid character '\x1f' in string literal`,
		"{\"a\":\"x\x80y\",\"b\":1}":  "byte 7: invalid UTF-8 in string literal",
		"{\"a\":\"x\x7fy\",\"b\":1}":  "",
		"{\"a\":\"x y\x7f\",\"b\":1}": "",
	} {
		hits := make([]bool, set.Len())
		err := set.Match([]byte(rec), hits)
		switch {
		case want == "" && (err != nil || !hits[0]):
			t.Errorf("%q: %v, hit %v; want a match", rec, err, hits[0])
		case want != "" && (err == nil || err.Error() != want || hits[0]):
			t.Errorf("%q: %v, hit %v; want %q", rec, err, hits[0], want)
		}
	}
	// The lowest character as a one-character range.
	p := mustParse(t, `{ $.a = %^[\x00-\x00]$% }`)
	if !p.Match([]byte(`{"a":"\u0000"}`)) || p.Match([]byte(`{"a":"0"}`)) {
		t.Errorf("[\\x00-\\x00] does not match exactly U+0000")
	}
}

// Each two-byte escape is skipped as two bytes, even right before the closing quote.
func TestTwoByteEscapesBeforeTheClosingQuote(t *testing.T) {
	set := filterpattern.NewSet(mustParse(t, `{ $.b = 1 }`))
	hits := make([]bool, set.Len())
	for _, esc := range []string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`} {
		rec := `{"a":"x` + esc + `","b":1}`
		if err := set.Match([]byte(rec), hits); err != nil || !hits[0] {
			t.Errorf("%s: hits %v, error %v", rec, hits, err)
		}
	}
}

// Only the nodes patterns select hold a value: an object on the way to a selected field does not
// overwrite another pattern's value.
func TestIntermediateObjectsHoldNoValue(t *testing.T) {
	set := filterpattern.NewSet(mustParse(t, `{ $.x = 1 }`), mustParse(t, `{ $.a.b = 2 }`))
	hits := make([]bool, set.Len())
	for _, rec := range []string{`{"x":1,"a":{"b":2}}`, `{"a":{"b":2},"x":1}`} {
		if err := set.Match([]byte(rec), hits); err != nil || !hits[0] || !hits[1] {
			t.Errorf("%s: hits %v, error %v", rec, hits, err)
		}
	}
}

// All four digits of a \u escape are checked.
func TestUnicodeEscapesCheckEveryDigit(t *testing.T) {
	for rec, want := range map[string]string{
		`{"a":"\uZ041"}`: `byte 8: invalid character 'Z' in \u hexadecimal character escape`,
		`{"a":"\u004Z"}`: `byte 11: invalid character 'Z' in \u hexadecimal character escape`,
	} {
		if err := filterpattern.NewSet().Match([]byte(rec), nil); err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %q", rec, err, want)
		}
	}
}
