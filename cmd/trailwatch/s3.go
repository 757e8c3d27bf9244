package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trailwatch/trailwatch/internal/replay"
	"github.com/trailwatch/trailwatch/internal/s3input"
)

// Reading s3:// inputs: replay's flags for them, the S3 client, and the replay.Source that lists
// and opens objects through internal/s3input.

const (
	defaultS3Concurrency = 16
	maxS3Concurrency     = 64 // each reader holds a ~1 MiB window and one HTTP connection
)

// hiddenFlags are not printed by -h: they exist for tests against a local S3-compatible server.
var hiddenFlags = map[string]bool{"endpoint-url": true, "s3-page-size": true, "athena-poll": true}

// rangeFlags are --since and --until: they filter records by eventTime for every input, and
// choose the day folders listed in S3.
type rangeFlags struct{ since, until timeFlag }

// s3Flags are the flags of s3:// inputs.
type s3Flags struct {
	profile, region, endpoint string
	accounts, regions         listFlag
	concurrency               int
	pageSize                  int // ListObjectsV2 MaxKeys, for tests of pagination; 0: S3's default
}

func addRangeFlags(fs *flag.FlagSet) *rangeFlags {
	r := &rangeFlags{}
	fs.Var(&r.since, "since", "replay records from this time on: RFC 3339 (2024-05-01T12:00:00Z) or a UTC date (2024-05-01)")
	fs.Var(&r.until, "until", "replay records before this time (exclusive): RFC 3339 or a UTC date")
	return r
}

func addS3Flags(fs *flag.FlagSet) *s3Flags {
	f := &s3Flags{}
	fs.StringVar(&f.profile, "profile", "", "s3:// inputs: the AWS profile to use (default: the standard credential chain)")
	fs.StringVar(&f.region, "region", "", "s3:// inputs: the bucket's AWS Region (default: from the environment or profile)")
	fs.Var(&f.accounts, "accounts", "s3:// inputs: list only these account IDs, comma-separated (default: every account folder found)")
	fs.Var(&f.regions, "regions", "s3:// inputs: list only these Regions, comma-separated (default: every Region folder found)")
	fs.IntVar(&f.concurrency, "s3-concurrency", defaultS3Concurrency, fmt.Sprintf("s3:// inputs: objects downloaded at once (at most %d)", maxS3Concurrency))
	fs.StringVar(&f.endpoint, "endpoint-url", "", "S3 (path-style addressing) and Athena endpoint URL, for a local test server")
	fs.IntVar(&f.pageSize, "s3-page-size", 0, "ListObjectsV2 page size")
	return f
}

// printFlags is fs.PrintDefaults without the hidden flags.
func printFlags(fs *flag.FlagSet, w io.Writer) {
	shown := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	shown.SetOutput(w)
	fs.VisitAll(func(f *flag.Flag) {
		if !hiddenFlags[f.Name] {
			shown.Var(f.Value, f.Name, f.Usage)
		}
	})
	shown.PrintDefaults()
}

// splitS3 separates s3:// URLs from local inputs.
func splitS3(args []string) (local, urls []string) {
	for _, a := range args {
		if s3input.IsURL(a) {
			urls = append(urls, a)
		} else {
			local = append(local, a)
		}
	}
	return local, urls
}

// listingError is an S3 listing failure: the replay cannot say what it covers, so it stops with
// cli.ExitListing and no report.
type listingError struct{ err error }

func (e listingError) Error() string { return e.err.Error() }

