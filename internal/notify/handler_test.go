package notify

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

var update = flag.Bool("update", false, "rewrite the golden emails in testdata/email")

// windowStart is the start of the alarm period every test alarm reports (its one datapoint).
var windowStart = time.Date(2026, 11, 29, 17, 40, 0, 0, time.UTC)

// allRows is every built-in row of both profiles.
func allRows() []catalog.Alarm { return append(catalog.AWS(), catalog.CIS()...) }

// testEvents is what the fake log group holds: every proof record of the catalog (fires and quiet
// ones, of every row) inside the window, our hand-written full records (testdata/records.jsonl)
// at their eventTime, and copies of every fire record just before and exactly at the window's end,
// which the search must leave out.
func testEvents(t *testing.T) []logEvent {
	t.Helper()
	var out []logEvent
	seen := map[string]bool{}
	i := 0
	for _, row := range allRows() {
		for _, rec := range append(append([]string{}, row.Fires...), row.Quiet...) {
			if seen[rec] {
				continue
			}
			seen[rec] = true
			out = append(out, logEvent{Timestamp: windowStart.Add(time.Duration(i) * 3 * time.Second).UnixMilli(), Message: rec})
			i++
		}
		for _, rec := range row.Fires {
			out = append(out,
				logEvent{Timestamp: windowStart.Add(-time.Millisecond).UnixMilli(), Message: rec},
				logEvent{Timestamp: windowStart.Add(5 * time.Minute).UnixMilli(), Message: rec})
		}
	}
	for _, rec := range fixtureRecords(t) {
		var r struct{ EventTime time.Time }
		if err := json.Unmarshal([]byte(rec), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, logEvent{Timestamp: r.EventTime.UnixMilli(), Message: rec})
	}
	if last := windowStart.Add(time.Duration(i) * 3 * time.Second); !last.Before(windowStart.Add(5 * time.Minute)) {
		t.Fatalf("%d proof records do not fit in one period", i)
	}
	return out
}

func fixtureRecords(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("testdata/records.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return scanLines(t, f)
}

// countIn is what CloudWatch's metric filter would have counted: events in [start, start+period)
// that the pattern matches (our engine, the same as the fake's).
func countIn(t *testing.T, evs []logEvent, pattern string, start time.Time, period time.Duration) int {
	t.Helper()
	p, err := filterpattern.Parse(pattern)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Timestamp >= start.UnixMilli() && e.Timestamp < start.Add(period).UnixMilli() && p.Match([]byte(e.Message)) {
			n++
		}
	}
	return n
}

