package config

import (
	"os"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// BenchmarkAlarmsFile reads and checks the example alarms file (parse, decode, CheckRow).
func BenchmarkAlarmsFile(b *testing.B) {
	raw, err := os.ReadFile("../../examples/alarms.yaml")
	if err != nil {
		b.Fatal(err)
	}
	builtIn := catalog.AWS()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		root, lerr := parseFile("alarms.yaml", raw)
		if lerr != nil {
			b.Fatal(lerr.msg)
		}
		if _, errs := decodeAlarms(root, builtIn, Problem{Key: alarmsFileKey, File: "alarms.yaml"}); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

// BenchmarkLargestFile parses a file at MaxFileBytes of the smallest values YAML and JSON have
// (the most values per byte): its B/op divided by MaxFileBytes is the memory per byte of input.
func BenchmarkLargestFile(b *testing.B) {
	for _, c := range []struct{ name, open, item, close string }{
		{"yaml", "[", "0,", "0]"},
		{"json", "[", "0,", "0]"},
	} {
		raw := c.open + strings.Repeat(c.item, (MaxFileBytes-len(c.open)-len(c.close))/len(c.item)) + c.close
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, lerr := parseFile("f."+c.name, []byte(raw)); lerr != nil && !strings.Contains(lerr.msg, "values") {
					b.Fatal(lerr.msg)
				}
			}
		})
	}
}
