package stacks

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"
)

// newKey is the one customer managed key of the stack: rotated yearly, retained when the stack
// goes (log files encrypted with it must stay readable). Its policy is the CDK's default (the
// account may administer and use it through IAM) plus exactly what each service needs
// (docs/security.md, "Key policy"); the topic's statement is added by trailalarms.
func newKey(stack awscdk.Stack, trailName string, trailArn, logGroupArn *string) awskms.Key {
	key := awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{
		Description: jsii.String("trailwatch: encrypts the CloudTrail log files, the trail's log group and the alarm topic"),
		// Alias names take letters, digits, '/', '_' and '-': a trail name's '.' becomes '-'.
		Alias:             jsii.String("alias/trailwatch/" + strings.ReplaceAll(trailName, ".", "-")),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	cloudtrail := awsiam.NewServicePrincipal(jsii.String("cloudtrail.amazonaws.com"), nil)
	anyTrailOfThisAccount := stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("cloudtrail"), Region: jsii.String("*"), Resource: jsii.String("trail"), ResourceName: jsii.String("*"),
	})
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudTrailEncryptsLogFiles"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{
			"StringLike":   map[string]any{"kms:EncryptionContext:aws:cloudtrail:arn": anyTrailOfThisAccount},
			"StringEquals": map[string]any{"aws:SourceArn": trailArn},
		},
	}), nil)
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudTrailDescribesKey"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("kms:DescribeKey"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:SourceArn": trailArn}},
	}), nil)
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchLogsEncryptsTheTrailLogGroup"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("logs."+*stack.Region()+".amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"ArnEquals": map[string]any{"kms:EncryptionContext:aws:logs:arn": logGroupArn}},
	}), nil)
	denyDestroyingKey(stack, key)
	return key
}

// DestroyingKeyActions are the key-policy actions only the account root may take on a trailwatch
// key: each makes every log file, digest and log event encrypted with it unreadable (deleting the
// key, disabling it, or — for a key with imported material, which trailwatch's are not — deleting
// that material). Disabling rotation destroys nothing and stays allowed. kms:PutKeyPolicy stays
// allowed too: CloudFormation needs it on every deploy that changes the policy, and KMS's lockout
// safety check works against denying it; docs/security.md gives the SCP that closes it.
var DestroyingKeyActions = []string{"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DeleteImportedKeyMaterial"}

// denyDestroyingKey denies DestroyingKeyActions to every principal but the account root. The key is
// retained (RemovalPolicy RETAIN), so CloudFormation never schedules its deletion, not even on a
// failed first deploy's rollback, which this statement would otherwise make fail.
func denyDestroyingKey(stack awscdk.Stack, key awskms.Key) {
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenyDestroyingTheKeyExceptRoot"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings(DestroyingKeyActions...),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"ArnNotEquals": map[string]any{"aws:PrincipalArn": rootArn(stack)}},
	}), nil)
}
