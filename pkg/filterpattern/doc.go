// Package filterpattern is an exact, offline evaluator of CloudWatch Logs filter patterns for JSON
// log events such as CloudTrail records, so that trailwatch can prove which alarms a record sets
// off without an AWS account.
//
// Parse turns a pattern into a *Pattern or a *SyntaxError that names the 1-based column and what
// was expected there:
//
//	p, err := filterpattern.Parse(`{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) }`)
//	ok := p.Match(record)
//
// A Set matches a record against many patterns while reading the record once:
//
//	set := filterpattern.NewSet(p1, p2, p3)
//	hits := make([]bool, set.Len())
//	err := set.Match(record, hits) // *RecordError if record is not a JSON object
//
// Supported: the empty pattern and JSON patterns with the selectors, values, operators and limits
// of the CloudWatch Logs user guide, as pinned down in SEMANTICS.md next to this file. Where the
// guide is silent the engine takes the conservative reading and SEMANTICS.md says which. Term
// patterns, space-delimited patterns and wildcard selectors are rejected with an error matching
// ErrUnsupported rather than guessed at.
//
// Concurrency: Pattern and Set values are immutable once built and safe for concurrent use by
// many goroutines; build one Set and share it. Match borrows scratch state from a sync.Pool, so
// matching allocates nothing in the steady state.
package filterpattern
