package test

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// templateFile is the template as `cdk synth` writes it to cdk.out (JSON.stringify with one space
// of indent), which is what `cdk deploy` uploads and CloudFormation measures.
func templateFile(t *testing.T, tmpl map[string]any) []byte {
	t.Helper()
	var b bytes.Buffer
	// Near-copy of golden_test.go's encoder: one-space indent, no asset-hash rewrite.
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(tmpl); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// The configuration predicts its stack: the resource count exactly, the template size from above
// and within a margin, for every variant of the table (a StackSet's member stack included). So
// config's checks against CloudFormation's limits (500 resources, 1 MB) are exact, not a guess.
func TestConfigPredictsTheTemplate(t *testing.T) {
	for _, v := range variantTable {
		t.Run(v.name, func(t *testing.T) {
			f := v.fixture(t)
			tmpl, cfg := f.json, f.cfg.Deployed()
			size := len(templateFile(t, tmpl))
			if len(f.cfg.StackSet.OUs) > 0 {
				res, _ := tmpl["Resources"].(map[string]any)
				if len(res) != 1 {
					t.Fatalf("the StackSet stack has %d resources, want 1", len(res))
				}
				_, set := f.only(t, "AWS::CloudFormation::StackSet")
				body, _ := props(set)["TemplateBody"].(string)
				tmpl = nil
				if err := json.Unmarshal([]byte(body), &tmpl); err != nil {
					t.Fatal(err)
				}
				size = 0 // the member's body is compact JSON; stacks.NewStackSet measures it exactly
			}
			res, _ := tmpl["Resources"].(map[string]any)
			if got, want := cfg.Resources(), len(res); got != want {
				t.Errorf("config counts %d resources, the template has %d", got, want)
			}
			bound := cfg.TemplateBytes()
			if size > 0 && (bound < size || float64(bound) > 1.3*float64(size)) {
				t.Errorf("config bounds the template at %d bytes; it is %d (want the bound above it, within 30%%)", bound, size)
			}
			checkTemplateLimits(t, tmpl)
			t.Logf("%s: %d resources, %d bytes, bound %d", v.name, len(res), size, bound)
		})
	}
}

// checkTemplateLimits checks a template's texts against the limits docs/configuration.md lists.
func checkTemplateLimits(t *testing.T, tmpl map[string]any) {
	t.Helper()
	limits := []struct {
		typ, prop string
		most      int
	}{
		{"AWS::CloudWatch::Alarm", "AlarmName", 255},
		{"AWS::CloudWatch::Alarm", "AlarmDescription", 1024},
		{"AWS::Logs::MetricFilter", "FilterPattern", 1024},
		{"AWS::SNS::Topic", "DisplayName", 100},
		{"AWS::KMS::Alias", "AliasName", 256},
		{"AWS::Logs::LogGroup", "LogGroupName", 512},
	}
	res, _ := tmpl["Resources"].(map[string]any)
	seen := map[string]bool{}
	for id, r := range res {
		r := r.(map[string]any)
		for _, l := range limits {
			if r["Type"] != l.typ {
				continue
			}
			v, ok := props(r)[l.prop].(string)
			if !ok {
				continue // not set, or a token
			}
			seen[l.typ+"."+l.prop] = true
			if n := utf8.RuneCountInString(v); n > l.most {
				t.Errorf("%s %s is %d characters; the limit is %d", id, l.prop, n, l.most)
			}
		}
	}
	for _, must := range []string{"AWS::CloudWatch::Alarm.AlarmName", "AWS::SNS::Topic.DisplayName"} {
		if !seen[must] {
			t.Errorf("the template has no %s to check", must)
		}
	}
	for _, section := range []string{"Outputs", "Parameters"} {
		if m, _ := tmpl[section].(map[string]any); len(m) > 200 {
			t.Errorf("%d %s; the limit is 200", len(m), section)
		}
	}
}
