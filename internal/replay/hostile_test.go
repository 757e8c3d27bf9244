package replay

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/cfn"
	"github.com/trailwatch/trailwatch/internal/cloudtrail"
)

// Hostile input, replay's side: every limit enforced with its message, at its boundary.

func TestRejectsOptionsOutOfRange(t *testing.T) {
	rules := []Rule{{ID: "R", Filters: []Filter{{Name: "f", Pattern: "{ $.a = 1 }", Value: 1}}}}
	tests := []struct {
		o    Options
		want string // "" = accepted
	}{
		{Options{Workers: 1}, ""},
		{Options{Workers: MaxWorkers()}, ""},
		{Options{Workers: MaxWorkers() + 1}, fmt.Sprintf("--workers %d: want 1 to %d (4 per CPU", MaxWorkers()+1, MaxWorkers())},
		{Options{Workers: 9223372036854775807}, "--workers 9223372036854775807: want 1 to"},
		{Options{Workers: -1}, "--workers -1: want 1 to"},
		{Options{UnwatchedPeriod: MaxPeriod}, ""},
		{Options{UnwatchedPeriod: MaxPeriod + 60}, "--period 604860: want a multiple of 60 seconds from 60 to 604800"},
		{Options{UnwatchedPeriod: 300000000000}, "--period 300000000000: want a multiple of 60"},
		{Options{UnwatchedPeriod: 90}, "--period 90: want a multiple of 60"},
		{Options{TopN: MaxTopN}, ""},
		{Options{TopN: MaxTopN + 1}, "--top 101: want 1 to 100"},
		{Options{TopN: -5}, "--top -5: want 1 to 100"},
	}
	for _, tt := range tests {
		tt.o.Rules = rules
		tt.o.Inputs = []string{os.DevNull}
		_, err := Run(tt.o)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%+v: %v, want accepted", tt.o, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrOption)):
			t.Errorf("%+v: error %v, want ErrOption containing %q", tt.o, err, tt.want)
		}
	}
}

func TestRejectsEvaluationsCloudWatchRefuses(t *testing.T) {
	alarm := func(period int64, n, m int, threshold float64) []Rule {
		return []Rule{{ID: "R", Filters: []Filter{{Name: "f", Pattern: "", Value: 1}}, Alarm: &Alarm{
			Name: "A", Threshold: threshold, Comparison: GreaterOrEqual, Statistic: Sum, Period: period,
			EvaluationPeriods: n, DatapointsToAlarm: m, TreatMissingData: NotBreaching}}}
	}
	tests := []struct {
		rules []Rule
		want  string
	}{
		{alarm(60, 1440, 1, 1), ""},    // 1 day of 1-minute periods: the limit under an hour
		{alarm(3600, 168, 168, 1), ""}, // 7 days of hours
		{alarm(604800, 1, 1, 1), ""},   // one 7-day period
		{alarm(60, 1441, 1, 1), "R: evaluation range 1441 periods x 60 s exceeds CloudWatch's limit of 86400 s (1 day for periods under an hour)"},
		{alarm(3600, 169, 1, 1), "R: evaluation range 169 periods x 3600 s exceeds CloudWatch's limit of 604800 s (7 days)"},
		{alarm(604860, 1, 1, 1), "R: period 604860 s: CloudWatch allows 10, 20, 30 or a multiple of 60 up to 604800 s (7 days)"},
		{alarm(30, 1, 1, 1), "R: unsupported period 30 s: a high-resolution period"},
		{alarm(45, 1, 1, 1), "R: period 45 s: CloudWatch allows 10, 20, 30 or a multiple of 60"},
		{alarm(300, 2147483647, 1, 1), "R: evaluation range 2147483647 periods x 300 s exceeds"},
		{alarm(300, 1, 2, 1), "R: evaluation: 2 datapoints to alarm out of 1 periods (CloudWatch needs 1 <= DatapointsToAlarm <= EvaluationPeriods)"},
		{alarm(300, 0, 0, 1), "R: evaluation: 0 datapoints to alarm out of 0 periods"},
		{alarm(300, 1, 1, math.Inf(1)), "R: threshold +Inf is not a finite number"},
	}
	for _, tt := range tests {
		err := Validate(tt.rules)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%+v: %v, want %q", *tt.rules[0].Alarm, err, tt.want)
		}
	}
}

