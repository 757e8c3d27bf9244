package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
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
		0x2e80: 2, 0xa4cf: 2, 0xac00: 2, 0xd7a3: 2, 0xd7a4: 1,
		0xf8ff: 1, 0xf900: 2, 0xfaff: 2, 0xfb00: 1, 0xfe30: 2, 0xfe4f: 2,
		0xff00: 2, 0xff60: 2, 0xff61: 1, 0xffe0: 2, 0xffe6: 2, 0xffe7: 1,
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
