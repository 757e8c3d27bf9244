package doctor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/google/go-cmp/cmp"

	"github.com/trailwatch/trailwatch/internal/awstest"
	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// patternDoctor is a doctor whose clients talk to f, for the --test-patterns functions.
func patternDoctor(t *testing.T, f *fakeAWS) *doctor {
	t.Helper()
	testEnv(t)
	cfg, err := loadConfig(t.Context(), "", "", f.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return &doctor{c: newClients(cfg), account: testAccount, opts: &Options{}, now: time.Now(), physical: map[string]string{}}
}

// testOne sends each distinct proof record once; a record that is empty, over the log event
// limit or not UTF-8 is not sent and is counted in the detail. A record listed twice (in fires
// and quiet) keeps its first verdict. "ResponseReadFails" is what CI once hit: Go's transport
// closed the connection under the 200 answer, the SDK retried the call, and the fake counted
// each record twice; the fake now answers a retried call it has answered once (awstest).
func TestTestOneSendsWhatTheAPIAccepts(t *testing.T) {
	for _, c := range []struct {
		name      string
		readFails int
	}{{"ResponseRead", 0}, {"ResponseReadFails", 1}} {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeAWS(t)
			w := emptyWorld(time.Now())
			w.serve(f)
			attempts := 0
			testAPIOptions = []func(*middleware.Stack) error{closeResponses(c.readFails, &attempts)}
			t.Cleanup(func() { testAPIOptions = nil })
			d := patternDoctor(t, f)
			fires := `{"eventName":"StopLogging"}`
			atLimit := `{"eventName":"StopLogging","x":"` + strings.Repeat("a", maxMessageLength-len(`{"eventName":"StopLogging","x":""}`)) + `"}`
			row := catalog.Alarm{
				Fires: []string{fires, fires, atLimit, ""},
				Quiet: []string{`{"eventName":"StartLogging"}`, fires, strings.Repeat("b", maxMessageLength+1), "\xff"},
			}
			got := d.testOne(t.Context(), "Row", `{ $.eventName = "StopLogging" }`, row, true)
			want := ok("patterns", "Row", "AWS and the engine agree with the proof on 3 records (4 fire, 4 quiet); 3 records over the 262118-byte log event limit not sent")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("testOne (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{fires, atLimit, `{"eventName":"StartLogging"}`}, w.tmfSent); diff != "" {
				t.Errorf("records sent (-want +got):\n%s", diff)
			}
			// At least: on a loaded machine the transport itself may close a connection too.
			if got := f.called("logs:TestMetricFilter"); attempts < 1+c.readFails || got != 1 {
				t.Errorf("%d attempts reached the fake %d times, want at least %d attempts reaching it once", attempts, got, 1+c.readFails)
			}
		})
	}
}

// closeResponses makes reading the first n responses end as a connection Go's transport closed
// under it: the body arrives, then net.ErrClosed, which the SDK retries. It counts the attempts
// answered in *attempts.
func closeResponses(n int, attempts *int) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		return s.Deserialize.Add(middleware.DeserializeMiddlewareFunc("closeResponses", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if resp, ok := out.RawResponse.(*smithyhttp.Response); ok {
				*attempts++
				if n > 0 {
					n--
					resp.Body = awstest.ClosedAtEnd(resp.Body)
				}
			}
			return out, md, err
		}), middleware.After)
	}
}

// A benchmark filter must match at least one Fires record, none of the Quiet ones, and AWS and
// the engine must agree on each Fires record.
func TestTestOneBenchmarkFilter(t *testing.T) {
	row := catalog.Alarm{
		Fires: []string{`{"eventName":"A"}`, `{"eventName":"B"}`},
		Quiet: []string{`{"eventName":"C"}`},
	}
	cases := []struct {
		name, pattern string
		flips         map[string]bool
		want          Result
	}{
		{"MatchesOne", `{ $.eventName = "A" }`, nil,
			ok("patterns", "Row", "AWS and the engine agree with the proof on 3 records (2 fire, 1 quiet); as a benchmark filter it matches 1 of them")},
		{"MatchesBoth", `{ $.eventName = "A" || $.eventName = "B" }`, nil,
			ok("patterns", "Row", "AWS and the engine agree with the proof on 3 records (2 fire, 1 quiet); as a benchmark filter it matches 2 of them")},
		{"MatchesNone", `{ $.eventName = "D" }`, nil,
			fail("patterns", "Row", "matches none of the row's Fires records", "the benchmark pattern must match at least one: fix the catalog row")},
		{"AWSDiffersOnAFiresRecord", `{ $.eventName = "A" }`, map[string]bool{`{"eventName":"B"}`: true},
			Result{Check: "patterns", Subject: "Row", Status: Fail, Detail: "1 of 3 proof records disagree",
				Fix:           "report it with the lines below: where AWS and the engine differ the engine is wrong (pkg/filterpattern/SEMANTICS.md); where both differ from the proof, the proof record is wrong",
				Disagreements: []Disagreement{{Record: `{"eventName":"B"}`, Proof: "fires (the row's)", AWS: true, Engine: false}}}},
		{"MatchesAQuietRecord", `{ $.eventName = "A" || $.eventName = "C" }`, nil,
			Result{Check: "patterns", Subject: "Row", Status: Fail, Detail: "1 of 3 proof records disagree",
				Fix:           "report it with the lines below: where AWS and the engine differ the engine is wrong (pkg/filterpattern/SEMANTICS.md); where both differ from the proof, the proof record is wrong",
				Disagreements: []Disagreement{{Record: `{"eventName":"C"}`, Proof: "quiet", AWS: true, Engine: true}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeAWS(t)
			w := emptyWorld(time.Now())
			w.awsFlips = c.flips
			w.serve(f)
			got := patternDoctor(t, f).testOne(t.Context(), "Row", c.pattern, row, false)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("testOne (-want +got):\n%s", diff)
			}
		})
	}
}

