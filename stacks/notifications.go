package stacks

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/constructs/trailalarms"
	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/internal/notify"
	"github.com/trailwatch/trailwatch/internal/notify/build"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// The alarm-email function's settings (docs/notifications.md).
const (
	// NotifyTimeout covers a log search of up to 10,000 events and two publishes; the handler
	// keeps 12 s of it back for publishing.
	NotifyTimeout = 60
	// NotifyMemoryMB is enough for a 2,000-event window (5.3 MB allocated, benchmarked).
	NotifyMemoryMB = 128
	// NotifyConcurrency bounds the function: an alarm storm queues in Lambda's asynchronous queue
	// (throttled events are retried for up to six hours) instead of scaling out.
	NotifyConcurrency = 2
	// defaultEnvironment is the environment key's default: no label is shown for it.
	defaultEnvironment = "default"
)

// StackSetPlainWarningID identifies the synth-time warning that StackSet members get plain emails.
const StackSetPlainWarningID = "trailwatch:stackSetMembersGetPlainNotifications"

const stackSetPlainWarning = "notifications is enriched, but StackSet members get plain CloudWatch emails: " +
	"a StackSet's member template is inline (TemplateBody) and cannot carry the function's code asset, " +
	"which CloudFormation would need in an S3 bucket in every member account and Region (docs/notifications.md, \"StackSet members\"). " +
	"Set -c notifications=plain on this target to acknowledge."

// notificationsProps configures the alarm-email wiring of a stack.
type notificationsProps struct {
	// Config is the stack's configuration (emails, language, prefix, retention, trail name).
	Config config.Stack
	// Environment is the label the emails show next to the account ID.
	// Default: - none (also for the environment key's default, "default").
	Environment string
	// LogGroupName is the trail's log group, which the function searches.
	LogGroupName string
	// AlarmTopic is the topic the alarms notify (CloudWatch's JSON); it triggers the function.
	AlarmTopic awssns.ITopic
	// Key encrypts the email topic, the dead-letter queue and the function's log group.
	// Default: - SNS and CloudWatch Logs without a customer managed key; SQS-managed encryption.
	Key awskms.IKey
	// Code is the function's code (notifyCode). Required.
	Code awslambda.Code
}

// Notifications is the alarm-email path: the function the alarm topic triggers, the email topic
// it publishes to (the addresses subscribe there), and what makes its failures visible.
type Notifications struct {
	constructs.Construct
	EmailTopic      awssns.Topic
	Function        awslambda.Function
	Role            awsiam.Role
	LogGroup        awslogs.LogGroup
	DeadLetterQueue awssqs.Queue
	// ErrorsAlarm and DeadLetterAlarm notify the email topic, never the alarm topic: nothing the
	// function does can trigger it again.
	ErrorsAlarm     awscloudwatch.Alarm
	DeadLetterAlarm awscloudwatch.Alarm
}

// notifyLogGroupName is the function's log group's fixed name: the KMS key policy names its ARN,
// and a generated name would make the key and the group depend on each other.
func notifyLogGroupName(stack awscdk.Stack) string {
	return "trailwatch/alarm-email/" + *stack.StackName()
}

var (
	notifyDisplayName      = catalog.TopicDisplayName
	notifyErrorsText       = catalog.Text{"en": "The trailwatch alarm-email function failed: an alarm email went out without its events (subject \"ALARM (no details)\") or not at all. See the function's log group.", "ja": "trailwatch のアラームメール関数が失敗しました。アラームのメールがイベントなし (件名 \"ALARM (no details)\") で送信されたか、送信されませんでした。関数のロググループを確認してください。"}
	notifyDeadLettersText  = catalog.Text{"en": "An alarm notification reached the trailwatch dead-letter queue: the alarm-email function could not handle it. The message holds CloudWatch's alarm JSON.", "ja": "アラーム通知が trailwatch のデッドレターキューに入りました。アラームメール関数が処理できませんでした。メッセージには CloudWatch のアラーム JSON が入っています。"}
	notifyFunctionDesc     = "trailwatch: emails each alarm with the CloudTrail events it counted (docs/notifications.md)"
	notifyErrorsAlarm      = "TrailwatchAlarmEmailErrors"
	notifyDeadLettersAlarm = "TrailwatchAlarmEmailDeadLetters"
)

