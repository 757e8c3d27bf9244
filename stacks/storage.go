package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
)

// newTrailBucket is the bucket that keeps the trail's log files: private, TLS only, versioned,
// ACLs disabled, access-logged, retained when the stack goes, writable only by this trail, and
// its objects deletable only by the account root (and by the lifecycle rule).
//
// Default encryption stays SSE-S3: CloudTrail encrypts log files with the trail's KMS key itself,
// and a KMS bucket default would also apply to the digest files CloudTrail writes, which the key
// policy (scoped to CloudTrail's encryption context) would refuse.
func newTrailBucket(stack awscdk.Stack, cfg config.Stack, trailArn *string, accessLogs awss3.IBucket, deployer *string) awss3.Bucket {
	props := hardenedBucket(cfg)
	props.ServerAccessLogsBucket = accessLogs
	props.ServerAccessLogsPrefix = jsii.String("trail-bucket/")
	if cfg.ObjectLockDays > 0 {
		props.ObjectLockEnabled = jsii.Bool(true)
		days := awscdk.Duration_Days(jsii.Number(float64(cfg.ObjectLockDays)))
		if cfg.ObjectLockMode == "COMPLIANCE" {
			props.ObjectLockDefaultRetention = awss3.ObjectLockRetention_Compliance(days)
		} else {
			props.ObjectLockDefaultRetention = awss3.ObjectLockRetention_Governance(days)
		}
	}
	bucket := awss3.NewBucket(stack, jsii.String("TrailBucket"), props)
	protect(stack, bucket, deployer)
	cloudtrail := awsiam.NewServicePrincipal(jsii.String("cloudtrail.amazonaws.com"), nil)
	thisTrail := map[string]any{"aws:SourceArn": trailArn}
	// The two statements of AWS's guide ("Amazon S3 bucket policy for CloudTrail"), each scoped to
	// this trail with aws:SourceArn.
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AWSCloudTrailAclCheck"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("s3:GetBucketAcl"),
		Resources:  jsii.Strings(*bucket.BucketArn()),
		Conditions: &map[string]any{"StringEquals": thisTrail},
	}))
	write := func(sid, prefix string) {
		bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String(sid),
			Principals: &[]awsiam.IPrincipal{cloudtrail},
			Actions:    jsii.Strings("s3:PutObject"),
			Resources:  jsii.Strings(*bucket.ArnForObjects(jsii.String("AWSLogs/" + prefix + "/*"))),
			Conditions: &map[string]any{"StringEquals": map[string]any{
				"s3:x-amz-acl":  "bucket-owner-full-control",
				"aws:SourceArn": trailArn,
			}},
		}))
	}
	write("AWSCloudTrailWrite", *stack.Account())
	if cfg.OrganizationTrail {
		// An organization trail writes every member account's files under AWSLogs/ORG_ID/.
		write("AWSCloudTrailOrganizationWrite", cfg.OrganizationID)
	}
	return bucket
}

// newAccessLogsBucket receives the trail bucket's S3 server access logs: as hardened and as
// retained as the trail bucket. S3 log delivery needs SSE-S3 on it.
func newAccessLogsBucket(stack awscdk.Stack, cfg config.Stack, deployer *string) awss3.Bucket {
	bucket := awss3.NewBucket(stack, jsii.String("AccessLogsBucket"), hardenedBucket(cfg))
	protect(stack, bucket, deployer)
	return bucket
}

// hardenedBucket is what both buckets share.
func hardenedBucket(cfg config.Stack) *awss3.BucketProps {
	return &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(1.2),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		Versioned:         jsii.Bool(true),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		LifecycleRules:    lifecycleRules(cfg),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	}
}

// protect denies what would destroy the audit data or open the way to it, in two statements
// (docs/security.md, "Bucket policies"):
//   - deleting the bucket, its objects and their versions, and its policy: everyone but the
//     account root (CloudFormation never deletes them: bucket and policy are retained);
//   - changing what decides how long the data lives (lifecycle rules expire objects, and S3
//     lifecycle expiration is not subject to bucket policies; versioning, Object Lock) and who may
//     touch it (the policy) or what records access (server access logging): everyone but root and
//     deployer, the role CloudFormation deploys the stack with, so the next deploy can still
//     change those settings.
//
// The policy itself is retained with the bucket, so the protection outlives the stack.
func protect(stack awscdk.Stack, bucket awss3.Bucket, deployer *string) {
	root := rootArn(stack)
	resources := jsii.Strings(*bucket.BucketArn(), *bucket.ArnForObjects(jsii.String("*")))
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenyDeletingAuditDataExceptRoot"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:DeleteBucket", "s3:DeleteBucketPolicy"),
		Resources:  resources,
		Conditions: &map[string]any{"ArnNotEquals": map[string]any{"aws:PrincipalArn": root}},
	}))
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenyWeakeningAuditDataExceptRootAndDeployer"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings(WeakeningBucketActions...),
		Resources:  jsii.Strings(*bucket.BucketArn()),
		Conditions: &map[string]any{"ArnNotLike": map[string]any{"aws:PrincipalArn": []any{root, deployer}}},
	}))
	bucket.Policy().ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN)
}

