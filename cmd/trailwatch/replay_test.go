package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/cli"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files")

// replayCmd runs `trailwatch replay args...` in-process.
func replayCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return call(t, stdin, append([]string{"replay"}, args...)...)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/trailwatch -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; review and update with go test ./cmd/trailwatch -update\n--- got\n%s", path, got)
	}
}

func TestJSONReportMatchesGolden(t *testing.T) {
	code, out, errs := replayCmd(t, "", "--format", "json", "testdata/input")
	if code != cli.ExitProblems {
		t.Errorf("exit = %d, want %d (eventbridge.jsonl has a bad line and a non-CloudTrail event); stderr: %s", code, cli.ExitProblems, errs)
	}
	golden(t, "input.json", out)
}

func TestTableReportMatchesGolden(t *testing.T) {
	_, out, _ := replayCmd(t, "", "testdata/input")
	golden(t, "input.txt", out)
}

// TestJSONSchema pins the documented field names and types (README, "trailwatch replay"), so a change to the
// schema is a deliberate one.
func TestJSONSchema(t *testing.T) {
	_, out, _ := replayCmd(t, "", "--format", "json", "testdata/input")
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// A renamed or retyped field fails the test with its path; it never panics.
	obj := func(what string, v any) map[string]any {
		t.Helper()
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s is %T, want an object", what, v)
		}
		return m
	}
	first := func(what string, v any) map[string]any {
		t.Helper()
		l, ok := v.([]any)
		if !ok || len(l) == 0 {
			t.Fatalf("%s is %#v, want a non-empty array", what, v)
		}
		return obj(what+"[0]", l[0])
	}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s keys = %v\nwant %v", what, got, want)
		}
	}
	check("report", keys(rep), []string{"alarms", "schema", "totals"})
	if rep["schema"] != "trailwatch.replay/v1" {
		t.Errorf("schema = %v", rep["schema"])
	}
	totals := obj("totals", rep["totals"])
	check("totals", keys(totals), []string{"bytes_read", "files_read", "first_event", "ignored", "ignored_count", "last_event",
		"records_read", "records_skipped", "skipped", "skipped_by_reason"})
	check("totals.skipped[]", keys(first("totals.skipped", totals["skipped"])), []string{"detail", "file", "line", "reason"})
	alarms, _ := rep["alarms"].([]any)
	if len(alarms) != 10 {
		t.Fatalf("%d alarms, want AWS's 10", len(alarms))
	}
	var fired map[string]any
	for i, a := range alarms {
		if m := obj(fmt.Sprintf("alarms[%d]", i), a); m["id"] == "ConsoleSignInFailures" {
			fired = m
		}
	}
	if fired == nil {
		t.Fatal("no alarm with id ConsoleSignInFailures")
	}
	check("alarms[]", keys(fired), []string{"alarm", "alarm_period_count", "alarm_periods", "alarm_periods_truncated", "episode_count", "episodes",
		"filters", "first_match", "id", "last_match", "matches", "metric_name", "namespace",
		"top_count_error_bound", "top_event_names", "top_principals", "top_source_ips"})
	check("alarms[].alarm", keys(obj("alarms[].alarm", fired["alarm"])), []string{"comparison", "datapoints_to_alarm", "evaluation_periods", "name",
		"period_seconds", "statistic", "threshold", "treat_missing_data"})
	check("alarms[].filters[]", keys(first("alarms[].filters", fired["filters"])), []string{"name", "pattern", "value"})
	check("alarms[].alarm_periods[]", keys(first("alarms[].alarm_periods", fired["alarm_periods"])), []string{"end", "start", "value"})
	check("alarms[].episodes[]", keys(first("alarms[].episodes", fired["episodes"])), []string{"end", "peak", "periods", "start"})
	check("alarms[].top_source_ips[]", keys(first("alarms[].top_source_ips", fired["top_source_ips"])), []string{"count", "value"})
	if s, _ := fired["first_match"].(string); s == "" {
		t.Errorf("first_match = %#v, want an RFC 3339 string", fired["first_match"])
	} else if _, err := time.Parse(time.RFC3339, s); err != nil {
		t.Errorf("first_match is not RFC 3339: %v", err)
	}
	if fired["alarm_period_count"] != float64(1) || fired["matches"] != float64(3) {
		t.Errorf("ConsoleSignInFailures: %v periods, %v matches; want 1, 3", fired["alarm_period_count"], fired["matches"])
	}
}

