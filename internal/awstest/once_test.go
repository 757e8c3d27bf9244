package awstest

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/encoding/cbor"
)

// closingTransport makes the first n responses fail as Go's transport fails when it closes a
// connection under a response being read: the whole body arrives, then the read returns
// net.ErrClosed.
type closingTransport struct {
	mu sync.Mutex
	n  int
}

func (c *closingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n > 0 {
		c.n--
		resp.Body = ClosedAtEnd(resp.Body)
	}
	return resp, nil
}

// countingLogs answers TestMetricFilter as AWS JSON 1.1, counting the calls and the messages
// it is sent.
type countingLogs struct {
	mu       sync.Mutex
	calls    int
	messages int
	status   []int  // answers for the first calls; then 200
	code     string // their error code; ServiceUnavailableException when empty
}

func (f *countingLogs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.calls++
	f.messages += strings.Count(string(body), `"m2"`) // one per call: the filter pattern is m1
	status := http.StatusOK
	if len(f.status) > 0 {
		status, f.status = f.status[0], f.status[1:]
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	if status != http.StatusOK {
		code := f.code
		if code == "" {
			code = "ServiceUnavailableException"
		}
		fmt.Fprintf(w, `{"__type":%q,"message":"try again"}`, code)
		return
	}
	fmt.Fprint(w, `{"matches":[{"eventNumber":1,"eventMessage":"m1","extractedValues":{}}]}`)
}

func (f *countingLogs) count() (calls, messages int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, f.messages
}

func logsClient(url string, tr http.RoundTripper) *cloudwatchlogs.Client {
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "eu-west-1",
		BaseEndpoint: aws.String(url),
		Credentials:  aws.AnonymousCredentials{},
		HTTPClient:   &http.Client{Transport: tr},
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
}

func testMetricFilter(t *testing.T, c *cloudwatchlogs.Client) {
	t.Helper()
	out, err := c.TestMetricFilter(context.Background(), &cloudwatchlogs.TestMetricFilterInput{
		FilterPattern:    aws.String("m1"),
		LogEventMessages: []string{"m1", "m2"},
	})
	if err != nil {
		t.Fatalf("TestMetricFilter: %v", err)
	}
	if len(out.Matches) != 1 || aws.ToString(out.Matches[0].EventMessage) != "m1" {
		t.Errorf("matches %+v, want m1", out.Matches)
	}
}

// The failure this wrapper exists for: the SDK retries a call whose 200 answer it could not
// finish reading. Unwrapped, the fake is called twice; wrapped, once, and the client still gets
// the answer.
func TestARetriedAnsweredCallReachesTheFakeOnce(t *testing.T) {
	for _, c := range []struct {
		name      string
		wrap      bool
		wantCalls int
	}{{"Unwrapped", false, 2}, {"Wrapped", true, 1}} {
		t.Run(c.name, func(t *testing.T) {
			f := &countingLogs{}
			var h http.Handler = f
			if c.wrap {
				h = OncePerCall(f)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			testMetricFilter(t, logsClient(srv.URL, &closingTransport{n: 1}))
			if calls, messages := f.count(); calls != c.wantCalls || messages != c.wantCalls {
				t.Errorf("%d calls with %d copies of m2, want %d with %d", calls, messages, c.wantCalls, c.wantCalls)
			}
		})
	}
}

// An error answer is not replayed: the retry reaches the fake, as throttling tests need.
func TestAnErrorAnswerIsNotReplayed(t *testing.T) {
	f := &countingLogs{status: []int{http.StatusServiceUnavailable, http.StatusServiceUnavailable}}
	srv := httptest.NewServer(OncePerCall(f))
	defer srv.Close()
	testMetricFilter(t, logsClient(srv.URL, http.DefaultTransport))
	if calls, _ := f.count(); calls != 3 {
		t.Errorf("%d calls, want 3 (two 503s, then the answer)", calls)
	}
}

// Two calls are two calls, even with the same input.
func TestDistinctCallsEachReachTheFake(t *testing.T) {
	f := &countingLogs{}
	srv := httptest.NewServer(OncePerCall(f))
	defer srv.Close()
	c := logsClient(srv.URL, http.DefaultTransport)
	testMetricFilter(t, c)
	testMetricFilter(t, c)
	if calls, _ := f.count(); calls != 2 {
		t.Errorf("%d calls, want 2", calls)
	}
}

// answer is what one raw attempt got: err when it got no complete answer.
type answer struct {
	status int
	body   string
	header http.Header
	err    error
}

// do makes one raw attempt of invocation id (none: not from the SDK) with body, and a
// Smithy-Protocol header when proto is set.
func do(c *http.Client, url, id, body, proto string) answer {
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if id != "" {
		req.Header.Set(InvocationHeader, id)
	}
	if proto != "" {
		req.Header.Set("Smithy-Protocol", proto)
	}
	resp, err := c.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b), resp.Header, err}
}

