package test

import (
	"fmt"
	"github.com/trailwatch/trailwatch/pkg/catalog"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/trailwatch/trailwatch/stacks"
)

const trailArn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/trailwatch"

func ref(id string) map[string]any       { return map[string]any{"Ref": id} }
func getAtt(id, a string) map[string]any { return map[string]any{"Fn::GetAtt": []any{id, a}} }

// equal compares a template fragment with what we expect, after normalizing both through JSON.
func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	var g, w any
	roundTrip(t, got, &g)
	roundTrip(t, want, &w)
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

// The stack makes exactly these resources: nothing more (no custom resources, no auto-delete).
func TestMakesExactlyTheseResources(t *testing.T) {
	for _, f := range variants(t) {
		counts := map[string]int{}
		for _, r := range f.json["Resources"].(map[string]any) {
			counts[r.(map[string]any)["Type"].(string)]++
		}
		// The configured rows, and the tamper rows for what the stack has: the trail (not with an
		// existing log group), the buckets or key, the log group, the alarms, the topic.
		tamper := 5
		if f.cfg.ExistingLogGroupName != "" {
			tamper = 4
		}
		filters := len(f.cfg.Alarms) + tamper
		for _, a := range f.cfg.Alarms {
			if len(a.Dimensions) > 0 {
				filters++ // the per-dimension filter
			}
			if a.BenchmarkPattern != "" {
				filters++ // the benchmark filter on the same metric
			}
		}
		want := map[string]int{
			"AWS::SNS::Topic": 1, "AWS::SNS::TopicPolicy": 1, "AWS::SNS::Subscription": len(f.cfg.NotificationEmails),
			"AWS::Logs::MetricFilter": filters, "AWS::CloudWatch::Alarm": len(f.cfg.Alarms) + tamper,
		}
		if f.cfg.ExistingLogGroupName == "" {
			want["AWS::S3::Bucket"], want["AWS::S3::BucketPolicy"], want["AWS::CloudTrail::Trail"] = 2, 2, 1
			want["AWS::Logs::LogGroup"], want["AWS::IAM::Role"], want["AWS::IAM::Policy"] = 1, 1, 1
		}
		if f.cfg.Encryption == "kms" {
			want["AWS::KMS::Key"] = 1
			if f.cfg.ExistingLogGroupName == "" {
				want["AWS::KMS::Alias"] = 1
			}
		}
		if f.cfg.Notifications == "enriched" {
			// The alarm-email path (docs/notifications.md, "The wiring"); the addresses' subscriptions
			// are on its email topic instead of the alarm topic, so their number does not change.
			for typ, n := range map[string]int{"AWS::SNS::Topic": 1, "AWS::SNS::TopicPolicy": 1, "AWS::SNS::Subscription": 1,
				"AWS::Lambda::Function": 1, "AWS::Lambda::Permission": 1, "AWS::Lambda::EventInvokeConfig": 1,
				"AWS::IAM::Role": 1, "AWS::Logs::LogGroup": 1, "AWS::SQS::Queue": 1, "AWS::SQS::QueuePolicy": 1, "AWS::CloudWatch::Alarm": 2} {
				want[typ] += n
			}
		}
		if f.cfg.Athena {
			// stacks.NewAthena: one named query per alarm (every pattern of the catalog translates).
			for typ, n := range map[string]int{"AWS::Glue::Database": 1, "AWS::Glue::Table": 1, "AWS::Athena::WorkGroup": 1,
				"AWS::S3::Bucket": 1, "AWS::S3::BucketPolicy": 1, "AWS::IAM::ManagedPolicy": 1, "AWS::Athena::NamedQuery": len(f.cfg.Alarms)} {
				want[typ] += n
			}
		}
		equal(t, f.name+": resource counts", counts, want)
	}
}

