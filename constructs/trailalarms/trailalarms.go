// Package trailalarms makes CloudWatch Logs metric filters and alarms for CloudTrail events from a
// declarative catalog (package catalog), on any log group CloudTrail delivers to.
//
// It is usable on its own against an existing trail's log group:
//
//	trailalarms.New(stack, "Alarms", &trailalarms.Props{
//		LogGroup: awslogs.LogGroup_FromLogGroupName(stack, jsii.String("Trail"), jsii.String("aws-controltower/CloudTrailLogs")),
//		Emails:   []string{"ops@example.com"},
//	})
package trailalarms

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// comparisonOperators and treatMissingData spell the catalog's CloudFormation values as the
// CDK's enums; catalog.Evaluation holds the values themselves.
var (
	comparisonOperators = map[string]awscloudwatch.ComparisonOperator{
		"GreaterThanOrEqualToThreshold": awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		"GreaterThanThreshold":          awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		"LessThanThreshold":             awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD,
		"LessThanOrEqualToThreshold":    awscloudwatch.ComparisonOperator_LESS_THAN_OR_EQUAL_TO_THRESHOLD,
	}
	treatMissingData = map[string]awscloudwatch.TreatMissingData{
		"notBreaching": awscloudwatch.TreatMissingData_NOT_BREACHING,
		"breaching":    awscloudwatch.TreatMissingData_BREACHING,
		"ignore":       awscloudwatch.TreatMissingData_IGNORE,
		"missing":      awscloudwatch.TreatMissingData_MISSING,
	}
)

// The alarms leave DatapointsToAlarm out: the catalog's equals its EvaluationPeriods, which is
// CloudWatch's default. This line stops compiling if the catalog ever makes them differ.
var _ [catalog.DatapointsToAlarm - catalog.EvaluationPeriods]struct{} = [0]struct{}{}

// ErrInvalidProps is wrapped by every error Validate returns.
var ErrInvalidProps = errors.New("invalid trailalarms props")

// Props configures TrailAlarms.
type Props struct {
	// LogGroup is the log group CloudTrail delivers events to; the metric filters are made on it
	// (and so live in its Region). Required.
	LogGroup awslogs.ILogGroup
	// Alarms are the rows to make, in order: one metric filter and one alarm each.
	// Default: - catalog.AWS(), AWS's ten recommended alarms.
	Alarms []catalog.Alarm
	// Namespace of the metrics the filters emit, for rows that name none.
	// Default: catalog.DefaultNamespace ("CloudTrailMetrics").
	Namespace string
	// Topic the alarms notify.
	// Default: - a new topic with TLS enforced, whose policy lets only CloudWatch alarms of this
	// account publish.
	Topic awssns.ITopic
	// EncryptionKey encrypts the topic the construct makes; CloudWatch is allowed to use it
	// (kms:GenerateDataKey*, kms:Decrypt) so alarms still deliver. Ignored when Topic is given.
	// Default: - the topic is not encrypted (an AWS-managed SNS key would silently stop alarm delivery).
	EncryptionKey awskms.IKey
	// Emails get one email subscription each on the topic. Each address must confirm it.
	// Default: - no subscriptions.
	Emails []string
	// AlarmNamePrefix goes before each row's alarm name, so two deployments in one account do not collide.
	// Default: - none: the names of AWS's template (CloudTrailSecurityGroupChanges, ...).
	AlarmNamePrefix string
	// Language of the alarm descriptions and the topic's display name: a code of catalog.Languages.
	// Default: "en".
	Language string
	// Watch names the stack's other resources the tamper rows guard (catalog.Tamper): the trail,
	// buckets, key and log group. The construct adds its own alarms' names, the prefix and its
	// topic's ARN, and makes the tamper rows after Alarms.
	// Default: - no tamper rows.
	Watch *catalog.Watched
}

// TrailAlarms is one metric filter and one alarm per catalog row, and the topic they notify.
type TrailAlarms struct {
	constructs.Construct
	// Topic is the topic every alarm notifies.
	Topic awssns.ITopic
	// Filters are the metric filters, in catalog order.
	Filters []awslogs.MetricFilter
	// Alarms are the alarms, in catalog order.
	Alarms []awscloudwatch.Alarm
}

