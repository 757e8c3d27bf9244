package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// LogsAPI is the CloudWatch Logs calls the handler makes.
type LogsAPI interface {
	FilterLogEvents(context.Context, *cloudwatchlogs.FilterLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error)
	DescribeMetricFilters(context.Context, *cloudwatchlogs.DescribeMetricFiltersInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeMetricFiltersOutput, error)
}

// SNSAPI is the SNS call the handler makes.
type SNSAPI interface {
	Publish(context.Context, *sns.PublishInput, ...func(*sns.Options)) (*sns.PublishOutput, error)
}

// Config is what the function is deployed with.
type Config struct {
	// LogGroup is the trail's log group name: where FilterLogEvents searches.
	LogGroup string
	// TopicARN is the email topic the function publishes to (never the topic that triggers it).
	TopicARN string
	// Language of the emails: a code of catalog.Languages.
	Language string
	// Environment is the label shown next to the account ID. Default: - none.
	Environment string
	// Rows are the alarms the function can list events for, matched by metric namespace and name.
	// Default: - every built-in row (catalog.AWS and catalog.CIS).
	Rows []catalog.Alarm
	// Reserve is the time kept back from the invocation deadline to publish the degraded message
	// when the log search is slow: two publishes (detailed, then degraded). Default: - 12 s.
	Reserve time.Duration
	// MaxScanned bounds the events read from the log search; past it the listing says so.
	// Default: - 10,000.
	MaxScanned int
}

// Handler handles the SNS events that carry CloudWatch alarm notifications.
type Handler struct {
	Config
	Logs LogsAPI
	SNS  SNSAPI
}

// publishTimeout bounds one Publish call, retries included.
const publishTimeout = 5 * time.Second

// ErrDegraded wraps every error returned after a degraded message was published: the alert
// reached the subscribers, but without all its details.
var ErrDegraded = errors.New("alarm published without its details")

