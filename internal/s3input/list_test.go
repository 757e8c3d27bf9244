package s3input

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trailwatch/trailwatch/internal/s3input/s3test"
)

const bucket = "trail-bucket"

// fakeBucket serves s3test.Default() and returns the server and a client for it.
func fakeBucket(t *testing.T) (*s3test.Server, *s3.Client, map[string][]byte) {
	t.Helper()
	srv := s3test.New(t, bucket)
	objs := s3test.Default().Objects()
	for k, v := range objs {
		srv.Put(t, k, v)
	}
	client := s3.New(s3.Options{
		BaseEndpoint: aws.String(srv.URL), UsePathStyle: true, Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
	})
	srv.Reset()
	return srv, client, objs
}

func list(t *testing.T, client API, url string, sel Selection) ([]string, error) {
	t.Helper()
	u, err := ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	err = List(context.Background(), client, u, sel, func(o Object) { keys = append(keys, o.Key) })
	return keys, err
}

// want are the keys of objs under one of the folders and, when days is not empty, in one of
// those day folders. The digest file is never wanted.
func want(objs map[string][]byte, folders []string, regions []string, days ...string) []string {
	var keys []string
	for _, k := range s3test.Keys(objs) {
		if strings.Contains(k, "CloudTrail-Digest/") {
			continue
		}
		ok := false
		for _, f := range folders {
			for _, r := range regions {
				if !strings.HasPrefix(k, f+r+"/") {
					continue
				}
				rest := strings.TrimPrefix(k, f+r+"/")
				if len(days) == 0 || slices.Contains(days, rest[:10]) {
					ok = true
				}
			}
		}
		if ok {
			keys = append(keys, k)
		}
	}
	return keys
}

