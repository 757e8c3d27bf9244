// Command gen writes a large, realistic CloudTrail S3 delivery tree for benchmarking
// `trailwatch replay`: gzip log files {"Records": [...]} under
// AWSLogs/[ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/, plus digest files beside them, as
// `aws s3 sync` copies a trail's bucket down.
//
// Records are 1–3 KB, built from templates of real record shapes, in a mix dominated by the
// read-only calls that fill real trails (KMS, STS, Describe*), with a small fraction (about 0.5%)
// that AWS's recommended alarms match: security group, network and IAM policy changes, instance
// launches, failed console sign-ins, denied calls. Output is deterministic for a given -seed.
//
//	go run ./bench/gen -out /tmp/trail -size 1GiB
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	out := flag.String("out", "", "directory to write the AWSLogs tree into (required)")
	size := flag.String("size", "256MiB", "stop after about this many bytes of gzip files (e.g. 512MiB, 1GiB)")
	seed := flag.Uint64("seed", 1, "random seed; the same seed writes the same files")
	org := flag.String("org", "", "organization ID for an org trail layout (AWSLogs/o-xxx/ACCOUNT/...)")
	flag.Parse()
	limit, err := parseSize(*size)
	if *out == "" || err != nil {
		fmt.Fprintln(os.Stderr, "usage: gen -out DIR [-size 1GiB] [-seed N] [-org o-xxxxxxxxxx]", err)
		os.Exit(2)
	}
	start := time.Now()
	g := &generator{out: *out, seed: *seed, org: *org, limit: limit}
	files, records := g.run()
	fmt.Fprintf(os.Stderr, "gen: %d files, %d records, %.1f MiB gzip (%.1f MiB JSON) in %s\n",
		files, records, float64(g.written.Load())/(1<<20), float64(g.raw.Load())/(1<<20), time.Since(start).Round(time.Millisecond))
}

func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"B", 1}}
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			n, err := strconv.ParseFloat(strings.TrimSuffix(s, u.suffix), 64)
			return int64(n * float64(u.mult)), err
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err
}

const (
	account = "111122223333"
	// Each log file covers five minutes of one Region, as CloudTrail delivers them.
	window = 5 * time.Minute
)

var regions = []string{"us-east-1", "eu-west-1"}

type generator struct {
	out     string
	seed    uint64
	org     string
	limit   int64
	written atomic.Int64
	raw     atomic.Int64
	records atomic.Int64
	files   atomic.Int64
}

func (g *generator) run() (files, records int64) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g.written.Load() < g.limit {
				if err := g.file(int(next.Add(1) - 1)); err != nil {
					fmt.Fprintln(os.Stderr, "gen:", err)
					os.Exit(1)
				}
			}
		}()
	}
	wg.Wait()
	return g.files.Load(), g.records.Load()
}

// file writes log file i: Region i%len(regions), five-minute window i/len(regions).
func (g *generator) file(i int) error {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	region := regions[i%len(regions)]
	from := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i/len(regions)) * window)
	n := 500 + r.IntN(2500)
	var raw bytes.Buffer
	raw.WriteString(`{"Records":[`)
	for k := range n {
		if k > 0 {
			raw.WriteByte(',')
		}
		at := from.Add(time.Duration(r.Int64N(int64(window))))
		writeRecord(&raw, r, region, at)
	}
	raw.WriteString("]}")

	dir := filepath.Join(g.base(), "CloudTrail", region, from.Format("2006/01/02"))
	name := fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json.gz", account, region, from.Add(window).Format("20060102T1504Z"), unique(r))
	size, err := writeGzip(filepath.Join(dir, name), raw.Bytes())
	if err != nil {
		return err
	}
	// One digest file per Region and hour, as log file validation delivers them.
	if from.Minute() == 0 {
		ddir := filepath.Join(g.base(), "CloudTrail-Digest", region, from.Format("2006/01/02"))
		digest := fmt.Sprintf(`{"awsAccountId":%q,"digestStartTime":%q,"digestEndTime":%q,"digestS3Bucket":"trail-bucket","digestSignatureAlgorithm":"SHA256withRSA","logFiles":[]}`,
			account, from.Add(-time.Hour).Format(time.RFC3339), from.Format(time.RFC3339))
		dsize, err := writeGzip(filepath.Join(ddir, fmt.Sprintf("%s_CloudTrail-Digest_%s_trail_%s_%s.json.gz", account, region, region, from.Format("20060102T150405Z"))), []byte(digest))
		if err != nil {
			return err
		}
		size += dsize
	}
	g.written.Add(size)
	g.raw.Add(int64(raw.Len()))
	g.records.Add(int64(n))
	g.files.Add(1)
	return nil
}

func (g *generator) base() string {
	if g.org != "" {
		return filepath.Join(g.out, "AWSLogs", g.org, account)
	}
	return filepath.Join(g.out, "AWSLogs", account)
}

func writeGzip(path string, data []byte) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return int64(b.Len()), os.WriteFile(path, b.Bytes(), 0o644)
}

func unique(r *rand.Rand) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 16)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}