// WeakeningBucketActions are the bucket-level actions only root and the deployer may take on the
// trail and access-log buckets. Left out, each for its reason in docs/security.md: replication
// (copies, never deletes), encryption, ACL, ownership and public-access settings (they expose
// data, they do not destroy it; Block Public Access and EnforceSSL stay in the template).
var WeakeningBucketActions = []string{
	"s3:PutLifecycleConfiguration",
	"s3:PutBucketVersioning",
	"s3:PutBucketObjectLockConfiguration",
	"s3:PutBucketPolicy",
	"s3:PutBucketLogging",
}

func rootArn(stack awscdk.Stack) *string {
	return stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("root"),
	})
}

var storageClasses = map[string]func() awss3.StorageClass{
	"STANDARD_IA":         awss3.StorageClass_INFREQUENT_ACCESS,
	"ONEZONE_IA":          awss3.StorageClass_ONE_ZONE_INFREQUENT_ACCESS,
	"INTELLIGENT_TIERING": awss3.StorageClass_INTELLIGENT_TIERING,
	"GLACIER_IR":          awss3.StorageClass_GLACIER_INSTANT_RETRIEVAL,
	"GLACIER":             awss3.StorageClass_GLACIER,
	"DEEP_ARCHIVE":        awss3.StorageClass_DEEP_ARCHIVE,
}

// lifecycleRules moves log files (and versions replaced or deleted) to a colder class, and expires
// them only if the user asked for it.
func lifecycleRules(cfg config.Stack) *[]*awss3.LifecycleRule {
	rule := &awss3.LifecycleRule{
		Id:                                  jsii.String("TrailLogs"),
		Enabled:                             jsii.Bool(true),
		AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(7)),
	}
	if cfg.BucketTransitionDays > 0 {
		class := storageClasses[cfg.BucketTransitionStorageClass]()
		after := awscdk.Duration_Days(jsii.Number(float64(cfg.BucketTransitionDays)))
		rule.Transitions = &[]*awss3.Transition{{StorageClass: class, TransitionAfter: after}}
		rule.NoncurrentVersionTransitions = &[]*awss3.NoncurrentVersionTransition{{StorageClass: class, TransitionAfter: after}}
	}
	if cfg.BucketExpirationDays > 0 {
		after := awscdk.Duration_Days(jsii.Number(float64(cfg.BucketExpirationDays)))
		rule.Expiration = after
		rule.NoncurrentVersionExpiration = after
	}
	return &[]*awss3.LifecycleRule{rule}
}

// retention maps CloudWatch Logs' accepted retentions (config.RetentionDays) to the CDK's names.
var retention = map[int]awslogs.RetentionDays{
	0: awslogs.RetentionDays_INFINITE, 1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS,
	5: awslogs.RetentionDays_FIVE_DAYS, 7: awslogs.RetentionDays_ONE_WEEK, 14: awslogs.RetentionDays_TWO_WEEKS,
	30: awslogs.RetentionDays_ONE_MONTH, 60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS,
	120: awslogs.RetentionDays_FOUR_MONTHS, 150: awslogs.RetentionDays_FIVE_MONTHS, 180: awslogs.RetentionDays_SIX_MONTHS,
	365: awslogs.RetentionDays_ONE_YEAR, 400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS,
	731: awslogs.RetentionDays_TWO_YEARS, 1096: awslogs.RetentionDays_THREE_YEARS, 1827: awslogs.RetentionDays_FIVE_YEARS,
	2192: awslogs.RetentionDays_SIX_YEARS, 2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS,
	3288: awslogs.RetentionDays_NINE_YEARS, 3653: awslogs.RetentionDays_TEN_YEARS,
}

// logGroupName is the trail log group's fixed name, like AWS's CloudTrail/DefaultLogGroup: the KMS
// key policy must name the group's ARN, and a generated name would make the key and the group
// depend on each other.
func logGroupName(cfg config.Stack) string { return "CloudTrail/" + cfg.TrailName }

// newTrailLogGroup is the log group the trail delivers to and the alarms filter; it is encrypted with
// key when there is one, and retained when the stack goes or replaces it — but not when the stack's
// first deploy fails: CloudFormation's RetainExceptOnCreate deletes it on that rollback, since its
// fixed name would make every retry fail with "already exists". Nothing of the stack denies
// deleting it, so that rollback succeeds.
func newTrailLogGroup(stack awscdk.Stack, cfg config.Stack, key awskms.IKey) awslogs.LogGroup {
	return awslogs.NewLogGroup(stack, jsii.String("TrailLogGroup"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String(logGroupName(cfg)),
		Retention:     retention[cfg.LogRetentionDays],
		EncryptionKey: key,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE,
	})
}
