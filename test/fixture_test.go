package test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/stacks"
)

// The pinned test environment, so ARNs in templates are literal.
const (
	testAccount = "123456789012"
	testRegion  = "us-east-1"
)

// fixture is one synthesized configuration: built once, checked by many tests.
type fixture struct {
	name     string
	ctx      map[string]any
	cfg      config.Target
	stack    awscdk.Stack
	template assertions.Template
	json     map[string]any // the template as CloudFormation JSON
}

var fixtures = map[string]*fixture{}

// cdkContext returns the context of ../cdk.json: tests synthesize with what the CLI would pass.
func cdkContext(t testing.TB) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	return doc.Context
}

// cliContext is the context `cdk synth -c k=v ...` hands the app: cdk.json's, the overrides, and
// the CLI's own default that puts each resource's construct path in the template.
func cliContext(t testing.TB, overrides map[string]any) map[string]any {
	t.Helper()
	ctx := cdkContext(t)
	maps.Copy(ctx, overrides)
	ctx["aws:cdk:enable-path-metadata"] = true
	return ctx
}

func pinnedEnv(k string) string {
	return map[string]string{"CDK_DEFAULT_ACCOUNT": testAccount, "CDK_DEFAULT_REGION": testRegion}[k]
}

// synth builds (once per name) the app for cdk.json's context plus overrides, as `cdk synth -c` does.
func synth(t testing.TB, name string, overrides map[string]any) *fixture {
	t.Helper()
	if f, ok := fixtures[name]; ok {
		return f
	}
	ctx := cliContext(t, overrides)
	cfg, err := config.Parse(ctx, pinnedEnv)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, AnalyticsReporting: jsii.Bool(false)})
	cfg.Name = stacks.AuditStackID
	stack, err := stacks.Build(app, cfg)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	tmpl := assertions.Template_FromStack(stack, nil)
	f := &fixture{name: name, ctx: ctx, cfg: cfg, stack: stack, template: tmpl, json: *tmpl.ToJSON()}
	fixtures[name] = f
	return f
}

// The fixtures the goldens and assertions share.
func defaultFixture(t testing.TB) *fixture { return synth(t, "default", variantOverrides["default"]) }

func allTwoEmailsFixture(t testing.TB) *fixture {
	return synth(t, "all-two-emails", variantOverrides["all-two-emails"])
}

// check runs a CDK assertion, turning its panic into a test error so the other checks still run.
func check(t *testing.T, what string, assertion func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", what, r)
		}
	}()
	assertion()
}

// resources returns the template's resources of one type, by logical ID.
func (f *fixture) resources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	res, _ := f.json["Resources"].(map[string]any)
	for id, r := range res {
		m := r.(map[string]any)
		if m["Type"] == typ {
			out[id] = m
		}
	}
	return out
}

// only returns the single resource of a type, failing the test if there is not exactly one.
func (f *fixture) only(t *testing.T, typ string) (string, map[string]any) {
	t.Helper()
	rs := f.resources(typ)
	if len(rs) != 1 {
		t.Fatalf("%s: %d resources of type %s, want 1", f.name, len(rs), typ)
	}
	for id, r := range rs {
		return id, r
	}
	panic("unreachable")
}

func props(r map[string]any) map[string]any {
	p, _ := r["Properties"].(map[string]any)
	return p
}

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// variantOverrides are every stack variant the security tests cover, by fixture name.
var variantOverrides = map[string]map[string]any{
	"default":         {"notificationEmails": "ops@example.com"},
	"all-two-emails":  {"notificationEmails": "ops@example.com,security@example.com", "managementEvents": "All"},
	"encryption-none": {"notificationEmails": "ops@example.com", "encryption": "none"},
	"object-lock-compliance": {"notificationEmails": "ops@example.com", "objectLockDays": "365",
		"objectLockMode": "COMPLIANCE", "bucketExpirationDays": "2555"},
}

// variants synthesizes (once each) every stack variant the security tests cover, in a stable
// order: the trail variants, then the profile, custom-alarm and alarms-only ones.
func variants(t testing.TB) []*fixture {
	var out []*fixture
	for _, name := range []string{"default", "all-two-emails", "encryption-none", "object-lock-compliance"} {
		out = append(out, synth(t, name, variantOverrides[name]))
	}
	for _, name := range []string{"cis", "aws-cis", "alarms-only", "custom-alarms"} {
		out = append(out, synth(t, name, profileOverrides[name]))
	}
	if tt, ok := t.(*testing.T); ok { // the organization trail, from the example targets file
		out = append(out, loadExampleTargets(tt).stacks["Trailwatch-111111111111-us-east-1"])
	}
	return out
}

// trailBucket is the bucket the trail writes to (the other one receives its access logs).
func (f *fixture) trailBucket(t *testing.T) (string, map[string]any) {
	t.Helper()
	_, trail := f.only(t, "AWS::CloudTrail::Trail")
	id := props(trail)["S3BucketName"].(map[string]any)["Ref"].(string)
	return id, f.resources("AWS::S3::Bucket")[id]
}

// accessLogsBucket is the bucket the trail bucket's server access logs go to.
func (f *fixture) accessLogsBucket(t *testing.T) (string, map[string]any) {
	t.Helper()
	_, trailBucket := f.trailBucket(t)
	logging, _ := props(trailBucket)["LoggingConfiguration"].(map[string]any)
	ref, _ := logging["DestinationBucketName"].(map[string]any)
	id, _ := ref["Ref"].(string)
	b, ok := f.resources("AWS::S3::Bucket")[id]
	if !ok {
		t.Fatalf("%s: the trail bucket logs to no bucket of this stack (%v)", f.name, logging)
	}
	return id, b
}

// policyIDOf returns the logical ID of the bucket policy of bucket bucketID.
func (f *fixture) policyIDOf(t *testing.T, bucketID string) string {
	t.Helper()
	for id, p := range f.resources("AWS::S3::BucketPolicy") {
		if ref, _ := props(p)["Bucket"].(map[string]any); ref["Ref"] == bucketID {
			return id
		}
	}
	t.Fatalf("%s: bucket %s has no policy", f.name, bucketID)
	return ""
}

func (f *fixture) policyOf(t *testing.T, bucketID string) map[string]any {
	t.Helper()
	return f.resources("AWS::S3::BucketPolicy")[f.policyIDOf(t, bucketID)]
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