func TestRejectsTemplateValuesOutOfRange(t *testing.T) {
	tmpl := func(alarmProps, value string) []byte {
		return []byte(`{"Resources":{
  "F":{"Type":"AWS::Logs::MetricFilter","Properties":{"FilterPattern":"{ $.a = 1 }","LogGroupName":"g",
    "MetricTransformations":[{"MetricName":"M","MetricNamespace":"N","MetricValue":` + value + `}]}},
  "A":{"Type":"AWS::CloudWatch::Alarm","Properties":{"MetricName":"M","Namespace":"N","Statistic":"Sum",
    "ComparisonOperator":"GreaterThanOrEqualToThreshold",` + alarmProps + `}}}}`)
	}
	tests := []struct {
		doc  []byte
		want string
	}{
		{tmpl(`"Threshold":1,"Period":300,"EvaluationPeriods":288`, `"1"`), ""},
		{tmpl(`"Threshold":1,"Period":300,"EvaluationPeriods":289`, `"1"`), "A: evaluation range 289 periods x 300 s exceeds CloudWatch's limit of 86400 s"},
		{tmpl(`"Threshold":1,"Period":300,"EvaluationPeriods":1e300`, `"1"`), "A: EvaluationPeriods 1e300 is not a whole number from 0 to 2147483648"},
		{tmpl(`"Threshold":1,"Period":300.5,"EvaluationPeriods":1`, `"1"`), "A: Period 300.5 is not a whole number"},
		{tmpl(`"Threshold":1,"Period":300,"EvaluationPeriods":2,"DatapointsToAlarm":-1`, `"1"`), "A: DatapointsToAlarm -1 is not a whole number"},
		{tmpl(`"Threshold":"NaN","Period":300,"EvaluationPeriods":1`, `"1"`), `A: Threshold "NaN" is not a number`},
		{tmpl(`"Threshold":"Infinity","Period":300,"EvaluationPeriods":1`, `"1"`), `A: Threshold "Infinity" is not a number`},
		{tmpl(`"Threshold":1,"Period":300,"EvaluationPeriods":1`, `"1e200"`), "A: filter F: MetricValue and DefaultValue must be numbers from -2^360 to 2^360"},
		{tmpl(`"Threshold":1,"Period":300,"EvaluationPeriods":1`, `"1e400"`), "F: unsupported MetricValue \"1e400\""},
	}
	for _, tt := range tests {
		rules, err := FromTemplate(tt.doc)
		if err == nil {
			err = Validate(rules)
		}
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("template %s:\nerror %v\nwant  %q", tt.doc, err, tt.want)
		}
	}
}

func TestRejectsTemplateFilesOverTheLimit(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.json")
	big := filepath.Join(dir, "big.json")
	// Exactly MaxTemplateBytes is read; one more byte is refused before anything is parsed.
	pad := func(n int) []byte {
		doc := []byte(`{"Resources":{}}`)
		return append(doc, []byte(strings.Repeat(" ", n-len(doc)))...)
	}
	os.WriteFile(ok, pad(MaxTemplateBytes), 0o644)
	os.WriteFile(big, pad(MaxTemplateBytes+1), 0o644)
	if _, err := ReadTemplate(ok); err == nil || !strings.Contains(err.Error(), "no AWS::Logs::MetricFilter resources") {
		t.Errorf("template of exactly %d bytes: %v, want it parsed (and found empty)", MaxTemplateBytes, err)
	}
	want := big + ": template: larger than 1048576 bytes (1 MiB; CloudFormation's largest template body is 1 MB)"
	if _, err := ReadTemplate(big); err == nil || err.Error() != want {
		t.Errorf("template of %d bytes: %v\nwant %s", MaxTemplateBytes+1, err, want)
	}
	if _, err := ReadTemplate("/dev/zero"); err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Errorf("/dev/zero: %v, want the size limit", err)
	}
}

