package catalog

import (
	"fmt"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// BenchmarkMetricValue is what a benchmark filter publishes to its row's metric: 0. The filter is
// there for checkers that want the benchmark's text on a filter of the alarm's metric; the events
// it matches are a subset of Pattern's, which already counts each of them once. Publishing 1
// would count such an event twice, and the alarm's datapoints (and the email built from them)
// would disagree with the number of events.
const BenchmarkMetricValue = "0"

// checkBenchmarkPattern checks a row's BenchmarkPattern, if any. Its filter publishes 0 to the
// row's metric (BenchmarkMetricValue), so it only adds nothing if it matches a subset of Pattern's
// events: an event only it matched would be lost. A subset cannot be proven in general; the row's
// records stand for it: the pattern must match a Fires record (it detects something) and no Quiet
// record (it is no wider than Pattern on the near misses). The catalog tests check the subset on
// the project's records, and on the shared corpus where it is present.
func checkBenchmarkPattern(a Alarm) []*FieldError {
	if a.BenchmarkPattern == "" {
		return nil
	}
	var errs []*FieldError
	bad := func(format string, args ...any) {
		errs = append(errs, &FieldError{Field: "benchmarkPattern", Msg: fmt.Sprintf(format, args...)})
	}
	if a.BenchmarkPattern == a.Pattern {
		bad("is the same as pattern")
	}
	p, err := filterpattern.Parse(a.BenchmarkPattern)
	switch {
	case err != nil:
		bad("%v", err)
		return errs
	case p.MatchesAll():
		bad("is empty (it would count every event)")
		return errs
	}
	fires := 0
	for _, rec := range a.Fires {
		if p.Match([]byte(rec)) {
			fires++
		}
	}
	if fires == 0 {
		bad("matches none of the %d Fires records", len(a.Fires))
	}
	for i, rec := range a.Quiet {
		if p.Match([]byte(rec)) {
			bad("quiet[%d] matches it; it must count only events the pattern counts", i+1)
		}
	}
	return errs
}
