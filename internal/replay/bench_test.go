package replay_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/replay"
)

// BenchmarkReplay measures the whole pipeline (gunzip, split, match all ten catalog alarms,
// aggregate, evaluate) on S3-shaped gzip files. TRAILWATCH_BENCH_INPUT points it at a real or
// generated tree (go run ./bench/gen); otherwise it writes a small one of its own.
//
//	go test ./internal/replay -run '^$' -bench Replay -benchtime 3x
func BenchmarkReplay(b *testing.B) {
	dir := os.Getenv("TRAILWATCH_BENCH_INPUT")
	if dir == "" {
		dir = b.TempDir()
		writeBenchTree(b, dir, 8, 4000)
	}
	rules := catalogRules()
	b.ResetTimer()
	var records, bytes int64
	for b.Loop() {
		rep, err := replay.Run(replay.Options{Rules: rules, Inputs: []string{dir}})
		if err != nil {
			b.Fatal(err)
		}
		records += rep.Totals.RecordsRead
		bytes += rep.Totals.BytesRead
	}
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(records)/secs, "records/s")
	b.ReportMetric(float64(bytes)/secs/(1<<20), "gzMiB/s")
}

// writeBenchTree writes files gzip log files of n records each, about 1.5 KB a record, 0.5% of
// them alarm-worthy.
func writeBenchTree(b *testing.B, dir string, files, n int) {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"Decrypt", "AssumeRole", "DescribeInstances", "GetParameter", "CreateTags", "ListBuckets"}
	alarming := []string{"AuthorizeSecurityGroupIngress", "RunInstances", "PutRolePolicy", "CreateVpc"}
	for f := range files {
		recs := make([]string, n)
		for i := range recs {
			name := names[r.IntN(len(names))]
			if r.IntN(200) == 0 {
				name = alarming[r.IntN(len(alarming))]
			}
			pad := strings.Repeat(fmt.Sprintf("%x", r.Uint64()), 1+r.IntN(60))
			recs[i] = record(name, fmt.Sprintf("2024-05-01T%02d:%02d:%02dZ", f, r.IntN(60), r.IntN(60)),
				fmt.Sprintf(`,"sourceIPAddress2":"10.0.%d.%d","requestParameters":{"pad":%q,"items":[{"id":"i-%x"},{"id":"i-%x"}]},"readOnly":true,"eventType":"AwsApiCall","tlsDetails":{"tlsVersion":"TLSv1.3"}`,
					r.IntN(250), r.IntN(250), pad, r.Uint64(), r.Uint64()))
		}
		path := filepath.Join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2024", "05", "01", fmt.Sprintf("f%03d.json.gz", f))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, gzipped(b, s3File(recs...)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
