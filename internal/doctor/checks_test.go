package doctor

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// Each case breaks one thing in a healthy account and names the lines doctor must print for it:
// every failed check exactly, with its fix (what a user reads and runs).
func TestEachCheckFails(t *testing.T) {
	cases := []struct {
		name   string
		golden string
		break_ func(w *world, f *fakeAWS)
		want   []string
	}{
		{"StackNotDeployed", "default", func(w *world, f *fakeAWS) { w.stack = nil },
			[]string{
				"✗ stack Trailwatch: not deployed in this account and Region\n    fix: run cdk deploy, or pass --stack NAME / --region if it was deployed under another name or Region"}},
		{"StackResourceFailed", "default", func(w *world, f *fakeAWS) {
			w.resourceStatus = map[string]string{"AlarmsTopic3A2DFEBA": "UPDATE_FAILED"}
		}, []string{
			"✗ stack Trailwatch: resources failed: AlarmsTopic3A2DFEBA UPDATE_FAILED\n    fix: read the stack's events in the CloudFormation console, fix the cause and run cdk deploy again"}},
		{"TrailMissing", "default", func(w *world, f *fakeAWS) { w.trails = nil },
			[]string{
				"✗ trail trailwatch: no trail of this name in the Region\n    fix: run cdk deploy; the trail is created in the stack's Region"}},
		{"TrailNotLogging", "default", func(w *world, f *fakeAWS) { w.trails[0].logging = false },
			[]string{
				"✗ trail.logging trailwatch: logging is stopped\n    fix: aws cloudtrail start-logging --name trailwatch, then find who stopped it (StopLogging in the event history)"}},
		{"TrailSingleRegionNoValidation", "default", func(w *world, f *fakeAWS) { w.trails[0].multiRegion, w.trails[0].validation = false, false },
			[]string{
				"✗ trail.config trailwatch: not multi-Region; log file validation off\n    fix: someone changed the trail outside CloudFormation: run cdk deploy to restore it, and find who in the CloudTrail event history (UpdateTrail)"}},
		{"TrailNotOrganization", "organization-trail", func(w *world, f *fakeAWS) { w.trails[0].org = false },
			[]string{
				"✗ trail.config trailwatch: not an organization trail\n    fix: someone changed the trail outside CloudFormation: run cdk deploy to restore it, and find who in the CloudTrail event history (UpdateTrail)"}},
		{"TrailOtherLogGroup", "default", func(w *world, f *fakeAWS) {
			w.trails[0].logGroupArn = "arn:aws:logs:us-east-1:123456789012:log-group:Other:*"
		}, []string{
			"✗ trail.config trailwatch: delivers to log group \"arn:aws:logs:us-east-1:123456789012:log-group:Other:*\", not CloudTrail/trailwatch\n    fix: someone changed the trail outside CloudFormation: run cdk deploy to restore it, and find who in the CloudTrail event history (UpdateTrail)"}},
		{"S3DeliveryError", "default", func(w *world, f *fakeAWS) { w.trails[0].s3Err = "AccessDenied" },
			[]string{
				"✗ trail.s3-delivery trailwatch: latest S3 delivery error: AccessDenied\n    fix: check the bucket policy grants cloudtrail.amazonaws.com s3:PutObject and the key policy lets CloudTrail use the key (cdk deploy restores both)"}},
		{"LogsDeliveryError", "default", func(w *world, f *fakeAWS) { w.trails[0].logsErr = "KMS.AccessDeniedException" },
			[]string{
				"✗ trail.logs-delivery trailwatch: latest CloudWatch Logs delivery error: KMS.AccessDeniedException\n    fix: check the trail's delivery role may logs:CreateLogStream and logs:PutLogEvents on the log group and that the key policy lets CloudWatch Logs use the key (cdk deploy restores both)"}},
		{"S3DeliveryStale", "default", func(w *world, f *fakeAWS) { w.trails[0].s3Time = w.now.Add(-5 * time.Hour) },
			[]string{
				"✗ trail.s3-delivery trailwatch: latest S3 delivery 5h0m0s ago (older than --max-age 2h0m0s)\n    fix: check the bucket policy grants cloudtrail.amazonaws.com s3:PutObject and the key policy lets CloudTrail use the key (cdk deploy restores both)"}},
		{"NothingDeliveredYet", "default", func(w *world, f *fakeAWS) { w.trails[0].logsTime = time.Time{} },
			[]string{
				"✗ trail.logs-delivery trailwatch: nothing delivered to CloudWatch Logs yet\n    fix: CloudTrail delivers within minutes of an event; make any API call, wait 15 minutes and rerun doctor"}},
		{"LogGroupMissing", "alarms-only", func(w *world, f *fakeAWS) { w.groups = map[string]groupState{"aws-controltower/CloudTrailLogsOld": {}} },
			[]string{
				"✗ loggroup aws-controltower/CloudTrailLogs: log group does not exist\n    fix: run cdk deploy (in alarms-only mode, check -c existingLogGroupName)",
				"- filter aws-controltower/CloudTrailLogs: the log group does not exist"}},
		{"LogGroupQuiet", "default", func(w *world, f *fakeAWS) {
			w.groups["CloudTrail/trailwatch"] = groupState{lastIngestion: w.now.Add(-3 * time.Hour)}
		}, []string{
			"✗ loggroup.receiving CloudTrail/trailwatch: latest event ingested 3h0m0s ago (older than --max-age 2h0m0s)\n    fix: see trail.logs-delivery: the trail's CloudWatch Logs delivery is failing or stopped"}},
		{"LogGroupEmpty", "default", func(w *world, f *fakeAWS) { w.groups["CloudTrail/trailwatch"] = groupState{noStreams: true} },
			[]string{
				"✗ loggroup.receiving CloudTrail/trailwatch: no events received yet\n    fix: the trail delivers to CloudWatch Logs within minutes of an event; if trail.logs-delivery shows an error, fix that first"}},
		{"FilterMissing", "default", func(w *world, f *fakeAWS) { w.filters = w.filters[1:] },
			[]string{
				"✗ filter AuthorizationFailures: no metric filter on CloudTrail/trailwatch publishes CloudTrailMetrics/AuthorizationFailureCount\n    fix: run cdk deploy to restore it"}},
		{"FilterEdited", "default", func(w *world, f *fakeAWS) { w.filters[0].pattern = `{ ($.errorCode = "*UnauthorizedOperation") }` },
			[]string{
				"✗ filter AuthorizationFailures: pattern differs: deployed \"{ ($.errorCode = \\\"*UnauthorizedOperation\\\") }\", template \"{ ($.errorCode = \\\"*UnauthorizedOperation\\\") || ($.errorCode = \\\"AccessDenied*\\\") }\"\n    fix: someone edited the filter outside CloudFormation: run cdk deploy to restore it"}},
		{"FilterWhitespaceOnly", "cis", func(w *world, f *fakeAWS) {
			for i, fl := range w.filters {
				if fl.metric == "RootAccountUsageCount" {
					w.filters[i].pattern = strings.Replace(fl.pattern, "&&", " && ", 1)
				}
			}
		},
			[]string{
				"✗ filter Cis1RootUsage: pattern differs: deployed \"{$.userIdentity.type=\\\"Root\\\"  &&  $.userIdentity.invokedBy NOT EXISTS && $.eventType !=\\\"AwsServiceEvent\\\"}\", template \"{$.userIdentity.type=\\\"Root\\\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !=\\\"AwsServiceEvent\\\"}\"\n    fix: someone edited the filter outside CloudFormation: run cdk deploy to restore it"}},
		{"DimensionFilterMissing", "custom-alarms", func(w *world, f *fakeAWS) {
			for i, fl := range w.filters {
				if len(fl.dims) > 0 {
					w.filters = append(w.filters[:i], w.filters[i+1:]...)
					break
				}
			}
		}, []string{
			"✗ filter IamUserCreated (per Account): no metric filter on CloudTrail/trailwatch publishes CloudTrailMetrics/IamUserCreatedCount\n    fix: run cdk deploy to restore it"}},
		{"BenchmarkFilterMissing", "cis", func(w *world, f *fakeAWS) {
			for i, fl := range w.filters {
				if strings.Contains(fl.name, "BenchmarkFilter") {
					w.filters = append(w.filters[:i], w.filters[i+1:]...)
					break
				}
			}
		}, []string{
			"✗ filter Cis13RouteTableChanges BenchmarkFilter: no metric filter on CloudTrail/trailwatch publishes LogMetrics/RouteTableChangesCount\n    fix: run cdk deploy to restore it",
		}},
		{"AlarmMissing", "default", func(w *world, f *fakeAWS) { delete(w.alarms, "CloudTrailGatewayChanges") },
			[]string{
				"✗ alarm CloudTrailGatewayChanges: missing\n    fix: run cdk deploy to restore it"}},
		{"AlarmInsufficientData", "default", func(w *world, f *fakeAWS) { w.alarms["CloudTrailGatewayChanges"].state = "INSUFFICIENT_DATA" },
			[]string{
				"✗ alarm CloudTrailGatewayChanges: stuck in INSUFFICIENT_DATA: Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].\n    fix: the alarm treats missing data as not breaching, so INSUFFICIENT_DATA means its metric or settings changed: run cdk deploy"}},
		{"AlarmOtherTopic", "default", func(w *world, f *fakeAWS) {
			w.alarms["CloudTrailGatewayChanges"].actions = []string{"arn:aws:sns:us-east-1:123456789012:other"}
		}, []string{
			"✗ alarm CloudTrailGatewayChanges: actions [arn:aws:sns:us-east-1:123456789012:other] do not notify arn:aws:sns:us-east-1:123456789012:Trailwatch-AlarmsTopic3A2DFEBA-AbCdEf\n    fix: run cdk deploy to restore the alarm's actions"}},
		{"TamperAlarmMissing", "default", func(w *world, f *fakeAWS) { delete(w.alarms, "Trailwatch-Tamper-LogFiles") },
			[]string{
				"✗ alarm Trailwatch-Tamper-LogFiles: missing\n    fix: run cdk deploy to restore it",
				"✗ tamper-alarm: 4 of the template's 5 tamper alarms are deployed\n    fix: run cdk deploy to restore them"}},
		{"SubscriptionPending", "all-two-emails", func(w *world, f *fakeAWS) { w.subs[1].arn = "PendingConfirmation" },
			[]string{
				"✗ subscription security@example.com: PendingConfirmation: alarms will not reach this address\n    fix: open the email from AWS Notifications sent to security@example.com and choose Confirm subscription; if it is lost, delete the pending subscription and run cdk deploy, or: aws sns subscribe --topic-arn arn:aws:sns:us-east-1:123456789012:Trailwatch-NotificationsEmailTopicDB7922FA-AbCdEf --protocol email --notification-endpoint security@example.com"}},
		{"SubscriptionMissing", "default", func(w *world, f *fakeAWS) { w.subs = w.subs[1:] },
			[]string{
				"✗ subscription ops@example.com: not subscribed to the topic\n    fix: run cdk deploy; the subscription is part of the stack"}},
		{"KeyDisabled", "default", func(w *world, f *fakeAWS) { *w.keys[testKeyID] = keyState{state: "Disabled", rotation: true} },
			[]string{
				"✗ key alias/trailwatch/trailwatch: key state Disabled\n    fix: aws kms enable-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab"}},
		{"KeyPendingDeletion", "default", func(w *world, f *fakeAWS) { *w.keys[testKeyID] = keyState{state: "PendingDeletion", rotation: true} },
			[]string{
				"✗ key alias/trailwatch/trailwatch: key state PendingDeletion\n    fix: aws kms cancel-key-deletion --key-id 1234abcd-12ab-34cd-56ef-1234567890ab && aws kms enable-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab — while the key is not enabled CloudTrail cannot write log files"}},
		{"KeyNotRotating", "default", func(w *world, f *fakeAWS) { w.keys[testKeyID].rotation = false },
			[]string{
				"✗ key.rotation alias/trailwatch/trailwatch: automatic rotation disabled\n    fix: aws kms enable-key-rotation --key-id 1234abcd-12ab-34cd-56ef-1234567890ab"}},
		{"AliasGone", "default", func(w *world, f *fakeAWS) { delete(w.aliases, "alias/trailwatch/trailwatch") },
			[]string{
				"✗ key alias/trailwatch/trailwatch: no such key or alias\n    fix: run cdk deploy"}},
		{"AlarmsOnlyKeyByLogicalID", "alarms-only", func(w *world, f *fakeAWS) { w.keys[testKeyID].rotation = false },
			[]string{
				"✗ key.rotation 1234abcd-12ab-34cd-56ef-1234567890ab: automatic rotation disabled\n    fix: aws kms enable-key-rotation --key-id 1234abcd-12ab-34cd-56ef-1234567890ab"}},
		{"PublicAccessBlockOff", "default", func(w *world, f *fakeAWS) { w.pab[testBucket] = [4]bool{true, true, false, false} },
			[]string{
				"✗ bucket.public-access trailwatch-trailbucketa831ce63-abcdef: public access block off: BlockPublicPolicy, RestrictPublicBuckets\n    fix: run cdk deploy to restore it, and find who changed it (PutBucketPublicAccessBlock in the event history)"}},
		{"PublicAccessBlockGone", "default", func(w *world, f *fakeAWS) { delete(w.pab, testBucket) },
			[]string{
				"✗ bucket.public-access trailwatch-trailbucketa831ce63-abcdef: no public access block\n    fix: run cdk deploy to restore it"}},
		{"BucketPolicyGone", "default", func(w *world, f *fakeAWS) { delete(w.policies, testBucket) },
			[]string{
				"✗ bucket.policy trailwatch-trailbucketa831ce63-abcdef: no bucket policy: CloudTrail cannot write log files\n    fix: run cdk deploy to restore it"}},
		{"BucketPolicyWithoutTLSDeny", "default", func(w *world, f *fakeAWS) {
			w.policies[testBucket] = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}]}`
		}, []string{
			"✗ bucket.policy trailwatch-trailbucketa831ce63-abcdef: requests without TLS are not denied\n    fix: run cdk deploy to restore the bucket policy"}},
		{"PublicAccessBlockOneOff", "default", func(w *world, f *fakeAWS) { w.pab[testBucket] = [4]bool{true, true, true, false} },
			[]string{
				"✗ bucket.public-access trailwatch-trailbucketa831ce63-abcdef: public access block off: RestrictPublicBuckets\n    fix: run cdk deploy to restore it, and find who changed it (PutBucketPublicAccessBlock in the event history)",
			}},
		{"BucketPolicyNotJSON", "default", func(w *world, f *fakeAWS) { w.policies[testBucket] = `{"Statement": [` },
			[]string{
				"✗ bucket.policy trailwatch-trailbucketa831ce63-abcdef: policy is not JSON: unexpected end of JSON input\n    fix: run cdk deploy to restore it",
			}},
		{"BucketPolicyWithoutCloudTrail", "default", func(w *world, f *fakeAWS) {
			w.policies[testBucket] = `{"Statement":[{"Effect":"Allow","Principal":{"Service":"logs.amazonaws.com"},"Action":"s3:PutObject"},{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl"},{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
		}, []string{
			"✗ bucket.policy trailwatch-trailbucketa831ce63-abcdef: CloudTrail may not s3:PutObject\n    fix: run cdk deploy to restore the bucket policy",
		}},
		{"BucketPolicyAllowsInsecure", "default", func(w *world, f *fakeAWS) {
			w.policies[testBucket] = `{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":["s3:GetBucketAcl","s3:PutObject"]},{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`
		}, []string{
			"✗ bucket.policy trailwatch-trailbucketa831ce63-abcdef: requests without TLS are not denied\n    fix: run cdk deploy to restore the bucket policy",
		}},
		{"BucketNotInStack", "default", func(w *world, f *fakeAWS) { delete(w.stack, "TrailBucketA831CE63") },
			[]string{
				"✗ filter TamperLogFiles: the template's pattern names TrailBucketA831CE63, which the deployed stack does not list\n    fix: run cdk deploy, so the stack and the template agree",
				"✗ bucket TrailBucketA831CE63: trail bucket not among the stack's resources\n    fix: run cdk deploy",
			}},
		{"BucketPhysicalIDEmpty", "default", func(w *world, f *fakeAWS) { w.stack["TrailBucketA831CE63"] = "" },
			[]string{
				"✗ filter TamperLogFiles: the template's pattern names TrailBucketA831CE63, which the deployed stack does not list\n    fix: run cdk deploy, so the stack and the template agree",
				"✗ bucket TrailBucketA831CE63: trail bucket not among the stack's resources\n    fix: run cdk deploy",
			}},
		{"KeyNotInStack", "alarms-only", func(w *world, f *fakeAWS) { delete(w.stack, "Key961B73FD") },
			[]string{
				"✗ filter TamperLogFiles: the template's pattern names Key961B73FD, which the deployed stack does not list\n    fix: run cdk deploy, so the stack and the template agree",
				"✗ key Key961B73FD: key not among the stack's resources\n    fix: run cdk deploy",
			}},
		{"EmailTopicNotInStack", "default", func(w *world, f *fakeAWS) { delete(w.stack, "NotificationsEmailTopicDB7922FA") },
			[]string{
				"✗ alarm TrailwatchAlarmEmailDeadLetters: topic unknown (not among the stack's resources)\n    fix: run cdk deploy",
				"✗ alarm TrailwatchAlarmEmailErrors: topic unknown (not among the stack's resources)\n    fix: run cdk deploy",
				"✗ subscription: the stack has no deployed topic\n    fix: run cdk deploy",
			}},
		{"AlarmWrongInEveryWay", "default", func(w *world, f *fakeAWS) {
			*w.alarms["CloudTrailGatewayChanges"] = alarmState{state: "INSUFFICIENT_DATA", actions: []string{"arn:aws:sns:us-east-1:123456789012:other"}}
		}, []string{
			"✗ alarm CloudTrailGatewayChanges: actions disabled; stuck in INSUFFICIENT_DATA: Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].; actions [arn:aws:sns:us-east-1:123456789012:other] do not notify arn:aws:sns:us-east-1:123456789012:Trailwatch-AlarmsTopic3A2DFEBA-AbCdEf\n    fix: aws cloudwatch enable-alarm-actions --alarm-names CloudTrailGatewayChanges; the alarm treats missing data as not breaching, so INSUFFICIENT_DATA means its metric or settings changed: run cdk deploy; run cdk deploy to restore the alarm's actions",
		}},
		{"AlarmActionsDisabled", "default", func(w *world, f *fakeAWS) { w.alarms["CloudTrailGatewayChanges"].actionsEnabled = false },
			[]string{
				"✗ alarm CloudTrailGatewayChanges: actions disabled\n    fix: aws cloudwatch enable-alarm-actions --alarm-names CloudTrailGatewayChanges",
			}},
		{"LogsDeliveryStaleAndLogGroupQuiet", "default", func(w *world, f *fakeAWS) {
			w.trails[0].logsTime = w.now.Add(-2*time.Hour - time.Minute)
			w.groups["CloudTrail/trailwatch"] = groupState{lastIngestion: w.now.Add(-2*time.Hour - 2*time.Minute)}
		}, []string{
			"✗ trail.logs-delivery trailwatch: latest CloudWatch Logs delivery 2h1m0s ago (older than --max-age 2h0m0s)\n    fix: check the trail's delivery role may logs:CreateLogStream and logs:PutLogEvents on the log group and that the key policy lets CloudWatch Logs use the key (cdk deploy restores both)",
			"✗ loggroup.receiving CloudTrail/trailwatch: latest event ingested 2h2m0s ago (older than --max-age 2h0m0s)\n    fix: see trail.logs-delivery: the trail's CloudWatch Logs delivery is failing or stopped",
		}},
		{"FilterEditedAndMissing", "default", func(w *world, f *fakeAWS) {
			w.filters[0].pattern = `{ $.errorCode = "x" }`
			w.filters = w.filters[:len(w.filters)-1]
		}, []string{
			"✗ filter AuthorizationFailures: pattern differs: deployed \"{ $.errorCode = \\\"x\\\" }\", template \"{ ($.errorCode = \\\"*UnauthorizedOperation\\\") || ($.errorCode = \\\"AccessDenied*\\\") }\"\n    fix: someone edited the filter outside CloudFormation: run cdk deploy to restore it",
			"✗ filter VpcChanges: no metric filter on CloudTrail/trailwatch publishes CloudTrailMetrics/VpcEventCount\n    fix: run cdk deploy to restore it",
		}},
		{"SubscriptionsAllPending", "all-two-emails", func(w *world, f *fakeAWS) {
			w.subs[0].arn, w.subs[1].arn = "PendingConfirmation", "PendingConfirmation"
		}, []string{
			"✗ subscription ops@example.com: PendingConfirmation: alarms will not reach this address\n    fix: open the email from AWS Notifications sent to ops@example.com and choose Confirm subscription; if it is lost, delete the pending subscription and run cdk deploy, or: aws sns subscribe --topic-arn arn:aws:sns:us-east-1:123456789012:Trailwatch-NotificationsEmailTopicDB7922FA-AbCdEf --protocol email --notification-endpoint ops@example.com",
			"✗ subscription security@example.com: PendingConfirmation: alarms will not reach this address\n    fix: open the email from AWS Notifications sent to security@example.com and choose Confirm subscription; if it is lost, delete the pending subscription and run cdk deploy, or: aws sns subscribe --topic-arn arn:aws:sns:us-east-1:123456789012:Trailwatch-NotificationsEmailTopicDB7922FA-AbCdEf --protocol email --notification-endpoint security@example.com",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, w, _ := setup(t, c.golden)
			c.break_(w, f)
			r := runDoctor(t, f, c.golden)
			if r.code != cli.ExitProblems {
				t.Errorf("exit %d, want 1; stderr: %s", r.code, r.stderr)
			}
			mustContain(t, r.stdout, c.want...)
			// Only the broken thing fails, with exactly this line and fix.
			if diff := cmp.Diff(failLines(c.want), failBlocks(r.stdout)); diff != "" {
				t.Errorf("failed checks (-want +got):\n%s\nstdout:\n%s", diff, r.stdout)
			}
		})
	}
}

func failLines(want []string) []string {
	var out []string
	for _, w := range want {
		if strings.HasPrefix(w, "✗") {
			out = append(out, w)
		}
	}
	return out
}

func TestThrottlingIsRetried(t *testing.T) {
	f, _, _ := setup(t, "default")
	// One throttle in each protocol: JSON 1.1, RPC v2 CBOR, query, REST-XML. DescribeAlarms: 17
	// alarms (AWS's ten, five tamper, the alarm-email function's two) in pages of 4 (the fake's)
	// is 5 calls, plus the throttled one.
	f.failNext("cloudtrail:GetTrailStatus", throttled("ThrottlingException"), throttled("ThrottlingException"))
	f.failNext("cloudwatch:DescribeAlarms", throttled("Throttling"))
	f.failNext("sns:ListSubscriptionsByTopic", throttled("Throttling"))
	f.failNext("s3:GetBucketPolicy", &apiError{503, "SlowDown", "Please reduce your request rate."})
	r := runDoctor(t, f, "default")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d, want 0:\n%s%s", r.code, r.stdout, r.stderr)
	}
	for op, want := range map[string]int{"cloudtrail:GetTrailStatus": 3, "cloudwatch:DescribeAlarms": 6, "sns:ListSubscriptionsByTopic": 3, "s3:GetBucketPolicy": 2} {
		if got := f.called(op); got != want {
			t.Errorf("%s called %d times, want %d (throttled, then retried)", op, got, want)
		}
	}
}

func TestThrottlingBeyondRetriesFails(t *testing.T) {
	f, _, _ := setup(t, "default")
	f.failNext("kms:GetKeyRotationStatus", throttled("ThrottlingException"), throttled("ThrottlingException"), throttled("ThrottlingException"))
	r := runDoctor(t, f, "default")
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1", r.code)
	}
	mustContain(t, r.stdout, "✗ key.rotation alias/trailwatch/trailwatch: kms:GetKeyRotationStatus failed:", "ThrottlingException", "fix: rerun doctor")
}

