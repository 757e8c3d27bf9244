package test

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/stacks"
)

// targetsFixture builds every stack of examples/targets.yaml once, as `cdk synth -c
// targetsFile=examples/targets.yaml` does.
type targetsFixture struct {
	targets []config.Target
	stacks  map[string]*fixture
}

// exampleTargets caches the synthesized targets file by its whole context.
var exampleTargets = map[string]*targetsFixture{}

func loadExampleTargets(t testing.TB) *targetsFixture { return loadTargets(t, nil) }

// loadTargets synthesizes examples/targets.yaml with more context (as -c adds), once per context.
func loadTargets(t testing.TB, overrides map[string]any) *targetsFixture {
	t.Helper()
	over := map[string]any{"targetsFile": "../examples/targets.yaml"}
	maps.Copy(over, overrides)
	ctx := cliContext(t, over)
	key := fixtureKey(t, "targets", ctx)
	if tf, ok := exampleTargets[key]; ok {
		return tf
	}
	targets, err := config.Load(ctx, pinnedEnv)
	if err != nil {
		t.Fatal(err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, AnalyticsReporting: jsii.Bool(false)})
	built, err := stacks.BuildAll(app, targets)
	if err != nil {
		t.Fatal(err)
	}
	tf := &targetsFixture{targets: targets, stacks: map[string]*fixture{}}
	for i, s := range built {
		tmpl := assertions.Template_FromStack(s, nil)
		tf.stacks[targets[i].Name] = &fixture{name: targets[i].Name, ctx: ctx, cfg: targets[i], stack: s, template: tmpl, json: *tmpl.ToJSON()}
	}
	exampleTargets[key] = tf
	return tf
}

func TestTargetsFileMakesOneStackPerTargetAndRegion(t *testing.T) {
	tf := loadExampleTargets(t)
	var got []string
	for name, f := range tf.stacks {
		got = append(got, name)
		if !strings.HasPrefix(*f.stack.StackName(), "Trailwatch-") || *f.stack.StackName() != name {
			t.Errorf("stack %s is named %s", name, *f.stack.StackName())
		}
	}
	sort.Strings(got)
	equal(t, "stacks", got, []string{"Trailwatch-111111111111-us-east-1", "Trailwatch-222222222222-us-east-1",
		"Trailwatch-333333333333-eu-west-1", "Trailwatch-444444444444-us-east-1-StackSet",
		"Trailwatch-555555555555-eu-west-1", "Trailwatch-555555555555-us-east-1"})
	for name, f := range tf.stacks {
		parts := strings.Split(name, "-")
		if acct, region := *f.stack.Account(), *f.stack.Region(); acct != parts[1] || region != parts[2]+"-"+parts[3]+"-"+parts[4] {
			t.Errorf("%s deploys to %s/%s", name, acct, region)
		}
	}
}

// The organization trail: IsOrganizationTrail, the bucket and the delivery role cover the
// organization's prefixes, and the alarms count per account too.
func TestOrganizationTrail(t *testing.T) {
	f := loadExampleTargets(t).stacks["Trailwatch-111111111111-us-east-1"]
	_, trail := f.only(t, "AWS::CloudTrail::Trail")
	if props(trail)["IsOrganizationTrail"] != true {
		t.Errorf("IsOrganizationTrail = %v", props(trail)["IsOrganizationTrail"])
	}
	bucketID, _ := f.trailBucket(t)
	stmts := props(f.policyOf(t, bucketID))["PolicyDocument"].(map[string]any)["Statement"].([]any)
	orgTrail := "arn:aws:cloudtrail:us-east-1:111111111111:trail/trailwatch"
	equal(t, "organization write statement", stmts[len(stmts)-1], map[string]any{"Sid": "AWSCloudTrailOrganizationWrite", "Effect": "Allow",
		"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
		"Resource":  map[string]any{"Fn::Join": []any{"", []any{getAtt(bucketID, "Arn"), "/AWSLogs/o-a1b2c3d4e5/*"}}},
		"Condition": map[string]any{"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": orgTrail}}})
	logsID, _ := f.byPath(t, "AWS::Logs::LogGroup", "TrailLogGroup/Resource")
	_, policy := f.only(t, "AWS::IAM::Policy")
	stream := func(prefix string) any {
		return map[string]any{"Fn::Join": []any{"", []any{"arn:aws:logs:us-east-1:111111111111:log-group:", ref(logsID), ":log-stream:" + prefix + "*"}}}
	}
	equal(t, "delivery role streams", props(policy)["PolicyDocument"].(map[string]any)["Statement"].([]any)[0].(map[string]any)["Resource"],
		[]any{stream("111111111111_CloudTrail_"), stream("o-a1b2c3d4e5_")})
	// accountDimension: every alarm row also has a per-account filter; the alarms watch totals.
	dims := 0
	for _, mf := range f.resources("AWS::Logs::MetricFilter") {
		mt := props(mf)["MetricTransformations"].([]any)[0].(map[string]any)
		if d, ok := mt["Dimensions"]; ok {
			dims++
			equal(t, "account dimension", d, []any{map[string]any{"Key": "Account", "Value": "$.recipientAccountId"}})
		}
	}
	// The tamper rows watch this account's own resources and have no per-account filter.
	if alarms := len(f.coreResources("AWS::CloudWatch::Alarm")); dims != alarms-5 || alarms != 16+5 {
		t.Errorf("%d per-account filters for %d alarms, want 16 and 16 + 5 tamper", dims, alarms)
	}
}

