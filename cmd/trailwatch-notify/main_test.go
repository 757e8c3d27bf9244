package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/notify"
)

const topic = "arn:aws:sns:us-east-1:123456789012:trailwatch-email"

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// noAWSFiles keeps the SDK away from this machine's AWS configuration.
func noAWSFiles(t *testing.T, profile string) {
	none := filepath.Join(t.TempDir(), "none")
	t.Setenv("AWS_CONFIG_FILE", none)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
	t.Setenv("AWS_PROFILE", profile)
	t.Setenv("AWS_REGION", "us-east-1")
}

// The function starts with the handler its settings describe, talking to CloudWatch Logs and SNS.
func TestStartsTheHandlerOfItsSettings(t *testing.T) {
	noAWSFiles(t, "")
	var got *notify.Handler
	var stderr strings.Builder
	code := run(env(map[string]string{notify.EnvLogGroup: "CloudTrail/trailwatch", notify.EnvTopicARN: topic, notify.EnvLanguage: "ja", notify.EnvEnvironment: "prod"}),
		&stderr, func(h *notify.Handler) { got = h })
	if code != 0 || stderr.String() != "" || got == nil {
		t.Fatalf("exit %d, stderr %q, started %v; want 0, nothing, a handler", code, stderr.String(), got)
	}
	want := notify.Config{LogGroup: "CloudTrail/trailwatch", TopicARN: topic, Language: "ja", Environment: "prod"}
	if got.LogGroup != want.LogGroup || got.TopicARN != want.TopicARN || got.Language != want.Language || got.Environment != want.Environment || got.Logs == nil || got.SNS == nil {
		t.Errorf("handler %+v, want config %+v with both clients", got, want)
	}
}

// A bad setting or AWS configuration stops the function before it serves anything: exit 1 and
// the reason on stderr.
func TestBadSettingsStopItBeforeStarting(t *testing.T) {
	good := map[string]string{notify.EnvLogGroup: "CloudTrail/trailwatch", notify.EnvTopicARN: topic}
	for _, tt := range []struct {
		name    string
		env     map[string]string
		profile string
		want    string
	}{
		{"no log group", map[string]string{notify.EnvTopicARN: topic}, "",
			"trailwatch-notify: TRAILWATCH_LOG_GROUP is empty; set it to the trail's log group name\n"},
		{"topic not an ARN", map[string]string{notify.EnvLogGroup: "g", notify.EnvTopicARN: "trailwatch-email"}, "",
			"trailwatch-notify: TRAILWATCH_TOPIC_ARN is \"trailwatch-email\"; set it to the email topic's ARN\n"},
		{"unknown profile", good, "nosuch", "trailwatch-notify: failed to get shared config profile, nosuch\n"},
	} {
		noAWSFiles(t, tt.profile)
		var stderr strings.Builder
		started := false
		code := run(env(tt.env), &stderr, func(*notify.Handler) { started = true })
		if code != 1 || started || stderr.String() != tt.want {
			t.Errorf("%s: exit %d, started %v, stderr %q; want 1, not started, %q", tt.name, code, started, stderr.String(), tt.want)
		}
	}
}
