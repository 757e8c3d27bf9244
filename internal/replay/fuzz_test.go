package replay

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// FuzzTemplate reads templates for --template: no panic, bounded work, and a template that is
// accepted replays and its report encodes as JSON (no unbounded loop over EvaluationPeriods or
// periods, no value JSON cannot write).
//
//	go test ./internal/replay -run '^$' -fuzz '^FuzzTemplate$' -fuzztime 3m -parallel 1
func FuzzTemplate(f *testing.F) {
	if doc, err := os.ReadFile("testdata/audit.template.json"); err == nil {
		f.Add(doc)
	}
	f.Add([]byte(`{"Resources":{"F":{"Type":"AWS::Logs::MetricFilter","Properties":{"FilterPattern":"{ $.eventName = CreateVpc }","MetricTransformations":[{"MetricName":"M","MetricNamespace":"N","MetricValue":"1","DefaultValue":0}]}},` +
		`"A":{"Type":"AWS::CloudWatch::Alarm","Properties":{"MetricName":"M","Namespace":"N","Statistic":"Sum","Period":60,"EvaluationPeriods":1440,"DatapointsToAlarm":3,"Threshold":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold","TreatMissingData":"breaching"}}}}`))
	f.Add([]byte(`{"Resources":{"F":{"Type":"AWS::Logs::MetricFilter","Properties":{"FilterPattern":"","MetricTransformations":[{"MetricName":"M","MetricNamespace":"N","MetricValue":"1e300"}]}}}}`))
	dir := f.TempDir()
	input := filepath.Join(dir, "in.jsonl")
	recs := `{"eventVersion":"1.08","eventTime":"1970-01-01T00:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc"}
{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc"}
{"eventVersion":"1.08","eventTime":"9998-12-31T23:59:59Z","eventSource":"ec2.amazonaws.com","eventName":"DeleteVpc"}
`
	if err := os.WriteFile(input, []byte(recs), 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > MaxTemplateBytes {
			return // ReadTemplate refuses it unread
		}
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		rules, err := FromTemplate(doc)
		if err != nil {
			return
		}
		if Validate(rules) != nil {
			return
		}
		rep, err := Run(Options{Rules: rules, Inputs: []string{input}, Workers: 1})
		if err != nil {
			return // a pattern that does not parse
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatalf("accepted template gives a report JSON cannot encode: %v", err)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(64<<20+1000*len(doc)) {
			t.Errorf("allocated %d bytes for a %d-byte template", alloc, len(doc))
		}
		if d := time.Since(start); d > fuzzTimeLimit(2*time.Second+time.Duration(len(doc))*50*time.Microsecond) {
			t.Errorf("took %v for a %d-byte template", d, len(doc))
		}
	})
}

// fuzzTimeLimit is limit while fuzzing, where the linear bound hunts slow inputs. A plain
// `go test` runs the seed corpus (slow inputs the fuzzer found are kept there) on a machine that
// may be loaded, CI running packages in parallel: there the bound is 3 times looser, and 10
// times more under the race detector.
func fuzzTimeLimit(limit time.Duration) time.Duration {
	if f := flag.Lookup("test.fuzz"); f != nil && f.Value.String() != "" {
		return limit
	}
	return 3 * raceSlowdown * limit
}