// send makes one raw attempt of invocation id; the third value is the X-Answer header, or the
// error of an attempt that got no complete answer.
func send(t *testing.T, url, id string) (int, string, string) {
	t.Helper()
	return sendWith(t, url, id, "")
}

// sendWith is send with a Smithy-Protocol header (none when empty).
func sendWith(t *testing.T, url, id, smithyProtocol string) (int, string, string) {
	t.Helper()
	a := do(http.DefaultClient, url, id, "{}", smithyProtocol)
	if a.err != nil {
		return a.status, a.body, a.err.Error()
	}
	return a.status, a.body, a.header.Get("X-Answer")
}

// A replay is the recorded answer: status, headers and body. A handler that writes nothing is
// a 200 with an empty body, replayed too.
func TestReplayIsTheRecordedAnswer(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path == "/empty" {
			return
		}
		n := calls.Load()
		w.Header().Set("X-Answer", fmt.Sprint(n))
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, "answer %d", n)
	})))
	defer srv.Close()
	for i := 0; i < 2; i++ {
		if s, b, h := send(t, srv.URL, "inv-1"); s != http.StatusAccepted || b != "answer 1" || h != "1" {
			t.Errorf("attempt %d: %d %q X-Answer %q, want 202 \"answer 1\" X-Answer 1", i+1, s, b, h)
		}
	}
	if s, b, _ := send(t, srv.URL, "inv-2"); s != http.StatusAccepted || b != "answer 2" {
		t.Errorf("another call: %d %q, want 202 \"answer 2\"", s, b)
	}
	for i := 0; i < 2; i++ {
		if s, b, _ := send(t, srv.URL+"/empty", "inv-3"); s != http.StatusOK || b != "" {
			t.Errorf("empty answer, attempt %d: %d %q, want 200 and no body", i+1, s, b)
		}
	}
	for i := 0; i < 2; i++ {
		send(t, srv.URL, "")
	}
	if calls := calls.Load(); calls != 5 {
		t.Errorf("%d calls reached the handler, want 5 (inv-1, inv-2, inv-3 once each; two without an id)", calls)
	}
}

// A response the handler did not finish is never replayed: an aborted handler, a hijacked
// connection.
func TestAnUnfinishedAnswerIsNotReplayed(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("part"))
		switch r.URL.Path {
		case "/abort":
			panic(http.ErrAbortHandler)
		case "/hijack":
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			conn.Close()
		}
	})))
	defer srv.Close()

	for _, path := range []string{"/abort", "/hijack"} {
		calls.Store(0)
		for i := 0; i < 2; i++ {
			if _, b, _ := send(t, srv.URL+path, "inv"+path); b == "part" {
				t.Errorf("%s attempt %d: a complete answer %q, want a broken one", path, i+1, b)
			}
		}
		if calls := calls.Load(); calls != 2 {
			t.Errorf("%s: %d calls reached the handler, want 2", path, calls)
		}
	}
}

// A retry that arrives while the attempt it repeats is still in the handler waits for that
// attempt's answer instead of reaching the handler too.
func TestARetryWaitsForTheAttemptItRepeats(t *testing.T) {
	var calls atomic.Int32
	entered, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			close(entered)
			<-release
		}
		fmt.Fprintf(w, "answer %d", calls.Load())
	})))
	defer srv.Close()
	bodies := make(chan string, 2)
	go func() { _, b, _ := send(t, srv.URL, "inv"); bodies <- b }()
	<-entered
	go func() { _, b, _ := send(t, srv.URL, "inv"); bodies <- b }()
	time.Sleep(50 * time.Millisecond) // lets the retry arrive; the assertions hold without it
	close(release)
	for i := 0; i < 2; i++ {
		if b := <-bodies; b != "answer 1" {
			t.Errorf("attempt answered %q, want \"answer 1\"", b)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d calls reached the handler, want 1", n)
	}
}

