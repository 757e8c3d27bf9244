package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"time"
)

// kind is one template in the mix: an API call as CloudTrail records it.
type kind struct {
	weight   int // per 100,000 records
	source   string
	name     string
	readOnly bool
	// params writes requestParameters (and responseElements) for the call.
	params func(b *bytes.Buffer, r *rand.Rand)
	// error, when set, is the errorCode/errorMessage the call fails with.
	errorCode, errorMessage string
	signIn                  bool
}

// mix is dominated by the read-only traffic of a busy account; the last block is what AWS's ten
// alarms match, about 0.5% of records in all.
// Near-copy rows: data, one event kind a line with its weight.
var mix = []kind{
	{weight: 24000, source: "kms", name: "Decrypt", readOnly: true, params: kmsParams},
	{weight: 11000, source: "kms", name: "GenerateDataKey", readOnly: true, params: kmsParams},
	{weight: 15000, source: "sts", name: "AssumeRole", readOnly: true, params: assumeRoleParams},
	{weight: 4000, source: "sts", name: "GetCallerIdentity", readOnly: true, params: noParams},
	{weight: 8000, source: "ec2", name: "DescribeInstances", readOnly: true, params: describeParams},
	{weight: 3000, source: "ec2", name: "DescribeSecurityGroups", readOnly: true, params: describeParams},
	{weight: 2000, source: "ec2", name: "DescribeVpcs", readOnly: true, params: describeParams},
	{weight: 3000, source: "s3", name: "ListBuckets", readOnly: true, params: noParams},
	{weight: 3000, source: "s3", name: "GetBucketAcl", readOnly: true, params: bucketParams},
	{weight: 4000, source: "logs", name: "CreateLogStream", params: logParams},
	{weight: 3000, source: "logs", name: "DescribeLogStreams", readOnly: true, params: logParams},
	{weight: 3000, source: "iam", name: "GetRole", readOnly: true, params: roleParams},
	{weight: 2000, source: "iam", name: "ListRoles", readOnly: true, params: noParams},
	{weight: 6000, source: "ssm", name: "GetParameter", readOnly: true, params: ssmParams},
	{weight: 3000, source: "monitoring", name: "GetMetricData", readOnly: true, params: metricParams},
	{weight: 2000, source: "ec2", name: "CreateTags", params: tagParams},
	{weight: 1500, source: "ec2", name: "CreateNetworkInterface", params: eniParams},
	{weight: 1500, source: "ec2", name: "DeleteNetworkInterface", params: eniParams},
	{weight: 200, source: "signin", name: "ConsoleLogin", signIn: true, params: noParams},
	{weight: 150, source: "ec2", name: "DescribeInstances", readOnly: true, params: describeParams, errorCode: "Client.UnauthorizedOperation", errorMessage: "You are not authorized to perform this operation."},
	{weight: 100, source: "s3", name: "GetBucketPolicy", readOnly: true, params: bucketParams, errorCode: "AccessDenied", errorMessage: "Access Denied"},

	// What the alarms match.
	{weight: 60, source: "ec2", name: "AuthorizeSecurityGroupIngress", params: sgParams},
	{weight: 30, source: "ec2", name: "CreateSecurityGroup", params: sgParams},
	{weight: 10, source: "ec2", name: "RevokeSecurityGroupEgress", params: sgParams},
	{weight: 10, source: "ec2", name: "CreateNetworkAclEntry", params: aclParams},
	{weight: 5, source: "ec2", name: "AttachInternetGateway", params: igwParams},
	{weight: 10, source: "ec2", name: "CreateVpc", params: vpcParams},
	{weight: 5, source: "ec2", name: "ModifyVpcAttribute", params: vpcParams},
	{weight: 50, source: "ec2", name: "RunInstances", params: runParams},
	{weight: 30, source: "ec2", name: "StopInstances", params: instanceParams},
	{weight: 20, source: "ec2", name: "StartInstances", params: instanceParams},
	{weight: 3, source: "cloudtrail", name: "UpdateTrail", params: trailParams},
	{weight: 40, source: "signin", name: "ConsoleLogin", signIn: true, params: noParams, errorMessage: "Failed authentication"},
	{weight: 20, source: "iam", name: "PutRolePolicy", params: policyParams},
	{weight: 20, source: "iam", name: "AttachRolePolicy", params: policyParams},
	{weight: 5, source: "iam", name: "CreatePolicyVersion", params: policyParams},
}

var cumulative = func() []int {
	out := make([]int, len(mix))
	sum := 0
	for i, k := range mix {
		sum += k.weight
		out[i] = sum
	}
	return out
}()

