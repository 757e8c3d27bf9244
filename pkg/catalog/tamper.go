package catalog

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// Watched names the resources of one trailwatch stack that its tamper rows guard (Tamper). Names
// known only at deploy time (generated bucket names, the key ID, the topic ARN) may be CDK token
// strings: they go into the pattern as they are, and CloudFormation joins in the real value.
// An empty field (or list) means the stack has no such resource, and nothing is watched for it.
type Watched struct {
	// TrailName is the trail's name; "" in an alarms-only stack.
	TrailName string
	// Buckets are the names of the trail bucket and its access-log bucket (deploy-time values).
	Buckets []string
	// KeyID is the KMS key ID (a deploy-time value); "" without a key of the stack's own.
	KeyID string
	// LogGroupName is the log group the metric filters live on.
	LogGroupName string
	// Account is the account the resources live in: a row counts only events recorded for it
	// (recipientAccountId), so the same names in other accounts whose events reach the same log
	// group (an organization trail) stay quiet. It may be a token. "" leaves the account open.
	Account string
	// AlarmNamePrefix goes before every alarm name, the tamper rows' own included.
	AlarmNamePrefix string
	// AlarmNames are the stack's other alarms' names, without the prefix.
	AlarmNames []string
	// TopicArn is the ARN of the topic the alarms notify (a deploy-time value).
	TopicArn string
}

// The longest value a deploy-time name can take, for the pattern-length check: S3 bucket names are
// at most 63 characters, a KMS key ID is a UUID (36), and a topic ARN is a partition, Region and
// account around a name of at most 256 characters (the SNS API reference, CreateTopic Name).
var worstCase = struct{ account, bucket, keyID, topicArn string }{
	account:  strings.Repeat("0", 12),
	bucket:   strings.Repeat("b", 63),
	keyID:    strings.Repeat("k", 36),
	topicArn: "arn:aws-iso-b:sns:us-isob-east-1:123456789012:" + strings.Repeat("t", 256),
}

// The tamper rows' IDs, in the order Tamper returns them.
const (
	TamperTrailID    = "TamperTrail"
	TamperLogFilesID = "TamperLogFiles"
	TamperLogGroupID = "TamperLogGroup"
	TamperAlarmsID   = "TamperAlarms"
	TamperTopicID    = "TamperTopic"
)

// MaxTamperRows is the most rows (so metric filters) Tamper returns.
const MaxTamperRows = 5

// TamperNamespace is the tamper rows' metric namespace.
const TamperNamespace = "TrailwatchTamper"

// tamperAlarmPrefix begins every tamper alarm's name (after the stack's prefix).
const tamperAlarmPrefix = "Trailwatch-Tamper-"

