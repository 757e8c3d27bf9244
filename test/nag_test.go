package test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	goslices "slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/stacks"
)

type nagLine struct {
	RuleID          string `json:"ruleId"`
	ResourceID      string `json:"resourceId"`
	Compliance      string `json:"compliance"`
	ExceptionReason string `json:"exceptionReason"`
	RuleLevel       string `json:"ruleLevel"`
}

// nagReport synthesizes a variant with the AwsSolutions pack, as `cdk synth -c nag=true` does, and
// returns the pack's report. Unsuppressed errors fail the synth itself; the report is written first.
func nagReport(t *testing.T, name string, overrides map[string]any) []nagLine {
	t.Helper()
	ctx := cliContext(t, overrides)
	outdir := t.TempDir()
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(outdir), AnalyticsReporting: jsii.Bool(false)})
	targets, err := config.Load(ctx, pinnedEnv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stacks.BuildAll(app, targets); err != nil {
		t.Fatal(err)
	}
	stacks.ApplyNag(app)
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("%s: synth with cdk-nag failed: %v", name, r)
			}
		}()
		app.Synth(nil)
	}()
	// cdk-nag names its reports AwsSolutions-<stage path>-<stack>-NagReport.json, one per stack.
	reports, _ := filepath.Glob(filepath.Join(outdir, "AwsSolutions-*-NagReport.json"))
	if len(reports) != len(targets) {
		t.Fatalf("%s: found %d cdk-nag JSON reports for %d stacks", name, len(reports), len(targets))
	}
	var lines []nagLine
	for _, path := range reports {
		lines = append(lines, readNagReport(t, path)...)
	}
	return lines
}

// readNagReport reads the lines of one cdk-nag JSON report.
func readNagReport(t *testing.T, path string) []nagLine {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Lines []nagLine `json:"lines"`
	}
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatal(err)
	}
	return report.Lines
}

// streamsReason is why the delivery role may write to a prefix of streams (stacks/audit.go).
const streamsReason = "CloudTrail names its streams ACCOUNT_CloudTrail_REGION[_N], one per recorded Region, so the stream part must be a prefix; the group is fixed."

// logsReason is why the alarm-email function's role names log groups with ':*' (stacks/notifications.go).
const logsReason = "Log group ARNs end in ':*' in the form CloudWatch Logs authorizes; each names one log group (the trail's, and the function's own for its streams)."

// dlqReason is why the alarm-email function's dead-letter queue has none of its own.
const dlqReason = "This queue is the alarm-email function's on-failure destination (a dead-letter queue); it needs no dead-letter queue of its own."

// alarmEmail are the suppressions of the alarm-email function (notifications=enriched) of stack
// in account and region, whose trail log group is group: two log group ARNs, one queue.
func alarmEmail(stack, account, region, group string) []string {
	arn := func(g string) string { return "arn:aws:logs:" + region + ":" + account + ":log-group:" + g + ":*" }
	return []string{
		"AwsSolutions-IAM5 on " + stack + "/Notifications/Role/Resource: [Resource::" + arn(group) + "] " + logsReason,
		"AwsSolutions-IAM5 on " + stack + "/Notifications/Role/Resource: [Resource::" + arn("trailwatch/alarm-email/"+stack) + "] " + logsReason,
		"AwsSolutions-SQS3 on " + stack + "/Notifications/DeadLetterQueue/Resource: " + dlqReason,
	}
}

// athenaReason is why the Athena reader policy names object prefixes (stacks/athena.go).
const athenaReason = "Athena reads every log file under AWSLogs/ of the trail bucket and writes result objects whose names it chooses in the results bucket; both are prefixes of buckets this stack owns."

