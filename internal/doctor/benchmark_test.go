package doctor

import (
	"encoding/json"
	"github.com/trailwatch/trailwatch/internal/cli"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchmarkPattern is a second pattern on CloudTrailChanges' metric, as a catalog row's benchmark
// filter would add: it matches only some of the events the row's pattern matches.
const benchmarkPattern = `{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) }`

// withBenchmarkFilter writes the default template plus a BenchmarkFilter on CloudTrailChanges' metric.
func withBenchmarkFilter(t *testing.T, pattern string) (string, *Expected) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", "default.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	json.Unmarshal(data, &tpl)
	tpl["Resources"].(map[string]any)["AlarmsCloudTrailChangesBenchmarkFilter12345678"] = map[string]any{
		"Type":     "AWS::Logs::MetricFilter",
		"Metadata": map[string]any{"aws:cdk:path": "Trailwatch/Alarms/CloudTrailChanges/BenchmarkFilter/Resource"},
		"Properties": map[string]any{
			"FilterPattern": pattern, "LogGroupName": map[string]any{"Ref": "TrailLogGroup7A1F916A"},
			"MetricTransformations": []any{map[string]any{"MetricName": "CloudTrailEventCount", "MetricNamespace": "CloudTrailMetrics", "MetricValue": "1"}},
		},
	}
	out, _ := json.Marshal(tpl)
	path := filepath.Join(t.TempDir(), "Trailwatch.template.json")
	os.WriteFile(path, out, 0o644)
	exp, err := ReadTemplate(out)
	if err != nil {
		t.Fatal(err)
	}
	return path, exp
}

func TestTwoFiltersOnOneMetric(t *testing.T) {
	path, exp := withBenchmarkFilter(t, benchmarkPattern)
	f := newFakeAWS(t)
	w := healthyWorld(exp, time.Now())
	w.serve(f)
	r := runDoctorPath(t, f, path, "--test-patterns")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout, "✓ filter CloudTrailChanges: present", "✓ filter CloudTrailChanges BenchmarkFilter: present",
		"✓ patterns CloudTrailChanges (benchmark filter): AWS and the engine agree with the proof on ", "; as a benchmark filter it matches 2 of them")

	// The benchmark filter deleted: it is missing, and the row's own filter is still fine.
	for i, fl := range w.filters {
		if fl.pattern == benchmarkPattern {
			w.filters = append(w.filters[:i], w.filters[i+1:]...)
			break
		}
	}
	r = runDoctorPath(t, f, path)
	mustContain(t, r.stdout, "✓ filter CloudTrailChanges: present", "✗ filter CloudTrailChanges BenchmarkFilter: no metric filter on CloudTrail/trailwatch publishes CloudTrailMetrics/CloudTrailEventCount")
	if n := strings.Count(r.stdout, "✗"); n != 1 {
		t.Errorf("%d failures, want 1:\n%s", n, r.stdout)
	}
}

func TestBenchmarkFilterMatchingNoFiresFails(t *testing.T) {
	path, exp := withBenchmarkFilter(t, `{ $.eventName = NoSuchEvent }`)
	f := newFakeAWS(t)
	healthyWorld(exp, time.Now()).serve(f)
	r := runDoctorPath(t, f, path, "--test-patterns")
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout, "✗ patterns CloudTrailChanges (benchmark filter): matches none of the row's Fires records")
}
