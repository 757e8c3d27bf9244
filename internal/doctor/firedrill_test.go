package doctor

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trailwatch/trailwatch/internal/cli"
)

func TestFireDrillSetsTheAlarm(t *testing.T) {
	f, w, _ := setup(t, "all-two-emails")
	r := runDoctor(t, f, "all-two-emails", "--fire-drill", "CloudTrailChanges")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d, want 0:\n%s%s", r.code, r.stdout, r.stderr)
	}
	mustContain(t, r.stdout, "trailwatch doctor fire-drill:",
		"✓ fire-drill CloudTrailChanges: set to ALARM; expect an email at ops@example.com, security@example.com within minutes; the alarm returns to its actual state by itself, often within seconds")
	if w.alarms["CloudTrailChanges"].state != "ALARM" || f.called("cloudwatch:SetAlarmState") != 1 {
		t.Errorf("alarm state %s after %d SetAlarmState calls, want ALARM after 1", w.alarms["CloudTrailChanges"].state, f.called("cloudwatch:SetAlarmState"))
	}
	if w.alarms["CloudTrailVpcChanges"].state != "OK" {
		t.Errorf("another alarm changed")
	}
}

func TestFireDrillWithPendingSubscription(t *testing.T) {
	f, w, _ := setup(t, "all-two-emails")
	for i := range w.subs {
		if strings.Contains(w.subs[i].endpoint, "@") {
			w.subs[i].arn = "PendingConfirmation"
		}
	}
	r := runDoctor(t, f, "all-two-emails", "--fire-drill", "CloudTrailChanges")
	if r.code != cli.ExitProblems {
		t.Errorf("exit %d, want 1", r.code)
	}
	mustContain(t, r.stdout, "✗ subscription ops@example.com: PendingConfirmation", "✗ fire-drill CloudTrailChanges: set to ALARM, but no confirmed email subscription will receive it")
}

func TestFireDrillRefusesDisabledActions(t *testing.T) {
	f, w, _ := setup(t, "default")
	w.alarms["CloudTrailChanges"].actionsEnabled = false
	r := runDoctor(t, f, "default", "--fire-drill", "CloudTrailChanges")
	if r.code != cli.ExitProblems {
		t.Errorf("exit %d, want 1", r.code)
	}
	mustContain(t, r.stdout, "✗ fire-drill CloudTrailChanges: actions disabled: the drill would send nothing, so doctor did not set the state")
	if f.called("cloudwatch:SetAlarmState") != 0 {
		t.Errorf("SetAlarmState called")
	}
}

// Near-copy of the test above: one refusal per test, each pinning its own message.
func TestFireDrillRefusesAnAlarmInAlarm(t *testing.T) {
	f, w, _ := setup(t, "default")
	w.alarms["CloudTrailChanges"].state = "ALARM"
	r := runDoctor(t, f, "default", "--fire-drill", "CloudTrailChanges")
	if r.code != cli.ExitProblems {
		t.Errorf("exit %d, want 1", r.code)
	}
	mustContain(t, r.stdout, "✗ fire-drill CloudTrailChanges: already in ALARM (a real event, or a drill seconds ago): setting ALARM again would send nothing")
	if f.called("cloudwatch:SetAlarmState") != 0 {
		t.Errorf("SetAlarmState called")
	}
}

func TestFireDrillUnknownAlarmIsUsageError(t *testing.T) {
	f, _, _ := setup(t, "default")
	r := runDoctor(t, f, "default", "--fire-drill", "Nope")
	if r.code != cli.ExitUsage {
		t.Errorf("exit %d, want 2", r.code)
	}
	mustContain(t, r.stderr, `trailwatch doctor: --fire-drill "Nope": not an alarm of the stack; allowed: CloudTrailAuthorizationFailures, CloudTrailChanges,`)
	if r.stdout != "" || f.called("cloudwatch:SetAlarmState") != 0 {
		t.Errorf("stdout %q, SetAlarmState calls %d; want none", r.stdout, f.called("cloudwatch:SetAlarmState"))
	}
}

func TestFireDrillAccessDenied(t *testing.T) {
	f, _, _ := setup(t, "default")
	f.failNext("cloudwatch:SetAlarmState", &apiError{400, "AccessDenied", "not authorized to perform: cloudwatch:SetAlarmState"})
	r := runDoctor(t, f, "default", "--fire-drill", "CloudTrailChanges")
	if r.code != cli.ExitProblems {
		t.Errorf("exit %d, want 1", r.code)
	}
	mustContain(t, r.stdout, "✗ fire-drill CloudTrailChanges: cloudwatch:SetAlarmState failed:", "fix: allow cloudwatch:SetAlarmState")
}

