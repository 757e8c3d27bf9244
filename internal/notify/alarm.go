// Package notify is the alarm-email function: it turns CloudWatch's alarm notification into an
// email that says who did what, where and when.
//
// It is triggered by the topic the alarms publish to (raw CloudWatch JSON) and publishes only to
// the email topic, so it can never trigger itself. For each alarm it finds the catalog row of the
// alarm's metric, selects the events the alarm counted with CloudWatch Logs FilterLogEvents and
// the row's own filter pattern over the alarm's evaluation window, and publishes one plain-text
// email. When anything fails it still publishes the alarm, degraded, and then reports the error.
// See docs/notifications.md.
package notify

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Alarm is CloudWatch's alarm state-change notification as it arrives in an SNS message: a JSON
// object with these fields (see "Notifying users on alarm changes" in the CloudWatch user guide).
// Region is the Region's display name ("US East (N. Virginia)"); the code comes from AlarmArn.
type Alarm struct {
	AlarmName        string  `json:"AlarmName"`
	AlarmDescription *string `json:"AlarmDescription"`
	AWSAccountID     string  `json:"AWSAccountId"`
	NewStateValue    string  `json:"NewStateValue"`
	NewStateReason   string  `json:"NewStateReason"`
	// NewStateReasonData is not in CloudWatch's SNS notification today (it is in the EventBridge
	// event and in DescribeAlarms); it is read when present, as a JSON string or an object.
	NewStateReasonData json.RawMessage `json:"NewStateReasonData"`
	StateChangeTime    string          `json:"StateChangeTime"`
	Region             string          `json:"Region"`
	AlarmArn           string          `json:"AlarmArn"`
	OldStateValue      string          `json:"OldStateValue"`
	Trigger            Trigger         `json:"Trigger"`
}

// Trigger is the alarm's metric and evaluation settings.
type Trigger struct {
	MetricName         string      `json:"MetricName"`
	Namespace          string      `json:"Namespace"`
	Statistic          string      `json:"Statistic"`
	Dimensions         []Dimension `json:"Dimensions"`
	Period             int         `json:"Period"`
	EvaluationPeriods  int         `json:"EvaluationPeriods"`
	DatapointsToAlarm  int         `json:"DatapointsToAlarm"`
	ComparisonOperator string      `json:"ComparisonOperator"`
	Threshold          float64     `json:"Threshold"`
}

// Dimension is one metric dimension of the alarm (lower-case keys, as CloudWatch writes them).
type Dimension struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ParseAlarm reads CloudWatch's notification JSON.
func ParseAlarm(message string) (Alarm, error) {
	var a Alarm
	if err := json.Unmarshal([]byte(message), &a); err != nil {
		return Alarm{}, fmt.Errorf("the SNS message is not a CloudWatch alarm notification: %v", err)
	}
	if a.AlarmName == "" || a.Trigger.MetricName == "" {
		return Alarm{}, fmt.Errorf("the SNS message is not a CloudWatch alarm notification: no AlarmName or Trigger.MetricName")
	}
	return a, nil
}

// RegionCode is the Region code from the alarm ARN (arn:partition:cloudwatch:region:account:alarm:name).
func (a Alarm) RegionCode() string { return arnPart(a.AlarmArn, 3) }

// Partition is the partition from the alarm ARN, "aws" when the ARN is missing.
func (a Alarm) Partition() string {
	if p := arnPart(a.AlarmArn, 1); p != "" {
		return p
	}
	return "aws"
}

func arnPart(arn string, i int) string {
	parts := strings.Split(arn, ":") // the alarm name, last, may hold colons
	if len(parts) < 7 || parts[0] != "arn" {
		return ""
	}
	return parts[i]
}

// Datapoint is one period's value of the alarm's metric: the number of matching events that
// period, since a trailwatch filter emits 1 per event and the alarm sums.
type Datapoint struct {
	Start time.Time
	Value float64
}

// Window is the time range the alarm evaluated and the events it counted there.
type Window struct {
	Start, End time.Time
	// Count is the sum of the alarm's datapoints: the number of events the alarm counted.
	// It is -1 when the notification carries no datapoints (then the window is estimated).
	Count int
	// Estimated is true when the window comes from StateChangeTime and the period, not datapoints.
	Estimated bool
}

// Evaluation returns the alarm's evaluation window and count, from its datapoints: the reason data
// when present, else the datapoints CloudWatch writes into NewStateReason ("[3.0 (29/11/26
// 17:40:00)]", day/month/year, UTC, each the start of its period).
func (a Alarm) Evaluation() Window {
	period := time.Duration(a.Trigger.Period) * time.Second
	if period <= 0 {
		period = 5 * time.Minute
	}
	points := a.reasonDataPoints()
	if len(points) == 0 {
		points = reasonTextPoints(a.NewStateReason)
	}
	if len(points) == 0 {
		end, err := parseAlarmTime(a.StateChangeTime)
		if err != nil {
			end = time.Time{}
		}
		n := max(a.Trigger.EvaluationPeriods, 1)
		return Window{Start: end.Add(-time.Duration(n) * period).Add(-period), End: end, Count: -1, Estimated: true}
	}
	w := Window{Start: points[0].Start, End: points[0].Start.Add(period)}
	sum := 0.0
	for _, p := range points {
		if p.Start.Before(w.Start) {
			w.Start = p.Start
		}
		if e := p.Start.Add(period); e.After(w.End) {
			w.End = e
		}
		sum += p.Value
	}
	w.Count = int(math.Round(sum))
	return w
}

type reasonData struct {
	StartDate        string    `json:"startDate"`
	Period           int       `json:"period"`
	RecentDatapoints []float64 `json:"recentDatapoints"`
}

func (a Alarm) reasonDataPoints() []Datapoint {
	raw := a.NewStateReasonData // absent or null: neither a string nor an object, so no points
	var s string
	if json.Unmarshal(raw, &s) == nil {
		raw = json.RawMessage(s)
	}
	var d reasonData
	if json.Unmarshal(raw, &d) != nil || len(d.RecentDatapoints) == 0 {
		return nil
	}
	start, err := parseAlarmTime(d.StartDate)
	if err != nil {
		return nil
	}
	period := d.Period
	if period <= 0 {
		period = a.Trigger.Period
	}
	out := make([]Datapoint, len(d.RecentDatapoints))
	for i, v := range d.RecentDatapoints {
		out[i] = Datapoint{Start: start.Add(time.Duration(i*period) * time.Second), Value: v}
	}
	return out
}

var (
	reasonList  = regexp.MustCompile(`\[[^\[\]]*\]`)
	reasonPoint = regexp.MustCompile(`(-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?) \(([0-9]{2}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2})\)`)
)

func reasonTextPoints(reason string) []Datapoint {
	list := reasonList.FindString(reason) // the first [...]; the points inside it are read below
	if list == "" {
		return nil
	}
	var out []Datapoint
	for _, p := range reasonPoint.FindAllStringSubmatch(list, -1) {
		v, err := strconv.ParseFloat(p[1], 64)
		if err != nil {
			continue
		}
		t, err := time.Parse("02/01/06 15:04:05", p[2])
		if err != nil {
			continue
		}
		out = append(out, Datapoint{Start: t.UTC(), Value: v})
	}
	return out
}

// parseAlarmTime reads CloudWatch's timestamps ("2026-11-29T17:45:38.123+0000").
func parseAlarmTime(s string) (time.Time, error) {
	// A fractional second after the seconds is read whatever the layout says (time.Parse).
	for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}
