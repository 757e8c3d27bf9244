package notify

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/trailwatch/trailwatch/internal/awstest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// snsMaxBytes is SNS Publish's limit on a message (256 KB).
const snsMaxBytes = 262144

// logEvent is one CloudTrail record as CloudWatch Logs holds it.
type logEvent struct {
	Timestamp int64
	Message   string
}

// fakeLogs answers FilterLogEvents (AWS JSON 1.1, X-Amz-Target Logs_20140328.FilterLogEvents) by
// running our filter-pattern engine over its events, so it selects exactly what the pattern
// selects, in timestamp order, pageSize events per page with nextToken.
type fakeLogs struct {
	t        testing.TB
	logGroup string
	events   []logEvent
	pageSize int
	// fail, when set, answers every call with this status and JSON error type.
	failStatus int
	failType   string
	// slow blocks each call until the client gives up.
	slow bool
	// filters are the metric filters of the log group, pattern by "namespace/metric".
	filters map[string]string
	// zeroFilters are more filters on those metrics that publish 0 (benchmark filters), listed
	// before the ones in filters.
	zeroFilters map[string]string

	mu    sync.Mutex
	calls int
	// pages are the distinct pages (start offsets) served; a retried request serves one twice.
	pages      map[int]bool
	patterns   []string
	selections map[string][]logEvent
}

// fail makes every later call fail with status and the JSON error type typ.
func (f *fakeLogs) fail(status int, typ string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failStatus, f.failType = status, typ
}

