package catalog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

func routeTableRow(t *testing.T) catalog.Alarm {
	t.Helper()
	a, ok := catalog.Find(catalog.CIS(), "Cis13RouteTableChanges")
	if !ok {
		t.Fatal("no Cis13RouteTableChanges row")
	}
	return a
}

// TestBenchmarkPatternCountsASubsetOfPattern: a benchmark filter publishes the row's metric, so
// the alarm and replay (which matches Pattern) agree only if every record it matches also matches
// Pattern. Checked on the row's records and, where present, every record of the shared corpus.
func TestBenchmarkPatternCountsASubsetOfPattern(t *testing.T) {
	var records [][]byte
	for _, a := range allRows() {
		for _, r := range append(append([]string{}, a.Fires...), a.Quiet...) {
			records = append(records, []byte(r))
		}
	}
	if corpus := filepath.Join(corpusDir, "events.jsonl"); fileExists(corpus) {
		records = append(records, readLines(t, corpus)...)
	} else {
		t.Logf("%s is absent; checking the catalog's own records only", corpus)
	}
	rows := 0
	for _, a := range allRows() {
		if a.BenchmarkPattern == "" {
			continue
		}
		rows++
		p, err := filterpattern.Parse(a.Pattern)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		b, err := filterpattern.Parse(a.BenchmarkPattern)
		if err != nil {
			t.Fatalf("%s: benchmark pattern: %v", a.ID, err)
		}
		both := 0
		for _, rec := range records {
			if b.Match(rec) {
				both++
				if !p.Match(rec) {
					t.Errorf("%s: the benchmark pattern matches a record the pattern does not:\n%s", a.ID, rec)
				}
			}
		}
		if both == 0 {
			t.Errorf("%s: the benchmark pattern matches no record; the subset check is vacuous", a.ID)
		}
	}
	if rows == 0 {
		t.Error("no row has a benchmark pattern")
	}
}

// TestRouteTableBenchmarkPatternNeedsEc2: the route-table row's second filter is the text the CIS
// benchmark (v3.0.0 on) and Prowler look for: eventSource ec2 and the seven event names. It leaves
// out API Gateway's CreateRoute, which Security Hub's exact text counts.
func TestRouteTableBenchmarkPatternNeedsEc2(t *testing.T) {
	a := routeTableRow(t)
	if !strings.Contains(a.BenchmarkPattern, `$.eventSource = "ec2.amazonaws.com"`) {
		t.Errorf("benchmark pattern lost its eventSource: %s", a.BenchmarkPattern)
	}
	b, err := filterpattern.Parse(a.BenchmarkPattern)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := filterpattern.Parse(a.Pattern)
	apiGateway := 0
	for _, rec := range a.Fires {
		isEc2 := strings.Contains(rec, `"eventSource":"ec2.amazonaws.com"`)
		if isEc2 != b.Match([]byte(rec)) {
			t.Errorf("benchmark pattern match = %v on a record with ec2 source = %v:\n%s", !isEc2, isEc2, rec)
		}
		if strings.Contains(rec, `"eventSource":"apigateway.amazonaws.com","eventName":"CreateRoute"`) && p.Match([]byte(rec)) {
			apiGateway++
		}
	}
	if apiGateway != 1 {
		t.Errorf("Fires lost the API Gateway CreateRoute record that Security Hub's text counts and the benchmark's does not")
	}
	for _, name := range []string{"CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable"} {
		rec := `{"eventSource":"ec2.amazonaws.com","eventName":"` + name + `"}`
		if !b.Match([]byte(rec)) {
			t.Errorf("benchmark pattern misses ec2 %s", name)
		}
	}
}

func TestCheckRowReportsBadBenchmarkPattern(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(a *catalog.Alarm)
		want   string
	}{
		{"same as pattern", func(a *catalog.Alarm) { a.BenchmarkPattern = a.Pattern }, "benchmarkPattern: is the same as pattern"},
		{"malformed", func(a *catalog.Alarm) { a.BenchmarkPattern = `{ ($.eventSource = "ec2.amazonaws.com" }` },
			"benchmarkPattern: col "},
		{"empty braces", func(a *catalog.Alarm) { a.BenchmarkPattern = " " }, "benchmarkPattern: is empty (it would count every event)"},
		{"matches no Fires record", func(a *catalog.Alarm) {
			a.BenchmarkPattern = `{ $.eventSource = "ec2.amazonaws.com" && $.eventName = "CreateVpc" }`
		},
			"benchmarkPattern: matches none of the 4 Fires records"},
		{"matches a Quiet record", func(a *catalog.Alarm) { a.BenchmarkPattern = `{ $.eventSource = "ec2.amazonaws.com" }` },
			"benchmarkPattern: quiet[1] matches it; it must count only events the pattern counts"},
	}
	for _, c := range cases {
		a := routeTableRow(t)
		c.mutate(&a)
		var got []string
		for _, fe := range catalog.CheckRow(a) {
			got = append(got, fe.Error())
		}
		if !strings.Contains(strings.Join(got, "\n"), c.want) {
			t.Errorf("%s: got %q, want an error containing %q", c.name, got, c.want)
		}
	}
	if errs := catalog.CheckRow(routeTableRow(t)); len(errs) != 0 {
		t.Errorf("the route-table row itself: %v", errs)
	}
}

// TestValidateCountsBenchmarkRegexes: a benchmark filter is a metric filter of the log group too,
// so its %regex% values count toward the limit of five.
func TestValidateCountsBenchmarkRegexes(t *testing.T) {
	rows := catalog.AWS()[:3]
	rows[0].Pattern = `{ $.a = %x% && $.b = %y% }`
	rows[1].Pattern = `{ $.a = %x% && $.b = %y% }`
	rows[2].Pattern = `{ $.a = %x% }`
	for i := range rows {
		rows[i].Fires, rows[i].Quiet = nil, nil
	}
	if err := catalog.Validate(rows); err != nil {
		t.Fatalf("5 regexes: %v", err)
	}
	rows[2].Fires = []string{`{"a":"x","b":"y"}`}
	rows[2].BenchmarkPattern = `{ $.a = %x% && $.b = "y" }`
	err := catalog.Validate(rows)
	if err == nil || !strings.Contains(err.Error(), "the patterns hold 6 %regex% values; CloudWatch Logs allows at most 5") {
		t.Errorf("6 regexes with the benchmark pattern: %v", err)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
