package replay

import (
	"fmt"
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
