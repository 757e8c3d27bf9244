package catalog

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

// rowPin is what a built-in row must be, written out here by hand (descriptions as the first 16 hex
// digits of their SHA-256, and so are the example records), so a change to the catalog must be made twice, on purpose: once in the
// data and once here. The patterns are pinned in patternPins.
type rowPin struct {
	id, metric, alarmName, namespace string
	threshold                        float64
	period                           int
	supersedes                       string
	descEN, descJA                   string
	examples                         string // the Fires then the Quiet records, in order
}

var rowPins = []rowPin{
	{"SecurityGroupChanges", "SecurityGroupEventCount", "CloudTrailSecurityGroupChanges", "", 1, 0, "", "dce945ae76dfc89e", "0b13929389caf05c", "6c360c2f42b88722"},
	{"NetworkAclChanges", "NetworkAclEventCount", "CloudTrailNetworkAclChanges", "", 1, 0, "", "9a8fbb85ed165d38", "7ff74ccef8189e30", "89b4e519a058b0dc"},
	{"GatewayChanges", "GatewayEventCount", "CloudTrailGatewayChanges", "", 1, 0, "", "c14edd3f8c5132f4", "abbfd44138c93d29", "0ad2a59205fcea41"},
	{"VpcChanges", "VpcEventCount", "CloudTrailVpcChanges", "", 1, 0, "", "9032f547d3e234b0", "2822c69da4756c1b", "3f9671d4ba3e4d79"},
	{"EC2InstanceChanges", "EC2InstanceEventCount", "CloudTrailEC2InstanceChanges", "", 1, 0, "", "d2e364e6500def41", "fb81244063350260", "0df101de4efdd9aa"},
	{"EC2LargeInstanceChanges", "EC2LargeInstanceEventCount", "CloudTrailEC2LargeInstanceChanges", "", 1, 0, "", "15acce0c48ccf970", "eb8c67ef4ee83d33", "824efb3f533fb8a6"},
	{"CloudTrailChanges", "CloudTrailEventCount", "CloudTrailChanges", "", 1, 0, "", "96add894b1140080", "6ebf95863a7fc3b4", "0e024e037074157e"},
	{"ConsoleSignInFailures", "ConsoleSignInFailureCount", "CloudTrailConsoleSignInFailures", "", 3, 0, "", "1a67d62d570d1930", "38b7638f45e287d1", "58a14e4f05019e01"},
	{"AuthorizationFailures", "AuthorizationFailureCount", "CloudTrailAuthorizationFailures", "", 1, 0, "", "95c21eb154eca896", "3f2f2d2a85707727", "c58c96ffe47df1b5"},
	{"IAMPolicyChanges", "IAMPolicyEventCount", "CloudTrailIAMPolicyChanges", "", 1, 0, "", "b5eee6a7f035dbec", "4301f91aa6f8abd6", "051a3807096ee1dc"},
	{"Cis1RootUsage", "RootAccountUsageCount", "CIS-CloudWatch.1-RootAccountUsage", "LogMetrics", 1, 0, "", "e0cd30454e997c44", "34b97883f46a7aa9", "8ee5939cc77a6482"},
	{"Cis2UnauthorizedApiCalls", "UnauthorizedAPICallsCount", "CIS-CloudWatch.2-UnauthorizedAPICalls", "LogMetrics", 1, 0, "AuthorizationFailures", "347f4d290fbd9045", "fb747e09e1ee9ada", "c58c96ffe47df1b5"},
	{"Cis3ConsoleSignInWithoutMfa", "ConsoleSignInWithoutMFACount", "CIS-CloudWatch.3-ConsoleSignInWithoutMFA", "LogMetrics", 1, 0, "", "f6fc6b44be75e116", "5a174eed3dbefcdd", "95cb1b6447a542bd"},
	{"Cis4IamPolicyChanges", "IAMPolicyChangesCount", "CIS-CloudWatch.4-IAMPolicyChanges", "LogMetrics", 1, 0, "IAMPolicyChanges", "94d7b0caeee7fff3", "cb22e4ee8234325a", "051a3807096ee1dc"},
	{"Cis5CloudTrailChanges", "CloudTrailConfigChangesCount", "CIS-CloudWatch.5-CloudTrailConfigChanges", "LogMetrics", 1, 0, "CloudTrailChanges", "3cf2c13a6a5013b2", "d1221c84312a2f3e", "0e024e037074157e"},
	{"Cis6ConsoleAuthenticationFailures", "ConsoleAuthenticationFailureCount", "CIS-CloudWatch.6-ConsoleAuthenticationFailures", "LogMetrics", 3, 0, "ConsoleSignInFailures", "6cae9873eada3fe1", "0be79c6f011adc4c", "58a14e4f05019e01"},
	{"Cis7DisableOrDeleteCmk", "DisableOrDeleteCMKCount", "CIS-CloudWatch.7-DisableOrDeleteCMK", "LogMetrics", 1, 0, "", "a270568a10458b7d", "aa8ebafceeb92922", "f06c8a8c84bf997c"},
	{"Cis8S3BucketPolicyChanges", "S3BucketPolicyChangesCount", "CIS-CloudWatch.8-S3BucketPolicyChanges", "LogMetrics", 1, 0, "", "3cb52a1b31594750", "c77d58d1030cd120", "a159f742c8281a08"},
	{"Cis9ConfigChanges", "AWSConfigChangesCount", "CIS-CloudWatch.9-AWSConfigChanges", "LogMetrics", 1, 0, "", "696e94974cb57514", "0e418989f8338b9c", "c3fcf0f8179d27f2"},
	{"Cis10SecurityGroupChanges", "SecurityGroupChangesCount", "CIS-CloudWatch.10-SecurityGroupChanges", "LogMetrics", 1, 0, "SecurityGroupChanges", "04e33803641d2601", "894d21441fdb89a1", "6c360c2f42b88722"},
	{"Cis11NetworkAclChanges", "NACLChangesCount", "CIS-CloudWatch.11-NACLChanges", "LogMetrics", 1, 0, "NetworkAclChanges", "f949efa0fba75fa9", "b108add0d401468f", "89b4e519a058b0dc"},
	{"Cis12NetworkGatewayChanges", "NetworkGatewayChangesCount", "CIS-CloudWatch.12-NetworkGatewayChanges", "LogMetrics", 1, 0, "GatewayChanges", "db79a1c6333aa917", "2f9187d13fa181ae", "0ad2a59205fcea41"},
	{"Cis13RouteTableChanges", "RouteTableChangesCount", "CIS-CloudWatch.13-RouteTableChanges", "LogMetrics", 1, 0, "", "d28e164de10168f3", "9814c55ac5547ce9", "3c9c156828abe3b6"},
	{"Cis14VpcChanges", "VPCChangesCount", "CIS-CloudWatch.14-VPCChanges", "LogMetrics", 1, 0, "VpcChanges", "eb38dee77769ae57", "25aa59465c48941e", "3f9671d4ba3e4d79"},
}

