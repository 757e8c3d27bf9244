package doctor

import (
	"errors"
	"os"
	"path/filepath"
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