func TestAccessDeniedNamesTheAction(t *testing.T) {
	cases := []struct{ op, code, want string }{
		{"cloudtrail:GetTrailStatus", "AccessDeniedException", "✗ trail.logging trailwatch: cloudtrail:GetTrailStatus failed:"},
		{"logs:DescribeMetricFilters", "AccessDeniedException", "✗ filter CloudTrail/trailwatch: logs:DescribeMetricFilters failed:"},
		{"cloudwatch:DescribeAlarms", "AccessDenied", "✗ alarm: cloudwatch:DescribeAlarms failed:"},
		{"sns:ListSubscriptionsByTopic", "AuthorizationError", "✗ subscription " + testEmailTopic + ": sns:ListSubscriptionsByTopic failed:"},
		{"s3:GetPublicAccessBlock", "AccessDenied", "✗ bucket.public-access " + testBucket + ": s3:GetBucketPublicAccessBlock failed:"},
		{"kms:DescribeKey", "AccessDeniedException", "✗ key alias/trailwatch/trailwatch: kms:DescribeKey failed:"},
		{"cloudformation:ListStackResources", "AccessDenied", "✗ stack Trailwatch: cloudformation:ListStackResources failed:"},
		{"cloudtrail:GetTrail", "AccessDeniedException", "✗ trail trailwatch: cloudtrail:GetTrail failed:"},
		{"logs:DescribeLogGroups", "AccessDeniedException", "✗ loggroup CloudTrail/trailwatch: logs:DescribeLogGroups failed:"},
		{"logs:DescribeLogStreams", "AccessDeniedException", "✗ loggroup.receiving CloudTrail/trailwatch: logs:DescribeLogStreams failed:"},
		{"s3:GetBucketPolicy", "AccessDenied", "✗ bucket.policy " + testBucket + ": s3:GetBucketPolicy failed:"},
	}
	for _, c := range cases {
		t.Run(c.op, func(t *testing.T) {
			f, _, _ := setup(t, "default")
			status := 400
			if strings.HasPrefix(c.op, "s3:") {
				status = 403
			}
			f.failNext(c.op, &apiError{status, c.code, "not authorized to perform " + c.op})
			r := runDoctor(t, f, "default")
			if r.code != cli.ExitProblems {
				t.Errorf("exit %d, want 1", r.code)
			}
			action := strings.Fields(strings.TrimPrefix(c.want[strings.Index(c.want, ": ")+2:], ""))[0]
			mustContain(t, r.stdout, c.want, c.code, "fix: allow "+action+" to the identity doctor runs as (examples/doctor-iam-policy.json")
			if f.called(c.op) != 1 {
				t.Errorf("%s called %d times; access denied must not be retried", c.op, f.called(c.op))
			}
		})
	}
}

