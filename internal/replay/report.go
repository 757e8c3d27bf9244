package replay

import (
	"time"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
)

// SchemaVersion names the JSON report's schema. Fields are only ever added within a version; a
// rename or removal gets a new version.
const SchemaVersion = "trailwatch.replay/v1"

// Report is the result of a replay; `--format json` prints it as is. docs/cli.md ("trailwatch
// replay", Output) documents every field.
type Report struct {
	Schema string        `json:"schema"`
	Totals Totals        `json:"totals"`
	Alarms []AlarmReport `json:"alarms"`
	// Athena is set when the report comes from an Athena query (replay --athena); absent for a
	// local replay.
	Athena *AthenaStats `json:"athena,omitempty"`
}

// AthenaStats are an Athena query's figures: its ID, the bytes it scanned
// (Statistics.DataScannedInBytes) and what they cost (internal/athena.Cost, US dollars).
type AthenaStats struct {
	QueryExecutionID string  `json:"query_execution_id"`
	DataScannedBytes int64   `json:"data_scanned_bytes"`
	CostUSD          float64 `json:"cost_usd"`
}

// Totals describes the input as a whole.
type Totals struct {
	FilesRead   int64 `json:"files_read"`
	BytesRead   int64 `json:"bytes_read"`
	RecordsRead int64 `json:"records_read"`
	// RecordsOutsideRange counts records left out by --since/--until (absent when none were).
	RecordsOutsideRange int64 `json:"records_outside_range,omitempty"`
	// RecordsSkipped counts skipped pieces of input: records, lines, CSV rows, or the unreadable
	// rest of a file (one each).
	RecordsSkipped  int64                       `json:"records_skipped"`
	SkippedByReason map[cloudtrail.Reason]int64 `json:"skipped_by_reason"`
	// Skipped lists the first skipped places in input order (file, line, record).
	Skipped      []cloudtrail.Problem `json:"skipped"`
	IgnoredCount int64                `json:"ignored_count"`
	Ignored      []cloudtrail.Ignored `json:"ignored"`
	FirstEvent   *time.Time           `json:"first_event"`
	LastEvent    *time.Time           `json:"last_event"`
}

// AlarmReport is what one rule would have done over the input.
// Near-copy of Rule's fields: the JSON report's schema (SchemaVersion) is pinned on its own, so a
// change to Rule cannot change it unseen.
type AlarmReport struct {
	ID         string   `json:"id"`
	MetricName string   `json:"metric_name"`
	Namespace  string   `json:"namespace"`
	Filters    []Filter `json:"filters"`
	Alarm      *Alarm   `json:"alarm"`

	Matches    int64      `json:"matches"`
	FirstMatch *time.Time `json:"first_match"`
	LastMatch  *time.Time `json:"last_match"`

	// AlarmPeriodCount is the number of periods the alarm spent in ALARM; AlarmPeriods lists them
	// (up to maxPeriods; AlarmPeriodsTruncated says when more were left out).
	AlarmPeriodCount      int64          `json:"alarm_period_count"`
	AlarmPeriods          []PeriodReport `json:"alarm_periods"`
	AlarmPeriodsTruncated bool           `json:"alarm_periods_truncated"`
	// Episodes are maximal stretches of consecutive ALARM periods: each is one OK->ALARM
	// transition, so one notification.
	EpisodeCount int       `json:"episode_count"`
	Episodes     []Episode `json:"episodes"`
	// EpisodesTruncated says that more than MaxEpisodes episodes happened and only the first
	// MaxEpisodes are listed; EpisodeCount is always exact.
	EpisodesTruncated bool `json:"episodes_truncated,omitempty"`

	TopPrincipals []Count `json:"top_principals"`
	TopEventNames []Count `json:"top_event_names"`
	TopSourceIPs  []Count `json:"top_source_ips"`
	// TopCountErrorBound is 0 when the top counts are exact; otherwise each count may overstate
	// the truth by at most this much (bounded counting, see counter).
	TopCountErrorBound int64 `json:"top_count_error_bound"`
}

// PeriodReport is one period in ALARM.
type PeriodReport struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Value is the statistic over the period; null when the period had no datapoint (it breached
	// through TreatMissingData).
	Value *float64 `json:"value"`
}

// Episode is one stretch of consecutive ALARM periods.
type Episode struct {
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Periods int64     `json:"periods"`
	// Peak is the largest datapoint in the episode; null when no period in it had data.
	Peak *float64 `json:"peak"`
}

// maxPeriods bounds the ALARM periods listed per alarm; the count is always exact.
const maxPeriods = MaxPeriodsListed

// MaxPeriodsListed and MaxEpisodes bound the ALARM periods and the episodes a report lists per
// alarm, so a report's size does not grow with the input; the counts are always exact.
const (
	MaxPeriodsListed = 1000
	MaxEpisodes      = 1000
)

func unixPtr(t int64, ok bool) *time.Time {
	if !ok {
		return nil
	}
	u := time.Unix(t, 0).UTC()
	return &u
}

// summarize turns evaluated runs into the ALARM periods and episodes of a report.
func summarize(ar *AlarmReport, runs []run, period int64) {
	ar.AlarmPeriods = []PeriodReport{}
	ar.Episodes = []Episode{}
	var ep *Episode
	inEpisode := false // ep is nil in an episode past MaxEpisodes: counted, not listed
	for _, r := range runs {
		if r.state != StateAlarm {
			ep, inEpisode = nil, false
			continue
		}
		n := (r.end-r.start)/period + 1
		ar.AlarmPeriodCount += n
		for p := r.start; p <= r.end; p += period {
			if len(ar.AlarmPeriods) >= maxPeriods {
				ar.AlarmPeriodsTruncated = true
				break
			}
			ar.AlarmPeriods = append(ar.AlarmPeriods, PeriodReport{
				Start: time.Unix(p, 0).UTC(), End: time.Unix(p+period, 0).UTC(), Value: r.value,
			})
		}
		if !inEpisode {
			inEpisode = true
			ar.EpisodeCount++
			if len(ar.Episodes) < MaxEpisodes {
				ar.Episodes = append(ar.Episodes, Episode{Start: time.Unix(r.start, 0).UTC()})
				ep = &ar.Episodes[len(ar.Episodes)-1]
			} else {
				ar.EpisodesTruncated = true
			}
		}
		if ep == nil {
			continue
		}
		ep.End = time.Unix(r.end+period, 0).UTC()
		ep.Periods += n
		if r.value != nil && (ep.Peak == nil || *r.value > *ep.Peak) {
			v := *r.value
			ep.Peak = &v
		}
	}
}
