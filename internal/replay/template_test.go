package replay

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

func TestReadsFiltersAndTheirAlarmsFromATemplate(t *testing.T) {
	doc, err := os.ReadFile("testdata/audit.template.json")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := FromTemplate(doc)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	want := "AlarmsConsoleSignInFailuresAlarm0E4C5A9B,AlarmsVpcChangesAlarm7A1B2C3D,CustomRootUsageAlarm9F8E7D6C,CustomDeniedCallsFilterA1A2A3A4"
	if got := strings.Join(ids, ","); got != want {
		t.Fatalf("rules = %s\nwant    %s (alarms in template order, then unwatched filters; the Lambda alarm left out)", got, want)
	}

	signIn := rules[0]
	if a := signIn.Alarm; a.Name != "AlarmsConsoleSignInFailuresAlarm0E4C5A9B" || a.Threshold != 3 || a.Period != 300 ||
		a.Comparison != GreaterOrEqual || a.Statistic != Sum || a.EvaluationPeriods != 1 || a.DatapointsToAlarm != 1 || a.TreatMissingData != NotBreaching {
		t.Errorf("sign-in alarm = %+v (AlarmName with a Ref must fall back to the logical ID)", *a)
	}
	if f := signIn.Filters; len(f) != 1 || f[0].Value != 1 || !strings.Contains(f[0].Pattern, `"Failed authentication"`) {
		t.Errorf("sign-in filters = %+v", f)
	}
	if rules[1].Alarm.Name != "CloudTrailVpcChanges" {
		t.Errorf("plain AlarmName = %q", rules[1].Alarm.Name)
	}

	root := rules[2]
	if a := root.Alarm; a.Name != "Custom-RootUsage" || a.Comparison != Greater || a.Statistic != SampleCount ||
		a.Period != 900 || a.EvaluationPeriods != 3 || a.DatapointsToAlarm != 2 || a.TreatMissingData != MissingMissing {
		t.Errorf("custom alarm via Metrics/MetricStat = %+v (static Fn::Join resolves; absent TreatMissingData is missing)", *a)
	}
	if root.Namespace != "Custom/Security" || root.MetricName != "RootUsageCount" {
		t.Errorf("custom metric = %s/%s", root.Namespace, root.MetricName)
	}

	denied := rules[3]
	if denied.Alarm != nil || len(denied.Filters) != 1 || denied.Filters[0].Default == nil || *denied.Filters[0].Default != 0 {
		t.Errorf("unwatched filter = %+v, want no alarm and DefaultValue 0", denied)
	}
	if err := Validate(rules); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

const filterRes = `"F": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "{ $.eventName = X }",
  "MetricTransformations": [{"MetricName": "M", "MetricNamespace": "N", "MetricValue": "1"}]}}`

func alarmRes(props string) string {
	return `"A": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"MetricName": "M", "Namespace": "N", "Period": 300,
  "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold", ` + props + `}}`
}

func TestRejectsWhatReplayCannotReproduce(t *testing.T) {
	for name, c := range map[string]struct{ resources, want string }{
		"percentile":             {filterRes + "," + alarmRes(`"ExtendedStatistic": "p90"`), "ExtendedStatistic"},
		"value from record":      {strings.Replace(filterRes, `"MetricValue": "1"`, `"MetricValue": "$.bytes"`, 1), "MetricValue"},
		"pattern from parameter": {strings.Replace(filterRes, `"{ $.eventName = X }"`, `{"Ref": "Pattern"}`, 1), "FilterPattern"},
		"metric math": {filterRes + `, "A": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"EvaluationPeriods": 1, "Threshold": 1,
  "ComparisonOperator": "GreaterThanThreshold", "Metrics": [{"Id": "m", "MetricStat": {"Metric": {"MetricName": "M", "Namespace": "N"}, "Period": 300, "Stat": "Sum"}, "ReturnData": false},
  {"Id": "e", "Expression": "m * 2"}]}}`, "metric math"},
		"anomaly band": {filterRes + "," + alarmRes(`"Statistic": "Sum", "ThresholdMetricId": "ad1"`), "ThresholdMetricId"},
		"one dimension value": {strings.Replace(filterRes, `"MetricValue": "1"`, `"MetricValue": "1", "Dimensions": [{"Key": "Account", "Value": "$.recipientAccountId"}]`, 1) +
			"," + alarmRes(`"Statistic": "Sum", "Dimensions": [{"Name": "Account", "Value": "111111111111"}]`),
			"template: A: unsupported alarm on one dimension value of a filter's metric; replay evaluates alarms on a filter's dimensionless total"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := FromTemplate([]byte(`{"Resources": {` + c.resources + `}}`))
			if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want ErrUnsupported naming %s", err, c.want)
			}
		})
	}
}

