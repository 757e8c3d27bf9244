package doctor

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

func TestPatternsAgree(t *testing.T) {
	f, w, exp := setup(t, "aws-cis")
	r := runDoctor(t, f, "aws-cis", "--test-patterns")
	if r.code != ExitOK {
		t.Fatalf("exit %d, want 0:\n%s%s", r.code, r.stdout, r.stderr)
	}
	rows := proofRows()
	distinct := map[string]bool{}
	for _, fl := range exp.Filters {
		if fl.Namespace == catalog.TamperNamespace {
			mustContain(t, r.stdout, "- patterns "+fl.RowID+": a tamper row, generated for this stack's resources at synth")
			continue
		}
		row := rows[fl.RowID]
		distinct[fl.RowID+"\x00"+fl.Pattern] = true
		mustContain(t, r.stdout, "✓ patterns "+fl.RowID+": AWS and the engine agree with the proof on ")
		if len(row.Fires) == 0 || len(row.Quiet) == 0 {
			t.Errorf("row %s has no fires or no quiet records", fl.RowID)
		}
	}
	if got := f.called("logs:TestMetricFilter"); got != len(distinct) {
		t.Errorf("TestMetricFilter called %d times, want one per distinct pattern (%d)", got, len(distinct))
	}
	for _, n := range w.tmfBatches {
		if n > maxTestMessages {
			t.Errorf("a TestMetricFilter request had %d messages", n)
		}
	}
}

func TestPatternDisagreementPrintedInFull(t *testing.T) {
	f, w, _ := setup(t, "cis")
	row, _ := catalog.Find(catalog.CIS(), "Cis1RootUsage")
	quiet := row.Quiet[0]
	w.awsFlips = map[string]bool{quiet: true}
	r := runDoctor(t, f, "cis", "--test-patterns")
	if r.code != ExitFail {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout,
		"✗ patterns Cis1RootUsage: 1 of 6 proof records disagree",
		"    proof says quiet; AWS TestMetricFilter: matches; trailwatch engine: does not match; record: "+quiet,
		"fix: report it with the lines below")
	if n := strings.Count(r.stdout, "✗"); n != 1 {
		t.Errorf("%d failures, want 1:\n%s", n, r.stdout)
	}

	r = runDoctor(t, f, "cis", "--test-patterns", "--format", "json")
	var rep Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, res := range rep.Results {
		if res.Status == Fail {
			want := []Disagreement{{Record: quiet, Proof: "quiet", AWS: true, Engine: false}}
			if len(res.Disagreements) != 1 || res.Disagreements[0] != want[0] {
				t.Errorf("disagreements = %+v, want %+v", res.Disagreements, want)
			}
		}
	}
}

func TestPatternsCustomRowsSkipped(t *testing.T) {
	f, _, _ := setup(t, "custom-alarms")
	r := runDoctor(t, f, "custom-alarms", "--test-patterns")
	if r.code != ExitOK {
		t.Fatalf("exit %d:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout, "- patterns RootAccessKeyCreated: no proof records in the catalog (a row of an alarms file)")
}

func TestPatternsAccessDenied(t *testing.T) {
	f, _, _ := setup(t, "default")
	f.failNext("logs:TestMetricFilter", &apiError{400, "AccessDeniedException", "not authorized to perform: logs:TestMetricFilter"})
	r := runDoctor(t, f, "default", "--test-patterns")
	if r.code != ExitFail {
		t.Fatalf("exit %d, want 1", r.code)
	}
	mustContain(t, r.stdout, "✗ patterns AuthorizationFailures: logs:TestMetricFilter failed:", "fix: allow logs:TestMetricFilter")
}

func TestBatchesKeepTheAPILimits(t *testing.T) {
	small := make([]string, 120)
	for i := range small {
		small[i] = `{"eventName":"x"}`
	}
	got := batches(small)
	if len(got) != 3 || len(got[0]) != 50 || len(got[1]) != 50 || len(got[2]) != 20 {
		t.Errorf("120 small messages: batch sizes %v, want 50, 50, 20", sizes(got))
	}
	big := make([]string, 6)
	for i := range big {
		big[i] = strings.Repeat("a", maxMessageLength)
	}
	got = batches(big)
	for _, b := range got {
		total := 0
		for _, m := range b {
			total += len(m) + eventOverhead
		}
		if total > maxBatchBytes {
			t.Errorf("batch of %d bytes, want at most %d", total, maxBatchBytes)
		}
	}
	if len(got) != 2 || len(got[0]) != 4 {
		t.Errorf("6 messages of 256 KB: batch sizes %v, want 4, 2", sizes(got))
	}
	if got := batches(nil); len(got) != 0 {
		t.Errorf("no messages: %d batches, want none (TestMetricFilter needs at least one)", len(got))
	}
}

func sizes(b [][]string) []int {
	out := make([]int, len(b))
	for i := range b {
		out[i] = len(b[i])
	}
	return out
}
