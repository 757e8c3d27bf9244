package s3test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Trail describes the generated bucket: which trails (account folders), Regions and days hold log
// files. Keys follow the CloudTrail log file name format
// ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz (CloudTrail user guide, "CloudTrail log
// file examples").
type Trail struct {
	// Accounts are folders of a trail of one account: AWSLogs/ACCOUNT/...
	Accounts []string
	// Org and OrgAccounts make an organization trail: AWSLogs/o-ORGID/ACCOUNT/...
	Org         string
	OrgAccounts []string
	Regions     []string
	Days        []time.Time
	// FilesPerDay log files per Region and day; the last one is delivered just after midnight of
	// the next day and holds records of the last minutes of the day.
	FilesPerDay int
	// RecordsPerFile in each log file.
	RecordsPerFile int
}

// Default is a bucket with both layouts, old days far before the recent ones, and five recent
// consecutive days.
func Default() Trail {
	days := []time.Time{date(2020, 6, 15), date(2022, 1, 10)}
	for d := 1; d <= 5; d++ {
		days = append(days, date(2024, 3, d))
	}
	return Trail{
		Accounts:       []string{"111111111111", "222222222222"},
		Org:            "o-abcdefghij",
		OrgAccounts:    []string{"333333333333", "444444444444"},
		Regions:        []string{"eu-west-1", "us-east-1"},
		Days:           days,
		FilesPerDay:    3,
		RecordsPerFile: 20,
	}
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// Special keys of the generated bucket.
const (
	// DigestKey is a digest file: never listed.
	DigestKey = "AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2024/03/03/111111111111_CloudTrail-Digest_us-east-1_main_us-east-1_20240303T010000Z.json.gz"
	// CorruptKey is a log file whose gzip stream is cut in the middle.
	CorruptKey = "AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/03/111111111111_CloudTrail_us-east-1_20240303T1305Z_corrupt00000000.json.gz"
)

// Folder is one account's CloudTrail/ folder prefix, e.g. "AWSLogs/o-abcdefghij/333333333333/CloudTrail/".
func (tr Trail) Folders() []string {
	var f []string
	for _, a := range tr.Accounts {
		f = append(f, "AWSLogs/"+a+"/CloudTrail/")
	}
	for _, a := range tr.OrgAccounts {
		f = append(f, "AWSLogs/"+tr.Org+"/"+a+"/CloudTrail/")
	}
	return f
}

// Objects generates every object of the bucket, by key: log files, DigestKey and CorruptKey.
func (tr Trail) Objects() map[string][]byte {
	objs := map[string][]byte{}
	n := 0
	for _, folder := range tr.Folders() {
		account := strings.TrimSuffix(folder, "/CloudTrail/")
		account = account[strings.LastIndex(account, "/")+1:]
		for _, region := range tr.Regions {
			for _, day := range tr.Days {
				for f := 0; f < tr.FilesPerDay; f++ {
					// Records of hour 2f+1; the last file is delivered after midnight.
					start := day.Add(time.Duration(2*f+1) * time.Hour)
					step := time.Minute
					delivered := start.Add(65 * time.Minute)
					if f == tr.FilesPerDay-1 {
						start = day.Add(23*time.Hour + 50*time.Minute)
						step = 9 * time.Minute / time.Duration(max(tr.RecordsPerFile, 1))
						delivered = day.Add(24*time.Hour + 5*time.Minute)
					}
					key := fmt.Sprintf("%s%s/%s/%s_CloudTrail_%s_%s_%08x.json.gz", folder, region,
						delivered.Format("2006/01/02"), account, region, delivered.Format("20060102T1504Z"), n)
					objs[key] = gz(logFile(account, region, start, step, tr.RecordsPerFile, n))
					n++
				}
			}
		}
	}
	objs[DigestKey] = gz([]byte(`{"awsAccountId":"111111111111","digestStartTime":"2024-03-03T00:00:00Z","digestEndTime":"2024-03-03T01:00:00Z","logFiles":[]}`))
	whole := gz(logFile("111111111111", "us-east-1", date(2024, 3, 3).Add(12*time.Hour), time.Second, 200, 99999))
	objs[CorruptKey] = whole[:len(whole)/2]
	return objs
}

// Keys returns the keys of objs, sorted.
func Keys(objs map[string][]byte) []string {
	keys := make([]string, 0, len(objs))
	for k := range objs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// events cycle through calls several alarms watch and some they do not.
var events = []struct{ source, name, extra string }{
	{"signin.amazonaws.com", "ConsoleLogin", `,"errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"}`},
	{"ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", ``},
	{"ec2.amazonaws.com", "RunInstances", `,"requestParameters":{"instanceType":"m5.8xlarge"}`},
	{"ec2.amazonaws.com", "DescribeInstances", ``},
	{"iam.amazonaws.com", "CreatePolicy", ``},
	{"cloudtrail.amazonaws.com", "StopLogging", ``},
	{"s3.amazonaws.com", "GetObject", `,"errorCode":"AccessDenied","errorMessage":"Access Denied"`},
	{"sts.amazonaws.com", "AssumeRole", ``},
}

// logFile is a CloudTrail log file: {"Records":[...]} with records step apart from start.
func logFile(account, region string, start time.Time, step time.Duration, records, seed int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"Records":[`)
	for i := 0; i < records; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		e := events[(seed+i)%len(events)]
		fmt.Fprintf(&b, `{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDA%d","arn":"arn:aws:iam::%s:user/user%d","accountId":"%s","userName":"user%d"},"eventTime":"%s","eventSource":"%s","eventName":"%s","awsRegion":"%s","sourceIPAddress":"198.51.100.%d","userAgent":"aws-cli/2"%s,"eventID":"%08x-%04x","eventType":"AwsApiCall","recipientAccountId":"%s"}`,
			seed%7, account, (seed+i)%5, account, (seed+i)%5, start.Add(time.Duration(i)*step).Format(time.RFC3339),
			e.source, e.name, region, (seed*3+i)%250, e.extra, seed, i, account)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}