// A filter publishes exactly one metric: none, or two, is a broken template, named as such.
func TestRejectsFiltersWithoutExactlyOneTransformation(t *testing.T) {
	two := strings.Replace(filterRes, `"MetricValue": "1"}]`, `"MetricValue": "1"}, {"MetricName": "M2", "MetricNamespace": "N", "MetricValue": "1"}]`, 1)
	none := strings.Replace(filterRes, `[{"MetricName": "M", "MetricNamespace": "N", "MetricValue": "1"}]`, `[]`, 1)
	for name, res := range map[string]string{"two": two, "none": none} {
		_, err := FromTemplate([]byte(`{"Resources": {` + res + `}}`))
		if !errors.Is(err, ErrTemplate) || err.Error() != "template: F: MetricTransformations must hold exactly one transformation" {
			t.Errorf("%s transformations: err = %v", name, err)
		}
	}
}

// A statistic replay cannot compute is refused, not evaluated as zero (an alarm never firing).
func TestValidateRejectsStatisticsItCannotCompute(t *testing.T) {
	rules, err := FromTemplate([]byte(`{"Resources": {` + filterRes + "," + alarmRes(`"Statistic": "p99"`) + `}}`))
	if err != nil {
		t.Fatal(err)
	}
	err = Validate(rules)
	if want := `A: unsupported statistic "p99" (replay supports Sum, SampleCount, Average, Minimum, Maximum)`; !errors.Is(err, ErrUnsupported) || err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

func TestValidateRejectsAnomalyOperatorsAndOddPeriods(t *testing.T) {
	rules, err := FromTemplate([]byte(`{"Resources": {` + filterRes + "," +
		alarmRes(`"Statistic": "Sum"`) + `}}`))
	if err != nil {
		t.Fatal(err)
	}
	rules[0].Alarm.Comparison = "LessThanLowerOrGreaterThanUpperThreshold"
	rules[0].Alarm.Period = 30
	err = Validate(rules)
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "LessThanLowerOrGreaterThanUpperThreshold") || !strings.Contains(err.Error(), "period 30") {
		t.Errorf("err = %v", err)
	}
}

func TestTemplateWithoutFilters(t *testing.T) {
	if _, err := FromTemplate([]byte(`{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`)); !errors.Is(err, ErrTemplate) {
		t.Errorf("err = %v, want ErrTemplate", err)
	}
}

// The tamper rows name deploy-time resources (Fn::Join with a Ref): replay reads them with the
// name as ${LogicalId}, so every tamper alarm of a synthesized template replays, and the same
// call on another resource does not count.
// Near-copy of the first test's reading: each test reads its own template.
func TestTemplateReadsTamperRowsWithDeployTimeNames(t *testing.T) {
	doc, err := os.ReadFile("../../test/testdata/default.template.json")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := FromTemplate(doc)
	if err != nil {
		t.Fatal(err)
	}
	var tamper []string
	for _, r := range rules {
		if r.Alarm != nil && strings.HasPrefix(r.Alarm.Name, "Trailwatch-Tamper-") {
			tamper = append(tamper, r.Alarm.Name)
			if r.Alarm.Name != "Trailwatch-Tamper-LogFiles" {
				continue
			}
			p, err := filterpattern.Parse(r.Filters[0].Pattern)
			if err != nil {
				t.Fatalf("%s: %v", r.Alarm.Name, err)
			}
			if !strings.Contains(r.Filters[0].Pattern, `$.requestParameters.bucketName = "${TrailBucketA831CE63}"`) {
				t.Errorf("the bucket's Ref is not ${TrailBucketA831CE63}:\n%s", r.Filters[0].Pattern)
			}
			other := `{"eventSource":"s3.amazonaws.com","eventName":"PutBucketLifecycle","requestParameters":{"bucketName":"some-other-bucket"}}`
			if p.Match([]byte(other)) {
				t.Errorf("a lifecycle change on another bucket counts")
			}
		}
	}
	want := []string{"Trailwatch-Tamper-Alarms", "Trailwatch-Tamper-LogFiles", "Trailwatch-Tamper-LogGroup", "Trailwatch-Tamper-Topic", "Trailwatch-Tamper-Trail"}
	slices.Sort(tamper)
	if !slices.Equal(tamper, want) {
		t.Errorf("tamper alarms replayed = %v, want %v", tamper, want)
	}
}
