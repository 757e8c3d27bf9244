package athena

import (
	"fmt"
	"strconv"
)

// Result is the query's answer, decoded: what a local replay computes before it evaluates alarms.
type Result struct {
	// Records is every row read; BadTime those without a usable eventTime, which count nowhere
	// else (replay skips them as "no eventTime").
	Records, BadTime int64
	// MinTime and MaxTime bound the usable eventTimes (Unix seconds); HasTime is false when there
	// are none.
	MinTime, MaxTime int64
	HasTime          bool
	// Filters holds, per filter (Plan order), the records it matched per period start (Unix
	// seconds, a multiple of the filter's period).
	Filters []map[int64]int64
	// Alarms holds, per alarm (row order), the records any of its filters matched.
	Alarms []AlarmResult
}

// AlarmResult is one alarm's matches and who, what and where behind them, counted exactly.
type AlarmResult struct {
	Matches                           int64
	First, Last                       int64 // Unix seconds; meaningful when Matches > 0
	Principals, EventNames, SourceIPs map[string]int64
}

// Decode reads the query's result (header and rows as Athena's GetQueryResults returns them: every
// cell a string, NULL as "") for the filters of Plan and nAlarms alarms.
func Decode(filters []Filter, nAlarms int, header []string, rows [][]string) (*Result, error) {
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	need := []string{"kind", "bucket", "key", "records", "bad_time", "min_time", "max_time"}
	for i := range filters {
		need = append(need, fmt.Sprintf("f%d", i))
	}
	for j := 0; j < nAlarms; j++ {
		need = append(need, fmt.Sprintf("r%d", j), fmt.Sprintf("r%d_first", j), fmt.Sprintf("r%d_last", j))
	}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("result has no column %q", n)
		}
	}
	res := &Result{Filters: make([]map[int64]int64, len(filters)), Alarms: make([]AlarmResult, nAlarms)}
	for i := range res.Filters {
		res.Filters[i] = map[int64]int64{}
	}
	for j := range res.Alarms {
		res.Alarms[j] = AlarmResult{Principals: map[string]int64{}, EventNames: map[string]int64{}, SourceIPs: map[string]int64{}}
	}
	for ri, row := range rows {
		if len(row) != len(header) {
			return nil, fmt.Errorf("row %d has %d cells, want %d", ri+1, len(row), len(header))
		}
		num := func(name string) (int64, bool, error) {
			s := row[col[name]]
			if s == "" {
				return 0, false, nil
			}
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return 0, false, fmt.Errorf("row %d, %s: %v", ri+1, name, err)
			}
			return v, true, nil
		}
		var err error
		must := func(name string) int64 {
			v, _, e := num(name)
			if e != nil && err == nil {
				err = e
			}
			return v
		}
		key := row[col["key"]]
		switch kind := row[col["kind"]]; kind {
		case KindTotal:
			res.Records, res.BadTime = must("records"), must("bad_time")
			minTime, ok, e := num("min_time")
			if e != nil && err == nil {
				err = e
			}
			if ok {
				res.MinTime, res.MaxTime, res.HasTime = minTime, must("max_time"), true
			}
			for j := range res.Alarms {
				a := &res.Alarms[j]
				// Without matches, first and last are NULL (empty): 0, as for an alarm of no matches.
				a.Matches = must(fmt.Sprintf("r%d", j))
				a.First, a.Last = must(fmt.Sprintf("r%d_first", j)), must(fmt.Sprintf("r%d_last", j))
			}
		case KindMinute:
			minute := must("bucket")
			for i, f := range filters {
				if n := must(fmt.Sprintf("f%d", i)); n > 0 {
					res.Filters[i][floorTo(minute, f.Period)] += n
				}
			}
		case KindPrincipal, KindEventName, KindSourceIP:
			for j := range res.Alarms {
				n := must(fmt.Sprintf("r%d", j))
				if n == 0 {
					continue
				}
				a := &res.Alarms[j]
				switch kind {
				case KindPrincipal:
					a.Principals[key] += n
				case KindEventName:
					a.EventNames[key] += n
				default:
					a.SourceIPs[key] += n
				}
			}
		default:
			return nil, fmt.Errorf("row %d: unknown kind %q", ri+1, kind)
		}
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

// floorTo is the start of the period of p seconds holding t, periods aligned to the Unix epoch as
// replay aligns them.
func floorTo(t, p int64) int64 {
	q := t / p
	if t%p < 0 {
		q--
	}
	return q * p
}
