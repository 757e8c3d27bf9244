package replay

import (
	"math"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// plan is the flattened form of the rules the hot path works from.
type plan struct {
	rules    []Rule
	patterns []string // distinct patterns, in the order of the compiled Set
	filters  []planFilter
	// totalsFor lists the bucket sizes that need a count of all records per bucket: a filter
	// with a DefaultValue also emits for every record it does not match.
	totalsFor []int64
}

type planFilter struct {
	rule    int
	pattern int   // index into plan.patterns
	bucket  int64 // seconds: the period of the alarm watching the metric
}

func newPlan(rules []Rule, unwatchedPeriod int64) *plan {
	p := &plan{rules: rules}
	seen := map[string]int{}
	needTotals := map[int64]bool{}
	for ri, r := range rules {
		bucket := unwatchedPeriod
		if r.Alarm != nil {
			bucket = r.Alarm.Period
		}
		for _, f := range r.Filters {
			pi, ok := seen[f.Pattern]
			if !ok {
				pi = len(p.patterns)
				seen[f.Pattern] = pi
				p.patterns = append(p.patterns, f.Pattern)
			}
			p.filters = append(p.filters, planFilter{rule: ri, pattern: pi, bucket: bucket})
			if f.Default != nil && !needTotals[bucket] {
				needTotals[bucket] = true
				p.totalsFor = append(p.totalsFor, bucket)
			}
		}
	}
	return p
}

// bucketOf is the start of the period holding Unix time t, aligned as CloudWatch aligns periods:
// on multiples of the period since the Unix epoch (so 300 s periods start at :00, :05, ...). A
// local replay refuses eventTimes before the epoch, but counts from elsewhere (ReportFromCounts)
// may hold them.
func bucketOf(t, period int64) int64 {
	q := t / period
	if t%period < 0 {
		q--
	}
	return q * period
}

// hit is one record that matched at least one filter, with what the report needs about it.
type hit struct {
	t                   int64
	first, n            int // range in result.filters
	principal, name, ip string
}

// result is what a worker found in one batch; the aggregator folds it in.
type result struct {
	hits    []hit
	filters []int32
}

// workerState is what a worker accumulates by itself and hands over once at the end, so the hot
// path takes no locks.
type workerState struct {
	records    int64
	outside    int64 // records outside Options.Since/Until
	minT, maxT int64
	totals     map[int64]map[int64]int64 // bucket size -> bucket start -> records
}

// worker matches the records of each batch against all patterns.
type worker struct {
	plan    *plan
	set     *filterpattern.Set // shared by all workers
	hits    []bool
	vals    [][]byte
	st      workerState
	problem func(cloudtrail.Problem)
	keep    timeRange
}

var timeKey = []string{"eventTime"}

func newWorker(p *plan, set *filterpattern.Set, problem func(cloudtrail.Problem)) *worker {
	w := &worker{plan: p, set: set, hits: make([]bool, len(p.patterns)), vals: make([][]byte, len(timeKey)), problem: problem, keep: allTime}
	w.st.minT, w.st.maxT = math.MaxInt64, math.MinInt64
	w.st.totals = map[int64]map[int64]int64{}
	for _, b := range p.totalsFor {
		w.st.totals[b] = map[int64]int64{}
	}
	return w
}

func (w *worker) run(b *batch) *result {
	var res *result
	for _, r := range b.recs {
		rec := b.buf[r.off:r.end]
		loc := cloudtrail.Location{File: b.file, Line: r.line, Index: r.index, LastLine: r.lastLine}
		if err := w.set.Match(rec, w.hits); err != nil { // sets every hit
			w.problem(cloudtrail.Problem{Location: loc, Reason: cloudtrail.ReasonBadJSON, Detail: "record is not valid JSON: " + err.Error()})
			continue
		}
		cloudtrail.LookupInto(rec, timeKey, w.vals)
		t, ok := parseEventTime(w.vals[0])
		if !ok {
			w.problem(cloudtrail.Problem{Location: loc, Reason: cloudtrail.ReasonNoEventTime, Detail: "record has no valid eventTime (an RFC 3339 time with a real date, 1970 to 9998)"})
			continue
		}
		if !w.keep.has(t) {
			w.st.outside++
			continue
		}
		w.st.records++
		w.st.minT = min(w.st.minT, t)
		w.st.maxT = max(w.st.maxT, t)
		for size, m := range w.st.totals {
			m[bucketOf(t, size)]++
		}
		any := false
		for _, h := range w.hits {
			if h {
				any = true
				break
			}
		}
		if !any {
			continue
		}
		if res == nil {
			res = &result{}
		}
		h := hit{t: t, first: len(res.filters)}
		for fi, f := range w.plan.filters {
			if w.hits[f.pattern] {
				res.filters = append(res.filters, int32(fi))
			}
		}
		h.n = len(res.filters) - h.first
		h.principal, h.name, h.ip = describe(rec)
		res.hits = append(res.hits, h)
	}
	return res
}

// describe extracts who did what from where, for the top-N tables. It runs for matching records
// only.
func describe(rec []byte) (principal, name, ip string) {
	v := cloudtrail.Lookup(rec, "userIdentity", "eventName", "sourceIPAddress")
	name, _ = cloudtrail.StringValue(v[1])
	ip, _ = cloudtrail.StringValue(v[2])
	return principalOf(v[0]), orNone(name), orNone(ip)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// principalOf names who acted: userIdentity.arn when present; for AWS services, the service
// (invokedBy); otherwise type and user name or principal ID. Failed console sign-ins of unknown
// users, for example, carry no arn and userName HIDDEN_DUE_TO_SECURITY_REASONS.
func principalOf(ui []byte) string {
	if ui == nil || ui[0] != '{' {
		return "(no userIdentity)"
	}
	v := cloudtrail.Lookup(ui, "arn", "invokedBy", "type", "userName", "principalId", "accountId")
	str := func(i int) string { s, _ := cloudtrail.StringValue(v[i]); return s }
	if s := str(0); s != "" {
		return s
	}
	if s := str(1); s != "" {
		return s
	}
	typ := str(2)
	if typ == "" {
		typ = "unknown"
	}
	for _, i := range []int{3, 4, 5} {
		if s := str(i); s != "" {
			return typ + ":" + s
		}
	}
	return typ
}
