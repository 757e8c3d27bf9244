# AWS's ten recommended CloudTrail alarms (docs/alarms.md) as jq selections, counted in one pass
# over concatenated S3 log files: the fairest jq equivalent of `trailwatch replay`'s matching.
# Usage: zcat AWSLogs/.../*.json.gz | jq -n -f bench/ten.jq
def among($names): (.eventName | type == "string") and (.eventName as $n | $names | index([$n]) != null);
def str($f): ($f | type) == "string";

reduce (inputs | .Records[]) as $r (
  {records: 0, SecurityGroupChanges: 0, NetworkAclChanges: 0, GatewayChanges: 0, VpcChanges: 0,
   EC2InstanceChanges: 0, EC2LargeInstanceChanges: 0, CloudTrailChanges: 0, ConsoleSignInFailures: 0,
   AuthorizationFailures: 0, IAMPolicyChanges: 0};
  .records += 1
  | if $r | among(["AuthorizeSecurityGroupIngress","AuthorizeSecurityGroupEgress","RevokeSecurityGroupIngress","RevokeSecurityGroupEgress","CreateSecurityGroup","DeleteSecurityGroup"]) then .SecurityGroupChanges += 1 else . end
  | if $r | among(["CreateNetworkAcl","CreateNetworkAclEntry","DeleteNetworkAcl","DeleteNetworkAclEntry","ReplaceNetworkAclEntry","ReplaceNetworkAclAssociation"]) then .NetworkAclChanges += 1 else . end
  | if $r | among(["CreateCustomerGateway","DeleteCustomerGateway","AttachInternetGateway","CreateInternetGateway","DeleteInternetGateway","DetachInternetGateway"]) then .GatewayChanges += 1 else . end
  | if $r | among(["CreateVpc","DeleteVpc","ModifyVpcAttribute","AcceptVpcPeeringConnection","CreateVpcPeeringConnection","DeleteVpcPeeringConnection","RejectVpcPeeringConnection","AttachClassicLinkVpc","DetachClassicLinkVpc","DisableVpcClassicLink","EnableVpcClassicLink"]) then .VpcChanges += 1 else . end
  | if $r | among(["RunInstances","RebootInstances","StartInstances","StopInstances","TerminateInstances"]) then .EC2InstanceChanges += 1 else . end
  | if ($r.eventName == "RunInstances") and ($r.requestParameters | type == "object") and str($r.requestParameters.instanceType)
       and ($r.requestParameters.instanceType | endswith(".8xlarge") or endswith(".4xlarge")) then .EC2LargeInstanceChanges += 1 else . end
  | if $r | among(["CreateTrail","UpdateTrail","DeleteTrail","StartLogging","StopLogging"]) then .CloudTrailChanges += 1 else . end
  | if ($r.eventName == "ConsoleLogin") and ($r.errorMessage == "Failed authentication") then .ConsoleSignInFailures += 1 else . end
  | if str($r.errorCode) and ($r.errorCode | endswith("UnauthorizedOperation") or startswith("AccessDenied")) then .AuthorizationFailures += 1 else . end
  | if $r | among(["DeleteGroupPolicy","DeleteRolePolicy","DeleteUserPolicy","PutGroupPolicy","PutRolePolicy","PutUserPolicy","CreatePolicy","DeletePolicy","CreatePolicyVersion","DeletePolicyVersion","AttachRolePolicy","DetachRolePolicy","AttachUserPolicy","DetachUserPolicy","AttachGroupPolicy","DetachGroupPolicy"]) then .IAMPolicyChanges += 1 else . end
)