// Validate checks props in pure Go, before any construct exists, and reports every problem: the
// rows (catalog.Validate: IDs, names, thresholds, and every pattern parsed by the filter-pattern
// engine, so a malformed one stops synth with its column), the log group, language and prefix.
func (p *Props) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidProps}, a...)...))
	}
	if p.LogGroup == nil {
		bad("LogGroup is required")
	}
	if codes := catalog.LanguageCodes(); p.Language != "" && !slices.Contains(codes, p.Language) {
		bad("Language %q is not supported; allowed: %s", p.Language, strings.Join(codes, ", "))
	}
	rows := p.alarms()
	rowsErr := catalog.Validate(rows)
	if rowsErr != nil {
		errs = append(errs, fmt.Errorf("%w: %w", ErrInvalidProps, rowsErr))
	}
	if p.Watch != nil && rowsErr == nil {
		// The topic ARN is only known once the topic exists; the length check assumes the longest.
		tamper, err := catalog.Tamper(p.watched("arn:aws:sns:us-east-1:123456789012:topic"))
		if err == nil {
			err = catalog.Validate(append(slices.Clone(rows), tamper...)) // no ID or name clash
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: tamper rows: %w", ErrInvalidProps, err))
		}
	}
	for i, a := range rows {
		if math.IsInf(a.Threshold, 0) || math.IsNaN(a.Threshold) {
			bad("alarm %d (%s): threshold %v is not a finite number (a template cannot hold it)", i+1, a.ID, a.Threshold)
		}
		if len(p.AlarmNamePrefix)+len(a.AlarmName) > catalog.MaxAlarmNameLen {
			bad("alarm %d (%s): alarm name %q with prefix %q is longer than %d characters", i+1, a.ID, a.AlarmName, p.AlarmNamePrefix, catalog.MaxAlarmNameLen)
		}
	}
	return errors.Join(errs...)
}

// watched is Watch completed with the construct's own alarm names, prefix and topic ARN.
func (p *Props) watched(topicArn string) catalog.Watched {
	w := *p.Watch
	w.AlarmNamePrefix = p.AlarmNamePrefix
	w.AlarmNames = nil
	for _, a := range p.alarms() {
		w.AlarmNames = append(w.AlarmNames, a.AlarmName)
	}
	w.TopicArn = topicArn
	return w
}

func (p *Props) alarms() []catalog.Alarm {
	if p.Alarms == nil {
		return catalog.AWS()
	}
	return p.Alarms
}

// New makes the filters, alarms and (unless given) topic under a new scope named id.
// It panics, as CDK constructs do, when props are invalid; call props.Validate first to get an error.
func New(scope constructs.Construct, id string, props *Props) *TrailAlarms {
	if props == nil {
		props = &Props{}
	}
	if err := props.Validate(); err != nil {
		panic(err)
	}
	// Children hang off the plain construct: jsii cannot take the Go struct that embeds it as a scope.
	node := constructs.NewConstruct(scope, jsii.String(id))
	this := &TrailAlarms{Construct: node}

	this.Topic = props.Topic
	if this.Topic == nil {
		this.Topic = newTopic(node, props.Language, props.EncryptionKey)
	}
	for _, email := range props.Emails {
		this.Topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(email), nil))
	}
	action := awscloudwatchactions.NewSnsAction(this.Topic)

	rows := props.alarms()
	if props.Watch != nil {
		// Tamper cannot fail here: Validate made the same call, and Tamper checks the pattern length
		// with its own longest topic ARN whatever ARN it is given.
		tamper, _ := catalog.Tamper(props.watched(*this.Topic.TopicArn()))
		rows = append(slices.Clip(rows), tamper...)
	}
	for _, row := range rows {
		filter, alarm := newRow(node, props, row, action)
		this.Filters = append(this.Filters, filter)
		this.Alarms = append(this.Alarms, alarm)
	}
	return this
}

