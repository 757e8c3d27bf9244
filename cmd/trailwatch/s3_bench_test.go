package main

import (
	"encoding/json"
	"io"
	"path/filepath"
	"testing"

	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/internal/s3input/s3test"
)

// benchTrail is 4 trails x 2 Regions x 5 days x 3 files x 500 records: 60,000 records in 120
// gzip log files (plus the corrupt one).
func benchTrail() s3test.Trail {
	tr := s3test.Default()
	tr.Days = tr.Days[2:]
	tr.RecordsPerFile = 500
	return tr
}

// benchReplay runs `trailwatch replay --format json args...` b.N times and reports records/s.
func benchReplay(b *testing.B, args ...string) {
	var records int64
	b.ResetTimer()
	for range b.N {
		pr, pw := io.Pipe()
		done := make(chan struct{})
		go func() {
			defer close(done)
			var rep struct {
				Totals struct {
					RecordsRead int64 `json:"records_read"`
				} `json:"totals"`
			}
			if err := json.NewDecoder(pr).Decode(&rep); err != nil {
				b.Error(err)
			}
			records += rep.Totals.RecordsRead
			io.Copy(io.Discard, pr)
		}()
		code := run(append([]string{"replay", "--format", "json"}, args...), &cli.Stdio{Stdout: pw, Stderr: io.Discard})
		pw.Close()
		<-done
		if code != cli.ExitProblems {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkReplayS3 reads the bucket from the local fake S3 server (loopback HTTP, gofakes3's
// in-memory backend); BenchmarkReplayLocal reads the same files from disk.
func BenchmarkReplayS3(b *testing.B) {
	srv, _ := trailBucketOf(b, benchTrail(), nil)
	benchReplay(b, "--endpoint-url", srv.URL, "s3://"+testBucket+"/")
}

func BenchmarkReplayLocal(b *testing.B) {
	_, dir := trailBucketOf(b, benchTrail(), nil)
	benchReplay(b, filepath.Join(dir, "AWSLogs"))
}
