// Package stacks holds trailwatch's CloudFormation stacks, one file per stack.
package stacks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudtrail"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/constructs/trailalarms"
	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// WriteOnlyWarningID identifies the synth-time warning a WriteOnly trail gets.
const WriteOnlyWarningID = "trailwatch:writeOnlyTrail"

// AuditProps configures the Audit stack.
type AuditProps struct {
	awscdk.StackProps
	// Config is what the stack builds (a validated config.Stack). Required.
	Config config.Stack
	// Environment is the label the alarm emails show next to the account ID.
	// Default: - none.
	Environment string
	// NotifyCode is the alarm-email function's code. Required when Config.Notifications is enriched.
	NotifyCode awslambda.Code
}

// Audit is one account's audit trail: the trail bucket and its access-log bucket, the trail, the
// log group it delivers to, the delivery role, the KMS key (unless encryption is none), and AWS's
// ten metric filters and alarms with their SNS topic.
type Audit struct {
	awscdk.Stack
	Key          awskms.Key // nil when encryption is none
	AccessLogs   awss3.Bucket
	Bucket       awss3.Bucket
	LogGroup     awslogs.LogGroup
	DeliveryRole awsiam.Role
	Trail        awscloudtrail.CfnTrail
	Alarms       *trailalarms.TrailAlarms
	// Notifications is the alarm-email path; nil when notifications are plain.
	Notifications *Notifications
	// Athena is the Glue table, workgroup and named queries over the trail bucket; nil unless
	// Config.Athena.
	Athena *Athena
}

// NewAudit makes the Audit stack.
func NewAudit(scope constructs.Construct, id string, props *AuditProps) *Audit {
	cfg := props.Config
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	a := &Audit{Stack: stack}

	// The trail's ARN is known before the trail exists because its name is fixed; the bucket policy
	// needs it (aws:SourceArn), and CloudTrail refuses to create a trail before the policy is there.
	trailArn := stack.FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("cloudtrail"),
		Resource:     jsii.String("trail"),
		ResourceName: jsii.String(cfg.TrailName),
	})

	var key awskms.IKey
	if cfg.Encryption == config.KMS {
		logGroupArn := stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("logs"), Resource: jsii.String("log-group"),
			ResourceName: jsii.String(logGroupName(cfg)), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})
		a.Key = newKey(stack, cfg.TrailName, trailArn, logGroupArn)
		key = a.Key
	}

	deployer := deployerArn(stack, props.Synthesizer)
	a.AccessLogs = newAccessLogsBucket(stack, cfg, deployer)
	a.Bucket = newTrailBucket(stack, cfg, trailArn, a.AccessLogs, deployer)
	a.LogGroup = newTrailLogGroup(stack, cfg, key)
	a.DeliveryRole = newDeliveryRole(stack, a.LogGroup, cfg)

	// The L1 trail, not the L2: the L2 adds bucket-policy statements without aws:SourceArn (which
	// would let any trail in this account write here) and grants its role every stream of the group.
	a.Trail = awscloudtrail.NewCfnTrail(stack, jsii.String("Trail"), &awscloudtrail.CfnTrailProps{
		TrailName:                  jsii.String(cfg.TrailName),
		IsLogging:                  jsii.Bool(true),
		IsMultiRegionTrail:         jsii.Bool(true),
		IncludeGlobalServiceEvents: jsii.Bool(true),
		EnableLogFileValidation:    jsii.Bool(true),
		S3BucketName:               a.Bucket.BucketName(),
		CloudWatchLogsLogGroupArn:  a.LogGroup.LogGroupArn(),
		CloudWatchLogsRoleArn:      a.DeliveryRole.RoleArn(),
		EventSelectors: &[]*awscloudtrail.CfnTrail_EventSelectorProperty{{
			IncludeManagementEvents: jsii.Bool(true),
			ReadWriteType:           jsii.String(cfg.ManagementEvents),
		}},
	})
	if cfg.OrganizationTrail {
		a.Trail.SetIsOrganizationTrail(jsii.Bool(true))
	}
	if a.Key != nil {
		a.Trail.SetKmsKeyId(a.Key.KeyArn())
		// CloudTrail checks the key policy when the trail is created or updated.
		a.Trail.Node().AddDependency(a.Key)
	}
	a.Trail.Node().AddDependency(a.Bucket.Policy(), a.DeliveryRole)
	if cfg.ManagementEvents == config.WriteOnly {
		awscdk.Annotations_Of(a.Trail).AddWarningV2(jsii.String(WriteOnlyWarningID), jsii.String(writeOnlyWarning), nil)
	}
	if cfg.ObjectLockDays > 0 {
		awscdk.Annotations_Of(a.Bucket).AddWarningV2(jsii.String(ObjectLockWarningID), jsii.String(objectLockWarning), nil)
	}

	alarms := alarmProps(cfg, a.LogGroup, key)
	alarms.Watch = &catalog.Watched{
		Account:      *stack.Account(),
		TrailName:    cfg.TrailName,
		Buckets:      []string{*a.Bucket.BucketName(), *a.AccessLogs.BucketName()},
		LogGroupName: logGroupName(cfg),
	}
	if a.Key != nil {
		alarms.Watch.KeyID = *a.Key.KeyId()
	}
	a.Alarms = trailalarms.New(stack, "Alarms", alarms)
	if cfg.Notifications == config.Enriched {
		a.Notifications = wireNotifications(stack, cfg, props.Environment, logGroupName(cfg), a.Alarms, key, props.NotifyCode)
	}
	if cfg.Athena {
		a.Athena = NewAthena(stack, "Athena", &AthenaProps{Config: cfg, TrailBucket: a.Bucket, AccessLogs: a.AccessLogs, Key: key})
	}

	output(stack, "TrailArn", trailArn, "ARN of the CloudTrail trail")
	output(stack, "TrailBucketName", a.Bucket.BucketName(), "S3 bucket that keeps the trail's log files")
	output(stack, "TrailLogGroupName", a.LogGroup.LogGroupName(), "CloudWatch Logs group the trail delivers to")
	output(stack, "AlarmTopicArn", a.Alarms.Topic.TopicArn(), alarmTopicDescription(cfg))
	return a
}