// newRow makes one row's metric filter and alarm under a scope named by the row's ID. A row with
// dimensions also gets a second filter that publishes the same metric per dimension value, for
// drill-down; the alarm watches the dimensionless total, which a dimensioned metric cannot give.
// A row with a BenchmarkPattern gets one more filter on the same dimensionless metric, publishing
// catalog.BenchmarkMetricValue (0): it carries the benchmark's text for checkers, and the alarm
// counts each event once, through the row's own filter.
func newRow(scope constructs.Construct, props *Props, row catalog.Alarm, action awscloudwatch.IAlarmAction) (awslogs.MetricFilter, awscloudwatch.Alarm) {
	rowScope := constructs.NewConstruct(scope, jsii.String(row.ID))
	ev := row.Evaluation(props.Namespace, 0)
	filterProps := func() *awslogs.MetricFilterProps {
		return &awslogs.MetricFilterProps{
			LogGroup:        props.LogGroup,
			FilterPattern:   awslogs.FilterPattern_Literal(jsii.String(row.Pattern)),
			MetricNamespace: jsii.String(ev.Namespace),
			MetricName:      jsii.String(ev.MetricName),
			MetricValue:     jsii.String(ev.MetricValue),
		}
	}
	filter := awslogs.NewMetricFilter(rowScope, jsii.String("Filter"), filterProps())
	if len(row.Dimensions) > 0 {
		dims := filterProps()
		dimensions := map[string]*string{}
		for name, field := range row.Dimensions {
			dimensions[name] = jsii.String(field)
		}
		dims.Dimensions = &dimensions
		awslogs.NewMetricFilter(rowScope, jsii.String("DimensionFilter"), dims)
	}
	if row.BenchmarkPattern != "" {
		// Same metric, other text, value 0: one alarm, one email, each event counted once.
		bench := filterProps()
		bench.FilterPattern = awslogs.FilterPattern_Literal(jsii.String(row.BenchmarkPattern))
		bench.MetricValue = jsii.String(catalog.BenchmarkMetricValue)
		awslogs.NewMetricFilter(rowScope, jsii.String("BenchmarkFilter"), bench)
	}
	alarmProps := &awscloudwatch.AlarmProps{
		AlarmName:        jsii.String(props.AlarmNamePrefix + row.AlarmName),
		AlarmDescription: jsii.String(row.Description.In(props.Language)),
		Metric: filter.Metric(&awscloudwatch.MetricOptions{
			Statistic: jsii.String(ev.Statistic),
			Period:    awscdk.Duration_Seconds(jsii.Number(float64(ev.PeriodSeconds))),
		}),
		Threshold:          jsii.Number(ev.Threshold),
		EvaluationPeriods:  jsii.Number(float64(ev.EvaluationPeriods)),
		ComparisonOperator: comparisonOperators[ev.ComparisonOperator],
		TreatMissingData:   treatMissingData[ev.TreatMissingData],
	}
	alarm := awscloudwatch.NewAlarm(rowScope, jsii.String("Alarm"), alarmProps)
	alarm.AddAlarmAction(action)
	return filter, alarm
}

// allowAlarmsToUseKey lets CloudWatch alarms publish to a topic encrypted with key
// (docs/security.md, "Key policy"). AWS documents no condition for this statement, and a wrong one fails silently (only the
// alarm history shows it), so it has none; it grants two actions, not kms:*.
func allowAlarmsToUseKey(topic awssns.Topic, key awskms.IKey) {
	added := key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchAlarmsPublishToTheEncryptedTopic"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:GenerateDataKey*", "kms:Decrypt"),
		Resources:  jsii.Strings("*"),
	}), nil)
	if !*added.StatementAdded {
		awscdk.Annotations_Of(topic).AddWarningV2(jsii.String("trailwatch:importedTopicKey"), jsii.String(
			"the topic's KMS key was imported, so its policy cannot be changed here: it must allow cloudwatch.amazonaws.com "+
				"kms:GenerateDataKey* and kms:Decrypt, or alarm notifications are silently dropped"), nil)
	}
}

// newTopic makes the alarm topic: TLS only, SHA256 signatures, and a policy that lets only
// CloudWatch alarms of this account publish (docs/security.md, "Topic policy").
func newTopic(scope constructs.Construct, lang string, key awskms.IKey) awssns.Topic {
	topic := awssns.NewTopic(scope, jsii.String("Topic"), &awssns.TopicProps{
		DisplayName:      jsii.String(catalog.TopicDisplayName.In(lang)),
		EnforceSSL:       jsii.Bool(true),
		SignatureVersion: jsii.String("2"),
		MasterKey:        key,
	})
	if key != nil {
		allowAlarmsToUseKey(topic, key)
	}
	stack := awscdk.Stack_Of(scope)
	topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchAlarmsOfThisAccount"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  jsii.Strings(*topic.TopicArn()),
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()},
			"ArnLike": map[string]any{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
				Service:      jsii.String("cloudwatch"),
				Resource:     jsii.String("alarm"),
				ResourceName: jsii.String("*"),
				ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
			})},
		},
	}))
	return topic
}
