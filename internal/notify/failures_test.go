package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

func sgRow(t testing.TB) catalog.Alarm {
	t.Helper()
	row, ok := catalog.Find(catalog.AWS(), "SecurityGroupChanges")
	if !ok {
		t.Fatal("no SecurityGroupChanges row")
	}
	return row
}

// onlyOne returns the one published message, failing otherwise.
func onlyOne(t *testing.T, f *fakes) published {
	t.Helper()
	if len(f.sns.got) != 1 {
		t.Fatalf("published %d messages, want exactly 1", len(f.sns.got))
	}
	return f.sns.got[0]
}

func wantDegraded(t *testing.T, err error, p published, errText, bodyText string) {
	t.Helper()
	if !errors.Is(err, ErrDegraded) {
		t.Errorf("error %v, want ErrDegraded", err)
	}
	if err == nil || !strings.Contains(err.Error(), errText) {
		t.Errorf("error %v, want it to contain %q", err, errText)
	}
	if !strings.Contains(p.Subject, "ALARM (no details)") || !strings.Contains(p.Subject, "CloudTrailSecurityGroupChanges") {
		t.Errorf("subject %q, want the degraded marker and the alarm name", p.Subject)
	}
	for _, s := range []string{"DETAILS UNAVAILABLE", bodyText, "CloudTrailSecurityGroupChanges is in ALARM", "Account: 123456789012 (prod)", "Threshold: >= 1", "#alarmsV2:alarm/CloudTrailSecurityGroupChanges"} {
		if !strings.Contains(p.Message, s) {
			t.Errorf("degraded message lacks %q:\n%s", s, p.Message)
		}
	}
	if strings.Contains(p.Message, "\n[1]") {
		t.Errorf("degraded message lists events:\n%s", p.Message)
	}
}

func TestFilterLogEventsAccessDeniedSendsDegraded(t *testing.T) {
	f := newFakes(t, testEvents(t), "en")
	f.logs.failStatus, f.logs.failType = 400, "AccessDeniedException"
	err := handle(t, f, notification(sgRow(t), 4))
	wantDegraded(t, err, onlyOne(t, f), "AccessDeniedException", "The events could not be fetched from CloudWatch Logs: AccessDeniedException: fake AccessDeniedException")
	if f.logs.calls != 1 {
		t.Errorf("%d FilterLogEvents calls; access denied is not retried", f.logs.calls)
	}
	golden(t, "en/degraded-access-denied.txt", f.sns.got[0])
}

func TestFilterLogEventsThrottledSendsDegraded(t *testing.T) {
	f := newFakes(t, testEvents(t), "ja")
	f.logs.failStatus, f.logs.failType = 400, "ThrottlingException"
	err := handle(t, f, notification(sgRow(t), 4))
	if f.logs.calls != 3 {
		t.Errorf("%d FilterLogEvents calls, want 3 (throttling is retried by the SDK)", f.logs.calls)
	}
	p := onlyOne(t, f)
	if !errors.Is(err, ErrDegraded) || !strings.Contains(err.Error(), "ThrottlingException") {
		t.Errorf("error %v, want ErrDegraded with ThrottlingException", err)
	}
	if !strings.Contains(p.Message, "CloudWatch Logs からイベントを取得できませんでした: ThrottlingException") {
		t.Errorf("message lacks the Japanese failure line:\n%s", p.Message)
	}
	golden(t, "ja/degraded-throttled.txt", p)
}

func TestSlowLogSearchSendsDegradedBeforeDeadline(t *testing.T) {
	f := newFakes(t, testEvents(t), "en")
	f.logs.slow = true
	f.h.Reserve = 2 * time.Second // room for the degraded Publish on a loaded machine
	ctx, cancel := context.WithTimeout(context.Background(), 3500*time.Millisecond)
	defer cancel()
	err := f.h.Handle(ctx, snsEvent(notification(sgRow(t), 4)))
	if ctx.Err() != nil {
		t.Errorf("Handle returned after the invocation deadline")
	}
	wantDegraded(t, err, onlyOne(t, f), "did not finish in time", "The events could not be fetched from CloudWatch Logs: the log search did not finish in time (0 events read)")
}

