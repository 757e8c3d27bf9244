package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/awstest"

	"github.com/aws/aws-sdk-go-v2/aws"
	athenasvc "github.com/aws/aws-sdk-go-v2/service/athena"

	"github.com/trailwatch/trailwatch/internal/athena"
	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/internal/replay"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// The fixture (testdata/athena) is DuckDB's result of the replay query for these alarms and
// table over records.jsonl; internal/athena's TestCLIFixtureIsDuckDBsResult keeps it so.
const (
	fixtureAlarms = "aws,cis"
	fixtureTable  = "cloudtrail"
)

// fakeAthena speaks Athena's protocol (AWS JSON 1.1: POST /, X-Amz-Target: AmazonAthena.<Op>) for
// the calls replay --athena makes, answering GetQueryResults with the fixture's rows, pageSize a
// page (the first page starts with the column labels, as Athena's does).
type fakeAthena struct {
	t          *testing.T
	header     []string
	rows       [][]string
	pageSize   int
	failWith   string // GetQueryExecution says FAILED with this reason
	throttleAt string // the NextToken whose first GetQueryResults call is throttled

	mu        sync.Mutex
	query     string
	workgroup string
	database  string
	polls     int
	pages     int
	throttled int
	stopped   int
}

func newFakeAthena(t *testing.T) *fakeAthena {
	var res struct {
		Header []string   `json:"header"`
		Rows   [][]string `json:"rows"`
	}
	b, err := os.ReadFile("testdata/athena/result.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	return &fakeAthena{t: t, header: res.Header, rows: res.Rows, pageSize: 1000}
}

func (f *fakeAthena) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	reply := func(code int, v any) {
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(v)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" || r.Method != http.MethodPost {
		reply(400, map[string]string{"__type": "InvalidRequestException", "message": "want POST application/x-amz-json-1.1, got " + r.Method + " " + ct})
		return
	}
	switch op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AmazonAthena."); op {
	case "StartQueryExecution":
		f.query, _ = in["QueryString"].(string)
		f.workgroup, _ = in["WorkGroup"].(string)
		if ctx, ok := in["QueryExecutionContext"].(map[string]any); ok {
			f.database, _ = ctx["Database"].(string)
		}
		reply(200, map[string]any{"QueryExecutionId": "qe-1"})
	case "GetQueryExecution":
		f.polls++
		status := map[string]any{"State": "RUNNING"}
		if f.polls > 1 {
			status = map[string]any{"State": "SUCCEEDED"}
			if f.failWith != "" {
				status = map[string]any{"State": "FAILED", "StateChangeReason": f.failWith}
			}
		}
		reply(200, map[string]any{"QueryExecution": map[string]any{
			"QueryExecutionId": in["QueryExecutionId"], "Status": status,
			"Statistics": map[string]any{"DataScannedInBytes": 123456789},
		}})
	case "GetQueryResults":
		token, _ := in["NextToken"].(string)
		if token == f.throttleAt && f.throttled == 0 {
			f.throttled++
			reply(400, map[string]string{"__type": "TooManyRequestsException", "message": "Rate exceeded"})
			return
		}
		f.pages++
		from, _ := strconv.Atoi(token)
		to := min(from+f.pageSize, len(f.rows))
		var rows []any
		datum := func(cells []string, nullEmpty bool) any {
			var data []any
			for _, c := range cells {
				if c == "" && nullEmpty {
					data = append(data, map[string]any{}) // NULL: no VarCharValue
				} else {
					data = append(data, map[string]any{"VarCharValue": c})
				}
			}
			return map[string]any{"Data": data}
		}
		if from == 0 {
			rows = append(rows, datum(f.header, false))
		}
		for _, row := range f.rows[from:to] {
			rows = append(rows, datum(row, true))
		}
		var cols []any
		for _, h := range f.header {
			cols = append(cols, map[string]any{"Name": h, "Label": h, "Type": "varchar"})
		}
		out := map[string]any{"ResultSet": map[string]any{"Rows": rows, "ResultSetMetadata": map[string]any{"ColumnInfo": cols}}}
		if to < len(f.rows) {
			out["NextToken"] = strconv.Itoa(to)
		}
		reply(200, out)
	case "StopQueryExecution":
		f.stopped++
		reply(200, map[string]any{})
	default:
		reply(400, map[string]string{"__type": "InvalidRequestException", "message": "unknown operation " + op})
	}
}