// newNotifications makes the alarm-email path under a new scope named id.
func newNotifications(scope constructs.Construct, id string, props *notificationsProps) *Notifications {
	if props.Code == nil {
		panic("stacks: notificationsProps.Code is required")
	}
	cfg := props.Config
	node := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(scope)
	n := &Notifications{Construct: node}
	logsArn := func(name string) *string {
		return stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("logs"), Resource: jsii.String("log-group"),
			ResourceName: jsii.String(name), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})
	}
	cloudwatch := awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)

	// The email topic: hardened like the alarm topic (TLS only, SHA256 signatures, the stack's key).
	n.EmailTopic = awssns.NewTopic(node, jsii.String("EmailTopic"), &awssns.TopicProps{
		DisplayName:      jsii.String(notifyDisplayName.In(cfg.Language)),
		EnforceSSL:       jsii.Bool(true),
		SignatureVersion: jsii.String("2"),
		MasterKey:        props.Key,
	})
	for _, email := range cfg.NotificationEmails {
		n.EmailTopic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(email), nil))
	}

	queueProps := &awssqs.QueueProps{
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
	}
	if props.Key != nil {
		queueProps.Encryption = awssqs.QueueEncryption_KMS
		queueProps.EncryptionMasterKey = props.Key
	}
	n.DeadLetterQueue = awssqs.NewQueue(node, jsii.String("DeadLetterQueue"), queueProps)
	// The queue is itself the end of the line: Lambda's on-failure destination.
	suppress(n.DeadLetterQueue, "AwsSolutions-SQS3", "This queue is the alarm-email function's on-failure destination (a dead-letter queue); it needs no dead-letter queue of its own.")

	fnLogGroup := notifyLogGroupName(stack)
	n.LogGroup = awslogs.NewLogGroup(node, jsii.String("LogGroup"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String(fnLogGroup),
		Retention:     retention[cfg.LogRetentionDays],
		EncryptionKey: props.Key,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE, // as the trail's log group (newTrailLogGroup): a fixed name a failed first deploy must not keep
	})
	if props.Key != nil {
		props.Key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("CloudWatchLogsEncryptsTheAlarmEmailLogGroup"),
			Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("logs."+*stack.Region()+".amazonaws.com"), nil)},
			Actions:    jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
			Resources:  jsii.Strings("*"),
			Conditions: &map[string]any{"ArnEquals": map[string]any{"kms:EncryptionContext:aws:logs:arn": logsArn(fnLogGroup)}},
		}), nil)
	}

	// The role: exactly what the handler calls, on exactly its resources; no managed policy.
	// Log group actions name the group's ARN with ":*", the form CloudWatch Logs authorizes
	// (and the CDK's LogGroup.grant uses).
	statements := []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("SearchTheTrailLogGroup"),
			Actions:   jsii.Strings("logs:FilterLogEvents", "logs:DescribeMetricFilters"),
			Resources: jsii.Strings(*logsArn(props.LogGroupName + ":*")),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("WriteItsOwnLogs"),
			Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
			Resources: jsii.Strings(*logsArn(fnLogGroup + ":*")),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("PublishTheEmail"),
			Actions:   jsii.Strings("sns:Publish"),
			Resources: jsii.Strings(*n.EmailTopic.TopicArn()),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("KeepFailedAlarms"),
			Actions:   jsii.Strings("sqs:SendMessage"),
			Resources: jsii.Strings(*n.DeadLetterQueue.QueueArn()),
		}),
	}
	if props.Key != nil {
		// Publishing to an encrypted topic and sending to an encrypted queue both make SNS and
		// SQS call GenerateDataKey (and Decrypt) on the caller's behalf; no other data-key variant.
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("EncryptTheEmailAndFailedAlarms"),
			Actions:   jsii.Strings("kms:GenerateDataKey", "kms:Decrypt"),
			Resources: jsii.Strings(*props.Key.KeyArn()),
		}))
	}
	n.Role = awsiam.NewRole(node, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("trailwatch alarm-email function: searches the trail's log group, publishes the email"),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"AlarmEmail": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &statements}),
		},
	})
	suppress(n.Role, "AwsSolutions-IAM5",
		"Log group ARNs end in ':*' in the form CloudWatch Logs authorizes; each names one log group (the trail's, and the function's own for its streams).",
		"Resource::"+*logsArn(props.LogGroupName + ":*"), "Resource::"+*logsArn(fnLogGroup + ":*"))

	env := map[string]*string{
		notify.EnvLogGroup: jsii.String(props.LogGroupName),
		notify.EnvTopicARN: n.EmailTopic.TopicArn(),
		notify.EnvLanguage: jsii.String(cfg.Language),
	}
	if props.Environment != "" && props.Environment != defaultEnvironment {
		env[notify.EnvEnvironment] = jsii.String(props.Environment)
	}
	n.Function = awslambda.NewFunction(node, jsii.String("Function"), &awslambda.FunctionProps{
		Description:                  jsii.String(notifyFunctionDesc),
		Runtime:                      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:                 awslambda.Architecture_X86_64(),
		Handler:                      jsii.String("bootstrap"),
		Code:                         props.Code,
		Role:                         n.Role,
		Timeout:                      awscdk.Duration_Seconds(jsii.Number(NotifyTimeout)),
		MemorySize:                   jsii.Number(NotifyMemoryMB),
		ReservedConcurrentExecutions: jsii.Number(NotifyConcurrency),
		Environment:                  &env,
		LogGroup:                     n.LogGroup,
	})
	// Lambda retries a failed asynchronous invocation twice by default, which would email a
	// degraded alarm again: no retry, and the event goes to the queue once.
	awslambda.NewCfnEventInvokeConfig(node, jsii.String("AsyncInvoke"), &awslambda.CfnEventInvokeConfigProps{
		FunctionName:         n.Function.FunctionName(),
		Qualifier:            jsii.String("$LATEST"),
		MaximumRetryAttempts: jsii.Number(0),
		DestinationConfig: &awslambda.CfnEventInvokeConfig_DestinationConfigProperty{
			OnFailure: &awslambda.CfnEventInvokeConfig_OnFailureProperty{Destination: n.DeadLetterQueue.QueueArn()},
		},
	})
	props.AlarmTopic.AddSubscription(awssnssubscriptions.NewLambdaSubscription(n.Function, nil))

	// Who may publish the email: the function's role, and CloudWatch alarms of this account (the
	// two below).
	n.EmailTopic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowTheAlarmEmailFunction"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewArnPrincipal(n.Role.RoleArn())},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  jsii.Strings(*n.EmailTopic.TopicArn()),
	}))
	n.EmailTopic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchAlarmsOfThisAccount"),
		Principals: &[]awsiam.IPrincipal{cloudwatch},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  jsii.Strings(*n.EmailTopic.TopicArn()),
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()},
			"ArnLike": map[string]any{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("cloudwatch"), Resource: jsii.String("alarm"),
				ResourceName: jsii.String("*"), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
			})},
		},
	}))

	toEmail := awscloudwatchactions.NewSnsAction(n.EmailTopic)
	fiveMinutes := awscdk.Duration_Minutes(jsii.Number(5))
	n.ErrorsAlarm = awscloudwatch.NewAlarm(node, jsii.String("ErrorsAlarm"), &awscloudwatch.AlarmProps{
		AlarmName:          jsii.String(cfg.AlarmNamePrefix + notifyErrorsAlarm),
		AlarmDescription:   jsii.String(notifyErrorsText.In(cfg.Language)),
		Metric:             n.Function.MetricErrors(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: fiveMinutes}),
		Threshold:          jsii.Number(1),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	n.ErrorsAlarm.AddAlarmAction(toEmail)
	n.DeadLetterAlarm = awscloudwatch.NewAlarm(node, jsii.String("DeadLetterAlarm"), &awscloudwatch.AlarmProps{
		AlarmName:        jsii.String(cfg.AlarmNamePrefix + notifyDeadLettersAlarm),
		AlarmDescription: jsii.String(notifyDeadLettersText.In(cfg.Language)),
		Metric: n.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{
			Statistic: jsii.String("Maximum"), Period: fiveMinutes,
		}),
		Threshold:          jsii.Number(1),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	n.DeadLetterAlarm.AddAlarmAction(toEmail)
	return n
}

// wireNotifications makes the alarm-email path for an enriched stack, and its outputs.
func wireNotifications(stack awscdk.Stack, cfg config.Stack, environment, logGroupName string, alarms *trailalarms.TrailAlarms, key awskms.IKey, code awslambda.Code) *Notifications {
	n := newNotifications(stack, "Notifications", &notificationsProps{
		Config: cfg, Environment: environment, LogGroupName: logGroupName,
		AlarmTopic: alarms.Topic, Key: key, Code: code,
	})
	output(stack, "AlarmEmailTopicArn", n.EmailTopic.TopicArn(), "SNS topic of the alarm emails (the addresses subscribe here)")
	return n
}

// alarmTopicDescription describes the AlarmTopicArn output.
func alarmTopicDescription(cfg config.Stack) string {
	if cfg.Notifications == config.Enriched {
		return "SNS topic the alarms notify, with CloudWatch's alarm JSON: subscribe integrations (AWS Chatbot, PagerDuty) here"
	}
	return "SNS topic the alarms notify"
}

// The function's code, built once per process from this module's source (build.Bootstrap) into
// a directory of its own; every stack's asset is made from it, so they share one asset hash.
var notifyBuild struct {
	once sync.Once
	dir  string
	err  error
}

// ErrNotifyBuild wraps every failure to build the alarm-email function.
var ErrNotifyBuild = errors.New("building the alarm-email function")

// modulePath is the module whose source holds the function.
const modulePath = "github.com/trailwatch/trailwatch"

// NotifyCodeDir builds the function's bootstrap (once per process) and returns the directory
// that holds it.
func NotifyCodeDir() (string, error) {
	notifyBuild.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			notifyBuild.err = fmt.Errorf("%w: %v; run the app from the trailwatch checkout, or set -c notifications=plain", ErrNotifyBuild, err)
			return
		}
		dir, err := os.MkdirTemp("", "trailwatch-alarm-email-")
		if err != nil {
			notifyBuild.err = fmt.Errorf("%w: %v", ErrNotifyBuild, err)
			return
		}
		if _, err := build.Bootstrap(context.Background(), root, dir); err != nil {
			os.RemoveAll(dir)
			notifyBuild.err = fmt.Errorf("%w: %v", ErrNotifyBuild, err)
			return
		}
		notifyBuild.dir = dir
	})
	return notifyBuild.dir, notifyBuild.err
}

