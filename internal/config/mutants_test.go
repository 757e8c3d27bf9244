package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// Every metric filter of a row carries its pattern (the benchmark filter carries its own), so a
// longer pattern raises the template bound by at least its length once per such filter.
func TestTemplateBoundCountsThePatternPerFilter(t *testing.T) {
	for _, tt := range []struct {
		name    string
		row     catalog.Alarm
		filters int // filters that carry Pattern
	}{
		{"one filter", catalog.Alarm{ID: "A", MetricName: "A", AlarmName: "A", Threshold: 1}, 1},
		{"with dimensions", catalog.Alarm{ID: "A", MetricName: "A", AlarmName: "A", Threshold: 1,
			Dimensions: map[string]string{"User": "$.userIdentity.arn"}}, 2},
		{"with a benchmark filter", catalog.Alarm{ID: "A", MetricName: "A", AlarmName: "A", Threshold: 1,
			BenchmarkPattern: `{ $.eventName = "X" }`}, 1},
	} {
		bound := func(pattern string) int {
			row := tt.row
			row.Pattern = pattern
			s := Stack{TrailName: "trailwatch", Language: "en", Alarms: []catalog.Alarm{row}}
			return s.TemplateBytes()
		}
		short, long := bound(`{ $.a = "b" }`), bound(`{ $.a = "`+strings.Repeat("b", 1000)+`" }`)
		if grew, want := long-short, 999*tt.filters; grew < want {
			t.Errorf("%s: 999 more bytes of pattern raised the bound by %d, want at least %d", tt.name, grew, want)
		}
	}
}

// The stack count takes a target's Regions from the defaults when the target names none, and
// from the target when it does (its own region wins over the defaults' regions).
func TestTargetsFileStackCountUsesDefaultRegions(t *testing.T) {
	file := func(n int, own string) string {
		var b strings.Builder
		b.WriteString("defaults: {existingLogGroupName: CloudTrail/x, regions: [us-east-1, us-east-2, us-west-2]}\ntargets:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {account: \"%012d\"%s}\n", i+1, own)
		}
		return b.String()
	}
	runTargetsCases(t, []hostileCase{
		{"167 targets in 3 default Regions", "t.yaml", file(167, ""), []string{
			"makes 501 stacks (one per target and Region); allowed: at most 500 stacks in one targets file (CloudFormation allows 2000 stacks per account and Region; use a StackSet for many accounts)"}},
		{"167 targets in one Region each", "t.yaml", file(167, ", region: us-east-1"), nil},
	})
}
