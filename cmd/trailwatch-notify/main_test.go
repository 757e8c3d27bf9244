package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/awstest"
)

// The tests run this test binary as the function: with runMainEnv set, TestMain runs main (as
// the deployed bootstrap would) instead of the tests.
const runMainEnv = "TRAILWATCH_NOTIFY_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0) // main returned: a binary would exit 0
	}
	os.Exit(m.Run())
}

const testTopic = "arn:aws:sns:us-east-1:123456789012:trailwatch-email"

// runtimeAPI is enough of the Lambda Runtime API (2018-06-01) for one invocation: it hands out
// event once on GET .../invocation/next, then answers 404 (the runtime library then exits), and
// sends what the function posts back on results.
type runtimeAPI struct {
	mu       sync.Mutex
	event    []byte
	requests int
	results  chan string // "response: BODY" or "error: BODY"
}

func (r *runtimeAPI) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	path := strings.TrimPrefix(req.URL.Path, "/2018-06-01/runtime/")
	switch {
	case req.Method == http.MethodGet && path == "invocation/next" && r.event != nil:
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:trailwatch-notify")
		w.Write(r.event)
		r.event = nil
	case req.Method == http.MethodPost && strings.HasPrefix(path, "invocation/req-1/"):
		body, _ := io.ReadAll(req.Body)
		w.WriteHeader(http.StatusAccepted)
		r.results <- strings.TrimPrefix(path, "invocation/req-1/") + ": " + string(body)
	default:
		http.NotFound(w, req)
	}
}

// fakeSNS answers Publish (query protocol) and records the form of each call.
type fakeSNS struct {
	mu    sync.Mutex
	calls []url.Values
}

func (f *fakeSNS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r.ParseForm()
	f.calls = append(f.calls, r.PostForm)
	w.Header().Set("Content-Type", "text/xml")
	io.WriteString(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`)
}

// function starts main in a child process with a clean AWS environment plus env, under a local
// Runtime API, and returns what it printed and its exit code once it ends, or the first result
// it posts (then it is killed).
func function(t *testing.T, api *runtimeAPI, env ...string) (result, output string, code int) {
	t.Helper()
	srv := httptest.NewServer(api)
	defer srv.Close()
	home := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append([]string{
		runMainEnv + "=1",
		"AWS_LAMBDA_RUNTIME_API=" + strings.TrimPrefix(srv.URL, "http://"),
		"AWS_LAMBDA_FUNCTION_NAME=trailwatch-notify", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=AKIDTEST", "AWS_SECRET_ACCESS_KEY=secret",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "none"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none"),
		"AWS_EC2_METADATA_DISABLED=true", "HOME=" + home,
	}, env...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case result = <-api.results:
		cmd.Process.Kill()
		<-done
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("the function neither ended nor answered within 60 s; its output:\n%s", out.String())
	}
	return result, out.String(), cmd.ProcessState.ExitCode()
}

var goodSettings = []string{"TRAILWATCH_LOG_GROUP=trail-logs", "TRAILWATCH_TOPIC_ARN=" + testTopic, "TRAILWATCH_LANGUAGE=en"}

// Settings the function cannot work with stop it at start: exit 1, the problems on stderr, and no
// invocation is taken from Lambda.
func TestBadSettingsStopTheFunction(t *testing.T) {
	api := &runtimeAPI{event: []byte(`{"Records":[]}`), results: make(chan string, 1)}
	result, out, code := function(t, api, "TRAILWATCH_TOPIC_ARN=topic")
	want := "trailwatch-notify: TRAILWATCH_LOG_GROUP is empty; set it to the trail's log group name\n" +
		"TRAILWATCH_TOPIC_ARN is \"topic\"; set it to the email topic's ARN\n"
	if code != 1 || out != want || result != "" || api.requests != 0 {
		t.Errorf("exit %d, output %q, result %q, %d Runtime API requests; want 1, %q, none, 0", code, out, result, api.requests, want)
	}
}

// An AWS configuration the SDK cannot load (a profile that does not exist) stops the function
// at start too.
func TestBadAWSConfigurationStopsTheFunction(t *testing.T) {
	api := &runtimeAPI{event: []byte(`{"Records":[]}`), results: make(chan string, 1)}
	result, out, code := function(t, api, append(goodSettings, "AWS_PROFILE=nowhere")...)
	want := "trailwatch-notify: failed to get shared config profile, nowhere\n"
	if code != 1 || out != want || result != "" || api.requests != 0 {
		t.Errorf("exit %d, output %q, result %q, %d Runtime API requests; want 1, %q, none, 0", code, out, result, api.requests, want)
	}
}

// With good settings the function takes invocations from the Runtime API and hands them to the
// handler, whose SNS client publishes to the configured topic through AWS_ENDPOINT_URL_SNS: an
// alarm that went back to OK is published as it is, and the invocation succeeds.
func TestServesInvocations(t *testing.T) {
	sns := &fakeSNS{}
	snsSrv := httptest.NewServer(awstest.OncePerCall(sns))
	defer snsSrv.Close()
	alarm := `{"AlarmName":"trailwatch-RootUsage","AWSAccountId":"123456789012","NewStateValue":"OK","OldStateValue":"ALARM",` +
		`"NewStateReason":"Threshold Crossed","StateChangeTime":"2024-05-01T12:10:00.000+0000","Region":"US East (N. Virginia)",` +
		`"AlarmArn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:trailwatch-RootUsage",` +
		`"Trigger":{"MetricName":"RootAccountUsageCount","Namespace":"CloudTrailMetrics","Statistic":"SUM","Period":300,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold","Threshold":1}}`
	event, err := json.Marshal(map[string]any{"Records": []any{map[string]any{
		"EventSource": "aws:sns", "EventVersion": "1.0",
		"Sns": map[string]any{"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:us-east-1:123456789012:trailwatch-alarms", "Message": alarm, "Timestamp": "2024-05-01T12:10:01.000Z"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	api := &runtimeAPI{event: event, results: make(chan string, 1)}
	result, out, _ := function(t, api, append(goodSettings, "AWS_ENDPOINT_URL_SNS="+snsSrv.URL)...)
	if result != "response: null" {
		t.Fatalf("result %q, want response: null; output:\n%s", result, out)
	}
	sns.mu.Lock()
	defer sns.mu.Unlock()
	if len(sns.calls) != 1 || sns.calls[0].Get("Action") != "Publish" || sns.calls[0].Get("TopicArn") != testTopic ||
		!strings.Contains(sns.calls[0].Get("Message"), "trailwatch-RootUsage") {
		t.Errorf("SNS calls %v, want one Publish of the alarm to %s", sns.calls, testTopic)
	}
}
