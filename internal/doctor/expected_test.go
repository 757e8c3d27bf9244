package doctor

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReadTemplateDefault(t *testing.T) {
	e, _ := loadGolden(t, "default")
	if e.StackName != "Trailwatch" || e.AlarmsOnly || e.LogGroupName != "CloudTrail/trailwatch" || e.KMSAlias != "alias/trailwatch/trailwatch" ||
		!e.HasKey || e.TopicID != "AlarmsTopic3A2DFEBA" || e.BucketID != "TrailBucketA831CE63" || e.KeyID != "Key961B73FD" || !e.BucketPublicAccessBlock {
		t.Errorf("Expected = %+v", e)
	}
	if want := (TrailSpec{Name: "trailwatch", MultiRegion: true, FileValidation: true}); e.Trail != want {
		t.Errorf("Trail = %+v, want %+v", e.Trail, want)
	}
	if diff := cmp.Diff([]string{"ops@example.com"}, e.Emails); diff != "" {
		t.Errorf("Emails: %s", diff)
	}
	// AWS's ten, the five tamper rows (catalog.Tamper), and the alarm-email function's two
	// alarms (its errors, its dead-letter queue).
	if len(e.Filters) != 15 || len(e.Alarms) != 17 {
		t.Fatalf("%d filters, %d alarms; want 15 and 17", len(e.Filters), len(e.Alarms))
	}
	if e.EmailTopicID != "NotificationsEmailTopicDB7922FA" {
		t.Errorf("EmailTopicID = %q, want the alarm-email function's topic", e.EmailTopicID)
	}
	for _, a := range e.Alarms {
		if want := map[bool]string{true: "NotificationsEmailTopicDB7922FA", false: "AlarmsTopic3A2DFEBA"}[a.RowID == ""]; a.TopicID != want {
			t.Errorf("alarm %s notifies %s, want %s", a.Name, a.TopicID, want)
		}
	}
	want := Filter{LogicalID: "AlarmsAuthorizationFailuresFilter70C68B04", RowID: "AuthorizationFailures", Kind: "Filter",
		Pattern:    `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
		MetricName: "AuthorizationFailureCount", Namespace: "CloudTrailMetrics", Value: "1"}
	if diff := cmp.Diff(want, e.Filters[0]); diff != "" {
		t.Errorf("Filters[0] (-want +got):\n%s", diff)
	}
	wantAlarm := Alarm{LogicalID: "AlarmsAuthorizationFailuresAlarmAE23E193", RowID: "AuthorizationFailures", Name: "CloudTrailAuthorizationFailures",
		MetricName: "AuthorizationFailureCount", Namespace: "CloudTrailMetrics", NotifiesTopic: true, TopicID: "AlarmsTopic3A2DFEBA"}
	if e.Alarms[0] != wantAlarm {
		t.Errorf("Alarms[0] = %+v, want %+v", e.Alarms[0], wantAlarm)
	}
}

// With notifications=plain the addresses subscribe to the alarm topic itself (AWS's ten alarms
// and the five tamper alarms).
func TestReadTemplatePlainNotifications(t *testing.T) {
	e, _ := loadGolden(t, "plain/default")
	if e.TopicID != "AlarmsTopic3A2DFEBA" || e.EmailTopicID != e.TopicID || len(e.Alarms) != 10+5 || e.LogGroupName != "CloudTrail/trailwatch" {
		t.Errorf("plain: topic %s, email topic %s, %d alarms, log group %s", e.TopicID, e.EmailTopicID, len(e.Alarms), e.LogGroupName)
	}
	if diff := cmp.Diff([]string{"ops@example.com"}, e.Emails); diff != "" {
		t.Errorf("Emails: %s", diff)
	}
}

func TestReadTemplateVariants(t *testing.T) {
	ao, _ := loadGolden(t, "alarms-only")
	if !ao.AlarmsOnly || ao.LogGroupName != "aws-controltower/CloudTrailLogs" || ao.Trail.Name != "" || ao.KMSAlias != "" || !ao.HasKey || ao.BucketID != "" {
		t.Errorf("alarms-only: %+v", ao)
	}
	org, _ := loadGolden(t, "organization-trail")
	// Two filters per alarm (total and per account), plus any benchmark filter a row adds.
	if !org.Trail.Organization || len(org.Filters) < 32 || len(org.Alarms) != 16+5+2 {
		t.Errorf("organization-trail: org %v, %d filters, %d alarms", org.Trail.Organization, len(org.Filters), len(org.Alarms))
	}
	dims := 0
	for _, f := range org.Filters {
		if f.Dimensions["Account"] == "$.recipientAccountId" {
			dims++
		}
	}
	if dims != 16 {
		t.Errorf("organization-trail: %d per-account filters, want 16", dims)
	}
	none, _ := loadGolden(t, "encryption-none")
	if none.HasKey || none.KMSAlias != "" {
		t.Errorf("encryption-none: key %v alias %q", none.HasKey, none.KMSAlias)
	}
	two, _ := loadGolden(t, "all-two-emails")
	if len(two.Emails) != 2 {
		t.Errorf("all-two-emails: %v", two.Emails)
	}
}

// With athena=true the Glue, Athena and results-bucket resources are read past: doctor checks
// the same trail, bucket, filters and alarms as the default stack's, and counts every resource.
func TestReadTemplateAthena(t *testing.T) {
	def, _ := loadGolden(t, "default")
	e, _ := loadGolden(t, "athena")
	if e.BucketID != def.BucketID || e.Trail != def.Trail || e.LogGroupName != def.LogGroupName || e.TopicID != def.TopicID || !e.BucketPublicAccessBlock {
		t.Errorf("athena: %+v, want the default stack's trail, bucket, log group and topic", e)
	}
	if diff := cmp.Diff(def.Filters, e.Filters); diff != "" {
		t.Errorf("athena: filters differ from the default stack's (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(def.Alarms, e.Alarms); diff != "" {
		t.Errorf("athena: alarms differ from the default stack's (-want +got):\n%s", diff)
	}
	// The database, table, workgroup, results bucket and its policy, reader policy, and AWS's ten
	// alarms' named queries.
	if e.Resources != def.Resources+6+10 {
		t.Errorf("athena: %d resources, want the default's %d + 16", e.Resources, def.Resources)
	}
}

func TestReadTemplateErrors(t *testing.T) {
	cases := []struct{ name, json, want string }{
		{"NotJSON", `{`, "template: not a CloudFormation template: unexpected end of JSON input"},
		{"NoResources", `{"Resources":{}}`, "template: no Resources"},
		{"NoFilters", `{"Resources":{"G":{"Type":"AWS::Logs::LogGroup","Properties":{"LogGroupName":"x"},"Metadata":{"aws:cdk:path":"S/G"}}}}`, "template: no AWS::Logs::MetricFilter"},
		{"TokenTrailName", `{"Resources":{"T":{"Type":"AWS::CloudTrail::Trail","Properties":{"TrailName":{"Ref":"P"}}}}}`, "template: resource T: TrailName is not a literal string"},
		{"NoStackName", `{"Resources":{"F":{"Type":"AWS::Logs::MetricFilter","Properties":{"FilterPattern":"","LogGroupName":"g","MetricTransformations":[{"MetricName":"m","MetricNamespace":"n","MetricValue":"1"}]}}}}`, "no aws:cdk:path metadata to name the stack; pass --stack"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadTemplate([]byte(c.json))
			if err == nil || !errors.Is(err, ErrTemplate) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q wrapping ErrTemplate", err, c.want)
			}
		})
	}
}

func TestLoadTemplatePicksNewestInCdkOut(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := LoadTemplate(dir, ""); err == nil || !strings.Contains(err.Error(), "no cdk.out/*.template.json; run cdk synth first or pass --template") {
		t.Errorf("empty dir: %v", err)
	}
	out := filepath.Join(dir, "cdk.out")
	os.Mkdir(out, 0o755)
	for i, name := range []string{"default", "cis"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", name+".template.json"))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(out, name+".template.json")
		os.WriteFile(p, data, 0o644)
		mod := time.Now().Add(time.Duration(i-5) * time.Minute)
		os.Chtimes(p, mod, mod)
	}
	e, path, err := LoadTemplate(dir, "")
	if err != nil || filepath.Base(path) != "cis.template.json" || len(e.Alarms) != 14+5+2 {
		t.Errorf("LoadTemplate = %s, %v", path, err)
	}
}

// minimalTemplate is a template of one filter (resource F) on log group "lg", stack "S", with the
// extra resources (JSON members of Resources) and outputs.
func minimalTemplate(extra, outputs string) string {
	if extra != "" {
		extra = "," + extra
	}
	return `{"Resources":{"F":{"Type":"AWS::Logs::MetricFilter","Metadata":{"aws:cdk:path":"S/Alarms/Row/Filter/Resource"},"Properties":{"FilterPattern":"p","LogGroupName":"lg","MetricTransformations":[{"MetricName":"m","MetricNamespace":"n","MetricValue":"1"}]}}` +
		extra + `},"Outputs":{` + outputs + `}}`
}

// Every problem of a template is reported, each naming the resource and what is wrong.
func TestReadTemplateErrorMessages(t *testing.T) {
	cases := []struct{ name, json, want string }{
		{"TwoTransformations", minimalTemplate(`"F2":{"Type":"AWS::Logs::MetricFilter","Properties":{"FilterPattern":"p","MetricTransformations":[{"MetricName":"a"},{"MetricName":"b"}]}}`, ""),
			"template: resource F2: 2 metric transformations; trailwatch writes one"},
		{"PatternNotAString", minimalTemplate(`"F2":{"Type":"AWS::Logs::MetricFilter","Properties":{"FilterPattern":{"Ref":"X"},"MetricTransformations":[{"MetricName":"a"}]}}`, ""),
			`template: resource F2: FilterPattern is neither a string nor an Fn::Join of strings and Ref/Fn::GetAtt: {"Ref":"X"}`},
		{"AlarmNameToken", minimalTemplate(`"A":{"Type":"AWS::CloudWatch::Alarm","Properties":{"AlarmName":{"Ref":"P"}}}`, ""),
			"template: resource A: AlarmName is not a literal string"},
		{"AlarmNameEmpty", minimalTemplate(`"A":{"Type":"AWS::CloudWatch::Alarm","Properties":{"AlarmName":""}}`, ""),
			"template: resource A: AlarmName is not a literal string"},
		{"TrailNameEmpty", minimalTemplate(`"T":{"Type":"AWS::CloudTrail::Trail","Properties":{"TrailName":""}}`, ""),
			"template: resource T: TrailName is not a literal string"},
		{"EveryProblem", minimalTemplate(`"A":{"Type":"AWS::CloudWatch::Alarm","Properties":{"AlarmName":{"Ref":"P"}}},"T":{"Type":"AWS::CloudTrail::Trail","Properties":{"TrailName":{"Ref":"P"}}}`, ""),
			"template: resource A: AlarmName is not a literal string\ntemplate: resource T: TrailName is not a literal string"},
		{"NoLogGroupName", `{"Resources":{"F":{"Type":"AWS::Logs::MetricFilter","Metadata":{"aws:cdk:path":"S/F"},"Properties":{"FilterPattern":"p","MetricTransformations":[{"MetricName":"m"}]}}}}`,
			"template: no literal log group name (neither an AWS::Logs::LogGroup with LogGroupName nor a WatchedLogGroupName output)"},
		{"StackSetTemplateBodyNotJSON", `{"Resources":{"SS":{"Type":"AWS::CloudFormation::StackSet","Properties":{"TemplateBody":"{"}}}}`,
			"template: resource SS: TemplateBody is not a CloudFormation template: unexpected end of JSON input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := ReadTemplate([]byte(c.json))
			if err == nil || err.Error() != c.want || !errors.Is(err, ErrTemplate) || e != nil {
				t.Errorf("ReadTemplate = %v, %v; want nil and %q wrapping ErrTemplate", e, err, c.want)
			}
		})
	}
	// A resource whose properties are not an object names the resource.
	for _, typ := range []string{"AWS::CloudTrail::Trail", "AWS::Logs::MetricFilter", "AWS::CloudWatch::Alarm", "AWS::CloudFormation::StackSet"} {
		_, err := ReadTemplate([]byte(minimalTemplate(`"X":{"Type":"`+typ+`","Properties":[1]}`, "")))
		if err == nil || !strings.HasPrefix(err.Error(), "template: resource X: json: cannot unmarshal array") || !errors.Is(err, ErrTemplate) {
			t.Errorf("%s with array properties: %v", typ, err)
		}
	}
}

// Where doctor reads the log group name: the trail's log group resource wins over a filter's
// LogGroupName; an alarms-only template names it in the WatchedLogGroupName output when its
// filters name none; the public access block counts only when all four settings are on.
func TestReadTemplateLogGroupAndBucket(t *testing.T) {
	e, err := ReadTemplate([]byte(minimalTemplate(`"G":{"Type":"AWS::Logs::LogGroup","Properties":{"LogGroupName":"trail-group"}}`, "")))
	if err != nil || e.LogGroupName != "trail-group" {
		t.Errorf("log group resource: %q, %v; want trail-group", e.LogGroupName, err)
	}
	e, err = ReadTemplate([]byte(minimalTemplate(`"A":{"Type":"AWS::Logs::LogGroup","Properties":{"LogGroupName":"trail-group"}}`, "")))
	if err != nil || e.LogGroupName != "trail-group" {
		t.Errorf("log group resource before the filter: %q, %v; want trail-group", e.LogGroupName, err)
	}
	e, err = ReadTemplate([]byte(minimalTemplate(`"A":{"Type":"AWS::Logs::LogGroup","Metadata":{"aws:cdk:path":"S/Notifications/Fn/LogGroup/Resource"},"Properties":{"LogGroupName":"/aws/lambda/x"}}`, "")))
	if err != nil || e.LogGroupName != "lg" {
		t.Errorf("the alarm-email function's log group: %q, %v; want the filters' lg", e.LogGroupName, err)
	}
	noGroup := `{"Resources":{"F":{"Type":"AWS::Logs::MetricFilter","Metadata":{"aws:cdk:path":"S/F"},"Properties":{"FilterPattern":"p","LogGroupName":{"Ref":"P"},"MetricTransformations":[{"MetricName":"m"}]}}},"Outputs":{"WatchedLogGroupName":{"Value":"watched"}}}`
	e, err = ReadTemplate([]byte(noGroup))
	if err != nil || e.LogGroupName != "watched" || !e.AlarmsOnly {
		t.Errorf("WatchedLogGroupName output: %+v, %v; want watched", e, err)
	}
	for pab, want := range map[string]bool{
		`{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}`:  true,
		`{"BlockPublicAcls":false,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}`: false,
		`{"BlockPublicAcls":true,"BlockPublicPolicy":false,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}`: false,
		`{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":false,"RestrictPublicBuckets":true}`: false,
		`{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":false}`: false,
	} {
		e, err := ReadTemplate([]byte(minimalTemplate(`"B":{"Type":"AWS::S3::Bucket","Metadata":{"aws:cdk:path":"S/TrailBucket/Resource"},"Properties":{"PublicAccessBlockConfiguration":`+pab+`}}`, "")))
		if err != nil || e.BucketID != "B" || e.BucketPublicAccessBlock != want {
			t.Errorf("%s: bucket %q, block %v, %v; want B, %v", pab, e.BucketID, e.BucketPublicAccessBlock, err, want)
		}
	}
}

// The stack is named by the first resource's construct path; only email subscriptions are
// addresses; an alarms-only template's filters name its log group before its output does.
func TestReadTemplateNamesAndAddresses(t *testing.T) {
	e, err := ReadTemplate([]byte(minimalTemplate(`"Z":{"Type":"AWS::SNS::Topic","Metadata":{"aws:cdk:path":"Other/Topic/Resource"}},`+
		`"S1":{"Type":"AWS::SNS::Subscription","Properties":{"Protocol":"sms","Endpoint":"+15555550100","TopicArn":{"Ref":"Z"}}},`+
		`"S2":{"Type":"AWS::SNS::Subscription","Properties":{"Protocol":"email","Endpoint":{"Ref":"P"},"TopicArn":{"Ref":"Z"}}},`+
		`"S3":{"Type":"AWS::SNS::Subscription","Properties":{"Protocol":"email","Endpoint":"ops@example.com","TopicArn":{"Ref":"Z"}}}`,
		`"WatchedLogGroupName":{"Value":"other"}`)))
	if err != nil {
		t.Fatal(err)
	}
	if e.StackName != "S" || e.LogGroupName != "lg" || !slices.Equal(e.Emails, []string{"ops@example.com"}) || e.EmailTopicID != "Z" || e.TopicID != "Z" {
		t.Errorf("stack %q, log group %q, emails %v, email topic %q, topic %q; want S, lg, [ops@example.com], Z, Z", e.StackName, e.LogGroupName, e.Emails, e.EmailTopicID, e.TopicID)
	}
	def, _ := loadGolden(t, "default")
	if def.AccessLogsBucketID != "AccessLogsBucket83982689" || def.BucketID != "TrailBucketA831CE63" {
		t.Errorf("default: access-log bucket %q, trail bucket %q", def.AccessLogsBucketID, def.BucketID)
	}
}