func TestBucketIsPrivateEncryptedVersionedAndRetained(t *testing.T) {
	f := defaultFixture(t)
	id, bucket := f.trailBucket(t)
	equal(t, "bucket deletion/update policy", []any{bucket["DeletionPolicy"], bucket["UpdateReplacePolicy"]}, []any{"Retain", "Retain"})
	p := props(bucket)
	equal(t, "public access block", p["PublicAccessBlockConfiguration"], map[string]any{
		"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
	equal(t, "encryption", p["BucketEncryption"], map[string]any{"ServerSideEncryptionConfiguration": []any{
		map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}})
	equal(t, "versioning", p["VersioningConfiguration"], map[string]any{"Status": "Enabled"})
	equal(t, "object ownership", p["OwnershipControls"], map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}})
	equal(t, "lifecycle (defaults: GLACIER_IR after 90 days, no expiry)", p["LifecycleConfiguration"], map[string]any{"Rules": []any{map[string]any{
		"Id": "TrailLogs", "Status": "Enabled",
		"AbortIncompleteMultipartUpload": map[string]any{"DaysAfterInitiation": 7},
		"Transitions":                    []any{map[string]any{"StorageClass": "GLACIER_IR", "TransitionInDays": 90}},
		"NoncurrentVersionTransitions":   []any{map[string]any{"StorageClass": "GLACIER_IR", "TransitionInDays": 90}},
	}}})
	if _, named := p["BucketName"]; named {
		t.Errorf("bucket %s has a fixed name; a generated one avoids collisions after a retained delete", id)
	}
}

func TestBucketLifecycleFollowsConfig(t *testing.T) {
	f := synth(t, "lifecycle", map[string]any{"notificationEmails": "ops@example.com",
		"bucketTransitionDays": "30", "bucketTransitionStorageClass": "STANDARD_IA", "bucketExpirationDays": "2555"})
	_, bucket := f.trailBucket(t)
	equal(t, "lifecycle", props(bucket)["LifecycleConfiguration"], map[string]any{"Rules": []any{map[string]any{
		"Id": "TrailLogs", "Status": "Enabled",
		"AbortIncompleteMultipartUpload": map[string]any{"DaysAfterInitiation": 7},
		"Transitions":                    []any{map[string]any{"StorageClass": "STANDARD_IA", "TransitionInDays": 30}},
		"NoncurrentVersionTransitions":   []any{map[string]any{"StorageClass": "STANDARD_IA", "TransitionInDays": 30}},
		"ExpirationInDays":               2555,
		"NoncurrentVersionExpiration":    map[string]any{"NoncurrentDays": 2555},
	}}})

	// The shortest expiration, one day, without a transition.
	g := synth(t, "no-transition", map[string]any{"notificationEmails": "ops@example.com", "bucketTransitionDays": 0.0, "bucketExpirationDays": "1"})
	_, bucket = g.trailBucket(t)
	equal(t, "lifecycle without transition", props(bucket)["LifecycleConfiguration"], map[string]any{"Rules": []any{map[string]any{
		"Id": "TrailLogs", "Status": "Enabled", "AbortIncompleteMultipartUpload": map[string]any{"DaysAfterInitiation": 7},
		"ExpirationInDays": 1, "NoncurrentVersionExpiration": map[string]any{"NoncurrentDays": 1},
	}}})
}

