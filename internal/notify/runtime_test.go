package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/notify/build"
)

// runtimeAPI is a local implementation of the Lambda Runtime API (2018-06-01): it hands out the
// queued events one by one on GET .../invocation/next and records what the function posts back.
type runtimeAPI struct {
	mu      sync.Mutex
	queue   [][]byte
	results chan runtimeResult
	stop    chan struct{}
	// more wakes a held poll when push adds an event.
	more   chan struct{}
	served int
}

// push queues one more invocation, as Lambda does when an event arrives.
func (r *runtimeAPI) push(ev []byte) {
	r.mu.Lock()
	r.queue = append(r.queue, ev)
	r.mu.Unlock()
	select {
	case r.more <- struct{}{}:
	default:
	}
}

type runtimeResult struct {
	requestID, kind string // kind: response, error, init-error
	body            string
}

func (r *runtimeAPI) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	const base = "/2018-06-01/runtime/"
	path := strings.TrimPrefix(req.URL.Path, base)
	switch {
	case req.Method == http.MethodGet && path == "invocation/next":
		var ev []byte
		id := ""
		for ev == nil {
			r.mu.Lock()
			if len(r.queue) > 0 {
				ev, r.queue = r.queue[0], r.queue[1:]
				r.served++
				id = fmt.Sprintf("req-%d", r.served)
			}
			r.mu.Unlock()
			if ev != nil {
				break
			}
			// No work yet: hold the poll, as Lambda does between invocations.
			select {
			case <-r.more:
			case <-r.stop:
				return
			case <-req.Context().Done():
				return
			}
		}
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", id)
		w.Header().Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(60*time.Second).UnixMilli()))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:trailwatch-notify")
		w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0")
		w.Header().Set("Content-Type", "application/json")
		w.Write(ev)
	case req.Method == http.MethodPost && strings.HasPrefix(path, "invocation/"):
		parts := strings.Split(path, "/") // invocation/{id}/response|error
		body, _ := io.ReadAll(req.Body)
		w.WriteHeader(http.StatusAccepted)
		r.results <- runtimeResult{requestID: parts[1], kind: parts[len(parts)-1], body: string(body)}
	case req.Method == http.MethodPost && path == "init/error":
		body, _ := io.ReadAll(req.Body)
		w.WriteHeader(http.StatusAccepted)
		r.results <- runtimeResult{kind: "init-error", body: string(body)}
	default:
		http.NotFound(w, req)
	}
}

// TestBootstrapUnderLambdaRuntimeAPI starts the exact binary the build function makes (the one
// the stack deploys) under a local Runtime API, with its AWS clients pointed at the fakes through
// the SDK's AWS_ENDPOINT_URL_<SERVICE> variables. It handles a CloudWatch alarm as SNS delivers
// it: the first invocation publishes the same email as the in-process golden and succeeds; the
// second, with FilterLogEvents denied, publishes the degraded email and then reports the error.
func TestBootstrapUnderLambdaRuntimeAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the function")
	}
	bin, err := build.Bootstrap(context.Background(), "../..", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := newFakes(t, testEvents(t), "en")

	row := sgRow(t)
	event, err := json.Marshal(snsEvent(notification(row, 4)))
	if err != nil {
		t.Fatal(err)
	}
	// The second invocation is queued only after the test has made the log search fail, so the
	// function cannot fetch it early.
	api := &runtimeAPI{queue: [][]byte{event}, results: make(chan runtimeResult, 4), stop: make(chan struct{}), more: make(chan struct{}, 1)}
	apiSrv := httptest.NewServer(api)
	defer apiSrv.Close()
	defer close(api.stop)

	home := t.TempDir()
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"AWS_LAMBDA_RUNTIME_API=" + strings.TrimPrefix(apiSrv.URL, "http://"),
		"AWS_LAMBDA_FUNCTION_NAME=trailwatch-notify", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=ASIATESTTESTTESTTEST", "AWS_SECRET_ACCESS_KEY=secret", "AWS_SESSION_TOKEN=token",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "none"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none"),
		"AWS_EC2_METADATA_DISABLED=true", "HOME=" + home,
		"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=" + f.logsURL,
		"AWS_ENDPOINT_URL_SNS=" + f.snsURL,
		EnvLogGroup + "=" + testLogGroup, EnvTopicARN + "=" + testTopic, EnvLanguage + "=en", EnvEnvironment + "=prod",
	}
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()

	next := func() runtimeResult {
		t.Helper()
		select {
		case r := <-api.results:
			return r
		case <-time.After(60 * time.Second):
			t.Fatalf("no result from the function within 60 s; its output:\n%s", stderr.String())
		}
		return runtimeResult{}
	}

	r := next()
	if r.kind != "response" || r.body != "null" {
		t.Fatalf("first invocation: %s %q, want response null; output:\n%s", r.kind, r.body, stderr.String())
	}
	if len(f.sns.got) != 1 {
		t.Fatalf("published %d messages, want 1", len(f.sns.got))
	}
	golden(t, "en/SecurityGroupChanges.txt", f.sns.got[0])

	f.logs.fail(400, "AccessDeniedException")
	api.push(event)
	r = next()
	if r.kind != "error" || !strings.Contains(r.body, "alarm published without its details") || !strings.Contains(r.body, "AccessDeniedException") {
		t.Fatalf("second invocation: %s %q, want an error naming AccessDeniedException", r.kind, r.body)
	}
	if len(f.sns.got) != 2 || !strings.Contains(f.sns.got[1].Message, "DETAILS UNAVAILABLE") {
		t.Fatalf("the degraded message was not published before the error; published %d", len(f.sns.got))
	}
}
