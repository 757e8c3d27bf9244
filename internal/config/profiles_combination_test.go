package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// TestEveryProfileCombinationParses: every set of profiles, with and without dedupeAlarms, with a
// trail of the stack's own or an existing log group, and with the per-account dimension, parses
// with the tamper rows added. So built-in and tamper rows never clash, and every problem
// catalogProblems places pairs an alarms-file row with another (tools/mutate/equivalent.txt
// rests on this).
func TestEveryProfileCombinationParses(t *testing.T) {
	n := len(catalog.Profiles)
	for set := 1; set < 1<<n; set++ {
		var names []string
		for i, p := range catalog.Profiles {
			if set&(1<<i) != 0 {
				names = append(names, p.Name)
			}
		}
		for _, extra := range []map[string]any{
			{},
			{"dedupeAlarms": true},
			{"existingLogGroupName": "aws-controltower/CloudTrailLogs"},
			{"accountDimension": true, "alarmNamePrefix": "prod-"},
		} {
			ctx := map[string]any{"notificationEmails": "a@example.com", "alarmProfile": strings.Join(names, ",")}
			for k, v := range extra {
				ctx[k] = v
			}
			s, err := Parse(ctx, noEnv)
			if err != nil {
				t.Errorf("%v: %v", ctx, err)
				continue
			}
			tamper := s.tamperRowsOf()
			want := 5 // trail, log files, log group, alarms, topic
			if s.ExistingLogGroupName != "" {
				want = 4 // an alarms-only stack has no trail of its own to watch
			}
			if len(tamper) != want {
				t.Errorf("%v: %d tamper rows, want %d", ctx, len(tamper), want)
			}
			if err := catalog.Validate(slices.Concat(s.Alarms, tamper)); err != nil {
				t.Errorf("%v: the profiles' rows and the tamper rows clash: %v", ctx, err)
			}
		}
	}
}