func TestBucketPolicyLetsOnlyThisTrailWriteOverTLS(t *testing.T) {
	f := defaultFixture(t)
	bucketID, _ := f.trailBucket(t)
	p := props(f.policyOf(t, bucketID))
	bucketArn := getAtt(bucketID, "Arn")
	objects := map[string]any{"Fn::Join": []any{"", []any{getAtt(bucketID, "Arn"), "/*"}}}
	// The CDK's two TLS statements, the deletion and weakening guards, then AWS's two CloudTrail
	// statements, each scoped to this trail.
	got := p["PolicyDocument"].(map[string]any)["Statement"].([]any)
	if len(got) != 6 {
		t.Fatalf("bucket policy has %d statements, want 6 (TLS, TLS 1.2, deletion guard, weakening guard, AclCheck, Write):\n%s", len(got), toJSON(got))
	}
	equal(t, "TLS-only statement", got[0], tlsOnly(bucketArn, objects))
	equal(t, "TLS 1.2 statement", got[1], tls12(bucketArn, objects))
	equal(t, "deletion guard", got[2], deletionGuard(bucketArn, objects))
	equal(t, "weakening guard", got[3], weakeningGuard(bucketArn))
	equal(t, "AclCheck statement", got[4], map[string]any{"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow",
		"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": bucketArn,
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceArn": trailArn}}})
	equal(t, "Write statement", got[5], map[string]any{"Sid": "AWSCloudTrailWrite", "Effect": "Allow",
		"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
		"Resource":  map[string]any{"Fn::Join": []any{"", []any{getAtt(bucketID, "Arn"), "/AWSLogs/123456789012/*"}}},
		"Condition": map[string]any{"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn}}})
}

func tlsOnly(bucketArn, objects any) map[string]any {
	return map[string]any{"Effect": "Deny", "Principal": map[string]any{"AWS": "*"}, "Action": "s3:*",
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}, "Resource": []any{bucketArn, objects}}
}

func tls12(bucketArn, objects any) map[string]any {
	return map[string]any{"Effect": "Deny", "Principal": map[string]any{"AWS": "*"}, "Action": "s3:*",
		"Condition": map[string]any{"NumericLessThan": map[string]any{"s3:TlsVersion": 1.2}}, "Resource": []any{bucketArn, objects}}
}

func deletionGuard(bucketArn, objects any) map[string]any {
	return deletionGuardIn(testAccount, bucketArn, objects)
}

func deletionGuardIn(account string, bucketArn, objects any) map[string]any {
	return map[string]any{"Sid": "DenyDeletingAuditDataExceptRoot", "Effect": "Deny", "Principal": map[string]any{"AWS": "*"},
		"Action":    []any{"s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:DeleteObject", "s3:DeleteObjectVersion"},
		"Condition": map[string]any{"ArnNotEquals": map[string]any{"aws:PrincipalArn": "arn:aws:iam::" + account + ":root"}},
		"Resource":  []any{bucketArn, objects}}
}

func weakeningGuard(bucketArn any) map[string]any {
	return weakeningGuardIn(testAccount, testRegion, bucketArn)
}

// weakeningGuardIn is the statement that keeps lifecycle, versioning, Object Lock, the policy and
// access logging root's and the deployer's (the CDK bootstrap's CloudFormation execution role).
func weakeningGuardIn(account, region string, bucketArn any) map[string]any {
	return map[string]any{"Sid": "DenyWeakeningAuditDataExceptRootAndDeployer", "Effect": "Deny", "Principal": map[string]any{"AWS": "*"},
		"Action": []any{"s3:PutBucketLogging", "s3:PutBucketObjectLockConfiguration", "s3:PutBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"},
		"Condition": map[string]any{"ArnNotLike": map[string]any{"aws:PrincipalArn": []any{
			"arn:aws:iam::" + account + ":root",
			map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::" + account + ":role/cdk-hnb659fds-cfn-exec-role-" + account + "-" + region},
		}}},
		"Resource": bucketArn}
}

func TestTrailSettings(t *testing.T) {
	for _, c := range []struct {
		f    *fixture
		want string
	}{{defaultFixture(t), "WriteOnly"}, {allTwoEmailsFixture(t), "All"}} {
		id, trail := c.f.only(t, "AWS::CloudTrail::Trail")
		bucketID, _ := c.f.trailBucket(t)
		policyID := c.f.policyIDOf(t, bucketID)
		keyID, _ := c.f.only(t, "AWS::KMS::Key")
		logsID, _ := c.f.core(t, "AWS::Logs::LogGroup")
		roleID, _ := c.f.core(t, "AWS::IAM::Role")
		rolePolicyID, _ := c.f.only(t, "AWS::IAM::Policy")
		equal(t, c.f.name+": trail properties", props(trail), map[string]any{
			"TrailName": "trailwatch", "IsLogging": true, "IsMultiRegionTrail": true,
			"IncludeGlobalServiceEvents": true, "EnableLogFileValidation": true,
			"S3BucketName":              ref(bucketID),
			"CloudWatchLogsLogGroupArn": getAtt(logsID, "Arn"),
			"CloudWatchLogsRoleArn":     getAtt(roleID, "Arn"),
			"EventSelectors":            []any{map[string]any{"IncludeManagementEvents": true, "ReadWriteType": c.want}},
			"KMSKeyId":                  getAtt(keyID, "Arn"),
		})
		// CreateTrail fails unless the bucket policy and the role's policy exist first.
		deps := map[string]bool{}
		for _, d := range trail["DependsOn"].([]any) {
			deps[d.(string)] = true
		}
		for _, d := range []string{policyID, rolePolicyID, keyID} {
			if !deps[d] {
				t.Errorf("%s: trail %s does not depend on %s (DependsOn %v)", c.f.name, id, d, trail["DependsOn"])
			}
		}
	}
}

func TestWriteOnlyTrailWarnsAtSynth(t *testing.T) {
	f := defaultFixture(t)
	check(t, "WriteOnly warning", func() {
		assertions.Annotations_FromStack(f.stack).HasWarning(jsii.String("/Trailwatch/Trail"),
			assertions.Match_StringLikeRegexp(jsii.String("managementEvents is WriteOnly.*AuthorizationFailures sees only denied write calls.*Security Hub CloudTrail.1 and CloudWatch.1-14 require ReadWriteType All.*\\[ack: "+stacks.WriteOnlyWarningID+"\\]")))
	})
	g := allTwoEmailsFixture(t)
	check(t, "no warning for All", func() {
		assertions.Annotations_FromStack(g.stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
	})
}

func TestLogGroupRetentionAndRetain(t *testing.T) {
	for _, c := range []struct {
		name string
		days any
		want any
	}{{"default", nil, 365.0}, {"retention-30", "30", 30.0}, {"retention-never", "never", nil}} {
		overrides := map[string]any{"notificationEmails": "ops@example.com"}
		if c.days != nil {
			overrides["logRetentionDays"] = c.days
		}
		f := synth(t, c.name, overrides)
		_, lg := f.core(t, "AWS::Logs::LogGroup")
		equal(t, c.name+": retention", props(lg)["RetentionInDays"], c.want)
		equal(t, c.name+": fixed name (the key policy names its ARN)", props(lg)["LogGroupName"], "CloudTrail/trailwatch")
		// Deleted only by a failed first deploy's rollback, so a retry does not hit "already exists".
		equal(t, c.name+": deletion/update policy", []any{lg["DeletionPolicy"], lg["UpdateReplacePolicy"]}, []any{"RetainExceptOnCreate", "Retain"})
	}
}

func TestDeliveryRoleIsLeastPrivilege(t *testing.T) {
	f := defaultFixture(t)
	roleID, role := f.core(t, "AWS::IAM::Role")
	logsID, _ := f.core(t, "AWS::Logs::LogGroup")
	equal(t, "trust policy", props(role)["AssumeRolePolicyDocument"], map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"}}}})
	if _, ok := props(role)["ManagedPolicyArns"]; ok {
		t.Errorf("delivery role has managed policies: %v", props(role)["ManagedPolicyArns"])
	}
	_, policy := f.only(t, "AWS::IAM::Policy")
	equal(t, "role policy roles", props(policy)["Roles"], []any{ref(roleID)})
	equal(t, "role policy", props(policy)["PolicyDocument"], map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Sid": "CloudTrailDeliversToItsStreams", "Effect": "Allow",
		"Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"},
		"Resource": map[string]any{"Fn::Join": []any{"", []any{
			"arn:aws:logs:us-east-1:123456789012:log-group:", ref(logsID), ":log-stream:123456789012_CloudTrail_*"}}},
	}}})
}

func TestTopicPolicyLetsOnlyThisAccountsAlarmsPublish(t *testing.T) {
	f := defaultFixture(t)
	topicID, topic := f.core(t, "AWS::SNS::Topic")
	keyID, _ := f.only(t, "AWS::KMS::Key")
	equal(t, "topic properties", props(topic), map[string]any{"DisplayName": "trailwatch CloudTrail alarms",
		"SignatureVersion": "2", "KmsMasterKeyId": getAtt(keyID, "Arn")})
	_, policy := f.core(t, "AWS::SNS::TopicPolicy")
	equal(t, "topic policy", props(policy), map[string]any{
		"Topics": []any{ref(topicID)},
		"PolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Sid": "AllowPublishThroughSSLOnly", "Effect": "Deny", "Principal": "*", "Action": "sns:Publish",
				"Resource": ref(topicID), "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}},
			map[string]any{"Sid": "AllowCloudWatchAlarmsOfThisAccount", "Effect": "Allow",
				"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish", "Resource": ref(topicID),
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:SourceAccount": "123456789012"},
					"ArnLike":      map[string]any{"aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*"}}},
		}},
	})
}

