package replay

import (
	"math"
	"sort"
)

// State is an alarm state.
type State string

// CloudWatch alarm states.
const (
	StateOK           State = "OK"
	StateAlarm        State = "ALARM"
	StateInsufficient State = "INSUFFICIENT_DATA"
)

// datapoint is the metric's statistic over one period that had data.
type datapoint struct {
	start int64
	value float64
}

// metricData computes the alarm's statistic for every period in which the metric had data.
// counts[i] holds filter i's matches per period start; totals (nil unless a filter has a
// DefaultValue) holds all records per period start, because such a filter also emits for every
// record it does not match.
func metricData(filters []Filter, counts []map[int64]int64, totals map[int64]int64, stat Statistic) []datapoint {
	starts := map[int64]bool{}
	for _, c := range counts {
		for b := range c {
			starts[b] = true
		}
	}
	for _, f := range filters {
		if f.Default != nil {
			// A filter with a DefaultValue emits in every period that has any record.
			for b := range totals {
				starts[b] = true
			}
			break
		}
	}
	out := make([]datapoint, 0, len(starts))
	for b := range starts {
		var sum, n float64
		lo, hi := math.MaxFloat64, -math.MaxFloat64 // beyond every metric value (rule.go: ±2^360)
		for i, f := range filters {
			matched := float64(counts[i][b])
			if matched > 0 {
				sum += matched * f.Value
				n += matched
				lo, hi = min(lo, f.Value), max(hi, f.Value)
			}
			if f.Default != nil {
				if other := float64(totals[b]) - matched; other > 0 {
					sum += other * *f.Default
					n += other
					lo, hi = min(lo, *f.Default), max(hi, *f.Default)
				}
			}
		}
		if n == 0 {
			continue
		}
		var v float64
		switch stat {
		case Sum:
			v = sum
		case SampleCount:
			v = n
		case Average:
			v = sum / n
		case Minimum:
			v = lo
		case Maximum:
			v = hi
		}
		out = append(out, datapoint{b, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// run is a stretch of consecutive periods in one state; value is set for single periods that had
// a datapoint. Two runs in a row may have the same state (report.go's summarize joins them).
type run struct {
	start, end int64 // period starts, inclusive
	state      State
	value      *float64
}

// evaluate replays the alarm over every period from first to last (period starts, inclusive): the
// span the input covers. At the end of each period CloudWatch looks at the last EvaluationPeriods
// periods and goes to ALARM when at least DatapointsToAlarm of them breach. Missing periods count
// as TreatMissingData says: notBreaching never breach, breaching always do; for missing and ignore
// only periods with data are counted, and a window with no data at all leaves the alarm in
// INSUFFICIENT_DATA (missing) or where it was (ignore). With 1 of 1 — every alarm trailwatch
// deploys — this is exactly CloudWatch's rule; for M of N with missing or ignore, CloudWatch may
// look further back than N periods for data, which replay does not.
func evaluate(a *Alarm, data []datapoint, first, last int64) []run {
	P := a.Period
	N := int64(a.EvaluationPeriods)
	M := a.DatapointsToAlarm
	var runs []run
	prev := StateInsufficient
	// The window of period p holds the datapoints that start in (p-N·P, p]. It changes only when a
	// datapoint enters (at its start) or leaves (N periods later), so the state is computed at
	// those events and holds until the next: O(datapoints), however long the span or large N is.
	// data is sorted by start (metricData) and starts at or after first.
	in, out := 0, 0 // data[out:in] is the window
	breach, present := 0, 0
	for p := first; p <= last; {
		for in < len(data) && data[in].start <= p {
			present++
			if a.Comparison.breaches(data[in].value, a.Threshold) {
				breach++
			}
			in++
		}
		for out < in && data[out].start <= p-N*P {
			present--
			if a.Comparison.breaches(data[out].value, a.Threshold) {
				breach--
			}
			out++
		}
		var st State
		switch {
		case a.TreatMissingData == Breaching:
			st = pick(breach+int(N)-present >= M, StateAlarm, StateOK)
		case present > 0 || a.TreatMissingData == NotBreaching:
			st = pick(breach >= M, StateAlarm, StateOK)
		case a.TreatMissingData == MissingMissing:
			st = StateInsufficient
		default: // ignore, and a window with no data: the state holds
			st = prev
		}
		next := last + P
		if in < len(data) {
			next = min(next, data[in].start)
		}
		if out < in {
			next = min(next, data[out].start+N*P)
		}
		if in > 0 && data[in-1].start == p {
			v := data[in-1].value
			runs = append(runs, run{start: p, end: p, state: st, value: &v})
			if next > p+P {
				runs = append(runs, run{start: p + P, end: next - P, state: st})
			}
		} else {
			runs = append(runs, run{start: p, end: next - P, state: st})
		}
		prev = st
		p = next
	}
	return runs
}

func pick(c bool, a, b State) State {
	if c {
		return a
	}
	return b
}
