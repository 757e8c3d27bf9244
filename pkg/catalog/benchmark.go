package catalog

import (
	"fmt"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// checkBenchmarkPattern checks a row's BenchmarkPattern, if any. Its filter publishes the row's
// metric too, so the row's alarm (and replay, which matches Pattern) stay right only if it counts
// a subset of Pattern's events, and the double count of an event matching both is harmless only
// at threshold 1. A subset cannot be proven in general; the row's records stand for it: the
// pattern must match a Fires record (it detects something) and no Quiet record (it is no wider
// than Pattern on the near misses). The catalog tests check the subset on the shared corpus too.
func checkBenchmarkPattern(a Alarm) []*FieldError {
	if a.BenchmarkPattern == "" {
		return nil
	}
	var errs []*FieldError
	bad := func(format string, args ...any) {
		errs = append(errs, &FieldError{Field: "benchmarkPattern", Msg: fmt.Sprintf(format, args...)})
	}
	if a.Threshold != 1 {
		bad("needs threshold 1, not %v: an event that matches both patterns counts twice", a.Threshold)
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
