package filterpattern

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/trailwatch/trailwatch/pkg/filterpattern/internal/reference"
)

// Seeds: the user guide's examples (AWS's ten catalog patterns are seed files in
// testdata/fuzz/FuzzParse, since package catalog imports this one), each error class, and records from
// testdata plus edge cases (escapes, duplicates, non-objects, invalid UTF-8, deep nesting).
var seedPatterns = []string{
	``, ` `,
	// Near-copy of TestUserGuideExamples's list: seeds live in package filterpattern, that table in
	// filterpattern_test, which cannot see an unexported list.
	`{ $.eventType = "UpdateTrail" }`,
	`{ $.sourceIPAddress != 123.123.* }`,
	`{ $.arrayKey[0] = "value" }`,
	`{ $.objectList[1].id = 2 }`,
	`{ $.SomeObject IS NULL }`,
	`{ $.SomeOtherObject NOT EXISTS }`,
	`{ $.ThisFlag IS TRUE }`,
	`{ $.eventType = %Trail% }`,
	`{ $.['cluster.name'] = "c" }`,
	`{ $.latency > +1000 || $.n[0] < 10e-3 && $.x = 1e+3 }`,
	`{ $.a = %^[hc]at|\d{1,3}\.\x3A$% && $.b != %[^a-z_]+% }`,
	`{ $.a = "say \"hi\" \\" }`,
	`{($.a=1)||($.b!=*x)&&($.c<=-0.5e-7)}`,
	`{ ($.eventName = CreateVpc }`,
	`{ $.a[01] = 1 }`, `{ $.a[*] = 1 }`, `{ $.a IS NOT NULL }`, `{ $.a = %(x)% }`,
	`ERROR`, `[a, b]`, `%x%`,
	`{ ($.eventSource = sso-directory.amazonaws.com) }`, `{$.awsRegion!=us-east*||$.a=1-2}`, `{ $.a = user@x }`,
	`{ $.a = us- || $.b = -x }`, `{ $.a = a--b }`, `{ $.a = "-" || $.b = "us-*" }`,
	`{ (($.a = 1 || $.b = "x y") && ($.c = 2 || $.['d.e'][0] IS NULL)) || $.f NOT EXISTS }`,
	`{ $.a = %^\w{0,255}$% }`, `{ $.a = %\w{0,257}% }`, `{ $.a = %[a-z]{128}% && $.b = %[^-]{0,128}% }`,
}

var seedRecords = []string{
	`{}`, `{"a":1}`, `{"a":"1","a":null}`, `{"a":{"b":[1,{"c":"\u00e9\ud83d\ude00"}]}}`,
	`{"eventName":"Create\u0056pc","requestParameters":{"instanceType":"m5.8xlarge"}}`,
	`{"e\u0076entName":"x","errorCode":"AccessDeniedException"}`,
	`{"n":9007199254740993,"m":-0.0,"o":1e400}`,
	`[1]`, `"s"`, `null`, ``, `{"a":`, `{"a":1}x`, "{\"a\":\"\xff\"}", `{"a":"\ud800"}`,
	`{"a":[[[[[[[[[[[]]]]]]]]]]]}`,
}

func addSeedRecords(f *testing.F, add func([]byte)) {
	for _, r := range seedRecords {
		add([]byte(r))
	}
	data, err := os.ReadFile("testdata/cloudtrail.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		add(bytes.Clone(sc.Bytes()))
	}
}

// FuzzParse: Parse never panics; it accepts exactly the patterns the independent reference
// accepts; an error is a *SyntaxError inside the pattern; a pattern that parses keeps its text,
// matching it never panics and agrees with the reference evaluator, and its Canonical form parses
// to the same Canonical and matches exactly the same records (the seed records and
// testdata/cloudtrail.jsonl).
func FuzzParse(f *testing.F) {
	for _, p := range seedPatterns {
		f.Add(p)
	}
	records := [][]byte{}
	addSeedRecords(f, func(rec []byte) { records = append(records, rec) })
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Parse(src)
		if _, rerr := reference.Parse(src); (err == nil) != (rerr == nil) {
			t.Fatalf("Parse(%q): engine error %v, reference error %v", src, err, rerr)
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) returned %T, not *SyntaxError", src, err)
			}
			if se.Col < 1 || se.Col > utf8.RuneCountInString(src)+1 || se.Msg == "" {
				t.Fatalf("Parse(%q): error %q points outside the pattern", src, err)
			}
			return
		}
		if p.String() != src {
			t.Fatalf("String() = %q, want %q", p.String(), src)
		}
		c := p.Canonical()
		q, err := Parse(c)
		if err != nil {
			t.Fatalf("Parse(Canonical()) of %q: %v\ncanonical: %q", src, err, c)
		}
		if qc := q.Canonical(); qc != c {
			t.Fatalf("Canonical() of %q is not stable:\nonce:  %q\ntwice: %q", src, c, qc)
		}
		for _, rec := range records {
			checkAgainstReference(t, p, rec)
			if p.Match(rec) != q.Match(rec) {
				t.Fatalf("%q and its canonical form %q disagree on %q", src, c, rec)
			}
		}
	})
}

// FuzzMatch: for any pattern that parses and any record, Set.Match, Pattern.Match, the reference
// evaluator and Match on the record re-encoded by encoding/json all agree, and the Set reports a
// RecordError exactly when encoding/json (plus UTF-8 validation) rejects the record as an object.
func FuzzMatch(f *testing.F) {
	pats := seedPatterns
	i := 0
	addSeedRecords(f, func(rec []byte) {
		f.Add(pats[i%len(pats)], rec)
		i++
	})
	f.Fuzz(func(t *testing.T, src string, rec []byte) {
		p, err := Parse(src)
		if err != nil {
			return
		}
		checkAgainstReference(t, p, rec)
	})
}

func checkAgainstReference(t *testing.T, p *Pattern, rec []byte) {
	t.Helper()
	set := NewSet(p, p)
	hits := make([]bool, 2)
	err := set.Match(rec, hits)
	valid := refDecode(rec) != nil
	if (err == nil) != valid {
		t.Fatalf("Set.Match error %v, but encoding/json says valid object = %v\nrecord: %q", err, valid, rec)
	}
	if err != nil {
		var re *RecordError
		if !errors.As(err, &re) || re.Offset < 0 || re.Offset > len(rec) {
			t.Fatalf("bad record error %v for %q", err, rec)
		}
	}
	if hits[0] != hits[1] || p.Match(rec) != hits[0] {
		t.Fatalf("Set and Pattern.Match disagree on %q with %s", rec, p)
	}
	want, rerr := refPattern(t, p).Match(rec)
	if rerr != nil && !errors.Is(rerr, reference.ErrUnknown) {
		t.Fatalf("reference: %v", rerr)
	}
	if rerr == nil && want != hits[0] {
		t.Fatalf("engine says %v, reference says %v\npattern: %s\nrecord:  %q", hits[0], want, p, rec)
	}
	if re, ok := reencode(rec); ok && rerr == nil && p.Match(re) != want {
		t.Fatalf("on the re-encoded record engine says %v, want %v\npattern: %s\nrecord:  %q\nre-encoded: %q", !want, want, p, rec, re)
	}
}
