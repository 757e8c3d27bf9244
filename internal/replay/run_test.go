package replay_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
	"github.com/trailwatch/trailwatch/internal/replay"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// These tests run the real filter-pattern engine over whole inputs.

func record(name, at, extra string) string {
	return fmt.Sprintf(`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"},"eventTime":%q,"eventSource":"ec2.amazonaws.com","eventName":%q,"sourceIPAddress":"192.0.2.1"%s}`, at, name, extra)
}

func failedLogin(at, ip string) string {
	return fmt.Sprintf(`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"","accountId":"111122223333","userName":"HIDDEN_DUE_TO_SECURITY_REASONS"},"eventTime":%q,"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","sourceIPAddress":%q,"errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"}}`, at, ip)
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func s3File(records ...string) string { return `{"Records":[` + strings.Join(records, ",") + `]}` }

func run(t *testing.T, rules []replay.Rule, inputs ...string) *replay.Report {
	t.Helper()
	rep, err := replay.Run(replay.Options{Rules: rules, Inputs: inputs})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func alarm(t *testing.T, rep *replay.Report, id string) replay.AlarmReport {
	t.Helper()
	for _, a := range rep.Alarms {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("no alarm %s in report", id)
	return replay.AlarmReport{}
}

func catalogRules() []replay.Rule { return replay.FromCatalog(catalog.AWS(), replay.DefaultPeriod) }

func TestReplaysAMixedTree(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "AWSLogs", "o-abc123", "111122223333", "CloudTrail", "us-east-1", "2024", "05", "01")
	write(t, filepath.Join(base, "111122223333_CloudTrail_us-east-1_20240501T1205Z_a.json.gz"), gzipped(t, s3File(
		record("CreateVpc", "2024-05-01T12:01:00Z", ""),
		record("DescribeVpcs", "2024-05-01T12:02:00Z", ""),
		record("RunInstances", "2024-05-01T12:03:00Z", `,"requestParameters":{"instanceType":"m5.8xlarge"}`),
	)))
	write(t, filepath.Join(dir, "AWSLogs", "o-abc123", "111122223333", "CloudTrail-Digest", "us-east-1", "2024", "05", "01", "digest.json.gz"),
		gzipped(t, `{"awsAccountId":"111122223333","digestStartTime":"2024-05-01T11:00:00Z","logFiles":[]}`))
	q, _ := json.Marshal(record("DeleteVpc", "2024-05-01T12:20:00Z", ""))
	write(t, filepath.Join(dir, "lookup.json"), []byte(`{"Events":[{"EventId":"x","CloudTrailEvent":`+string(q)+`}]}`))
	write(t, filepath.Join(dir, "eventbridge.jsonl"), []byte(
		`{"detail-type":"AWS API Call via CloudTrail","source":"aws.iam","detail":`+record("PutUserPolicy", "2024-05-01T12:21:00Z", "")+"}\n"))

	rep := run(t, catalogRules(), dir)
	if rep.Totals.RecordsRead != 5 || rep.Totals.RecordsSkipped != 0 || rep.Totals.FilesRead != 4 || rep.Totals.IgnoredCount != 1 {
		t.Errorf("totals = %+v", rep.Totals)
	}
	for id, want := range map[string]int64{"VpcChanges": 2, "EC2InstanceChanges": 1, "EC2LargeInstanceChanges": 1, "IAMPolicyChanges": 1, "SecurityGroupChanges": 0} {
		if got := alarm(t, rep, id).Matches; got != want {
			t.Errorf("%s matches = %d, want %d", id, got, want)
		}
	}
	vpc := alarm(t, rep, "VpcChanges")
	if vpc.AlarmPeriodCount != 2 || vpc.EpisodeCount != 2 {
		t.Errorf("VpcChanges: %d ALARM periods, %d episodes; want 2, 2 (12:00 and 12:20)", vpc.AlarmPeriodCount, vpc.EpisodeCount)
	}
	if got := vpc.TopPrincipals; len(got) != 1 || got[0].Value != "arn:aws:iam::111122223333:user/alice" || got[0].Count != 2 {
		t.Errorf("VpcChanges top principals = %+v", got)
	}
	if rep.Totals.FirstEvent.Format("15:04") != "12:01" || rep.Totals.LastEvent.Format("15:04") != "12:21" {
		t.Errorf("span = %v .. %v", rep.Totals.FirstEvent, rep.Totals.LastEvent)
	}
}

func TestSignInFailuresFireOnlyWithThreeInOnePeriod(t *testing.T) {
	dir := t.TempDir()
	// 12:00-12:05 holds three failures: ALARM. 12:13, 12:14 and 12:15 straddle 12:15: no ALARM.
	write(t, filepath.Join(dir, "a.json"), []byte(s3File(
		failedLogin("2024-05-01T12:00:00Z", "198.51.100.7"),
		failedLogin("2024-05-01T12:02:00Z", "198.51.100.7"),
		failedLogin("2024-05-01T12:04:59Z", "203.0.113.9"),
		failedLogin("2024-05-01T12:13:00Z", "198.51.100.7"),
		failedLogin("2024-05-01T12:14:59Z", "198.51.100.7"),
		failedLogin("2024-05-01T12:15:00Z", "198.51.100.7"),
	)))
	a := alarm(t, run(t, catalogRules(), dir), "ConsoleSignInFailures")
	if a.Matches != 6 || a.AlarmPeriodCount != 1 || a.AlarmPeriods[0].Start.Format("15:04") != "12:00" {
		t.Fatalf("matches %d, ALARM periods %+v; want 6 matches and only 12:00", a.Matches, a.AlarmPeriods)
	}
	if got := a.TopSourceIPs; len(got) != 2 || got[0] != (replay.Count{Value: "198.51.100.7", Count: 5}) {
		t.Errorf("top IPs = %+v", got)
	}
	if got := a.TopPrincipals; len(got) == 0 || got[0].Value != "IAMUser:HIDDEN_DUE_TO_SECURITY_REASONS" {
		t.Errorf("principal without arn: top principals = %+v", got)
	}
}

func TestReportsSkippedInputAndGoesOn(t *testing.T) {
	dir := t.TempDir()
	full := gzipped(t, s3File(record("CreateVpc", "2024-05-01T12:00:00Z", ""), record("DeleteVpc", "2024-05-01T12:01:00Z", "")))
	write(t, filepath.Join(dir, "1-truncated.json.gz"), full[:len(full)-12])
	write(t, filepath.Join(dir, "2-other.json"), []byte(`{"hello":"world"}`))
	write(t, filepath.Join(dir, "3-lines.jsonl"), []byte(
		record("CreateVpc", "2024-05-01T12:00:00Z", "")+"\n"+
			"{not json\n"+
			`{"eventVersion":"1.08","eventName":"CreateVpc","eventSource":"ec2.amazonaws.com"}`+"\n"+
			record("DeleteVpc", "2024-05-01T12:30:00Z", `,"bad":"`+"\xff"+`"`)+"\n"))
	rep := run(t, catalogRules(), dir)
	if rep.Totals.RecordsSkipped != 5 {
		t.Errorf("records skipped = %d, want 5", rep.Totals.RecordsSkipped)
	}
	byReason := rep.Totals.SkippedByReason
	if byReason[cloudtrail.ReasonTruncated] != 1 || byReason[cloudtrail.ReasonNotCloudTrail] != 1 || byReason[cloudtrail.ReasonBadJSON] != 2 || byReason[cloudtrail.ReasonNoEventTime] != 1 {
		t.Errorf("skipped by reason = %v", byReason)
	}
	var where []string
	for _, p := range rep.Totals.Skipped {
		where = append(where, p.Location.String())
	}
	want := []string{
		filepath.Join(dir, "1-truncated.json.gz") + ":1",
		filepath.Join(dir, "2-other.json") + ":1",
		filepath.Join(dir, "3-lines.jsonl") + ":2",
		filepath.Join(dir, "3-lines.jsonl") + ":3",
		filepath.Join(dir, "3-lines.jsonl") + ":4",
	}
	if strings.Join(where, "\n") != strings.Join(want, "\n") {
		t.Errorf("skipped at\n%s\nwant\n%s", strings.Join(where, "\n"), strings.Join(want, "\n"))
	}
	// The cut falls in the gzip stream's last bytes: both records before it are still replayed,
	// and so is the good line.
	if got := alarm(t, rep, "VpcChanges").Matches; got != 3 {
		t.Errorf("VpcChanges matches = %d, want 3", got)
	}
}

// TestSharedCorpus replays the shared corpus of published CloudTrail records and checks each
// alarm's match count against the labels. It needs ../shared (beside the repository).
func TestSharedCorpus(t *testing.T) {
	const dir = "../../../shared/corpus"
	labels, err := os.Open(filepath.Join(dir, "labels.jsonl"))
	if os.IsNotExist(err) {
		t.Skipf("%s is absent", dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer labels.Close()
	want := map[string]int64{}
	sc := bufio.NewScanner(labels)
	lines := 0
	for sc.Scan() {
		var l struct {
			ExpectedAlarms []string `json:"expected_alarms"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		lines++
		for _, a := range l.ExpectedAlarms {
			want[a]++
		}
	}
	rep := run(t, catalogRules(), filepath.Join(dir, "events.jsonl"))
	if rep.Totals.RecordsRead+rep.Totals.RecordsSkipped != int64(lines) {
		t.Errorf("read %d + skipped %d, want %d records", rep.Totals.RecordsRead, rep.Totals.RecordsSkipped, lines)
	}
	for _, s := range rep.Totals.Skipped {
		t.Logf("skipped: %s", s)
	}
	for _, a := range rep.Alarms {
		if a.Matches != want[a.ID] {
			t.Errorf("%s: %d matches, labels say %d", a.ID, a.Matches, want[a.ID])
		}
	}
}

// TestFailsOnPatternsThatDoNotParse: every bad pattern is named, with the engine's reason, before
// any input is read.
func TestFailsOnPatternsThatDoNotParse(t *testing.T) {
	rules := []replay.Rule{
		{ID: "A", MetricName: "A", Namespace: "N", Filters: []replay.Filter{{Name: "A", Pattern: `{ $.a = `, Value: 1}}},
		{ID: "B", MetricName: "B", Namespace: "N", Filters: []replay.Filter{{Name: "B", Pattern: `"ok"`, Value: 1}}},
		{ID: "C", MetricName: "C", Namespace: "N", Filters: []replay.Filter{{Name: "C", Pattern: `{ $.b === 1 }`, Value: 1}}},
	}
	_, err := replay.Run(replay.Options{Rules: rules, Inputs: []string{"no-such-input"}})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, `compiling filter patterns: pattern "{ $.a = ": `) || !strings.Contains(msg, "\n"+`pattern "{ $.b === 1 }": `) || strings.Contains(msg, `"ok"`) {
		t.Errorf("error:\n%s\nwant both bad patterns named, the good one not", msg)
	}
}

// TestWorkersShareOneSet: many workers matching at once through the one compiled Set find what
// one worker finds. Run it with -race: the Set is shared, not copied per worker.
func TestWorkersShareOneSet(t *testing.T) {
	dir := t.TempDir()
	for f := range 6 {
		var recs []string
		for i := range 300 {
			name := []string{"DescribeVpcs", "CreateVpc", "PutRolePolicy", "RunInstances"}[(f+i)%4]
			recs = append(recs, record(name, fmt.Sprintf("2024-05-01T%02d:%02d:00Z", f, i%60), ""))
		}
		write(t, filepath.Join(dir, fmt.Sprintf("f%d.json.gz", f)), gzipped(t, s3File(recs...)))
	}
	one, err := replay.Run(replay.Options{Rules: catalogRules(), Inputs: []string{dir}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	many, err := replay.Run(replay.Options{Rules: catalogRules(), Inputs: []string{dir}, Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Alarms) != len(many.Alarms) || len(one.Alarms) == 0 {
		t.Fatalf("%d alarms with 8 workers, %d with 1", len(many.Alarms), len(one.Alarms))
	}
	for i := range one.Alarms {
		if one.Alarms[i].ID != many.Alarms[i].ID || one.Alarms[i].Matches != many.Alarms[i].Matches {
			t.Errorf("%s: %d matches with 8 workers, %d with 1", one.Alarms[i].ID, many.Alarms[i].Matches, one.Alarms[i].Matches)
		}
	}
	if vpc := alarm(t, many, "VpcChanges").Matches; vpc != 6*300/4 {
		t.Errorf("VpcChanges: %d matches, want %d", vpc, 6*300/4)
	}
}

// TestFromCatalogUsesTheRowsNamespace: the CIS rows publish to LogMetrics, so that is the metric
// replay reports (it used to say CloudTrailMetrics for every row, unlike the deployed stack).
func TestFromCatalogUsesTheRowsNamespace(t *testing.T) {
	rows, err := catalog.Resolve("Cis1RootUsage,IAMPolicyChanges")
	if err != nil {
		t.Fatal(err)
	}
	rules := replay.FromCatalog(rows, replay.DefaultPeriod)
	want := map[string]string{"Cis1RootUsage": "LogMetrics", "IAMPolicyChanges": "CloudTrailMetrics"}
	for _, r := range rules {
		if r.Namespace != want[r.ID] {
			t.Errorf("%s: namespace %q, want %q", r.ID, r.Namespace, want[r.ID])
		}
	}
}

// TestFromCatalogUsesTheRowsPeriod: a row's own period wins; the default (replay --period) is for
// rows that set none. Replay used to give every row the default.
func TestFromCatalogUsesTheRowsPeriod(t *testing.T) {
	own := catalog.AWS()[0]
	own.PeriodSeconds = 900
	other := catalog.AWS()[1]
	rules := replay.FromCatalog([]catalog.Alarm{own, other}, 600)
	if got := rules[0].Alarm.Period; got != 900 {
		t.Errorf("%s: period %d, want the row's 900", own.ID, got)
	}
	if got := rules[1].Alarm.Period; got != 600 {
		t.Errorf("%s: period %d, want the default 600", other.ID, got)
	}
}

// TestFromCatalogEvaluatesAsTheCatalogSays: every setting of a catalog rule is the catalog's.
func TestFromCatalogEvaluatesAsTheCatalogSays(t *testing.T) {
	for _, row := range append(catalog.AWS(), catalog.CIS()...) {
		ev := row.Evaluation("", 0)
		r := replay.FromCatalog([]catalog.Alarm{row}, replay.DefaultPeriod)[0]
		a := r.Alarm
		if r.MetricName != ev.MetricName || r.Namespace != ev.Namespace || r.Filters[0].Value != 1 ||
			string(a.Statistic) != ev.Statistic || string(a.Comparison) != ev.ComparisonOperator ||
			a.Period != int64(ev.PeriodSeconds) || a.EvaluationPeriods != ev.EvaluationPeriods ||
			a.DatapointsToAlarm != ev.DatapointsToAlarm || string(a.TreatMissingData) != ev.TreatMissingData ||
			a.Threshold != ev.Threshold {
			t.Errorf("%s: rule %+v alarm %+v, catalog says %+v", row.ID, r, *a, ev)
		}
	}
	if err := replay.Validate(replay.FromCatalog(append(catalog.AWS(), catalog.CIS()...), replay.DefaultPeriod)); err != nil {
		t.Errorf("replay cannot evaluate the catalog's settings: %v", err)
	}
}
