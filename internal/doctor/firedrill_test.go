package doctor

import (
	"github.com/trailwatch/trailwatch/internal/cli"
	"strings"
	"testing"
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
