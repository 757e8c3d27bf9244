package test

// Template tests named for bugs that once shipped or were planted and that no test caught: each
// checks what reaches the template (or that nothing does).

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// 400 is a retention CloudWatch Logs accepts; it must reach the template as 400, not as 365.
func TestRetention400StaysIn400(t *testing.T) {
	f := synth(t, "retention-400", map[string]any{"notificationEmails": "ops@example.com", "logRetentionDays": "400"})
	_, lg := f.only(t, "AWS::Logs::LogGroup")
	equal(t, "retention", props(lg)["RetentionInDays"], 400)
}

// Two custom alarms on one metric name in two namespaces are two metrics: both deploy, each
// filter and alarm in its own namespace.
func TestSameMetricNameInTwoNamespacesDeploys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alarms.yaml")
	err := os.WriteFile(path, []byte(`alarms:
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
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f := synth(t, "two-namespaces", map[string]any{"notificationEmails": "ops@example.com", "alarmsFile": path})
	var filters, alarms []string
	for _, r := range f.resources("AWS::Logs::MetricFilter") {
		for _, m := range props(r)["MetricTransformations"].([]any) {
			m := m.(map[string]any)
			if m["MetricName"] == "RootLoginCount" {
				filters = append(filters, m["MetricNamespace"].(string))
			}
		}
	}
	for _, r := range f.resources("AWS::CloudWatch::Alarm") {
		if p := props(r); p["MetricName"] == "RootLoginCount" {
			alarms = append(alarms, p["Namespace"].(string)+" "+p["AlarmName"].(string))
		}
	}
	sort.Strings(filters)
	sort.Strings(alarms)
	equal(t, "RootLoginCount filters by namespace", filters, []string{"TeamA", "TeamB"})
	equal(t, "RootLoginCount alarms", alarms, []string{"TeamA CloudTrailTeamARootLogin", "TeamB CloudTrailTeamBRootLogin"})
}
