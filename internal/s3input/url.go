package s3input

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Scheme starts every S3 input on the command line.
const Scheme = "s3://"

// IsURL reports whether arg names S3 objects rather than a local file.
func IsURL(arg string) bool { return strings.HasPrefix(arg, Scheme) }

// URL is a parsed s3://BUCKET/[PREFIX].
type URL struct {
	Bucket string
	Prefix string // as given, without the leading "/"
}

func (u URL) String() string { return Scheme + u.Bucket + "/" + u.Prefix }

// ObjectName is how reports name an object: its s3:// URL.
func ObjectName(bucket, key string) string { return Scheme + bucket + "/" + key }

// ErrBadURL is returned for an s3:// argument that cannot be listed.
var ErrBadURL = errors.New("bad s3:// URL")

// bucketName is the S3 bucket naming rule (3-63 lower-case letters, digits, dots and hyphens,
// starting and ending with a letter or digit), from "Bucket naming rules", Amazon S3 user guide.
var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// ParseURL parses s3://BUCKET/[PREFIX] and checks that the prefix fits the AWSLogs layout.
func ParseURL(arg string) (URL, error) {
	rest, ok := strings.CutPrefix(arg, Scheme)
	if !ok {
		return URL{}, fmt.Errorf("%w %q: want s3://BUCKET/[PREFIX]", ErrBadURL, arg)
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	if !bucketName.MatchString(bucket) {
		return URL{}, fmt.Errorf("%w %q: %q is not a bucket name (3-63 characters: a-z, 0-9, '.', '-')", ErrBadURL, arg, bucket)
	}
	if _, err := locate(prefix); err != nil {
		return URL{}, err
	}
	return URL{Bucket: bucket, Prefix: prefix}, nil
}

// path is where a URL's prefix points into the AWSLogs layout: the root ending in "AWSLogs/"
// and the parts of the layout the prefix already fixes. Later parts are empty.
type path struct {
	root    string // "[PREFIX/]AWSLogs/"
	org     string // "o-..." for an organization trail
	account string
	region  string
	date    []string // "YYYY", "MM", "DD": as many as the prefix gives
}

var (
	accountID = regexp.MustCompile(`^[0-9]{12}$`)
	orgID     = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
)

// locate places a prefix in the layout. A prefix without an AWSLogs segment is the trail's own
// key prefix (the S3 key prefix set on the trail), under which AWSLogs/ lies.
func locate(prefix string) (path, error) {
	var segs []string
	if trimmed := strings.Trim(prefix, "/"); trimmed != "" {
		segs = strings.Split(trimmed, "/")
	}
	at := slices.Index(segs, "AWSLogs")
	if at < 0 {
		p := path{root: "AWSLogs/"}
		if len(segs) > 0 {
			p.root = strings.Join(segs, "/") + "/AWSLogs/"
		}
		return p, nil
	}
	p := path{root: strings.Join(segs[:at+1], "/") + "/"}
	rest := segs[at+1:]
	bad := func(why string) (path, error) {
		return path{}, fmt.Errorf("%w: prefix %q: %s; the layout is AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/", ErrBadURL, prefix, why)
	}
	if len(rest) > 0 && orgID.MatchString(rest[0]) {
		p.org, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		if !accountID.MatchString(rest[0]) {
			return bad(fmt.Sprintf("%q is neither an account ID (12 digits) nor an organization ID (o-...)", rest[0]))
		}
		p.account, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		if rest[0] != "CloudTrail" {
			return bad(fmt.Sprintf("%q holds no log files (only CloudTrail/ does; digest and Insights files are not replayed)", rest[0]))
		}
		rest = rest[1:]
	}
	if len(rest) > 0 {
		p.region, rest = rest[0], rest[1:]
	}
	if len(rest) > 3 {
		return bad("it goes past the day folder")
	}
	p.date = rest
	return p, nil
}
