package filterpattern

import (
	"sort"
	"sync"
)

// Set matches one record against many patterns, reading the record once. NewSet builds a trie of
// the selectors the patterns use; Match walks the record's JSON a single time, validating all of it
// but recording only the values those selectors point at, then evaluates every pattern on them.
//
// Concurrency: a Set is immutable after NewSet and safe for concurrent use by any number of
// goroutines; share one Set across all workers rather than cloning it. Each Match call borrows
// its scratch state from a sync.Pool inside the Set, so the steady state allocates nothing.
type Set struct {
	patterns []*Pattern
	root     *trieNode
	nslots   int
	progs    []program // progs[i]: pattern i compiled against this Set's slots; unused if it matches all
	pool     sync.Pool
}

// trieNode is one selector position. Children are keyed by property name or array index.
type trieNode struct {
	name   string
	index  int
	slot   int // -1 when no condition selects this node itself
	lo, hi int // the slots of this node and everything below it
	keys   []*trieNode
	keyMap map[string]*trieNode // for many keys; nil otherwise
	elems  []*trieNode          // sorted by index
}

// keyMapAt is the fan-out above which a map beats a linear scan of a node's keys.
const keyMapAt = 8

// NewSet returns a Set of the given patterns, in that order. The patterns must not be nil.
func NewSet(patterns ...*Pattern) *Set {
	s := &Set{patterns: append([]*Pattern(nil), patterns...), root: &trieNode{slot: -1}}
	nodes := make([][]*trieNode, len(patterns))
	for i, p := range patterns {
		nodes[i] = make([]*trieNode, len(p.conds))
		for j := range p.conds {
			n := s.root.insert(p.conds[j].path)
			n.slot = 0 // marked as selected; numbered below
			nodes[i][j] = n
		}
	}
	s.nslots = s.root.number(0)
	s.progs = make([]program, len(patterns))
	for i, p := range patterns {
		if p.matchAll {
			continue
		}
		slots := make([]int, len(nodes[i]))
		for j, n := range nodes[i] {
			slots[j] = n.slot
		}
		s.progs[i] = compile(p, &p.root, slots)
	}
	s.pool.New = func() any { return &matchState{slots: make([]slotVal, s.nslots)} }
	return s
}

func (n *trieNode) insert(path []step) *trieNode {
	for _, st := range path {
		var next *trieNode
		if st.isIndex {
			for _, c := range n.elems {
				if c.index == st.index {
					next = c
					break
				}
			}
			if next == nil {
				next = &trieNode{index: st.index, slot: -1}
				n.elems = append(n.elems, next)
				sort.Slice(n.elems, func(a, b int) bool { return n.elems[a].index < n.elems[b].index })
			}
		} else {
			// Near-copy of the index branch above: elements stay sorted by index for the scanner's
			// in-order walk, keys get a map past keyMapAt; the two branches part after the lookup.
			for _, c := range n.keys {
				if c.name == st.name {
					next = c
					break
				}
			}
			if next == nil {
				next = &trieNode{name: st.name, slot: -1}
				n.keys = append(n.keys, next)
				if len(n.keys) > keyMapAt {
					n.keyMap = make(map[string]*trieNode, len(n.keys))
					for _, c := range n.keys {
						n.keyMap[c.name] = c
					}
				}
			}
		}
		n = next
	}
	return n
}

// number assigns slots in depth-first order, so that every subtree owns a contiguous range, and
// returns the next free slot.
func (n *trieNode) number(next int) int {
	n.lo = next
	if n.slot >= 0 {
		n.slot = next
		next++
	}
	for _, c := range n.keys {
		next = c.number(next)
	}
	for _, c := range n.elems {
		next = c.number(next)
	}
	n.hi = next
	return next
}

// Len returns the number of patterns in the Set.
func (s *Set) Len() int { return len(s.patterns) }

// Pattern returns the i-th pattern of the Set.
func (s *Set) Pattern(i int) *Pattern { return s.patterns[i] }

// Match matches record against every pattern of the Set and stores whether pattern i matched in
// hits[i]; hits must have at least Len() elements. Match returns a *RecordError, with the byte
// offset of the problem, when record is not valid JSON (RFC 8259, UTF-8) or is valid JSON but not an
// object; then only patterns that match every event (the empty pattern) have hits[i] set, because a
// JSON pattern never matches such a log event.
func (s *Set) Match(record []byte, hits []bool) error {
	hits = hits[:len(s.patterns)]
	st := s.pool.Get().(*matchState)
	defer s.pool.Put(st)
	st.reset()
	sc := scanner{rec: record, st: st}
	if err := sc.record(s.root); err != nil {
		for i, p := range s.patterns {
			hits[i] = p.matchAll
		}
		return err
	}
	for i, p := range s.patterns {
		hits[i] = p.matchAll || s.progs[i].eval(st, record)
	}
	return nil
}