// One email subscription per address: on the alarm-email function's email topic (enriched, the
// default), or on the alarm topic itself (plain).
func TestOneEmailSubscriptionPerAddress(t *testing.T) {
	for _, f := range []*fixture{defaultFixture(t), allTwoEmailsFixture(t), lookupVariant(t, "all-two-emails").plainFixture(t)} {
		topicID, _ := f.core(t, "AWS::SNS::Topic")
		if f.cfg.Notifications == "enriched" {
			topicID, _ = f.byPath(t, "AWS::SNS::Topic", "Notifications/EmailTopic/Resource")
		}
		var got []string
		for _, sub := range f.resources("AWS::SNS::Subscription") {
			p := props(sub)
			if p["Protocol"] == "lambda" {
				continue // the function's trigger (TestAlarmEmailTopicsAndTrigger)
			}
			equal(t, f.name+": subscription topic and protocol", []any{p["TopicArn"], p["Protocol"]}, []any{ref(topicID), "email"})
			got = append(got, p["Endpoint"].(string))
		}
		sort.Strings(got)
		equal(t, f.name+": subscribed addresses", got, f.cfg.NotificationEmails)
	}
}

// Each of the ten rows: the exact filter pattern text and metric, and the alarm's every setting,
// against the pins (awsPins), not against the catalog the construct reads.
func TestTenFiltersAndAlarmsMatchTheCatalog(t *testing.T) {
	for _, f := range []*fixture{defaultFixture(t), allTwoEmailsFixture(t)} {
		topicID, _ := f.core(t, "AWS::SNS::Topic")
		logsID, _ := f.core(t, "AWS::Logs::LogGroup")
		filters := f.resources("AWS::Logs::MetricFilter")
		alarms := f.coreResources("AWS::CloudWatch::Alarm") // the alarm-email function's two: notifications_test.go
		// AWS's ten, and the tamper rows (their own tests: tamper_test.go).
		if n := len(catalog.TamperAlarmNames()); len(filters) != len(awsPins)+n || len(alarms) != len(awsPins)+n {
			t.Errorf("%s: %d filters and %d alarms, want %d of each", f.name, len(filters), len(alarms), len(awsPins)+n)
		}
		for _, pin := range awsPins {
			filterID := logicalID(t, f, "Trailwatch/Alarms/"+pin.id+"/Filter/Resource")
			alarmID := logicalID(t, f, "Trailwatch/Alarms/"+pin.id+"/Alarm/Resource")
			what := fmt.Sprintf("%s: %s", f.name, pin.id)
			pattern := pinned(t, what+" pattern", props(filters[filterID])["FilterPattern"], pin.pattern)
			description := pinned(t, what+" description", props(alarms[alarmID])["AlarmDescription"], pin.descEN)
			equal(t, what+" filter", props(filters[filterID]), map[string]any{
				"LogGroupName":  ref(logsID),
				"FilterPattern": pattern,
				"MetricTransformations": []any{map[string]any{
					"MetricName": pin.metric, "MetricNamespace": "CloudTrailMetrics", "MetricValue": "1"}},
			})
			equal(t, what+" alarm", props(alarms[alarmID]), map[string]any{
				"AlarmName":          pin.alarmName,
				"AlarmDescription":   description,
				"MetricName":         pin.metric,
				"Namespace":          "CloudTrailMetrics",
				"Statistic":          "Sum",
				"Period":             300,
				"EvaluationPeriods":  1,
				"Threshold":          pin.threshold,
				"ComparisonOperator": "GreaterThanOrEqualToThreshold",
				"TreatMissingData":   "notBreaching",
				"AlarmActions":       []any{ref(topicID)},
			})
		}
	}
}

