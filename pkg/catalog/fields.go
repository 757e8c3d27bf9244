package catalog

// ShownFields lists, per row ID, the record fields an alarm email shows under "what" for each
// event: the request parameters a person needs to judge the change without opening the console.
// Paths are dotted JSON paths into a CloudTrail record ("requestParameters.groupId"); a field an
// event lacks is skipped. Rows without an entry (custom rows) show requestParameters whole,
// shortened. This is display data only: it never changes what an alarm counts.
var ShownFields = map[string][]string{
	"SecurityGroupChanges":              securityGroupFields,
	"Cis10SecurityGroupChanges":         securityGroupFields,
	"NetworkAclChanges":                 networkAclFields,
	"Cis11NetworkAclChanges":            networkAclFields,
	"GatewayChanges":                    gatewayFields,
	"Cis12NetworkGatewayChanges":        gatewayFields,
	"VpcChanges":                        vpcFields,
	"Cis14VpcChanges":                   vpcFields,
	"EC2InstanceChanges":                {"requestParameters.instanceType", "requestParameters.instancesSet", "responseElements.instancesSet"},
	"EC2LargeInstanceChanges":           {"requestParameters.instanceType", "requestParameters.minCount", "requestParameters.maxCount", "requestParameters.imageId"},
	"CloudTrailChanges":                 trailFields,
	"Cis5CloudTrailChanges":             trailFields,
	"ConsoleSignInFailures":             signInFields,
	"Cis6ConsoleAuthenticationFailures": signInFields,
	"AuthorizationFailures":             deniedFields,
	"Cis2UnauthorizedApiCalls":          deniedFields,
	"IAMPolicyChanges":                  iamPolicyFields,
	"Cis4IamPolicyChanges":              iamPolicyFields,
	"Cis1RootUsage":                     {"responseElements.ConsoleLogin", "additionalEventData.MFAUsed"},
	"Cis3ConsoleSignInWithoutMfa":       {"responseElements.ConsoleLogin", "additionalEventData.MFAUsed", "additionalEventData.LoginTo"},
	"Cis7DisableOrDeleteCmk":            {"requestParameters.keyId", "requestParameters.pendingWindowInDays"},
	"Cis8S3BucketPolicyChanges":         {"requestParameters.bucketName", "requestParameters.bucketPolicy", "requestParameters.AccessControlPolicy"},
	"Cis9ConfigChanges":                 {"requestParameters.configurationRecorderName", "requestParameters.configurationRecorder", "requestParameters.deliveryChannelName", "requestParameters.deliveryChannel"},
	"Cis13RouteTableChanges":            {"requestParameters.routeTableId", "requestParameters.destinationCidrBlock", "requestParameters.gatewayId", "requestParameters.natGatewayId", "requestParameters.associationId"},
}

var (
	securityGroupFields = []string{"requestParameters.groupId", "requestParameters.groupName", "requestParameters.ipPermissions", "requestParameters.vpcId"}
	networkAclFields    = []string{"requestParameters.networkAclId", "requestParameters.ruleNumber", "requestParameters.egress", "requestParameters.ruleAction", "requestParameters.cidrBlock", "requestParameters.associationId"}
	gatewayFields       = []string{"requestParameters.internetGatewayId", "requestParameters.customerGatewayId", "requestParameters.vpcId", "requestParameters.ipAddress"}
	vpcFields           = []string{"requestParameters.vpcId", "requestParameters.cidrBlock", "requestParameters.vpcPeeringConnectionId", "requestParameters.peerVpcId"}
	trailFields         = []string{"requestParameters.name", "requestParameters.s3BucketName", "requestParameters.isMultiRegionTrail"}
	signInFields        = []string{"additionalEventData.MFAUsed", "additionalEventData.LoginTo", "responseElements.ConsoleLogin"}
	deniedFields        = []string{"requestParameters"}
	iamPolicyFields     = []string{"requestParameters.policyArn", "requestParameters.policyName", "requestParameters.roleName", "requestParameters.userName", "requestParameters.groupName", "requestParameters.versionId", "requestParameters.policyDocument"}
)
