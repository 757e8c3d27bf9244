package filterpattern

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern/internal/reference"
)

// gen builds random records and patterns over a small shared vocabulary, so that selectors hit,
// values collide across types ("1" and 1, "true" and true) and keys repeat.
type gen struct{ r *rand.Rand }

var (
	genKeys    = []string{"a", "b", "eventName", "x-y", "cluster.name", "é"}
	genStrings = []string{"", "1", "1.0", "01", "true", "null", "x", "X", "xy", "yx", "a*b", "CreateVpc",
		"CreateVpcPeeringConnection", "AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation",
		"m5.24xlarge", "c5.4xlarge", "日本", "a b", "a\nb", `q"q`, `back\slash`}
	genNumbers = []string{"0", "-0", "1", "1.0", "1e0", "10", "-1", "0.5", "5e-1", "1e3", "1000", "123456789012",
		"9007199254740993", "9007199254740992", "1E+2", "-2.5e-3"}
)

func (g gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// jsonString spells s as a JSON string, sometimes with gratuitous \u escapes.
func (g gen) jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r == '\n':
			b.WriteString(`\n`)
		case g.r.IntN(8) == 0:
			if r > 0xffff {
				fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+((r-0x10000)>>10), 0xdc00+((r-0x10000)&0x3ff))
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func (g gen) value(depth int) string {
	n := 7
	if depth > 3 {
		n = 5
	}
	switch g.r.IntN(n) {
	case 0:
		return g.jsonString(g.pick(genStrings))
	case 1:
		return g.pick(genNumbers)
	case 2:
		return []string{"true", "false", "null"}[g.r.IntN(3)]
	case 3, 4:
		return g.jsonString(g.pick(genStrings))
	case 5:
		var parts []string
		for i := g.r.IntN(4); i > 0; i-- {
			parts = append(parts, g.value(depth+1))
		}
		return "[" + strings.Join(parts, ",") + "]"
	default:
		return g.object(depth + 1)
	}
}

func (g gen) object(depth int) string {
	var parts []string
	for i := g.r.IntN(5); i > 0; i-- {
		parts = append(parts, g.jsonString(g.pick(genKeys))+":"+g.value(depth))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (g gen) selector() string {
	var b strings.Builder
	b.WriteString("$")
	for i := 1 + g.r.IntN(3); i > 0; i-- {
		k := g.pick(genKeys)
		switch {
		case k == "é":
			b.WriteString(".b")
		case strings.Contains(k, "."):
			b.WriteString(".['" + k + "']")
		default:
			b.WriteString("." + k)
		}
		if g.r.IntN(4) == 0 {
			fmt.Fprintf(&b, "[%d]", g.r.IntN(3))
		}
	}
	return b.String()
}

func (g gen) condition() string {
	sel := g.selector()
	switch g.r.IntN(10) {
	case 0:
		return sel + " IS NULL"
	case 1:
		return sel + " IS TRUE"
	case 2:
		return sel + " NOT EXISTS"
	case 3, 4:
		return sel + " " + []string{"=", "!=", "<", "<=", ">", ">="}[g.r.IntN(6)] + " " + g.pick(genNumbers)
	case 5:
		return sel + " " + []string{"=", "!="}[g.r.IntN(2)] + " %" + []string{"^1", "x", "Vpc$", `\d`, "[a-c]", "b|y"}[g.r.IntN(6)] + "%"
	default:
		s := g.pick(genStrings)
		switch g.r.IntN(4) {
		case 0:
			s = "*" + s
		case 1:
			s = s + "*"
		}
		s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", "").Replace(s)
		return sel + " " + []string{"=", "!="}[g.r.IntN(2)] + ` "` + s + `"`
	}
}

// anyOf is an || of several exact values on one selector, the shape a Set turns into a lookup.
func (g gen) anyOf() string {
	sel := g.selector()
	var parts []string
	for i := 3 + g.r.IntN(4); i > 0; i-- {
		v := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", "").Replace(g.pick(genStrings))
		parts = append(parts, sel+` = "`+v+`"`)
	}
	if g.r.IntN(2) == 0 {
		parts = append(parts, g.condition())
	}
	return "(" + strings.Join(parts, " || ") + ")"
}

func (g gen) expr(depth int) string {
	if depth > 2 || g.r.IntN(3) == 0 {
		if g.r.IntN(4) == 0 {
			return g.anyOf()
		}
		return g.condition()
	}
	parts := []string{g.expr(depth + 1)}
	for i := g.r.IntN(3); i > 0; i-- {
		parts = append(parts, g.expr(depth+1))
	}
	e := strings.Join(parts, []string{" && ", " || "}[g.r.IntN(2)])
	if g.r.IntN(2) == 0 {
		e = "(" + e + ")"
	}
	return e
}

// TestSetAgreesWithReference is a differential property test: on random patterns and records the
// single-pass Set gives the same answer as the independent reference (internal/reference), and
// the same answer again on the record re-encoded by encoding/json.
func TestSetAgreesWithReference(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(1, 2))}
	const nPatterns, nRecords = 300, 200
	var patterns []*Pattern
	for len(patterns) < nPatterns {
		src := "{ " + g.expr(0) + " }"
		p, err := Parse(src)
		if err != nil {
			continue // e.g. a third regex; the generator does not count them
		}
		patterns = append(patterns, p)
	}
	refs := make([]*reference.Pattern, len(patterns))
	for k, p := range patterns {
		refs[k] = refPattern(t, p)
	}
	set := NewSet(patterns...)
	hits := make([]bool, set.Len())
	checked, matched := 0, 0
	for i := 0; i < nRecords; i++ {
		rec := []byte(g.object(0))
		if err := set.Match(rec, hits); err != nil {
			t.Fatalf("generated record rejected: %v\n%s", err, rec)
		}
		re, ok := reencode(rec)
		if !ok {
			t.Fatalf("encoding/json cannot re-encode %s", rec)
		}
		for k, p := range patterns {
			want, err := refs[k].Match(rec)
			if errors.Is(err, reference.ErrUnknown) {
				continue
			}
			if err != nil {
				t.Fatalf("reference: %v", err)
			}
			checked++
			if want {
				matched++
			}
			if hits[k] != want {
				t.Errorf("Set says %v, reference says %v\npattern: %s\nrecord:  %s", hits[k], want, p, rec)
			}
			if got := p.Match(rec); got != hits[k] {
				t.Errorf("Pattern.Match says %v, Set says %v\npattern: %s\nrecord:  %s", got, hits[k], p, rec)
			}
			if got := p.Match(re); got != want {
				t.Errorf("on the re-encoded record Match says %v, want %v\npattern: %s\nrecord:  %s\nre-encoded: %s", got, want, p, rec, re)
			}
		}
	}
	// Guard against a vacuous property: both outcomes must occur often.
	if matched < checked/50 || matched > checked-checked/50 {
		t.Errorf("%d of %d checks matched; the generator no longer exercises both outcomes", matched, checked)
	}
	t.Logf("%d pattern×record checks, %d matches", checked, matched)
}
