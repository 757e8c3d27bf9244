package s3input

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/trailwatch/trailwatch/internal/s3input/s3test"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// Without Until, the range ends at Selection.Now (the clock): a later day is not listed.
func TestListsUpToNowWithoutUntil(t *testing.T) {
	_, client, objs := fakeBucket(t)
	now := func() time.Time { return time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC) }
	keys, err := list(t, client, "s3://"+bucket+"/AWSLogs/111111111111/", Selection{Since: time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	folders := []string{"AWSLogs/111111111111/CloudTrail/"}
	if w := want(objs, folders, s3test.Default().Regions, "2024/03/04"); !slices.Equal(keys, w) || len(w) == 0 {
		t.Errorf("listed %v\nwant %v", keys, w)
	}
}

// A prefix naming an account that the one selected account is not lists nothing.
func TestListsNothingForAnAccountNotSelected(t *testing.T) {
	srv, client, _ := fakeBucket(t)
	keys, err := list(t, client, "s3://"+bucket+"/AWSLogs/111111111111/", Selection{Accounts: []string{"333333333333"}})
	if err != nil || len(keys) != 0 || len(srv.Lists()) != 0 {
		t.Errorf("listed %v (err %v) in %d calls, want nothing", keys, err, len(srv.Lists()))
	}
}

// failingAPI is the fake bucket with one listing prefix answering an S3 error.
type failingAPI struct {
	API
	prefix string
}

func (f failingAPI) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	if aws.ToString(in.Prefix) == f.prefix {
		return nil, &smithy.GenericAPIError{Code: "SlowDown", Message: "Please reduce your request rate."}
	}
	return f.API.ListObjectsV2(ctx, in, opts...)
}

// Whichever listing fails (an organization's accounts, an account's Regions, a Region's files, one
// day folder), List stops there and says what it was listing; the files found before are kept.
func TestListStopsAtTheFailingListing(t *testing.T) {
	march2 := Selection{Since: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), Until: time.Date(2024, 3, 3, 0, 0, 0, 0, time.UTC)}
	acct := "AWSLogs/111111111111/CloudTrail/"
	tests := []struct {
		url, fail string
		sel       Selection
		before    int // keys listed before the failure
	}{
		{"s3://" + bucket + "/", "AWSLogs/o-abcdefghij/", march2, 0},
		{"s3://" + bucket + "/AWSLogs/o-abcdefghij/", "AWSLogs/o-abcdefghij/", Selection{}, 0},
		{"s3://" + bucket + "/AWSLogs/111111111111/", acct, Selection{}, 0},
		{"s3://" + bucket + "/AWSLogs/111111111111/", acct + "us-east-1/", Selection{}, 21},          // eu-west-1's 7 days x 3 files first
		{"s3://" + bucket + "/AWSLogs/111111111111/", acct + "us-east-1/2024/03/02/", march2, 3 + 3}, // eu-west-1's two days (the 2nd and, for late deliveries, the 3rd)
	}
	for _, tt := range tests {
		_, client, _ := fakeBucket(t)
		keys, err := list(t, failingAPI{client, tt.fail}, tt.url, tt.sel)
		want := "listing s3://" + bucket + "/" + tt.fail + ": SlowDown: Please reduce your request rate."
		if err == nil || err.Error() != want || len(keys) != tt.before {
			t.Errorf("%s, %s failing: %d keys, error %v; want %d keys, error %q", tt.url, tt.fail, len(keys), err, tt.before, want)
		}
	}
}

// A prefix that names a Region lists that Region only if the selection allows it, and asks S3
// for nothing when it does not.
func TestListsARegionPrefixOnlyWhenSelected(t *testing.T) {
	srv, client, objs := fakeBucket(t)
	u := "s3://" + bucket + "/AWSLogs/111111111111/CloudTrail/us-east-1/"
	keys, err := list(t, client, u, Selection{Regions: []string{"eu-west-1"}})
	if err != nil || len(keys) != 0 || len(srv.Lists()) != 0 {
		t.Errorf("Regions eu-west-1, us-east-1 prefix: listed %v (err %v) in %d calls, want nothing", keys, err, len(srv.Lists()))
	}
	keys, err = list(t, client, u, Selection{Regions: []string{"eu-west-1", "us-east-1"}})
	w := want(objs, []string{"AWSLogs/111111111111/CloudTrail/"}, []string{"us-east-1"})
	if err != nil || !slices.Equal(keys, w) || len(w) != 22 {
		t.Errorf("Regions eu-west-1,us-east-1: listed %v (err %v)\nwant %v", keys, err, w)
	}
}