// Each case is a drill doctor must not (or cannot) finish: the failed checks exactly, with their
// fixes, and no SetAlarmState unless the drill reached it.
func TestFireDrillFailures(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(w *world, f *fakeAWS)
		sets   int
		want   []string
	}{
		{"NotDeployed", func(w *world, f *fakeAWS) { w.stack = nil }, 0, []string{
			"✗ stack Trailwatch: not deployed in this account and Region\n    fix: run cdk deploy, or pass --stack NAME / --region if it was deployed under another name or Region",
			"\n1 of 1 checks failed\n",
		}},
		{"AlarmsUnreadable", func(w *world, f *fakeAWS) {
			f.failNext("cloudwatch:DescribeAlarms", &apiError{400, "AccessDenied", "not authorized"})
		}, 0, []string{
			"✗ fire-drill CloudTrailChanges: cloudwatch:DescribeAlarms failed: AccessDenied: not authorized\n    fix: allow cloudwatch:DescribeAlarms to the identity doctor runs as (examples/doctor-iam-policy.json has every action doctor uses)",
		}},
		{"AlarmMissing", func(w *world, f *fakeAWS) { delete(w.alarms, "CloudTrailChanges") }, 0, []string{
			"✗ fire-drill CloudTrailChanges: alarm missing: nothing to fire\n    fix: run cdk deploy",
		}},
		{"ActionsDisabled", func(w *world, f *fakeAWS) { w.alarms["CloudTrailChanges"].actionsEnabled = false }, 0, []string{
			"✗ fire-drill CloudTrailChanges: actions disabled: the drill would send nothing, so doctor did not set the state\n    fix: aws cloudwatch enable-alarm-actions --alarm-names CloudTrailChanges",
		}},
		{"InAlarm", func(w *world, f *fakeAWS) { w.alarms["CloudTrailChanges"].state = "ALARM" }, 0, []string{
			"✗ fire-drill CloudTrailChanges: already in ALARM (a real event, or a drill seconds ago): setting ALARM again would send nothing, so doctor did not\n    fix: read the alarm's email or history first; rerun the drill once it is back to OK",
		}},
		{"AllPending", func(w *world, f *fakeAWS) {
			w.subs[0].arn, w.subs[1].arn = "PendingConfirmation", "PendingConfirmation"
		}, 1, []string{
			"✗ subscription ops@example.com: PendingConfirmation: alarms will not reach this address\n    fix: open the email from AWS Notifications sent to ops@example.com and choose Confirm subscription; if it is lost, delete the pending subscription and run cdk deploy, or: aws sns subscribe --topic-arn arn:aws:sns:us-east-1:123456789012:Trailwatch-NotificationsEmailTopicDB7922FA-AbCdEf --protocol email --notification-endpoint ops@example.com",
			"✗ subscription security@example.com: PendingConfirmation: alarms will not reach this address\n    fix: open the email from AWS Notifications sent to security@example.com and choose Confirm subscription; if it is lost, delete the pending subscription and run cdk deploy, or: aws sns subscribe --topic-arn arn:aws:sns:us-east-1:123456789012:Trailwatch-NotificationsEmailTopicDB7922FA-AbCdEf --protocol email --notification-endpoint security@example.com",
			"✗ fire-drill CloudTrailChanges: set to ALARM, but no confirmed email subscription will receive it\n    fix: confirm the pending subscriptions above, then rerun the drill",
		}},
		{"OnePending", func(w *world, f *fakeAWS) { w.subs[0].arn = "PendingConfirmation" }, 1, []string{
			"✗ subscription ops@example.com: PendingConfirmation: alarms will not reach this address\n    fix: open the email from AWS Notifications sent to ops@example.com and choose Confirm subscription; if it is lost, delete the pending subscription and run cdk deploy, or: aws sns subscribe --topic-arn arn:aws:sns:us-east-1:123456789012:Trailwatch-NotificationsEmailTopicDB7922FA-AbCdEf --protocol email --notification-endpoint ops@example.com",
			"✓ fire-drill CloudTrailChanges: set to ALARM; expect an email at security@example.com within minutes;",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, w, _ := setup(t, "all-two-emails")
			c.break_(w, f)
			r := runDoctor(t, f, "all-two-emails", "--fire-drill", "CloudTrailChanges")
			if r.code != cli.ExitProblems {
				t.Errorf("exit %d, want 1", r.code)
			}
			for _, w := range c.want {
				if !strings.HasPrefix(w, "✗") {
					mustContain(t, r.stdout, w)
				}
			}
			if diff := cmp.Diff(failLines(c.want), failBlocks(sdkWording.ReplaceAllString(r.stdout, ""))); diff != "" {
				t.Errorf("failed checks (-want +got):\n%s\nstdout:\n%s", diff, r.stdout)
			}
			if n := f.called("cloudwatch:SetAlarmState"); n != c.sets {
				t.Errorf("SetAlarmState called %d times, want %d", n, c.sets)
			}
		})
	}
}
