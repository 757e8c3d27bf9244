package doctor

import (
	"encoding/json"
	"github.com/trailwatch/trailwatch/internal/cli"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

func TestPatternsAgree(t *testing.T) {
	f, w, exp := setup(t, "aws-cis")
	r := runDoctor(t, f, "aws-cis", "--test-patterns")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d, want 0:\n%s%s", r.code, r.stdout, r.stderr)
	}
	rows := proofRows()
	distinct := map[string]bool{}
	tamper := 0
	for _, fl := range exp.Filters {
		row := rows[fl.RowID]
		if fl.Namespace == catalog.TamperNamespace {
			tamper++
		}
		distinct[fl.RowID+"\x00"+fl.Pattern] = true
		mustContain(t, r.stdout, "✓ patterns "+fl.RowID+": AWS and the engine agree with the proof on ")
		if fl.Namespace != catalog.TamperNamespace && (len(row.Fires) == 0 || len(row.Quiet) == 0) {
			t.Errorf("row %s has no fires or no quiet records", fl.RowID)
		}
	}
	if tamper != 5 {
		t.Errorf("%d tamper filters in aws-cis, want 5 (trail, log files, log group, alarms, topic)", tamper)
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
	if r.code != cli.ExitProblems {
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
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout, "- patterns RootAccessKeyCreated: no proof records in the catalog (a row of an alarms file)")
}

func TestPatternsAccessDenied(t *testing.T) {
	f, _, _ := setup(t, "default")
	f.failNext("logs:TestMetricFilter", &apiError{400, "AccessDeniedException", "not authorized to perform: logs:TestMetricFilter"})
	r := runDoctor(t, f, "default", "--test-patterns")
	if r.code != cli.ExitProblems {
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
	// Five messages of exactly one byte more than a batch holds: four fit, the fifth starts the
	// next batch.
	full := strings.Repeat("a", maxMessageLength)
	five := []string{full, full, full, strings.Repeat("a", 131072-eventOverhead), strings.Repeat("a", 131073-eventOverhead)}
	if got := batches(five); len(got) != 2 || len(got[0]) != 4 || len(got[1]) != 1 {
		t.Errorf("five messages of 1,048,577 bytes: batch sizes %v, want 4, 1", sizes(got))
	}
	// Eight messages of 256 KB fill two batches exactly.
	if got := batches(slices.Repeat([]string{full}, 8)); len(got) != 2 || len(got[0]) != 4 || len(got[1]) != 4 {
		t.Errorf("8 messages of 256 KB: batch sizes %v, want 4, 4", sizes(got))
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

func TestPatternsTamperRegenerated(t *testing.T) {
	f, w, exp := setup(t, "default")
	r := runDoctor(t, f, "default", "--test-patterns")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d, want 0:\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The log-files and topic rows name the deployed bucket, key and topic: their proof records
	// are generated on those names, which the fake's engine-backed TestMetricFilter then matches.
	for _, id := range []string{"TamperTrail", "TamperLogFiles", "TamperLogGroup", "TamperAlarms", "TamperTopic"} {
		mustContain(t, r.stdout, "✓ patterns "+id+": AWS and the engine agree with the proof on ")
	}
	sent := strings.Join(w.tmfSent, "\n")
	for _, name := range []string{testBucket, testKeyID, testTopic, exp.Trail.Name} {
		if !strings.Contains(sent, name) {
			t.Errorf("no TestMetricFilter request names %s", name)
		}
	}
}

func TestPatternsTamperDisagreement(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", "default.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	// A tamper pattern as an older or edited trailwatch might have deployed it: one event fewer.
	cut := ` || ($.eventName = \"PutInsightSelectors\")`
	if !strings.Contains(string(data), cut) {
		t.Fatal("the golden's TamperTrail pattern has no PutInsightSelectors")
	}
	path := filepath.Join(t.TempDir(), "edited.template.json")
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), cut, "", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	exp, err := ReadTemplate([]byte(strings.Replace(string(data), cut, "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeAWS(t)
	healthyWorld(exp, time.Now()).serve(f)
	r := runDoctorPath(t, f, path, "--test-patterns")
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout,
		"✗ patterns TamperTrail: the tamper pattern does not match what this trailwatch would generate: deployed { ($.recipientAccountId = \"123456789012\") && (($.eventSource = \"cloudtrail.amazonaws.com\") && (($.eventName = \"StopLogging\") || ($.eventName = \"DeleteTrail\") || ($.eventName = \"UpdateTrail\") || ($.eventName = \"PutEventSelectors\")) &&",
		"; generated { ($.recipientAccountId = \"123456789012\") && (($.eventSource = \"cloudtrail.amazonaws.com\") && (($.eventName = \"StopLogging\") || ($.eventName = \"DeleteTrail\") || ($.eventName = \"UpdateTrail\") || ($.eventName = \"PutEventSelectors\") || ($.eventName = \"PutInsightSelectors\")) &&",
		"fix: synthesize with this trailwatch version and cdk deploy, then rerun",
		"✓ patterns TamperTopic: AWS and the engine agree")
	if n := strings.Count(r.stdout, "✗"); n != 1 {
		t.Errorf("%d failures, want 1:\n%s", n, r.stdout)
	}
}

func TestPatternsTamperOtherAccount(t *testing.T) {
	// The organization-trail golden is synthesized for account 111111111111; the fake runs in
	// 123456789012: the deployed tamper rows count only the other account's events.
	f, _, _ := setup(t, "organization-trail")
	r := runDoctor(t, f, "organization-trail", "--test-patterns")
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout,
		"✗ patterns TamperTrail: the tamper pattern does not match what this trailwatch would generate: it counts only events of account 111111111111, but the stack is deployed in account 123456789012, so the alarm never fires",
		"fix: synthesize for this account (-c account=123456789012, or the targets file) and cdk deploy")
	if n := strings.Count(r.stdout, "✗"); n != 5 {
		t.Errorf("%d failures, want 5 (one per tamper row):\n%s", n, r.stdout)
	}
}