// A folder marker the console makes ("2024/03/03/") is not a log file; a key outside the day
// layout is kept even with a range (its content decides), and a day folder is compared as a date.
func TestListSkipsFolderMarkersAndKeepsOddKeys(t *testing.T) {
	srv, client, _ := fakeBucket(t)
	region := "AWSLogs/111111111111/CloudTrail/us-east-1/"
	for _, k := range []string{region + "2024/03/03/", region + "notes.txt", region + "2024/3/09/x.json", region + "2024/03/01/", region + "2024/03/02/y.json"} {
		srv.Put(t, k, []byte("{}"))
	}
	keys, err := list(t, client, "s3://"+bucket+"/"+region, Selection{Until: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var odd []string
	for _, k := range keys {
		if !strings.HasSuffix(k, ".json.gz") {
			odd = append(odd, strings.TrimPrefix(k, region))
		}
	}
	// Until March 1st plus the delivery slack: days past March 1st are left out.
	if got := strings.Join(odd, " "); got != "2024/3/09/x.json notes.txt" {
		t.Errorf("keys other than log files: %q, want the two outside the day layout", got)
	}
	for _, k := range keys {
		if strings.Contains(k, "/2024/03/0") && !strings.Contains(k, "/2024/03/01/") {
			t.Errorf("listed %s, past the range", k)
		}
	}
}

// A URL built without ParseURL is still checked: a prefix outside the layout lists nothing.
func TestListRejectsABadPrefix(t *testing.T) {
	srv, client, _ := fakeBucket(t)
	err := List(context.Background(), client, URL{Bucket: bucket, Prefix: "AWSLogs/1111/"}, Selection{}, func(Object) { t.Error("listed an object") })
	if !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), `"1111" is neither an account ID`) || len(srv.Lists()) != 0 {
		t.Errorf("got %v after %d calls, want ErrBadURL before any call", err, len(srv.Lists()))
	}
}

// Open returns the object's bytes as stored.
func TestOpenReadsTheObject(t *testing.T) {
	_, client, objs := fakeBucket(t)
	rc, err := Open(context.Background(), client, bucket, s3test.CorruptKey)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, objs[s3test.CorruptKey]) {
		t.Errorf("read %d bytes (err %v), want the %d stored", len(got), err, len(objs[s3test.CorruptKey]))
	}
}

// Explain gives S3's code and message, the HTTP status when there is one, and the hint for 403
// and 301; an error that is neither is kept as it is.
func TestExplain(t *testing.T) {
	httpErr := func(status int, code, msg string) error {
		return &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
			Err:      &smithy.GenericAPIError{Code: code, Message: msg},
		}}
	}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{errors.New("dial tcp: connection refused"), "dial tcp: connection refused"},
		{&smithy.GenericAPIError{Code: "SlowDown"}, "SlowDown"},
		{httpErr(404, "NoSuchBucket", "The specified bucket does not exist"), "NoSuchBucket: The specified bucket does not exist (HTTP 404)"},
		{httpErr(403, "AccessDenied", ""), "AccessDenied (HTTP 403); needs s3:ListBucket and s3:GetObject on the bucket (and kms:Decrypt for SSE-KMS log files)"},
		{httpErr(301, "PermanentRedirect", "Use the right endpoint"), "PermanentRedirect: Use the right endpoint (HTTP 301); the bucket is in another Region: give it with --region"},
	} {
		if got := Explain(tt.err); got != tt.want {
			t.Errorf("Explain(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// IsURL is the scheme test the CLI splits its arguments with; String gives the URL back.
func TestURLForms(t *testing.T) {
	for arg, want := range map[string]bool{"s3://b/": true, "s3://": true, "S3://b/": false, "./s3://b": false, "b": false} {
		if IsURL(arg) != want {
			t.Errorf("IsURL(%q) = %v", arg, !want)
		}
	}
	u, err := ParseURL("s3://my-bucket/trails/AWSLogs/")
	if err != nil || u.String() != "s3://my-bucket/trails/AWSLogs/" {
		t.Errorf("ParseURL(...).String() = %q, %v", u.String(), err)
	}
	if _, err := ParseURL("s3://my-bucket/AWSLogs/111111111111/Digest/"); !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), `"Digest" holds no log files`) {
		t.Errorf("a prefix outside the layout: got %v", err)
	}
}

// Day folders start at UTC midnight whatever the zone of the times given: 01:00 in UTC+2 is
// still the previous UTC day.
func TestDayIsTheUTCDay(t *testing.T) {
	zone := time.FixedZone("UTC+2", 2*3600)
	for in, want := range map[time.Time]string{
		time.Date(2024, 3, 2, 1, 0, 0, 0, zone):          "2024-03-01T00:00:00Z",
		time.Date(2024, 3, 2, 23, 59, 59, 999, time.UTC): "2024-03-02T00:00:00Z",
		time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC):      "2024-03-02T00:00:00Z",
		time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC):    "2024-02-29T00:00:00Z",
	} {
		if got := day(in).Format(time.RFC3339Nano); got != want {
			t.Errorf("day(%v) = %s, want %s", in, got, want)
		}
	}
}

