package stacks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/constructs/trailalarms"
	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// ExistingTrailWarningID identifies the synth-time reminder about the existing trail's settings.
const ExistingTrailWarningID = "trailwatch:existingTrailMustRecordAll"

// AlarmsOnlyProps configures the AlarmsOnly stack.
type AlarmsOnlyProps struct {
	awscdk.StackProps
	// Config is what the stack builds (a validated config.Stack); its ExistingLogGroupName is required.
	Config config.Stack
	// Environment is the label the alarm emails show next to the account ID.
	// Default: - none.
	Environment string
	// NotifyCode is the alarm-email function's code. Required when Config.Notifications is enriched.
	NotifyCode awslambda.Code
}

// AlarmsOnly is the metric filters, alarms and topic on the log group of a trail that already
// exists (an organization or Control Tower trail): no bucket, trail, role or log group, so no
// second copy of the events is paid for. Filters must live in the log group's Region, so the stack
// must be deployed there.
type AlarmsOnly struct {
	awscdk.Stack
	Key    awskms.Key // the topic's key; nil when encryption is none
	Alarms *trailalarms.TrailAlarms
	// Notifications is the alarm-email path; nil when notifications are plain.
	Notifications *Notifications
}

// NewAlarmsOnly makes the AlarmsOnly stack.
func NewAlarmsOnly(scope constructs.Construct, id string, props *AlarmsOnlyProps) *AlarmsOnly {
	cfg := props.Config
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	a := &AlarmsOnly{Stack: stack}
	logGroup := awslogs.LogGroup_FromLogGroupName(stack, jsii.String("ExistingTrailLogGroup"), jsii.String(cfg.ExistingLogGroupName))
	var key awskms.IKey
	if cfg.Encryption == config.KMS {
		a.Key = awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{
			Description:       jsii.String("trailwatch: encrypts the alarm topic"),
			EnableKeyRotation: jsii.Bool(true),
			RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		})
		denyDestroyingKey(stack, a.Key)
		key = a.Key
	}
	alarms := alarmProps(cfg, logGroup, key)
	alarms.Watch = &catalog.Watched{Account: *stack.Account(), LogGroupName: cfg.ExistingLogGroupName}
	if a.Key != nil {
		alarms.Watch.KeyID = *a.Key.KeyId()
	}
	a.Alarms = trailalarms.New(stack, "Alarms", alarms)
	if cfg.Notifications == config.Enriched {
		a.Notifications = wireNotifications(stack, cfg, props.Environment, cfg.ExistingLogGroupName, a.Alarms, key, props.NotifyCode)
	}
	for _, p := range cfg.AlarmProfiles {
		if p.ManagementEvents != "" {
			awscdk.Annotations_Of(a.Alarms.Construct).AddWarningV2(jsii.String(ExistingTrailWarningID), jsii.String(fmt.Sprintf(
				"alarmProfile includes %s on an existing trail: %s pass only if the trail delivering to %s is multi-Region "+
					"and records management events of type %s; trailwatch cannot check a trail it does not own",
				p.Name, p.Checks, cfg.ExistingLogGroupName, p.ManagementEvents)), nil)
		}
	}
	output(stack, "AlarmTopicArn", a.Alarms.Topic.TopicArn(), alarmTopicDescription(cfg))
	output(stack, "WatchedLogGroupName", jsii.String(cfg.ExistingLogGroupName), "the existing trail's log group the alarms filter")
	return a
}
