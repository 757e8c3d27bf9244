package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/awstest"

	"github.com/aws/aws-sdk-go-v2/aws"
	athenasvc "github.com/aws/aws-sdk-go-v2/service/athena"

	"github.com/trailwatch/trailwatch/internal/athena"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// scriptedAthena answers each Athena operation (AWS JSON 1.1) with what its script returns for
// the request: an HTTP status and a JSON body. An operation without a script is an error.
type scriptedAthena struct {
	mu     sync.Mutex
	script map[string]func(in map[string]any) (int, any)
	calls  []string // operation names, in order
	inputs []map[string]any
}

func (f *scriptedAthena) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var in map[string]any
	json.NewDecoder(r.Body).Decode(&in)
	op := r.Header.Get("X-Amz-Target")[len("AmazonAthena."):]
	f.calls = append(f.calls, op)
	f.inputs = append(f.inputs, in)
	code, body := 400, any(map[string]string{"__type": "InvalidRequestException", "message": "unexpected " + op})
	if h := f.script[op]; h != nil {
		code, body = h(in)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(body)
}

// athenaClient is an Athena client of h, with static credentials and the SDK's standard
// retries: a scripted InvalidRequestException is not retried, so a failed call still fails at
// once, and a transport that breaks an answer on a loaded machine is retried (awstest replays it).
func athenaClient(t *testing.T, h http.Handler) *athenasvc.Client {
	t.Helper()
	srv := httptest.NewServer(awstest.OncePerCall(h))
	t.Cleanup(srv.Close)
	awsEnv(t)
	cfg, err := loadAWSConfig(context.Background(), &s3Flags{}, "--athena")
	if err != nil {
		t.Fatal(err)
	}
	return athenasvc.NewFromConfig(cfg, func(o *athenasvc.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
	})
}

func badRequest(msg string) func(map[string]any) (int, any) {
	return func(map[string]any) (int, any) {
		return 400, map[string]string{"__type": "InvalidRequestException", "message": msg}
	}
}

func started(map[string]any) (int, any) { return 200, map[string]any{"QueryExecutionId": "qe-7"} }

func state(status map[string]any) func(map[string]any) (int, any) {
	return func(map[string]any) (int, any) {
		return 200, map[string]any{"QueryExecution": map[string]any{"QueryExecutionId": "qe-7", "Status": status}}
	}
}

// Each way a query can fail before its result is read is one line naming the call or the query,
// and a queryError (exit 3).
func TestAthenaQueryFailures(t *testing.T) {
	tests := []struct {
		name   string
		script map[string]func(map[string]any) (int, any)
		want   string
	}{
		{"start refused", map[string]func(map[string]any) (int, any){"StartQueryExecution": badRequest("WorkGroup wg is disabled.")},
			"athena: StartQueryExecution: operation error Athena: StartQueryExecution, https response error StatusCode: 400, RequestID: , InvalidRequestException: WorkGroup wg is disabled."},
		{"status refused", map[string]func(map[string]any) (int, any){"StartQueryExecution": started, "GetQueryExecution": badRequest("no such query")},
			"athena: GetQueryExecution qe-7: operation error Athena: GetQueryExecution, https response error StatusCode: 400, RequestID: , InvalidRequestException: no such query"},
		{"no status", map[string]func(map[string]any) (int, any){"StartQueryExecution": started, "GetQueryExecution": func(map[string]any) (int, any) {
			return 200, map[string]any{"QueryExecution": map[string]any{"QueryExecutionId": "qe-7"}}
		}}, "athena: query qe-7: no status in GetQueryExecution's answer"},
		{"no query execution", map[string]func(map[string]any) (int, any){"StartQueryExecution": started, "GetQueryExecution": func(map[string]any) (int, any) {
			return 200, map[string]any{}
		}}, "athena: query qe-7: no status in GetQueryExecution's answer"},
		{"failed, reason in AthenaError", map[string]func(map[string]any) (int, any){"StartQueryExecution": started,
			"GetQueryExecution": state(map[string]any{"State": "FAILED", "AthenaError": map[string]any{"ErrorMessage": "Query exhausted resources\x1b[2J"}})},
			`athena: query qe-7 FAILED: Query exhausted resources\x1b[2J`},
		{"failed, StateChangeReason first", map[string]func(map[string]any) (int, any){"StartQueryExecution": started,
			"GetQueryExecution": state(map[string]any{"State": "FAILED", "StateChangeReason": "SYNTAX_ERROR", "AthenaError": map[string]any{"ErrorMessage": "other"}})},
			"athena: query qe-7 FAILED: SYNTAX_ERROR"},
		{"cancelled", map[string]func(map[string]any) (int, any){"StartQueryExecution": started,
			"GetQueryExecution": state(map[string]any{"State": "CANCELLED", "StateChangeReason": "Query was cancelled by user"})},
			"athena: query qe-7 CANCELLED: Query was cancelled by user"},
		{"results refused", map[string]func(map[string]any) (int, any){"StartQueryExecution": started,
			"GetQueryExecution": state(map[string]any{"State": "SUCCEEDED"}), "GetQueryResults": badRequest("results expired")},
			"athena: GetQueryResults qe-7: operation error Athena: GetQueryResults, https response error StatusCode: 400, RequestID: , InvalidRequestException: results expired"},
		{"no column metadata", map[string]func(map[string]any) (int, any){"StartQueryExecution": started,
			"GetQueryExecution": state(map[string]any{"State": "SUCCEEDED"}), "GetQueryResults": func(map[string]any) (int, any) {
				return 200, map[string]any{"ResultSet": map[string]any{"Rows": []any{}}}
			}},
			"athena: GetQueryResults qe-7: no column metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &scriptedAthena{script: tt.script}
			res, err := runAthenaQuery(context.Background(), athenaClient(t, f), "SELECT 1", "wg", "", time.Millisecond, time.Minute)
			var qe queryError
			if res != nil || err == nil || err.Error() != tt.want || !errors.As(err, &qe) {
				t.Errorf("result %v, error %T %v\nwant the queryError %q", res, err, err, tt.want)
			}
		})
	}
}

