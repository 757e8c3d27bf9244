package config_test

// Each test here is named for a bug that once shipped or was planted and that no test caught. They
// use only the package's entry points (Parse, Load and their results), so they keep guarding the
// behaviour whatever the package looks like inside.

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/config"
)

func noEnvironment(string) string { return "" }

// cloudWatchRetentions are the retentions PutRetentionPolicy accepts, copied by hand from the
// CloudWatch Logs API reference (PutRetentionPolicy, retentionInDays), not from the package.
var cloudWatchRetentions = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

const retentionAllowed = "allowed: never, or 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"

func parseContext(overrides map[string]any) (config.Target, error) {
	ctx := map[string]any{"notificationEmails": "ops@example.com"}
	for k, v := range overrides {
		ctx[k] = v
	}
	return config.Parse(ctx, noEnvironment)
}

// 17 days is not a retention CloudWatch Logs accepts; it once became 731 in the template.
func TestRejectsRetention17(t *testing.T) {
	for raw, shown := range map[any]string{17.0: `17`, "17": `"17"`} {
		cfg, err := parseContext(map[string]any{"logRetentionDays": raw})
		want := "logRetentionDays: " + shown + " is not a retention CloudWatch Logs accepts; " + retentionAllowed
		if err == nil {
			t.Fatalf("logRetentionDays=%v: accepted as %d, want the error %q", raw, cfg.LogRetentionDays, want)
		}
		if err.Error() != want || !errors.Is(err, config.ErrInvalid) {
			t.Errorf("logRetentionDays=%v: error %q, want %q (ErrInvalid)", raw, err, want)
		}
	}
}

// 400 is allowed and must stay 400; it once became the nearest "usual" value, 365. Every allowed
// value maps to itself, and its neighbours that CloudWatch does not accept are refused.
func TestKeepsRetention400(t *testing.T) {
	for _, raw := range []any{400.0, "400"} {
		cfg, err := parseContext(map[string]any{"logRetentionDays": raw})
		if err != nil {
			t.Fatalf("logRetentionDays=%v: %v", raw, err)
		}
		if cfg.LogRetentionDays != 400 {
			t.Errorf("logRetentionDays=%v became %d, want 400", raw, cfg.LogRetentionDays)
		}
	}
	// Each allowed value and its neighbours (a full sweep of 0..3653 costs seconds).
	var values []int
	for _, n := range cloudWatchRetentions {
		values = append(values, n-1, n, n+1)
	}
	for _, n := range values {
		cfg, err := parseContext(map[string]any{"logRetentionDays": float64(n)})
		allowed := slices.Contains(cloudWatchRetentions, n)
		switch {
		case allowed && err != nil:
			t.Errorf("logRetentionDays=%d: %v, want it accepted", n, err)
		case allowed && cfg.LogRetentionDays != n:
			t.Errorf("logRetentionDays=%d became %d", n, cfg.LogRetentionDays)
		case !allowed && err == nil:
			t.Errorf("logRetentionDays=%d accepted as %d; CloudWatch Logs does not accept it", n, cfg.LogRetentionDays)
		}
	}
}

// An address with no @ would become an SNS email subscription nobody can confirm.
func TestRejectsEmailWithoutAt(t *testing.T) {
	cases := map[string]string{
		"ops.example.com":                 `notificationEmails: "ops.example.com" is not an email address; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`,
		"ops@example.com,sec.example.com": `notificationEmails: "ops@example.com,sec.example.com" has "sec.example.com", which is not an email address; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`,
	}
	for raw, want := range cases {
		cfg, err := config.Parse(map[string]any{"notificationEmails": raw}, noEnvironment)
		if err == nil {
			t.Fatalf("notificationEmails=%q: accepted as %q, want the error %q", raw, cfg.NotificationEmails, want)
		}
		if err.Error() != want || !errors.Is(err, config.ErrInvalid) {
			t.Errorf("notificationEmails=%q: error %q, want %q (ErrInvalid)", raw, err, want)
		}
	}
}

// twoNamespacesFile has two custom alarms on one metric name in two namespaces: CloudWatch names a
// metric by namespace and name, so they are two metrics.
const twoNamespacesFile = `alarms:
  - id: TeamARootLogin
    pattern: '{ $.userIdentity.type = "Root" }'
    threshold: 1
    metricName: RootLoginCount
    namespace: TeamA
    description: {en: Root login seen by team A.}
  - id: TeamBRootLogin
    pattern: '{ $.userIdentity.type = "Root" }'
    threshold: 1
    metricName: RootLoginCount
    namespace: TeamB
    description: {en: Root login seen by team B.}
`

func writeAlarmsFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "alarms.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The same metric name in two namespaces is legal; it was once rejected as a duplicate.
func TestAcceptsSameMetricNameInTwoNamespaces(t *testing.T) {
	cfg, err := parseContext(map[string]any{"alarmsFile": writeAlarmsFile(t, twoNamespacesFile)})
	if err != nil {
		t.Fatalf("rejected a legal alarms file: %v", err)
	}
	var got [][2]string
	for _, a := range cfg.Alarms {
		if a.MetricName == "RootLoginCount" {
			got = append(got, [2]string{a.Namespace, a.MetricName})
		}
	}
	if want := [][2]string{{"TeamA", "RootLoginCount"}, {"TeamB", "RootLoginCount"}}; !slices.Equal(got, want) {
		t.Errorf("metrics %v, want %v", got, want)
	}
}

// The other side of the same rule: one name twice in one namespace is one metric counting two
// things, and is rejected with both alarms named.
func TestRejectsSameMetricNameInOneNamespace(t *testing.T) {
	path := writeAlarmsFile(t, strings.ReplaceAll(twoNamespacesFile, "namespace: TeamB", "namespace: TeamA"))
	_, err := parseContext(map[string]any{"alarmsFile": path})
	want := "alarmsFile: " + path + ": line 11: alarm 2 (TeamBRootLogin): metricName: TeamA/RootLoginCount is already used by alarm 1 (TeamARootLogin) of this file"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
