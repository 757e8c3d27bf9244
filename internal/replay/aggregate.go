package replay

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
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
	byReason map[cloudtrail.Reason]int64
	first    []cloudtrail.Problem
	ignored  []cloudtrail.Ignored
	nIgnored int64
}

// maxListed is how many skipped places the report lists; the rest are counted.
const maxListed = 20

func newProblems() *problems { return &problems{byReason: map[cloudtrail.Reason]int64{}} }

func (p *problems) add(pr cloudtrail.Problem) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total++
	p.byReason[pr.Reason]++
	p.first = insertFirst(p.first, pr, func(a, b cloudtrail.Problem) bool { return lessLoc(a.Location, b.Location) })
}

func (p *problems) ignore(ig cloudtrail.Ignored) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nIgnored++
	p.ignored = insertFirst(p.ignored, ig, func(a, b cloudtrail.Ignored) bool { return a.File < b.File })
}

// insertFirst keeps list the first maxListed items in less order: v goes in its place, or nowhere
// when maxListed earlier ones are already there.
func insertFirst[T any](list []T, v T, less func(a, b T) bool) []T {
	i := sort.Search(len(list), func(i int) bool { return less(v, list[i]) })
	list = slices.Insert(list, i, v)
	return list[:min(len(list), maxListed)]
}

func lessLoc(a, b cloudtrail.Location) bool {
	return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Index, b.Index)) < 0
}
