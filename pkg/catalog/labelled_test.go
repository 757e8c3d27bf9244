package catalog_test

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// repoRecords are realistic CloudTrail records kept in the repository, so the conformance below
// runs from a plain clone (the shared corpus, when present beside the checkout, is extra evidence:
// corpus_test.go).
const repoRecords = "../filterpattern/testdata/cloudtrail.jsonl"

// readRepoRecords reads repoRecords; a missing file fails the test, it never skips it.
func readRepoRecords(t *testing.T) [][]byte {
	t.Helper()
	f, err := os.Open(repoRecords)
	if err != nil {
		t.Fatalf("the repository's records: %v", err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, slices.Clone(sc.Bytes()))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// repoLabels are the built-in alarms each line of repoRecords must set off, labelled by hand from
// the record (event source and name, error code, identity type) and the patterns in
// docs/alarms.md — not by running the engine.
var repoLabels = map[int][]string{
	1:  {"EC2InstanceChanges", "EC2LargeInstanceChanges"},              // RunInstances, m5.8xlarge
	2:  {"ConsoleSignInFailures", "Cis6ConsoleAuthenticationFailures"}, // ConsoleLogin, "Failed authentication"
	3:  nil,                                                            // sts AssumeRole by a service
	4:  nil,                                                            // s3 GetObject
	5:  {"AuthorizationFailures", "Cis2UnauthorizedApiCalls"},          // DescribeInstances, Client.UnauthorizedOperation
	6:  {"IAMPolicyChanges", "Cis4IamPolicyChanges"},                   // PutRolePolicy
	7:  {"SecurityGroupChanges", "Cis10SecurityGroupChanges"},          // AuthorizeSecurityGroupIngress
	8:  nil,                                                            // kms Decrypt by a service
	9:  {"VpcChanges", "Cis14VpcChanges"},                              // CreateVpc
	10: nil,                                                            // s3 ListBuckets
	11: {"CloudTrailChanges", "Cis5CloudTrailChanges"},                 // StopLogging
	// PutBucketPolicy denied: an authorization failure, and CIS 8 counts the attempt (its pattern
	// does not look at errorCode).
	12: {"AuthorizationFailures", "Cis2UnauthorizedApiCalls", "Cis8S3BucketPolicyChanges"},
	13: nil,                                             // dynamodb UpdateItem
	14: {"NetworkAclChanges", "Cis11NetworkAclChanges"}, // CreateNetworkAclEntry
	15: nil,                                             // sts GetCallerIdentity
}

// handRecords are records written for this test: the alarms the repository's records above do not
// reach, each with its label.
var handRecords = []struct {
	record string
	want   []string
}{
	{`{"eventVersion":"1.09","userIdentity":{"type":"Root","principalId":"123456789012","arn":"arn:aws:iam::123456789012:root","accountId":"123456789012"},"eventSource":"iam.amazonaws.com","eventName":"ListUsers","eventType":"AwsApiCall","recipientAccountId":"123456789012"}`,
		[]string{"Cis1RootUsage"}},
	{`{"eventVersion":"1.09","userIdentity":{"type":"Root","principalId":"123456789012","arn":"arn:aws:iam::123456789012:root","accountId":"123456789012","invokedBy":"support.amazonaws.com"},"eventSource":"iam.amazonaws.com","eventName":"ListUsers","eventType":"AwsApiCall","recipientAccountId":"123456789012"}`,
		nil}, // root, but through an AWS service
	{`{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","accountId":"123456789012","userName":"lee"},"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No"},"eventType":"AwsConsoleSignIn","recipientAccountId":"123456789012"}`,
		[]string{"Cis3ConsoleSignInWithoutMfa"}},
	{`{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","accountId":"123456789012","userName":"lee"},"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"Yes"},"eventType":"AwsConsoleSignIn","recipientAccountId":"123456789012"}`,
		nil},
	{`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","accountId":"123456789012"},"eventSource":"kms.amazonaws.com","eventName":"ScheduleKeyDeletion","requestParameters":{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab","pendingWindowInDays":7},"eventType":"AwsApiCall","recipientAccountId":"123456789012"}`,
		[]string{"Cis7DisableOrDeleteCmk"}},
	{`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","accountId":"123456789012"},"eventSource":"config.amazonaws.com","eventName":"StopConfigurationRecorder","requestParameters":{"configurationRecorderName":"default"},"eventType":"AwsApiCall","recipientAccountId":"123456789012"}`,
		[]string{"Cis9ConfigChanges"}},
	{`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","accountId":"123456789012"},"eventSource":"ec2.amazonaws.com","eventName":"CreateRoute","requestParameters":{"routeTableId":"rtb-0123456789abcdef0","destinationCidrBlock":"0.0.0.0/0"},"eventType":"AwsApiCall","recipientAccountId":"123456789012"}`,
		[]string{"Cis13RouteTableChanges"}},
	{`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","accountId":"123456789012"},"eventSource":"ec2.amazonaws.com","eventName":"AttachInternetGateway","requestParameters":{"internetGatewayId":"igw-0123456789abcdef0","vpcId":"vpc-0123456789abcdef0"},"eventType":"AwsApiCall","recipientAccountId":"123456789012"}`,
		[]string{"GatewayChanges", "Cis12NetworkGatewayChanges"}},
	{`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","accountId":"123456789012"},"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","requestParameters":{"instanceType":"t3.micro"},"eventType":"AwsApiCall","recipientAccountId":"123456789012"}`,
		[]string{"EC2InstanceChanges"}},
}

// Every built-in alarm, on labelled records kept in the repository: each record sets off exactly
// its labelled alarms, and every alarm is set off by at least one record.
func TestLabelledRecordsSetOffExactlyTheirAlarms(t *testing.T) {
	rows := allRows()
	patterns := make([]*filterpattern.Pattern, len(rows))
	for i, a := range rows {
		patterns[i] = must(t, a.Pattern)
	}
	type labelled struct {
		where  string
		record []byte
		want   []string
	}
	var all []labelled
	records := readRepoRecords(t)
	if len(records) != len(repoLabels) {
		t.Fatalf("%s has %d records, %d are labelled", repoRecords, len(records), len(repoLabels))
	}
	for i, r := range records {
		all = append(all, labelled{fmt.Sprintf("%s line %d", repoRecords, i+1), r, repoLabels[i+1]})
	}
	for i, h := range handRecords {
		all = append(all, labelled{fmt.Sprintf("hand record %d", i+1), []byte(h.record), h.want})
	}
	seen := map[string]bool{}
	for _, l := range all {
		var got []string
		for i, p := range patterns {
			if p.Match(l.record) {
				got = append(got, rows[i].ID)
				seen[rows[i].ID] = true
			}
		}
		want := slices.Sorted(slices.Values(l.want))
		if got := slices.Sorted(slices.Values(got)); !slices.Equal(got, want) {
			t.Errorf("%s: sets off %v, labelled %v", l.where, got, want)
		}
	}
	for _, a := range rows {
		if !seen[a.ID] {
			t.Errorf("%s: no labelled record sets it off", a.ID)
		}
	}
}
