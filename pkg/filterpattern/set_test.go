package filterpattern_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

func mustParse(t testing.TB, s string) *filterpattern.Pattern {
	t.Helper()
	p, err := filterpattern.Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return p
}

// TestRecordErrors pins the offset and message for each way a record can fail to be a JSON object.
func TestRecordErrors(t *testing.T) {
	tests := []struct{ record, want string }{
		{``, `byte 0: empty record`},
		{"  \n", `byte 3: unexpected end of JSON input`},
		{`{"a":1`, `byte 6: unexpected end of JSON input`},
		{`{"a":"x`, `byte 7: unexpected end of JSON input`},
		{`{"a":1}x`, `byte 7: invalid character 'x' after top-level value`},
		{`{"a":1}{}`, `byte 7: invalid character '{' after top-level value`},
		{`[1]`, `byte 0: record is a JSON array, not an object`},
		{` "s"`, `byte 1: record is a JSON string, not an object`},
		{`42`, `byte 0: record is a JSON number, not an object`},
		{`null`, `byte 0: record is a JSON null, not an object`},
		{`not json`, `byte 1: invalid character 'o' in literal null`},
		{`<xml/>`, `byte 0: invalid character '<' looking for beginning of value`},
		{`{a:1}`, `byte 1: invalid character 'a' looking for beginning of object key string`},
		{`{"a" 1}`, `byte 5: invalid character '1' after object key`},
		{`{"a":01}`, `byte 6: invalid character '1' after object key:value pair`},
		{`{"a":tru}`, `byte 8: invalid character '}' in literal true`},
		{`{"a":[1 2]}`, `byte 8: invalid character '2' after array element`},
		{`{"a":-}`, `byte 6: invalid character '}' in numeric literal`},
		{`{"a":1.}`, `byte 7: invalid character '}' after decimal point in numeric literal`},
		{`{"a":1e}`, `byte 7: invalid character '}' in exponent of numeric literal`},
		{`{"a":"\x"}`, `byte 7: invalid character 'x' in string escape code`},
		{`{"a":"\u12G4"}`, `byte 10: invalid character 'G' in \u hexadecimal character escape`},
		{"{\"a\":\"x\ny\"}", `byte 7: invalid character '\n' in string literal`},
		{"{\"a\":\"\xff\"}", `byte 6: invalid UTF-8 in string literal`},
		{"{\"a\":1,}", `byte 7: invalid character '}' looking for beginning of object key string`},
		{"\xef\xbb\xbf{}", `byte 0: invalid character byte 0xef looking for beginning of value`},
	}
	set := filterpattern.NewSet(mustParse(t, `{ $.a NOT EXISTS }`), mustParse(t, ``))
	hits := make([]bool, 2)
	for _, tt := range tests {
		err := set.Match([]byte(tt.record), hits)
		var re *filterpattern.RecordError
		if !errors.As(err, &re) {
			t.Errorf("Match(%q) error = %v, want a *RecordError", tt.record, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Match(%q)\n got: %s\nwant: %s", tt.record, err, tt.want)
		}
		if hits[0] || !hits[1] {
			t.Errorf("Match(%q) hits = %v, want [false true]: only the empty pattern matches a non-object", tt.record, hits)
		}
	}
}

// TestSetKeepsPatternOrder checks that hits[i] belongs to the i-th pattern, with overlapping and
// repeated selectors across patterns.
func TestSetKeepsPatternOrder(t *testing.T) {
	srcs := []string{
		`{ $.eventName = CreateVpc }`,
		`{ $.eventName = DeleteVpc }`,
		``,
		`{ $.requestParameters.instanceType = *.8xlarge }`,
		`{ $.requestParameters NOT EXISTS }`,
		`{ $.requestParameters.instanceType NOT EXISTS && $.eventName = CreateVpc }`,
		`{ $.eventName = CreateVpc }`,
	}
	var ps []*filterpattern.Pattern
	for _, s := range srcs {
		ps = append(ps, mustParse(t, s))
	}
	set := filterpattern.NewSet(ps...)
	if set.Len() != len(srcs) {
		t.Fatalf("Len() = %d, want %d", set.Len(), len(srcs))
	}
	for i, s := range srcs {
		if set.Pattern(i).String() != s {
			t.Errorf("Pattern(%d) = %q, want %q", i, set.Pattern(i), s)
		}
	}
	tests := []struct {
		record string
		want   []bool
	}{
		{`{"eventName":"CreateVpc"}`, []bool{true, false, true, false, true, true, true}},
		{`{"eventName":"DeleteVpc","requestParameters":{"instanceType":"m5.8xlarge"}}`, []bool{false, true, true, true, false, false, false}},
		{`{"eventName":"CreateVpc","requestParameters":{}}`, []bool{true, false, true, false, false, true, true}},
	}
	hits := make([]bool, set.Len()+3) // longer is fine; the extra elements are not touched
	for _, tt := range tests {
		for i := range hits {
			hits[i] = true
		}
		if err := set.Match([]byte(tt.record), hits); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(hits[:set.Len()]); got != fmt.Sprint(tt.want) {
			t.Errorf("on %s\n got %s\nwant %v", tt.record, got, tt.want)
		}
		if !hits[set.Len()] {
			t.Errorf("Match wrote past Len()")
		}
		for i, p := range ps {
			if p.Match([]byte(tt.record)) != tt.want[i] {
				t.Errorf("pattern %d alone disagrees with the Set on %s", i, tt.record)
			}
		}
	}
}

func TestEmptySet(t *testing.T) {
	set := filterpattern.NewSet()
	if err := set.Match([]byte(`{"a":1}`), nil); err != nil {
		t.Errorf("an empty Set rejected a valid record: %v", err)
	}
	if err := set.Match([]byte(`{"a":`), nil); err == nil || err.Error() != "byte 5: unexpected end of JSON input" {
		t.Errorf("an empty Set on an invalid record: error %v, want %q", err, "byte 5: unexpected end of JSON input")
	}
}

// TestSetIsSafeForConcurrentUse shares one Set among goroutines; run it with -race.
func TestSetIsSafeForConcurrentUse(t *testing.T) {
	set := filterpattern.NewSet(
		mustParse(t, `{ $.eventName = "Create\"Vpc" }`),
		mustParse(t, `{ $.n > 5 || $.s = %x% }`),
		mustParse(t, `{ $.a[1].b IS NULL }`),
	)
	records := []string{
		`{"eventName":"Create\"Vpc","n":1}`,
		`{"eventName":"Create\u0022Vpc","n":6}`,
		`{"s":"axb","a":[0,{"b":null}]}`,
		`{"s":"a\u0078b"}`,
		`{"eventName":"CreateVpc"`,
	}
	want := make([][]bool, len(records))
	wantErr := make([]bool, len(records))
	for i, r := range records {
		want[i] = make([]bool, set.Len())
		wantErr[i] = set.Match([]byte(r), want[i]) != nil
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hits := make([]bool, set.Len())
			for k := 0; k < 2000; k++ {
				i := (k + g) % len(records)
				err := set.Match([]byte(records[i]), hits)
				if (err != nil) != wantErr[i] || fmt.Sprint(hits) != fmt.Sprint(want[i]) {
					t.Errorf("goroutine %d: record %d gave %v %v, want %v (error %v)", g, i, hits, err, want[i], wantErr[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestMatchDoesNotAllocate: the hot path of Set.Match and Pattern.Match allocates nothing once
// the pool is warm, including records whose selected strings need unescaping.
func TestMatchDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	p := mustParse(t, `{ ($.eventName = "Create\"Vpc") || ($.requestParameters.instanceType = *.8xlarge) || $.n >= 1e3 || $.m = %^a.c$% }`)
	set := filterpattern.NewSet(p, mustParse(t, `{ $.errorCode = "AccessDenied*" }`))
	hits := make([]bool, set.Len())
	rec := []byte(`{"eventName":"Create\u0022Vpc","requ\u0065stParameters":{"instanceType":"m5.8xlarge"},"n":1000.5,"m":"a\tc","errorCode":"AccessDenied"}`)
	if n := testing.AllocsPerRun(200, func() { _ = set.Match(rec, hits) }); n != 0 {
		t.Errorf("Set.Match allocates %.1f times per call, want 0", n)
	}
	if n := testing.AllocsPerRun(200, func() { p.Match(rec) }); n != 0 {
		t.Errorf("Pattern.Match allocates %.1f times per call, want 0", n)
	}
	if !hits[0] || !hits[1] {
		t.Errorf("hits = %v, want both true", hits)
	}
}