func serveFakeAthena(t *testing.T, f http.Handler) string {
	awsEnv(t)
	srv := httptest.NewServer(awstest.OncePerCall(f))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestAthenaReplayReportsWhatALocalReplayReports: replay --athena, against a fake Athena that
// answers with DuckDB's result of the query over records.jsonl (paged, one page throttled), prints
// the report a local replay of records.jsonl prints, plus the query's figures.
func TestAthenaReplayReportsWhatALocalReplayReports(t *testing.T) {
	f := newFakeAthena(t)
	f.pageSize, f.throttleAt = 40, "80"
	url := serveFakeAthena(t, f)
	code, out, errs := replayCmd(t, "", "--athena", "--athena-workgroup", "wg", "--athena-database", "trail_db", "--athena-table", fixtureTable,
		"--alarms", fixtureAlarms, "--format", "json", "--top", "100", "--athena-poll", "1ms", "--endpoint-url", url)
	f.mu.Lock() // the server's handler wrote these
	defer f.mu.Unlock()
	// Every seventh record has no eventTime: skipped, as locally.
	if code != cli.ExitProblems {
		t.Fatalf("exit %d, want %d; stderr %s", code, cli.ExitProblems, errs)
	}
	if want := fmt.Sprintf("trailwatch replay: Athena query qe-1 scanned 123456789 bytes: $%.4f at $5 per TB\n", athena.Cost(123456789)); !strings.HasPrefix(errs, want) {
		t.Errorf("stderr %q, want it to start %q", errs, want)
	}
	rows, _ := catalog.Resolve(fixtureAlarms)
	wantQuery, _ := athena.SQL(rows, athena.Options{Table: fixtureTable})
	if f.query != wantQuery || f.workgroup != "wg" || f.database != "trail_db" {
		t.Errorf("StartQueryExecution got workgroup %q, database %q and a query equal to athena.SQL's: %v", f.workgroup, f.database, f.query == wantQuery)
	}
	if wantPages := (len(f.rows) + 39) / 40; f.pages != wantPages || f.throttled != 1 || f.polls != 2 {
		t.Errorf("pages %d (want %d), throttled %d (want 1), polls %d (want 2)", f.pages, wantPages, f.throttled, f.polls)
	}
	var got replay.Report
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Athena == nil || *got.Athena != (replay.AthenaStats{QueryExecutionID: "qe-1", DataScannedBytes: 123456789, CostUSD: athena.Cost(123456789)}) {
		t.Errorf("athena = %+v", got.Athena)
	}

	code, localOut, _ := replayCmd(t, "", "--alarms", fixtureAlarms, "--format", "json", "--top", "100", "testdata/athena/records.jsonl")
	if code != cli.ExitProblems {
		t.Fatalf("local replay exit %d", code)
	}
	var local replay.Report
	if err := json.Unmarshal([]byte(localOut), &local); err != nil {
		t.Fatal(err)
	}
	if local.Athena != nil || strings.Contains(localOut, `"athena"`) {
		t.Error("a local replay's report has an athena field")
	}
	gt, lt := got.Totals, local.Totals
	if gt.RecordsRead != lt.RecordsRead || gt.RecordsSkipped != lt.RecordsSkipped || fmt.Sprint(gt.SkippedByReason) != fmt.Sprint(lt.SkippedByReason) ||
		!gt.FirstEvent.Equal(*lt.FirstEvent) || !gt.LastEvent.Equal(*lt.LastEvent) {
		t.Errorf("totals differ:\nathena %+v\nlocal  %+v", gt, lt)
	}
	ga, _ := json.Marshal(got.Alarms)
	la, _ := json.Marshal(local.Alarms)
	if string(ga) != string(la) {
		t.Errorf("alarms differ:\nathena %s\nlocal  %s", ga, la)
	}
	alarmed := 0
	for _, a := range got.Alarms {
		alarmed += int(a.AlarmPeriodCount)
	}
	if alarmed == 0 {
		t.Error("no alarm period in the fixture: the comparison proves little")
	}
}

// TestAthenaTableReport: --format table prints the local table, and the figures go to stderr.
func TestAthenaTableReport(t *testing.T) {
	url := serveFakeAthena(t, newFakeAthena(t))
	code, out, errs := replayCmd(t, "", "--athena", "--athena-workgroup", "wg", "--athena-table", fixtureTable, "--alarms", fixtureAlarms, "--athena-poll", "1ms", "--endpoint-url", url)
	_, local, _ := replayCmd(t, "", "--alarms", fixtureAlarms, "testdata/athena/records.jsonl")
	if code != cli.ExitProblems || !strings.Contains(errs, "scanned 123456789 bytes") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	// The table's skipped section lists places (file, line) only a local replay knows; the
	// alarms' part is the same.
	cut := func(s string) string {
		if i := strings.Index(s, "\nALARM"); i >= 0 {
			return s[i:]
		}
		return s
	}
	if cut(out) != cut(local) || cut(out) == out {
		t.Errorf("table differs from the local replay's\n--- athena\n%s\n--- local\n%s", out, local)
	}
}

// TestAthenaFailedQuery: a FAILED query's reason is printed, with exit 3 and nothing on stdout.
func TestAthenaFailedQuery(t *testing.T) {
	f := newFakeAthena(t)
	f.failWith = "SYNTAX_ERROR: line 3:1: Table awsdatacatalog.default.cloudtrail does not exist"
	url := serveFakeAthena(t, f)
	code, out, errs := replayCmd(t, "", "--athena", "--athena-workgroup", "wg", "--athena-table", fixtureTable, "--alarms", fixtureAlarms, "--athena-poll", "1ms", "--endpoint-url", url)
	f.mu.Lock()
	defer f.mu.Unlock()
	want := "trailwatch replay: athena: query qe-1 FAILED: SYNTAX_ERROR: line 3:1: Table awsdatacatalog.default.cloudtrail does not exist\n"
	if code != cli.ExitListing || out != "" || errs != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want 3, nothing, %q", code, out, errs, want)
	}
	if f.pages != 0 {
		t.Errorf("read %d result pages of a failed query", f.pages)
	}
}

