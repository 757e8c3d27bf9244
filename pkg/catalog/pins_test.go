package catalog

import (
	"crypto/sha256"
	"fmt"
	"testing"
)

// rowPin is what a built-in row must be, written out here by hand (descriptions as the first 16 hex
// digits of their SHA-256), so a change to the catalog must be made twice, on purpose: once in the
// data and once here. The patterns are pinned in patternPins.
type rowPin struct {
	id, metric, alarmName, namespace string
	threshold                        float64
	period                           int
	supersedes                       string
	descEN, descJA                   string
}

var rowPins = []rowPin{
	{"SecurityGroupChanges", "SecurityGroupEventCount", "CloudTrailSecurityGroupChanges", "", 1, 0, "", "dce945ae76dfc89e", "0b13929389caf05c"},
	{"NetworkAclChanges", "NetworkAclEventCount", "CloudTrailNetworkAclChanges", "", 1, 0, "", "9a8fbb85ed165d38", "7ff74ccef8189e30"},
	{"GatewayChanges", "GatewayEventCount", "CloudTrailGatewayChanges", "", 1, 0, "", "c14edd3f8c5132f4", "abbfd44138c93d29"},
	{"VpcChanges", "VpcEventCount", "CloudTrailVpcChanges", "", 1, 0, "", "9032f547d3e234b0", "2822c69da4756c1b"},
	{"EC2InstanceChanges", "EC2InstanceEventCount", "CloudTrailEC2InstanceChanges", "", 1, 0, "", "d2e364e6500def41", "fb81244063350260"},
	{"EC2LargeInstanceChanges", "EC2LargeInstanceEventCount", "CloudTrailEC2LargeInstanceChanges", "", 1, 0, "", "15acce0c48ccf970", "eb8c67ef4ee83d33"},
	{"CloudTrailChanges", "CloudTrailEventCount", "CloudTrailChanges", "", 1, 0, "", "96add894b1140080", "6ebf95863a7fc3b4"},
	{"ConsoleSignInFailures", "ConsoleSignInFailureCount", "CloudTrailConsoleSignInFailures", "", 3, 0, "", "1a67d62d570d1930", "38b7638f45e287d1"},
	{"AuthorizationFailures", "AuthorizationFailureCount", "CloudTrailAuthorizationFailures", "", 1, 0, "", "95c21eb154eca896", "3f2f2d2a85707727"},
	{"IAMPolicyChanges", "IAMPolicyEventCount", "CloudTrailIAMPolicyChanges", "", 1, 0, "", "b5eee6a7f035dbec", "4301f91aa6f8abd6"},
	{"Cis1RootUsage", "RootAccountUsageCount", "CIS-CloudWatch.1-RootAccountUsage", "LogMetrics", 1, 0, "", "e0cd30454e997c44", "34b97883f46a7aa9"},
	{"Cis2UnauthorizedApiCalls", "UnauthorizedAPICallsCount", "CIS-CloudWatch.2-UnauthorizedAPICalls", "LogMetrics", 1, 0, "AuthorizationFailures", "347f4d290fbd9045", "fb747e09e1ee9ada"},
	{"Cis3ConsoleSignInWithoutMfa", "ConsoleSignInWithoutMFACount", "CIS-CloudWatch.3-ConsoleSignInWithoutMFA", "LogMetrics", 1, 0, "", "f6fc6b44be75e116", "5a174eed3dbefcdd"},
	{"Cis4IamPolicyChanges", "IAMPolicyChangesCount", "CIS-CloudWatch.4-IAMPolicyChanges", "LogMetrics", 1, 0, "IAMPolicyChanges", "94d7b0caeee7fff3", "cb22e4ee8234325a"},
	{"Cis5CloudTrailChanges", "CloudTrailConfigChangesCount", "CIS-CloudWatch.5-CloudTrailConfigChanges", "LogMetrics", 1, 0, "CloudTrailChanges", "3cf2c13a6a5013b2", "d1221c84312a2f3e"},
	{"Cis6ConsoleAuthenticationFailures", "ConsoleAuthenticationFailureCount", "CIS-CloudWatch.6-ConsoleAuthenticationFailures", "LogMetrics", 3, 0, "ConsoleSignInFailures", "6cae9873eada3fe1", "0be79c6f011adc4c"},
	{"Cis7DisableOrDeleteCmk", "DisableOrDeleteCMKCount", "CIS-CloudWatch.7-DisableOrDeleteCMK", "LogMetrics", 1, 0, "", "a270568a10458b7d", "aa8ebafceeb92922"},
	{"Cis8S3BucketPolicyChanges", "S3BucketPolicyChangesCount", "CIS-CloudWatch.8-S3BucketPolicyChanges", "LogMetrics", 1, 0, "", "3cb52a1b31594750", "c77d58d1030cd120"},
	{"Cis9ConfigChanges", "AWSConfigChangesCount", "CIS-CloudWatch.9-AWSConfigChanges", "LogMetrics", 1, 0, "", "696e94974cb57514", "0e418989f8338b9c"},
	{"Cis10SecurityGroupChanges", "SecurityGroupChangesCount", "CIS-CloudWatch.10-SecurityGroupChanges", "LogMetrics", 1, 0, "SecurityGroupChanges", "04e33803641d2601", "894d21441fdb89a1"},
	{"Cis11NetworkAclChanges", "NACLChangesCount", "CIS-CloudWatch.11-NACLChanges", "LogMetrics", 1, 0, "NetworkAclChanges", "f949efa0fba75fa9", "b108add0d401468f"},
	{"Cis12NetworkGatewayChanges", "NetworkGatewayChangesCount", "CIS-CloudWatch.12-NetworkGatewayChanges", "LogMetrics", 1, 0, "GatewayChanges", "db79a1c6333aa917", "2f9187d13fa181ae"},
	{"Cis13RouteTableChanges", "RouteTableChangesCount", "CIS-CloudWatch.13-RouteTableChanges", "LogMetrics", 1, 0, "", "d28e164de10168f3", "9814c55ac5547ce9"},
	{"Cis14VpcChanges", "VPCChangesCount", "CIS-CloudWatch.14-VPCChanges", "LogMetrics", 1, 0, "VpcChanges", "eb38dee77769ae57", "25aa59465c48941e"},
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
			shortHash(a.Description.EN), shortHash(a.Description.JA)}
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
