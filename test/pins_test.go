package test

import (
	"crypto/sha256"
	"fmt"
	"testing"
)

// alarmPin is what one built-in row must deploy, written out here by hand (long texts as the first
// 16 hex digits of their SHA-256), so the template tests do not take their expected values from the
// catalog they test: a change to a row must be made twice, on purpose, once in pkg/catalog and
// once here.
type alarmPin struct {
	id, metric, alarmName string
	threshold             float64
	pattern               string // SHA-256 prefix of the filter pattern
	descEN, descJA        string // SHA-256 prefixes of the descriptions
}

// awsPins are AWS's ten alarms in template order (docs/alarms.md).
var awsPins = []alarmPin{
	{"SecurityGroupChanges", "SecurityGroupEventCount", "CloudTrailSecurityGroupChanges", 1, "99451e8cbb807f4f", "dce945ae76dfc89e", "0b13929389caf05c"},
	{"NetworkAclChanges", "NetworkAclEventCount", "CloudTrailNetworkAclChanges", 1, "f966addaead44cb9", "9a8fbb85ed165d38", "7ff74ccef8189e30"},
	{"GatewayChanges", "GatewayEventCount", "CloudTrailGatewayChanges", 1, "22f0809bf8d41628", "c14edd3f8c5132f4", "abbfd44138c93d29"},
	{"VpcChanges", "VpcEventCount", "CloudTrailVpcChanges", 1, "8109a86d55793df2", "9032f547d3e234b0", "2822c69da4756c1b"},
	{"EC2InstanceChanges", "EC2InstanceEventCount", "CloudTrailEC2InstanceChanges", 1, "8d94561b6d4d4638", "d2e364e6500def41", "fb81244063350260"},
	{"EC2LargeInstanceChanges", "EC2LargeInstanceEventCount", "CloudTrailEC2LargeInstanceChanges", 1, "6d2692bb2396c879", "15acce0c48ccf970", "eb8c67ef4ee83d33"},
	{"CloudTrailChanges", "CloudTrailEventCount", "CloudTrailChanges", 1, "f93f68fa5041b108", "96add894b1140080", "6ebf95863a7fc3b4"},
	{"ConsoleSignInFailures", "ConsoleSignInFailureCount", "CloudTrailConsoleSignInFailures", 3, "ff21d706d7ca7fa6", "1a67d62d570d1930", "38b7638f45e287d1"},
	{"AuthorizationFailures", "AuthorizationFailureCount", "CloudTrailAuthorizationFailures", 1, "41922b7495cf7c1e", "95c21eb154eca896", "3f2f2d2a85707727"},
	{"IAMPolicyChanges", "IAMPolicyEventCount", "CloudTrailIAMPolicyChanges", 1, "0e7068e3b3dea24c", "b5eee6a7f035dbec", "4301f91aa6f8abd6"},
}

// cisPins are CloudWatch.1-14 in control order (docs/alarms.md).
// Near-copy rows: pins are data, one alarm a line, like awsPins above.
var cisPins = []alarmPin{
	{"Cis1RootUsage", "RootAccountUsageCount", "CIS-CloudWatch.1-RootAccountUsage", 1, "6a0b7f784762869e", "e0cd30454e997c44", "34b97883f46a7aa9"},
	{"Cis2UnauthorizedApiCalls", "UnauthorizedAPICallsCount", "CIS-CloudWatch.2-UnauthorizedAPICalls", 1, "466f930215a09922", "347f4d290fbd9045", "fb747e09e1ee9ada"},
	{"Cis3ConsoleSignInWithoutMfa", "ConsoleSignInWithoutMFACount", "CIS-CloudWatch.3-ConsoleSignInWithoutMFA", 1, "0e75d5219d240f95", "f6fc6b44be75e116", "5a174eed3dbefcdd"},
	{"Cis4IamPolicyChanges", "IAMPolicyChangesCount", "CIS-CloudWatch.4-IAMPolicyChanges", 1, "d1ebb2d6b7d7ae81", "94d7b0caeee7fff3", "cb22e4ee8234325a"},
	{"Cis5CloudTrailChanges", "CloudTrailConfigChangesCount", "CIS-CloudWatch.5-CloudTrailConfigChanges", 1, "037532dd537f0b35", "3cf2c13a6a5013b2", "d1221c84312a2f3e"},
	{"Cis6ConsoleAuthenticationFailures", "ConsoleAuthenticationFailureCount", "CIS-CloudWatch.6-ConsoleAuthenticationFailures", 3, "bcfb694063da6d42", "6cae9873eada3fe1", "0be79c6f011adc4c"},
	{"Cis7DisableOrDeleteCmk", "DisableOrDeleteCMKCount", "CIS-CloudWatch.7-DisableOrDeleteCMK", 1, "c7fbbaef305dcd35", "a270568a10458b7d", "aa8ebafceeb92922"},
	{"Cis8S3BucketPolicyChanges", "S3BucketPolicyChangesCount", "CIS-CloudWatch.8-S3BucketPolicyChanges", 1, "d85ab6c6d49ecdaf", "3cb52a1b31594750", "c77d58d1030cd120"},
	{"Cis9ConfigChanges", "AWSConfigChangesCount", "CIS-CloudWatch.9-AWSConfigChanges", 1, "8b70feeb359142ce", "696e94974cb57514", "0e418989f8338b9c"},
	{"Cis10SecurityGroupChanges", "SecurityGroupChangesCount", "CIS-CloudWatch.10-SecurityGroupChanges", 1, "c6576bd66d8e6515", "04e33803641d2601", "894d21441fdb89a1"},
	{"Cis11NetworkAclChanges", "NACLChangesCount", "CIS-CloudWatch.11-NACLChanges", 1, "031a82d4527c2b9e", "f949efa0fba75fa9", "b108add0d401468f"},
	{"Cis12NetworkGatewayChanges", "NetworkGatewayChangesCount", "CIS-CloudWatch.12-NetworkGatewayChanges", 1, "c75ebb0b7f8941a6", "db79a1c6333aa917", "2f9187d13fa181ae"},
	{"Cis13RouteTableChanges", "RouteTableChangesCount", "CIS-CloudWatch.13-RouteTableChanges", 1, "f599187c59cd91a6", "d28e164de10168f3", "9814c55ac5547ce9"},
	{"Cis14VpcChanges", "VPCChangesCount", "CIS-CloudWatch.14-VPCChanges", 1, "f447626dc43e393e", "eb38dee77769ae57", "25aa59465c48941e"},
}

func shortHash(s string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(s)))[:16] }

// pinned checks a deployed text against its pin and returns it, so a caller can use the text in a
// whole-resource comparison once it is proven.
func pinned(t *testing.T, what string, got any, pin string) string {
	t.Helper()
	s, _ := got.(string)
	if shortHash(s) != pin {
		t.Errorf("%s: %q has hash %s, pinned %s", what, s, shortHash(s), pin)
	}
	return s
}

// cis13BenchmarkPatternPin pins the route-table row's benchmark filter text (docs/cis-checkers.md),
// the CIS benchmark's audit pattern with quoted values.
const cis13BenchmarkPatternPin = "dfbdbbe05f94a918"
