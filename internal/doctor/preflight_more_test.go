package doctor

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// sdkWording is what aws-sdk-go-v2 writes before the service's error code in an error.
var sdkWording = regexp.MustCompile(`operation error [^\n]*?RequestID: [^,]*, (api error )?`)

// Each case changes one thing in an empty, bootstrapped account and names the lines preflight
// must print: every failed check exactly, with its fix, and the other lines that must be there.
func TestPreflightEachCheck(t *testing.T) {
	denied := func(op string) *apiError {
		return &apiError{400, "AccessDeniedException", "not authorized to perform " + op}
	}
	cases := []struct {
		name, golden string
		setup        func(w *world, f *fakeAWS)
		want         []string
	}{
		{"LogGroupsUnreadable", "default", func(w *world, f *fakeAWS) { f.failNext("logs:DescribeLogGroups", denied("DescribeLogGroups")) },
			[]string{
				"✗ collision.loggroup CloudTrail/trailwatch: logs:DescribeLogGroups failed: AccessDeniedException: not authorized to perform DescribeLogGroups\n    fix: allow logs:DescribeLogGroups to the identity doctor runs as (examples/doctor-iam-policy.json has every action doctor uses)",
			}},
		{"AlarmsOnlyLogGroupsUnreadable", "alarms-only", func(w *world, f *fakeAWS) {
			f.failNext("logs:DescribeLogGroups", denied("DescribeLogGroups"))
		}, []string{
			"✗ existing-loggroup aws-controltower/CloudTrailLogs: logs:DescribeLogGroups failed: AccessDeniedException: not authorized to perform DescribeLogGroups\n    fix: allow logs:DescribeLogGroups to the identity doctor runs as (examples/doctor-iam-policy.json has every action doctor uses)",
		}},
		{"TrailUnreadable", "default", func(w *world, f *fakeAWS) { f.failNext("cloudtrail:GetTrail", denied("GetTrail")) },
			[]string{
				"✗ collision.trail trailwatch: cloudtrail:GetTrail failed: AccessDeniedException: not authorized to perform GetTrail\n    fix: allow cloudtrail:GetTrail to the identity doctor runs as (examples/doctor-iam-policy.json has every action doctor uses)",
			}},
		{"AliasUnreadable", "default", func(w *world, f *fakeAWS) { f.failNext("kms:DescribeKey", denied("DescribeKey")) },
			[]string{
				"✗ collision.kms-alias alias/trailwatch/trailwatch: kms:DescribeKey failed: AccessDeniedException: not authorized to perform DescribeKey\n    fix: allow kms:DescribeKey to the identity doctor runs as (examples/doctor-iam-policy.json has every action doctor uses)",
			}},
		{"AlarmsUnreadable", "default", func(w *world, f *fakeAWS) {
			f.failNext("cloudwatch:DescribeAlarms", &apiError{400, "AccessDenied", "not authorized"})
		},
			[]string{
				"✗ collision.alarms: cloudwatch:DescribeAlarms failed: AccessDenied: not authorized\n    fix: allow cloudwatch:DescribeAlarms to the identity doctor runs as (examples/doctor-iam-policy.json has every action doctor uses)",
			}},
		{"FiltersUnreadable", "default", func(w *world, f *fakeAWS) { f.failNext("logs:DescribeMetricFilters", denied("DescribeMetricFilters")) },
			[]string{
				"✗ limits metric filters: logs:DescribeMetricFilters failed: AccessDeniedException: not authorized to perform DescribeMetricFilters\n    fix: allow logs:DescribeMetricFilters to the identity doctor runs as (examples/doctor-iam-policy.json has every action doctor uses)",
			}},
		{"BootstrapUnreadable", "default", func(w *world, f *fakeAWS) {
			f.failNext("ssm:GetParameter", denied("GetParameter"))
			f.failNext("cloudformation:DescribeStacks", &apiError{400, "AccessDenied", "not authorized"})
		}, []string{
			"✗ bootstrap /cdk-bootstrap/hnb659fds/version: ssm:GetParameter failed: AccessDeniedException: not authorized to perform GetParameter\n    fix: allow ssm:GetParameter to the identity doctor runs as (examples/doctor-iam-policy.json has every action doctor uses)",
		}},
		{"BootstrapStackFailed", "default", func(w *world, f *fakeAWS) {
			f.failNext("ssm:GetParameter", denied("GetParameter"))
			w.cfnStacks["CDKToolkit"] = "UPDATE_ROLLBACK_FAILED"
		}, []string{
			"✗ bootstrap CDKToolkit: bootstrap stack in state UPDATE_ROLLBACK_FAILED\n    fix: npx --yes aws-cdk@2.1148.1 bootstrap aws://123456789012/us-east-1",
		}},
		{"BootstrapStackDeleted", "default", func(w *world, f *fakeAWS) {
			f.failNext("ssm:GetParameter", denied("GetParameter"))
			w.cfnStacks["CDKToolkit"] = "DELETE_COMPLETE"
		}, []string{
			"✗ bootstrap CDKToolkit: bootstrap stack in state DELETE_COMPLETE\n    fix: npx --yes aws-cdk@2.1148.1 bootstrap aws://123456789012/us-east-1",
		}},
		{"BootstrapVersionNotANumber", "default", func(w *world, f *fakeAWS) { w.ssm[bootstrapParameter] = "six" },
			[]string{
				"✗ bootstrap /cdk-bootstrap/hnb659fds/version: CDK bootstrap version \"six\"; CDK v2 needs 6 or later\n    fix: npx --yes aws-cdk@2.1148.1 bootstrap aws://123456789012/us-east-1 (upgrades it in place)",
			}},
		{"BootstrapVersion5", "default", func(w *world, f *fakeAWS) { w.ssm[bootstrapParameter] = "5" },
			[]string{
				"✗ bootstrap /cdk-bootstrap/hnb659fds/version: CDK bootstrap version \"5\"; CDK v2 needs 6 or later\n    fix: npx --yes aws-cdk@2.1148.1 bootstrap aws://123456789012/us-east-1 (upgrades it in place)",
			}},
		{"BootstrapVersion6", "default", func(w *world, f *fakeAWS) { w.ssm[bootstrapParameter] = "6" },
			[]string{"✓ bootstrap /cdk-bootstrap/hnb659fds/version: CDK bootstrap version 6\n"}},
		{"TrailsOfOthersAndOurs", "default", func(w *world, f *fakeAWS) {
			w.trails = []trailState{
				{name: "single", home: "us-east-1"}, // one Region: no second copy of events elsewhere
				{name: "org", home: "us-east-1", org: true, logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:org logs:*"},
				{name: "bad-arn", home: "us-east-1", multiRegion: true, logGroupArn: "arn:aws:s3:us-east-1:123456789012:log-group:x:*"},
				{name: "ours", home: "us-east-1", multiRegion: true}, // the deployed stack's, by name
				{name: "ours-too", home: "us-east-1", org: true},     // by ARN
			}
			w.stack = map[string]string{"Trail": "ours", "Other": "arn:aws:cloudtrail:us-east-1:123456789012:trail/ours-too"}
		}, []string{
			"✗ existing-trails arn:aws:cloudtrail:us-east-1:123456789012:trail/org: organization trail already delivers to CloudWatch Logs group org logs (account 123456789012, us-east-1); a second trail is a paid second copy of management events: $2.00 per 100,000 events (1,000,000 events a month: $20.00)\n    fix: watch the existing trail's log group instead (alarms-only, no second trail), from account 123456789012: npx --yes aws-cdk@2.1148.1 deploy -c existingLogGroupName='org logs' -c account=123456789012 -c region=us-east-1 — or keep the second trail on purpose and ignore this line",
			"✗ existing-trails arn:aws:cloudtrail:us-east-1:123456789012:trail/bad-arn: multi-Region trail already records management events but delivers to no CloudWatch Logs group; a second trail is a paid second copy of management events: $2.00 per 100,000 events (1,000,000 events a month: $20.00)\n    fix: either turn on CloudWatch Logs delivery of that trail and deploy alarms-only on its group (-c existingLogGroupName=NAME), or accept the second copy",
		}},
		{"FiltersOverTheLimit", "default", func(w *world, f *fakeAWS) {
			w.groups["CloudTrail/trailwatch"] = groupState{}
			for i := range 86 {
				w.filters = append(w.filters, filterState{name: fmt.Sprintf("other-%d", i), group: "CloudTrail/trailwatch", metric: fmt.Sprint(i), namespace: "Other", value: "1"})
			}
		}, []string{
			"✗ collision.loggroup CloudTrail/trailwatch: a log group of this name exists (a leftover that cdk destroy retains, or another tool's)\n    fix: if its events are not needed: aws logs delete-log-group --log-group-name CloudTrail/trailwatch; otherwise pick another trail name (-c trailName=NAME makes CloudTrail/NAME)",
			"✗ limits metric filters: 15 filters of the stack + 86 already on CloudTrail/trailwatch = 101 of 100 a log group\n    fix: deploy fewer alarms (-c alarmProfile, or without -c accountDimension, which doubles the filters), or remove unused filters from the group",
		}},
		{"OwnedFiltersNotCounted", "default", func(w *world, f *fakeAWS) {
			for i := range 85 {
				w.filters = append(w.filters, filterState{name: fmt.Sprintf("other-%d", i), group: "CloudTrail/trailwatch", metric: fmt.Sprint(i), namespace: "Other", value: "1"})
			}
			w.groups["CloudTrail/trailwatch"] = groupState{}
			w.stack = map[string]string{"Group": "CloudTrail/trailwatch", "F": "other-0"}
		}, []string{"✓ collision.loggroup CloudTrail/trailwatch: belongs to the deployed stack\n",
			"✓ limits metric filters: 15 filters of the stack + 84 already on CloudTrail/trailwatch = 99 of 100 a log group\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, w := setupEmpty(t)
			c.setup(w, f)
			r := runDoctor(t, f, c.golden, "--preflight")
			want := cli.ExitOK
			if len(failLines(c.want)) > 0 {
				want = cli.ExitProblems
			}
			if r.code != want {
				t.Errorf("exit %d, want %d; stderr: %s", r.code, want, r.stderr)
			}
			for _, w := range c.want {
				if !strings.HasPrefix(w, "✗") {
					mustContain(t, r.stdout, w)
				}
			}
			// The SDK's wording around the service's error code and message is not doctor's.
			got := failBlocks(sdkWording.ReplaceAllString(r.stdout, ""))
			if diff := cmp.Diff(failLines(c.want), got); diff != "" {
				t.Errorf("failed checks (-want +got):\n%s\nstdout:\n%s", diff, r.stdout)
			}
		})
	}
}

// CloudFormation allows 500 resources a stack: preflight passes a template of 500 and fails one
// of 501, saying how many it has.
func TestPreflightResourceLimit(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", "default.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]string{
		500: "✓ limits resources: 500 of 500 resources a stack\n",
		501: "✗ limits resources: the template has 501 resources; CloudFormation allows 500 a stack\n    fix: deploy fewer alarms (each is two resources, three with dimensions)\n",
	} {
		var tpl map[string]any
		if err := json.Unmarshal(data, &tpl); err != nil {
			t.Fatal(err)
		}
		res := tpl["Resources"].(map[string]any)
		for i := len(res); i < n; i++ {
			res[fmt.Sprintf("Padding%d", i)] = map[string]any{"Type": "AWS::CloudFormation::WaitConditionHandle"}
		}
		out, _ := json.Marshal(tpl)
		path := filepath.Join(t.TempDir(), "big.template.json")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		f, _ := setupEmpty(t)
		r := runDoctorPath(t, f, path, "--preflight")
		mustContain(t, r.stdout, want)
	}
}

// The key alias belongs to the deployed stack when the stack lists either the alias or the key
// it points to.
func TestPreflightAliasOwnedByAliasOrKey(t *testing.T) {
	for _, drop := range []string{"KeyAlias910D852D", "Key961B73FD"} {
		exp, _ := loadGolden(t, "default")
		f := newFakeAWS(t)
		w := healthyWorld(exp, time.Now())
		w.ssm = map[string]string{bootstrapParameter: "30"}
		w.stack["KeyAlias910D852D"] = "alias/trailwatch/trailwatch"
		delete(w.stack, drop)
		w.serve(f)
		r := runDoctor(t, f, "default", "--preflight")
		mustContain(t, r.stdout, "\n✓ collision.kms-alias alias/trailwatch/trailwatch: belongs to the deployed stack\n")
	}
}