// The query runs in the workgroup given, and in the database only when one is given (else the
// workgroup's default).
func TestAthenaQueryDatabase(t *testing.T) {
	for _, database := range []string{"", "trail_db"} {
		f := &scriptedAthena{script: map[string]func(map[string]any) (int, any){"StartQueryExecution": badRequest("stop here")}}
		runAthenaQuery(context.Background(), athenaClient(t, f), "SELECT 1", "wg", database, time.Millisecond, time.Minute)
		in := f.inputs[0]
		ctx, hasCtx := in["QueryExecutionContext"].(map[string]any)
		if in["WorkGroup"] != "wg" || in["QueryString"] != "SELECT 1" || hasCtx != (database != "") || hasCtx && ctx["Database"] != database {
			t.Errorf("database %q: StartQueryExecution input %v", database, in)
		}
	}
}

// A query that fails to stop says so: the reason it was stopped, then why stopping failed.
func TestAthenaStopFailureIsReported(t *testing.T) {
	f := &scriptedAthena{script: map[string]func(map[string]any) (int, any){
		"StartQueryExecution": started, "GetQueryExecution": state(map[string]any{"State": "RUNNING"}),
		"StopQueryExecution": badRequest("query is not running"),
	}}
	_, err := runAthenaQuery(context.Background(), athenaClient(t, f), "SELECT 1", "wg", "", time.Millisecond, 20*time.Millisecond)
	want := "athena: query qe-7: not finished after 20ms; stopping it failed: operation error Athena: StopQueryExecution, https response error StatusCode: 400, RequestID: , InvalidRequestException: query is not running"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
}

// A status call cut short by a cancel (Ctrl-C) stops the query, as a cancel between two polls
// does, rather than reporting the failed call.
func TestAthenaCancelDuringAStatusCall(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &scriptedAthena{script: map[string]func(map[string]any) (int, any){
		"StartQueryExecution": started,
		"StopQueryExecution":  func(map[string]any) (int, any) { return 200, map[string]any{} },
	}}
	statusCalls := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") == "AmazonAthena.GetQueryExecution" {
			statusCalls++
			io.Copy(io.Discard, r.Body) // then the server sees the client go
			cancel()
			select { // no answer: the client gives up
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		f.ServeHTTP(w, r)
	})
	_, err := runAthenaQuery(ctx, athenaClient(t, h), "SELECT 1", "wg", "", time.Hour, time.Hour)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err == nil || err.Error() != "athena: query qe-7: cancelled; stopped" || statusCalls != 1 || f.calls[len(f.calls)-1] != "StopQueryExecution" {
		t.Errorf("error %v, %d status calls, calls %v; want the query stopped", err, statusCalls, f.calls)
	}
}