// shuffledAPI answers the Region discovery of one account with the Regions out of order and one
// repeated on a second page, as a store that does not sort its common prefixes could.
type shuffledAPI struct{ API }

func (f shuffledAPI) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	const folder = "AWSLogs/111111111111/CloudTrail/"
	if aws.ToString(in.Prefix) != folder || aws.ToString(in.Delimiter) != "/" {
		return f.API.ListObjectsV2(ctx, in, opts...)
	}
	if in.ContinuationToken == nil {
		return &s3.ListObjectsV2Output{IsTruncated: aws.Bool(true), NextContinuationToken: aws.String("page2"),
			CommonPrefixes: []s3types.CommonPrefix{{Prefix: aws.String(folder + "us-east-1/")}, {Prefix: aws.String(folder + "eu-west-1/")}}}, nil
	}
	return &s3.ListObjectsV2Output{CommonPrefixes: []s3types.CommonPrefix{{Prefix: aws.String(folder + "eu-west-1/")}}}, nil
}

// List gives keys in key order, each once, whatever order the folders are listed in.
func TestListsInKeyOrderWhateverTheServerOrder(t *testing.T) {
	_, client, objs := fakeBucket(t)
	keys, err := list(t, shuffledAPI{client}, "s3://"+bucket+"/AWSLogs/111111111111/", Selection{})
	w := want(objs, []string{"AWSLogs/111111111111/CloudTrail/"}, []string{"eu-west-1", "us-east-1"})
	if err != nil || !slices.Equal(keys, w) {
		t.Errorf("listed %d keys (err %v), want %d in key order:\n%s", len(keys), err, len(w), strings.Join(keys, "\n"))
	}
}

// recordingAPI keeps the MaxKeys of every listing.
type recordingAPI struct {
	API
	maxKeys []*int32
}

func (r *recordingAPI) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	r.maxKeys = append(r.maxKeys, in.MaxKeys)
	return r.API.ListObjectsV2(ctx, in, opts...)
}

// Without a page size S3 chooses (MaxKeys is not sent: MaxKeys 0 would ask for no keys at all);
// with one, every listing asks for it.
func TestPageSizeIsSentOnlyWhenSet(t *testing.T) {
	_, client, _ := fakeBucket(t)
	for _, size := range []int32{0, 1, 7} {
		api := &recordingAPI{API: client}
		if _, err := list(t, api, "s3://"+bucket+"/AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/01/", Selection{PageSize: size}); err != nil {
			t.Fatal(err)
		}
		for _, mk := range api.maxKeys {
			if size == 0 && mk != nil || size > 0 && (mk == nil || *mk != size) {
				t.Errorf("PageSize %d: MaxKeys %v", size, mk)
			}
		}
		if len(api.maxKeys) == 0 {
			t.Errorf("PageSize %d: no listing", size)
		}
	}
}

// A prefix that names a year lists that year only.
func TestListUnderAYearPrefix(t *testing.T) {
	_, client, objs := fakeBucket(t)
	for _, year := range []string{"2024", "2022"} {
		keys, err := list(t, client, "s3://"+bucket+"/AWSLogs/111111111111/CloudTrail/us-east-1/"+year+"/", Selection{})
		var w []string
		for _, k := range want(objs, []string{"AWSLogs/111111111111/CloudTrail/"}, []string{"us-east-1"}) {
			if strings.Contains(k, "/us-east-1/"+year+"/") {
				w = append(w, k)
			}
		}
		if err != nil || !slices.Equal(keys, w) || len(w) == 0 {
			t.Errorf("%s: listed %v (err %v)\nwant %v", year, keys, err, w)
		}
	}
}

// A prefix may stop at CloudTrail/ or go down to the day folder, and no further.
func TestLocateDepths(t *testing.T) {
	for prefix, want := range map[string]path{
		"AWSLogs/111111111111/CloudTrail/":                     {root: "AWSLogs/", account: "111111111111"},
		"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/01": {root: "AWSLogs/", account: "111111111111", region: "us-east-1", date: []string{"2024", "03", "01"}},
		"AWSLogs/111111111111/CloudTrail/us-east-1/2024":       {root: "AWSLogs/", account: "111111111111", region: "us-east-1", date: []string{"2024"}},
	} {
		got, err := locate(prefix)
		if err != nil || got.root != want.root || got.account != want.account || got.region != want.region || !slices.Equal(got.date, want.date) {
			t.Errorf("locate(%q) = %+v, %v; want %+v", prefix, got, err, want)
		}
	}
}
