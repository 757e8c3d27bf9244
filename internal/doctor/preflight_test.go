package doctor

import (
	"fmt"
	"github.com/trailwatch/trailwatch/internal/cli"
	"strings"
	"testing"
	"time"
)

func setupEmpty(t *testing.T) (*fakeAWS, *world) {
	f := newFakeAWS(t)
	w := emptyWorld(time.Now())
	w.serve(f)
	return f, w
}

func TestPreflightEmptyAccountPasses(t *testing.T) {
	f, _ := setupEmpty(t)
	r := runDoctor(t, f, "default", "--preflight")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d, want 0:\n%s%s", r.code, r.stdout, r.stderr)
	}
	mustContain(t, r.stdout,
		"trailwatch doctor preflight: account 123456789012",
		"✓ existing-trails: no other multi-Region or organization trail",
		"✓ collision.trail trailwatch: name free",
		"✓ collision.loggroup CloudTrail/trailwatch: name free",
		"✓ collision.kms-alias alias/trailwatch/trailwatch: name free",
		"✓ collision.alarms: all 17 alarm names free",
		"✓ bootstrap /cdk-bootstrap/hnb659fds/version: CDK bootstrap version 30",
		"✓ limits resources: 55 of 500 resources a stack",
		"✓ limits metric filters: 15 filters of the stack + 0 already on CloudTrail/trailwatch = 15 of 100 a log group")
	// Preflight only reads.
	for _, c := range f.calls {
		op := c[strings.Index(c, ":")+1:]
		if !strings.HasPrefix(op, "Describe") && !strings.HasPrefix(op, "Get") && !strings.HasPrefix(op, "List") {
			t.Errorf("preflight called %s", c)
		}
	}
}

func TestPreflightExistingTrailCostsASecondCopy(t *testing.T) {
	f, w := setupEmpty(t)
	w.trails = []trailState{{
		name: "aws-controltower-BaselineCloudTrail", home: "eu-west-1", multiRegion: true, org: true,
		logGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:aws-controltower/CloudTrailLogs:*",
	}}
	r := runDoctor(t, f, "default", "--preflight")
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout,
		"✗ existing-trails arn:aws:cloudtrail:eu-west-1:123456789012:trail/aws-controltower-BaselineCloudTrail: organization trail already delivers to CloudWatch Logs group aws-controltower/CloudTrailLogs (account 111122223333, eu-west-1); a second trail is a paid second copy of management events: $2.00 per 100,000 events (1,000,000 events a month: $20.00)",
		"fix: watch the existing trail's log group instead (alarms-only, no second trail), from account 111122223333: npx --yes aws-cdk@2.1148.1 deploy -c existingLogGroupName=aws-controltower/CloudTrailLogs -c account=111122223333 -c region=eu-west-1")

	// The alarms-only template pays no second copy.
	r = runDoctor(t, f, "alarms-only", "--preflight")
	mustContain(t, r.stdout, "✓ existing-trails arn:aws:cloudtrail:eu-west-1:123456789012:trail/aws-controltower-BaselineCloudTrail: organization trail found; this template is alarms-only")
}

func TestPreflightTrailWithoutLogs(t *testing.T) {
	f, w := setupEmpty(t)
	w.trails = []trailState{{name: "management", home: "us-east-1", multiRegion: true}}
	r := runDoctor(t, f, "default", "--preflight")
	mustContain(t, r.stdout, "✗ existing-trails arn:aws:cloudtrail:us-east-1:123456789012:trail/management: multi-Region trail already records management events but delivers to no CloudWatch Logs group",
		"turn on CloudWatch Logs delivery of that trail")
	if r.code != cli.ExitProblems {
		t.Errorf("exit %d, want 1", r.code)
	}
}

func TestPreflightCollisions(t *testing.T) {
	f, w := setupEmpty(t)
	w.trails = []trailState{{name: "trailwatch", home: "us-east-1"}} // single-Region: no cost line
	w.groups["CloudTrail/trailwatch"] = groupState{}
	w.groups["CloudTrail/trailwatch-old"] = groupState{}
	w.keys["old-key"] = &keyState{enabled: false, state: "PendingDeletion"}
	w.aliases["alias/trailwatch/trailwatch"] = "old-key"
	w.alarms["CloudTrailChanges"] = &alarmState{state: "OK"}
	w.alarms["CloudTrailVpcChanges"] = &alarmState{state: "OK"}
	w.alarms["Unrelated"] = &alarmState{state: "OK"}
	r := runDoctor(t, f, "default", "--preflight")
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1", r.code)
	}
	mustContain(t, r.stdout,
		"✗ collision.trail trailwatch: a trail of this name exists outside the stack",
		"fix: pick another name with -c trailName=NAME, or delete it if it is a leftover: aws cloudtrail delete-trail --name trailwatch",
		"✗ collision.loggroup CloudTrail/trailwatch: a log group of this name exists (a leftover that cdk destroy retains",
		"aws logs delete-log-group --log-group-name CloudTrail/trailwatch",
		"✗ collision.kms-alias alias/trailwatch/trailwatch: the alias exists, on key old-key (state PendingDeletion)",
		"fix: aws kms delete-alias --alias-name alias/trailwatch/trailwatch",
		"✗ collision.alarms: 2 alarm names exist outside the stack: CloudTrailChanges, CloudTrailVpcChanges",
		"aws cloudwatch delete-alarms --alarm-names CloudTrailChanges CloudTrailVpcChanges")
	if n := strings.Count(r.stdout, "✗"); n != 4 {
		t.Errorf("%d failures, want 4:\n%s", n, r.stdout)
	}
}