// The result is read page by page: the column labels (the first row of the first page only) are
// dropped, NULL is "", a page without a result set adds nothing, and the bytes scanned come from
// the last status.
func TestAthenaResultPages(t *testing.T) {
	str := func(s string) map[string]any { return map[string]any{"VarCharValue": s} }
	row := func(cells ...map[string]any) map[string]any {
		data := []any{}
		for _, c := range cells {
			data = append(data, c)
		}
		return map[string]any{"Data": data}
	}
	meta := map[string]any{"ColumnInfo": []any{map[string]any{"Name": "kind", "Type": "varchar"}, map[string]any{"Name": "n", "Type": "varchar"}}}
	pages := map[string]map[string]any{
		"":   {"ResultSet": map[string]any{"Rows": []any{row(str("kind"), str("n"))}, "ResultSetMetadata": meta}, "NextToken": "p2"},
		"p2": {"ResultSet": map[string]any{"Rows": []any{row(str("a"), str("1")), row(str("b"), map[string]any{})}, "ResultSetMetadata": meta}, "NextToken": "p3"},
		"p3": {"NextToken": "p4"},
		"p4": {"ResultSet": map[string]any{"Rows": []any{row(str("kind"), str("2"))}, "ResultSetMetadata": meta}},
	}
	f := &scriptedAthena{script: map[string]func(map[string]any) (int, any){
		"StartQueryExecution": started,
		"GetQueryExecution": func(map[string]any) (int, any) {
			return 200, map[string]any{"QueryExecution": map[string]any{"Status": map[string]any{"State": "SUCCEEDED"}, "Statistics": map[string]any{"DataScannedInBytes": 4096}}}
		},
		"GetQueryResults": func(in map[string]any) (int, any) {
			token, _ := in["NextToken"].(string)
			return 200, pages[token]
		},
	}}
	res, err := runAthenaQuery(context.Background(), athenaClient(t, f), "SELECT 1", "wg", "", time.Millisecond, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	want := &athenaQuery{id: "qe-7", header: []string{"kind", "n"}, rows: [][]string{{"a", "1"}, {"b", ""}, {"kind", "2"}}, scanned: 4096}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("result %+v, want %+v", res, want)
	}

	// A first page with no rows at all (not even the labels) is an empty result.
	pages = map[string]map[string]any{"": {"ResultSet": map[string]any{"Rows": []any{}, "ResultSetMetadata": meta}}}
	if res, err = runAthenaQuery(context.Background(), athenaClient(t, f), "SELECT 1", "wg", "", time.Millisecond, time.Minute); err != nil || len(res.rows) != 0 || len(res.header) != 2 {
		t.Errorf("empty result: %+v, %v", res, err)
	}
}

// Polls start at --athena-poll and double up to 5 s.
func TestAthenaPollDoublesUpTo5s(t *testing.T) {
	for wait, want := range map[time.Duration]time.Duration{
		time.Millisecond: 2 * time.Millisecond, time.Second: 2 * time.Second, 2 * time.Second: 4 * time.Second,
		3 * time.Second: 5 * time.Second, 5 * time.Second: 5 * time.Second, time.Minute: 5 * time.Second,
	} {
		if got := nextPoll(wait); got != want {
			t.Errorf("nextPoll(%s) = %s, want %s", wait, got, want)
		}
	}
}

// A result that lacks one of the query's columns is a queryError naming the query and column.
func TestAthenaReportOfAForeignResult(t *testing.T) {
	rows, err := catalog.Resolve("aws")
	if err != nil {
		t.Fatal(err)
	}
	_, err = athenaReport(rows, athena.Options{}, &athenaQuery{id: "qe-7", header: []string{"kind"}}, 5)
	var qe queryError
	if err == nil || err.Error() != `athena: query qe-7: result has no column "bucket"` || !errors.As(err, &qe) {
		t.Errorf("error %T %v", err, err)
	}
}

// querySQL's error is printable, line by line: a row ID from an alarms file cannot drive the
// terminal.
func TestSQLRefusalIsPrintable(t *testing.T) {
	rows := []catalog.Alarm{{ID: "Esc\x1b[2J", Pattern: `{ $.eventname = "x" }`}, {ID: "Null", Pattern: `{ $.requestParameters IS NULL }`}}
	_, err := querySQL(rows, athena.Options{})
	if err == nil || strings.ContainsRune(err.Error(), 0x1b) || !strings.HasPrefix(err.Error(), `no query: Esc\x1b[2J: `) || !strings.Contains(err.Error(), "\nNull: ") {
		t.Errorf("querySQL error %q", err)
	}
}