func TestCredentialErrorsExit2(t *testing.T) {
	t.Run("Rejected", func(t *testing.T) {
		f, _, _ := setup(t, "default")
		f.failNext("sts:GetCallerIdentity", &apiError{403, "InvalidClientTokenId", "The security token included in the request is invalid."})
		r := runDoctor(t, f, "default")
		if r.code != cli.ExitUsage {
			t.Errorf("exit %d, want 2", r.code)
		}
		mustContain(t, r.stderr, "trailwatch doctor: credentials:", "InvalidClientTokenId", "fix: sign in")
		if r.stdout != "" {
			t.Errorf("stdout = %q, want nothing", r.stdout)
		}
	})
	t.Run("None", func(t *testing.T) {
		f, _, _ := setup(t, "default")
		testEnv(t)
		t.Setenv("AWS_ACCESS_KEY_ID", "")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "")
		var out, errOut strings.Builder
		code := Main(t.Context(), []string{"--template", "../../test/testdata/default.template.json", "--endpoint-url", f.srv.URL}, nil, &out, &errOut)
		if code != cli.ExitUsage {
			t.Errorf("exit %d, want 2", code)
		}
		mustContain(t, errOut.String(), "trailwatch doctor: credentials:")
		if out.String() != "" || f.called("sts:GetCallerIdentity") != 0 {
			t.Errorf("stdout %q, %d calls; want nothing sent without credentials", out.String(), f.called("sts:GetCallerIdentity"))
		}
	})
	// Near-copy of the subtest above: one missing setting per subtest, each pinning its own
	// message.
	t.Run("NoRegion", func(t *testing.T) {
		f, _, _ := setup(t, "default")
		testEnv(t)
		t.Setenv("AWS_REGION", "")
		var out, errOut strings.Builder
		code := Main(t.Context(), []string{"--template", "../../test/testdata/default.template.json", "--endpoint-url", f.srv.URL}, nil, &out, &errOut)
		if code != cli.ExitUsage {
			t.Errorf("exit %d, want 2", code)
		}
		mustContain(t, errOut.String(), "trailwatch doctor: no AWS Region: pass --region")
	})
	t.Run("Profile", func(t *testing.T) {
		f, _, _ := setup(t, "default")
		testEnv(t)
		t.Setenv("AWS_ACCESS_KEY_ID", "")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "")
		var out, errOut strings.Builder
		code := Main(t.Context(), []string{"--profile", "nosuch", "--template", "../../test/testdata/default.template.json", "--endpoint-url", f.srv.URL}, nil, &out, &errOut)
		if code != cli.ExitUsage {
			t.Errorf("exit %d, want 2", code)
		}
		mustContain(t, errOut.String(), "trailwatch doctor:", "nosuch")
	})
}

