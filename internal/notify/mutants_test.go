package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// The threshold line states "M of N periods" from the alarm's DatapointsToAlarm and
// EvaluationPeriods. (A 2-of-3 alarm once read "3 of 3": the code took the larger of the two.)
func TestThresholdLineStatesDatapointsOfPeriods(t *testing.T) {
	for _, tt := range []struct{ m, n, want string }{
		{"1", "1", "Threshold: >= 1 event(s) in 300 seconds (1 of 1 periods)."},
		{"3", "3", "Threshold: >= 1 event(s) in 300 seconds (3 of 3 periods)."},
		{"2", "3", "Threshold: >= 1 event(s) in 300 seconds (2 of 3 periods)."},
		{"0", "3", "Threshold: >= 1 event(s) in 300 seconds (3 of 3 periods)."}, // unset: CloudWatch's default, all of them
	} {
		f := newFakes(t, manyEvents(3), "en")
		msg := notification(sgRow(t), 3)
		msg = strings.Replace(msg, `"DatapointsToAlarm":1`, `"DatapointsToAlarm":`+tt.m, 1)
		msg = strings.Replace(msg, `"EvaluationPeriods":1`, `"EvaluationPeriods":`+tt.n, 1)
		if err := handle(t, f, msg); err != nil {
			t.Fatal(err)
		}
		if p := onlyOne(t, f); !strings.Contains(p.Message, "\n"+tt.want+"\n") {
			t.Errorf("%s of %s: message lacks the line %q:\n%s", tt.m, tt.n, tt.want, p.Message)
		}
	}
}

// The "... and N more" line is set apart from the last listed event by a blank line.
func TestMoreEventsLineIsItsOwnParagraph(t *testing.T) {
	f := newFakes(t, manyEvents(25), "en")
	if err := handle(t, f, notification(sgRow(t), 25)); err != nil {
		t.Fatal(err)
	}
	if p := onlyOne(t, f); !strings.Contains(p.Message, "\n\n... and 5 more (not listed).\n") {
		t.Errorf("no blank line before the more line:\n%s", p.Message)
	}
}

// When the notification cannot be read and publishing it raw fails too, the error says both (and
// is not ErrDegraded: nothing went out).
func TestUnreadableNotificationThatCannotBePublished(t *testing.T) {
	f := newFakes(t, nil, "en")
	f.sns.failFirst = 1000
	err := handle(t, f, "not json")
	if err == nil || errors.Is(err, ErrDegraded) || !strings.Contains(err.Error(), "not a CloudWatch alarm notification") ||
		!strings.Contains(err.Error(), "; publishing it raw also failed: ") {
		t.Errorf("error %v; want the parse error and the publish failure, not ErrDegraded", err)
	}
	if len(f.sns.got) != 0 {
		t.Errorf("published %d messages", len(f.sns.got))
	}
}

// Wide characters take two columns: the bounds of each East Asian wide range, and one past them.
func TestColumnsOfWideCharacters(t *testing.T) {
	for r, want := range map[rune]int{
		'a': 1, 'é': 1, 0x10ff: 1, 0x1100: 2, 0x115f: 2, 0x1160: 1,
		0x2e7f: 1, 0x2e80: 2, 0xa4cf: 2, 0xa4d0: 1, 0xabff: 1, 0xac00: 2, 0xd7a3: 2, 0xd7a4: 1,
		0xf8ff: 1, 0xf900: 2, 0xfaff: 2, 0xfb00: 1, 0xfe2f: 1, 0xfe30: 2, 0xfe4f: 2, 0xfe50: 1,
		0xfeff: 1, 0xff00: 2, 0xff60: 2, 0xff61: 1, 0xffdf: 1, 0xffe0: 2, 0xffe6: 2, 0xffe7: 1,
	} {
		if got := columns(string(r)); got != want {
			t.Errorf("columns(%U) = %d, want %d", r, got, want)
		}
	}
}

// A long tail (an environment label, a degraded state) is cut so the alarm name keeps 12
// characters, and the subject still fits SNS's 100.
func TestSubjectCutsALongTail(t *testing.T) {
	r := &report{alarm: Alarm{AlarmName: strings.Repeat("N", 80), AWSAccountID: "123456789012", NewStateValue: "ALARM",
		AlarmArn: "arn:aws:cloudwatch:ap-southeast-2:123456789012:alarm:x"},
		window: Window{Count: 123456}, environment: strings.Repeat("e", 32), degraded: true}
	got := r.subject()
	if len(got) > 99 || !strings.HasPrefix(got, "ALARM (no details) 123456x NNNNNNNNNN") {
		t.Errorf("subject = %q (%d bytes), want at most 99 that keep the name's start", got, len(got))
	}
}

// The alarm's state reason is cut at 400 bytes, the cut marked with the bytes left out.
func TestReasonIsCutAt400Bytes(t *testing.T) {
	f := newFakes(t, manyEvents(3), "en")
	msg := strings.Replace(notification(sgRow(t), 3), `"NewStateReason":"Threshold Crossed`, `"NewStateReason":"`+strings.Repeat("r", 450)+`Threshold Crossed`, 1)
	if err := handle(t, f, msg); err != nil {
		t.Fatal(err)
	}
	p := onlyOne(t, f)
	if !strings.Contains(p.Message, "\nReason: "+strings.Repeat("r", 400)+"…(+") || strings.Contains(p.Message, strings.Repeat("r", 401)) {
		t.Errorf("reason not cut at 400 bytes:\n%s", p.Message)
	}
}

// An event's identity type is cut at 40 bytes and its source IP at 80: each keeps exactly that
// much, the cut marked with the bytes left out.
func TestEventFieldsAreCutAtTheirWidths(t *testing.T) {
	ev := manyEvents(1)[0]
	ev.Message = strings.Replace(ev.Message, `"type":"IAMUser"`, `"type":"`+strings.Repeat("T", 45)+`"`, 1)
	ev.Message = strings.Replace(ev.Message, `"sourceIPAddress":"198.51.100.1"`, `"sourceIPAddress":"`+strings.Repeat("9", 85)+`"`, 1)
	f := newFakes(t, []logEvent{ev}, "en")
	if err := handle(t, f, notification(sgRow(t), 1)); err != nil {
		t.Fatal(err)
	}
	p := onlyOne(t, f)
	for _, want := range []string{"Who:   " + strings.Repeat("T", 40) + "…(+5 bytes) ", "from " + strings.Repeat("9", 80) + "…(+5 bytes)"} {
		if !strings.Contains(p.Message, want) {
			t.Errorf("message lacks %q:\n%s", want, p.Message)
		}
	}
}

