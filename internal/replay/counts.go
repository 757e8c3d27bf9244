package replay

import (
	"fmt"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
)

// Counts is what a replay counts before it evaluates the alarms, counted elsewhere: by the Athena
// query of internal/athena, whose result (athena.Decode) has this shape. ReportFromCounts turns it
// into the report a local replay prints.
type Counts struct {
	// Records is every record counted, NoEventTime those of them without a usable eventTime
	// (reported as skipped "no_event_time", as a local replay skips them).
	Records, NoEventTime int64
	// FirstEvent and LastEvent bound the usable eventTimes (Unix seconds) when HasTime.
	FirstEvent, LastEvent int64
	HasTime               bool
	// Filters holds each rule's filters in order, one after the other: the records the filter
	// matched per period start (Unix seconds, a multiple of its rule's alarm period).
	Filters []map[int64]int64
	// Rules holds, per rule, the records any of its filters matched, counted exactly.
	Rules []RuleCounts
}

// RuleCounts is one rule's matches.
type RuleCounts struct {
	Matches                           int64
	First, Last                       int64 // Unix seconds, when Matches > 0
	Principals, EventNames, SourceIPs map[string]int64
}

// ReportFromCounts builds the report of rules over counts, with top lists of topN (0: 5). Every
// rule needs an alarm, and no filter may have a DefaultValue (it would need every period's count
// of all records, which Counts does not hold). Files and bytes read are 0: nothing was read here.
func ReportFromCounts(rules []Rule, c Counts, topN int) (*Report, error) {
	if topN <= 0 {
		topN = 5
	}
	nf := 0
	for _, r := range rules {
		if r.Alarm == nil {
			return nil, fmt.Errorf("%s: no alarm watches its metric", r.ID)
		}
		for _, f := range r.Filters {
			if f.Default != nil {
				return nil, fmt.Errorf("%s: a filter with a DefaultValue needs every period's record count", r.ID)
			}
		}
		nf += len(r.Filters)
	}
	if len(c.Filters) != nf || len(c.Rules) != len(rules) {
		return nil, fmt.Errorf("counts for %d filters and %d rules, want %d and %d", len(c.Filters), len(c.Rules), nf, len(rules))
	}
	rep := &Report{Schema: SchemaVersion}
	t := &rep.Totals
	t.RecordsRead = c.Records - c.NoEventTime
	t.RecordsSkipped = c.NoEventTime
	t.SkippedByReason = map[cloudtrail.Reason]int64{}
	if c.NoEventTime > 0 {
		t.SkippedByReason[cloudtrail.ReasonNoEventTime] = c.NoEventTime
	}
	t.Skipped = []cloudtrail.Problem{}
	t.Ignored = []cloudtrail.Ignored{}
	hasRecords := t.RecordsRead > 0 && c.HasTime
	t.FirstEvent, t.LastEvent = unixPtr(c.FirstEvent, hasRecords), unixPtr(c.LastEvent, hasRecords)
	fi := 0
	for ri, r := range rules {
		rc := c.Rules[ri]
		ar := AlarmReport{
			ID: r.ID, MetricName: r.MetricName, Namespace: r.Namespace, Filters: r.Filters, Alarm: r.Alarm,
			Matches:       rc.Matches,
			FirstMatch:    unixPtr(rc.First, rc.Matches > 0),
			LastMatch:     unixPtr(rc.Last, rc.Matches > 0),
			TopPrincipals: (&counter{counts: rc.Principals}).top(topN),
			TopEventNames: (&counter{counts: rc.EventNames}).top(topN),
			TopSourceIPs:  (&counter{counts: rc.SourceIPs}).top(topN),
			AlarmPeriods:  []PeriodReport{},
			Episodes:      []Episode{},
		}
		counts := c.Filters[fi : fi+len(r.Filters)]
		fi += len(r.Filters)
		if hasRecords {
			data := metricData(r.Filters, counts, nil, r.Alarm.Statistic)
			runs := evaluate(r.Alarm, data, bucketOf(c.FirstEvent, r.Alarm.Period), bucketOf(c.LastEvent, r.Alarm.Period))
			summarize(&ar, runs, r.Alarm.Period)
		}
		rep.Alarms = append(rep.Alarms, ar)
	}
	return rep, nil
}
