package test

// Template tests named for bugs that once shipped or were planted and that no test caught: each
// checks what reaches the template (or that nothing does).

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/stacks"
)

// 400 is a retention CloudWatch Logs accepts; it must reach the template as 400, not as 365.
func TestRetention400StaysIn400(t *testing.T) {
	f := synth(t, "retention-400", map[string]any{"notificationEmails": "ops@example.com", "logRetentionDays": "400"})
	_, lg := f.byPath(t, "AWS::Logs::LogGroup", "TrailLogGroup/Resource")
	equal(t, "retention", props(lg)["RetentionInDays"], 400)
}

// Two custom alarms on one metric name in two namespaces are two metrics: both deploy, each
// filter and alarm in its own namespace.
// Near-copy of internal/config/namedbugs_test.go's alarms file: config checks the rows, this
// synthesizes them; each package's test stands alone.
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

// Every retention CloudWatch Logs accepts reaches the template as itself (17 once became 731, and
// 400 became 365): one app, one stack per value, one synth. The values are CloudWatch's, written
// out here (PutRetentionPolicy, retentionInDays), not taken from the code under test.
func TestEveryAllowedRetentionReachesTheTemplate(t *testing.T) {
	retentions := []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
	ctx := cliContext(t, map[string]any{"notificationEmails": "ops@example.com"})
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, AnalyticsReporting: jsii.Bool(false)})
	for _, days := range retentions {
		ctx := cliContext(t, map[string]any{"notificationEmails": "ops@example.com", "logRetentionDays": fmt.Sprint(days)})
		cfg, err := config.Parse(ctx, pinnedEnv)
		if err != nil {
			t.Fatalf("logRetentionDays=%d: %v", days, err)
		}
		cfg.Name = fmt.Sprintf("Retention%d", days)
		if _, err := stacks.Build(app, cfg); err != nil {
			t.Fatalf("logRetentionDays=%d: %v", days, err)
		}
	}
	assembly := app.Synth(nil)
	for _, days := range retentions {
		raw, err := json.Marshal(assembly.GetStackByName(jsii.String(fmt.Sprintf("Retention%d", days))).Template())
		if err != nil {
			t.Fatal(err)
		}
		var tmpl struct {
			Resources map[string]struct {
				Type       string
				Properties map[string]any
			}
		}
		if err := json.Unmarshal(raw, &tmpl); err != nil {
			t.Fatal(err)
		}
		var got []any
		for _, r := range tmpl.Resources {
			if r.Type == "AWS::Logs::LogGroup" {
				got = append(got, r.Properties["RetentionInDays"])
			}
		}
		// The trail's log group and the alarm-email function's both keep logRetentionDays.
		if len(got) != 2 || got[0] != float64(days) || got[1] != float64(days) {
			t.Errorf("logRetentionDays=%d: the log groups' RetentionInDays are %v, want %d for both", days, got, days)
		}
	}
}
