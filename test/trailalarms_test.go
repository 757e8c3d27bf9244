package test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/constructs/trailalarms"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// The construct works on its own, on a log group it did not make (the alarms-only use).
func TestTrailAlarmsOnAnExistingLogGroup(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false)})
	stack := awscdk.NewStack(app, jsii.String("AlarmsOnly"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(testAccount), Region: jsii.String(testRegion)},
	})
	existing := awslogs.LogGroup_FromLogGroupName(stack, jsii.String("Existing"), jsii.String("aws-controltower/CloudTrailLogs"))
	alarms := trailalarms.New(stack, "Alarms", &trailalarms.Props{
		LogGroup:        existing,
		Emails:          []string{"a@example.com", "b@example.com"},
		AlarmNamePrefix: "acct-",
		Language:        "ja",
	})
	if len(alarms.Alarms) != 10 || len(alarms.Filters) != 10 || alarms.Topic == nil {
		t.Fatalf("got %d alarms, %d filters, topic %v; want 10, 10, a topic", len(alarms.Alarms), len(alarms.Filters), alarms.Topic)
	}
	tmpl := assertions.Template_FromStack(stack, nil)
	check(t, "10 filters on the existing group", func() {
		tmpl.ResourcePropertiesCountIs(jsii.String("AWS::Logs::MetricFilter"),
			map[string]any{"LogGroupName": "aws-controltower/CloudTrailLogs"}, jsii.Number(10))
	})
	check(t, "no log group, bucket or trail made", func() {
		for _, typ := range []string{"AWS::Logs::LogGroup", "AWS::S3::Bucket", "AWS::CloudTrail::Trail", "AWS::IAM::Role"} {
			tmpl.ResourceCountIs(jsii.String(typ), jsii.Number(0))
		}
	})
	check(t, "two subscriptions", func() { tmpl.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(2)) })
	check(t, "Japanese topic name", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::SNS::Topic"), map[string]any{"DisplayName": "trailwatch CloudTrail アラーム"})
	})
	byName := map[string]any{}
	for _, a := range *tmpl.FindResources(jsii.String("AWS::CloudWatch::Alarm"), nil) {
		p, _ := (*a)["Properties"].(map[string]any)
		name, _ := p["AlarmName"].(string)
		byName[name] = p["AlarmDescription"]
	}
	for _, pin := range awsPins {
		description, ok := byName["acct-"+pin.alarmName]
		if !ok {
			t.Errorf("%s: no alarm named acct-%s", pin.id, pin.alarmName)
			continue
		}
		pinned(t, pin.id+" alarm in Japanese with prefix", description, pin.descJA)
	}
}

// A malformed pattern stops synth: New panics (as CDK constructs do) with the engine's positioned error.
func TestTrailAlarmsRefusesAMalformedPattern(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil)
	row := catalog.AWS()[3]
	row.Pattern = "{ ($.eventName = CreateVpc }"
	defer func() {
		r := recover()
		err, _ := r.(error)
		if err == nil || !strings.Contains(err.Error(), "col 28: expected ')' after $.eventName = CreateVpc") {
			t.Errorf("New panicked with %v, want the engine's positioned error", r)
		}
	}()
	trailalarms.New(stack, "Alarms", &trailalarms.Props{
		LogGroup: awslogs.LogGroup_FromLogGroupName(stack, jsii.String("G"), jsii.String("g")),
		Alarms:   []catalog.Alarm{row},
	})
	t.Error("New accepted a malformed pattern")
}

