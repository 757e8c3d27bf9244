package test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
		lines = append(lines, report.Lines...)
	}
	return lines
}

// streamsReason is why the delivery role may write to a prefix of streams (stacks/audit.go).
const streamsReason = "CloudTrail names its streams ACCOUNT_CloudTrail_REGION[_N], one per recorded Region, so the stream part must be a prefix; the group is fixed."

// wantSuppressions are the exact suppressions of each variant: rule, resource and reason. A
// variant not listed has the one suppression of a stack with its own trail.
var wantSuppressions = map[string][]string{
	"alarms-only": nil, // no trail, no delivery role
	"targets": {
		// The organization trail's role has two stream prefixes: two findings, one reason.
		"AwsSolutions-IAM5 on Trailwatch-111111111111-us-east-1/TrailDeliveryRole/DefaultPolicy/Resource: " + streamsReason +
			" An organization trail also writes member accounts' events to o-ORGID_* streams.",
		"AwsSolutions-IAM5 on Trailwatch-111111111111-us-east-1/TrailDeliveryRole/DefaultPolicy/Resource: " + streamsReason +
			" An organization trail also writes member accounts' events to o-ORGID_* streams.",
		"AwsSolutions-IAM5 on Trailwatch-222222222222-us-east-1/TrailDeliveryRole/DefaultPolicy/Resource: " + streamsReason,
		"AwsSolutions-IAM5 on Trailwatch-333333333333-eu-west-1/TrailDeliveryRole/DefaultPolicy/Resource: " + streamsReason,
	},
}

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
			want = []string{"AwsSolutions-IAM5 on Trailwatch/TrailDeliveryRole/DefaultPolicy/Resource: " + streamsReason}
		}
		sort.Strings(suppressed)
		if want == nil {
			want = []string{}
		}
		equal(t, name+": suppressions", suppressed, want)
	}
}