func shortHash(s string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(s)))[:16] }

// The built-in rows, in order, field by field against the pins.
func TestBuiltInRowsArePinned(t *testing.T) {
	rows := append(AWS(), CIS()...)
	if len(rows) != len(rowPins) {
		t.Fatalf("%d built-in rows, %d pins", len(rows), len(rowPins))
	}
	for i, a := range rows {
		p := rowPins[i]
		got := rowPin{a.ID, a.MetricName, a.AlarmName, a.Namespace, a.Threshold, a.PeriodSeconds, a.Supersedes,
			shortHash(a.Description["en"]), shortHash(a.Description["ja"]),
			shortHash(strings.Join(a.Fires, "\n") + "\x00" + strings.Join(a.Quiet, "\n"))}
		if got != p {
			t.Errorf("row %d differs from its pin:\n got: %+v\npin: %+v", i, got, p)
		}
	}
}

// The namespaces are API (dashboards and Security Hub look metrics up by them).
func TestNamespacesArePinned(t *testing.T) {
	if AWSNamespace != "CloudTrailMetrics" {
		t.Errorf("AWSNamespace = %q, want CloudTrailMetrics (AWS's CloudFormation template)", AWSNamespace)
	}
	if CISNamespace != "LogMetrics" {
		t.Errorf("CISNamespace = %q, want LogMetrics (the CIS AWS Foundations Benchmark)", CISNamespace)
	}
}

