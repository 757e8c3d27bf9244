package test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"strings"
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

// fixtures caches each synthesized configuration by its full context (name and every override),
// so the same name with other overrides synthesizes again instead of returning a stale template.
var fixtures = map[string]*fixture{}

// fixtureKey is the cache key of a fixture: its name and its whole context, as canonical JSON
// (encoding/json sorts map keys, so equal contexts give equal keys).
func fixtureKey(t testing.TB, name string, ctx map[string]any) string {
	t.Helper()
	b, err := json.Marshal(ctx)
	if err != nil {
		t.Fatalf("fixture %s: context: %v", name, err)
	}
	return name + "\x00" + string(b)
}

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

// synth builds the app for cdk.json's context plus overrides, as `cdk synth -c` does, once per
// name and context.
func synth(t testing.TB, name string, overrides map[string]any) *fixture {
	t.Helper()
	ctx := cliContext(t, overrides)
	key := fixtureKey(t, name, ctx)
	if f, ok := fixtures[key]; ok {
		return f
	}
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
	fixtures[key] = f
	return f
}

// The fixtures most assertions use.
func defaultFixture(t testing.TB) *fixture      { return variantFixture(t, "default") }
func allTwoEmailsFixture(t testing.TB) *fixture { return variantFixture(t, "all-two-emails") }

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

// alarmEmailPart reports whether a resource belongs to the alarm-email function's scope
// (stacks.Notifications, with notifications=enriched).
func alarmEmailPart(r map[string]any) bool {
	meta, _ := r["Metadata"].(map[string]any)
	path, _ := meta["aws:cdk:path"].(string)
	return strings.Contains(path, "/Notifications/")
}

// coreResources are the resources of one type outside the alarm-email function's scope: the
// trail, its storage and the catalog's alarms and topic.
func (f *fixture) coreResources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range f.resources(typ) {
		if !alarmEmailPart(r) {
			out[id] = r
		}
	}
	return out
}

