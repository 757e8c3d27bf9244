package cfn

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestStaticString(t *testing.T) {
	cases := []struct {
		raw  string
		want string
		ok   bool
	}{
		{`"plain"`, "plain", true},
		{`{"Fn::Join":["-",["a","b",{"Fn::Join":["",["c","d"]]}]]}`, "a-b-cd", true},
		{`{"Fn::Sub":"no variables"}`, "no variables", true},
		{`{"Fn::Sub":"arn:${AWS::Partition}"}`, "", false},
		{`{"Ref":"X"}`, "", false},
		{`{"Fn::Join":["",["a",{"Ref":"X"}]]}`, "", false},
		{`{"Fn::Join":["",["a"],"extra"]}`, "", false},
		{`{"Fn::Join":"x","Ref":"y"}`, "", false},
		{`7`, "", false},
		{`null`, "", false}, // a FilterPattern: null is no pattern, not the empty one
		{`{"Fn::Join":["",["a",null]]}`, "", false},
	}
	for _, c := range cases {
		got, ok := StaticString(json.RawMessage(c.raw))
		if got != c.want || ok != c.ok {
			t.Errorf("StaticString(%s) = %q, %v; want %q, %v", c.raw, got, ok, c.want, c.ok)
		}
	}
	if _, ok := StaticString(nil); ok {
		t.Error("StaticString(nil) is ok")
	}
}

// Nesting is resolved to 8 levels (maxIntrinsicDepth) and no deeper: a hostile template nesting
// thousands of Fn::Join took seconds per value.
func TestStaticStringDepthLimit(t *testing.T) {
	nest := func(levels int) json.RawMessage {
		v := `"x"`
		for range levels {
			v = `{"Fn::Join":["",[` + v + `]]}`
		}
		return json.RawMessage(v)
	}
	if s, ok := StaticString(nest(8)); !ok || s != "x" {
		t.Errorf("8 levels = %q, %v; want \"x\", true", s, ok)
	}
	if s, ok := StaticString(nest(9)); ok {
		t.Errorf("9 levels = %q, true; want refused", s)
	}
	// A separator's levels count, and a pattern's with names known at deploy time count alike.
	for _, c := range []struct {
		name string
		raw  string
		ok   bool
	}{
		{"a separator of 7 levels", `{"Fn::Join":[` + string(nest(7)) + `,["a","b"]]}`, true},
		{"a separator of 8 levels", `{"Fn::Join":[` + string(nest(8)) + `,["a","b"]]}`, false},
		{"a pattern's separator of 7 levels", `{"Fn::Join":[` + string(nest(7)) + `,["a",{"Ref":"B"}]]}`, true},
		{"a pattern's separator of 8 levels", `{"Fn::Join":[` + string(nest(8)) + `,["a",{"Ref":"B"}]]}`, false},
		{"a pattern's part of 7 levels", `{"Fn::Join":["",[` + string(nest(7)) + `,{"Ref":"B"}]]}`, true},
		{"a pattern's part of 8 levels", `{"Fn::Join":["",[` + string(nest(8)) + `,{"Ref":"B"}]]}`, false},
	} {
		_, _, ok := Pattern(json.RawMessage(c.raw))
		if ok != c.ok {
			t.Errorf("%s: ok = %v, want %v", c.name, ok, c.ok)
		}
	}
}

func TestPatternAndResolve(t *testing.T) {
	raw := `{"Fn::Join":["",["{ $.b = \"",{"Ref":"Bucket"},"\" || $.k = \"",{"Fn::GetAtt":["Key","Arn"]},"\" || $.t = \"",{"Ref":"Bucket"},"\" }"]]}`
	text, refs, ok := Pattern(json.RawMessage(raw))
	if !ok || text != `{ $.b = "${Bucket}" || $.k = "${Key.Arn}" || $.t = "${Bucket}" }` || !slices.Equal(refs, []string{"Bucket", "Key.Arn", "Bucket"}) {
		t.Fatalf("Pattern = %q, %q, %v", text, refs, ok)
	}
	got, missing := Resolve(text, refs, func(name string) (string, bool) {
		v, ok := map[string]string{"Bucket": "trail-bucket-1"}[name]
		return v, ok
	})
	if got != `{ $.b = "trail-bucket-1" || $.k = "${Key.Arn}" || $.t = "trail-bucket-1" }` || !slices.Equal(missing, []string{"Key.Arn"}) {
		t.Errorf("Resolve = %q, missing %q", got, missing)
	}
	if s, refs, ok := Pattern(json.RawMessage(`"{ $.a = 1 }"`)); !ok || s != "{ $.a = 1 }" || refs != nil {
		t.Errorf("static pattern = %q, %q, %v", s, refs, ok)
	}
	for _, bad := range []string{`{"Fn::Join":["",[{"Fn::Sub":"${X}"}]]}`, `{"Ref":"X"}`, `{"Fn::Join":["",[{"Fn::GetAtt":["OnlyOne"]}]]}`} {
		if _, _, ok := Pattern(json.RawMessage(bad)); ok {
			t.Errorf("Pattern(%s) is ok", bad)
		}
	}
}
