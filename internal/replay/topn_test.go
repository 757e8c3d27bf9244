package replay

import (
	"fmt"
	"maps"
	"testing"
)

func TestCounterIsExactBelowCapacity(t *testing.T) {
	c := newCounter()
	for i := range 5000 {
		c.add(fmt.Sprintf("10.0.%d.%d", i/250, i%250), 1)
	}
	c.add("10.0.0.0", 5)
	c.add("10.0.0.1", 2)
	got := c.top(3)
	want := []Count{{"10.0.0.0", 6}, {"10.0.0.1", 3}, {"10.0.0.10", 1}} // ties by value
	if fmt.Sprint(got) != fmt.Sprint(want) || c.floor != 0 {
		t.Errorf("top = %v floor %d, want %v floor 0", got, c.floor, want)
	}
}

// TestCounterBoundsMemoryAndError feeds many more distinct values than the counter keeps, plus a
// few heavy hitters, and checks the documented guarantees: bounded size, heavy hitters kept, and
// every count within [true, true+floor].
func TestCounterBoundsMemoryAndError(t *testing.T) {
	c := newCounter()
	c.limit = 100
	truth := map[string]int64{}
	add := func(v string) { c.add(v, 1); truth[v]++ }
	for i := range 20000 {
		add(fmt.Sprintf("tail-%d", i))
		if i%10 == 0 {
			add("heavy-a")
		}
		if i%25 == 0 {
			add("heavy-b")
		}
	}
	if len(c.counts) > c.limit {
		t.Fatalf("counter holds %d values, limit %d", len(c.counts), c.limit)
	}
	if c.floor == 0 {
		t.Fatal("floor = 0 after evictions: counts would claim to be exact")
	}
	top := c.top(2)
	if top[0].Value != "heavy-a" || top[1].Value != "heavy-b" {
		t.Errorf("top = %v, want heavy-a, heavy-b", top)
	}
	for v, n := range c.counts {
		if n < truth[v] || n > truth[v]+c.floor {
			t.Errorf("%s: count %d, true %d, floor %d: outside [true, true+floor]", v, n, truth[v], c.floor)
		}
	}
}

// TestCounterPruneCutsAtTheUpperMedian pins what one prune keeps: with counts 1, 2, 3 and 4 at
// the limit, a fifth value evicts every count at or below the upper median (3), raises floor to 3
// and starts the newcomer at floor. A cut at the lower middle (2) would keep c and count e as 3.
func TestCounterPruneCutsAtTheUpperMedian(t *testing.T) {
	c := newCounter()
	c.limit = 4
	for i, v := range []string{"a", "b", "c", "d"} {
		c.add(v, int64(i+1))
	}
	c.add("e", 1)
	want := map[string]int64{"d": 4, "e": 4}
	if !maps.Equal(c.counts, want) || c.floor != 3 {
		t.Errorf("after one prune: counts %v, floor %d; want %v, floor 3", c.counts, c.floor, want)
	}
}

// TestCounterIsExactUpToTenThousandValues pins the documented capacity (docs/cli.md): counts stay
// exact through 10,000 distinct values of a field, and the 10,001st starts the first eviction.
func TestCounterIsExactUpToTenThousandValues(t *testing.T) {
	c := newCounter()
	for i := range 10000 {
		c.add(fmt.Sprintf("v%d", i), 1)
	}
	if len(c.counts) != 10000 || c.floor != 0 {
		t.Fatalf("after 10,000 distinct values: %d kept, floor %d; want 10000 kept, floor 0 (exact)", len(c.counts), c.floor)
	}
	c.add("one-more", 1)
	if c.floor == 0 {
		t.Errorf("after 10,001 distinct values: floor 0, %d kept; want the first eviction", len(c.counts))
	}
}