// RemoveNotifyBuild deletes the built function once the app has synthesized (the asset is then
// staged in cdk.out).
func RemoveNotifyBuild() {
	if notifyBuild.dir != "" {
		os.RemoveAll(notifyBuild.dir)
	}
}

// notifyCode is a new asset of the function's code: an asset belongs to one stack.
func notifyCode() (awslambda.Code, error) {
	dir, err := NotifyCodeDir()
	if err != nil {
		return nil, err
	}
	return awslambda.Code_FromAsset(jsii.String(dir), nil), nil
}

// declaresModule reports whether a go.mod's module directive names modulePath.
func declaresModule(gomod string) bool {
	for _, line := range strings.Split(gomod, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`) == modulePath
		}
	}
	return false
}

// moduleRoot is the nearest directory at or above the working directory whose go.mod is this
// module's (the app runs from the checkout; tests from a package directory in it).
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	// Up to the root, which is its own parent.
	for dir, child := wd, ""; dir != child; dir, child = filepath.Dir(dir), dir {
		if mod, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && declaresModule(string(mod)) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("no go.mod of module %s at or above %s", modulePath, wd)
}

// NotificationTexts are the texts the alarm-email wiring writes into the template, by name, so a
// test can require a translation in every catalog.Languages entry.
func NotificationTexts() map[string]catalog.Text {
	return map[string]catalog.Text{"errors alarm": notifyErrorsText, "dead-letter alarm": notifyDeadLettersText, "email topic": notifyDisplayName}
}
