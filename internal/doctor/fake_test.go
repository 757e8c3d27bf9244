package doctor

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/awstest"

	"github.com/aws/smithy-go/encoding/cbor"
)

// fakeAWS is one local HTTP server that speaks the wire protocol of every service doctor calls,
// as each SDK client sends it:
//   - CloudTrail, CloudWatch Logs, KMS, SSM, Organizations: AWS JSON 1.1 (POST /, X-Amz-Target: Prefix.Operation);
//   - CloudWatch: Smithy RPC v2 CBOR, the protocol of aws-sdk-go-v2/service/cloudwatch since it
//     left the query protocol (POST /service/GraniteServiceVersion20100801/operation/Operation);
//   - SNS, CloudFormation, STS: the AWS query protocol (form-encoded Action=..., XML answers);
//   - S3: REST-XML, path-style (GET /bucket?publicAccessBlock).
//
// Handlers answer with Go values shaped as the API references document the responses; errors
// are *apiError. Every call is recorded as "service:Operation".
type fakeAWS struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	handlers map[string]func(in map[string]any) (any, error)
	calls    []string
	// fail makes the next n calls of an operation fail with the error, then the handler answers.
	fail map[string][]error
}

type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func throttled(code string) *apiError {
	return &apiError{400, code, "Rate exceeded"}
}

func newFakeAWS(t *testing.T) *fakeAWS {
	f := &fakeAWS{t: t, handlers: map[string]func(map[string]any) (any, error){}, fail: map[string][]error{}}
	f.srv = httptest.NewServer(awstest.OncePerCall(http.HandlerFunc(f.serve)))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAWS) handle(op string, h func(in map[string]any) (any, error)) { f.handlers[op] = h }

// failNext makes the next calls of op fail with errs, one per call, in order.
func (f *fakeAWS) failNext(op string, errs ...error) { f.fail[op] = append(f.fail[op], errs...) }

func (f *fakeAWS) called(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == op {
			n++
		}
	}
	return n
}

// jsonTargets maps X-Amz-Target prefixes to services. The CloudTrail API reference writes the
// long form; aws-sdk-go-v2 sends the short one.
var jsonTargets = map[string]string{
	"com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.": "cloudtrail",
	"CloudTrail_20131101.": "cloudtrail",
	"Logs_20140328.":       "logs",
	"TrentService.":        "kms",
	"AmazonSSM.":           "ssm",
	// AWS Organizations API reference: X-Amz-Target: AWSOrganizationsV20161128.Operation.
	"AWSOrganizationsV20161128.": "organizations",
}

var queryServices = map[string]string{
	"GetCallerIdentity":        "sts",
	"AssumeRole":               "sts",
	"ListStackResources":       "cloudformation",
	"DescribeStacks":           "cloudformation",
	"ListSubscriptionsByTopic": "sns",
}

func (f *fakeAWS) dispatch(op string, in map[string]any) (any, error) {
	f.mu.Lock()
	f.calls = append(f.calls, op)
	if errs := f.fail[op]; len(errs) > 0 {
		f.fail[op] = errs[1:]
		f.mu.Unlock()
		return nil, errs[0]
	}
	h := f.handlers[op]
	f.mu.Unlock()
	if h == nil {
		return nil, &apiError{400, "UnknownOperationException", "fake has no handler for " + op}
	}
	return h(in)
}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		f.serveJSON(w, r, body)
	case r.Header.Get("Smithy-Protocol") == "rpc-v2-cbor":
		f.serveCBOR(w, r, body)
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		f.serveQuery(w, r, body)
	default:
		f.serveS3(w, r)
	}
}

func (f *fakeAWS) serveJSON(w http.ResponseWriter, r *http.Request, body []byte) {
	target := r.Header.Get("X-Amz-Target")
	op := ""
	for prefix, svc := range jsonTargets {
		if name, ok := strings.CutPrefix(target, prefix); ok {
			op = svc + ":" + name
		}
	}
	if op == "" {
		f.t.Errorf("fake: unknown X-Amz-Target %q", target)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		f.t.Errorf("fake: %s sent Content-Type %q, want application/x-amz-json-1.1", op, ct)
	}
	in := map[string]any{}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			f.t.Errorf("fake: %s body: %v", op, err)
		}
	}
	out, err := f.dispatch(op, in)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if err != nil {
		e := err.(*apiError)
		w.WriteHeader(e.status)
		json.NewEncoder(w).Encode(map[string]string{"__type": e.code, "message": e.message})
		return
	}
	json.NewEncoder(w).Encode(jsonValue(out))
}