// fullRecord is a CloudTrail record with every field an event block shows.
func fullRecord() map[string]any {
	return map[string]any{
		"eventVersion": "1.09", "eventTime": "2026-11-29T17:44:00Z", "eventSource": "ec2.amazonaws.com",
		"eventName": "AuthorizeSecurityGroupIngress", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.1",
		"userAgent": "aws-cli/2", "errorCode": "Client.UnauthorizedOperation", "errorMessage": "not allowed",
		"eventID": "e1", "recipientAccountId": "210987654321",
		"additionalEventData": map[string]any{"MFAUsed": "maybe"},
		"userIdentity": map[string]any{
			"type": "AssumedRole", "arn": "arn:aws:sts::123456789012:assumed-role/Admin/alice",
			"accessKeyId": "ASIAEXAMPLE", "invokedBy": "cloudformation.amazonaws.com",
			"sessionContext": map[string]any{"sessionIssuer": map[string]any{"arn": "arn:aws:iam::123456789012:role/Admin"}},
		},
		"requestParameters": map[string]any{"groupId": "sg-1"},
	}
}

func set(m map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		m = m[k].(map[string]any)
	}
	m[keys[len(keys)-1]] = v
}

// testReport is an ALARM report of the security group row listing one event, rec.
func testReport(t *testing.T, rec map[string]any) *report {
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return &report{
		alarm: Alarm{AlarmName: "CloudTrailSecurityGroupChanges", AWSAccountID: "123456789012", NewStateValue: "ALARM",
			NewStateReason: "Threshold Crossed", Region: "US East (N. Virginia)", AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x",
			Trigger: Trigger{Period: 300, EvaluationPeriods: 1, ComparisonOperator: "GreaterThanOrEqualToThreshold", Threshold: 1}},
		row: sgRow(t), hasRow: true, window: Window{Start: windowStart, End: windowStart.Add(5 * time.Minute), Count: 1}, found: 1,
		events: []record{decodeRecord(string(b), windowStart.UnixMilli(), "1")}, environment: "prod", lang: "en",
	}
}

// Every value an email shows is cut at its own width, so no field can crowd out the others: each
// keeps exactly that many characters and says how many bytes were left out.
func TestEveryFieldIsCutAtItsWidth(t *testing.T) {
	tests := []struct {
		what  string
		width int
		set   func(r *report, v string)
	}{
		{"alarm name", 255, func(r *report, v string) { r.alarm.AlarmName = v }},
		{"state", 40, func(r *report, v string) { r.alarm.NewStateValue = v }},
		{"account", 20, func(r *report, v string) { r.alarm.AWSAccountID = v }},
		{"environment", 64, func(r *report, v string) { r.environment = v }},
		{"Region code", 30, func(r *report, v string) { r.alarm.AlarmArn = "arn:aws:cloudwatch:" + v + ":1:alarm:x" }},
		{"Region name", 60, func(r *report, v string) { r.alarm.Region = v }},
		{"description", 500, func(r *report, v string) { r.row.Description = catalog.Text{"en": v} }},
		{"comparison", 40, func(r *report, v string) { r.alarm.Trigger.ComparisonOperator = v }},
		{"reason", 400, func(r *report, v string) { r.alarm.NewStateReason = v }},
	}
	for _, f := range []struct {
		path  string
		width int
	}{
		{"eventSource", 80}, {"eventName", 120}, {"userIdentity.type", 40}, {"userIdentity.arn", maxField},
		{"userIdentity.sessionContext.sessionIssuer.arn", maxField}, {"userIdentity.accessKeyId", 32},
		{"additionalEventData.MFAUsed", 8}, {"userIdentity.invokedBy", 80}, {"requestParameters.groupId", maxParams},
		{"awsRegion", 30}, {"sourceIPAddress", 80}, {"userAgent", maxField}, {"errorCode", 80},
		{"errorMessage", maxField}, {"recipientAccountId", 20},
	} {
		tests = append(tests, struct {
			what  string
			width int
			set   func(r *report, v string)
		}{f.path, f.width, func(r *report, v string) {
			rec := fullRecord()
			set(rec, f.path, v)
			*r = *testReport(t, rec)
		}})
	}
	tests = append(tests,
		struct {
			what  string
			width int
			set   func(r *report, v string)
		}{"user name without an ARN", 128, func(r *report, v string) {
			rec := fullRecord()
			set(rec, "userIdentity.arn", "")
			set(rec, "userIdentity.userName", v)
			*r = *testReport(t, rec)
		}},
		struct {
			what  string
			width int
			set   func(r *report, v string)
		}{"session name", 64, func(r *report, v string) {
			rec := fullRecord()
			set(rec, "userIdentity.arn", "arn:aws:sts::123456789012:assumed-role/Admin/"+v)
			*r = *testReport(t, rec)
		}},
		struct {
			what  string
			width int
			set   func(r *report, v string)
		}{"unreadable record", maxField, func(r *report, v string) {
			r.events[0] = decodeRecord(v, windowStart.UnixMilli(), "1")
		}},
	)
	for _, tt := range tests {
		r := testReport(t, fullRecord())
		tt.set(r, strings.Repeat("q", tt.width+5))
		body := r.render().Body
		// (Links carry some values whole, so only the cut itself is looked for.)
		if !strings.Contains(body, strings.Repeat("q", tt.width)+"…(+5 bytes)") {
			t.Errorf("%s: not cut at %d characters:\n%s", tt.what, tt.width, body)
		}
	}
}

// stubLogs serves FilterLogEvents from pages given in order, recording each call's deadline.
type stubLogs struct {
	pages     [][]logstypes.FilteredLogEvent
	endless   int  // when set, every call answers a page of this many events and a next token
	lastEmpty bool // the last page carries an empty next token (not none)
	calls     int
	deadlines []time.Time
	describe  error
}