func pick(r *rand.Rand) *kind {
	x := r.IntN(cumulative[len(cumulative)-1])
	lo, hi := 0, len(cumulative)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cumulative[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return &mix[lo]
}

var roles = func() []string {
	out := make([]string, 60)
	for i := range out {
		out[i] = fmt.Sprintf("app-%02d-role", i)
	}
	return out
}()

var agents = []string{
	"aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.171.0",
	"aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.97 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe prompt/off command/ec2.describe-instances",
	"Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.220 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
}

// ip draws a source IP: mostly from a few hundred busy addresses, with a long tail of tens of
// thousands, so the top-IP counters see realistic cardinality.
func ip(r *rand.Rand) string {
	if r.IntN(10) < 7 {
		n := r.IntN(300)
		return fmt.Sprintf("10.0.%d.%d", n/250, n%250+1)
	}
	n := r.IntN(60000)
	return fmt.Sprintf("%d.%d.%d.%d", 3+n%200, (n/200)%250, (n*7)%250, n%254+1)
}

func hexID(r *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(16)]
	}
	return string(b)
}

func uuid(r *rand.Rand) string {
	h := hexID(r, 32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func writeRecord(b *bytes.Buffer, r *rand.Rand, region string, at time.Time) {
	k := pick(r)
	role := roles[r.IntN(len(roles))]
	// Sessions repeat, as an instance or a function reuses its role session name.
	session := fmt.Sprintf("%s-%d", role, r.IntN(5))
	src := k.source + ".amazonaws.com"
	b.WriteString(`{"eventVersion":"1.09","userIdentity":`)
	switch {
	case k.signIn && k.errorMessage != "":
		fmt.Fprintf(b, `{"type":"IAMUser","principalId":"","accountId":%q,"accessKeyId":"","userName":"HIDDEN_DUE_TO_SECURITY_REASONS"}`, account)
	case k.signIn:
		fmt.Fprintf(b, `{"type":"IAMUser","principalId":"AIDA%s","arn":"arn:aws:iam::%s:user/ops-%d","accountId":%q,"userName":"ops-%d"}`, hexID(r, 16), account, r.IntN(8), account, r.IntN(8))
	default:
		fmt.Fprintf(b, `{"type":"AssumedRole","principalId":"AROA%s:%s","arn":"arn:aws:sts::%s:assumed-role/%s/%s","accountId":%q,"accessKeyId":"ASIA%s",`+
			`"sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA%s","arn":"arn:aws:iam::%s:role/%s","accountId":%q,"userName":%q},"webIdFederationData":{},`+
			`"attributes":{"creationDate":%q,"mfaAuthenticated":"false"}}}`,
			hexID(r, 16), session, account, role, session, account, hexID(r, 16), hexID(r, 16), account, role, account, role, at.Add(-time.Duration(r.IntN(3600))*time.Second).Format(time.RFC3339))
	}
	fmt.Fprintf(b, `,"eventTime":%q,"eventSource":%q,"eventName":%q,"awsRegion":%q,"sourceIPAddress":%q,"userAgent":%q`,
		at.Format(time.RFC3339), src, k.name, region, ip(r), agents[r.IntN(len(agents))])
	if k.errorCode != "" {
		fmt.Fprintf(b, `,"errorCode":%q`, k.errorCode)
	}
	if k.errorMessage != "" {
		fmt.Fprintf(b, `,"errorMessage":%q`, k.errorMessage)
	}
	b.WriteString(`,"requestParameters":`)
	k.params(b, r)
	if k.signIn {
		outcome := "Success"
		if k.errorMessage != "" {
			outcome = "Failure"
		}
		fmt.Fprintf(b, `,"responseElements":{"ConsoleLogin":%q},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"No"}`, outcome)
	} else if k.name == "AssumeRole" {
		fmt.Fprintf(b, `,"responseElements":{"credentials":{"accessKeyId":"ASIA%s","sessionToken":"%s","expiration":%q},"assumedRoleUser":{"assumedRoleId":"AROA%s:%s","arn":"arn:aws:sts::%s:assumed-role/%s/%s"}}`,
			hexID(r, 16), hexID(r, 180), at.Add(time.Hour).Format("Jan 2, 2006, 3:04:05 PM"), hexID(r, 16), session, account, role, session)
	} else {
		b.WriteString(`,"responseElements":null`)
	}
	eventType := "AwsApiCall"
	if k.signIn {
		eventType = "AwsConsoleSignIn"
	}
	fmt.Fprintf(b, `,"requestID":%q,"eventID":%q,"readOnly":%t,"eventType":%q,"managementEvent":true,"recipientAccountId":%q,"eventCategory":"Management"`,
		uuid(r), uuid(r), k.readOnly, eventType, account)
	if !k.signIn {
		fmt.Fprintf(b, `,"tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"%s.%s.amazonaws.com"}`, k.source, region)
	}
	b.WriteByte('}')
}

func noParams(b *bytes.Buffer, r *rand.Rand) { b.WriteString("null") }

func kmsParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","keyId":"arn:aws:kms:us-east-1:%s:key/%s","encryptionContext":{"aws:s3:arn":"arn:aws:s3:::data-bucket-%d/objects/%s/%s.parquet"}}`,
		account, uuid(r), r.IntN(20), hexID(r, 12), hexID(r, 24))
}

func assumeRoleParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"roleArn":"arn:aws:iam::%s:role/%s","roleSessionName":"session-%s","durationSeconds":3600}`, account, roles[r.IntN(len(roles))], hexID(r, 8))
}

func describeParams(b *bytes.Buffer, r *rand.Rand) {
	b.WriteString(`{"instancesSet":{"items":[`)
	for i := range 1 + r.IntN(12) {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, `{"instanceId":"i-%s"}`, hexID(r, 17))
	}
	b.WriteString(`]},"filterSet":{"items":[{"name":"tag:team","valueSet":{"items":[{"value":"platform"}]}}]}}`)
}

func bucketParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"bucketName":"data-bucket-%d","Host":"data-bucket-%d.s3.amazonaws.com","acl":""}`, r.IntN(20), r.IntN(20))
}

func logParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"logGroupName":"/aws/lambda/fn-%d","logStreamName":"2024/05/01/[$LATEST]%s"}`, r.IntN(40), hexID(r, 32))
}

func roleParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"roleName":%q}`, roles[r.IntN(len(roles))])
}

func ssmParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"name":"/app/%d/config/%s","withDecryption":true}`, r.IntN(40), hexID(r, 6))
}

func metricParams(b *bytes.Buffer, r *rand.Rand) {
	b.WriteString(`{"metricDataQueries":[`)
	for i := range 1 + r.IntN(8) {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, `{"id":"m%d","metricStat":{"metric":{"namespace":"AWS/EC2","metricName":"CPUUtilization","dimensions":[{"name":"InstanceId","value":"i-%s"}]},"period":300,"stat":"Average"}}`, i, hexID(r, 17))
	}
	b.WriteString(`],"startTime":"May 1, 2024, 12:00:00 AM","endTime":"May 1, 2024, 1:00:00 AM"}`)
}

func tagParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"resourcesSet":{"items":[{"resourceId":"eni-%s"}]},"tagSet":{"items":[{"key":"team","value":"platform"},{"key":"cost-center","value":"%d"}]}}`, hexID(r, 17), r.IntN(999))
}

func eniParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"subnetId":"subnet-%s","description":"AWS Lambda VPC ENI-fn-%d","groupSet":{"items":[{"groupId":"sg-%s"}]},"privateIpAddressesSet":{},"ipv6AddressCount":0}`, hexID(r, 17), r.IntN(40), hexID(r, 17))
}

func sgParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"groupId":"sg-%s","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":%d,"toPort":%d,"groups":{},"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]},"ipv6Ranges":{},"prefixListIds":{}}]}}`, hexID(r, 17), 22+r.IntN(2)*421, 22+r.IntN(2)*421)
}

func aclParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"networkAclId":"acl-%s","ruleNumber":%d,"egress":false,"ruleAction":"allow","icmpTypeCode":{},"portRange":{"from":443,"to":443},"aclProtocol":"6","cidrBlock":"0.0.0.0/0"}`, hexID(r, 17), 100+r.IntN(50))
}

func igwParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"internetGatewayId":"igw-%s","vpcId":"vpc-%s"}`, hexID(r, 17), hexID(r, 17))
}

func vpcParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"cidrBlock":"10.%d.0.0/16","vpcId":"vpc-%s","instanceTenancy":"default","amazonProvidedIpv6CidrBlock":false}`, r.IntN(250), hexID(r, 17))
}

func runParams(b *bytes.Buffer, r *rand.Rand) {
	types := []string{"t3.micro", "m5.large", "c5.4xlarge", "m5.8xlarge", "r5.24xlarge"}
	fmt.Fprintf(b, `{"instancesSet":{"items":[{"imageId":"ami-%s","minCount":1,"maxCount":1}]},"instanceType":%q,"blockDeviceMapping":{},"monitoring":{"enabled":false},"disableApiTermination":false,"clientToken":%q}`,
		hexID(r, 17), types[r.IntN(len(types))], uuid(r))
}

func instanceParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"instancesSet":{"items":[{"instanceId":"i-%s"}]},"force":false}`, hexID(r, 17))
}

func trailParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"name":"arn:aws:cloudtrail:us-east-1:%s:trail/main","isMultiRegionTrail":true}`, account)
}

func policyParams(b *bytes.Buffer, r *rand.Rand) {
	fmt.Fprintf(b, `{"roleName":%q,"policyName":"inline-%d","policyArn":"arn:aws:iam::%s:policy/p-%d","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"}`,
		roles[r.IntN(len(roles))], r.IntN(9), account, r.IntN(30))
}