func TestExitCodes(t *testing.T) {
	clean := filepath.Join("testdata", "input", "lookup-events.json")
	for name, c := range map[string]struct {
		args []string
		want int
	}{
		"clean input":            {[]string{clean}, cli.ExitOK},
		"something skipped":      {[]string{"testdata/input"}, cli.ExitProblems},
		"missing file":           {[]string{clean, "testdata/no-such-file"}, cli.ExitProblems},
		"unknown flag":           {[]string{"--nope", clean}, cli.ExitUsage},
		"unknown alarm":          {[]string{"--alarms", "VpcChanges,Nope", clean}, cli.ExitUsage},
		"alarms and template":    {[]string{"--alarms", "VpcChanges", "--template", "../../internal/replay/testdata/audit.template.json", clean}, cli.ExitUsage},
		"bad format":             {[]string{"--format", "yaml", clean}, cli.ExitUsage},
		"bad period":             {[]string{"--period", "90", clean}, cli.ExitUsage},
		"missing template":       {[]string{"--template", "testdata/none.json", clean}, cli.ExitUsage},
		"help":                   {[]string{"-h"}, cli.ExitOK},
		"selected alarms, clean": {[]string{"--alarms", "CloudTrailChanges", clean}, cli.ExitOK},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, errs := replayCmd(t, "", c.args...)
			if code != c.want {
				t.Errorf("exit = %d, want %d; stderr: %s", code, c.want, errs)
			}
		})
	}
}