// The replay is the answer as it was sent: the first status, the headers at that moment (not
// one set after the body started), the body across a flush. Every 2xx status is replayed, and a
// 3xx too: the SDK does not retry one.
func TestReplayIsTheAnswerAsSent(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch r.URL.Path {
		case "/late-header":
			w.Header().Set("X-Answer", "sent")
			w.Write([]byte("a"))
			w.Header().Set("X-Answer", "too late")
		case "/flush":
			w.WriteHeader(http.StatusCreated)
			w.WriteHeader(http.StatusTeapot) // ignored, as net/http ignores it
			w.Write([]byte("a"))
			w.(http.Flusher).Flush()
			w.Write([]byte("b"))
		case "/empty":
			w.Header().Set("X-Answer", "empty")
		default: // /299, /300
			w.Header().Set("Location", "/elsewhere")
			w.WriteHeader(map[string]int{"/299": 299, "/300": 300}[r.URL.Path])
			fmt.Fprintf(w, "answer %d", n)
		}
	})))
	defer srv.Close()
	for _, c := range []struct {
		path, body, header string
		status             int
		calls              int32
	}{
		{"/late-header", "a", "sent", 200, 1},
		{"/flush", "ab", "", 201, 1},
		{"/empty", "", "empty", 200, 1},
		{"/299", "answer 1", "", 299, 1},
	} {
		calls.Store(0)
		for i := 0; i < 2; i++ {
			if s, b, h := send(t, srv.URL+c.path, "inv"+c.path); s != c.status || b != c.body || h != c.header {
				t.Errorf("%s attempt %d: %d %q X-Answer %q, want %d %q X-Answer %q", c.path, i+1, s, b, h, c.status, c.body, c.header)
			}
		}
		if n := calls.Load(); n != c.calls {
			t.Errorf("%s: %d calls reached the handler, want %d", c.path, n, c.calls)
		}
	}
	calls.Store(0)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := 1; i <= 2; i++ {
		if a := do(client, srv.URL+"/300", "inv/300", "{}", ""); a.err != nil || a.status != 300 || a.body != "answer 1" {
			t.Errorf("/300 attempt %d: %d %q (%v), want the first answer, 300 \"answer 1\"", i, a.status, a.body, a.err)
		}
	}
}