func (s *stubLogs) FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	d, _ := ctx.Deadline()
	s.deadlines = append(s.deadlines, d)
	s.calls++
	if s.endless > 0 {
		page := make([]logstypes.FilteredLogEvent, s.endless)
		for i := range page {
			page[i] = logstypes.FilteredLogEvent{Timestamp: aws.Int64(int64(s.calls*s.endless + i)), EventId: aws.String(fmt.Sprint(s.calls*s.endless + i)), Message: aws.String("{}")}
		}
		return &cloudwatchlogs.FilterLogEventsOutput{Events: page, NextToken: aws.String("more")}, nil
	}
	out := &cloudwatchlogs.FilterLogEventsOutput{Events: s.pages[s.calls-1]}
	if s.calls < len(s.pages) {
		out.NextToken = aws.String(fmt.Sprint(s.calls))
	} else if s.lastEmpty {
		out.NextToken = aws.String("")
	}
	return out, nil
}

func (s *stubLogs) DescribeMetricFilters(context.Context, *cloudwatchlogs.DescribeMetricFiltersInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeMetricFiltersOutput, error) {
	return nil, s.describe
}

// stubSNS keeps what is published.
type stubSNS struct{ got []*sns.PublishInput }

func (s *stubSNS) Publish(_ context.Context, in *sns.PublishInput, _ ...func(*sns.Options)) (*sns.PublishOutput, error) {
	s.got = append(s.got, in)
	return &sns.PublishOutput{}, nil
}

func stubHandler(logs *stubLogs) (*Handler, *stubSNS) {
	s := &stubSNS{}
	return &Handler{Config: Config{LogGroup: "trail", TopicARN: "arn:aws:sns:us-east-1:123456789012:email", Language: "en"}, Logs: logs, SNS: s}, s
}

// The 20 newest events are listed, newest first, whatever order the search returns them in
// (FilterLogEvents interleaves log streams); events of one millisecond are ordered by event ID.
func TestListsTheNewestWhateverTheSearchOrder(t *testing.T) {
	ts := []int64{5, 30, 1, 29, 12, 12, 40, 3, 33, 18, 25, 7, 38, 21, 9, 36, 14, 27, 2, 31, 16, 23, 35, 11, 20}
	var pages [][]logstypes.FilteredLogEvent
	for i, v := range ts {
		if i%7 == 0 {
			pages = append(pages, nil)
		}
		e := logstypes.FilteredLogEvent{Timestamp: aws.Int64(windowStart.UnixMilli() + v*1000), EventId: aws.String(fmt.Sprintf("id%02d", i)),
			Message: aws.String(fmt.Sprintf(`{"eventName":"E%d"}`, v))}
		pages[len(pages)-1] = append(pages[len(pages)-1], e)
	}
	h, s := stubHandler(&stubLogs{pages: pages, lastEmpty: true}) // an empty next token ends the search too
	if err := h.Handle(context.Background(), snsEvent(notification(sgRow(t), len(ts)))); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range strings.Split(aws.ToString(s.got[0].Message), "\n") {
		if strings.HasPrefix(l, "[") {
			got = append(got, l[strings.LastIndex(l, " ")+1:])
		}
	}
	// The two events at 12 s are told apart by ID: id05 is listed before id04. 1, 2, 3, 5 and 7 are
	// the five oldest, not listed.
	want := "E40 E38 E36 E35 E33 E31 E30 E29 E27 E25 E23 E21 E20 E18 E16 E14 E12 E12 E11 E9"
	if strings.Join(got, " ") != want {
		t.Errorf("listed %s\nwant   %s", strings.Join(got, " "), want)
	}
}

// Records of one millisecond are ordered by event ID, newest (highest) first; a record without a
// readable eventTime is shown at its log event's time.
func TestRecordOrderAndTime(t *testing.T) {
	a, b := record{timestamp: 5, eventID: "b"}, record{timestamp: 5, eventID: "a"}
	if !newer(a, b) || newer(b, a) || !newer(record{timestamp: 6}, a) || newer(a, record{timestamp: 6}) {
		t.Error("newer orders by timestamp, then event ID, descending")
	}
	r := decodeRecord(`{"eventTime":"yesterday"}`, windowStart.UnixMilli()+1500, "x")
	if got := r.time(); !got.Equal(windowStart.Add(1500*time.Millisecond)) || got.Location() != time.UTC {
		t.Errorf("time() = %v, want the log event's timestamp in UTC", got)
	}
	if got := sessionName("arn:aws:iam::1:user/path/bob"); got != "" {
		t.Errorf("sessionName of a user ARN = %q, want none", got)
	}
}

// The log search stops early enough to leave the reserve for publishing: 12 s before the
// invocation's deadline by default, Reserve when set, and 30 s from now without a deadline.
func TestSearchKeepsTheReserve(t *testing.T) {
	deadline := time.Now().Add(time.Minute)
	for _, tt := range []struct {
		reserve time.Duration
		want    time.Time
	}{
		{0, deadline.Add(-12 * time.Second)},
		{3 * time.Second, deadline.Add(-3 * time.Second)},
	} {
		logs := &stubLogs{pages: [][]logstypes.FilteredLogEvent{nil}}
		h, _ := stubHandler(logs)
		h.Reserve = tt.reserve
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		err := h.Handle(ctx, snsEvent(notification(sgRow(t), 1)))
		cancel()
		if err != nil || len(logs.deadlines) != 1 || !logs.deadlines[0].Equal(tt.want) {
			t.Errorf("Reserve %v: search deadline %v (err %v), want %v", tt.reserve, logs.deadlines, err, tt.want)
		}
	}
	logs := &stubLogs{pages: [][]logstypes.FilteredLogEvent{nil}}
	h, _ := stubHandler(logs)
	before := time.Now()
	if err := h.Handle(context.Background(), snsEvent(notification(sgRow(t), 1))); err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	if d := logs.deadlines[0]; d.Before(before.Add(18*time.Second)) || d.After(after.Add(18*time.Second)) {
		t.Errorf("no deadline: search deadline %v, want 30 s - 12 s from the call (%v)", d, before)
	}
}