func TestPublishFailureSendsDegraded(t *testing.T) {
	f := newFakes(t, testEvents(t), "en")
	f.sns.failFirst = 3 // the detailed message fails on all three attempts; the degraded one goes out
	err := handle(t, f, notification(sgRow(t), 4))
	wantDegraded(t, err, onlyOne(t, f), "InternalError", "The detailed email could not be sent: InternalError: fake internal error")
	if f.sns.calls != 4 {
		t.Errorf("%d Publish calls, want 3 attempts then 1 degraded", f.sns.calls)
	}
}

func TestEveryPublishFailingReturnsError(t *testing.T) {
	f := newFakes(t, testEvents(t), "en")
	f.sns.failFirst = 1000
	err := handle(t, f, notification(sgRow(t), 4))
	if err == nil || errors.Is(err, ErrDegraded) || !strings.Contains(err.Error(), "alarm CloudTrailSecurityGroupChanges: not published: ") || !strings.Contains(err.Error(), "InternalError") {
		t.Errorf("error %v, want not published with InternalError", err)
	}
	if len(f.sns.got) != 0 {
		t.Errorf("published %d", len(f.sns.got))
	}
}

func TestTwoThousandEvents(t *testing.T) {
	evs := manyEvents(2000)
	f := newFakes(t, evs, "en")
	if err := handle(t, f, notification(sgRow(t), 2000)); err != nil {
		t.Fatal(err)
	}
	p := onlyOne(t, f)
	if want := "ALARM 2000x CloudTrailSecurityGroupChanges | 123456789012 (prod) | us-east-1"; p.Subject != want {
		t.Errorf("subject %q, want %q", p.Subject, want)
	}
	for _, s := range []string{"Events, newest first (20 of 2000):", "... and 1980 more (not listed).",
		"[1] 2026-11-29 17:44:59 UTC", "groupId = sg-00000000000001999", "[20] 2026-11-29 17:44:40 UTC", "groupId = sg-00000000000001980"} {
		if !strings.Contains(p.Message, s) {
			t.Errorf("message lacks %q", s)
		}
	}
	// Every page is read once: 40 distinct pages of 50. (The SDK may retry a request on a loaded
	// machine, so the raw call count can be higher; it must not read a page it does not need.)
	if len(f.logs.pages) != 40 || f.logs.calls < 40 {
		t.Errorf("%d distinct FilterLogEvents pages in %d calls, want 40 (50 per page)", len(f.logs.pages), f.logs.calls)
	}
}

// manyEvents is n security group changes spread over the window, the last at 17:44:59.
func manyEvents(n int) []logEvent {
	out := make([]logEvent, n)
	for i := range out {
		ts := windowStart.Add(time.Duration(i) * 270 * time.Second / time.Duration(n))
		if i >= n-20 {
			ts = windowStart.Add(5*time.Minute - time.Second).Add(-time.Duration(n-1-i) * time.Second)
		}
		out[i] = logEvent{Timestamp: ts.UnixMilli(), Message: fmt.Sprintf(`{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/u%d","accountId":"123456789012","userName":"u%d"},"eventTime":"%s","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","userAgent":"aws-cli/2","requestParameters":{"groupId":"sg-%017d"},"eventID":"00000000-0000-4000-8000-%012d","eventType":"AwsApiCall","recipientAccountId":"123456789012"}`,
			i, i, ts.Format(time.RFC3339), i, i)}
	}
	return out
}

