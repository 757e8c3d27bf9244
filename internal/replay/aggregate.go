package replay

import (
	"math"
	"sort"
	"sync"
)

// aggregate holds per-rule results. One goroutine owns it, fed by the workers' results: matches are
// a small part of the input, so this is never the bottleneck, and the counters exist once however
// many cores run.
type aggregate struct {
	plan *plan
	// buckets[f] counts the records filter f matched, per period start.
	buckets []map[int64]int64
	rules   []ruleAgg
}

type ruleAgg struct {
	matches           int64
	first, last       int64
	principals, names *counter
	ips               *counter
}

func newAggregate(p *plan) *aggregate {
	a := &aggregate{plan: p, buckets: make([]map[int64]int64, len(p.filters)), rules: make([]ruleAgg, len(p.rules))}
	for i := range a.buckets {
		a.buckets[i] = map[int64]int64{}
	}
	for i := range a.rules {
		a.rules[i] = ruleAgg{first: math.MaxInt64, last: math.MinInt64, principals: newCounter(), names: newCounter(), ips: newCounter()}
	}
	return a
}

func (a *aggregate) add(res *result) {
	for _, h := range res.hits {
		lastRule := -1
		for _, fi := range res.filters[h.first : h.first+h.n] {
			f := a.plan.filters[fi]
			a.buckets[fi][bucketOf(h.t, f.bucket)]++
			// A record counts once per rule even when several of the rule's filters match it.
			// Filters of one rule are adjacent, so comparing with the previous rule suffices.
			if f.rule == lastRule {
				continue
			}
			lastRule = f.rule
			r := &a.rules[f.rule]
			r.matches++
			r.first = min(r.first, h.t)
			r.last = max(r.last, h.t)
			r.principals.add(h.principal, 1)
			r.names.add(h.name, 1)
			r.ips.add(h.ip, 1)
		}
	}
}

// problems keeps the skip count per reason and, for the report, the first few skipped places in
// input order (file, line, record), whatever order the parallel readers met them in.
type problems struct {
	mu       sync.Mutex
	total    int64
	byReason map[Reason]int64
	first    []Problem
	ignored  []Ignored
	nIgnored int64
}

// maxListed is how many skipped places the report lists; the rest are counted.
const maxListed = 20

func newProblems() *problems { return &problems{byReason: map[Reason]int64{}} }

func (p *problems) add(pr Problem) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total++
	p.byReason[pr.Reason]++
	i := sort.Search(len(p.first), func(i int) bool { return lessLoc(pr.Location, p.first[i].Location) })
	if i >= maxListed {
		return
	}
	p.first = append(p.first, Problem{})
	copy(p.first[i+1:], p.first[i:])
	p.first[i] = pr
	if len(p.first) > maxListed {
		p.first = p.first[:maxListed]
	}
}

func (p *problems) ignore(ig Ignored) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nIgnored++
	i := sort.Search(len(p.ignored), func(i int) bool { return ig.File < p.ignored[i].File })
	if i >= maxListed {
		return
	}
	p.ignored = append(p.ignored, Ignored{})
	copy(p.ignored[i+1:], p.ignored[i:])
	p.ignored[i] = ig
	if len(p.ignored) > maxListed {
		p.ignored = p.ignored[:maxListed]
	}
}

func lessLoc(a, b Location) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Index < b.Index
}