func TestTrailAlarmsPropsValidate(t *testing.T) {
	good := func() *trailalarms.Props {
		return &trailalarms.Props{LogGroup: awslogs.LogGroup_FromLogGroupName(awscdk.NewStack(nil, nil, nil), jsii.String("G"), jsii.String("g"))}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("default props: %v", err)
	}
	row := catalog.AWS()[0]
	cases := []struct {
		name   string
		mutate func(p *trailalarms.Props)
		want   string
	}{
		{"no log group", func(p *trailalarms.Props) { p.LogGroup = nil }, "LogGroup is required"},
		{"language", func(p *trailalarms.Props) { p.Language = "fr" }, `Language "fr" is not supported; allowed: en, ja`},
		{"bad ID", func(p *trailalarms.Props) { r := row; r.ID = "bad id"; p.Alarms = []catalog.Alarm{r} }, `alarm 1 (bad id): id: "bad id" is not a PascalCase construct ID`},
		{"duplicate ID", func(p *trailalarms.Props) { p.Alarms = []catalog.Alarm{row, row} }, `alarm 2 (SecurityGroupChanges): id: "SecurityGroupChanges" is used twice`},
		{"zero threshold", func(p *trailalarms.Props) { r := row; r.Threshold = 0; p.Alarms = []catalog.Alarm{r} }, "threshold: 0 must be greater than 0"},
		{"infinite threshold", func(p *trailalarms.Props) { r := row; r.Threshold = math.Inf(1); p.Alarms = []catalog.Alarm{r} }, "alarm 1 (SecurityGroupChanges): threshold +Inf is not a finite number (a template cannot hold it)"},
		{"NaN threshold", func(p *trailalarms.Props) { r := row; r.Threshold = math.NaN(); p.Alarms = []catalog.Alarm{r} }, "alarm 1 (SecurityGroupChanges): threshold NaN is not a finite number (a template cannot hold it)"},
		{"malformed pattern", func(p *trailalarms.Props) {
			r := row
			r.Pattern = "{ ($.eventName = CreateVpc }"
			p.Alarms = []catalog.Alarm{r}
		}, "alarm 1 (SecurityGroupChanges): pattern: col 28: expected ')' after $.eventName = CreateVpc"},
		{"minus infinite threshold", func(p *trailalarms.Props) { r := row; r.Threshold = math.Inf(-1); p.Alarms = []catalog.Alarm{r} }, "alarm 1 (SecurityGroupChanges): threshold -Inf is not a finite number (a template cannot hold it)"},
		{"long name", func(p *trailalarms.Props) {
			r := catalog.AWS()[1]
			p.Alarms = []catalog.Alarm{row, r}
			p.AlarmNamePrefix = strings.Repeat("p", 255-len(r.AlarmName)+1)
		}, `alarm 2 (NetworkAclChanges): alarm name "CloudTrailNetworkAclChanges" with prefix "` + strings.Repeat("p", 255-len("CloudTrailNetworkAclChanges")+1) + `" is longer than 255 characters`},
		{"tamper pattern too long", func(p *trailalarms.Props) {
			p.Watch = &catalog.Watched{LogGroupName: "g"}
			for i := range 30 {
				r := row
				r.ID, r.MetricName, r.AlarmName = fmt.Sprintf("Row%d", i), fmt.Sprintf("M%d", i), strings.Repeat("a", i+1)+"-alarm"
				p.Alarms = append(p.Alarms, r)
			}
		}, "tamper rows: invalid alarm: TamperAlarms: the pattern can be"},
		{"tamper row ID taken", func(p *trailalarms.Props) {
			p.Watch = &catalog.Watched{LogGroupName: "g"}
			r := row
			r.ID = catalog.TamperLogGroupID
			p.Alarms = []catalog.Alarm{r}
		}, `tamper rows: invalid alarm: alarm 2 (TamperLogGroup): id: "TamperLogGroup" is used twice`},
	}
	for _, c := range cases {
		p := good()
		c.mutate(p)
		err := p.Validate()
		if !errors.Is(err, trailalarms.ErrInvalidProps) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}

	// A prefixed name of exactly 255 characters is allowed: CloudWatch's limit is inclusive.
	p := good()
	p.Alarms = []catalog.Alarm{row}
	p.AlarmNamePrefix = strings.Repeat("p", 255-len(row.AlarmName))
	if err := p.Validate(); err != nil {
		t.Errorf("prefixed alarm name of 255 characters: %v", err)
	}
}

// An imported topic key's policy cannot be changed by the stack: synthesis warns that it must let
// CloudWatch use the key (found by tools/mutate: no test saw the warning go).
func TestTrailAlarmsWarnsOfAnImportedTopicKey(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("ImportedKey"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")},
	})
	trailalarms.New(stack, "Alarms", &trailalarms.Props{
		LogGroup:      awslogs.LogGroup_FromLogGroupName(stack, jsii.String("G"), jsii.String("g")),
		Alarms:        catalog.AWS()[:1],
		EncryptionKey: awskms.Key_FromKeyArn(stack, jsii.String("Key"), jsii.String("arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555")),
	})
	check(t, "imported key warning", func() {
		assertions.Annotations_FromStack(stack).HasWarning(jsii.String("/ImportedKey/Alarms/Topic"),
			assertions.Match_StringLikeRegexp(jsii.String("the topic's KMS key was imported, so its policy cannot be changed here")))
	})
}
