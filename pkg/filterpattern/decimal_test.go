package filterpattern

import (
	"math/big"
	"testing"
)

// Near-copy rows: a test table of similar shape, one comparison a line.
func TestCompareDecimal(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1", "1", 0},
		{"1", "1.0", 0},
		{"1", "1e0", 0},
		{"1000", "1e3", 0},
		{"1000", "1e+3", 0},
		{"0.001", "1e-3", 0},
		{"10e3", "10000", 0},
		{"0", "-0", 0},
		{"0.0", "-0.0e5", 0},
		{"007", "7", 0},
		{"+5", "5", 0},
		{"2", "10", -1},
		{"-2", "-10", 1},
		{"-1", "0", -1},
		{"0", "-1", 1},
		{"1.5", "1.25", 1},
		{"55.5", "55.49", 1},
		{"9007199254740993", "9007199254740992", 1},
		{"1e400", "1e399", 1},
		{"1e-400", "0", 1},
		{"-1e-400", "0", -1},
		{"123.456", "123.4560", 0},
		{"0.1", "0.10000000000000001", -1},
	}
	for _, tt := range tests {
		a, ok := parseDecimal([]byte(tt.a))
		if !ok {
			t.Fatalf("parseDecimal(%q) failed", tt.a)
		}
		b, ok := parseDecimal([]byte(tt.b))
		if !ok {
			t.Fatalf("parseDecimal(%q) failed", tt.b)
		}
		if got := compareDecimal(&a, &b); got != tt.want {
			t.Errorf("compare(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := compareDecimal(&b, &a); got != -tt.want {
			t.Errorf("compare(%s, %s) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestParseDecimalRejects(t *testing.T) {
	for _, s := range []string{"", "+", "-", ".5", "5.", "1e", "1e+", "1.2.3", "1x", "e5", "--1", "1 "} {
		if _, ok := parseDecimal([]byte(s)); ok {
			t.Errorf("parseDecimal(%q) accepted", s)
		}
	}
}

// FuzzCompareDecimal checks the exact comparison against math/big on numbers of moderate exponent.
func FuzzCompareDecimal(f *testing.F) {
	f.Add("1.5", "15e-1")
	f.Add("-0", "0.0")
	f.Add("9007199254740993", "9007199254740992")
	f.Fuzz(func(t *testing.T, a, b string) {
		da, okA := parseDecimal([]byte(a))
		db, okB := parseDecimal([]byte(b))
		if !okA || !okB || da.exp > 1000 || da.exp < -1000 || db.exp > 1000 || db.exp < -1000 {
			return
		}
		ra, _ := new(big.Rat).SetString(a)
		rb, _ := new(big.Rat).SetString(b)
		if ra == nil || rb == nil {
			t.Fatalf("big.Rat rejects %q or %q", a, b)
		}
		if got, want := compareDecimal(&da, &db), ra.Cmp(rb); got != want {
			t.Fatalf("compare(%s, %s) = %d, big.Rat says %d", a, b, got, want)
		}
	})
}