// A pattern the engine cannot parse is skipped with the engine's reason, and nothing is sent.
func TestTestOneUnparsablePattern(t *testing.T) {
	f := newFakeAWS(t)
	emptyWorld(time.Now()).serve(f)
	got := patternDoctor(t, f).testOne(t.Context(), "Row", `{ $.a = `, catalog.Alarm{Fires: []string{"x"}}, true)
	if got.Status != Skip || !strings.HasPrefix(got.Detail, "the engine does not evaluate this pattern: ") || got.Subject != "Row" || got.Check != "patterns" {
		t.Errorf("testOne = %+v, want a skip naming the engine's error", got)
	}
	if n := f.called("logs:TestMetricFilter"); n != 0 {
		t.Errorf("TestMetricFilter called %d times", n)
	}
}

// A tamper filter doctor cannot regenerate is skipped with the reason; one naming a resource the
// stack does not list is skipped naming it; a tamper row ID this trailwatch does not generate
// fails.
func TestTestTamperCannotCompare(t *testing.T) {
	exp, _ := loadGolden(t, "default")
	f := newFakeAWS(t)
	healthyWorld(exp, time.Now()).serve(f)
	d := patternDoctor(t, f)
	d.exp = exp
	var tf Filter
	for _, fl := range exp.Filters {
		if fl.RowID == "TamperLogFiles" {
			tf = fl
		}
	}
	if len(tf.Refs) == 0 {
		t.Fatal("the default golden's TamperLogFiles filter names no deploy-time resource")
	}
	rows := map[string]catalog.Alarm{"TamperLogFiles": {ID: "TamperLogFiles"}}

	got := d.testTamper(t.Context(), "S", tf, nil, "no prefix")
	if want := skip("patterns", "S", "a tamper row; cannot generate it again: no prefix"); !cmp.Equal(got, want) {
		t.Errorf("why: %+v, want %+v", got, want)
	}
	got = d.testTamper(t.Context(), "S", tf, rows, "")
	if want := skip("patterns", "S", "a tamper row whose pattern names "+strings.Join(tf.Refs, ", ")+", which the deployed stack does not list"); got.Status != want.Status || got.Detail != want.Detail {
		t.Errorf("missing names: %+v, want %+v", got, want)
	}
	for _, ref := range tf.Refs {
		d.physical[ref] = "physical-" + ref
	}
	tf.RowID = "TamperNope"
	got = d.testTamper(t.Context(), "S", tf, rows, "")
	want := fail("patterns", "S", "the tamper pattern does not match what this trailwatch would generate: it generates no TamperNope row for this stack's names",
		"synthesize with this trailwatch version and cdk deploy, then rerun")
	if got.Status != want.Status || got.Detail != want.Detail || got.Fix != want.Fix {
		t.Errorf("unknown row: %+v, want %+v", got, want)
	}
}

// A template without the TamperAlarms alarm gives no alarm name prefix, so tamper rows are not
// regenerated, and --test-patterns says why.
func TestTamperRowsNeedTheTamperAlarmsAlarm(t *testing.T) {
	exp, _ := loadGolden(t, "default")
	d := &doctor{exp: exp, account: testAccount, physical: map[string]string{}}
	var kept []Alarm
	for _, a := range exp.Alarms {
		if a.RowID != catalog.TamperAlarmsID {
			kept = append(kept, a)
		}
	}
	d.exp.Alarms = kept
	rows, why := d.tamperRows()
	if rows != nil || why != "the template has no TamperAlarms alarm to learn the alarm name prefix from" {
		t.Errorf("tamperRows = %v, %q", rows, why)
	}
}

// A catalog row whose template pattern is not this trailwatch's is skipped, not tested against
// the catalog's proof records; a filter outside the Alarms scope is named by its logical ID.
func TestPatternsOfAnotherVersionSkipped(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", "default.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), `($.errorCode = \"AccessDenied*\")`, `($.errorCode = \"AccessDenied\")`, 1)
	edited = strings.Replace(edited, "Trailwatch/Alarms/VpcChanges/Filter/Resource", "Trailwatch/Extra/VpcFilter/Resource", 1)
	if strings.Count(edited, "AccessDenied\\\")") != 1 || !strings.Contains(edited, "Trailwatch/Extra/VpcFilter/Resource") {
		t.Fatal("the default golden changed: no AccessDenied* pattern or no VpcChanges filter to edit")
	}
	path := filepath.Join(t.TempDir(), "older.template.json")
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	exp, err := ReadTemplate([]byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeAWS(t)
	healthyWorld(exp, time.Now()).serve(f)
	r := runDoctorPath(t, f, path, "--test-patterns")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d, want 0:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout,
		"\n- patterns AuthorizationFailures: the template's pattern is not this trailwatch's catalog pattern: synthesize with this version and rerun\n",
		"\n- patterns AlarmsVpcChangesFilter",
		": no proof records in the catalog (a row of an alarms file); its fires/quiet records were proven by the engine at synth\n")
}