func TestHostileStringsStayInsideTheirLines(t *testing.T) {
	big := strings.Repeat("A", 100<<10)
	hostile := `{"eventVersion":"1.09","userIdentity":{"type":"IAMUser\nSubject: forged","arn":"arn:aws:iam::123456789012:user/x\r\n\r\n[1] 2026-01-01 fake event","accountId":"123456789012","userName":"x"},` +
		`"eventTime":"2026-11-29T17:44:00Z","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress","awsRegion":"us-east-1",` +
		`"sourceIPAddress":"\u0000\u001b[31m203.0.113.1","userAgent":"` + big + `","errorCode":"Client.UnauthorizedOperation","errorMessage":"\u202eevil\u2028line\u200b",` +
		`"requestParameters":{"groupId":"sg-1\nWho: root","ipPermissions":"` + big + `"},"eventID":"id\n2","eventType":"AwsApiCall","recipientAccountId":"123456789012"}`
	evs := []logEvent{{Timestamp: windowStart.Add(4 * time.Minute).UnixMilli(), Message: hostile}}
	// And 30 more of them, so a full listing is hostile.
	for i := range 30 {
		evs = append(evs, logEvent{Timestamp: windowStart.Add(time.Duration(i) * time.Second).UnixMilli(), Message: hostile})
	}
	row := sgRow(t)
	row.AlarmName = "Prefix-" + strings.Repeat("Très-long-nom-", 20) + row.AlarmName
	msg := strings.Replace(notification(sgRow(t), 31), `"AlarmName":"CloudTrailSecurityGroupChanges"`, fmt.Sprintf("%q:%q", "AlarmName", row.AlarmName), 1)
	f := newFakes(t, evs, "en")
	f.h.Environment = "prod\nBcc: x"
	if err := handle(t, f, msg); err != nil {
		t.Fatal(err)
	}
	p := onlyOne(t, f)
	// the fake SNS rejects what SNS would: subject rules, size, UTF-8
	if len(p.Subject) > 99 || !strings.HasPrefix(p.Subject, "ALARM 31x Prefix-Tr?s-long-nom-") || !strings.HasSuffix(p.Subject, "| 123456789012 (prod?Bcc: x) | us-east-1") {
		t.Errorf("subject %q (%d bytes)", p.Subject, len(p.Subject))
	}
	if len(p.Message) > 64<<10 {
		t.Errorf("message is %d bytes for 20 hostile events; want a few KB each", len(p.Message))
	}
	if !utf8.ValidString(p.Message) {
		t.Error("message is not UTF-8")
	}
	for i, line := range strings.Split(p.Message, "\n") {
		for _, forged := range []string{"Subject:", "Who: root", "[1] 2026-01-01", "Bcc:"} {
			if strings.HasPrefix(strings.TrimSpace(line), forged) {
				t.Errorf("line %d starts with attacker text %q: %q", i+1, forged, line)
			}
		}
		for _, r := range line {
			if r < 0x20 && r != '\t' || r == 0x7f || r == '\u202e' || r == '\u2028' || r == '\u200b' {
				t.Errorf("line %d holds control or format character %U", i+1, r)
			}
		}
	}
	for _, s := range []string{`IAMUser\nSubject: forged`, `\u202Eevil\u2028line\u200B`, "…(+", `\u0000\u001B[31m203.0.113.1`, "... and 11 more"} {
		if !strings.Contains(p.Message, s) {
			t.Errorf("message lacks %q", s)
		}
	}
}

// customAlarm is an alarm of an alarms file: its row is not compiled into the function.
func customAlarm(t *testing.T) (catalog.Alarm, string) {
	row := catalog.Alarm{ID: "RootAccessKeyCreated", MetricName: "RootAccessKeyCreatedCount", AlarmName: "RootAccessKeyCreated",
		Pattern: `{ ($.eventName = CreateAccessKey) && ($.userIdentity.type = Root) }`, Threshold: 1,
		Description: catalog.Text{"en": "Alarms when the root user creates an access key."}}
	return row, notification(row, countIn(t, testEvents(t), row.Pattern, windowStart, 5*time.Minute))
}

func TestCustomRowUsesTheDeployedFilter(t *testing.T) {
	f := newFakes(t, testEvents(t), "ja")
	row, msg := customAlarm(t)
	f.logs.filters = map[string]string{"CloudTrailMetrics/RootAccessKeyCreatedCount": row.Pattern}
	if err := handle(t, f, msg); err != nil {
		t.Fatal(err)
	}
	p := onlyOne(t, f)
	if len(f.logs.patterns) != 1 || f.logs.patterns[0] != row.Pattern {
		t.Errorf("searched with %q, want the deployed filter's pattern", f.logs.patterns)
	}
	for _, s := range []string{"ALARM 2x RootAccessKeyCreated |", "イベント (新しい順、2 件 / 全 2 件):", "CreateAccessKey", "!!! ルートユーザー !!!",
		"Alarms when the root user creates an access key."} {
		if !strings.Contains(p.Subject+p.Message, s) {
			t.Errorf("lacks %q:\n%s", s, p.Message)
		}
	}
	golden(t, "ja/custom-row.txt", p)
}

