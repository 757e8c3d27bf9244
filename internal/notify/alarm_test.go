package notify

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

func TestEvaluationFromReasonText(t *testing.T) {
	a := Alarm{NewStateReason: "Threshold Crossed: 2 out of the last 3 datapoints [2.0 (29/11/26 17:50:00), 0.0 (29/11/26 17:45:00), 3.0 (29/11/26 17:40:00)] were greater than or equal to the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).",
		Trigger: Trigger{Period: 300, EvaluationPeriods: 3}}
	w := a.Evaluation()
	want := Window{Start: time.Date(2026, 11, 29, 17, 40, 0, 0, time.UTC), End: time.Date(2026, 11, 29, 17, 55, 0, 0, time.UTC), Count: 5}
	if w != want {
		t.Errorf("Evaluation = %+v, want %+v", w, want)
	}
}

func TestEvaluationFromReasonData(t *testing.T) {
	for name, data := range map[string]string{
		"string": `"{\"version\":\"1.0\",\"queryDate\":\"2026-11-29T17:46:40.985+0000\",\"startDate\":\"2026-11-29T17:35:00.000+0000\",\"statistic\":\"Sum\",\"period\":300,\"recentDatapoints\":[1.0,2.0],\"threshold\":1.0}"`,
		"object": `{"startDate":"2026-11-29T17:35:00.000+0000","period":300,"recentDatapoints":[1.0,2.0]}`,
	} {
		a := Alarm{NewStateReasonData: []byte(data), NewStateReason: "Threshold Crossed: [9.0 (01/01/20 00:00:00)]", Trigger: Trigger{Period: 300}}
		w := a.Evaluation()
		want := Window{Start: time.Date(2026, 11, 29, 17, 35, 0, 0, time.UTC), End: time.Date(2026, 11, 29, 17, 45, 0, 0, time.UTC), Count: 3}
		if w != want {
			t.Errorf("%s: Evaluation = %+v, want %+v (reason data wins over the text)", name, w, want)
		}
	}
}

func TestEvaluationWithoutDatapointsIsEstimated(t *testing.T) {
	a := Alarm{NewStateReason: "Threshold Crossed: no datapoints were received for 1 period", StateChangeTime: "2026-11-29T17:46:12.345+0000",
		Trigger: Trigger{Period: 300, EvaluationPeriods: 1}}
	w := a.Evaluation()
	end := time.Date(2026, 11, 29, 17, 46, 12, 345e6, time.UTC)
	want := Window{Start: end.Add(-10 * time.Minute), End: end, Count: -1, Estimated: true}
	if w != want {
		t.Errorf("Evaluation = %+v, want %+v", w, want)
	}
}

func TestParseAlarmRejectsOtherJSON(t *testing.T) {
	for _, msg := range []string{`{"Records":[]}`, `[1]`, ``} {
		if _, err := ParseAlarm(msg); err == nil || !strings.Contains(err.Error(), "not a CloudWatch alarm notification") {
			t.Errorf("ParseAlarm(%q) = %v", msg, err)
		}
	}
	a, err := ParseAlarm(`{"AlarmName":"A","AlarmArn":"arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:A","Trigger":{"MetricName":"M"}}`)
	if err != nil || a.RegionCode() != "us-gov-west-1" || a.Partition() != "aws-us-gov" {
		t.Errorf("ParseAlarm: %+v %v", a, err)
	}
	if got := alarmURL(a); got != "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#alarmsV2:alarm/A" {
		t.Errorf("alarmURL = %s", got)
	}
}

func TestSubjectFitsSNS(t *testing.T) {
	long := strings.Repeat("VeryLongAlarmName-", 10)
	for _, c := range []struct {
		name, env, want string
	}{
		{"CloudTrailChanges", "", "ALARM 2x CloudTrailChanges | 123456789012 | eu-west-1"},
		{"CloudTrailChanges", "本番", "ALARM 2x CloudTrailChanges | 123456789012 (??) | eu-west-1"},
		{long, "production-eu", "ALARM 2x VeryLongAlarmName-VeryLongAlarmName-VeryLongA.. | 123456789012 (production-eu) | eu-west-1"},
	} {
		r := &report{alarm: Alarm{AlarmName: c.name, AWSAccountID: "123456789012", NewStateValue: "ALARM", AlarmArn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:x"},
			window: Window{Count: 2}, environment: c.env}
		got := r.subject()
		if got != c.want || len(got) > 99 {
			t.Errorf("subject = %q (%d), want %q", got, len(got), c.want)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{EnvLogGroup: "g", EnvTopicARN: "arn:aws:sns:us-east-1:123456789012:t"}
	c, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil || c.Language != "en" || c.LogGroup != "g" {
		t.Errorf("ConfigFromEnv = %+v, %v", c, err)
	}
	_, err = ConfigFromEnv(func(k string) string { return map[string]string{EnvLanguage: "fr", EnvTopicARN: "t"}[k] })
	want := "TRAILWATCH_LOG_GROUP is empty; set it to the trail's log group name\n" +
		"TRAILWATCH_TOPIC_ARN is \"t\"; set it to the email topic's ARN\n" +
		"TRAILWATCH_LANGUAGE is \"fr\"; allowed: " + strings.Join(catalog.LanguageCodes(), ", ")
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestConfigFromEnvReadsTheProcessEnvironment(t *testing.T) {
	t.Setenv(EnvLogGroup, "trail")
	t.Setenv(EnvTopicARN, "arn:aws:sns:us-east-1:123456789012:t")
	t.Setenv(EnvLanguage, "ja")
	t.Setenv(EnvEnvironment, "stg")
	c, err := ConfigFromEnv(os.Getenv)
	if err != nil || c.Language != "ja" || c.Environment != "stg" {
		t.Errorf("ConfigFromEnv = %+v, %v", c, err)
	}
}