// ObjectLockWarningID identifies the synth-time warning that Object Lock needs a new bucket.
const ObjectLockWarningID = "trailwatch:objectLockNeedsNewBucket"

const objectLockWarning = "objectLockDays is set: S3 Object Lock is meant to be turned on when a bucket is created. " +
	"If this stack is already deployed without it, check `cdk diff` before deploying: if it shows the trail bucket " +
	"being replaced, the trail moves to a new, locked bucket and the old bucket is kept (retained) with every log file " +
	"written so far; objects written before the lock are never locked."

const writeOnlyWarning = "managementEvents is WriteOnly: the trail drops read events, so " +
	"AuthorizationFailures sees only denied write calls (denied Describe/List/Get calls go unseen), and " +
	"Security Hub CloudTrail.1 and CloudWatch.1-14 require ReadWriteType All. " +
	"Use -c managementEvents=All to record them (CloudWatch Logs ingestion costs more)."

// alarmProps are the construct's props for a configuration, in either kind of stack. With
// enriched notifications the addresses subscribe to the email topic instead (newNotifications).
func alarmProps(cfg config.Stack, logGroup awslogs.ILogGroup, key awskms.IKey) *trailalarms.Props {
	emails := cfg.NotificationEmails
	if cfg.Notifications == config.Enriched {
		emails = nil
	}
	return &trailalarms.Props{
		LogGroup:        logGroup,
		Alarms:          cfg.Alarms,
		Emails:          emails,
		AlarmNamePrefix: cfg.AlarmNamePrefix,
		Language:        cfg.Language,
		EncryptionKey:   key,
	}
}

func output(stack awscdk.Stack, id string, value *string, description string) {
	awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{
		Value:       value,
		Description: jsii.String(description),
	})
}

// newDeliveryRole is the role CloudTrail assumes to write to the log group: it may create streams
// and put events only in CloudTrail's own streams of this group. Streams are named
// ACCOUNT_CloudTrail_REGION[_N], one per Region a multi-Region trail records, so the Region part
// is a wildcard; an organization trail also writes its members' events to o-ORGID_* streams.
func newDeliveryRole(stack awscdk.Stack, logGroup awslogs.LogGroup, cfg config.Stack) awsiam.Role {
	role := awsiam.NewRole(stack, jsii.String("TrailDeliveryRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("cloudtrail.amazonaws.com"), nil),
		Description: jsii.String("Lets CloudTrail deliver events to the trailwatch log group"),
	})
	prefixes := []string{*stack.Account() + "_CloudTrail_"}
	if cfg.OrganizationTrail {
		prefixes = append(prefixes, cfg.OrganizationID+"_")
	}
	var streams []*string
	for _, p := range prefixes {
		streams = append(streams, stack.FormatArn(&awscdk.ArnComponents{
			Service:      jsii.String("logs"),
			Resource:     jsii.String("log-group"),
			ResourceName: jsii.String(fmt.Sprintf("%s:log-stream:%s*", *logGroup.LogGroupName(), p)),
			ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
		}))
	}
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("CloudTrailDeliversToItsStreams"),
		Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
		Resources: &streams,
	}))
	// After AddToPolicy: the suppression must reach the DefaultPolicy it creates.
	reason := "CloudTrail names its streams ACCOUNT_CloudTrail_REGION[_N], one per recorded Region, so the stream part must be a prefix; the group is fixed."
	if cfg.OrganizationTrail {
		reason += " An organization trail also writes member accounts' events to o-ORGID_* streams."
	}
	suppress(role, "AwsSolutions-IAM5", reason)
	return role
}