// The StackSet: service-managed, auto-deploying, retaining stacks of accounts that leave, with the
// configured OUs, Regions, tolerance and concurrency; its template is our synthesized member stack.
func TestStackSet(t *testing.T) {
	tf := loadExampleTargets(t)
	f := tf.stacks["Trailwatch-444444444444-us-east-1-StackSet"]
	_, set := f.only(t, "AWS::CloudFormation::StackSet")
	p := props(set)
	body := p["TemplateBody"].(string)
	delete(p, "TemplateBody")
	equal(t, "StackSet properties", p, map[string]any{
		"StackSetName":     "trailwatch-members",
		"Description":      "trailwatch: CloudTrail audit trail and alarms in every account of the organizational units",
		"PermissionModel":  "SERVICE_MANAGED",
		"CallAs":           "SELF",
		"AutoDeployment":   map[string]any{"Enabled": true, "RetainStacksOnAccountRemoval": true},
		"ManagedExecution": map[string]any{"Active": true},
		"OperationPreferences": map[string]any{"ConcurrencyMode": "SOFT_FAILURE_TOLERANCE", "FailureToleranceCount": 2, "MaxConcurrentCount": 10,
			"RegionConcurrencyType": "SEQUENTIAL", "RegionOrder": []any{"us-east-1"}},
		"StackInstancesGroup": []any{map[string]any{"DeploymentTargets": map[string]any{"OrganizationalUnitIds": []any{"ou-b2c3-sandbox1"}},
			"Regions": []any{"us-east-1"}}},
		"Capabilities": []any{"CAPABILITY_IAM"},
	})
	if len(f.json["Resources"].(map[string]any)) != 1 {
		t.Errorf("the StackSet stack has %d resources, want only the StackSet", len(f.json["Resources"].(map[string]any)))
	}
	// The embedded template is the member stack synthesized on its own, in this test.
	var embedded map[string]any
	if err := json.Unmarshal([]byte(body), &embedded); err != nil {
		t.Fatal(err)
	}
	var target config.Target
	for _, tg := range tf.targets {
		if tg.Name == "Trailwatch-444444444444-us-east-1-StackSet" {
			target = tg
		}
	}
	ctx := cliContext(t, nil)
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), Context: &ctx})
	// Members get plain notifications: their inline template cannot carry the function's asset.
	memberCfg := target.Stack
	memberCfg.Notifications = config.Plain
	member := stacks.NewAudit(app, "TrailwatchMember", &stacks.AuditProps{
		StackProps: awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil),
			Description: jsii.String("trailwatch: CloudTrail trail, bucket, log group and CloudTrail alarms")},
		Config: memberCfg,
	})
	var want map[string]any
	roundTrip(t, *assertions.Template_FromStack(member.Stack, nil).ToJSON(), &want)
	equal(t, "embedded member template", embedded, want)
	if _, ok := embedded["Parameters"]; ok {
		t.Errorf("the member template has parameters (%v); member accounts are not CDK-bootstrapped", embedded["Parameters"])
	}
	// Checked on the embedded text itself, not against a rebuild: the whole audit stack, no CDK
	// bootstrap check, and environment-agnostic (each member account fills in its own ID and Region).
	counts := map[string]int{}
	for _, r := range embedded["Resources"].(map[string]any) {
		counts[r.(map[string]any)["Type"].(string)]++
	}
	for typ, n := range map[string]int{"AWS::CloudTrail::Trail": 1, "AWS::S3::Bucket": 2, "AWS::Logs::LogGroup": 1,
		"AWS::KMS::Key": 1, "AWS::CloudWatch::Alarm": 10 + 5, "AWS::Logs::MetricFilter": 10 + 5, "AWS::SNS::Topic": 1} {
		if counts[typ] != n {
			t.Errorf("member template has %d %s, want %d", counts[typ], typ, n)
		}
	}
	if _, ok := embedded["Rules"]; ok {
		t.Errorf("the member template has the CDK bootstrap rule")
	}
	for _, literal := range []string{"444444444444", "us-east-1", "123456789012"} {
		if strings.Contains(body, literal) {
			t.Errorf("the member template names %s; it must use AWS::AccountId / AWS::Region", literal)
		}
	}
	if !strings.Contains(body, `{"Ref":"AWS::AccountId"}`) {
		t.Errorf("the member template does not use AWS::AccountId")
	}
	if len(body) > stacks.MaxTemplateBody {
		t.Errorf("TemplateBody is %d bytes, over CloudFormation's %d", len(body), stacks.MaxTemplateBody)
	}
}