// Handle publishes one email per alarm notification. It returns an error when any email went out
// degraded or not at all; by then every message that could be published has been.
func (h *Handler) Handle(ctx context.Context, ev events.SNSEvent) error {
	var errs []error
	for _, rec := range ev.Records {
		if err := h.handleMessage(ctx, rec.SNS.Message); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (h *Handler) handleMessage(ctx context.Context, message string) error {
	w := wordsFor(h.Language)
	alarm, err := ParseAlarm(message)
	if err != nil {
		body := fmt.Sprintf(w.unreadable, err) + "\n\n" + clean(message, 4000) + "\n"
		if perr := h.publish(ctx, email{Subject: "trailwatch: unreadable alarm notification", Body: body}); perr != nil {
			return fmt.Errorf("%v; publishing it raw also failed: %w", err, perr)
		}
		return fmt.Errorf("%w: %v", ErrDegraded, err)
	}
	r := &report{alarm: alarm, window: alarm.Evaluation(), environment: h.Environment, lang: h.Language}
	r.row, r.hasRow = h.findRow(alarm.Trigger)

	var fetchErr error
	if !r.hasRow && alarm.NewStateValue == "ALARM" {
		// A row of an alarms file is not compiled in: its pattern is the deployed metric filter's.
		r.row, fetchErr = h.describeRow(ctx, alarm)
		r.hasRow = fetchErr == nil
	}
	switch {
	case alarm.NewStateValue != "ALARM":
		// Only ALARM is enriched; another state is passed on as it is.
	case !r.hasRow:
		r.degraded = true
		r.problems = append(r.problems, fmt.Sprintf(w.noRow, clean(alarm.Trigger.Namespace, 255), clean(alarm.Trigger.MetricName, 255), clean(describe(fetchErr), maxField)))
	default:
		fetchErr = h.fetch(ctx, r)
		if fetchErr != nil && len(r.events) == 0 {
			r.degraded = true
			r.problems = append(r.problems, fmt.Sprintf(w.fetchFailed, clean(describe(fetchErr), maxField)))
		} else if fetchErr != nil {
			r.problems = append(r.problems, fmt.Sprintf(w.incomplete, clean(describe(fetchErr), maxField)))
		}
	}

	pubErr := h.publish(ctx, r.render())
	if pubErr != nil {
		// The detailed email failed (size, encoding, a transient error): send the basics.
		r.degraded, r.events = true, nil
		r.problems = append(r.problems, fmt.Sprintf(w.publishFailed, clean(describe(pubErr), maxField)))
		if err := h.publish(ctx, r.render()); err != nil {
			return fmt.Errorf("alarm %s: not published: %w (degraded message: %v)", alarm.AlarmName, pubErr, err)
		}
	}
	if fetchErr != nil || pubErr != nil {
		return fmt.Errorf("%w: alarm %s: %w", ErrDegraded, alarm.AlarmName, errors.Join(fetchErr, pubErr))
	}
	return nil
}

// findRow finds the row whose metric the alarm watches. Metric names are unique per namespace
// across the catalog and alarms files (config rejects duplicates), so namespace and name identify
// the row whatever prefix the alarm name carries.
func (h *Handler) findRow(t Trigger) (catalog.Alarm, bool) {
	rows := h.Rows
	if rows == nil {
		for _, p := range catalog.Profiles {
			rows = append(rows, p.Rows()...)
		}
	}
	for _, row := range rows {
		if row.MetricName == t.MetricName && row.EffectiveNamespace(catalog.DefaultNamespace) == t.Namespace {
			return row, true
		}
	}
	return catalog.Alarm{}, false
}

// describeRow makes a row of the metric filter deployed on the log group for the alarm's metric:
// the pattern is the deployed one, the description the alarm's.
func (h *Handler) describeRow(ctx context.Context, alarm Alarm) (catalog.Alarm, error) {
	dctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
	out, err := h.Logs.DescribeMetricFilters(dctx, &cloudwatchlogs.DescribeMetricFiltersInput{
		LogGroupName:    aws.String(h.LogGroup),
		MetricName:      aws.String(alarm.Trigger.MetricName),
		MetricNamespace: aws.String(alarm.Trigger.Namespace),
	})
	if err != nil {
		return catalog.Alarm{}, fmt.Errorf("metric %s/%s: %w", alarm.Trigger.Namespace, alarm.Trigger.MetricName, err)
	}
	// A dimensioned row has two filters on one metric (total and per dimension), with one pattern.
	// A filter publishing 0 (a catalog row's benchmark filter, catalog.BenchmarkMetricValue) counts
	// nothing the alarm sees, so it never stands for the alarm's events.
	for _, f := range out.MetricFilters {
		if f.FilterPattern != nil && !publishesOnlyZero(f) {
			// The deployed description is in the stack's language already: as the default text,
			// Text.In gives it whatever the function's language.
			desc := ""
			if alarm.AlarmDescription != nil {
				desc = *alarm.AlarmDescription
			}
			return catalog.Alarm{AlarmName: alarm.AlarmName, MetricName: alarm.Trigger.MetricName, Namespace: alarm.Trigger.Namespace,
				Pattern: *f.FilterPattern, Description: catalog.Text{catalog.DefaultLanguage(): desc}}, nil
		}
	}
	return catalog.Alarm{}, fmt.Errorf("metric %s/%s: no metric filter on log group %s", alarm.Trigger.Namespace, alarm.Trigger.MetricName, h.LogGroup)
}

// fetch runs FilterLogEvents with the row's pattern over the alarm's window and keeps the newest
// events. It stops at the deadline (keeping Reserve for publishing) and after MaxScanned events;
// what it found until then is kept, and the error says why it stopped.
func (h *Handler) fetch(ctx context.Context, r *report) error {
	limit := h.MaxScanned
	if limit <= 0 {
		limit = 10000
	}
	fctx, cancel := context.WithDeadline(ctx, h.searchDeadline(ctx, time.Now()))
	defer cancel()
	defer r.decodeKept()

	in := &cloudwatchlogs.FilterLogEventsInput{
		LogGroupName:  aws.String(h.LogGroup),
		FilterPattern: aws.String(r.row.Pattern),
		StartTime:     aws.Int64(r.window.Start.UnixMilli()),
		// EndTime is inclusive; the window's end is the next period's first millisecond.
		EndTime: aws.Int64(r.window.End.UnixMilli() - 1),
	}
	for {
		out, err := h.Logs.FilterLogEvents(fctx, in)
		if err != nil {
			if fctx.Err() != nil && ctx.Err() == nil {
				return fmt.Errorf("the log search did not finish in time (%d events read): %w", r.found, context.DeadlineExceeded)
			}
			return err
		}
		for _, e := range out.Events {
			r.found++
			// Records are decoded once the newest are known (decodeKept): a large window costs
			// one comparison per event.
			rec := record{timestamp: aws.ToInt64(e.Timestamp), eventID: aws.ToString(e.EventId), message: aws.ToString(e.Message)}
			r.events = keepNewest(r.events, rec, listedEvents)
		}
		if out.NextToken == nil || *out.NextToken == "" {
			return nil
		}
		if r.found >= limit {
			return fmt.Errorf("stopped after %d events", r.found)
		}
		in.NextToken = out.NextToken
	}
}

// searchDeadline is when the log search must stop: Reserve (default 12 s: two publishes of
// publishTimeout and 2 s to spare) before the invocation's deadline, or before now + 30 s
// without one.
func (h *Handler) searchDeadline(ctx context.Context, now time.Time) time.Time {
	reserve := h.Reserve
	if reserve <= 0 {
		reserve = 2*publishTimeout + 2*time.Second
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = now.Add(30 * time.Second)
	}
	return deadline.Add(-reserve)
}

// decodeKept decodes the records kept for listing.
func (r *report) decodeKept() {
	for i, e := range r.events {
		r.events[i] = decodeRecord(e.message, e.timestamp, e.eventID)
	}
}

// keepNewest inserts rec into list (newest first) and keeps the n newest.
func keepNewest(list []record, rec record, n int) []record {
	i := sort.Search(len(list), func(i int) bool { return !newer(list[i], rec) })
	return slices.Insert(list, i, rec)[:min(len(list)+1, n)]
}

func (h *Handler) publish(ctx context.Context, e email) error {
	// A message must go out even when the invocation's context is nearly spent: the degraded
	// message is the alert. Publish gets its own short budget, detached from the search deadline.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishTimeout)
	defer cancel()
	_, err := h.SNS.Publish(pctx, &sns.PublishInput{
		TopicArn: aws.String(h.TopicARN),
		Subject:  aws.String(e.Subject),
		Message:  aws.String(e.Body),
	})
	return err
}

// describe names an AWS error by its code and message, without request IDs or retry noise.
func describe(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		msg := api.ErrorCode()
		if m := api.ErrorMessage(); m != "" {
			msg += ": " + m
		}
		return msg
	}
	return err.Error()
}

// publishesOnlyZero says whether every metric transformation of f publishes
// catalog.BenchmarkMetricValue, so that f adds nothing to the alarm's count.
func publishesOnlyZero(f logstypes.MetricFilter) bool {
	if len(f.MetricTransformations) == 0 {
		return false
	}
	for _, t := range f.MetricTransformations {
		if t.MetricValue == nil || *t.MetricValue != catalog.BenchmarkMetricValue {
			return false
		}
	}
	return true
}