func TestConsoleSignInFailuresThresholdIsThree(t *testing.T) {
	f := defaultFixture(t)
	id := logicalID(t, f, "Trailwatch/Alarms/ConsoleSignInFailures/Alarm/Resource")
	if got := props(f.resources("AWS::CloudWatch::Alarm")[id])["Threshold"]; got != 3.0 {
		t.Errorf("ConsoleSignInFailures threshold = %v, want 3", got)
	}
}

func TestAlarmNamePrefix(t *testing.T) {
	f := synth(t, "prefix", map[string]any{"notificationEmails": "ops@example.com", "alarmNamePrefix": "prod-"})
	var names []string
	for _, a := range f.resources("AWS::CloudWatch::Alarm") {
		names = append(names, props(a)["AlarmName"].(string))
	}
	sort.Strings(names)
	var want []string
	for _, pin := range awsPins {
		want = append(want, "prod-"+pin.alarmName)
	}
	for _, name := range catalog.TamperAlarmNames() {
		want = append(want, "prod-"+name)
	}
	// The alarm-email function's own alarms carry the prefix too.
	want = append(want, "prod-TrailwatchAlarmEmailDeadLetters", "prod-TrailwatchAlarmEmailErrors")
	sort.Strings(want)
	equal(t, "prefixed alarm names", names, want)
}