func TestStackSetRefusesATemplateTooLargeForTemplateBody(t *testing.T) {
	ctx := cliContext(t, map[string]any{"notificationEmails": "ops@example.com", "alarmProfile": "aws,cis",
		"stackSetOrganizationalUnits": "r-ab12", "region": "us-east-1", "alarmsFile": "../examples/alarms.yaml", "accountDimension": "true"})
	targets, err := config.Load(ctx, pinnedEnv)
	if err != nil {
		t.Fatal(err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, AnalyticsReporting: jsii.Bool(false)})
	_, err = stacks.BuildAll(app, targets)
	if err == nil || !strings.HasPrefix(err.Error(), `TrailwatchStackSet: stackSetOrganizationalUnits: "r-ab12" deploys a member template of `) ||
		!strings.Contains(err.Error(), "bytes; allowed: at most 51200 bytes (CloudFormation's limit on a StackSet's inline TemplateBody)") ||
		!errors.Is(err, config.ErrInvalid) {
		t.Errorf("got %v", err)
	}
}

// A targets file through the app: every stack's template in cdk.out; a bad file, one line per
// problem naming the target, and nothing written.
func TestAppWithTargetsFile(t *testing.T) {
	r := runApp(t, map[string]any{"targetsFile": "../examples/targets.yaml"})
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	templates, _ := filepath.Glob(filepath.Join(r.outdir, "Trailwatch-*.template.json"))
	if len(templates) != 6 {
		t.Errorf("%d templates in cdk.out, want 6: %v", len(templates), files(t, r.outdir))
	}
	bad := filepath.Join(t.TempDir(), "targets.yaml")
	if err := os.WriteFile(bad, []byte("defaults: {notificationEmails: ops@example.com}\ntargets:\n  - {account: \"123456789012\", region: us-east-1, alarmProfile: nist}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runApp(t, map[string]any{"targetsFile": bad})
	want := "trailwatch: targetsFile: " + bad + `: line 3: target 1 (123456789012/us-east-1): alarmProfile: "nist" has "nist", which is not a profile or is given twice; allowed: aws (AWS's ten), cis (Security Hub CloudWatch.1-14; implies managementEvents=All), or aws,cis`
	if r.code == 0 || strings.TrimRight(r.stderr, "\n") != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", r.code, r.stderr, want)
	}
	if got := files(t, r.outdir); len(got) != 0 {
		t.Errorf("cdk.out has %v", got)
	}
}

// Without an account or Region (no CDK_DEFAULT_ACCOUNT or CDK_DEFAULT_REGION, none in the
// configuration) the stack is environment-agnostic: CloudFormation fills both in at deploy time.
// With only the account known, the Region alone is left open.
func TestStackWithoutAnEnvironment(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "aws://unknown-account/unknown-region"},
		{map[string]string{"CDK_DEFAULT_ACCOUNT": testAccount}, "aws://" + testAccount + "/unknown-region"},
	} {
		ctx := cliContext(t, map[string]any{"notificationEmails": "ops@example.com", "notifications": config.Plain,
			"existingLogGroupName": "aws-controltower/CloudTrailLogs", "encryption": "none"})
		target, err := config.Parse(ctx, func(k string) string { return c.env[k] })
		if err != nil {
			t.Fatal(err)
		}
		target.Name = stacks.AuditStackID
		app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, AnalyticsReporting: jsii.Bool(false)})
		stack, err := stacks.Build(app, target)
		if err != nil {
			t.Fatal(err)
		}
		if got := *stack.Environment(); got != c.want {
			t.Errorf("%v: environment %s, want %s", c.env, got, c.want)
		}
	}
}