// jsonValue turns time.Time into epoch seconds, as AWS JSON 1.1 sends timestamps.
func jsonValue(v any) any {
	switch v := v.(type) {
	case time.Time:
		return float64(v.UnixMilli()) / 1000
	case map[string]any:
		m := map[string]any{}
		for k, x := range v {
			m[k] = jsonValue(x)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, x := range v {
			l[i] = jsonValue(x)
		}
		return l
	}
	return v
}

func (f *fakeAWS) serveCBOR(w http.ResponseWriter, r *http.Request, body []byte) {
	name, ok := strings.CutPrefix(r.URL.Path, "/service/GraniteServiceVersion20100801/operation/")
	if !ok {
		f.t.Errorf("fake: unknown RPC v2 path %q", r.URL.Path)
	}
	op := "cloudwatch:" + name
	in := map[string]any{}
	if len(body) > 0 {
		v, err := cbor.Decode(body)
		if err != nil {
			f.t.Errorf("fake: %s CBOR body: %v", op, err)
		} else if m, ok := fromCBOR(v).(map[string]any); ok {
			in = m
		}
	}
	out, err := f.dispatch(op, in)
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	if err != nil {
		e := err.(*apiError)
		// CloudWatch is query-compatible: the query error code rides in a header.
		w.Header().Set("X-Amzn-Query-Error", e.code+";Sender")
		w.WriteHeader(e.status)
		w.Write(cbor.Encode(cbor.Map{"__type": cbor.String("com.amazonaws.cloudwatch#" + e.code), "message": cbor.String(e.message)}))
		return
	}
	w.Write(cbor.Encode(toCBOR(out)))
}

func fromCBOR(v cbor.Value) any {
	switch v := v.(type) {
	case cbor.Map:
		m := map[string]any{}
		for k, x := range v {
			m[k] = fromCBOR(x)
		}
		return m
	case cbor.List:
		l := make([]any, len(v))
		for i, x := range v {
			l[i] = fromCBOR(x)
		}
		return l
	case cbor.String:
		return string(v)
	case cbor.Uint:
		return float64(v)
	case cbor.Bool:
		return bool(v)
	}
	return v
}

func toCBOR(v any) cbor.Value {
	switch v := v.(type) {
	case nil:
		return &cbor.Nil{}
	case string:
		return cbor.String(v)
	case bool:
		return cbor.Bool(v)
	case int:
		return cbor.Uint(v)
	case float64:
		if v == math.Trunc(v) && v >= 0 {
			return cbor.Uint(v)
		}
		return cbor.Float64(v)
	case time.Time:
		// Timestamps are tag 1 (epoch seconds) in RPC v2 CBOR.
		return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(v.UnixMilli()) / 1000)}
	case []any:
		l := make(cbor.List, len(v))
		for i, x := range v {
			l[i] = toCBOR(x)
		}
		return l
	case []string:
		l := make(cbor.List, len(v))
		for i, x := range v {
			l[i] = cbor.String(x)
		}
		return l
	case map[string]any:
		m := cbor.Map{}
		for k, x := range v {
			m[k] = toCBOR(x)
		}
		return m
	}
	panic(fmt.Sprintf("toCBOR: %T", v))
}

// queryXML is a query-protocol answer: the inner XML of the <OperationResult> element.
type queryXML string

// accessKey is the access key ID that signed r (Authorization: AWS4-HMAC-SHA256 Credential=AKID/...).
func accessKey(r *http.Request) string {
	_, cred, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	akid, _, _ := strings.Cut(cred, "/")
	return akid
}

func (f *fakeAWS) serveQuery(w http.ResponseWriter, r *http.Request, body []byte) {
	form, _ := url.ParseQuery(string(body))
	action := form.Get("Action")
	svc, ok := queryServices[action]
	if !ok {
		f.t.Errorf("fake: unknown query Action %q", action)
	}
	in := map[string]any{}
	for k, v := range form {
		in[k] = v[0]
	}
	in["_accessKey"] = accessKey(r)
	op := svc + ":" + action
	out, err := f.dispatch(op, in)
	w.Header().Set("Content-Type", "text/xml")
	if err != nil {
		e := err.(*apiError)
		w.WriteHeader(e.status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://%s.amazonaws.com/doc/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>`, svc, e.code, xmlEscape(e.message))
		return
	}
	fmt.Fprintf(w, `<%sResponse xmlns="https://%s.amazonaws.com/doc/"><%sResult>%s</%sResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></%sResponse>`,
		action, svc, action, out.(queryXML), action, action)
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// s3Body is a REST-XML answer body, written as is.
type s3Body string

func (f *fakeAWS) serveS3(w http.ResponseWriter, r *http.Request) {
	bucket := strings.Trim(r.URL.Path, "/")
	q := r.URL.Query()
	var op string
	switch {
	case r.Method == http.MethodGet && q.Has("publicAccessBlock"):
		op = "s3:GetPublicAccessBlock"
	case r.Method == http.MethodGet && q.Has("policy"):
		op = "s3:GetBucketPolicy"
	default:
		f.t.Errorf("fake: unknown S3 request %s %s", r.Method, r.URL)
	}
	out, err := f.dispatch(op, map[string]any{"Bucket": bucket})
	if err != nil {
		e := err.(*apiError)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(e.status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><BucketName>%s</BucketName><RequestId>fake</RequestId><HostId>fake</HostId></Error>`, e.code, xmlEscape(e.message), bucket)
		return
	}
	w.Write([]byte(out.(s3Body)))
}

// page returns items[from:from+size] and the next token ("" at the end), for NextToken paging.
func page[T any](items []T, token any, size int) ([]T, string) {
	from := 0
	if s, ok := token.(string); ok && s != "" {
		fmt.Sscanf(s, "page-%d", &from)
	}
	to := min(from+size, len(items))
	if to >= len(items) {
		return items[from:], ""
	}
	return items[from:to], fmt.Sprintf("page-%d", to)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