// An error answer the SDK retries on its own merits (a retryable status, a throttling or
// timeout code in any protocol's place for it) lets the retry reach the handler; any other is
// replayed, so a fake scripted to fail once still fails a retry caused by the transport.
func TestOnlyAnswersTheSDKRetriesReachTheHandlerAgain(t *testing.T) {
	cborType := func(code string) []byte { return cbor.Encode(cbor.Map{"__type": cbor.String(code)}) }
	const json, cborProto = "application/x-amz-json-1.1", "rpc-v2-cbor"
	for _, c := range []struct {
		name    string
		status  int
		header  [2]string
		body    []byte
		proto   string // the request's Smithy-Protocol
		reaches bool
	}{
		{"JSONThrottling", 400, [2]string{"Content-Type", json}, []byte(`{"__type":"ThrottlingException","message":"Rate exceeded"}`), "", true},
		{"JSONShapeIDThrottling", 400, [2]string{"Content-Type", json}, []byte(`{"__type":"com.amazonaws.athena#TooManyRequestsException:http://internal"}`), "", true},
		{"JSONFirstHashSplits", 400, [2]string{"Content-Type", json}, []byte(`{"__type":"a#b#ThrottlingException"}`), "", false},
		{"JSONCodeTimeout", 400, [2]string{"Content-Type", "application/json"}, []byte(`{"code":"RequestTimeoutException"}`), "", true},
		{"JSONCodeAnyCase", 400, [2]string{"Content-Type", "application/json"}, []byte(`{"Code":"ThrottlingException"}`), "", true},
		{"JSONEmptyTypeThenCode", 400, [2]string{"Content-Type", "application/json"}, []byte(`{"__type":"","code":"ThrottlingException"}`), "", true},
		{"JSONTypeBeforeCode", 400, [2]string{"Content-Type", "application/json"}, []byte(`{"code":"ValidationException","__type":"ThrottlingException"}`), "", true},
		{"JSONTypeBeforeCodeNotRetried", 400, [2]string{"Content-Type", "application/json"}, []byte(`{"code":"ThrottlingException","__type":"ValidationException"}`), "", false},
		{"JSONAccessDenied", 400, [2]string{"Content-Type", json}, []byte(`{"__type":"AccessDeniedException","message":"no"}`), "", false},
		{"XMLThrottling", 400, [2]string{"Content-Type", "text/xml"}, []byte(`<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code></Error></ErrorResponse>`), "", true},
		{"XMLAccessDenied", 403, [2]string{"Content-Type", "text/xml"}, []byte(`<Error><Code>AccessDenied</Code></Error>`), "", false},
		{"CBORThrottling", 400, [2]string{"Content-Type", "application/cbor"}, cborType("ThrottlingException"), cborProto, true},
		{"CBORShapeID", 400, [2]string{"Content-Type", "application/cbor"}, cborType("com.amazonaws.cloudwatch#LimitExceededException"), cborProto, true},
		{"CBORNotFound", 404, [2]string{"Content-Type", "application/cbor"}, cborType("ResourceNotFound"), cborProto, false},
		{"CBORIgnoresErrorTypeHeader", 400, [2]string{"X-Amzn-Errortype", "ThrottlingException"}, cborType("ResourceNotFound"), cborProto, false},
		{"QueryErrorHeader", 400, [2]string{"X-Amzn-Query-Error", "Throttling;Sender"}, cborType("Other"), cborProto, true},
		{"ErrorTypeHeader", 400, [2]string{"X-Amzn-Errortype", "SlowDown:http://internal"}, nil, "", true},
		{"ErrorTypeHeaderNotRetried", 400, [2]string{"X-Amzn-Errortype", "ValidationException"}, []byte(`{"__type":"ThrottlingException"}`), "", false},
		{"Status503", 503, [2]string{"Content-Type", "text/plain"}, []byte("busy"), "", true},
		{"Status429", 429, [2]string{"Content-Type", "text/plain"}, []byte("slow down"), "", true},
		{"Status429Modeled", 429, [2]string{"Content-Type", "text/xml"}, []byte(`<ErrorResponse><Error><Code>Throttled</Code></Error></ErrorResponse>`), "", false},
		{"Status501", 501, [2]string{"Content-Type", "text/plain"}, []byte("not implemented"), "", false},
		{"NoCode", 400, [2]string{"Content-Type", "text/plain"}, []byte("Throttling"), "", false},
		{"SuccessNamingACode", 299, [2]string{"Content-Type", "application/json"}, []byte(`{"__type":"ThrottlingException"}`), "", false},
		{"RedirectNamingACode", 300, [2]string{"Content-Type", "application/json"}, []byte(`{"__type":"ThrottlingException"}`), "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.Header().Set(c.header[0], c.header[1])
				w.WriteHeader(c.status)
				w.Write(c.body)
			})))
			defer srv.Close()
			for i := 0; i < 2; i++ {
				if s, b, _ := sendWith(t, srv.URL, "inv", c.proto); s != c.status || b != string(c.body) {
					t.Errorf("attempt %d: %d %q, want %d %q", i+1, s, b, c.status, c.body)
				}
			}
			want := int32(1)
			if c.reaches {
				want = 2
			}
			if n := calls.Load(); n != want {
				t.Errorf("%d calls reached the handler, want %d", n, want)
			}
		})
	}
}

// An attempt the handler left without a word because its client went is not an answer: the
// retry reaches the handler and gets the real one.
func TestAnAttemptWhoseClientWentIsNotReplayed(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			<-r.Context().Done() // a slow fake: it gives up when the client does
			return
		}
		fmt.Fprint(w, "ok")
	})))
	defer srv.Close()
	if a := do(&http.Client{Timeout: 100 * time.Millisecond}, srv.URL, "inv", "{}", ""); a.err == nil {
		t.Fatal("the first attempt got an answer; want its client to give up")
	}
	if s, b, _ := send(t, srv.URL, "inv"); s != 200 || b != "ok" {
		t.Errorf("retry: %d %q, want 200 \"ok\" from the handler", s, b)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d calls reached the handler, want 2", n)
	}
}

// An answer over 8 MiB is not kept: a retry reaches the handler.
func TestALargeAnswerIsNotKept(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		chunk := strings.Repeat("x", 1<<20)
		for i := 0; i < 8; i++ {
			fmt.Fprint(w, chunk)
		}
		if r.URL.Path == "/over" {
			fmt.Fprint(w, "x")
		}
	})))
	defer srv.Close()
	for _, c := range []struct {
		path         string
		extra, calls int32
	}{{"/at", 0, 1}, {"/over", 1, 2}} {
		calls.Store(0)
		for i := 0; i < 2; i++ {
			if s, b, _ := send(t, srv.URL+c.path, "inv"+c.path); s != 200 || len(b) != 8<<20+int(c.extra) {
				t.Errorf("%s attempt %d: %d with %d bytes", c.path, i+1, s, len(b))
			}
		}
		if n := calls.Load(); n != c.calls {
			t.Errorf("%s: %d calls reached the handler, want %d", c.path, n, c.calls)
		}
	}
}

