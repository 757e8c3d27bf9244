package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/internal/s3input/s3test"
)

const testBucket = "trail-bucket"

// awsEnv gives the SDK static credentials and a Region, and nothing else from this machine: no
// shared config files, no instance metadata.
func awsEnv(t testing.TB) {
	t.Helper()
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "",
		"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_S3": "",
	} {
		t.Setenv(k, v)
	}
}

// trailBucket serves the generated trail bucket and writes the same log files (less the digest
// file, which an S3 replay never lists) under a local directory, whose path it returns.
// keep, when set, chooses the keys written locally.
func trailBucket(t testing.TB, keep func(key string) bool) (*s3test.Server, string) {
	return trailBucketOf(t, s3test.Default(), keep)
}

func trailBucketOf(t testing.TB, tr s3test.Trail, keep func(key string) bool) (*s3test.Server, string) {
	t.Helper()
	awsEnv(t)
	srv := s3test.New(t, testBucket)
	dir := t.TempDir()
	for key, body := range tr.Objects() {
		srv.Put(t, key, body)
		if key == s3test.DigestKey || (keep != nil && !keep(key)) {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv.Reset()
	return srv, dir
}

// s3Names turns the report's s3:// object names into the local paths of the same files.
func s3Names(report, dir string) string {
	return strings.ReplaceAll(report, "s3://"+testBucket+"/", filepath.ToSlash(dir)+"/")
}

func TestS3ReplayReportsWhatALocalReplayReports(t *testing.T) {
	inRange := func(key string) bool {
		for _, d := range []string{"/2024/03/02/", "/2024/03/03/", "/2024/03/04/"} {
			if strings.Contains(key, d) {
				return true
			}
		}
		return false
	}
	tests := []struct {
		name  string
		keep  func(string) bool
		flags []string
	}{
		{"whole bucket", nil, nil},
		{"three days", inRange, []string{"--since", "2024-03-02", "--until", "2024-03-04T22:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, dir := trailBucket(t, tt.keep)
			args := append([]string{"--format", "json", "--alarms", "aws,cis", "--endpoint-url", srv.URL}, tt.flags...)
			code, remote, errs := replayCmd(t, "", append(args, "s3://"+testBucket+"/")...)
			if code != cli.ExitProblems || !strings.Contains(errs, "skipped") {
				t.Errorf("s3: exit %d, want %d (a corrupt object); stderr: %s", code, cli.ExitProblems, errs)
			}
			localArgs := append([]string{"--format", "json", "--alarms", "aws,cis"}, tt.flags...)
			code, local, errs := replayCmd(t, "", append(localArgs, filepath.Join(dir, "AWSLogs"))...)
			if code != cli.ExitProblems {
				t.Errorf("local: exit %d, want %d; stderr: %s", code, cli.ExitProblems, errs)
			}
			if got := s3Names(remote, dir); got != local {
				t.Errorf("the s3 report differs from the local one\n--- s3\n%s\n--- local\n%s", got, local)
			}
			var rep struct {
				Totals struct {
					FilesRead   int64 `json:"files_read"`
					RecordsRead int64 `json:"records_read"`
					Skipped     []struct {
						File   string `json:"file"`
						Reason string `json:"reason"`
					} `json:"skipped"`
				} `json:"totals"`
				Alarms []struct {
					Matches int64 `json:"matches"`
				} `json:"alarms"`
			}
			if err := json.Unmarshal([]byte(remote), &rep); err != nil {
				t.Fatal(err)
			}
			matches := int64(0)
			for _, a := range rep.Alarms {
				matches += a.Matches
			}
			if rep.Totals.RecordsRead == 0 || matches == 0 || len(rep.Totals.Skipped) == 0 ||
				rep.Totals.Skipped[0].File != "s3://"+testBucket+"/"+s3test.CorruptKey || rep.Totals.Skipped[0].Reason != "truncated" {
				t.Errorf("a replay that proves little: %d records, %d matches, skipped %+v", rep.Totals.RecordsRead, matches, rep.Totals.Skipped)
			}
			if gets := srv.Gets(); int64(len(gets)) != rep.Totals.FilesRead || slices.Contains(gets, s3test.DigestKey) {
				t.Errorf("%d GetObject calls for %d files read (digest requested: %v)", len(gets), rep.Totals.FilesRead, slices.Contains(gets, s3test.DigestKey))
			}
		})
	}
}

func TestS3ObjectErrorsAreSkippedWithTheReason(t *testing.T) {
	srv, _ := trailBucket(t, nil)
	first := func(folder string) string {
		for _, k := range s3test.Keys(s3test.Default().Objects()) {
			if strings.HasPrefix(k, folder) {
				return k
			}
		}
		t.Fatalf("no object under %s", folder)
		return ""
	}
	denied := first("AWSLogs/222222222222/CloudTrail/eu-west-1/2024/03/02/")
	gone := first("AWSLogs/o-abcdefghij/333333333333/CloudTrail/us-east-1/2024/03/04/")
	_, full, _ := replayCmd(t, "", "--format", "json", "--endpoint-url", srv.URL, "s3://"+testBucket)
	srv.Fail(denied, http.StatusForbidden, "AccessDenied", "Access Denied")
	srv.Fail(gone, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.") // deleted after the listing
	cut := first("AWSLogs/o-abcdefghij/444444444444/CloudTrail/eu-west-1/2024/03/01/")
	srv.Cut(cut, 400) // the connection drops after 400 of its ~850 bytes
	code, out, errs := replayCmd(t, "", "--format", "json", "--endpoint-url", srv.URL, "s3://"+testBucket)
	if code != cli.ExitProblems {
		t.Errorf("exit %d, want %d; stderr: %s", code, cli.ExitProblems, errs)
	}
	for _, want := range []string{
		`"file": "s3://trail-bucket/` + denied + `",
        "reason": "unreadable",
        "detail": "GetObject: AccessDenied: Access Denied (HTTP 403); needs s3:ListBucket and s3:GetObject on the bucket (and kms:Decrypt for SSE-KMS log files)"`,
		`"file": "s3://trail-bucket/` + gone + `",
        "reason": "unreadable",
        "detail": "GetObject: NoSuchKey: The specified key does not exist. (HTTP 404)"`,
		`"unreadable": 2`,
		`"file": "s3://trail-bucket/` + cut + `",
        "line": 1,
        "reason": "truncated",
        "detail": "input ends early (truncated or corrupt gzip?): unexpected EOF"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks\n%s\n--- report\n%s", want, out)
		}
	}
	type totals struct {
		Totals struct {
			FilesRead   int64 `json:"files_read"`
			RecordsRead int64 `json:"records_read"`
		} `json:"totals"`
	}
	var before, after totals
	if json.Unmarshal([]byte(full), &before) != nil || json.Unmarshal([]byte(out), &after) != nil {
		t.Fatal("bad JSON")
	}
	// Each generated log file holds 20 records: the two unreadable ones give none, the cut one
	// some (those its first 400 bytes of gzip decompress to) but not all.
	if lost := before.Totals.RecordsRead - after.Totals.RecordsRead; after.Totals.FilesRead != before.Totals.FilesRead-2 || lost <= 40 || lost >= 60 {
		t.Errorf("after two failed objects: %+v, before: %+v", after.Totals, before.Totals)
	}
}

func TestS3DownloadsAtMostConcurrencyObjectsAtOnce(t *testing.T) {
	srv, _ := trailBucket(t, nil)
	srv.Delay = 20 * time.Millisecond
	srv.Await = 3 // a loaded machine still reaches 3; a client allowed fewer waits 10 s and fails
	code, _, errs := replayCmd(t, "", "--workers", "1", "--s3-concurrency", "3", "--since", "2024-03-01", "--until", "2024-03-03",
		"--endpoint-url", srv.URL, "s3://"+testBucket+"/")
	if code != cli.ExitProblems {
		t.Fatalf("exit %d; stderr: %s", code, errs)
	}
	if got := srv.MaxConcurrentGets(); got != 3 {
		t.Errorf("at most %d GetObject at once, want 3 (--s3-concurrency)", got)
	}
}

func TestS3ListingFailureStopsWithExit3(t *testing.T) {
	srv, _ := trailBucket(t, nil)
	code, out, errs := replayCmd(t, "", "--endpoint-url", srv.URL, "s3://no-such-bucket/AWSLogs/")
	if code != cli.ExitListing || out != "" {
		t.Errorf("exit %d, stdout %q; want %d and no report", code, out, cli.ExitListing)
	}
	if want := "trailwatch replay: listing s3://no-such-bucket/AWSLogs/: NoSuchBucket: The specified bucket does not exist (HTTP 404)\n"; errs != want {
		t.Errorf("stderr %q\nwant %q", errs, want)
	}
}

func TestS3EndpointFromTheEnvironment(t *testing.T) {
	srv, _ := trailBucket(t, nil)
	t.Setenv("AWS_ENDPOINT_URL_S3", srv.URL)
	code, out, errs := replayCmd(t, "", "--accounts", "111111111111", "--regions", "us-east-1", "--since", "2024-03-05", "--until", "2024-03-05T12:00:00Z", "s3://"+testBucket+"/")
	if code != cli.ExitOK || !strings.Contains(out, "3 files") {
		t.Errorf("exit %d; stdout:\n%s\nstderr: %s", code, out, errs)
	}
	if gets := srv.Gets(); len(gets) != 3 || !strings.Contains(gets[0], "/111111111111/CloudTrail/us-east-1/2024/03/05/") {
		t.Errorf("GetObject calls %v, want the three log files of 2024-03-05", gets)
	}
}

func TestS3FailsWithoutCredentialsOrRegion(t *testing.T) {
	srv, _ := trailBucket(t, nil)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	code, out, errs := replayCmd(t, "", "--endpoint-url", srv.URL, "s3://"+testBucket)
	if code != cli.ExitUsage || out != "" || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "trailwatch replay: no AWS credentials for s3:// inputs: give --profile") {
		t.Errorf("no credentials: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "")
	code, _, errs = replayCmd(t, "", "--endpoint-url", srv.URL, "s3://"+testBucket)
	if code != cli.ExitUsage || errs != "trailwatch replay: no AWS Region for s3:// inputs: give --region, or set AWS_REGION or a region in the profile\n" {
		t.Errorf("no Region: exit %d, stderr %q", code, errs)
	}
	code, _, errs = replayCmd(t, "", "--profile", "nosuch", "s3://"+testBucket)
	if code != cli.ExitUsage || !strings.HasPrefix(errs, "trailwatch replay: AWS configuration: ") || !strings.Contains(errs, "nosuch") || strings.Count(errs, "\n") != 1 {
		t.Errorf("unknown profile: exit %d, stderr %q", code, errs)
	}
	if len(srv.Lists())+len(srv.Gets()) != 0 {
		t.Errorf("requests were sent: %v %v", srv.Lists(), srv.Gets())
	}
}

func TestS3BadFlags(t *testing.T) {
	awsEnv(t)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--accounts", "111111111111", "testdata/input"}, "--accounts and --regions choose what is listed in S3: give an s3://BUCKET/[PREFIX] input"},
		{[]string{"--accounts", "1234", "s3://b-ucket/"}, `--accounts: "1234" is not an account ID (12 digits)`},
		{[]string{"--regions", "US_EAST", "s3://b-ucket/"}, `--regions: "US_EAST" is not a Region name (like us-east-1)`},
		{[]string{"--s3-concurrency", "65", "s3://b-ucket/"}, "--s3-concurrency 65: want 1 to 64"},
		{[]string{"--s3-concurrency", "0", "s3://b-ucket/"}, "--s3-concurrency 0: want 1 to 64"},
		{[]string{"--since", "2024-03-02", "--until", "2024-03-01", "s3://b-ucket/"}, "--until 2024-03-01T00:00:00Z is not after --since 2024-03-02T00:00:00Z"},
		{[]string{"s3://B/"}, `bad s3:// URL "s3://B/": "B" is not a bucket name`},
		{[]string{"s3://b-ucket/AWSLogs/12/"}, `"12" is neither an account ID (12 digits) nor an organization ID (o-...)`},
	} {
		code, out, errs := replayCmd(t, "", tt.args...)
		if code != cli.ExitUsage || out != "" || !strings.Contains(errs, tt.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d and %q", tt.args, code, out, errs, cli.ExitUsage, tt.msg)
		}
	}
	code, _, errs := replayCmd(t, "", "--since", "yesterday", "s3://b-ucket/")
	if code != cli.ExitUsage || !strings.Contains(errs, `invalid value "yesterday" for flag -since: "yesterday": want RFC 3339`) {
		t.Errorf("--since yesterday: exit %d, stderr %q", code, errs)
	}
}

func TestHelpHidesTestFlags(t *testing.T) {
	_, help, _ := replayCmd(t, "", "-h") // help goes to stdout
	if !strings.Contains(help, "-s3-concurrency") || strings.Contains(help, "endpoint-url") || strings.Contains(help, "page-size") {
		t.Errorf("help:\n%s", help)
	}
}

func TestSinceUntilFilterLocalRecords(t *testing.T) {
	_, dir := trailBucket(t, nil)
	_, all, _ := replayCmd(t, "", "--format", "json", dir)
	_, some, _ := replayCmd(t, "", "--format", "json", "--since", "2024-03-03T23:55:00Z", "--until", "2024-03-04T03:05:00Z", dir)
	var a, s struct {
		Totals struct {
			RecordsRead  int64  `json:"records_read"`
			OutsideRange *int64 `json:"records_outside_range"`
			FirstEvent   string `json:"first_event"`
			LastEvent    string `json:"last_event"`
		} `json:"totals"`
	}
	if json.Unmarshal([]byte(all), &a) != nil || json.Unmarshal([]byte(some), &s) != nil {
		t.Fatal("bad JSON")
	}
	if a.Totals.OutsideRange != nil {
		t.Errorf("records_outside_range present without --since/--until")
	}
	// The last file of a day holds 20 records 27 s apart from 23:50, so the first kept is the
	// 13th (23:50 + 12 x 27 s); the last is the 5th record of the 03:00 file of the 4th.
	if s.Totals.FirstEvent != "2024-03-03T23:55:24Z" || s.Totals.LastEvent != "2024-03-04T03:04:00Z" ||
		s.Totals.OutsideRange == nil || s.Totals.RecordsRead+*s.Totals.OutsideRange != a.Totals.RecordsRead {
		t.Errorf("filtered totals %+v (outside %v), all %+v", s.Totals, s.Totals.OutsideRange, a.Totals)
	}
	if s.Totals.OutsideRange == nil {
		return
	}
	_, table, _ := replayCmd(t, "", "--since", "2024-03-03T23:55:00Z", "--until", "2024-03-04T03:05:00Z", dir)
	if want := fmt.Sprintf("Left out %s records outside --since/--until.\n", group(*s.Totals.OutsideRange)); !strings.Contains(table, want) {
		t.Errorf("table lacks %q:\n%s", want, table)
	}
}

// TestS3ConcurrencyBoundsAreAccepted runs an S3 replay at both ends of --s3-concurrency's range
// (TestS3BadFlags refuses 0 and 65); at 1, one GetObject at a time.
func TestS3ConcurrencyBoundsAreAccepted(t *testing.T) {
	for _, n := range []string{"1", "64"} {
		srv, _ := trailBucket(t, nil)
		srv.Delay = 5 * time.Millisecond
		code, _, errs := replayCmd(t, "", "--s3-concurrency", n, "--since", "2024-03-05", "--until", "2024-03-05T12:00:00Z",
			"--endpoint-url", srv.URL, "s3://"+testBucket+"/")
		if code != cli.ExitOK {
			t.Errorf("--s3-concurrency %s: exit %d, stderr %q; want %d", n, code, errs, cli.ExitOK)
		}
		if got := srv.MaxConcurrentGets(); n == "1" && got != 1 {
			t.Errorf("--s3-concurrency 1: at most %d GetObject at once, want 1", got)
		}
	}
}

// TestS3CustomEndpointsUsePathStyle: an endpoint given by --endpoint-url, AWS_ENDPOINT_URL_S3 or
// AWS_ENDPOINT_URL (a local S3, MinIO, a VPC endpoint by name) is addressed path-style, since
// BUCKET.host does not resolve there; AWS's own endpoints keep virtual-hosted addressing.
func TestS3CustomEndpointsUsePathStyle(t *testing.T) {
	for _, tt := range []struct {
		name, flag, envS3, env string
		want                   bool
	}{
		{"no endpoint", "", "", "", false},
		{"--endpoint-url", "http://minio.internal:9000", "", "", true},
		{"AWS_ENDPOINT_URL_S3", "", "http://minio.internal:9000", "", true},
		{"AWS_ENDPOINT_URL", "", "", "http://minio.internal:9000", true},
	} {
		awsEnv(t)
		t.Setenv("AWS_ENDPOINT_URL_S3", tt.envS3)
		t.Setenv("AWS_ENDPOINT_URL", tt.env)
		c, err := newS3Client(context.Background(), &s3Flags{endpoint: tt.flag, concurrency: 1})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := c.Options().UsePathStyle; got != tt.want {
			t.Errorf("%s: UsePathStyle %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Overlapping s3:// inputs (a bucket and a folder inside it) read each object once: the report
// is that of the bucket alone, and no object is downloaded twice.
func TestS3OverlappingURLsReadEachObjectOnce(t *testing.T) {
	srv, _ := trailBucket(t, nil)
	args := []string{"--format", "json", "--since", "2024-03-05", "--until", "2024-03-06", "--endpoint-url", srv.URL}
	code, alone, errs := replayCmd(t, "", append(args, "s3://"+testBucket+"/")...)
	if code != cli.ExitOK {
		t.Fatalf("bucket alone: exit %d; stderr: %s", code, errs)
	}
	srv.Reset()
	code, both, errs := replayCmd(t, "", append(args, "s3://"+testBucket+"/", "s3://"+testBucket+"/AWSLogs/111111111111/")...)
	if code != cli.ExitOK || both != alone {
		t.Errorf("bucket and a folder in it: exit %d, stderr %s; report\n%s\nwant the bucket's alone:\n%s", code, errs, both, alone)
	}
	gets := srv.Gets()
	seen := map[string]bool{}
	for _, g := range gets {
		if seen[g] {
			t.Errorf("%s downloaded twice", g)
		}
		seen[g] = true
	}
	if lists := srv.Lists(); len(gets) < 4 || len(lists) < 2 || !strings.Contains(alone, fmt.Sprintf(`"files_read": %d,`, len(gets))) {
		t.Errorf("%d GetObject and %d ListObjectsV2 calls: proves little, or not one GetObject a file read", len(gets), len(lists))
	}
}

// A listing asks for S3's own page size unless --s3-page-size (for tests) sets one: each folder
// of this small tree is then one ListObjectsV2 request; pages of 2 keys take more, for the same
// report.
func TestS3ListingPageSize(t *testing.T) {
	args := []string{"--accounts", "111111111111", "--regions", "us-east-1", "--since", "2024-03-05", "--until", "2024-03-05T12:00:00Z"}
	srv, _ := trailBucket(t, nil)
	code, whole, errs := replayCmd(t, "", append(args, "--endpoint-url", srv.URL, "s3://"+testBucket+"/")...)
	want := []s3test.List{{Prefix: "AWSLogs/", Delimiter: "/"}, {Prefix: "AWSLogs/o-abcdefghij/", Delimiter: "/"}, {Prefix: "AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/05/"}}
	if lists := srv.Lists(); code != cli.ExitOK || !slices.Equal(lists, want) {
		t.Errorf("exit %d, stderr %q; ListObjectsV2 calls %+v, want %+v", code, errs, lists, want)
	}
	srv.Reset()
	code, paged, _ := replayCmd(t, "", append(args, "--s3-page-size", "2", "--endpoint-url", srv.URL, "s3://"+testBucket+"/")...)
	if n := len(srv.Lists()); code != cli.ExitOK || paged != whole || n <= len(want) {
		t.Errorf("pages of 2: exit %d, %d ListObjectsV2 calls; report\n%s\nwant %s", code, n, paged, whole)
	}
}
