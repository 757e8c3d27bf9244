package test

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/stacks"
)

// alarmsByName maps each alarm's name to its properties.
// alarmsByName returns the catalog's alarms (under Trailwatch/Alarms), not the alarm-email
// function's own (under Notifications).
func alarmsByName(f *fixture) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, a := range f.resources("AWS::CloudWatch::Alarm") {
		if p, _ := a["Metadata"].(map[string]any)["aws:cdk:path"].(string); strings.Contains(p, "/Alarms/") {
			out[props(a)["AlarmName"].(string)] = props(a)
		}
	}
	return out
}

// filterOf returns the properties of the metric filter at Trailwatch/Alarms/ID/NAME.
func filterOf(t *testing.T, f *fixture, id, name string) map[string]any {
	t.Helper()
	return props(f.resources("AWS::Logs::MetricFilter")[logicalID(t, f, "Trailwatch/Alarms/"+id+"/"+name+"/Resource")])
}

// The cis profile deploys CloudWatch.1-14 with the catalog's exact pattern text (the catalog is
// pinned to Security Hub's text byte for byte, docs/alarms.md), in the LogMetrics namespace, on a trail recording All.
func TestCISProfile(t *testing.T) {
	f := variantFixture(t, "cis")
	alarms := alarmsByName(f)
	if len(alarms) != 14+5 {
		t.Fatalf("%d alarms, want 14 + 5 tamper", len(alarms))
	}
	for _, pin := range cisPins {
		filter := filterOf(t, f, pin.id, "Filter")
		pinned(t, pin.id+" deployed pattern (byte for byte)", filter["FilterPattern"], pin.pattern)
		equal(t, pin.id+" metric", filter["MetricTransformations"], []any{map[string]any{
			"MetricName": pin.metric, "MetricNamespace": "LogMetrics", "MetricValue": "1"}})
		a, ok := alarms[pin.alarmName]
		if !ok {
			t.Errorf("no alarm named %s", pin.alarmName)
			continue
		}
		pinned(t, pin.id+" description", a["AlarmDescription"], pin.descEN)
		equal(t, pin.id+" alarm", []any{a["Namespace"], a["MetricName"], a["Threshold"], a["Period"]}, []any{"LogMetrics", pin.metric, pin.threshold, 300})
		if pin.id == "Cis13RouteTableChanges" {
			// The benchmark's text on a second filter of the same metric, publishing 0: the same
			// alarm, one email, each event counted once (by the row's own filter).
			bench := filterOf(t, f, pin.id, "BenchmarkFilter")
			pinned(t, pin.id+" benchmark pattern (byte for byte)", bench["FilterPattern"], cis13BenchmarkPatternPin)
			equal(t, pin.id+" benchmark filter", []any{bench["LogGroupName"], bench["MetricTransformations"]},
				[]any{filter["LogGroupName"], []any{map[string]any{
					"MetricName": pin.metric, "MetricNamespace": "LogMetrics", "MetricValue": "0"}}})
		}
	}
	_, trail := f.only(t, "AWS::CloudTrail::Trail")
	equal(t, "cis implies All", props(trail)["EventSelectors"], []any{map[string]any{"IncludeManagementEvents": true, "ReadWriteType": "All"}})
	check(t, "no WriteOnly warning", func() {
		assertions.Annotations_FromStack(f.stack).HasNoWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("WriteOnly")))
	})
}

func TestAWSAndCISTogetherAndDeduplicated(t *testing.T) {
	both := variantFixture(t, "aws-cis")
	if n := len(alarmsByName(both)); n != 24+5 {
		t.Errorf("aws,cis: %d alarms, want 24 + 5 tamper", n)
	}
	d := variantFixture(t, "aws-cis-dedupe")
	var names []string
	for n := range alarmsByName(d) {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) != 16+5 {
		t.Fatalf("aws,cis deduplicated: %d alarms, want 16 + 5 tamper: %v", len(names), names)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "CloudTrail") && n != "CloudTrailEC2InstanceChanges" && n != "CloudTrailEC2LargeInstanceChanges" {
			t.Errorf("deduplicated stack still has %s", n)
		}
	}
	// Both profiles notify the one alarm topic.
	topicID, _ := d.byPath(t, "AWS::SNS::Topic", "Alarms/Topic/Resource")
	for name, a := range alarmsByName(d) {
		equal(t, name+" action", a["AlarmActions"], []any{ref(topicID)})
	}
}