func (f *fakeLogs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls++
	failStatus, failType, slow := f.failStatus, f.failType, f.slow
	f.mu.Unlock()
	jsonErr := func(status int, typ, msg string) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
	}
	switch got := r.Header.Get("X-Amz-Target"); got {
	case "Logs_20140328.FilterLogEvents":
	case "Logs_20140328.DescribeMetricFilters":
		f.describeMetricFilters(w, r, jsonErr)
		return
	default:
		jsonErr(400, "UnknownOperationException", "unexpected target "+got)
		return
	}
	if slow {
		// The body is read first: only then does the server notice the client hanging up.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	}
	if failStatus != 0 {
		jsonErr(failStatus, failType, "fake "+failType)
		return
	}
	var in struct {
		LogGroupName  string `json:"logGroupName"`
		FilterPattern string `json:"filterPattern"`
		StartTime     *int64 `json:"startTime"`
		EndTime       *int64 `json:"endTime"`
		NextToken     string `json:"nextToken"`
		Limit         int    `json:"limit"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		jsonErr(400, "SerializationException", err.Error())
		return
	}
	if in.LogGroupName != f.logGroup {
		jsonErr(400, "ResourceNotFoundException", "The specified log group does not exist: "+in.LogGroupName)
		return
	}
	p, err := filterpattern.Parse(in.FilterPattern)
	if err != nil {
		jsonErr(400, "InvalidParameterException", "Invalid filter pattern: "+err.Error())
		return
	}
	f.mu.Lock()
	f.patterns = append(f.patterns, in.FilterPattern)
	f.mu.Unlock()
	// The selection is computed once per query and kept for its later pages, as a real search
	// cursor would; recomputing it per page would make the fake, not the handler, dominate
	// benchmarks.
	key := fmt.Sprint(in.FilterPattern, aws.ToInt64(in.StartTime), aws.ToInt64(in.EndTime))
	f.mu.Lock()
	sel, ok := f.selections[key]
	f.mu.Unlock()
	if !ok {
		for _, e := range f.events {
			if in.StartTime != nil && e.Timestamp < *in.StartTime || in.EndTime != nil && e.Timestamp > *in.EndTime {
				continue
			}
			if p.Match([]byte(e.Message)) {
				sel = append(sel, e)
			}
		}
		sort.SliceStable(sel, func(i, j int) bool { return sel[i].Timestamp < sel[j].Timestamp })
		f.mu.Lock()
		if f.selections == nil {
			f.selections = map[string][]logEvent{}
		}
		f.selections[key] = sel
		f.mu.Unlock()
	}
	from := 0
	if in.NextToken != "" {
		if from, err = strconv.Atoi(in.NextToken); err != nil {
			jsonErr(400, "InvalidParameterException", "bad nextToken")
			return
		}
	}
	size := f.pageSize
	if size == 0 {
		size = 50
	}
	if in.Limit > 0 && in.Limit < size {
		size = in.Limit
	}
	to := min(from+size, len(sel))
	f.mu.Lock()
	if f.pages == nil {
		f.pages = map[int]bool{}
	}
	f.pages[from] = true
	f.mu.Unlock()
	type outEvent struct {
		EventID       string `json:"eventId"`
		IngestionTime int64  `json:"ingestionTime"`
		LogStreamName string `json:"logStreamName"`
		Message       string `json:"message"`
		Timestamp     int64  `json:"timestamp"`
	}
	out := struct {
		Events    []outEvent `json:"events"`
		NextToken string     `json:"nextToken,omitempty"`
	}{Events: []outEvent{}}
	for i := from; i < to; i++ {
		out.Events = append(out.Events, outEvent{EventID: fmt.Sprintf("%020d", i), IngestionTime: sel[i].Timestamp + 1000,
			LogStreamName: "123456789012_CloudTrail_us-east-1", Message: sel[i].Message, Timestamp: sel[i].Timestamp})
	}
	if to < len(sel) {
		out.NextToken = strconv.Itoa(to)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

// describeMetricFilters answers with the filters of the fake log group on the asked metric.
// Near-copy of filterLogEvents' decoding: each fake API decodes its own input.
func (f *fakeLogs) describeMetricFilters(w http.ResponseWriter, r *http.Request, jsonErr func(int, string, string)) {
	var in struct {
		LogGroupName    string `json:"logGroupName"`
		MetricName      string `json:"metricName"`
		MetricNamespace string `json:"metricNamespace"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		jsonErr(400, "SerializationException", err.Error())
		return
	}
	if in.LogGroupName != f.logGroup {
		jsonErr(400, "ResourceNotFoundException", "The specified log group does not exist.")
		return
	}
	type transform struct {
		MetricName      string `json:"metricName"`
		MetricNamespace string `json:"metricNamespace"`
		MetricValue     string `json:"metricValue"`
	}
	type filter struct {
		FilterName            string      `json:"filterName"`
		FilterPattern         string      `json:"filterPattern"`
		LogGroupName          string      `json:"logGroupName"`
		MetricTransformations []transform `json:"metricTransformations"`
	}
	out := struct {
		MetricFilters []filter `json:"metricFilters"`
	}{MetricFilters: []filter{}}
	if p, ok := f.zeroFilters[in.MetricNamespace+"/"+in.MetricName]; ok {
		out.MetricFilters = append(out.MetricFilters, filter{FilterName: "trailwatch-zero-" + in.MetricName, FilterPattern: p, LogGroupName: f.logGroup,
			MetricTransformations: []transform{{MetricName: in.MetricName, MetricNamespace: in.MetricNamespace, MetricValue: "0"}}})
	}
	if p, ok := f.filters[in.MetricNamespace+"/"+in.MetricName]; ok {
		out.MetricFilters = append(out.MetricFilters, filter{FilterName: "trailwatch-" + in.MetricName, FilterPattern: p, LogGroupName: f.logGroup,
			MetricTransformations: []transform{{MetricName: in.MetricName, MetricNamespace: in.MetricNamespace, MetricValue: "1"}}})
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

// published is one Publish call the fake SNS accepted.
type published struct {
	TopicARN, Subject, Message string
}

// fakeSNS answers Publish (query protocol) and enforces SNS's rules for email messages: a subject
// of printable ASCII under 100 characters, a non-empty UTF-8 message of at most 262,144 bytes.
type fakeSNS struct {
	t testing.TB
	// failFirst answers the first n calls with a 500 InternalError.
	failFirst int

	mu    sync.Mutex
	calls int
	got   []published
}

func (f *fakeSNS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	xmlErr := func(status int, code, msg string) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake</RequestId></ErrorResponse>`, code, xmlEscape(msg))
	}
	if err := r.ParseForm(); err != nil {
		xmlErr(400, "MalformedQueryString", err.Error())
		return
	}
	if a := r.PostForm.Get("Action"); a != "Publish" {
		xmlErr(400, "InvalidAction", "unexpected action "+a)
		return
	}
	if f.calls <= f.failFirst {
		xmlErr(500, "InternalError", "fake internal error")
		return
	}
	p := published{TopicARN: r.PostForm.Get("TopicArn"), Subject: r.PostForm.Get("Subject"), Message: r.PostForm.Get("Message")}
	if msg := snsRuleBroken(p); msg != "" {
		xmlErr(400, "InvalidParameter", msg)
		return
	}
	f.got = append(f.got, p)
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-%d</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`, f.calls)
}

// snsRuleBroken returns why SNS would refuse or alter p, or "".
func snsRuleBroken(p published) string {
	if len(p.Subject) >= 100 {
		return fmt.Sprintf("Invalid parameter: Subject is %d characters", len(p.Subject))
	}
	for _, r := range p.Subject {
		if r < 0x20 || r >= 0x7f {
			return fmt.Sprintf("Invalid parameter: Subject has %q", r)
		}
	}
	if p.Message == "" || !utf8.ValidString(p.Message) {
		return "Invalid parameter: Message"
	}
	if len(p.Message) > snsMaxBytes {
		return "Invalid parameter: Message too long"
	}
	return ""
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// fakes is a handler wired to fake endpoints through real SDK clients.
type fakes struct {
	logs            *fakeLogs
	sns             *fakeSNS
	logsURL, snsURL string
	h               *Handler
}

const (
	testLogGroup = "aws-cloudtrail-logs-123456789012"
	testTopic    = "arn:aws:sns:us-east-1:123456789012:trailwatch-email"
)

func newFakes(t testing.TB, events []logEvent, lang string) *fakes {
	t.Helper()
	f := &fakes{logs: &fakeLogs{t: t, logGroup: testLogGroup, events: events}, sns: &fakeSNS{t: t}}
	logSrv := httptest.NewServer(awstest.OncePerCall(f.logs))
	snsSrv := httptest.NewServer(awstest.OncePerCall(f.sns))
	t.Cleanup(logSrv.Close)
	t.Cleanup(snsSrv.Close)
	f.logsURL, f.snsURL = logSrv.URL, snsSrv.URL
	creds := credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")
	// Real retries (throttling is retried), with short backoff so tests stay fast.
	retryer := func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = 20 * time.Millisecond })
	}
	f.h = &Handler{
		Config: Config{LogGroup: testLogGroup, TopicARN: testTopic, Language: lang, Environment: "prod"},
		Logs: cloudwatchlogs.New(cloudwatchlogs.Options{Region: "us-east-1", BaseEndpoint: aws.String(logSrv.URL),
			Credentials: creds, Retryer: retryer()}),
		SNS: sns.New(sns.Options{Region: "us-east-1", BaseEndpoint: aws.String(snsSrv.URL), Credentials: creds, Retryer: retryer()}),
	}
	return f
}
