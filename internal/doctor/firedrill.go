package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// checkFireDrillName is a usage error unless name is "" or an alarm of the template.
func checkFireDrillName(exp *Expected, name string) error {
	if name == "" {
		return nil
	}
	names := make([]string, len(exp.Alarms))
	for i, a := range exp.Alarms {
		names[i] = a.Name
	}
	if !slices.Contains(names, name) {
		return fmt.Errorf("--fire-drill %q: not an alarm of the stack; allowed: %s", name, strings.Join(names, ", "))
	}
	return nil
}

// fireDrill sets one of the stack's alarms to ALARM with SetAlarmState, the one write doctor
// makes, so its notification travels the real path: alarm, topic, email. SetAlarmState invokes
// the alarm's actions only when the state changes, and a metric alarm returns to its actual
// state quickly, often within seconds (SetAlarmState, CloudWatch API reference).
func (d *doctor) fireDrill(ctx context.Context, name string) []Result {
	// Subscriptions first: a pending address will not get the drill's email.
	out, deployed := d.checkStack(ctx)
	if !deployed {
		return out
	}
	subs := d.checkSubscriptions(ctx)
	out = append(out, subs...)
	got, err := d.describeAlarms(ctx, []string{name})
	if err != nil {
		return append(out, apiFail("fire-drill", name, "cloudwatch:DescribeAlarms", err))
	}
	a, found := got[name]
	switch {
	case !found:
		return append(out, fail("fire-drill", name, "alarm missing: nothing to fire", "run cdk deploy"))
	case !deref(a.ActionsEnabled):
		return append(out, fail("fire-drill", name, "actions disabled: the drill would send nothing, so doctor did not set the state",
			"aws cloudwatch enable-alarm-actions --alarm-names "+shellQuote(name)))
	case a.StateValue == cwtypes.StateValueAlarm:
		return append(out, fail("fire-drill", name, "already in ALARM (a real event, or a drill seconds ago): setting ALARM again would send nothing, so doctor did not",
			"read the alarm's email or history first; rerun the drill once it is back to OK"))
	}
	_, err = d.c.cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{
		AlarmName:   aws.String(name),
		StateValue:  cwtypes.StateValueAlarm,
		StateReason: aws.String("trailwatch doctor --fire-drill: a test of the notification path, not a real event"),
	})
	if err != nil {
		return append(out, apiFail("fire-drill", name, "cloudwatch:SetAlarmState", err))
	}
	var confirmed []string
	for _, r := range subs {
		if r.Check == "subscription" && r.Status == OK {
			confirmed = append(confirmed, r.Subject)
		}
	}
	detail := fmt.Sprintf("set to ALARM; expect an email at %s within minutes; the alarm returns to its actual state by itself, often within seconds",
		strings.Join(confirmed, ", "))
	if len(confirmed) == 0 {
		return append(out, fail("fire-drill", name, "set to ALARM, but no confirmed email subscription will receive it", "confirm the pending subscriptions above, then rerun the drill"))
	}
	return append(out, ok("fire-drill", name, detail))
}