// A filter that publishes 0 on the alarm's metric (a benchmark filter) counts nothing the alarm
// sees: the search uses the filter that publishes the count, even when the other is listed first.
func TestCustomRowSkipsAFilterThatPublishesZero(t *testing.T) {
	f := newFakes(t, testEvents(t), "en")
	row, msg := customAlarm(t)
	f.logs.zeroFilters = map[string]string{"CloudTrailMetrics/RootAccessKeyCreatedCount": `{ $.eventName = "CreateAccessKey" && $.sourceIPAddress = "192.0.2.99" }`}
	f.logs.filters = map[string]string{"CloudTrailMetrics/RootAccessKeyCreatedCount": row.Pattern}
	if err := handle(t, f, msg); err != nil {
		t.Fatal(err)
	}
	onlyOne(t, f)
	if len(f.logs.patterns) != 1 || f.logs.patterns[0] != row.Pattern {
		t.Errorf("searched with %q, want the filter that publishes 1: %q", f.logs.patterns, row.Pattern)
	}
}

func TestCustomRowWithoutFilterSendsDegraded(t *testing.T) {
	f := newFakes(t, testEvents(t), "en")
	_, msg := customAlarm(t)
	err := handle(t, f, msg)
	if !errors.Is(err, ErrDegraded) || !strings.Contains(err.Error(), "metric CloudTrailMetrics/RootAccessKeyCreatedCount: no metric filter on log group "+testLogGroup) {
		t.Errorf("error %v", err)
	}
	p := onlyOne(t, f)
	if !strings.Contains(p.Message, "The events are not listed: no filter pattern for metric CloudTrailMetrics/RootAccessKeyCreatedCount (metric CloudTrailMetrics/RootAccessKeyCreatedCount: no metric filter on log group "+testLogGroup+").") {
		t.Errorf("message:\n%s", p.Message)
	}
	if len(f.logs.patterns) != 0 {
		t.Errorf("searched logs without a pattern: %q", f.logs.patterns)
	}
}

func TestUnreadableNotificationIsPassedOn(t *testing.T) {
	f := newFakes(t, nil, "en")
	err := handle(t, f, "not json\nat all")
	if !errors.Is(err, ErrDegraded) || !strings.Contains(err.Error(), "not a CloudWatch alarm notification") {
		t.Errorf("error %v", err)
	}
	p := onlyOne(t, f)
	if p.Subject != "trailwatch: unreadable alarm notification" || !strings.Contains(p.Message, `not json\nat all`) {
		t.Errorf("published %+v", p)
	}
}

func TestOKStateIsPassedOnWithoutSearch(t *testing.T) {
	f := newFakes(t, testEvents(t), "en")
	msg := strings.Replace(notification(sgRow(t), 4), `"NewStateValue":"ALARM"`, `"NewStateValue":"OK"`, 1)
	if err := handle(t, f, msg); err != nil {
		t.Fatal(err)
	}
	p := onlyOne(t, f)
	if !strings.HasPrefix(p.Subject, "OK CloudTrailSecurityGroupChanges |") || !strings.Contains(p.Message, "The alarm left the ALARM state") {
		t.Errorf("published %+v", p)
	}
	if f.logs.calls != 0 {
		t.Errorf("searched logs for an OK notification")
	}
}

// TestSearchFindsFewerThanCounted: an event counted by the alarm but not (yet) searchable is
// reported, not hidden: the count is the alarm's.
func TestSearchFindsFewerThanCounted(t *testing.T) {
	f := newFakes(t, manyEvents(3), "en")
	if err := handle(t, f, notification(sgRow(t), 5)); err != nil {
		t.Fatal(err)
	}
	p := onlyOne(t, f)
	for _, s := range []string{"ALARM 5x", "The log search found 3; the alarm counted 5", "Events, newest first (3 of 5):", "... and 2 more"} {
		if !strings.Contains(p.Subject+p.Message, s) {
			t.Errorf("lacks %q:\n%s", s, p.Message)
		}
	}
}

func TestCleanEscapesAndCuts(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a\nb\r\tc", `a\nb\r\tc`},
		{"x\xffy", "x\uFFFDy"},
		{"\u202eevil\u2066\ufeff", `\u202Eevil\u2066\uFEFF`},
		{"\x1b[31m\x7f", `\u001B[31m\u007F`},
		{"日本語テキスト", "日本語…(+12 bytes)"},
		{strings.Repeat("a", 10), "aaa…(+7 bytes)"},
	} {
		max := 100
		if strings.Contains(c.want, "…") {
			max = 3
		}
		if got := clean(c.in, max); got != c.want {
			t.Errorf("clean(%q, %d) = %q, want %q", c.in, max, got, c.want)
		}
	}
}