// A row that supersedes another takes that row's example records only when it has none of its own.
func TestCISKeepsItsOwnExamples(t *testing.T) {
	saved := cisAlarms[1]
	defer func() { cisAlarms[1] = saved }()
	if saved.Supersedes == "" || saved.Fires != nil {
		t.Fatalf("cisAlarms[1] (%s) no longer borrows its examples; pick another row", saved.ID)
	}
	own := []string{`{"errorCode":"AccessDenied"}`}
	cisAlarms[1].Fires = own
	if got := CIS()[1].Fires; len(got) != 1 || got[0] != own[0] {
		t.Errorf("%s: Fires = %q, want its own %q", saved.ID, got, own)
	}
	cisAlarms[1] = saved
	if aws, _ := Find(AWS(), saved.Supersedes); len(CIS()[1].Fires) == 0 || CIS()[1].Fires[0] != aws.Fires[0] {
		t.Errorf("%s: does not borrow %s's examples", saved.ID, saved.Supersedes)
	}
}

// The longest deploy-time names, as AWS documents them: a bucket name of 63 characters, a KMS key
// ID (a UUID) of 36, a 12-digit account, and a topic ARN around a name of 256 in the longest
// partition and Region. The pattern-length check (Tamper) rests on them.
func TestWorstCaseNamesArePinned(t *testing.T) {
	if len(worstCase.bucket) != 63 || len(worstCase.keyID) != 36 || worstCase.account != "000000000000" {
		t.Errorf("bucket %d, key ID %d, account %q; want 63, 36, 000000000000", len(worstCase.bucket), len(worstCase.keyID), worstCase.account)
	}
	if want := "arn:aws-iso-b:sns:us-isob-east-1:123456789012:" + strings.Repeat("t", 256); worstCase.topicArn != want {
		t.Errorf("topic ARN %q (%d), want %d characters", worstCase.topicArn, len(worstCase.topicArn), len(want))
	}
}

// What an email shows per row, in order (ShownFields), pinned as the first 16 hex digits of the
// SHA-256 of the comma-joined paths: a change to the display is made here too, on purpose.
func TestShownFieldsArePinned(t *testing.T) {
	pins := map[string]string{
		"SecurityGroupChanges": "2e5e4711f3ab8ab5", "Cis10SecurityGroupChanges": "2e5e4711f3ab8ab5",
		"NetworkAclChanges": "bcd392993015f57b", "Cis11NetworkAclChanges": "bcd392993015f57b",
		"GatewayChanges": "727189f6021fce49", "Cis12NetworkGatewayChanges": "727189f6021fce49",
		"VpcChanges": "de406c7e4838cfd1", "Cis14VpcChanges": "de406c7e4838cfd1",
		"EC2InstanceChanges": "42318dbca9db7b5f", "EC2LargeInstanceChanges": "42d280f21b4dd22f",
		"CloudTrailChanges": "ac5f9b961ce642b5", "Cis5CloudTrailChanges": "ac5f9b961ce642b5",
		"ConsoleSignInFailures": "69de2cc01677a2ce", "Cis6ConsoleAuthenticationFailures": "69de2cc01677a2ce",
		"AuthorizationFailures": "3aaf89e209f099f9", "Cis2UnauthorizedApiCalls": "3aaf89e209f099f9",
		"IAMPolicyChanges": "d1480e93f99f2e85", "Cis4IamPolicyChanges": "d1480e93f99f2e85",
		"Cis1RootUsage": "37913bdcb525064a", "Cis3ConsoleSignInWithoutMfa": "b1c115de06eea4bc",
		"Cis7DisableOrDeleteCmk": "e6e097189adb9c60", "Cis8S3BucketPolicyChanges": "67de1763074ba94b",
		"Cis9ConfigChanges": "46c21096a960cc4d", "Cis13RouteTableChanges": "9d83506afaf75294",
	}
	if len(ShownFields) != len(pins) {
		t.Errorf("%d rows show fields, %d pinned", len(ShownFields), len(pins))
	}
	for id, fields := range ShownFields {
		if got := shortHash(strings.Join(fields, ",")); got != pins[id] {
			t.Errorf("%s shows %v (pin %s, got %s)", id, fields, pins[id], got)
		}
	}
	// Spelled out for one row, so the hashing is checked too.
	if got := strings.Join(ShownFields["SecurityGroupChanges"], ","); got != "requestParameters.groupId,requestParameters.groupName,requestParameters.ipPermissions,requestParameters.vpcId" {
		t.Errorf("SecurityGroupChanges shows %s", got)
	}
}

