package catalog

// AWSNamespace is the metric namespace of AWS's CloudFormation template
// CloudWatch_Alarms_for_CloudTrail_API_Activity.json.
const AWSNamespace = "CloudTrailMetrics"

// AWS returns AWS's ten recommended CloudTrail alarms, in the template's order, with the template's
// filter patterns, metric names, alarm names, thresholds and descriptions. Each call returns a new
// slice, so callers may change it freely.
func AWS() []Alarm {
	out := make([]Alarm, len(awsAlarms))
	copy(out, awsAlarms)
	return out
}

// The example records are CloudTrail records as CloudTrail writes them, trimmed to the fields that
// matter (never renamed). Quiet records are near misses: what a careless pattern would also match.
// Near-copy rows: catalog data, one literal row per alarm with its own proof records (cis.go has
// the same shape).
var awsAlarms = []Alarm{
	{
		ID:         "SecurityGroupChanges",
		MetricName: "SecurityGroupEventCount",
		AlarmName:  "CloudTrailSecurityGroupChanges",
		Pattern:    `{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }`,
		Threshold:  1,
		Description: Text{
			"en": "Alarms when an API call is made to create, update or delete a Security Group.",
			"ja": "セキュリティグループを作成、更新、または削除する API コールが行われたときにアラームを発します。",
		},
		Fires: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateSecurityGroup","awsRegion":"eu-west-1","readOnly":false,"requestParameters":{"groupName":"web","groupDescription":"web","vpcId":"vpc-0a71e831cb5152c43"},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"RevokeSecurityGroupEgress","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
		Quiet: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"DescribeSecurityGroups","awsRegion":"us-east-1","readOnly":true,"eventType":"AwsApiCall"}`,
			// ModifySecurityGroupRules changes rules too, but AWS's pattern does not list it.
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"ModifySecurityGroupRules","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"createSecurityGroup","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
	},
	{
		ID:         "NetworkAclChanges",
		MetricName: "NetworkAclEventCount",
		AlarmName:  "CloudTrailNetworkAclChanges",
		Pattern:    `{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }`,
		Threshold:  1,
		Description: Text{
			"en": "Alarms when an API call is made to create, update or delete a Network ACL.",
			"ja": "ネットワーク ACL を作成、更新、または削除する API コールが行われたときにアラームを発します。",
		},
		Fires: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateNetworkAclEntry","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"networkAclId":"acl-0123456789abcdef0","ruleNumber":100,"egress":false,"ruleAction":"allow","cidrBlock":"0.0.0.0/0"},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"ReplaceNetworkAclAssociation","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"DeleteNetworkAcl","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
		Quiet: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"DescribeNetworkAcls","awsRegion":"us-east-1","readOnly":true,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateNetworkAclEntries","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"createnetworkacl","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
	},
	{
		ID:         "GatewayChanges",
		MetricName: "GatewayEventCount",
		AlarmName:  "CloudTrailGatewayChanges",
		Pattern:    `{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }`,
		Threshold:  1,
		Description: Text{
			"en": "Alarms when an API call is made to create, update or delete a Customer or Internet Gateway.",
			"ja": "カスタマーゲートウェイまたはインターネットゲートウェイを作成、更新、または削除する API コールが行われたときにアラームを発します。",
		},
		Fires: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateInternetGateway","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"AttachInternetGateway","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"internetGatewayId":"igw-0123456789abcdef0","vpcId":"vpc-0a71e831cb5152c43"},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"DeleteCustomerGateway","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
		Quiet: []string{
			// NAT, transit and VPN gateways are outside AWS's pattern.
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateNatGateway","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateTransitGateway","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"DescribeInternetGateways","awsRegion":"us-east-1","readOnly":true,"eventType":"AwsApiCall"}`,
		},
	},
	{
		ID:         "VpcChanges",
		MetricName: "VpcEventCount",
		AlarmName:  "CloudTrailVpcChanges",
		Pattern:    `{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }`,
		Threshold:  1,
		Description: Text{
			"en": "Alarms when an API call is made to create, update or delete a VPC, VPC peering connection or VPC connection to classic.",
			"ja": "VPC、VPC ピアリング接続、または EC2-Classic への VPC 接続を作成、更新、または削除する API コールが行われたときにアラームを発します。",
		},
		Fires: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"cidrBlock":"10.0.0.0/16","instanceTenancy":"default"},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateVpcPeeringConnection","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"ModifyVpcAttribute","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
		Quiet: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateVpcEndpoint","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"DescribeVpcs","awsRegion":"us-east-1","readOnly":true,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"createVpc","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
	},
	{
		ID:         "EC2InstanceChanges",
		MetricName: "EC2InstanceEventCount",
		AlarmName:  "CloudTrailEC2InstanceChanges",
		Pattern:    `{ ($.eventName = RunInstances) || ($.eventName = RebootInstances) || ($.eventName = StartInstances) || ($.eventName = StopInstances) || ($.eventName = TerminateInstances) }`,
		Threshold:  1,
		Description: Text{
			"en": "Alarms when an API call is made to create, terminate, start, stop or reboot an EC2 instance.",
			"ja": "EC2 インスタンスを作成、終了、開始、停止、または再起動する API コールが行われたときにアラームを発します。",
		},
		Fires: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"instancesSet":{"items":[{"imageId":"ami-0abcdef1234567890","minCount":1,"maxCount":1}]},"instanceType":"t3.micro"},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"TerminateInstances","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"instancesSet":{"items":[{"instanceId":"i-0123456789abcdef0"}]}},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"StopInstances","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
		Quiet: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-east-1","readOnly":true,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"ModifyInstanceAttribute","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"runInstances","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
	},
	{
		ID:         "EC2LargeInstanceChanges",
		MetricName: "EC2LargeInstanceEventCount",
		AlarmName:  "CloudTrailEC2LargeInstanceChanges",
		Pattern:    `{ ($.eventName = RunInstances) && (($.requestParameters.instanceType = *.8xlarge) || ($.requestParameters.instanceType = *.4xlarge)) }`,
		Threshold:  1,
		Description: Text{
			"en": "Alarms when an API call is made to create, terminate, start, stop or reboot a 4x or 8x-large EC2 instance.",
			"ja": "4xlarge または 8xlarge の EC2 インスタンスを作成、終了、開始、停止、または再起動する API コールが行われたときにアラームを発します。",
		},
		Fires: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"instancesSet":{"items":[{"imageId":"ami-0abcdef1234567890","minCount":1,"maxCount":1}]},"instanceType":"m5.8xlarge"},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"instanceType":"c5.4xlarge"},"eventType":"AwsApiCall"}`,
		},
		Quiet: []string{
			// Whole-value wildcard: *.4xlarge does not match m5.24xlarge.
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"instanceType":"m5.24xlarge"},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"instanceType":"m5.xlarge"},"eventType":"AwsApiCall"}`,
			// A launch template carries the type elsewhere: no instanceType, no match.
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"launchTemplate":{"launchTemplateId":"lt-0123456789abcdef0"}},"eventType":"AwsApiCall"}`,
			// Despite the description, only RunInstances is covered.
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"StartInstances","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"instanceType":"m5.8xlarge"},"eventType":"AwsApiCall"}`,
		},
	},
	{
		ID:         "CloudTrailChanges",
		MetricName: "CloudTrailEventCount",
		AlarmName:  "CloudTrailChanges",
		Pattern:    `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`,
		Threshold:  1,
		Description: Text{
			"en": "Alarms when an API call is made to create, update or delete a CloudTrail trail, or to start or stop logging to a trail.",
			"ja": "CloudTrail の証跡を作成、更新、または削除する API コール、または証跡へのログ記録を開始または停止する API コールが行われたときにアラームを発します。",
		},
		Fires: []string{
			`{"eventVersion":"1.08","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"name":"arn:aws:cloudtrail:us-east-1:123456789012:trail/trailwatch"},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"cloudtrail.amazonaws.com","eventName":"DeleteTrail","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"cloudtrail.amazonaws.com","eventName":"UpdateTrail","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
		Quiet: []string{
			// Narrowing what a trail records is not in AWS's pattern.
			`{"eventVersion":"1.08","eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"cloudtrail.amazonaws.com","eventName":"DescribeTrails","awsRegion":"us-east-1","readOnly":true,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"cloudtrail.amazonaws.com","eventName":"stopLogging","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
	},
	{
		ID:         "ConsoleSignInFailures",
		MetricName: "ConsoleSignInFailureCount",
		AlarmName:  "CloudTrailConsoleSignInFailures",
		Pattern:    `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`,
		Threshold:  3,
		Description: Text{
			"en": "Alarms when an unauthenticated API call is made to sign into the console.",
			"ja": "コンソールへのサインインで認証に失敗した API コールが行われたときにアラームを発します。",
		},
		Fires: []string{
			`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","accountId":"123456789012","userName":"anaya"},"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.0","errorMessage":"Failed authentication","requestParameters":null,"responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"No"},"readOnly":false,"eventType":"AwsConsoleSignIn"}`,
		},
		Quiet: []string{
			`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","accountId":"123456789012","userName":"anaya"},"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"Yes"},"readOnly":false,"eventType":"AwsConsoleSignIn"}`,
			// An unknown user name fails with another message: AWS's pattern does not count it.
			`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","accountId":"123456789012","accessKeyId":""},"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","errorMessage":"No username found in supplied account","requestParameters":null,"responseElements":{"ConsoleLogin":"Failure"},"readOnly":false,"eventType":"AwsConsoleSignIn"}`,
			`{"eventVersion":"1.08","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","errorMessage":"failed authentication","responseElements":{"ConsoleLogin":"Failure"},"readOnly":false,"eventType":"AwsConsoleSignIn"}`,
		},
	},
	{
		ID:         "AuthorizationFailures",
		MetricName: "AuthorizationFailureCount",
		AlarmName:  "CloudTrailAuthorizationFailures",
		Pattern:    `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
		Threshold:  1,
		Description: Text{
			"en": "Alarms when an unauthorized API call is made.",
			"ja": "権限のない API コールが行われたときにアラームを発します。",
		},
		Fires: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized to perform this operation.","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","errorCode":"AccessDenied","errorMessage":"User is not authorized to perform: iam:CreateUser","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"ScheduleKeyDeletion","awsRegion":"us-east-1","errorCode":"AccessDeniedException","readOnly":false,"eventType":"AwsApiCall"}`,
		},
		Quiet: []string{
			`{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"dynamodb.amazonaws.com","eventName":"CreateTable","awsRegion":"us-east-1","errorCode":"ThrottlingException","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","awsRegion":"us-east-1","errorCode":"accessDenied","readOnly":false,"eventType":"AwsApiCall"}`,
		},
	},
	{
		ID:         "IAMPolicyChanges",
		MetricName: "IAMPolicyEventCount",
		AlarmName:  "CloudTrailIAMPolicyChanges",
		Pattern:    `{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}`,
		Threshold:  1,
		Description: Text{
			"en": "Alarms when an API call is made to change an IAM policy.",
			"ja": "IAM ポリシーを変更する API コールが行われたときにアラームを発します。",
		},
		Fires: []string{
			`{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"AttachRolePolicy","awsRegion":"us-east-1","readOnly":false,"requestParameters":{"roleName":"ci","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"PutUserPolicy","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreatePolicyVersion","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
		},
		Quiet: []string{
			// Switching the default version changes effective permissions but is not in AWS's pattern.
			`{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"SetDefaultPolicyVersion","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateRole","awsRegion":"us-east-1","readOnly":false,"eventType":"AwsApiCall"}`,
			`{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"GetRolePolicy","awsRegion":"us-east-1","readOnly":true,"eventType":"AwsApiCall"}`,
		},
	},
}
