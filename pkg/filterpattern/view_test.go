package filterpattern_test

import (
	"reflect"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

func TestViewExposesTheParsedPattern(t *testing.T) {
	p, err := filterpattern.Parse(`{ ($.a.['b.c'][2] = "*x*" && $.n >= -1.5e3) || $.r != %^a\x41$% || $.z NOT EXISTS }`)
	if err != nil {
		t.Fatal(err)
	}
	root, ok := p.Expr()
	if !ok || root.Kind() != filterpattern.ExprOr || len(root.Operands()) != 3 {
		t.Fatalf("root: ok=%v kind=%v", ok, root.Kind())
	}
	and := root.Operands()[0]
	if and.Kind() != filterpattern.ExprAnd || len(and.Operands()) != 2 {
		t.Fatalf("first operand kind %v", and.Kind())
	}
	s := and.Operands()[0].Cond()
	wantPath := []filterpattern.Step{{Name: "a"}, {Name: "b.c"}, {Index: 2, IsIndex: true}}
	if !reflect.DeepEqual(s.Path(), wantPath) || s.Op() != filterpattern.OpEq || s.Operand() != filterpattern.OperandString || s.Text() != "x" {
		t.Errorf("string condition: %+v %v %v %q", s.Path(), s.Op(), s.Operand(), s.Text())
	}
	if lead, trail := s.Wildcards(); !lead || !trail || !s.MatchesText("axb") || s.MatchesText("ab") {
		t.Errorf("wildcards %v %v", lead, trail)
	}
	n := and.Operands()[1].Cond()
	if n.Op() != filterpattern.OpGe || n.Operand() != filterpattern.OperandNumber || n.Text() != "-1.5e3" || n.Op().String() != ">=" {
		t.Errorf("number condition: %v %v %q", n.Op(), n.Operand(), n.Text())
	}
	r := root.Operands()[1].Cond()
	if r.Op() != filterpattern.OpNe || r.Operand() != filterpattern.OperandRegex || r.Regex() != `^a\x{41}$` || !r.MatchesText("aA") {
		t.Errorf("regex condition: %v %v %q", r.Op(), r.Operand(), r.Regex())
	}
	if e := root.Operands()[2].Cond(); e.Op() != filterpattern.OpNotExists || e.Operand() != filterpattern.OperandNone || e.Op().String() != "NOT EXISTS" {
		t.Errorf("NOT EXISTS condition: %v %v", e.Op(), e.Operand())
	}
	empty, _ := filterpattern.Parse(" ")
	if _, ok := empty.Expr(); ok {
		t.Errorf("the empty pattern has an expression")
	}
}