// wantSuppressions are the exact suppressions of each variant: rule, resource and reason. A
// variant not listed has those of a stack with its own trail (defaultSuppressions).
var wantSuppressions = map[string][]string{
	// Two object prefixes (AWSLogs/* of the trail bucket, * of the results bucket): two findings, one reason.
	"athena": append([]string{"AwsSolutions-IAM5 on Trailwatch/Athena/ReaderPolicy/Resource: " + athenaReason,
		"AwsSolutions-IAM5 on Trailwatch/Athena/ReaderPolicy/Resource: " + athenaReason}, defaultSuppressions...),
	"alarms-only": alarmEmail("Trailwatch", testAccount, testRegion, "aws-controltower/CloudTrailLogs"), // no trail, no delivery role
	"targets": goslices.Concat(alarmEmail("Trailwatch-111111111111-us-east-1", "111111111111", "us-east-1", "CloudTrail/trailwatch"),
		alarmEmail("Trailwatch-222222222222-us-east-1", "222222222222", "us-east-1", "CloudTrail/trailwatch"),
		alarmEmail("Trailwatch-333333333333-eu-west-1", "333333333333", "eu-west-1", "CloudTrail/trailwatch"),
		alarmEmail("Trailwatch-555555555555-us-east-1", "555555555555", "us-east-1", "CloudTrail/regional"),
		alarmEmail("Trailwatch-555555555555-eu-west-1", "555555555555", "eu-west-1", "CloudTrail/regional"), []string{
			// The organization trail's role has two stream prefixes: two findings, one reason.
			"AwsSolutions-IAM5 on Trailwatch-111111111111-us-east-1/TrailDeliveryRole/DefaultPolicy/Resource: " + streamsReason +
				" An organization trail also writes member accounts' events to o-ORGID_* streams.",
			"AwsSolutions-IAM5 on Trailwatch-111111111111-us-east-1/TrailDeliveryRole/DefaultPolicy/Resource: " + streamsReason +
				" An organization trail also writes member accounts' events to o-ORGID_* streams.",
			"AwsSolutions-IAM5 on Trailwatch-222222222222-us-east-1/TrailDeliveryRole/DefaultPolicy/Resource: " + streamsReason,
			"AwsSolutions-IAM5 on Trailwatch-333333333333-eu-west-1/TrailDeliveryRole/DefaultPolicy/Resource: " + streamsReason,
		}),
}

// defaultSuppressions are those of a stack with its own trail and the alarm-email function.
var defaultSuppressions = append([]string{"AwsSolutions-IAM5 on Trailwatch/TrailDeliveryRole/DefaultPolicy/Resource: " + streamsReason},
	alarmEmail("Trailwatch", testAccount, testRegion, "CloudTrail/trailwatch")...)

// Every stack variant passes the AwsSolutions pack: nothing non-compliant, and exactly the
// expected suppressions, each with its reason.
func TestNagAwsSolutionsIsClean(t *testing.T) {
	all := map[string]map[string]any{"targets": {"targetsFile": "../examples/targets.yaml"}}
	for _, v := range variantTable {
		if v.target == "" {
			all[v.name] = v.overrides
		}
	}
	for name, overrides := range all {
		lines := nagReport(t, name, overrides)
		if len(lines) == 0 {
			t.Errorf("%s: the cdk-nag report is empty; the pack did not run", name)
		}
		var bad []string
		suppressed := []string{}
		for _, l := range lines {
			switch l.Compliance {
			case "Compliant", "N/A", "Not Applicable":
			case "Suppressed":
				suppressed = append(suppressed, l.RuleID+" on "+l.ResourceID+": "+l.ExceptionReason)
			default:
				bad = append(bad, fmt.Sprintf("%s %s on %s: %s", l.RuleLevel, l.RuleID, l.ResourceID, l.Compliance))
			}
		}
		if len(bad) > 0 {
			t.Errorf("%s: cdk-nag findings:\n%s", name, strings.Join(bad, "\n"))
		}
		want, listed := wantSuppressions[name]
		if !listed {
			want = defaultSuppressions
		}
		want = goslices.Sorted(goslices.Values(want))
		sort.Strings(suppressed)
		if want == nil {
			want = []string{}
		}
		equal(t, name+": suppressions", suppressed, want)
	}
}

// -c nag=true puts the AwsSolutions pack on the target's stack, whose reports (JSON and CSV) then
// land in the cloud assembly; without it, synth runs no pack.
func TestNagKeyAppliesThePack(t *testing.T) {
	reports := func(f *fixture) []string {
		r, err := filepath.Glob(filepath.Join(*awscdk.Stage_Of(f.stack).Outdir(), "AwsSolutions-*-NagReport.*"))
		if err != nil {
			t.Fatal(err)
		}
		for i := range r {
			r[i] = filepath.Base(r[i])
		}
		sort.Strings(r)
		return r
	}
	on := synth(t, "nag-on", map[string]any{"notificationEmails": "ops@example.com", "nag": "true",
		"existingLogGroupName": "aws-controltower/CloudTrailLogs", "notifications": config.Plain, "encryption": "none"})
	equal(t, "nag=true: cdk-nag reports", reports(on), []string{"AwsSolutions--Trailwatch-NagReport.csv", "AwsSolutions--Trailwatch-NagReport.json"})
	if r := reports(defaultFixture(t)); len(r) != 0 {
		t.Errorf("nag off: cdk-nag reports %v", r)
	}
}