func TestEventTimeRejectsImpossibleDates(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{`"2024-02-29T12:00:00Z"`, true},
		{`"2026-02-31T12:00:00Z"`, false}, // was read as 2026-03-03
		{`"2025-02-29T00:00:00Z"`, false},
		{`"2026-04-31T00:00:00Z"`, false},
		{`"2026-01-01T00:00:60Z"`, false}, // time.Parse refuses a 60th second too
		{`"2026-02-31T12:00:00.5Z"`, false},
		{`"1970-01-01T00:00:00Z"`, true},
		{`"1969-12-31T23:59:59Z"`, false},
		{`"9998-12-31T23:59:59Z"`, true},
		{`"9999-01-01T00:00:00Z"`, false}, // its period would end in a year JSON cannot write
		{`"9999-12-31T23:59:59Z"`, false},
	}
	for _, tt := range tests {
		if _, ok := parseEventTime([]byte(tt.in)); ok != tt.ok {
			t.Errorf("parseEventTime(%s) ok = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

// FuzzEventTime checks the hand-written parser of CloudTrail's layout against time.Parse.
func FuzzEventTime(f *testing.F) {
	for _, s := range []string{"2024-05-01T12:34:56Z", "2026-02-31T12:00:00Z", "2024-02-29T23:59:60Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		raw, _ := json.Marshal(s)
		got, ok := parseEventTime(raw)
		want, err := time.Parse(time.RFC3339Nano, s)
		wantOK := err == nil && want.Unix() >= minEventTime && want.Unix() <= maxEventTime
		if ok != wantOK || (ok && got != want.Unix()) {
			t.Errorf("parseEventTime(%s) = %d, %v; time.Parse: %v, %v", raw, got, ok, want, err)
		}
	})
}

// naiveEvaluate is CloudWatch's rule written the slow way: every period from first to last, its
// window looked at whole.
func naiveEvaluate(a *Alarm, data []datapoint, first, last int64) map[int64]State {
	byStart := map[int64]float64{}
	for _, d := range data {
		byStart[d.start] = d.value
	}
	out := map[int64]State{}
	prev := StateInsufficient
	for p := first; p <= last; p += a.Period {
		breach, present := 0, 0
		for k := int64(0); k < int64(a.EvaluationPeriods); k++ {
			if v, ok := byStart[p-k*a.Period]; ok {
				present++
				if a.Comparison.breaches(v, a.Threshold) {
					breach++
				}
			}
		}
		var st State
		switch {
		case a.TreatMissingData == NotBreaching:
			st = pick(breach >= a.DatapointsToAlarm, StateAlarm, StateOK)
		case a.TreatMissingData == Breaching:
			st = pick(breach+a.EvaluationPeriods-present >= a.DatapointsToAlarm, StateAlarm, StateOK)
		case present == 0 && a.TreatMissingData == MissingMissing:
			st = StateInsufficient
		case present == 0:
			st = prev
		default:
			st = pick(breach >= a.DatapointsToAlarm, StateAlarm, StateOK)
		}
		out[p] = st
		prev = st
	}
	return out
}

// evaluate now jumps from event to event; it must agree with the period-by-period rule.
func TestEvaluateAgreesWithPeriodByPeriod(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		n := 1 + r.IntN(6)
		a := &Alarm{Period: 60, EvaluationPeriods: n, DatapointsToAlarm: 1 + r.IntN(n), Threshold: 2,
			Comparison:       []Comparison{GreaterOrEqual, Greater, Less, LessOrEqual}[r.IntN(4)],
			TreatMissingData: []Missing{NotBreaching, Breaching, Ignore, MissingMissing}[r.IntN(4)]}
		var data []datapoint
		density := []int{4, 2, 1 << 30}[i%3] // one case in three has (almost surely) no data at all
		for p := int64(0); p < 40; p++ {
			if r.IntN(density) == 0 {
				data = append(data, datapoint{p * 60, float64(r.IntN(4))})
			}
		}
		first, last := int64(0), int64(39*60)
		if len(data) > 0 {
			first = data[0].start
		}
		want := naiveEvaluate(a, data, first, last)
		got := map[int64]State{}
		byStart := map[int64]float64{}
		for _, d := range data {
			byStart[d.start] = d.value
		}
		runs := evaluate(a, data, first, last)
		// The runs cover first..last in order, none empty; a run with a value is the one period of
		// a datapoint, with its value; a run without holds no datapoint.
		next := first
		for _, run := range runs {
			if run.start != next || run.end < run.start {
				t.Fatalf("case %d (%+v, data %v): run %+v after period %d", i, *a, data, run, next-60)
			}
			for p := run.start; p <= run.end; p += 60 {
				if v, ok := byStart[p]; ok != (run.value != nil) || (ok && (run.start != run.end || *run.value != v)) {
					t.Fatalf("case %d (%+v, data %v): run %+v, value %v, datapoint at %d: %v %v", i, *a, data, run, run.value, p, v, ok)
				}
			}
			next = run.end + 60
		}
		if next != last+60 {
			t.Fatalf("case %d: runs end at %d, want %d", i, next-60, last)
		}
		for _, run := range runs {
			for p := run.start; p <= run.end; p += 60 {
				if _, dup := got[p]; dup {
					t.Fatalf("case %d: period %d in two runs", i, p)
				}
				got[p] = run.state
			}
		}
		for p := first; p <= last; p += 60 {
			if got[p] != want[p] {
				t.Fatalf("case %d (%+v, data %v): period %d is %s, want %s", i, *a, data, p, got[p], want[p])
			}
		}
	}
}

func TestListsAtMostMaxEpisodes(t *testing.T) {
	var runs []run
	for i := range int64(MaxEpisodes + 5) {
		runs = append(runs, run{start: i * 600, end: i * 600, state: StateAlarm}, run{start: i*600 + 300, end: i*600 + 300, state: StateOK})
	}
	var ar AlarmReport
	summarize(&ar, runs, 300)
	if ar.EpisodeCount != MaxEpisodes+5 || len(ar.Episodes) != MaxEpisodes || !ar.EpisodesTruncated {
		t.Errorf("episodes: count %d, listed %d, truncated %v; want %d, %d, true", ar.EpisodeCount, len(ar.Episodes), ar.EpisodesTruncated, MaxEpisodes+5, MaxEpisodes)
	}
	if len(ar.AlarmPeriods) != MaxPeriodsListed || !ar.AlarmPeriodsTruncated || ar.AlarmPeriodCount != MaxEpisodes+5 {
		t.Errorf("periods: listed %d, truncated %v, count %d", len(ar.AlarmPeriods), ar.AlarmPeriodsTruncated, ar.AlarmPeriodCount)
	}
}

// Duplicate keys: the engine takes the last value (as CloudWatch Logs does); replay's time
// bucket and top lists must read the same record the same way.
func TestDuplicateKeysUseTheLastValueEverywhere(t *testing.T) {
	dir := t.TempDir()
	rec := `{"eventVersion":"1.08","eventTime":"2020-01-01T00:00:00Z","eventName":"Decoy","sourceIPAddress":"198.51.100.1",` +
		`"userIdentity":{"arn":"first"},"userIdentity":{"arn":"arn:aws:iam::111122223333:user/last"},` +
		`"eventSource":"ec2.amazonaws.com","eventName":"CreateVpc","event\u0054ime":"2024-05-01T12:00:00Z","sourceIPAddress":"192.0.2.9"}`
	os.WriteFile(filepath.Join(dir, "dup.jsonl"), []byte(rec+"\n"), 0o644)
	rules := []Rule{{ID: "Vpc", Filters: []Filter{{Name: "f", Pattern: "{ $.eventName = CreateVpc }", Value: 1}}, Alarm: &Alarm{
		Name: "A", Threshold: 1, Comparison: GreaterOrEqual, Statistic: Sum, Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: NotBreaching}}}
	rep, err := Run(Options{Rules: rules, Inputs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Alarms[0]
	if a.Matches != 1 || a.FirstMatch.Format(time.RFC3339) != "2024-05-01T12:00:00Z" || len(a.AlarmPeriods) != 1 || a.AlarmPeriods[0].Start.Format(time.RFC3339) != "2024-05-01T12:00:00Z" {
		t.Errorf("matched %d at %v, periods %+v; want one match and one period at 2024-05-01T12:00:00Z (the last eventTime)", a.Matches, a.FirstMatch, a.AlarmPeriods)
	}
	top := fmt.Sprint(a.TopPrincipals, a.TopEventNames, a.TopSourceIPs)
	if top != "[{arn:aws:iam::111122223333:user/last 1}] [{CreateVpc 1}] [{192.0.2.9 1}]" {
		t.Errorf("top lists = %s, want the last principal, event name and source IP", top)
	}
}

// A file is read once however it is named; a symlinked directory is followed, a symlink loop is
// not walked twice.
func TestReadsEachFileOnce(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	rec := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc"}`
	os.MkdirAll(filepath.Join(tree, "sub"), 0o755)
	file := filepath.Join(tree, "sub", "a.jsonl")
	os.WriteFile(file, []byte(rec+"\n"), 0o644)
	other := filepath.Join(dir, "other")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "b.jsonl"), []byte(rec+"\n"), 0o644)
	must(t, os.Symlink(other, filepath.Join(tree, "linked")))     // a symlinked directory: followed
	must(t, os.Symlink(tree, filepath.Join(tree, "sub", "loop"))) // a loop back to the top
	must(t, os.Symlink(file, filepath.Join(dir, "alias.jsonl")))  // a second name for a.jsonl
	rules := []Rule{{ID: "Vpc", Filters: []Filter{{Name: "f", Pattern: "{ $.eventName = CreateVpc }", Value: 1}}, Alarm: &Alarm{
		Name: "A", Threshold: 2, Comparison: GreaterOrEqual, Statistic: Sum, Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: NotBreaching}}}
	rep, err := Run(Options{Rules: rules, Inputs: []string{tree, file, filepath.Join(dir, "alias.jsonl"), tree + "/", filepath.Join(tree, "linked")}})
	if err != nil {
		t.Fatal(err)
	}
	// a.jsonl and b.jsonl: two records, so the threshold of 2 is reached once, honestly. Counting
	// a.jsonl three times would have raised the alarm on a single record's evidence.
	if rep.Totals.RecordsRead != 2 || rep.Totals.FilesRead != 2 || rep.Totals.RecordsSkipped != 0 {
		t.Errorf("read %d records from %d files, %d skipped; want 2 from 2, 0", rep.Totals.RecordsRead, rep.Totals.FilesRead, rep.Totals.RecordsSkipped)
	}
	var reasons []string
	for _, ig := range rep.Totals.Ignored {
		reasons = append(reasons, strings.TrimPrefix(ig.File, dir)+": "+strings.ReplaceAll(ig.Reason, dir, ""))
	}
	want := []string{
		"/alias.jsonl: same file as " + "/tree/sub/a.jsonl (named twice); read once",
		"/tree/: same directory as /tree (a symlink loop, or named twice); read once",
		"/tree/linked: same directory as /tree/linked (a symlink loop, or named twice); read once",
		"/tree/sub/a.jsonl: same file as /tree/sub/a.jsonl (named twice); read once",
		"/tree/sub/loop: same directory as /tree (a symlink loop, or named twice); read once",
	}
	if got := strings.Join(reasons, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("ignored:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if rep.Totals.IgnoredCount != int64(len(want)) {
		t.Errorf("ignored_count = %d, want %d", rep.Totals.IgnoredCount, len(want))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Deep nesting is reported, not worked through: the engine's one limit (10000 levels) for a record,
// one level of array unwrapping for the reader.
func TestNestingIsBounded(t *testing.T) {
	dir := t.TempDir()
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	deepRecord := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","x":` + strings.Repeat(`{"a":`, 10001) + "1" + strings.Repeat("}", 10001) + "}"
	okRecord := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","x":` + strings.Repeat(`{"a":`, 9998) + "1" + strings.Repeat("}", 9998) + "}"
	os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(deep+"\n"+deepRecord+"\n"+okRecord+"\n"), 0o644)
	rep, err := Run(Options{Rules: []Rule{{ID: "R", Filters: []Filter{{Name: "f", Pattern: "", Value: 1}}}}, Inputs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range rep.Totals.Skipped {
		got = append(got, fmt.Sprintf("%d %s %s", p.Line, p.Reason, p.Detail))
	}
	want := []string{
		"1 not_cloudtrail array nested in an array (no CloudTrail input has that shape)",
		"2 bad_json record is not valid JSON: byte 50057: nesting deeper than 10000 levels",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || rep.Totals.RecordsRead != 1 {
		t.Errorf("skipped:\n%s\nwant:\n%s\nand 1 record read (got %d)", strings.Join(got, "\n"), strings.Join(want, "\n"), rep.Totals.RecordsRead)
	}
}

var _ = cloudtrail.MaxValue

// Nested Fn::Join used to be resolved level by level, re-decoding everything inside each level:
// 3,300 levels (66 KB) took 12 s. Past cfn's maxIntrinsicDepth an intrinsic is not fixed at synthesis,
// and the message quotes it cut short.
func TestDeepIntrinsicsAreRefusedWithAShortMessage(t *testing.T) {
	v := `"{ $.a = 1 }"`
	for range 3300 {
		v = `{"Fn::Join":["",[` + v + `]]}`
	}
	doc := `{"Resources":{"F":{"Type":"AWS::Logs::MetricFilter","Properties":{"FilterPattern":` + v +
		`,"MetricTransformations":[{"MetricName":"M","MetricNamespace":"N","MetricValue":"1"}]}}}}`
	_, err := FromTemplate([]byte(doc))
	if err == nil || !strings.Contains(err.Error(), `F: unsupported FilterPattern {"Fn::Join":["",[{"Fn::Join"`) || !strings.Contains(err.Error(), "…: replay needs the pattern text") || len(err.Error()) > 300 {
		t.Errorf("error = %.400v; want the FilterPattern refused, quoted in at most 120 bytes", err)
	}
	// The CDK's own nesting (a join of a join) still resolves.
	two := `{"Fn::Join":["",[{"Fn::Join":["",["{ $.a ", "= 1 }"]]}]]}`
	if s, ok := cfn.StaticString([]byte(two)); !ok || s != "{ $.a = 1 }" {
		t.Errorf("cfn.StaticString(%s) = %q, %v", two, s, ok)
	}
}