// TestAthenaTimeoutStopsTheQuery: a query still running at --athena-timeout is stopped.
func TestAthenaTimeoutStopsTheQuery(t *testing.T) {
	f := newFakeAthena(t)
	f.polls = -1 << 30 // RUNNING for ever
	url := serveFakeAthena(t, f)
	code, out, errs := replayCmd(t, "", "--athena", "--athena-workgroup", "wg", "--athena-poll", "1ms", "--athena-timeout", "50ms", "--endpoint-url", url)
	f.mu.Lock()
	defer f.mu.Unlock()
	if code != cli.ExitListing || out != "" || errs != "trailwatch replay: athena: query qe-1: not finished after 50ms; stopped\n" || f.stopped != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q, stopped %d", code, out, errs, f.stopped)
	}
}

// TestAthenaNeedsRegionAndCredentials: as s3:// inputs, a usage error before any request.
func TestAthenaNeedsRegionAndCredentials(t *testing.T) {
	awsEnv(t)
	t.Setenv("AWS_REGION", "")
	code, out, errs := replayCmd(t, "", "--athena", "--athena-workgroup", "wg")
	if want := "trailwatch replay: no AWS Region for --athena: give --region, or set AWS_REGION or a region in the profile\n"; code != cli.ExitUsage || out != "" || errs != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, %q", code, out, errs, want)
	}
}

// TestAthenaCancelStopsTheQuery: a cancelled context (Ctrl-C) stops the running query.
func TestAthenaCancelStopsTheQuery(t *testing.T) {
	f := newFakeAthena(t)
	f.polls = -1 << 30 // RUNNING for ever
	// Ctrl-C once the query has been seen running (a timer could fire before it starts on a
	// busy machine); the next poll is an hour away.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := serveFakeAthena(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.ServeHTTP(w, r)
		if r.Header.Get("X-Amz-Target") == "AmazonAthena.GetQueryExecution" {
			cancel()
		}
	}))
	cfg, err := loadAWSConfig(context.Background(), &s3Flags{}, "--athena")
	if err != nil {
		t.Fatal(err)
	}
	c := athenasvc.NewFromConfig(cfg, func(o *athenasvc.Options) { o.BaseEndpoint = aws.String(url) })
	_, err = runAthenaQuery(ctx, c, "SELECT 1", "wg", "", time.Hour, time.Hour)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err == nil || err.Error() != "athena: query qe-1: cancelled; stopped" || f.stopped != 1 {
		t.Errorf("error %v, stopped %d; want the query stopped", err, f.stopped)
	}
	var qe queryError
	if !errors.As(err, &qe) {
		t.Errorf("%T is not a queryError (exit 3)", err)
	}
}
