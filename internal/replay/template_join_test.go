package replay

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A template's filters join its alarms on namespace, metric name and dimension names: every rule
// FromTemplate returns, with every field, in template order (alarms first, then the filters no
// alarm watches, one rule per metric).
func TestTemplateJoinsFiltersAndAlarmsOnTheirMetric(t *testing.T) {
	doc := `{"Resources": {
  "Topic": {"Type": "AWS::SNS::Topic"},
  "F\u0031": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "{ $.eventName = A }",
    "MetricTransformations": [{"MetricNamespace": "N", "MetricName": "M", "MetricValue": "1", "Dimensions": []}]}},
  "F2": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "{ $.eventName = B }",
    "MetricTransformations": [{"MetricNamespace": "N", "MetricName": "M", "MetricValue": 2.5, "DefaultValue": "0"}]}},
  "FByAcct": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "{ $.eventName = C }",
    "MetricTransformations": [{"MetricNamespace": "N", "MetricName": "M", "MetricValue": "1",
      "Dimensions": [{"Key": "region", "Value": "$.awsRegion"}, {"Key": "account", "Value": "$.recipientAccountId"}]}]}},
  "FOtherNs": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "{ $.eventName = D }",
    "MetricTransformations": [{"MetricNamespace": "N2", "MetricName": "M", "MetricValue": "1", "DefaultValue": null, "Dimensions": null}]}},
  "FOtherNs2": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "{ $.eventName = D2 }",
    "MetricTransformations": [{"MetricNamespace": "N2", "MetricName": "M", "MetricValue": "3"}]}},
  "FOtherByKey": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "{ $.eventName = D3 }",
    "MetricTransformations": [{"MetricNamespace": "N2", "MetricName": "Other", "MetricValue": "1", "Dimensions": [{"Key": "k", "Value": "$.k"}]}]}},
  "FRef": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "{ $.eventName = E }",
    "MetricTransformations": [{"MetricNamespace": {"Ref": "Ns"}, "MetricName": "R", "MetricValue": "1"}]}},
  "FSwap": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "{ $.eventName = F }",
    "MetricTransformations": [{"MetricNamespace": "M", "MetricName": "N", "MetricValue": "1"}]}},
  "AByName": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmName": "", "Namespace": "N", "MetricName": "M",
    "Statistic": "Average", "ComparisonOperator": "LessThanThreshold", "Threshold": 0.5,
    "Period": "600", "EvaluationPeriods": 3, "DatapointsToAlarm": 2, "TreatMissingData": "breaching"}},
  "AByStat": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmName": "Named", "ComparisonOperator": "GreaterThanThreshold",
    "Threshold": "7", "EvaluationPeriods": 4, "Metrics": [{"Id": "m", "MetricStat": {"Metric": {"Namespace": { "Ref" : "Ns" }, "MetricName": "R",
      "Dimensions": null}, "Period": 120, "Stat": "Maximum"}}]}},
  "AOnDimensionsOfUnfilteredMetric": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "N2", "MetricName": "M",
    "Dimensions": [{"Name": "account", "Value": "1"}], "Statistic": "Sum", "ComparisonOperator": "GreaterThanThreshold", "Threshold": 1, "Period": 60, "EvaluationPeriods": 1}},
  "AOther": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "AWS/Lambda", "MetricName": "Errors",
    "Statistic": "Sum", "ComparisonOperator": "GreaterThanThreshold", "Threshold": "x", "Period": 60}},
  "AMath": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"ComparisonOperator": "GreaterThanThreshold", "Threshold": 1, "EvaluationPeriods": 1,
    "Metrics": [{"Id": "e", "Expression": "m1 + m2"}, {"Id": "m1", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Errors"}, "Period": 60, "Stat": "Sum"}}]}},
  "AMathOfOneExpression": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"ComparisonOperator": "GreaterThanThreshold", "Threshold": 1, "EvaluationPeriods": 1,
    "Metrics": [{"Id": "e", "Expression": "SUM(METRICS())"}]}},
  "ABounds": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "N", "MetricName": "M", "Dimensions": [],
    "Statistic": "Minimum", "ComparisonOperator": "LessThanOrEqualToThreshold", "Threshold": -1e300, "Period": 2147483648, "EvaluationPeriods": 0, "TreatMissingData": "ignore"}},
  "ANoMetric": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Threshold": 1}}
}}`
	rules, err := FromTemplate([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(rules, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want := `[
 {
  "id": "AByName",
  "metric_name": "M",
  "namespace": "N",
  "filters": [
   {
    "name": "F1",
    "pattern": "{ $.eventName = A }",
    "value": 1
   },
   {
    "name": "F2",
    "pattern": "{ $.eventName = B }",
    "value": 2.5,
    "default_value": 0
   }
  ],
  "alarm": {
   "name": "AByName",
   "threshold": 0.5,
   "comparison": "LessThanThreshold",
   "statistic": "Average",
   "period_seconds": 600,
   "evaluation_periods": 3,
   "datapoints_to_alarm": 2,
   "treat_missing_data": "breaching"
  }
 },
 {
  "id": "AByStat",
  "metric_name": "R",
  "namespace": "{\"Ref\":\"Ns\"}",
  "filters": [
   {
    "name": "FRef",
    "pattern": "{ $.eventName = E }",
    "value": 1
   }
  ],
  "alarm": {
   "name": "Named",
   "threshold": 7,
   "comparison": "GreaterThanThreshold",
   "statistic": "Maximum",
   "period_seconds": 120,
   "evaluation_periods": 4,
   "datapoints_to_alarm": 4,
   "treat_missing_data": "missing"
  }
 },
 {
  "id": "ABounds",
  "metric_name": "M",
  "namespace": "N",
  "filters": [
   {
    "name": "F1",
    "pattern": "{ $.eventName = A }",
    "value": 1
   },
   {
    "name": "F2",
    "pattern": "{ $.eventName = B }",
    "value": 2.5,
    "default_value": 0
   }
  ],
  "alarm": {
   "name": "ABounds",
   "threshold": -1e+300,
   "comparison": "LessThanOrEqualToThreshold",
   "statistic": "Minimum",
   "period_seconds": 2147483648,
   "evaluation_periods": 0,
   "datapoints_to_alarm": 0,
   "treat_missing_data": "ignore"
  }
 },
 {
  "id": "FByAcct",
  "metric_name": "M by account,region",
  "namespace": "N",
  "filters": [
   {
    "name": "FByAcct",
    "pattern": "{ $.eventName = C }",
    "value": 1
   }
  ],
  "alarm": null
 },
 {
  "id": "FOtherNs",
  "metric_name": "M",
  "namespace": "N2",
  "filters": [
   {
    "name": "FOtherNs",
    "pattern": "{ $.eventName = D }",
    "value": 1
   },
   {
    "name": "FOtherNs2",
    "pattern": "{ $.eventName = D2 }",
    "value": 3
   }
  ],
  "alarm": null
 },
 {
  "id": "FOtherByKey",
  "metric_name": "Other by k",
  "namespace": "N2",
  "filters": [
   {
    "name": "FOtherByKey",
    "pattern": "{ $.eventName = D3 }",
    "value": 1
   }
  ],
  "alarm": null
 },
 {
  "id": "FSwap",
  "metric_name": "N",
  "namespace": "M",
  "filters": [
   {
    "name": "FSwap",
    "pattern": "{ $.eventName = F }",
    "value": 1
   }
  ],
  "alarm": null
 }
]`
	if string(got) != want {
		t.Errorf("rules:\n%s\nwant:\n%s", got, want)
	}
}

// Every problem of a template is reported at once, each naming its resource, in template order:
// resources, then filters, then alarms.
func TestTemplateReportsEveryProblemAtOnce(t *testing.T) {
	doc := `{"Resources": {
  "Bad": {"Type": 5},
  "FPattern": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": {"Ref": "P"},
    "MetricTransformations": [{"MetricNamespace": "N", "MetricName": "M", "MetricValue": "1"}]}},
  "FNone": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "x"}},
  "FTwo": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "x", "MetricTransformations": [
    {"MetricNamespace": "N", "MetricName": "M", "MetricValue": "1"}, {"MetricNamespace": "N", "MetricName": "M2", "MetricValue": "1"}]}},
  "FDims": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "x",
    "MetricTransformations": [{"MetricNamespace": "N", "MetricName": "M", "MetricValue": "1", "Dimensions": "acct"}]}},
  "FValue": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "x",
    "MetricTransformations": [{"MetricNamespace": "N", "MetricName": "M", "MetricValue": "$.bytes"}]}},
  "FDefault": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "x",
    "MetricTransformations": [{"MetricNamespace": "N", "MetricName": "M", "MetricValue": "1", "DefaultValue": "none"}]}},
  "F": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "x",
    "MetricTransformations": [{"MetricNamespace": "N", "MetricName": "M", "MetricValue": "1"}]}},
  "FByKey": {"Type": "AWS::Logs::MetricFilter", "Properties": {"FilterPattern": "x",
    "MetricTransformations": [{"MetricNamespace": "N", "MetricName": "MD", "MetricValue": "1", "Dimensions": [{"Key": "k", "Value": "$.k"}]}]}},
  "AMetrics": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Metrics": "m"}},
  "AMath": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"ComparisonOperator": "GreaterThanThreshold", "Threshold": 1, "EvaluationPeriods": 1,
    "Metrics": [{"Id": "m", "MetricStat": {"Metric": {"Namespace": "N", "MetricName": "M"}, "Period": 60, "Stat": "Sum"}}, {"Id": "e", "Expression": "m * 2"}]}},
  "AOneKey": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "N", "MetricName": "MD", "Dimensions": [{"Name": "k", "Value": "v"}],
    "Statistic": "Sum", "ComparisonOperator": "GreaterThanThreshold", "Threshold": 1, "Period": 60, "EvaluationPeriods": 1}},
  "AExtended": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "N", "MetricName": "M", "ExtendedStatistic": "p90",
    "ComparisonOperator": "GreaterThanThreshold", "Threshold": 1, "Period": 60, "EvaluationPeriods": 1}},
  "AAnomaly": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "N", "MetricName": "M", "ThresholdMetricId": "ad",
    "Statistic": "Sum", "ComparisonOperator": "GreaterThanUpperThreshold", "Threshold": 2, "Period": 60, "EvaluationPeriods": 1}},
  "ANumbers": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "N", "MetricName": "M", "Statistic": "Sum",
    "ComparisonOperator": "GreaterThanThreshold", "Threshold": "many", "Period": 1.5, "EvaluationPeriods": 2147483649, "DatapointsToAlarm": -1}},
  "AMissing": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "N", "MetricName": "M", "Statistic": "Sum",
    "ComparisonOperator": "GreaterThanThreshold"}}
}}`
	_, err := FromTemplate([]byte(doc))
	want := `template: Bad: json: cannot unmarshal number into Go struct field .Type of type string
FPattern: unsupported FilterPattern {"Ref":"P"}: replay needs the pattern text, not a CloudFormation expression
FNone: MetricTransformations must hold exactly one transformation
FTwo: MetricTransformations must hold exactly one transformation
FDims: Dimensions: json: cannot unmarshal string into Go value of type []struct { Key string }
FValue: unsupported MetricValue "$.bytes": replay supports a number (a value taken from the record, like $.bytes, is not supported)
FDefault: DefaultValue "none" is not a number
AMetrics: Metrics: json: cannot unmarshal string into Go value of type []struct { Expression json.RawMessage; MetricStat *struct { Metric map[string]json.RawMessage; Period json.RawMessage; Stat json.RawMessage } }
AMath: unsupported metric math alarm (Metrics with 2 entries); replay evaluates single-metric alarms
AOneKey: unsupported alarm on one dimension value of a filter's metric; replay evaluates alarms on a filter's dimensionless total
AExtended: unsupported ExtendedStatistic (percentiles need the raw values)
AAnomaly: unsupported ThresholdMetricId (anomaly detection)
ANumbers: Threshold "many" is not a number
Period 1.5 is not a whole number from 0 to 2147483648
EvaluationPeriods 2147483649 is not a whole number from 0 to 2147483648
DatapointsToAlarm -1 is not a whole number from 0 to 2147483648
AMissing: no Threshold
no Period
no EvaluationPeriods`
	if err == nil || err.Error() != want || !errors.Is(err, ErrTemplate) || !errors.Is(err, ErrUnsupported) {
		t.Errorf("error:\n%v\nwant (ErrTemplate, ErrUnsupported):\n%s", err, want)
	}
}

// A file that is not a template is refused with what is wrong with it, named by its path.
func TestReadTemplateNamesWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	file := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "absent.json"), "open " + filepath.Join(dir, "absent.json") + ": no such file or directory"},
		{dir, dir + ": read " + dir + ": is a directory"},
		{file("text.json", "Resources:"), filepath.Join(dir, "text.json") + ": template: not JSON: invalid character 'R' looking for beginning of value"},
		{file("none.json", `{"Description": "x"}`), filepath.Join(dir, "none.json") + ": template: no Resources"},
		{file("null.json", `{"Resources": null}`), filepath.Join(dir, "null.json") + ": template: Resources is not an object"},
		{file("list.json", `{"Resources": []}`), filepath.Join(dir, "list.json") + ": template: Resources is not an object"},
		{file("empty.json", `{"Resources": {}}`), filepath.Join(dir, "empty.json") + ": template: no AWS::Logs::MetricFilter resources"},
		{file("bucket.json", `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`), filepath.Join(dir, "bucket.json") + ": template: no AWS::Logs::MetricFilter resources"},
	} {
		if _, err := ReadTemplate(c.path); err == nil || err.Error() != c.want {
			t.Errorf("ReadTemplate(%s): %v\nwant %s", c.path, err, c.want)
		}
	}
	rules, err := ReadTemplate(file("one.json", `{"Resources": {`+filterRes+`}}`))
	if err != nil || len(rules) != 1 || rules[0].ID != "F" || rules[0].MetricName != "M" {
		t.Errorf("a template of one filter: %+v, %v; want rule F on M", rules, err)
	}
}