// How every alarm is evaluated, as literals (evaluation.go is the only copy the stack and replay
// read): AWS's template's one period of Sum >= threshold, missing data not breaching.
func TestEvaluationIsPinned(t *testing.T) {
	got := fmt.Sprint(Statistic, ComparisonOperator, EvaluationPeriods, DatapointsToAlarm, TreatMissingData, MetricValue, DefaultNamespace)
	if want := fmt.Sprint("Sum", "GreaterThanOrEqualToThreshold", 1, 1, "notBreaching", "1", "CloudTrailMetrics"); got != want {
		t.Errorf("evaluation %s, want %s", got, want)
	}
}

// The profiles as users see them (alarmProfile's allowed values, docs/configuration.md).
func TestProfilesArePinned(t *testing.T) {
	var got []string
	for _, p := range Profiles {
		got = append(got, strings.Join([]string{p.Name, p.Title, p.Summary, p.ManagementEvents, p.Checks, fmt.Sprint(len(p.Rows()))}, "|"))
	}
	want := []string{"aws|AWS|AWS's ten|||10", "cis|CIS|Security Hub CloudWatch.1-14|All|Security Hub's CloudWatch.1-14 checks|14"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("profiles\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A row's own namespace and period win; otherwise the caller's defaults; otherwise the catalog's
// (CloudTrailMetrics, 300 s).
func TestEvaluationDefaults(t *testing.T) {
	bare := Alarm{MetricName: "M", Threshold: 2}
	own := Alarm{MetricName: "M", Threshold: 2, Namespace: "LogMetrics", PeriodSeconds: 600}
	for _, tt := range []struct {
		row        Alarm
		ns         string
		period     int
		wantNS     string
		wantPeriod int
	}{
		{bare, "", 0, "CloudTrailMetrics", 300},
		{bare, "Custom", 60, "Custom", 60},
		{own, "Custom", 60, "LogMetrics", 600},
		{own, "", 0, "LogMetrics", 600},
	} {
		ev := tt.row.Evaluation(tt.ns, tt.period)
		if ev.Namespace != tt.wantNS || ev.PeriodSeconds != tt.wantPeriod || ev.Threshold != 2 || ev.MetricName != "M" {
			t.Errorf("%+v.Evaluation(%q, %d) = %+v; want namespace %s, period %d", tt.row, tt.ns, tt.period, ev, tt.wantNS, tt.wantPeriod)
		}
	}
}

// The length check measures each deploy-time name the stack has at its longest, and leaves out
// the ones it does not have (an alarms-only stack has no bucket, no account scope, maybe no key
// or topic).
func TestWorstOfFillsOnlyTheNamesTheStackHas(t *testing.T) {
	full := Watched{Account: "123456789012", TrailName: "t", Buckets: []string{"a", "b"}, KeyID: "k", LogGroupName: "g", TopicArn: "arn:aws:sns:us-east-1:123456789012:x", AlarmNamePrefix: "p-"}
	got := worstOf(full)
	want := Watched{Account: worstCase.account, TrailName: "t", Buckets: []string{worstCase.bucket, worstCase.bucket}, KeyID: worstCase.keyID, LogGroupName: "g", TopicArn: worstCase.topicArn, AlarmNamePrefix: "p-"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("worstOf(every name) = %+v\nwant %+v", got, want)
	}
	bare := Watched{LogGroupName: "g"}
	if got := worstOf(bare); fmt.Sprint(got) != fmt.Sprint(Watched{LogGroupName: "g", Buckets: []string{}}) {
		t.Errorf("worstOf(log group only) = %+v, want the log group alone", got)
	}
}
