package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
)

// newTrailBucket is the bucket that keeps the trail's log files: private, TLS only, versioned,
// ACLs disabled, retained when the stack goes, and writable only by this trail.
func newTrailBucket(stack awscdk.Stack, cfg config.Config, trailArn *string) awss3.Bucket {
	bucket := awss3.NewBucket(stack, jsii.String("TrailBucket"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(1.2),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		Versioned:         jsii.Bool(true),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		LifecycleRules:    lifecycleRules(cfg),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
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
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AWSCloudTrailWrite"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  jsii.Strings(*bucket.ArnForObjects(jsii.String("AWSLogs/" + *stack.Account() + "/*"))),
		Conditions: &map[string]any{"StringEquals": map[string]any{
			"s3:x-amz-acl":  "bucket-owner-full-control",
			"aws:SourceArn": trailArn,
		}},
	}))
	return bucket
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
func lifecycleRules(cfg config.Config) *[]*awss3.LifecycleRule {
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

// newTrailLogGroup is the log group the trail delivers to and the alarms filter; it is retained when
// the stack goes. Its name is generated, so a redeploy after a retained delete does not collide.
func newTrailLogGroup(stack awscdk.Stack, cfg config.Config) awslogs.LogGroup {
	return awslogs.NewLogGroup(stack, jsii.String("TrailLogGroup"), &awslogs.LogGroupProps{
		Retention:     retention[cfg.LogRetentionDays],
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
}