// The search reads at most MaxScanned events (10,000 by default), then lists what it has and says
// why the listing is incomplete.
func TestSearchStopsAfterMaxScanned(t *testing.T) {
	for _, tt := range []struct {
		max, page, calls int
		line             string
	}{
		{0, 1000, 10, "The listing is incomplete: stopped after 10000 events"},
		{1, 1000, 1, "The listing is incomplete: stopped after 1000 events"},
		{0, 3333, 4, "The listing is incomplete: stopped after 13332 events"},
		{2500, 1000, 3, "The listing is incomplete: stopped after 3000 events"},
		{3000, 1000, 3, "The listing is incomplete: stopped after 3000 events"},
	} {
		logs := &stubLogs{endless: tt.page}
		h, s := stubHandler(logs)
		h.MaxScanned = tt.max
		err := h.Handle(context.Background(), snsEvent(notification(sgRow(t), 1)))
		if !errors.Is(err, ErrDegraded) || logs.calls != tt.calls || len(s.got) != 1 || !strings.Contains(aws.ToString(s.got[0].Message), "\n"+tt.line+"\n") {
			t.Errorf("MaxScanned %d: %d calls, error %v; want %d calls and the line %q", tt.max, logs.calls, err, tt.calls, tt.line)
		}
	}
}

// A custom row whose metric filters cannot be described is sent without events, saying why.
func TestCustomRowDescribeFailure(t *testing.T) {
	h, s := stubHandler(&stubLogs{describe: &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "no"}})
	_, msg := customAlarm(t)
	err := h.Handle(context.Background(), snsEvent(msg))
	want := "\nThe events are not listed: no filter pattern for metric CloudTrailMetrics/RootAccessKeyCreatedCount (AccessDeniedException: no).\n"
	if !errors.Is(err, ErrDegraded) || len(s.got) != 1 || !strings.Contains(aws.ToString(s.got[0].Message), want) {
		t.Errorf("error %v, %d messages; want one with the line %q", err, len(s.got), want)
		for _, p := range s.got {
			t.Log(aws.ToString(p.Message))
		}
	}
}

// A body over maxMessage is cut at its last whole line and says it was shortened.
func TestLongBodyIsCutAtALine(t *testing.T) {
	r := testReport(t, fullRecord())
	full := r.render().Body
	old := maxMessage
	t.Cleanup(func() { maxMessage = old })
	maxMessage = strings.Index(full, "\n    Who:") + 3 // inside the Who line
	got := r.render().Body
	want := full[:strings.Index(full, "\n    Who:")+1] + "The listing is incomplete: message shortened\n"
	if got != want {
		t.Errorf("cut body:\n%s\nwant:\n%s", got, want)
	}
	maxMessage = len(full)
	if got := r.render().Body; got != full {
		t.Errorf("a body of exactly maxMessage bytes was cut:\n%s", got)
	}
}