// configureInputs applies --since/--until and the s3:// inputs to o. The error is a one-line
// usage problem (cli.ExitUsage): a bad flag value, no Region, no credentials.
func configureInputs(o *replay.Options, urls []string, r *rangeFlags, f *s3Flags) error {
	o.Since, o.Until = r.since.t, r.until.t
	if r.since.given && r.until.given && !o.Until.After(o.Since) {
		return fmt.Errorf("--until %s is not after --since %s", r.until.String(), r.since.String())
	}
	if len(urls) == 0 {
		if len(f.accounts) > 0 || len(f.regions) > 0 {
			return errors.New("--accounts and --regions choose what is listed in S3: give an s3://BUCKET/[PREFIX] input")
		}
		return nil
	}
	for _, a := range f.accounts {
		if !accountIDFlag.MatchString(a) {
			return fmt.Errorf("--accounts: %q is not an account ID (12 digits)", a)
		}
	}
	for _, rg := range f.regions {
		if !regionFlag.MatchString(rg) {
			return fmt.Errorf("--regions: %q is not a Region name (like us-east-1)", rg)
		}
	}
	if f.concurrency < 1 || f.concurrency > maxS3Concurrency {
		return fmt.Errorf("--s3-concurrency %d: want 1 to %d", f.concurrency, maxS3Concurrency)
	}
	parsed := make([]s3input.URL, len(urls))
	for i, u := range urls {
		var err error
		if parsed[i], err = s3input.ParseURL(u); err != nil {
			return err
		}
	}
	ctx := context.Background()
	client, err := newS3Client(ctx, f)
	if err != nil {
		return err
	}
	sel := s3input.Selection{
		Since: o.Since, Until: o.Until, Accounts: f.accounts, Regions: f.regions, PageSize: int32(f.pageSize),
	}
	o.Readers = max(f.concurrency, o.Workers)
	o.Sources = append(o.Sources, replay.Source{
		List: func(add func(name string, size int64)) error {
			// Overlapping URLs would read objects twice; one URL cannot list a key twice.
			var seen map[string]bool
			if len(parsed) > 1 {
				seen = map[string]bool{}
			}
			for _, u := range parsed {
				err := s3input.List(ctx, client, u, sel, func(obj s3input.Object) {
					name := s3input.ObjectName(u.Bucket, obj.Key)
					if seen != nil {
						if seen[name] {
							return
						}
						seen[name] = true
					}
					add(name, obj.Size)
				})
				if err != nil {
					return listingError{err}
				}
			}
			return nil
		},
		Open: func(name string) (io.ReadCloser, error) {
			bucket, key, _ := strings.Cut(strings.TrimPrefix(name, s3input.Scheme), "/")
			return s3input.Open(ctx, client, bucket, key)
		},
	})
	return nil
}

var (
	accountIDFlag = regexp.MustCompile(`^[0-9]{12}$`)
	regionFlag    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
)

// loadAWSConfig loads the standard AWS configuration (environment, shared config and credentials
// files, SSO, IMDS, ...) with --profile and --region, and checks up front that it has a Region and
// credentials, so a missing one is one line rather than a failed request; what names the use.
func loadAWSConfig(ctx context.Context, f *s3Flags, what string) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if f.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(f.profile))
	}
	if f.region != "" {
		opts = append(opts, config.WithRegion(f.region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return cfg, fmt.Errorf("AWS configuration: %s", firstLine(err))
	}
	if cfg.Region == "" {
		return cfg, fmt.Errorf("no AWS Region for %s: give --region, or set AWS_REGION or a region in the profile", what)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return cfg, fmt.Errorf("no AWS credentials for %s: give --profile, or set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (SSO profiles: run aws sso login first)", what)
	}
	return cfg, nil
}

// newS3Client is the S3 client of s3:// inputs (loadAWSConfig).
func newS3Client(ctx context.Context, f *s3Flags) (*s3.Client, error) {
	cfg, err := loadAWSConfig(ctx, f, "s3:// inputs")
	if err != nil {
		return nil, err
	}
	pathStyle := f.endpoint != "" || os.Getenv("AWS_ENDPOINT_URL_S3") != "" || os.Getenv("AWS_ENDPOINT_URL") != ""
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if f.endpoint != "" {
			o.BaseEndpoint = aws.String(f.endpoint)
		}
		o.UsePathStyle = pathStyle
		// CloudTrail writes its objects without a checksum; the SDK would log each GetObject.
		o.DisableLogOutputChecksumValidationSkipped = true
	}), nil
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// timeFlag is an RFC 3339 time or a UTC date.
type timeFlag struct {
	t     time.Time
	given bool
}

func (f *timeFlag) String() string {
	if !f.given {
		return ""
	}
	return f.t.Format(time.RFC3339)
}

func (f *timeFlag) Set(s string) error {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, s); err != nil {
			return fmt.Errorf("%q: want RFC 3339 (2024-05-01T12:00:00Z) or a date (2024-05-01)", s)
		}
	}
	f.t, f.given = t.UTC(), true
	return nil
}

// listFlag is a comma-separated list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	*l = nil
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}