// Alarms only: the filters, alarms and topic on the existing trail's log group — no bucket, no
// trail, no role, no log group of our own (but the alarm-email function's, under Notifications).
func TestAlarmsOnlyStack(t *testing.T) {
	f := variantFixture(t, "alarms-only")
	for _, typ := range []string{"AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::CloudTrail::Trail", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Logs::LogGroup"} {
		for id, r := range f.resources(typ) {
			if p, _ := r["Metadata"].(map[string]any)["aws:cdk:path"].(string); !strings.HasPrefix(p, "Trailwatch/Notifications/") {
				t.Errorf("%s (%s at %s) in an alarms-only stack, want none", id, typ, p)
			}
		}
	}
	filters := f.resources("AWS::Logs::MetricFilter")
	if len(filters) != 17+4 {
		t.Errorf("%d filters, want 21 (16 rows, Cis13RouteTableChanges's benchmark filter, and the tamper rows for the log group, key, alarms and topic)", len(filters))
	}
	for id, mf := range filters {
		if props(mf)["LogGroupName"] != "aws-controltower/CloudTrailLogs" {
			t.Errorf("%s filters %v, want the existing log group", id, props(mf)["LogGroupName"])
		}
	}
	keyID, key := f.only(t, "AWS::KMS::Key")
	_, topic := f.byPath(t, "AWS::SNS::Topic", "Alarms/Topic/Resource")
	equal(t, "topic key", props(topic)["KmsMasterKeyId"], getAtt(keyID, "Arn"))
	equal(t, "key retained", []any{key["DeletionPolicy"], key["UpdateReplacePolicy"]}, []any{"Retain", "Retain"})
	check(t, "warning about the existing trail's settings", func() {
		assertions.Annotations_FromStack(f.stack).HasWarning(jsii.String("/Trailwatch/Alarms"),
			assertions.Match_StringLikeRegexp(jsii.String("multi-Region and records management events of type All.*\\[ack: "+stacks.ExistingTrailWarningID+"\\]")))
	})
}

// Custom alarms from a file sit next to the profile's, with their own period, names and
// dimensions; language=ja puts every description and the topic name in Japanese.
func TestCustomAlarmsAndJapanese(t *testing.T) {
	f := variantFixture(t, "custom-alarms")
	alarms := alarmsByName(f)
	if len(alarms) != 13+5 {
		t.Fatalf("%d alarms, want 13 + 5 tamper", len(alarms))
	}
	for _, row := range f.cfg.Alarms {
		if got := alarms[row.AlarmName]["AlarmDescription"]; got != row.Description["ja"] {
			t.Errorf("%s description %q, want the Japanese %q", row.ID, got, row.Description["ja"])
		}
	}
	equal(t, "GuardDutyDisabled", []any{alarms["TrailwatchGuardDutyDisabled"]["Period"], alarms["TrailwatchGuardDutyDisabled"]["MetricName"]}, []any{900, "GuardDutyDisabledCount"})
	equal(t, "RootAccessKeyCreated defaults", []any{alarms["CloudTrailRootAccessKeyCreated"]["Period"], alarms["CloudTrailRootAccessKeyCreated"]["MetricName"]}, []any{300, "RootAccessKeyCreatedCount"})
	// The alarm watches the dimensionless total; a second filter counts per account.
	equal(t, "IamUserCreated filter", filterOf(t, f, "IamUserCreated", "Filter")["MetricTransformations"], []any{map[string]any{
		"MetricName": "IamUserCreatedCount", "MetricNamespace": "CloudTrailMetrics", "MetricValue": "1"}})
	equal(t, "IamUserCreated dimension filter", filterOf(t, f, "IamUserCreated", "DimensionFilter")["MetricTransformations"], []any{map[string]any{
		"MetricName": "IamUserCreatedCount", "MetricNamespace": "CloudTrailMetrics", "MetricValue": "1",
		"Dimensions": []any{map[string]any{"Key": "Account", "Value": "$.recipientAccountId"}}}})
	if _, dims := alarms["CloudTrailIamUserCreated"]["Dimensions"]; dims {
		t.Errorf("the IamUserCreated alarm has dimensions; it must watch the total")
	}
	_, topic := f.core(t, "AWS::SNS::Topic")
	equal(t, "topic display name", props(topic)["DisplayName"], "trailwatch CloudTrail アラーム")
}

// A bad custom alarms file stops the app with one line per problem and nothing in cdk.out.
func TestAppFailsOnBadAlarmsFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "alarms.yaml")
	writeTestFile(t, bad, "alarms:\n  - id: RootKey\n    pattern: '{ ($.eventName = CreateAccessKey }'\n    threshold: 0\n    description: {en: x}\n")
	r := runApp(t, map[string]any{"notificationEmails": "ops@example.com", "alarmsFile": bad})
	if r.code == 0 {
		t.Fatal("exit 0 with a bad alarms file")
	}
	want := []string{
		"trailwatch: alarmsFile: " + bad + ": line 4: alarm 1 (RootKey): threshold: 0 must be greater than 0",
		"trailwatch: alarmsFile: " + bad + ": line 3: alarm 1 (RootKey): pattern: col 34: expected ')' after $.eventName = CreateAccessKey",
	}
	equal(t, "stderr lines", strings.Split(strings.TrimRight(r.stderr, "\n"), "\n"), want)
	if got := files(t, r.outdir); len(got) != 0 {
		t.Errorf("cdk.out has %v", got)
	}
}
