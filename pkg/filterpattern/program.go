package filterpattern

// program is a pattern's expression compiled for one Set: conditions carry their slot, and an
// || of several exact string comparisons on one selector (the shape of AWS's alarms, e.g. eleven
// eventName values) becomes one set lookup instead of a comparison per value.
type program struct {
	kind progKind
	slot int
	c    *cond
	in   map[string]struct{} // progIn: the exact values
	kids []program
}

type progKind uint8

const (
	progCond progKind = iota
	progIn
	progAnd
	progOr
)

// minIn is the number of exact values on one selector from which a set lookup beats comparing
// them one by one.
const minIn = 4

func compile(p *Pattern, n *node, slots []int) program {
	switch n.kind {
	case nodeCond:
		return program{kind: progCond, slot: slots[n.cond], c: &p.conds[n.cond]}
	case nodeAnd:
		out := program{kind: progAnd}
		for k := range n.kids {
			out.kids = append(out.kids, compile(p, &n.kids[k], slots))
		}
		return out
	}
	// nodeOr: group exact "=" string values by slot. Order does not matter: || has no side effects.
	out := program{kind: progOr}
	groups := map[int][]*cond{}
	var order []int
	for k := range n.kids {
		kid := &n.kids[k]
		if kid.kind == nodeCond && isExact(&p.conds[kid.cond]) {
			s := slots[kid.cond]
			if groups[s] == nil {
				order = append(order, s)
			}
			groups[s] = append(groups[s], &p.conds[kid.cond])
			continue
		}
		out.kids = append(out.kids, compile(p, kid, slots))
	}
	for _, s := range order {
		cs := groups[s]
		if len(cs) < minIn {
			for _, c := range cs {
				out.kids = append(out.kids, program{kind: progCond, slot: s, c: c})
			}
			continue
		}
		in := make(map[string]struct{}, len(cs))
		for _, c := range cs {
			in[string(c.text)] = struct{}{}
		}
		out.kids = append(out.kids, program{kind: progIn, slot: s, in: in})
	}
	if len(out.kids) == 1 {
		return out.kids[0]
	}
	return out
}

// isExact reports a plain "selector = string" condition without wildcards.
func isExact(c *cond) bool {
	return c.op == opEq && c.kind == operandString && !c.lead && !c.trail
}

func (pr *program) eval(st *matchState, rec []byte) bool {
	switch pr.kind {
	case progCond:
		v := &st.slots[pr.slot]
		return pr.c.test(v, st.text(v, rec))
	case progIn:
		v := &st.slots[pr.slot]
		if v.kind != kString && v.kind != kNumber {
			return false
		}
		_, ok := pr.in[string(st.text(v, rec))]
		return ok
	case progAnd:
		for k := range pr.kids {
			if !pr.kids[k].eval(st, rec) {
				return false
			}
		}
		return true
	default:
		for k := range pr.kids {
			if pr.kids[k].eval(st, rec) {
				return true
			}
		}
		return false
	}
}