// The evaluation window around each kind of datapoint source, and its fallbacks: the reason
// data's own period (else the trigger's), the default period of 5 minutes, at least one
// evaluation period, the zero time for an unreadable StateChangeTime, and each timestamp layout.
func TestEvaluationFallbacks(t *testing.T) {
	at := func(h, m, s int) time.Time { return time.Date(2026, 11, 29, h, m, s, 0, time.UTC) }
	for _, tt := range []struct {
		name string
		a    Alarm
		want Window
	}{
		{"reason data without a period", Alarm{NewStateReasonData: []byte(`{"startDate":"2026-11-29T17:35:00.000+0000","recentDatapoints":[1,2]}`), Trigger: Trigger{Period: 60}},
			Window{Start: at(17, 35, 0), End: at(17, 37, 0), Count: 3}},
		{"reason data with its own period", Alarm{NewStateReasonData: []byte(`{"startDate":"2026-11-29T17:35:00Z","period":120,"recentDatapoints":[1,2]}`), Trigger: Trigger{Period: 60}},
			Window{Start: at(17, 35, 0), End: at(17, 38, 0), Count: 3}},
		{"reason data with a period of one second", Alarm{NewStateReasonData: []byte(`{"startDate":"2026-11-29T17:35:00Z","period":1,"recentDatapoints":[1,2]}`), Trigger: Trigger{Period: 60}},
			Window{Start: at(17, 35, 0), End: at(17, 36, 1), Count: 3}}, // each point lasts the alarm's period
		{"reason data with a bad date", Alarm{NewStateReasonData: []byte(`{"startDate":"yesterday","period":60,"recentDatapoints":[1]}`), NewStateReason: "[2.0 (29/11/26 17:40:00)]", Trigger: Trigger{Period: 60}},
			Window{Start: at(17, 40, 0), End: at(17, 41, 0), Count: 2}},
		{"reason data without datapoints", Alarm{NewStateReasonData: []byte(`{"startDate":"2026-11-29T17:35:00Z","period":60,"recentDatapoints":[]}`), NewStateReason: "[2.0 (29/11/26 17:40:00)]", Trigger: Trigger{Period: 60}},
			Window{Start: at(17, 40, 0), End: at(17, 41, 0), Count: 2}},
		{"null reason data", Alarm{NewStateReasonData: []byte(`null`), NewStateReason: "[2.0 (29/11/26 17:40:00)]"},
			Window{Start: at(17, 40, 0), End: at(17, 45, 0), Count: 2}},
		{"datapoints out of order, rounded", Alarm{NewStateReason: "[0.4 (29/11/26 17:50:00), 1e0 (29/11/26 17:40:00), 0.4 (29/11/26 17:45:00)]", Trigger: Trigger{Period: 300}},
			Window{Start: at(17, 40, 0), End: at(17, 55, 0), Count: 2}},
		{"no period, no evaluation periods", Alarm{StateChangeTime: "2026-11-29T17:46:12+0000"},
			Window{Start: at(17, 36, 12), End: at(17, 46, 12), Count: -1, Estimated: true}},
		{"three evaluation periods", Alarm{StateChangeTime: "2026-11-29T17:46:12Z", Trigger: Trigger{Period: 60, EvaluationPeriods: 3}},
			Window{Start: at(17, 42, 12), End: at(17, 46, 12), Count: -1, Estimated: true}},
		{"unreadable StateChangeTime", Alarm{StateChangeTime: "now", Trigger: Trigger{Period: 60}},
			Window{Start: time.Time{}.Add(-2 * time.Minute), End: time.Time{}, Count: -1, Estimated: true}},
	} {
		if got := tt.a.Evaluation(); got != tt.want {
			t.Errorf("%s: Evaluation = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// The threshold line names each comparison by its symbol; an unknown one is shown cleaned.
func TestComparisonSymbols(t *testing.T) {
	for op, want := range map[string]string{
		"GreaterThanOrEqualToThreshold": ">=", "GreaterThanThreshold": ">", "LessThanThreshold": "<",
		"LessThanOrEqualToThreshold": "<=", "LessThanLowerOrGreaterThanUpperThreshold": "LessThanLowerOrGreaterThanUpperThreshold",
		"Odd\nOne": `Odd\nOne`,
	} {
		if got := opText(op); got != want {
			t.Errorf("opText(%q) = %q, want %q", op, got, want)
		}
	}
}

// Console links go to the partition's console host, in the alarm's and the event's Region.
func TestConsoleLinks(t *testing.T) {
	for _, tt := range []struct{ arn, alarm, event string }{
		{"arn:aws:cloudwatch:eu-west-1:1:alarm:A B", "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/A%20B",
			"https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/id%2F1"},
		{"arn:aws-cn:cloudwatch:cn-north-1:1:alarm:A B", "https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#alarmsV2:alarm/A%20B",
			"https://console.amazonaws.cn/cloudtrailv2/home?region=eu-west-1#/events/id%2F1"},
		{"", "https://console.aws.amazon.com/cloudwatch/home?region=#alarmsV2:alarm/A%20B",
			"https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/id%2F1"},
		{"arn:aws:cloudwatch:eu-west-1:1:alarm", "https://console.aws.amazon.com/cloudwatch/home?region=#alarmsV2:alarm/A%20B",
			"https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/id%2F1"},
	} {
		a := Alarm{AlarmName: "A B", AlarmArn: tt.arn}
		if got := alarmURL(a); got != tt.alarm {
			t.Errorf("alarmURL(%s) = %s, want %s", tt.arn, got, tt.alarm)
		}
		if got := eventURL(a.Partition(), "eu-west-1", "id/1"); got != tt.event {
			t.Errorf("eventURL(%s) = %s, want %s", a.Partition(), got, tt.event)
		}
	}
	if got := eventURL("aws", "", "x"); got != "https://console.aws.amazon.com/cloudtrailv2/home?region=#/events/x" {
		t.Errorf("eventURL without a Region = %s", got)
	}
	// A record's awsRegion is the caller's to write: it is escaped, so it cannot add to the query.
	if got := eventURL("aws", "x&y=z", "1"); got != "https://x%26y%3Dz.console.aws.amazon.com/cloudtrailv2/home?region=x%26y%3Dz#/events/1" {
		t.Errorf("eventURL with a hostile Region = %s", got)
	}
}

// An unknown language code (ConfigFromEnv refuses one) gets the default language's words.
func TestUnknownLanguageGetsTheDefault(t *testing.T) {
	if got := wordsFor("xx"); got != languages[catalog.DefaultLanguage()] {
		t.Errorf("wordsFor(xx) = %+v", got)
	}
}

// A notification that is not an alarm is passed on with its text cut at 4,000 characters.
func TestUnreadableNotificationIsCut(t *testing.T) {
	h, s := stubHandler(&stubLogs{})
	err := h.Handle(context.Background(), snsEvent("{"+strings.Repeat("q", 4004)))
	if !errors.Is(err, ErrDegraded) || len(s.got) != 1 || !strings.HasSuffix(aws.ToString(s.got[0].Message), "\n\n{"+strings.Repeat("q", 3999)+"…(+5 bytes)\n") {
		t.Errorf("error %v, messages %d; want the text cut at 4000", err, len(s.got))
	}
}

// A metric filter without metric transformations counts for the alarm (nothing says it
// publishes 0), so its pattern lists the events.
func TestFilterWithoutTransformationsIsNotZero(t *testing.T) {
	if publishesOnlyZero(logstypes.MetricFilter{}) {
		t.Error("a filter without transformations publishes only 0")
	}
	zero := logstypes.MetricTransformation{MetricValue: aws.String(catalog.BenchmarkMetricValue)}
	one := logstypes.MetricTransformation{MetricValue: aws.String("1")}
	if !publishesOnlyZero(logstypes.MetricFilter{MetricTransformations: []logstypes.MetricTransformation{zero, zero}}) ||
		publishesOnlyZero(logstypes.MetricFilter{MetricTransformations: []logstypes.MetricTransformation{zero, one}}) ||
		publishesOnlyZero(logstypes.MetricFilter{MetricTransformations: []logstypes.MetricTransformation{zero, {}}}) {
		t.Error("publishesOnlyZero must hold for every transformation")
	}
}

// The subject, exactly: the count only for ALARM (0 included), the state and count cut at 30,
// the alarm name cut only when the whole passes 99 characters, the tail cut so the name keeps 12,
// anything not printable ASCII as "?".
func TestSubjectExactly(t *testing.T) {
	arn := "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x"
	tail := " | 123456789012 (prod) | us-east-1" // 34 characters
	for _, tt := range []struct {
		name, state string
		count       int
		degraded    bool
		env, want   string
	}{
		{"Root", "ALARM", 3, false, "prod", "ALARM 3x Root" + tail},
		{"Root", "ALARM", 0, false, "prod", "ALARM 0x Root" + tail},
		{"Root", "ALARM", -1, false, "", "ALARM Root | 123456789012 | us-east-1"},
		{"Root", "OK", 3, false, "prod", "OK Root" + tail},
		{"Root", "ALARM", 1234567890, true, "prod", "ALARM (no details) 1234567890x Root" + tail},
		{"Root", "ALARM", 12345678901, true, "prod", "ALARM (no details) 123456789.. Root" + tail},
		{strings.Repeat("n", 99-9-34), "ALARM", 3, false, "prod", "ALARM 3x " + strings.Repeat("n", 56) + tail},
		{strings.Repeat("n", 99-9-34+1), "ALARM", 3, false, "prod", "ALARM 3x " + strings.Repeat("n", 54) + ".." + tail},
		{strings.Repeat("n", 40), "ALARM", 3, false, strings.Repeat("e", 70), "ALARM 3x nnnnnnnnnn.. | 123456789012 (" + strings.Repeat("e", 59) + ".."},
		{"R\u00e9gion\x7f\x1f~ ", "ALARM", 3, false, "\u00e9", "ALARM 3x R?gion??~  | 123456789012 (?) | us-east-1"},
	} {
		r := &report{alarm: Alarm{AlarmName: tt.name, AWSAccountID: "123456789012", NewStateValue: tt.state, AlarmArn: arn},
			window: Window{Count: tt.count}, degraded: tt.degraded, environment: tt.env}
		if got := r.subject(); got != tt.want || len(got) > 99 {
			t.Errorf("subject(%q, %s, %d):\n got %q (%d)\nwant %q", tt.name, tt.state, tt.count, got, len(got), tt.want)
		}
	}
}

// A fractional threshold is shown as it is, and a value shown as JSON keeps <, > and & as they are
// (a plain-text email escapes nothing) and numbers as the record wrote them.
func TestThresholdAndJSONValuesAsTheyAre(t *testing.T) {
	rec := fullRecord()
	set(rec, "requestParameters", map[string]any{"policy": "a<b&c>", "n": json.Number("1.50"), "id": json.Number("123456789012345678")})
	r := testReport(t, rec)
	r.row = catalog.Alarm{AlarmName: "Custom"} // a row without shown fields: every request parameter, as JSON
	r.alarm.Trigger.Threshold = 1.5
	body := r.render().Body
	for _, want := range []string{"\nThreshold: >= 1.5 event(s) in 300 seconds (1 of 1 periods).\n", "\n    What:  {\"id\":123456789012345678,\"n\":1.50,\"policy\":\"a<b&c>\"}\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}

// 20 events whose fields are all control characters (each written as a six-byte \uXXXX escape)
// make a body past SNS's limit despite the field caps: the body is cut at its last line before
// 200 KiB and says so.
func TestHostileEventsAreCutTo200KiB(t *testing.T) {
	rec := fullRecord()
	for _, p := range []string{"eventSource", "eventName", "userIdentity.type", "userIdentity.arn", "userIdentity.sessionContext.sessionIssuer.arn",
		"userIdentity.accessKeyId", "userIdentity.invokedBy", "requestParameters.groupId", "awsRegion", "sourceIPAddress", "userAgent", "errorCode", "errorMessage"} {
		set(rec, p, strings.Repeat("\x01", 700))
	}
	r := testReport(t, rec)
	for range 19 {
		r.events = append(r.events, r.events[0])
	}
	body := r.render().Body
	const tail = "The listing is incomplete: message shortened\n"
	if len(body) > 200<<10+len(tail) || len(body) < 190<<10 || !strings.HasSuffix(body, "\n"+tail) {
		t.Errorf("body of %d bytes, want it cut just under 200 KiB and marked; it ends:\n%s", len(body), body[max(len(body)-300, 0):])
	}
	// Where exactly: with lines shorter than 1 KiB, the last newline before 200 KiB.
	r = testReport(t, fullRecord())
	for i := range 300 {
		r.problems = append(r.problems, fmt.Sprintf("%03d %s", i, strings.Repeat("p", 796)))
	}
	old := maxMessage
	maxMessage = 1 << 30
	full := r.render().Body
	maxMessage = old
	want := full[:strings.LastIndexByte(full[:200<<10], '\n')+1] + tail
	if got := r.render().Body; got != want {
		t.Errorf("cut at %d bytes, want %d", len(got)-len(tail), len(want)-len(tail))
	}
}

// The topic ARN must start with "arn:" and have its six parts (five colons): each way to miss is
// refused, with the value.
func TestConfigFromEnvChecksTheTopicARN(t *testing.T) {
	for arn, ok := range map[string]bool{
		"arn:aws:sns:us-east-1:123456789012:t":   true,
		"arn:aws:sns:us-east-1:123456789012":     false,
		"arn:aws:sns:us-east-1:123456789012:t:x": false,
		"urn:aws:sns:us-east-1:123456789012:t":   false,
	} {
		_, err := ConfigFromEnv(func(k string) string { return map[string]string{EnvLogGroup: "g", EnvTopicARN: arn}[k] })
		want := "TRAILWATCH_TOPIC_ARN is \"" + arn + "\"; set it to the email topic's ARN"
		if ok && err != nil || !ok && (err == nil || err.Error() != want) {
			t.Errorf("%s: error %v", arn, err)
		}
	}
}

// failingSNS fails its first n publishes with err.
type failingSNS struct {
	stubSNS
	n   int
	err error
}

func (s *failingSNS) Publish(ctx context.Context, in *sns.PublishInput, opts ...func(*sns.Options)) (*sns.PublishOutput, error) {
	if s.n > 0 {
		s.n--
		return nil, s.err
	}
	return s.stubSNS.Publish(ctx, in, opts...)
}

// errorLogs fails FilterLogEvents with err, after a first page of one event when partial.
type errorLogs struct {
	stubLogs
	err     error
	partial bool
}

func (l *errorLogs) FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	l.calls++
	if l.partial && l.calls == 1 {
		return &cloudwatchlogs.FilterLogEventsOutput{NextToken: aws.String("2"), Events: []logstypes.FilteredLogEvent{
			{Timestamp: aws.Int64(windowStart.UnixMilli()), EventId: aws.String("1"), Message: aws.String(`{"eventName":"E"}`)}}}, nil
	}
	return nil, l.err
}

// What the handler says went wrong is cut like any field: the namespace and metric of a row it
// cannot find at 255 characters, AWS's error messages at 300.
func TestProblemLinesAreCut(t *testing.T) {
	long := &smithy.GenericAPIError{Code: "X", Message: strings.Repeat("q", maxField+5-3)} // "X: " + message
	notFound := notification(catalog.Alarm{AlarmName: "A", MetricName: strings.Repeat("m", 260)}, 1)
	notFound = strings.Replace(notFound, `"Namespace":"CloudTrailMetrics"`, `"Namespace":"`+strings.Repeat("n", 260)+`"`, 1)
	for _, tt := range []struct {
		name    string
		logs    LogsAPI
		sns     SNSAPI
		message string
		want    []string
	}{
		{"no row", &stubLogs{describe: errors.New("x")}, &stubSNS{}, notFound,
			[]string{"metric " + strings.Repeat("n", 255) + "…(+5 bytes)/" + strings.Repeat("m", 255) + "…(+5 bytes) (metric "}},
		{"no filter", &stubLogs{describe: long}, &stubSNS{}, notFound, []string{strings.Repeat("q", maxField-3) + "…(+5 bytes))."}},
		{"search failed", &errorLogs{err: long}, &stubSNS{}, notification(sgRow(t), 1),
			[]string{"The events could not be fetched from CloudWatch Logs: X: " + strings.Repeat("q", maxField-3) + "…(+5 bytes)\n"}},
		{"search cut short", &errorLogs{err: long, partial: true}, &stubSNS{}, notification(sgRow(t), 1),
			[]string{"The listing is incomplete: X: " + strings.Repeat("q", maxField-3) + "…(+5 bytes)\n", "\n[1] "}},
		{"publish failed", &stubLogs{pages: [][]logstypes.FilteredLogEvent{nil}}, &failingSNS{n: 1, err: long}, notification(sgRow(t), 1),
			[]string{"The detailed email could not be sent: X: " + strings.Repeat("q", maxField-3) + "…(+5 bytes)\n"}},
	} {
		h := &Handler{Config: Config{LogGroup: "trail", TopicARN: "arn:aws:sns:us-east-1:123456789012:email", Language: "en"}, Logs: tt.logs, SNS: tt.sns}
		err := h.Handle(context.Background(), snsEvent(tt.message))
		var got []*sns.PublishInput
		switch s := tt.sns.(type) {
		case *stubSNS:
			got = s.got
		case *failingSNS:
			got = s.got
		}
		if !errors.Is(err, ErrDegraded) || len(got) != 1 {
			t.Errorf("%s: error %v, %d messages", tt.name, err, len(got))
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(aws.ToString(got[0].Message), w) {
				t.Errorf("%s: message lacks %q:\n%s", tt.name, w, aws.ToString(got[0].Message))
			}
		}
	}
}

// An event block, exactly: labels padded to one column (a label wider than it gets one space),
// continuation lines under the values, the member account of an organization trail, the link.
func TestEventBlockExactly(t *testing.T) {
	const full = `[1] 2026-11-29 17:44:00 UTC  ec2.amazonaws.com  AuthorizeSecurityGroupIngress
    Who:   AssumedRole arn:aws:sts::123456789012:assumed-role/Admin/alice
           role arn:aws:iam::123456789012:role/Admin, session alice
           access key ASIAEXAMPLE, MFA maybe, via cloudformation.amazonaws.com
    What:  groupId = sg-1
    Where: us-east-1, from 198.51.100.1
           user agent aws-cli/2
    Error: Client.UnauthorizedOperation: not allowed
    Account: 210987654321 (member account of the organization trail)
    Event: https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/e1
`
	how := "           access key ASIAEXAMPLE, MFA maybe, via cloudformation.amazonaws.com\n"
	for _, tt := range []struct {
		name     string
		edit     func(m map[string]any)
		old, new string // the block is full with old replaced by new
	}{
		{"full", func(m map[string]any) {}, "", ""},
		{"MFA yes, console", func(m map[string]any) {
			set(m, "additionalEventData.MFAUsed", "Yes")
			m["sessionCredentialFromConsole"] = "true"
		}, how, "           console session, access key ASIAEXAMPLE, MFA yes, via cloudformation.amazonaws.com\n"},
		{"MFA no, console sign-in", func(m map[string]any) {
			set(m, "additionalEventData.MFAUsed", "No")
			m["eventType"] = "AwsConsoleSignIn"
		}, how, "           console session, access key ASIAEXAMPLE, MFA no, via cloudformation.amazonaws.com\n"},
		{"MFA true", func(m map[string]any) { set(m, "additionalEventData.MFAUsed", "true") }, how,
			"           access key ASIAEXAMPLE, MFA yes, via cloudformation.amazonaws.com\n"},
		{"MFA from the session", func(m map[string]any) {
			delete(m, "additionalEventData")
			set(m, "userIdentity.sessionContext", map[string]any{"attributes": map[string]any{"mfaAuthenticated": "false"}})
		}, "           role arn:aws:iam::123456789012:role/Admin, session alice\n" + how,
			"           access key ASIAEXAMPLE, MFA no, via cloudformation.amazonaws.com\n"},
		{"error message only", func(m map[string]any) { delete(m, "errorCode") },
			"Error: Client.UnauthorizedOperation: not allowed", "Error: not allowed"},
		{"error code only", func(m map[string]any) { delete(m, "errorMessage") },
			"Error: Client.UnauthorizedOperation: not allowed", "Error: Client.UnauthorizedOperation"},
		{"no identity", func(m map[string]any) { delete(m, "userIdentity"); delete(m, "additionalEventData") },
			full[strings.Index(full, "    Who:"):strings.Index(full, "    What:")], ""},
	} {
		rec := fullRecord()
		tt.edit(rec)
		body := testReport(t, rec).render().Body
		want := strings.Replace(full, tt.old, tt.new, 1)
		if !strings.Contains(body, "\n\n"+want+"\n") {
			t.Errorf("%s: event block:\n%s\nwant:\n%s", tt.name, body, want)
		}
	}
	// The root user, by user name, in the alarm's own account, with nothing else to show.
	rec := fullRecord()
	rec["userIdentity"] = map[string]any{"type": "Root", "userName": "root-user"}
	for _, k := range []string{"additionalEventData", "sourceIPAddress", "userAgent", "errorCode", "eventID"} {
		delete(rec, k)
	}
	rec["recipientAccountId"] = "123456789012"
	want := `[1] 2026-11-29 17:44:00 UTC  ec2.amazonaws.com  AuthorizeSecurityGroupIngress
    Who:   !!! ROOT USER !!! Root root-user
    What:  groupId = sg-1
    Where: us-east-1
    Error: not allowed
`
	if body := testReport(t, rec).render().Body; !strings.Contains(body, "\n\n"+want+"\n") {
		t.Errorf("root: event block:\n%s\nwant:\n%s", body, want)
	}
}

// A message that is not JSON is refused with the JSON error; valid JSON without an alarm name or
// metric with the missing field named.
func TestParseAlarmErrors(t *testing.T) {
	for msg, want := range map[string]string{
		"not json": "the SNS message is not a CloudWatch alarm notification: invalid character 'o' in literal null (expecting 'u')",
		`{"AlarmName":"A","Trigger":{"MetricName":"M"},"x":}`: "the SNS message is not a CloudWatch alarm notification: invalid character '}' looking for beginning of value",
		`{"AlarmName":"A"}`:              "the SNS message is not a CloudWatch alarm notification: no AlarmName or Trigger.MetricName",
		`{"Trigger":{"MetricName":"M"}}`: "the SNS message is not a CloudWatch alarm notification: no AlarmName or Trigger.MetricName",
	} {
		if _, err := ParseAlarm(msg); err == nil || err.Error() != want {
			t.Errorf("ParseAlarm(%s) = %v, want %q", msg, err, want)
		}
	}
}

// When the log search found another number of events than the alarm counted, the email says
// both (a count of 0 included); an estimated window has no count to compare.
func TestSearchFoundLine(t *testing.T) {
	for _, tt := range []struct {
		count, found int
		want         string
	}{
		{0, 1, "The log search found 1; the alarm counted 0 (late or not yet delivered events make the difference).\n"},
		{3, 1, "The log search found 1; the alarm counted 3 (late or not yet delivered events make the difference).\n"},
		{1, 1, ""},
		{-1, 1, ""},
	} {
		r := testReport(t, fullRecord())
		r.window.Count, r.found = tt.count, tt.found
		body := r.render().Body
		if got := strings.Contains(body, "The log search found"); got != (tt.want != "") || tt.want != "" && !strings.Contains(body, "\n"+tt.want+"\n") {
			t.Errorf("count %d, found %d:\n%s", tt.count, tt.found, body)
		}
	}
}

// A run of invalid UTF-8 becomes one U+FFFD, and a cut counts the bytes of the cleaned text.
func TestCleanInvalidUTF8(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"x\xff\xfe\xfdy", 100, "x\uFFFDy"},
		{"\xff\xfeabcd", 2, "\uFFFDa…(+3 bytes)"},
	} {
		if got := clean(c.in, c.max); got != c.want {
			t.Errorf("clean(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

// An alarm without evaluation periods (CloudWatch always sends them) still reads "1 of 1".
func TestThresholdLineWithoutPeriods(t *testing.T) {
	r := testReport(t, fullRecord())
	r.alarm.Trigger.EvaluationPeriods, r.alarm.Trigger.DatapointsToAlarm = 0, 0
	if body := r.render().Body; !strings.Contains(body, "\nThreshold: >= 1 event(s) in 300 seconds (1 of 1 periods).\n") {
		t.Errorf("threshold line:\n%s", body)
	}
}

// The log search keeps 12 s of the invocation for publishing by default (docs/notifications.md:
// two publishes of 5 s and 2 s to spare), Reserve when set, and assumes 30 s without a deadline.
func TestSearchDeadlineKeepsTheReserve(t *testing.T) {
	now := time.Date(2026, 11, 29, 17, 45, 0, 0, time.UTC)
	ctx, cancel := context.WithDeadline(context.Background(), now.Add(60*time.Second))
	defer cancel()
	for _, tt := range []struct {
		reserve time.Duration
		ctx     context.Context
		want    time.Time
	}{
		{0, ctx, now.Add(48 * time.Second)},
		{-time.Second, ctx, now.Add(48 * time.Second)},
		{3 * time.Second, ctx, now.Add(57 * time.Second)},
		{time.Nanosecond, ctx, now.Add(60*time.Second - time.Nanosecond)},
		{0, context.Background(), now.Add(18 * time.Second)},
	} {
		h := &Handler{Config: Config{Reserve: tt.reserve}}
		if got := h.searchDeadline(tt.ctx, now); !got.Equal(tt.want) {
			t.Errorf("Reserve %v: search deadline %v, want %v", tt.reserve, got, tt.want)
		}
	}
}

// The search reads at most 10,000 events (docs/notifications.md); the email lists what it found
// and says the listing is incomplete.
func TestSearchStopsAfterTenThousandEvents(t *testing.T) {
	f := newFakes(t, manyEvents(12000), "en")
	f.logs.pageSize = 1000
	err := handle(t, f, notification(sgRow(t), 12000))
	if !errors.Is(err, ErrDegraded) || !strings.Contains(err.Error(), "stopped after 10000 events") {
		t.Errorf("error %v, want ErrDegraded: stopped after 10000 events", err)
	}
	p := onlyOne(t, f)
	for _, s := range []string{"The listing is incomplete: stopped after 10000 events", "Events, newest first (20 of 12000):"} {
		if !strings.Contains(p.Message, s) {
			t.Errorf("message lacks %q:\n%s", s, p.Message)
		}
	}
	if len(f.logs.pages) != 10 {
		t.Errorf("%d pages of 1000 read, want 10", len(f.logs.pages))
	}
}

// One event past the twenty listed is still named: "... and 1 more".
func TestOneEventPastTheListIsCounted(t *testing.T) {
	f := newFakes(t, manyEvents(21), "en")
	if err := handle(t, f, notification(sgRow(t), 21)); err != nil {
		t.Fatal(err)
	}
	p := onlyOne(t, f)
	for _, s := range []string{"Events, newest first (20 of 21):", "... and 1 more (not listed)."} {
		if !strings.Contains(p.Message, s) {
			t.Errorf("message lacks %q:\n%s", s, p.Message)
		}
	}
}

// An event whose message is not a JSON object (a log group shared with other writers) is still
// listed: its number and time, then the message under What (a control character escaped).
func TestAnEventThatIsNotJSONIsListedAsItIs(t *testing.T) {
	r := testReport(t, fullRecord())
	r.events = []record{decodeRecord("plain text\tline", windowStart.Add(90*time.Second).UnixMilli(), "1")}
	body := r.render().Body
	want := "\n[1] " + stamp(windowStart.Add(90*time.Second)) + " UTC\n    What:  plain text\\tline\n"
	if !strings.Contains(body, want) {
		t.Errorf("body lacks %q:\n%s", want, body)
	}
}

// The threshold line shows M of N as CloudWatch evaluates it: no DatapointsToAlarm means N, one
// larger than N is N, and no EvaluationPeriods is 1.
func TestThresholdLineShowsMOfN(t *testing.T) {
	for _, c := range []struct {
		m, n int
		want string
	}{
		{0, 3, "(3 of 3 periods)"},
		{1, 3, "(1 of 3 periods)"},
		{2, 3, "(2 of 3 periods)"},
		{5, 3, "(3 of 3 periods)"},
		{2, 0, "(1 of 1 periods)"},
	} {
		r := testReport(t, fullRecord())
		r.alarm.Trigger.DatapointsToAlarm, r.alarm.Trigger.EvaluationPeriods = c.m, c.n
		want := "\nThreshold: >= 1 event(s) in 300 seconds " + c.want + ".\n"
		if body := r.render().Body; !strings.Contains(body, want) {
			t.Errorf("DatapointsToAlarm %d, EvaluationPeriods %d: body lacks %q", c.m, c.n, want)
		}
	}
}