func TestListsOnlyTheDaysOfTheRange(t *testing.T) {
	srv, client, objs := fakeBucket(t)
	tr := s3test.Default()
	// 3 days of a bucket that also holds 2020 and 2022: Until 22:00 plus the hour of delivery
	// slack stays on the 4th.
	keys, err := list(t, client, "s3://"+bucket+"/", Selection{Since: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), Until: time.Date(2024, 3, 4, 22, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	days := []string{"2024/03/02", "2024/03/03", "2024/03/04"}
	if w := want(objs, tr.Folders(), tr.Regions, days...); !slices.Equal(keys, w) {
		t.Errorf("listed %d keys:\n%s\nwant %d:\n%s", len(keys), strings.Join(keys, "\n"), len(w), strings.Join(w, "\n"))
	}
	// Discovery: AWSLogs/ (1), the organization's accounts (1), the Regions of 4 trails (4);
	// then 4 trails x 2 Regions x 3 days.
	lists := srv.Lists()
	if got, want := len(lists), 1+1+4+4*2*3; got != want {
		t.Errorf("%d ListObjectsV2 calls, want %d: %v", got, want, lists)
	}
	for _, l := range lists {
		if l.Delimiter == "" && !slices.ContainsFunc(days, func(d string) bool { return strings.HasSuffix(l.Prefix, d+"/") }) {
			t.Errorf("listed %q, outside the range", l.Prefix)
		}
		if strings.Contains(l.Prefix, "Digest") {
			t.Errorf("listed digest files: %q", l.Prefix)
		}
	}
}

// Near-copy of the test above: one listing rule per test, each with its own range and keys.
func TestListsTheNextDayForLateDeliveries(t *testing.T) {
	srv, client, objs := fakeBucket(t)
	tr := s3test.Default()
	// Until midnight: records of 23:59 are delivered on the 5th, so the 5th is listed too.
	keys, err := list(t, client, "s3://"+bucket+"/AWSLogs/111111111111/", Selection{Since: time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), Until: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	folders := []string{"AWSLogs/111111111111/CloudTrail/"}
	if w := want(objs, folders, tr.Regions, "2024/03/04", "2024/03/05"); !slices.Equal(keys, w) {
		t.Errorf("listed %v\nwant %v", keys, w)
	}
	// The prefix names the account: only its Regions are discovered (1), then 2 Regions x 2 days.
	if got := len(srv.Lists()); got != 1+2*2 {
		t.Errorf("%d ListObjectsV2 calls, want 5: %v", got, srv.Lists())
	}
}

func TestListsOnlyTheAccountsAndRegionsGiven(t *testing.T) {
	srv, client, objs := fakeBucket(t)
	sel := Selection{
		Since: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2024, 3, 2, 12, 0, 0, 0, time.UTC),
		Accounts: []string{"111111111111", "333333333333"}, Regions: []string{"us-east-1"},
	}
	keys, err := list(t, client, "s3://"+bucket, sel)
	if err != nil {
		t.Fatal(err)
	}
	folders := []string{"AWSLogs/111111111111/CloudTrail/", "AWSLogs/o-abcdefghij/333333333333/CloudTrail/"}
	if w := want(objs, folders, []string{"us-east-1"}, "2024/03/01", "2024/03/02"); !slices.Equal(keys, w) || len(w) == 0 {
		t.Errorf("listed %v\nwant %v", keys, w)
	}
	// Only AWSLogs/ and the organization's accounts are discovered; then 2 trails x 1 Region x
	// 2 days.
	if got := len(srv.Lists()); got != 1+1+2*1*2 {
		t.Errorf("%d ListObjectsV2 calls, want 6: %v", got, srv.Lists())
	}
}

func TestListsEverythingWithoutARange(t *testing.T) {
	_, client, objs := fakeBucket(t)
	tr := s3test.Default()
	keys, err := list(t, client, "s3://"+bucket+"/", Selection{})
	if err != nil {
		t.Fatal(err)
	}
	w := want(objs, tr.Folders(), tr.Regions)
	if !slices.Equal(keys, w) {
		t.Errorf("listed %d keys, want %d", len(keys), len(w))
	}
	if len(w) != len(objs)-1 || !slices.Contains(keys, s3test.CorruptKey) || slices.Contains(keys, s3test.DigestKey) {
		t.Errorf("want every object but the digest file: %d of %d", len(w), len(objs))
	}
}

func TestListPaginates(t *testing.T) {
	srv, client, objs := fakeBucket(t)
	tr := s3test.Default()
	keys, err := list(t, client, "s3://"+bucket+"/", Selection{PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if w := want(objs, tr.Folders(), tr.Regions); !slices.Equal(keys, w) {
		t.Errorf("with 3 keys a page: listed %d keys, want %d", len(keys), len(w))
	}
	// 4 trails x 2 Regions, each Region folder 7 days x 3 files (+1 corrupt) = 21 or 22 keys:
	// 8 pages each; far more calls than the 1+1+4+8 of unpaginated listing.
	if got := len(srv.Lists()); got < 8*8 {
		t.Errorf("%d ListObjectsV2 calls: pagination not exercised", got)
	}
}

func TestListUnderAnOrganizationPrefixOrADay(t *testing.T) {
	_, client, objs := fakeBucket(t)
	tr := s3test.Default()
	keys, err := list(t, client, "s3://"+bucket+"/AWSLogs/o-abcdefghij", Selection{})
	if err != nil {
		t.Fatal(err)
	}
	org := tr.Folders()[2:]
	if w := want(objs, org, tr.Regions); !slices.Equal(keys, w) {
		t.Errorf("org prefix: listed %d keys, want %d", len(keys), len(w))
	}
	keys, err = list(t, client, "s3://"+bucket+"/AWSLogs/o-abcdefghij/444444444444/CloudTrail/eu-west-1/2024/03/", Selection{Until: time.Date(2024, 3, 3, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if w := want(objs, org[1:], []string{"eu-west-1"}, "2024/03/01", "2024/03/02", "2024/03/03"); !slices.Equal(keys, w) || len(w) != 8 {
		t.Errorf("day prefix: listed %v\nwant %v", keys, w)
	}
}

func TestListFailsWithTheReason(t *testing.T) {
	_, client, _ := fakeBucket(t)
	_, err := list(t, client, "s3://no-such-bucket/", Selection{})
	if err == nil || !strings.Contains(err.Error(), "listing s3://no-such-bucket/AWSLogs/: NoSuchBucket") {
		t.Errorf("got %v, want the listed prefix and NoSuchBucket", err)
	}
	_, err = list(t, client, "s3://"+bucket+"/elsewhere/", Selection{})
	if err == nil || !strings.Contains(err.Error(), "s3://trail-bucket/elsewhere/AWSLogs/: no account or organization folders") {
		t.Errorf("got %v, want no account folders under the prefix", err)
	}
}

func TestOpenExplainsS3Errors(t *testing.T) {
	srv, client, _ := fakeBucket(t)
	srv.Fail(s3test.CorruptKey, http.StatusForbidden, "AccessDenied", "Access Denied")
	_, err := Open(context.Background(), client, bucket, s3test.CorruptKey)
	if err == nil || !strings.HasPrefix(err.Error(), "GetObject: AccessDenied: Access Denied (HTTP 403); needs s3:ListBucket and s3:GetObject") {
		t.Errorf("got %v", err)
	}
	_, err = Open(context.Background(), client, bucket, "AWSLogs/gone.json.gz")
	if err == nil || !strings.HasPrefix(err.Error(), "GetObject: NoSuchKey") {
		t.Errorf("got %v", err)
	}
}

func TestLocate(t *testing.T) {
	tests := []struct {
		prefix string
		want   path
		err    string
	}{
		{"", path{root: "AWSLogs/"}, ""},
		{"/", path{root: "AWSLogs/"}, ""},
		{"trails/main", path{root: "trails/main/AWSLogs/"}, ""},
		{"AWSLogs", path{root: "AWSLogs/"}, ""},
		{"x/AWSLogs/o-abcdefghij/", path{root: "x/AWSLogs/", org: "o-abcdefghij"}, ""},
		{"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03", path{root: "AWSLogs/", account: "111111111111", region: "us-east-1", date: []string{"2024", "03"}}, ""},
		{"AWSLogs/1111", path{}, `"1111" is neither an account ID`},
		{"AWSLogs/111111111111/CloudTrail-Digest/", path{}, `"CloudTrail-Digest" holds no log files`},
		{"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/01/x", path{}, "goes past the day folder"},
	}
	for _, tt := range tests {
		got, err := locate(tt.prefix)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrBadURL) {
				t.Errorf("locate(%q) = %v, want error containing %q", tt.prefix, err, tt.err)
			}
			continue
		}
		if err != nil || got.root != tt.want.root || got.org != tt.want.org || got.account != tt.want.account || got.region != tt.want.region || !slices.Equal(got.date, tt.want.date) {
			t.Errorf("locate(%q) = %+v, %v; want %+v", tt.prefix, got, err, tt.want)
		}
	}
}

func TestParseURL(t *testing.T) {
	if u, err := ParseURL("s3://my-trail.bucket/AWSLogs/"); err != nil || u.Bucket != "my-trail.bucket" || u.Prefix != "AWSLogs/" {
		t.Errorf("got %+v, %v", u, err)
	}
	for in, msg := range map[string]string{
		"s3://":           `"" is not a bucket name`,
		"s3://My_Bucket/": `"My_Bucket" is not a bucket name`,
		"http://x/":       "want s3://BUCKET/[PREFIX]",
	} {
		if _, err := ParseURL(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseURL(%q) = %v, want %q", in, err, msg)
		}
	}
}