// notification is CloudWatch's SNS message for row going to ALARM with one datapoint of value
// count at windowStart, as CloudWatch writes it.
func notification(row catalog.Alarm, count int) string {
	thr := strconv.FormatFloat(row.Threshold, 'f', 1, 64)
	m := map[string]any{
		"AlarmName":                          row.AlarmName,
		"AlarmDescription":                   row.Description["en"],
		"AWSAccountId":                       "123456789012",
		"AlarmConfigurationUpdatedTimestamp": "2026-11-01T09:00:00.000+0000",
		"NewStateValue":                      "ALARM",
		"NewStateReason": fmt.Sprintf("Threshold Crossed: 1 out of the last 1 datapoints [%s (%s)] was greater than or equal to the threshold (%s) (minimum 1 datapoint for OK -> ALARM transition).",
			strconv.FormatFloat(float64(count), 'f', 1, 64), windowStart.Format("02/01/06 15:04:05"), thr),
		"StateChangeTime":         windowStart.Add(6*time.Minute + 12*time.Second).Format("2006-01-02T15:04:05.000-0700"),
		"Region":                  "US East (N. Virginia)",
		"AlarmArn":                "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + row.AlarmName,
		"OldStateValue":           "OK",
		"OKActions":               []string{},
		"AlarmActions":            []string{"arn:aws:sns:us-east-1:123456789012:trailwatch-alarms"},
		"InsufficientDataActions": []string{},
		"Trigger": map[string]any{
			"MetricName": row.MetricName, "Namespace": row.EffectiveNamespace(catalog.AWSNamespace),
			"StatisticType": "Statistic", "Statistic": "SUM", "Unit": nil, "Dimensions": []any{},
			"Period": row.EffectivePeriod(), "EvaluationPeriods": 1, "DatapointsToAlarm": 1,
			"ComparisonOperator": "GreaterThanOrEqualToThreshold", "Threshold": row.Threshold,
			"TreatMissingData": "notBreaching", "EvaluateLowSampleCountPercentile": "",
		},
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// snsEvent wraps message as Lambda receives it from the raw alarm topic.
func snsEvent(message string) events.SNSEvent {
	return events.SNSEvent{Records: []events.SNSEventRecord{{
		EventSource: "aws:sns", EventVersion: "1.0",
		EventSubscriptionArn: "arn:aws:sns:us-east-1:123456789012:trailwatch-alarms:0b6941c3-0000-4000-8000-000000000000",
		SNS: events.SNSEntity{Type: "Notification", MessageID: "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
			TopicArn: "arn:aws:sns:us-east-1:123456789012:trailwatch-alarms", Subject: "ALARM: \"x\" in US East (N. Virginia)",
			Message: message, Timestamp: windowStart.Add(6 * time.Minute)},
	}}}
}

func handle(t *testing.T, f *fakes, message string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return f.h.Handle(ctx, snsEvent(message))
}

// golden compares got with testdata/email/name, or rewrites it under -update.
// Near-copy of cmd/trailwatch/replay_test.go's golden update: test helpers of two packages.
func golden(t *testing.T, name string, got published) {
	t.Helper()
	text := "Subject: " + got.Subject + "\n\n" + got.Message
	path := filepath.Join("testdata", "email", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/notify/ -update to create it)", err)
	}
	if d := cmp.Diff(string(want), text); d != "" {
		t.Errorf("%s differs (-want +got); review, then go test ./internal/notify/ -run %s -update:\n%s", path, t.Name(), d)
	}
}

// TestEveryRowEmail: for every row of both profiles and every language of catalog.Languages, the
// email lists the events the row's own pattern selects in the alarm's window, with the alarm's
// count. A language has a golden per row (testdata/email/CODE/, written by -update).
func TestEveryRowEmail(t *testing.T) {
	evs := testEvents(t)
	headings := map[string]string{"en": "Events, newest first (%d of %d):", "ja": "イベント (新しい順、%d 件 / 全 %d 件):"}
	for _, lang := range catalog.LanguageCodes() {
		for _, row := range allRows() {
			t.Run(lang+"/"+row.ID, func(t *testing.T) {
				f := newFakes(t, evs, lang)
				count := countIn(t, evs, row.Pattern, windowStart, time.Duration(row.EffectivePeriod())*time.Second)
				if count < len(row.Fires) {
					t.Fatalf("only %d events in the window match; the row has %d fire records", count, len(row.Fires))
				}
				if err := handle(t, f, notification(row, count)); err != nil {
					t.Fatalf("Handle: %v", err)
				}
				if len(f.sns.got) != 1 {
					t.Fatalf("published %d messages, want 1", len(f.sns.got))
				}
				got := f.sns.got[0]
				if got.TopicARN != testTopic {
					t.Errorf("published to %s, want %s", got.TopicARN, testTopic)
				}
				if len(f.logs.patterns) == 0 || f.logs.patterns[0] != row.Pattern {
					t.Errorf("searched with %q, want the row's pattern %q", f.logs.patterns, row.Pattern)
				}
				listed := min(count, listedEvents)
				heading, known := headings[lang]
				if !known {
					heading = languages[lang].eventsHeading // the golden shows its text
				}
				if heading := fmt.Sprintf(heading, listed, count); !strings.Contains(got.Message, heading) {
					t.Errorf("email lacks %q", heading)
				}
				if n := strings.Count(got.Message, "\n["); n != listed {
					t.Errorf("email lists %d events, want %d", n, listed)
				}
				if want := fmt.Sprintf("ALARM %dx %s | 123456789012 (prod) | us-east-1", count, row.AlarmName); got.Subject != want {
					t.Errorf("subject %q, want %q", got.Subject, want)
				}
				golden(t, lang+"/"+row.ID+".txt", got)
			})
		}
	}
}
