package filterpattern_test

import (
	"bufio"
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// testdata/cloudtrail.jsonl holds fifteen CloudTrail records of 1-3.7 KB written for this
// package in the documented record format (management and data events, console sign-in,
// service events, errors, an escaped policy document); none is copied from elsewhere.
func loadRecords(tb testing.TB) [][]byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/cloudtrail.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	var recs [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		recs = append(recs, slices.Clone(sc.Bytes()))
	}
	return recs
}

func catalogSet(tb testing.TB) (*filterpattern.Set, []catalog.Alarm) {
	tb.Helper()
	alarms := catalog.AWS()
	ps := make([]*filterpattern.Pattern, len(alarms))
	for i, a := range alarms {
		ps[i] = mustParse(tb, a.Pattern)
	}
	return filterpattern.NewSet(ps...), alarms
}

// TestBenchmarkRecords pins what the benchmark records set off, so the benchmark measures
// records that exercise matching and not only rejection.
// Near-copy in shape of other name→value test tables: data rows, nothing to share.
func TestBenchmarkRecords(t *testing.T) {
	want := map[string]string{
		"RunInstances":                  "EC2InstanceChanges EC2LargeInstanceChanges",
		"ConsoleLogin":                  "ConsoleSignInFailures",
		"DescribeInstances":             "AuthorizationFailures",
		"PutRolePolicy":                 "IAMPolicyChanges",
		"AuthorizeSecurityGroupIngress": "SecurityGroupChanges",
		"CreateVpc":                     "VpcChanges",
		"StopLogging":                   "CloudTrailChanges",
		"PutBucketPolicy":               "AuthorizationFailures",
		"CreateNetworkAclEntry":         "NetworkAclChanges",
	}
	set, alarms := catalogSet(t)
	hits := make([]bool, set.Len())
	name := mustParse(t, `{ $.eventName = * }`)
	for _, rec := range loadRecords(t) {
		if len(rec) < 1000 || len(rec) > 4000 {
			t.Errorf("record of %d bytes; the benchmark wants realistic 1-4 KB records", len(rec))
		}
		if err := set.Match(rec, hits); err != nil {
			t.Fatalf("%v\n%s", err, rec)
		}
		var got []string
		for i, h := range hits {
			if h {
				got = append(got, alarms[i].ID)
			}
		}
		if !name.Match(rec) {
			t.Fatalf("record without eventName: %s", rec)
		}
		found := false
		for ev, ids := range want {
			if bytes.Contains(rec, []byte(`"eventName":"`+ev+`"`)) {
				found = true
				if strings.Join(got, " ") != ids {
					t.Errorf("%s fires %v, want %s", ev, got, ids)
				}
			}
		}
		if !found && len(got) != 0 {
			t.Errorf("a quiet record fires %v: %s", got, rec)
		}
	}
}

// BenchmarkCatalogSet matches the ten AWS alarms against realistic CloudTrail records through one
// Set, on one goroutine: records/s is the wall-clock rate of one core, records/cpu-s the rate per
// CPU-second actually used (run with -cpu 1 for it to mean one core).
func BenchmarkCatalogSet(b *testing.B) {
	recs := loadRecords(b)
	set, _ := catalogSet(b)
	hits := make([]bool, set.Len())
	total := 0
	for _, r := range recs {
		total += len(r)
	}
	b.SetBytes(int64(total / len(recs)))
	b.ReportAllocs()
	cpu0, cpuOK := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := set.Match(recs[i%len(recs)], hits); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	// With -cpu 1 the process's CPU time is this loop's; records per CPU-second is the per-core
	// rate even when other work shares the machine.
	if cpu1, ok := processCPU(); ok && cpuOK && cpu1 > cpu0 {
		b.ReportMetric(float64(b.N)/(cpu1-cpu0).Seconds(), "records/cpu-s")
	}
}

// BenchmarkCatalogParallel shares one Set among GOMAXPROCS goroutines, as replay does.
func BenchmarkCatalogParallel(b *testing.B) {
	recs := loadRecords(b)
	set, _ := catalogSet(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		hits := make([]bool, set.Len())
		i := 0
		for pb.Next() {
			if err := set.Match(recs[i%len(recs)], hits); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkPatternsOneByOne is the baseline the Set replaces: ten Pattern.Match calls, each
// reading the record again.
func BenchmarkPatternsOneByOne(b *testing.B) {
	recs := loadRecords(b)
	var ps []*filterpattern.Pattern
	for _, a := range catalog.AWS() {
		ps = append(ps, mustParse(b, a.Pattern))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range ps {
			p.Match(recs[i%len(recs)])
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkParseCatalog(b *testing.B) {
	alarms := catalog.AWS()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, a := range alarms {
			if _, err := filterpattern.Parse(a.Pattern); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRegexCostBound matches patterns at the regex cost limit (MaxRegexCost) against a record
// of about 100 KB whose one string value keeps every repetition alive (all 'a', no 'x' or 'y'), the
// worst case for the automaton. ns/op is the cost of one such record; the limit bounds it.
func BenchmarkRegexCostBound(b *testing.B) {
	rec := []byte(`{"a":"` + strings.Repeat("a", 100*1024) + `"}`)
	worst := map[string]string{
		"class-0-255":   `{ $.a = %\w{0,255}x% }`,
		"literal-255":   `{ $.a = %` + strings.Repeat("a", 255) + `x% }`,
		"two-regexes":   `{ $.a = %\w{0,127}x% || $.a = %[a-z]{0,127}y% }`,
		"open-ended":    `{ $.a = %\w{254,}x% }`,
		"guide-ip":      `{ $.a = %\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}% }`,
		"guide-literal": `{ $.a = %AUTHORIZED% }`,
	}
	for _, name := range []string{"class-0-255", "literal-255", "two-regexes", "open-ended", "guide-ip", "guide-literal"} {
		p := mustParse(b, worst[name])
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(rec)))
			for i := 0; i < b.N; i++ {
				if p.Match(rec) {
					b.Fatal("matched")
				}
			}
		})
	}
}