// A handler behind the wrapper reaches the server's writer through http.ResponseController.
func TestResponseControllerReachesTheServer(t *testing.T) {
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline: %v", err)
		}
	})))
	defer srv.Close()
	send(t, srv.URL, "inv")
}

// A request body that cannot be read gets no answer at all, and never reaches the handler.
func TestAnUnreadableBodyIsAborted(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) })))
	defer srv.Close()
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "POST / HTTP/1.1\r\nHost: x\r\n"+InvocationHeader+": inv\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
	got, _ := io.ReadAll(conn)
	if len(got) != 0 || calls.Load() != 0 {
		t.Errorf("answer %q, %d calls; want the connection closed without a word and no call", got, calls.Load())
	}
}

// The failure the wrapper exists for, with an error answer: a fake scripted to deny a call once
// still denies it when the transport breaks the answer and the SDK retries.
func TestAnAnswerTheSDKDoesNotRetryIsReplayed(t *testing.T) {
	f := &countingLogs{status: []int{http.StatusBadRequest}}
	f.code = "AccessDeniedException"
	srv := httptest.NewServer(OncePerCall(f))
	defer srv.Close()
	_, err := logsClient(srv.URL, &closingTransport{n: 1}).TestMetricFilter(context.Background(), &cloudwatchlogs.TestMetricFilterInput{
		FilterPattern: aws.String("m1"), LogEventMessages: []string{"m1", "m2"},
	})
	if err == nil || !strings.Contains(err.Error(), "AccessDeniedException") {
		t.Errorf("error %v, want AccessDeniedException", err)
	}
	if calls, _ := f.count(); calls != 1 {
		t.Errorf("%d calls, want 1", calls)
	}
}

// A retry must repeat its attempt: one with another method, URL or body is a client bug, and
// gets an error rather than the replay.
func TestARetryThatDiffersIsRefused(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fmt.Fprint(w, "ok")
	})))
	defer srv.Close()
	post := func(path, body string) (int, string) {
		a := do(http.DefaultClient, srv.URL+path, "inv", body, "")
		if a.err != nil {
			t.Fatal(a.err)
		}
		if ct := a.header.Get("Content-Type"); a.status == 400 && ct != "application/json" {
			t.Errorf("the refusal's Content-Type is %q, want application/json", ct)
		}
		return a.status, a.body
	}
	if s, b := post("/", "{}"); s != 200 || b != "ok" {
		t.Fatalf("first attempt: %d %q", s, b)
	}
	for _, c := range []struct{ path, body string }{{"/", "{ }"}, {"/other", "{}"}} {
		want := `{"__type":"AwstestRetryDiffers","message":"awstest: attempt of invocation inv differs from its first attempt (method, URL or body)"}`
		if s, b := post(c.path, c.body); s != 400 || b != want {
			t.Errorf("retry %s %q: %d %q, want 400 %s", c.path, c.body, s, b, want)
		}
	}
	if s, b := post("/", "{}"); s != 200 || b != "ok" {
		t.Errorf("a faithful retry: %d %q, want the replay", s, b)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d calls reached the handler, want 1", n)
	}
}

// A flush reaches the client while the handler is still running.
func TestFlushReachesTheClient(t *testing.T) {
	gotA := make(chan struct{})
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("a"))
		w.(http.Flusher).Flush()
		select {
		case <-gotA:
			w.Write([]byte("b"))
		case <-time.After(5 * time.Second):
			w.Write([]byte(" never flushed"))
		}
	})))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
	req.Header.Set(InvocationHeader, "inv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, 1)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}
	close(gotA)
	rest, _ := io.ReadAll(resp.Body)
	if got := string(first) + string(rest); got != "ab" {
		t.Errorf("body %q, want \"ab\"", got)
	}
}

// Every attempt is checked against the first, also after an answer that is not replayed.
func TestARetryAfterAnErrorThatDiffersIsRefused(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})))
	defer srv.Close()
	for i, body := range []string{"{}", ""} {
		a := do(http.DefaultClient, srv.URL, "inv", body, "")
		if want := []int{503, 400}[i]; a.err != nil || a.status != want {
			t.Errorf("attempt %d: %d (%v), want %d", i+1, a.status, a.err, want)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d calls reached the handler, want 1", n)
	}
}