func TestPreflightDeployedStackIsNoCollision(t *testing.T) {
	exp, _ := loadGolden(t, "default")
	f := newFakeAWS(t)
	w := healthyWorld(exp, time.Now())
	w.ssm = map[string]string{"/cdk-bootstrap/hnb659fds/version": "30"}
	w.stack["Trail"] = "trailwatch"
	w.stack["TrailLogGroup7A1F916A"] = "CloudTrail/trailwatch"
	w.stack["KeyAlias910D852D"] = "alias/trailwatch/trailwatch"
	for _, a := range exp.Alarms {
		w.stack[a.LogicalID] = a.Name
	}
	w.serve(f)
	r := runDoctor(t, f, "default", "--preflight")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d, want 0:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout, "✓ collision.trail trailwatch: belongs to the deployed stack", "✓ collision.loggroup CloudTrail/trailwatch: belongs to the deployed stack",
		"✓ collision.kms-alias alias/trailwatch/trailwatch: belongs to the deployed stack", "✓ existing-trails: no other multi-Region")
}

func TestPreflightBootstrap(t *testing.T) {
	cases := []struct {
		name  string
		setup func(w *world, f *fakeAWS)
		code  int
		want  string
	}{
		{"Missing", func(w *world, f *fakeAWS) { w.ssm = map[string]string{}; w.cfnStacks = map[string]string{} }, cli.ExitProblems,
			"✗ bootstrap /cdk-bootstrap/hnb659fds/version: the account and Region are not CDK-bootstrapped\n    fix: npx --yes aws-cdk@2.1148.1 bootstrap aws://123456789012/us-east-1"},
		{"Old", func(w *world, f *fakeAWS) { w.ssm["/cdk-bootstrap/hnb659fds/version"] = "4" }, cli.ExitProblems,
			`✗ bootstrap /cdk-bootstrap/hnb659fds/version: CDK bootstrap version "4"; CDK v2 needs 6 or later`},
		{"SSMDeniedStackPresent", func(w *world, f *fakeAWS) {
			f.failNext("ssm:GetParameter", &apiError{400, "AccessDeniedException", "not authorized"})
		}, cli.ExitOK, "✓ bootstrap CDKToolkit: bootstrap stack UPDATE_COMPLETE (version not readable: AccessDeniedException on ssm:GetParameter)"},
		{"SSMDeniedNoStack", func(w *world, f *fakeAWS) {
			f.failNext("ssm:GetParameter", &apiError{400, "AccessDeniedException", "not authorized"})
			w.cfnStacks = map[string]string{}
		}, cli.ExitProblems, "✗ bootstrap CDKToolkit: the account and Region are not CDK-bootstrapped"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, w := setupEmpty(t)
			c.setup(w, f)
			r := runDoctor(t, f, "default", "--preflight")
			if r.code != c.code {
				t.Errorf("exit %d, want %d", r.code, c.code)
			}
			mustContain(t, r.stdout, c.want)
		})
	}
}

// Near-copy of patterns_test.go's access-denied test: one API failure per mode, each pinning its
// own message.
func TestPreflightAccessDenied(t *testing.T) {
	f, _ := setupEmpty(t)
	f.failNext("cloudtrail:DescribeTrails", &apiError{400, "AccessDeniedException", "not authorized"})
	r := runDoctor(t, f, "default", "--preflight")
	if r.code != cli.ExitProblems {
		t.Errorf("exit %d, want 1", r.code)
	}
	mustContain(t, r.stdout, "✗ existing-trails: cloudtrail:DescribeTrails failed:", "fix: allow cloudtrail:DescribeTrails")
}

func TestPreflightAlarmsOnlyLogGroup(t *testing.T) {
	f, w := setupEmpty(t)
	r := runDoctor(t, f, "alarms-only", "--preflight")
	mustContain(t, r.stdout, "✗ existing-loggroup aws-controltower/CloudTrailLogs: no log group of this name in this account and Region: the alarms would watch nothing")
	if r.code != cli.ExitProblems {
		t.Errorf("exit %d, want 1", r.code)
	}

	w.groups["aws-controltower/CloudTrailLogs"] = groupState{}
	for i := range 90 {
		w.filters = append(w.filters, filterState{name: fmt.Sprintf("other-%d", i), group: "aws-controltower/CloudTrailLogs", pattern: "", metric: fmt.Sprintf("M%d", i), namespace: "Other", value: "1"})
	}
	r = runDoctor(t, f, "alarms-only", "--preflight")
	exp, _ := loadGolden(t, "alarms-only")
	n := len(exp.Filters)
	mustContain(t, r.stdout, fmt.Sprintf("✗ limits metric filters: %d filters of the stack + 90 already on aws-controltower/CloudTrailLogs = %d of 100 a log group", n, n+90),
		"fix: deploy fewer alarms")
	if n := f.called("logs:DescribeMetricFilters"); n < 30 {
		t.Errorf("DescribeMetricFilters called %d times; want every page of 90 filters", n)
	}
}