func TestUsageErrorsExit2(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "yaml"}, `trailwatch doctor: --format "yaml": allowed: text, json`},
		{[]string{"--max-age", "0s"}, "trailwatch doctor: --max-age 0s: must be positive"},
		{[]string{"extra"}, `trailwatch doctor: unexpected argument "extra"`},
		{[]string{"--preflight", "--test-patterns"}, "trailwatch doctor: --preflight checks an account before deploying"},
		{[]string{"--nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"--template", "../../test/testdata/stackset.template.json"}, "is a StackSet template; run doctor in each member account"},
		{[]string{"--template", "nosuch.json"}, "trailwatch doctor: template: open nosuch.json"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			f, _, _ := setup(t, "default")
			testEnv(t)
			var out, errOut strings.Builder
			code := Main(t.Context(), append(c.args, "--endpoint-url", f.srv.URL), nil, &out, &errOut)
			if code != cli.ExitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			mustContain(t, errOut.String(), c.want)
			if out.String() != "" || len(f.calls) != 0 {
				t.Errorf("stdout %q, calls %v; want nothing", out.String(), f.calls)
			}
		})
	}
}

func TestProfileAndRegionFlags(t *testing.T) {
	f, _, _ := setup(t, "default")
	testEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_REGION", "")
	cfg, creds := os.Getenv("AWS_CONFIG_FILE"), os.Getenv("AWS_SHARED_CREDENTIALS_FILE")
	os.WriteFile(cfg, []byte("[profile audit]\nregion = eu-west-1\n"), 0o600)
	os.WriteFile(creds, []byte("[audit]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n"), 0o600)
	tpl := "../../test/testdata/default.template.json"

	var out, errOut strings.Builder
	code := Main(t.Context(), []string{"--profile", "audit", "--template", tpl, "--endpoint-url", f.srv.URL}, nil, &out, &errOut)
	if code != cli.ExitOK {
		t.Fatalf("--profile audit: exit %d: %s%s", code, out.String(), errOut.String())
	}
	mustContain(t, out.String(), "account 123456789012, Region eu-west-1, stack Trailwatch")

	out.Reset()
	code = Main(t.Context(), []string{"--profile", "audit", "--region", "ap-northeast-1", "--template", tpl, "--endpoint-url", f.srv.URL}, nil, &out, &errOut)
	if code != cli.ExitOK {
		t.Fatalf("--region: exit %d: %s", code, errOut.String())
	}
	mustContain(t, out.String(), "Region ap-northeast-1,")
}

