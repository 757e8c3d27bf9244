package replay

import (
	"slices"
	"sort"
)

// counterCapacity bounds the distinct values a counter keeps. Matches are a small part of the
// input and the values behind them (principals, event names) are few, so counts are normally
// exact; source IPs behind a noisy alarm can be many, and a counter that grew with them would
// break the constant-memory promise. 10,000 keys is about 1 MB per counter.
const counterCapacity = 10000

// counter counts values exactly until it holds counterCapacity distinct ones. Then it evicts the
// less frequent half at once (Space-Saving with batch eviction): floor becomes the largest count
// evicted, and a value first seen (or seen again) after that starts at floor. So every count is an
// upper bound that overstates by at most floor, and no value more frequent than floor is lost.
// floor stays 0, and counts exact, until the first eviction.
type counter struct {
	counts map[string]int64
	floor  int64
	limit  int
}

func newCounter() *counter {
	return &counter{counts: make(map[string]int64), limit: counterCapacity}
}

func (c *counter) add(v string, n int64) {
	k, ok := c.counts[v]
	if !ok {
		if len(c.counts) >= c.limit {
			c.prune()
		}
		k = c.floor
	}
	c.counts[v] = k + n
}

// prune evicts every value at or below the median count and raises floor to that count. For an
// even number of values the median is the upper middle one, so a prune always frees more than half
// the slots, and the next is at least limit/2 new values away.
func (c *counter) prune() {
	all := make([]int64, 0, len(c.counts))
	for _, n := range c.counts {
		all = append(all, n)
	}
	slices.Sort(all)
	cut := all[len(all)/2]
	for v, n := range c.counts {
		if n <= cut {
			delete(c.counts, v)
		}
	}
	c.floor = max(c.floor, cut)
}

// Count is one value and how many matching records carried it.
type Count struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// top returns the n most frequent values, ties broken by value so output is deterministic.
func (c *counter) top(n int) []Count {
	out := make([]Count, 0, len(c.counts))
	for v, k := range c.counts {
		out = append(out, Count{v, k})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