// core returns the single resource of a type outside the alarm-email function's scope, failing
// the test if there is not exactly one.
// Near-copy of only: over coreResources, with its own failure message.
func (f *fixture) core(t *testing.T, typ string) (string, map[string]any) {
	t.Helper()
	rs := f.coreResources(typ)
	if len(rs) != 1 {
		t.Fatalf("%s: %d resources of type %s outside Notifications, want 1", f.name, len(rs), typ)
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

// variant is one stack configuration the tests share: synthesized once, checked by many tests,
// and (golden) snapshotted in testdata/NAME.template.json.
type variant struct {
	name      string         // fixture name; the golden is testdata/NAME.template.json
	overrides map[string]any // context over cdk.json's, as `cdk synth -c` passes it
	target    string         // instead of overrides: this stack of examples/targets.yaml
	golden    bool           // pinned by a golden template (TestGoldens/NAME)
	security  bool           // one of variants(t), which the security and retention tests cover
}

// variantTable is every shared stack variant, in the order the tests visit them: the trail
// variants, then the profile, custom-alarm and alarms-only ones, then the targets file's.
var variantTable = []variant{
	{name: "default", overrides: map[string]any{"notificationEmails": "ops@example.com"}, golden: true, security: true},
	{name: "all-two-emails", overrides: map[string]any{"notificationEmails": "ops@example.com,security@example.com",
		"managementEvents": "All"}, golden: true, security: true},
	{name: "encryption-none", overrides: map[string]any{"notificationEmails": "ops@example.com", "encryption": "none"},
		golden: true, security: true},
	{name: "object-lock-compliance", overrides: map[string]any{"notificationEmails": "ops@example.com",
		"objectLockDays": "365", "objectLockMode": "COMPLIANCE", "bucketExpirationDays": "2555"}, golden: true, security: true},
	{name: "cis", overrides: map[string]any{"notificationEmails": "ops@example.com", "alarmProfile": "cis"},
		golden: true, security: true},
	{name: "aws-cis", overrides: map[string]any{"notificationEmails": "ops@example.com", "alarmProfile": "aws,cis"},
		golden: true, security: true},
	{name: "aws-cis-dedupe", overrides: map[string]any{"notificationEmails": "ops@example.com", "alarmProfile": "aws,cis",
		"dedupeAlarms": "true"}},
	{name: "alarms-only", overrides: map[string]any{"notificationEmails": "ops@example.com",
		"existingLogGroupName": "aws-controltower/CloudTrailLogs", "alarmProfile": "aws,cis", "dedupeAlarms": "true"},
		golden: true, security: true},
	{name: "custom-alarms", overrides: map[string]any{"notificationEmails": "ops@example.com",
		"alarmsFile": "../examples/alarms.yaml", "language": "ja"}, golden: true, security: true},
	{name: "athena", overrides: map[string]any{"notificationEmails": "ops@example.com", "athena": "true"}, golden: true, security: true},
	{name: "organization-trail", target: "Trailwatch-111111111111-us-east-1", golden: true, security: true},
	{name: "stackset", target: "Trailwatch-444444444444-us-east-1-StackSet", golden: true},
}

// lookupVariant returns the row of variantTable named name.
func lookupVariant(t testing.TB, name string) variant {
	t.Helper()
	for _, v := range variantTable {
		if v.name == name {
			return v
		}
	}
	t.Fatalf("no variant %q in variantTable", name)
	return variant{}
}

// fixture synthesizes (once) the variant's stack.
func (v variant) fixture(t testing.TB) *fixture {
	t.Helper()
	if v.target != "" {
		f, ok := loadExampleTargets(t).stacks[v.target]
		if !ok {
			t.Fatalf("variant %s: examples/targets.yaml has no stack %s", v.name, v.target)
		}
		return f
	}
	return synth(t, v.name, v.overrides)
}

// plainFixture synthesizes (once) the variant with -c notifications=plain.
func (v variant) plainFixture(t testing.TB) *fixture {
	t.Helper()
	plain := map[string]any{"notifications": config.Plain}
	if v.target != "" {
		f, ok := loadTargets(t, plain).stacks[v.target]
		if !ok {
			t.Fatalf("variant %s: examples/targets.yaml has no stack %s", v.name, v.target)
		}
		return f
	}
	over := maps.Clone(v.overrides)
	maps.Copy(over, plain)
	return synth(t, v.name, over)
}

// variantFixture synthesizes (once) the variant of variantTable named name.
func variantFixture(t testing.TB, name string) *fixture {
	t.Helper()
	return lookupVariant(t, name).fixture(t)
}

// variants synthesizes (once each) every stack variant the security tests cover, in table order.
func variants(t testing.TB) []*fixture {
	t.Helper()
	var out []*fixture
	for _, v := range variantTable {
		if v.security {
			out = append(out, v.fixture(t))
		}
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

// The fixture cache is keyed by the whole context: the same name with other overrides synthesizes
// its own template, and the same name with the same overrides is synthesized once.
func TestFixtureCacheKeysOnTheWholeContext(t *testing.T) {
	prefixes := func(f *fixture) []string {
		var out []string
		for _, a := range f.resources("AWS::CloudWatch::Alarm") {
			name, _ := props(a)["AlarmName"].(string)
			out = append(out, name[:min(len(name), 3)])
		}
		return out
	}
	a := synth(t, "cache-key", map[string]any{"notificationEmails": "ops@example.com", "alarmNamePrefix": "aa-"})
	b := synth(t, "cache-key", map[string]any{"notificationEmails": "ops@example.com", "alarmNamePrefix": "bb-"})
	if a == b {
		t.Fatal("synth returned the first fixture for the same name with other overrides")
	}
	for _, c := range []struct {
		f    *fixture
		want string
	}{{a, "aa-"}, {b, "bb-"}} {
		got := prefixes(c.f)
		if len(got) != 10+5+2 { // AWS's ten, the 5 tamper alarms and the alarm-email function's two, all prefixed
			t.Errorf("%s: %d alarms, want 10 + 5 tamper + 2", c.want, len(got))
		}
		for _, p := range got {
			if p != c.want {
				t.Errorf("fixture for alarmNamePrefix %s has an alarm named %s...", c.want, p)
			}
		}
	}
	if again := synth(t, "cache-key", map[string]any{"alarmNamePrefix": "aa-", "notificationEmails": "ops@example.com"}); again != a {
		t.Error("synth built the same name and context twice; want the cached fixture")
	}
}
