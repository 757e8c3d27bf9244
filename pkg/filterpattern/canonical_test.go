package filterpattern_test

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

var (
	testRecordsOnce sync.Once
	testRecords     [][]byte
	testRecordsErr  error
)

// packageRecords returns the records of testdata/cloudtrail.jsonl.
func packageRecords(t *testing.T) [][]byte {
	t.Helper()
	testRecordsOnce.Do(func() {
		data, err := os.ReadFile("testdata/cloudtrail.jsonl")
		if err != nil {
			testRecordsErr = err
			return
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
		for sc.Scan() {
			if b := bytes.TrimSpace(sc.Bytes()); len(b) > 0 {
				testRecords = append(testRecords, bytes.Clone(b))
			}
		}
		testRecordsErr = sc.Err()
	})
	if testRecordsErr != nil || len(testRecords) == 0 {
		t.Fatalf("testdata/cloudtrail.jsonl: %v (%d records)", testRecordsErr, len(testRecords))
	}
	return testRecords
}

// checkCanonical: Parse(p.Canonical()) succeeds, prints the same Canonical, and matches exactly
// what p matches on the package's records and on rows.
func checkCanonical(t *testing.T, p *filterpattern.Pattern, rows []row) {
	t.Helper()
	c := p.Canonical()
	q, err := filterpattern.Parse(c)
	if err != nil {
		t.Errorf("Parse(Canonical()) of %q: %v\n\tcanonical: %q", p, err, c)
		return
	}
	if qc := q.Canonical(); qc != c {
		t.Errorf("Canonical() of %q is not stable:\n\tonce:  %q\n\ttwice: %q", p, c, qc)
	}
	recs := packageRecords(t)
	for _, r := range rows {
		recs = append(recs[:len(recs):len(recs)], []byte(r.record))
	}
	for _, rec := range recs {
		if p.Match(rec) != q.Match(rec) {
			t.Errorf("%q and its canonical form %q disagree on %s", p, c, rec)
		}
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct{ src, want string }{
		{``, ``},
		{" \t\n", ``},
		// Spacing, quotes that are not needed, redundant parentheses, bracket names.
		{`{($.eventName="CreateTrail")||($.eventName=UpdateTrail)}`, `{ $.eventName = CreateTrail || $.eventName = UpdateTrail }`},
		{`{ (($.a = 1)) }`, `{ $.a = 1 }`},
		{`{ $.['a'].['b.c'][0] = x }`, `{ $.a.['b.c'][0] = x }`},
		// Chains flatten; || inside && keeps its parentheses, && inside || needs none.
		{`{ ($.a = 1 || $.b = 2) || $.c = 3 }`, `{ $.a = 1 || $.b = 2 || $.c = 3 }`},
		{`{ $.a = 1 && ($.b = 2 && $.c = 3) }`, `{ $.a = 1 && $.b = 2 && $.c = 3 }`},
		{`{ ($.a = 1 || $.b = 2) && $.c = 3 }`, `{ ($.a = 1 || $.b = 2) && $.c = 3 }`},
		{`{ ($.a = 1 && $.b = 2) || $.c = 3 }`, `{ $.a = 1 && $.b = 2 || $.c = 3 }`},
		{`{ $.a = 1 && ($.b = 2 || ($.c = 3 && ($.d = 4 || $.e = 5))) }`, `{ $.a = 1 && ($.b = 2 || $.c = 3 && ($.d = 4 || $.e = 5)) }`},
		// Values: a number keeps its text; a string that would read as a number, or needs quotes
		// or escapes, is quoted; wildcards stay.
		{`{ $.a = +1.50E3 && $.b = "1" && $.c = "" && $.d = "a b" }`, `{ $.a = +1.50E3 && $.b = "1" && $.c = "" && $.d = "a b" }`},
		{`{ $.a = "say \"hi\" \\" || $.b = "café" || $.c = "x:y" }`, `{ $.a = "say \"hi\" \\" || $.b = "café" || $.c = "x:y" }`},
		{`{ $.a = "*x*" || $.b = "Ev*ent" || $.c = "*" || $.d = "**" }`, `{ $.a = *x* || $.b = Ev*ent || $.c = * || $.d = ** }`},
		{`{ $.a = "sso-directory.amazonaws.com" || $.b = "-5" || $.c = "-x" }`, `{ $.a = sso-directory.amazonaws.com || $.b = "-5" || $.c = "-x" }`},
		// Keywords and regexes.
		{`{$.a IS NULL||$.b IS TRUE&&$.c IS FALSE||$.d NOT EXISTS}`, `{ $.a IS NULL || $.b IS TRUE && $.c IS FALSE || $.d NOT EXISTS }`},
		{`{$.a=%^[hc]at|\d{1,3}$%&&$.b!=% x%}`, `{ $.a = %^[hc]at|\d{1,3}$% && $.b != % x% }`},
		{`{$.a<=-0.5e-7||$.a>=1||$.a<2||$.a>3}`, `{ $.a <= -0.5e-7 || $.a >= 1 || $.a < 2 || $.a > 3 }`},
	}
	for _, tt := range tests {
		p, err := filterpattern.Parse(tt.src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.src, err)
		}
		if got := p.Canonical(); got != tt.want {
			t.Errorf("Canonical() of %q\n got: %q\nwant: %q", tt.src, got, tt.want)
		}
		checkCanonical(t, p, nil)
	}
}

// TestCanonicalStaysWithinMaxLen: a compact pattern of MaxLen characters whose spaced form would
// be longer prints without optional spaces, and still reads back.
func TestCanonicalStaysWithinMaxLen(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{$.a=1`)
	for b.Len()+len(`||$.a=1}`) <= filterpattern.MaxLen {
		b.WriteString(`||$.a=1`)
	}
	b.WriteString(`}`)
	src := b.String()
	p, err := filterpattern.Parse(src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	c := p.Canonical()
	if c != src {
		t.Errorf("Canonical() of a %d-character compact pattern = %.60q...; want the compact form", len(src), c)
	}
	checkCanonical(t, p, []row{yes(`{"a":1}`), no(`{"a":2}`)})
}