func TestReadsStdin(t *testing.T) {
	rec := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging"}`
	code, out, _ := replayCmd(t, rec+"\n", "--alarms", "CloudTrailChanges", "--format", "json")
	var rep struct {
		Alarms []struct{ Matches int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != cli.ExitOK || len(rep.Alarms) != 1 || rep.Alarms[0].Matches != 1 {
		t.Errorf("exit %d, report %s", code, out)
	}
}

// The CIS profile replays too: root usage, which AWS's ten do not watch.
func TestReplaysTheCISProfile(t *testing.T) {
	rec := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","userIdentity":{"type":"Root","arn":"arn:aws:iam::123456789012:root"},"eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","eventType":"AwsApiCall"}`
	code, out, errs := replayCmd(t, rec+"\n", "--alarms", "aws,cis", "--format", "json")
	var rep struct {
		Alarms []struct {
			ID      string
			Matches int
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != cli.ExitOK {
		t.Fatalf("exit %d, %v, stderr %s", code, err, errs)
	}
	fired := map[string]int{}
	for _, a := range rep.Alarms {
		if a.Matches > 0 {
			fired[a.ID] = a.Matches
		}
	}
	if len(rep.Alarms) != 24 || len(fired) != 1 || fired["Cis1RootUsage"] != 1 {
		t.Errorf("%d alarms replayed, fired %v; want 24 and only Cis1RootUsage", len(rep.Alarms), fired)
	}
}

func TestReplaysATemplate(t *testing.T) {
	code, out, errs := replayCmd(t, "", "--format", "json", "--template", "../../internal/replay/testdata/audit.template.json", "testdata/input")
	if code != cli.ExitProblems {
		t.Fatalf("exit = %d; stderr: %s", code, errs)
	}
	var rep struct {
		Alarms []struct {
			ID               string
			Matches          int64
			AlarmPeriodCount int64 `json:"alarm_period_count"`
			Alarm            *struct{ Name string }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string][2]int64{}
	for _, a := range rep.Alarms {
		got[a.ID] = [2]int64{a.Matches, a.AlarmPeriodCount}
	}
	want := map[string][2]int64{
		"AlarmsConsoleSignInFailuresAlarm0E4C5A9B": {3, 1}, // Sum >= 3 in 12:10
		"AlarmsVpcChangesAlarm7A1B2C3D":            {0, 0},
		"CustomRootUsageAlarm9F8E7D6C":             {0, 0}, // no root activity in the input
		"CustomDeniedCallsFilterA1A2A3A4":          {1, 0}, // no alarm: matches only
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("template replay = %v\nwant %v", got, want)
	}
}

// TestWritesNothingToDisk runs a replay from an empty working directory with an empty TMPDIR and
// checks that both stay empty and the input is untouched.
func TestWritesNothingToDisk(t *testing.T) {
	input, err := filepath.Abs("testdata/input")
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, input)
	work, tmp := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Chdir(work)
	for _, format := range []string{"table", "json"} {
		if code, _, errs := replayCmd(t, "", "--format", format, input); code != cli.ExitProblems {
			t.Fatalf("exit = %d; stderr: %s", code, errs)
		}
	}
	for _, dir := range []string{work, tmp} {
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%s is no longer empty: %v", dir, entries)
		}
	}
	if after := snapshot(t, input); !reflect.DeepEqual(before, after) {
		t.Errorf("input changed:\n%v\n%v", before, after)
	}
}

func snapshot(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, p+" "+info.ModTime().String()+" "+info.Mode().String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every template trailwatch synthesizes (the goldens of test/) replays: the alarms of the
// template, each fed by its dimensionless filter; per-account drill-down filters count on their
// own and never add to an alarm's total.
func TestReplaysEverySynthesizedGolden(t *testing.T) {
	goldens, _ := filepath.Glob("../../test/testdata/*.template.json")
	if len(goldens) < 10 {
		t.Fatalf("found %d goldens in test/testdata", len(goldens))
	}
	rec := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","recipientAccountId":"123456789012"}`
	// Per golden: the metrics replay reports and how many of them have an alarm. Two filters
	// that publish one metric share a line (CIS's RouteTableChangesCount); the organization
	// trail adds a per-account filter for most alarms; the alarm-email function's own alarms
	// watch Lambda, not a filter.
	want := map[string][2]int{
		"alarms-only": {20, 20}, "all-two-emails": {15, 15}, "athena": {15, 15}, "aws-cis": {29, 29}, "cis": {19, 19},
		"custom-alarms": {19, 18}, "default": {15, 15}, "encryption-none": {15, 15}, "object-lock-compliance": {15, 15},
		"organization-trail": {37, 21},
	}
	seen := 0
	for _, g := range goldens {
		if strings.HasSuffix(g, "stackset.template.json") {
			continue // a StackSet, no filters of its own
		}
		w, ok := want[strings.TrimSuffix(filepath.Base(g), ".template.json")]
		if !ok {
			t.Errorf("%s: a new golden; add its counts to this test", g)
			continue
		}
		seen++
		code, out, errs := replayCmd(t, rec+"\n", "--template", g, "--format", "json")
		if code != cli.ExitOK {
			t.Errorf("%s: exit %d: %s", g, code, errs)
			continue
		}
		var rep struct {
			Alarms []struct {
				ID         string `json:"id"`
				MetricName string `json:"metric_name"`
				Matches    int    `json:"matches"`
				Alarm      *struct {
					Name string `json:"name"`
				} `json:"alarm"`
			}
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		alarmed := 0
		for _, a := range rep.Alarms {
			if a.Alarm != nil {
				alarmed++
			}
		}
		if len(rep.Alarms) != w[0] || alarmed != w[1] {
			t.Errorf("%s: %d metrics replayed, %d with an alarm; want %d and %d", g, len(rep.Alarms), alarmed, w[0], w[1])
		}
		if !strings.HasSuffix(g, "custom-alarms.template.json") {
			continue
		}
		// IamUserCreated: the alarm sees the one CreateUser; the per-account filter, separately, too.
		var alarm, perAccount int
		for _, a := range rep.Alarms {
			switch {
			case a.Alarm != nil && a.Alarm.Name == "CloudTrailIamUserCreated":
				alarm = a.Matches
			case strings.HasPrefix(a.MetricName, "IamUserCreatedCount by Account"):
				perAccount = a.Matches
			}
		}
		if alarm != 1 || perAccount != 1 {
			t.Errorf("custom-alarms: alarm total %d, per-account filter %d; want 1 and 1", alarm, perAccount)
		}
	}
	if seen != len(want) {
		t.Errorf("replayed %d goldens, want %d", seen, len(want))
	}
}

func TestHelpListsReplay(t *testing.T) {
	_, out, _ := call(t, "", "help")
	if !strings.Contains(out, "replay   replay the alarms") {
		t.Errorf("help:\n%s", out)
	}
}

func TestDispatchesReplay(t *testing.T) {
	rec := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy"}`
	code, out, diag := call(t, rec+"\n", "replay", "--alarms", "IAMPolicyChanges", "--format", "json", "-")
	if code != cli.ExitOK || !strings.Contains(out, `"matches": 1`) {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, diag)
	}
	if code, _, _ := call(t, "", "replay", "--alarms", "Nope", "-"); code != cli.ExitUsage {
		t.Errorf("unknown alarm: exit %d, want %d", code, cli.ExitUsage)
	}
	if code, _, _ := call(t, "not json\n", "replay", "-"); code != cli.ExitProblems {
		t.Errorf("bad input: exit %d, want %d", code, cli.ExitProblems)
	}
}

// TestReplayReportsTheDeployedNamespace: the CIS rows publish to LogMetrics, and replay says so
// (it used to report CloudTrailMetrics for every catalog row).
func TestReplayReportsTheDeployedNamespace(t *testing.T) {
	rec := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc","userIdentity":{"type":"Root"},"eventType":"AwsApiCall"}`
	code, out, diag := call(t, rec+"\n", "replay", "--alarms", "Cis1RootUsage", "--format", "json", "-")
	if code != cli.ExitOK || !strings.Contains(out, `"namespace": "LogMetrics"`) || strings.Contains(out, "CloudTrailMetrics") || !strings.Contains(out, `"matches": 1`) {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, diag)
	}
}