// Tamper returns the rows that watch the stack's own resources (docs/alarms.md, "Tamper alarms"):
// one row for each kind of resource w names, each matching the calls that stop, delete, narrow or
// weaken it — and only on w's resources, so the same call elsewhere in the account stays quiet.
// Every row proves itself with Fires records (on w's resources) and Quiet records (the same call
// on another resource, a harmless call on ours). It returns an error when a pattern could exceed
// CloudWatch Logs' 1,024 characters once deploy-time names are filled in at their longest.
func Tamper(w Watched) ([]Alarm, error) {
	var errs Problems
	for _, r := range tamperRows(worstOf(w)) {
		if n := len(r.Pattern); n > filterpattern.MaxLen {
			errs = append(errs, &FieldError{ID: r.ID, Msg: fmt.Sprintf("the pattern can be %d characters long with the longest deploy-time names; CloudWatch Logs allows %d (a shorter alarmNamePrefix, trailName or existingLogGroupName, or fewer custom alarm names, makes it fit)", n, filterpattern.MaxLen)})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return tamperRows(w), nil
}

// worstOf is w with every deploy-time name it has at its longest (worstCase); names w does not
// have stay empty, so the same rows are made.
func worstOf(w Watched) Watched {
	worst := w
	worst.Buckets = make([]string, len(w.Buckets))
	for i := range worst.Buckets {
		worst.Buckets[i] = worstCase.bucket
	}
	if w.KeyID != "" {
		worst.KeyID = worstCase.keyID
	}
	if w.Account != "" {
		worst.Account = worstCase.account
	}
	if w.TopicArn != "" {
		worst.TopicArn = worstCase.topicArn
	}
	return worst
}

func tamperRows(w Watched) []Alarm {
	var rows []Alarm
	add := func(id string, subject Text, pattern string, fires, quiet []string) {
		pattern, fires, quiet = inAccount(w.Account, pattern, fires, quiet)
		rows = append(rows, Alarm{
			ID:         id,
			MetricName: id + "Count",
			AlarmName:  tamperAlarmPrefix + strings.TrimPrefix(id, "Tamper"),
			Namespace:  TamperNamespace,
			Pattern:    pattern,
			Threshold:  1,
			Description: Text{
				"en": "trailwatch tamper alarm: a call that stops, deletes or weakens " + subject["en"] + " of this stack (allowed or denied).",
				"ja": "trailwatch 改ざんアラーム: このスタックの" + subject["ja"] + "を停止・削除・弱体化する呼び出しがありました (許可・拒否を問わず)。",
			},
			Fires: fires,
			Quiet: quiet,
		})
	}
	if w.TrailName != "" {
		add(TamperTrailID, Text{"en": "the trail", "ja": "証跡"}, trailPattern(w.TrailName), trailFires(w.TrailName), trailQuiet(w.TrailName))
	}
	if len(w.Buckets) > 0 || w.KeyID != "" {
		add(TamperLogFilesID, Text{"en": "the log files (their buckets or KMS key)", "ja": "ログファイル (バケットまたは KMS キー)"}, logFilesPattern(w), logFilesFires(w), logFilesQuiet(w))
	}
	if w.LogGroupName != "" {
		add(TamperLogGroupID, Text{"en": "the log group or its metric filters", "ja": "ロググループまたはメトリクスフィルター"}, logGroupPattern(w.LogGroupName), logGroupFires(w.LogGroupName), logGroupQuiet(w.LogGroupName))
	}
	families := alarmFamilies(w)
	add(TamperAlarmsID, Text{"en": "an alarm", "ja": "アラーム"}, alarmsPattern(families), alarmsFires(w), alarmsQuiet(w))
	if w.TopicArn != "" {
		add(TamperTopicID, Text{"en": "the alarm topic", "ja": "アラームのトピック"}, topicPattern(w.TopicArn), topicFires(w.TopicArn), topicQuiet(w.TopicArn))
	}
	return rows
}

// testAccount is the account of the proof records.
const testAccount = "123456789012"

// inAccount scopes a row to account: the pattern also requires recipientAccountId, the proof
// records carry the account, and one more Quiet record is the first Fires record in another
// account.
func inAccount(account, body string, fires, quiet []string) (string, []string, []string) {
	if account == "" {
		return "{ " + body + " }", fires, quiet
	}
	id, _ := json.Marshal(account)
	mine := func(recs []string) []string {
		out := make([]string, len(recs))
		for i, r := range recs {
			out[i] = strings.Replace(r, `"recipientAccountId":"`+testAccount+`"`, `"recipientAccountId":`+string(id), 1)
		}
		return out
	}
	other := strings.Replace(fires[0], `"recipientAccountId":"`+testAccount+`"`, `"recipientAccountId":"210987654321"`, 1)
	return fmt.Sprintf("{ ($.recipientAccountId = %s) && (%s) }", id, body), mine(fires), append(mine(quiet), other)
}

// TamperAlarmNames are the names (without prefix) of every row Tamper may return, so the stack's
// other rows can be checked against them before the tamper rows exist.
func TamperAlarmNames() []string {
	var out []string
	for _, id := range []string{TamperTrailID, TamperLogFilesID, TamperLogGroupID, TamperAlarmsID, TamperTopicID} {
		out = append(out, tamperAlarmPrefix+strings.TrimPrefix(id, "Tamper"))
	}
	return out
}

// anyOf is "(c1) || (c2) ...", each comparison "$.field = "value"".
func anyOf(field string, values ...string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprintf("(%s = %q)", field, v)
	}
	return strings.Join(parts, " || ")
}

// eventsOn is one service's events on some resources: the source, the event names, and the
// comparisons that pick the resource.
func eventsOn(source string, events []string, resource string) string {
	return fmt.Sprintf("($.eventSource = %q) && (%s) && (%s)", source, anyOf("$.eventName", events...), resource)
}

// CloudTrail: StopLogging, DeleteTrail and UpdateTrail name the trail in "name",
// PutEventSelectors and PutInsightSelectors in "trailName"; either takes the name or the ARN.
var trailEvents = []string{"StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"}

func trailPattern(name string) string {
	arn := "*:trail/" + name
	return eventsOn("cloudtrail.amazonaws.com", trailEvents,
		anyOf("$.requestParameters.name", name, arn)+" || "+anyOf("$.requestParameters.trailName", name, arn))
}

// S3 bucket-level calls are management events, logged under the names of the S3 API's
// "CloudTrail bucket-level actions" list: PutLifecycleConfiguration is logged as
// PutBucketLifecycle (as in Security Hub CloudWatch.8's pattern). KMS names the key in keyId, as
// the key ID or the key ARN (these calls take no alias), so the pattern matches the ID as a suffix.
var (
	bucketEvents = []string{"PutBucketPolicy", "DeleteBucketPolicy", "PutBucketLifecycle", "DeleteBucketLifecycle",
		"PutBucketVersioning", "PutObjectLockConfiguration", "PutBucketLogging", "DeleteBucket"}
	keyEvents = []string{"DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "DeleteImportedKeyMaterial"}
)

func logFilesPattern(w Watched) string {
	var parts []string
	if len(w.Buckets) > 0 {
		parts = append(parts, "("+eventsOn("s3.amazonaws.com", bucketEvents, anyOf("$.requestParameters.bucketName", w.Buckets...))+")")
	}
	if w.KeyID != "" {
		parts = append(parts, "("+eventsOn("kms.amazonaws.com", keyEvents, anyOf("$.requestParameters.keyId", "*"+w.KeyID))+")")
	}
	return strings.Join(parts, " || ")
}

var logGroupEvents = []string{"DeleteLogGroup", "PutRetentionPolicy", "DeleteRetentionPolicy", "DeleteMetricFilter", "PutMetricFilter"}

func logGroupPattern(name string) string {
	return eventsOn("logs.amazonaws.com", logGroupEvents, anyOf("$.requestParameters.logGroupName", name))
}

// CloudWatch: PutMetricAlarm names one alarm (alarmName); DeleteAlarms and DisableAlarmActions take
// a list (alarmNames), and a filter pattern reads list elements by index only, so the first
// alarmListIndexes elements are checked (docs/security.md says what that leaves open).
var alarmEvents = []string{"DeleteAlarms", "DisableAlarmActions", "PutMetricAlarm"}

const alarmListIndexes = 2

func alarmsPattern(families []string) string {
	var sel []string
	for _, f := range families {
		sel = append(sel, anyOf("$.requestParameters.alarmName", f))
		for i := range alarmListIndexes {
			sel = append(sel, anyOf(fmt.Sprintf("$.requestParameters.alarmNames[%d]", i), f))
		}
	}
	return eventsOn("monitoring.amazonaws.com", alarmEvents, strings.Join(sel, " || "))
}

// alarmFamilies covers the stack's alarm names (prefixed, the tamper rows' own included) with as
// few values as stay specific: names sharing a prefix of at least minFamily characters become
// "PREFIX*", any other name stays exact.
func alarmFamilies(w Watched) []string {
	const minFamily = 8
	names := slices.Clone(w.AlarmNames)
	names = append(names, TamperAlarmNames()...)
	for i := range names {
		names[i] = w.AlarmNamePrefix + names[i]
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var out []string
	for i := 0; i < len(names); {
		common, j := names[i], i+1
		for ; j < len(names); j++ {
			c := commonPrefix(common, names[j])
			if len(c) < minFamily+len(w.AlarmNamePrefix) {
				break
			}
			common = c
		}
		if j-i > 1 {
			out = append(out, common+"*")
		} else {
			out = append(out, names[i])
		}
		i = j
	}
	return out
}

func commonPrefix(a, b string) string {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return a[:i]
		}
	}
	return a[:n]
}

// SNS: DeleteTopic and SetTopicAttributes name the topic (topicArn); Unsubscribe and
// SetSubscriptionAttributes name a subscription, whose ARN is the topic's ARN, ':' and an ID.
var topicEvents = []string{"DeleteTopic", "SetTopicAttributes", "Unsubscribe", "SetSubscriptionAttributes"}

func topicPattern(arn string) string {
	return eventsOn("sns.amazonaws.com", topicEvents,
		anyOf("$.requestParameters.topicArn", arn)+" || "+anyOf("$.requestParameters.subscriptionArn", arn+":*"))
}

// record is a CloudTrail management-event record of an IAM role session in the pinned test
// account, as the proof records of the other rows are.
func record(source, event string, params map[string]any) string {
	r := map[string]any{
		"eventVersion": "1.09",
		"userIdentity": map[string]any{"type": "AssumedRole", "arn": "arn:aws:sts::123456789012:assumed-role/Admin/mallory", "accountId": "123456789012"},
		"eventSource":  source, "eventName": event, "awsRegion": "us-east-1",
		"requestParameters": params, "readOnly": false, "eventType": "AwsApiCall", "managementEvent": true,
		"recipientAccountId": testAccount,
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // only strings and maps
	}
	return string(b)
}

func trailFires(name string) []string {
	arn := "arn:aws:cloudtrail:us-east-1:123456789012:trail/" + name
	return []string{
		record("cloudtrail.amazonaws.com", "StopLogging", map[string]any{"name": name}),
		record("cloudtrail.amazonaws.com", "DeleteTrail", map[string]any{"name": arn}),
		record("cloudtrail.amazonaws.com", "UpdateTrail", map[string]any{"name": name, "isMultiRegionTrail": false}),
		record("cloudtrail.amazonaws.com", "PutEventSelectors", map[string]any{"trailName": name, "eventSelectors": []any{map[string]any{"readWriteType": "ReadOnly"}}}),
		record("cloudtrail.amazonaws.com", "PutInsightSelectors", map[string]any{"trailName": arn}),
	}
}

func trailQuiet(name string) []string {
	return []string{
		// The same call on another trail, one whose name only begins like ours included.
		record("cloudtrail.amazonaws.com", "StopLogging", map[string]any{"name": "other-trail"}),
		record("cloudtrail.amazonaws.com", "DeleteTrail", map[string]any{"name": name + "-old"}),
		// Turning our trail on is no tampering.
		record("cloudtrail.amazonaws.com", "StartLogging", map[string]any{"name": name}),
	}
}

func logFilesFires(w Watched) []string {
	var out []string
	for _, b := range w.Buckets {
		out = append(out,
			record("s3.amazonaws.com", "PutBucketLifecycle", map[string]any{"bucketName": b, "Host": b + ".s3.amazonaws.com", "lifecycle": ""}),
			record("s3.amazonaws.com", "PutBucketPolicy", map[string]any{"bucketName": b, "policy": ""}),
			record("s3.amazonaws.com", "PutBucketVersioning", map[string]any{"bucketName": b, "versioning": ""}))
	}
	if w.KeyID != "" {
		out = append(out,
			record("kms.amazonaws.com", "ScheduleKeyDeletion", map[string]any{"keyId": w.KeyID, "pendingWindowInDays": 7}),
			record("kms.amazonaws.com", "DisableKey", map[string]any{"keyId": "arn:aws:kms:us-east-1:123456789012:key/" + w.KeyID}))
	}
	return out
}

func logFilesQuiet(w Watched) []string {
	out := []string{
		record("s3.amazonaws.com", "PutBucketLifecycle", map[string]any{"bucketName": "some-other-bucket"}),
		record("kms.amazonaws.com", "ScheduleKeyDeletion", map[string]any{"keyId": "0000aaaa-bb11-cc22-dd33-eeeeeeffffff", "pendingWindowInDays": 7}),
	}
	for _, b := range w.Buckets {
		out = append(out, record("s3.amazonaws.com", "GetBucketPolicy", map[string]any{"bucketName": b}))
	}
	if w.KeyID != "" {
		out = append(out, record("kms.amazonaws.com", "EnableKeyRotation", map[string]any{"keyId": w.KeyID}))
	}
	return out
}

func logGroupFires(name string) []string {
	return []string{
		record("logs.amazonaws.com", "DeleteLogGroup", map[string]any{"logGroupName": name}),
		record("logs.amazonaws.com", "PutRetentionPolicy", map[string]any{"logGroupName": name, "retentionInDays": 1}),
		record("logs.amazonaws.com", "DeleteRetentionPolicy", map[string]any{"logGroupName": name}),
		record("logs.amazonaws.com", "DeleteMetricFilter", map[string]any{"logGroupName": name, "filterName": "AlarmsTamperTrailFilter"}),
		record("logs.amazonaws.com", "PutMetricFilter", map[string]any{"logGroupName": name, "filterName": "AlarmsTamperTrailFilter", "filterPattern": "{ $.x = 1 }"}),
	}
}

func logGroupQuiet(name string) []string {
	return []string{
		record("logs.amazonaws.com", "DeleteLogGroup", map[string]any{"logGroupName": "/aws/lambda/some-function"}),
		record("logs.amazonaws.com", "PutRetentionPolicy", map[string]any{"logGroupName": name + "-archive", "retentionInDays": 1}),
		record("logs.amazonaws.com", "CreateLogStream", map[string]any{"logGroupName": name, "logStreamName": "123456789012_CloudTrail_us-east-1"}),
	}
}

func alarmsFires(w Watched) []string {
	tamper := w.AlarmNamePrefix + TamperAlarmNames()[3]
	out := []string{
		record("monitoring.amazonaws.com", "DeleteAlarms", map[string]any{"alarmNames": []string{tamper}}),
		record("monitoring.amazonaws.com", "DisableAlarmActions", map[string]any{"alarmNames": []string{"unrelated-alarm", tamper}}),
		record("monitoring.amazonaws.com", "PutMetricAlarm", map[string]any{"alarmName": tamper, "actionsEnabled": false}),
	}
	for _, n := range w.AlarmNames {
		out = append(out, record("monitoring.amazonaws.com", "DeleteAlarms", map[string]any{"alarmNames": []string{w.AlarmNamePrefix + n}}))
	}
	return out
}

func alarmsQuiet(w Watched) []string {
	return []string{
		record("monitoring.amazonaws.com", "DeleteAlarms", map[string]any{"alarmNames": []string{"unrelated-alarm"}}),
		record("monitoring.amazonaws.com", "PutMetricAlarm", map[string]any{"alarmName": "x-" + w.AlarmNamePrefix + TamperAlarmNames()[0]}),
		record("monitoring.amazonaws.com", "DescribeAlarms", map[string]any{"alarmNames": []string{w.AlarmNamePrefix + TamperAlarmNames()[0]}}),
	}
}

func topicFires(arn string) []string {
	return []string{
		record("sns.amazonaws.com", "DeleteTopic", map[string]any{"topicArn": arn}),
		record("sns.amazonaws.com", "SetTopicAttributes", map[string]any{"topicArn": arn, "attributeName": "Policy"}),
		record("sns.amazonaws.com", "Unsubscribe", map[string]any{"subscriptionArn": arn + ":0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"}),
		record("sns.amazonaws.com", "SetSubscriptionAttributes", map[string]any{"subscriptionArn": arn + ":0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "attributeName": "FilterPolicy"}),
	}
}

func topicQuiet(arn string) []string {
	return []string{
		record("sns.amazonaws.com", "DeleteTopic", map[string]any{"topicArn": "arn:aws:sns:us-east-1:123456789012:other-topic"}),
		record("sns.amazonaws.com", "Unsubscribe", map[string]any{"subscriptionArn": arn + "-other:0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"}),
		record("sns.amazonaws.com", "Publish", map[string]any{"topicArn": arn}),
	}
}