// Logical IDs are API: a change replaces resources (and for the bucket and log group, orphans them).
func TestLogicalIDsAreStable(t *testing.T) {
	f := defaultFixture(t)
	for path, want := range map[string]string{
		"Trailwatch/TrailBucket/Resource":                        "TrailBucketA831CE63",
		"Trailwatch/TrailLogGroup/Resource":                      "TrailLogGroup7A1F916A",
		"Trailwatch/Trail":                                       "Trail",
		"Trailwatch/Alarms/Topic/Resource":                       "AlarmsTopic3A2DFEBA",
		"Trailwatch/Alarms/SecurityGroupChanges/Alarm/Resource":  "AlarmsSecurityGroupChangesAlarmF2198647",
		"Trailwatch/Alarms/SecurityGroupChanges/Filter/Resource": "AlarmsSecurityGroupChangesFilter6B52BA7B",
	} {
		if got := logicalID(t, f, path); got != want {
			t.Errorf("%s has logical ID %s, want %s", path, got, want)
		}
	}
}

// logicalID finds the logical ID of the resource at a construct path.
func logicalID(t *testing.T, f *fixture, path string) string {
	t.Helper()
	for id, r := range f.json["Resources"].(map[string]any) {
		md, _ := r.(map[string]any)["Metadata"].(map[string]any)
		if md["aws:cdk:path"] == path {
			return id
		}
	}
	t.Fatalf("%s: no resource at %s", f.name, path)
	return ""
}