func TestEndpointFromEnvironment(t *testing.T) {
	f, _, _ := setup(t, "default")
	testEnv(t)
	t.Setenv(EndpointEnv, f.srv.URL)
	var out, errOut strings.Builder
	code := Main(t.Context(), []string{"--template", "../../test/testdata/default.template.json"}, nil, &out, &errOut)
	if code != cli.ExitOK || f.called("sts:GetCallerIdentity") != 1 {
		t.Errorf("exit %d, %d calls to the fake: %s", code, f.called("sts:GetCallerIdentity"), errOut.String())
	}
}

// With enriched notifications the addresses are on the email topic: doctor reads them there, and
// an address left on the alarm topic (as before the upgrade) does not count.
func TestSubscriptionsAreReadFromTheEmailTopic(t *testing.T) {
	f, w, _ := setup(t, "default")
	if w.subTopic != testEmailTopic {
		t.Fatalf("the world's subscriptions are on %s, want the email topic", w.subTopic)
	}
	w.subTopic = testTopic // the subscriptions of a plain stack, not moved
	r := runDoctor(t, f, "default")
	mustContain(t, r.stdout, "✗ subscription ops@example.com: not subscribed to the topic")
}

// failBlocks are the failed checks of a text report, each its ✗ line and the indented lines
// under it (disagreements, fix).
func failBlocks(stdout string) []string {
	var out []string
	for _, line := range strings.Split(stdout, "\n") {
		switch {
		case strings.HasPrefix(line, "✗ "):
			out = append(out, line)
		case strings.HasPrefix(line, "    ") && len(out) > 0 && !strings.Contains(out[len(out)-1], "\n    fix: "):
			out[len(out)-1] += "\n" + line
		}
	}
	return out
}
