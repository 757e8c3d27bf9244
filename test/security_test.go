package test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/stacks"
)

// The deletion policy of every resource, in every variant: audit data survives stack deletion and
// resource replacement, and nothing in the stack can empty a bucket. The log group alone has a
// fixed name and no deny statement of the stack protects it, so a failed first deploy's rollback
// deletes it (RetainExceptOnCreate) and a retry does not fail on "already exists"; the buckets,
// their policies and the key stay Retain, since the stack's own deny statements would make a
// rollback's delete fail. Everything else is deleted with the stack.
func TestDeletionPolicies(t *testing.T) {
	type policies struct{ deletion, updateReplace any }
	want := map[string]policies{
		"AWS::S3::Bucket":       {"Retain", "Retain"},
		"AWS::S3::BucketPolicy": {"Retain", "Retain"},
		"AWS::KMS::Key":         {"Retain", "Retain"},
		"AWS::Logs::LogGroup":   {"RetainExceptOnCreate", "Retain"},
	}
	// The alarm-email function's dead-letter queue goes with the stack (the CDK's default for a
	// queue): it holds copies of alarm notifications, whose history CloudWatch keeps, and only
	// while the function that fills it exists. It is not audit data.
	deleted := map[string]policies{"AWS::SQS::Queue": {"Delete", "Delete"}}
	for _, f := range variants(t) {
		seen := map[string]int{}
		for id, r := range f.json["Resources"].(map[string]any) {
			res := r.(map[string]any)
			typ := res["Type"].(string)
			path, _ := res["Metadata"].(map[string]any)["aws:cdk:path"].(string)
			alarmEmail := strings.Contains(path, "/Notifications/") // its role may not touch S3: below
			if strings.HasPrefix(typ, "Custom::") || (strings.HasPrefix(typ, "AWS::Lambda::") && !alarmEmail) || typ == "AWS::CloudFormation::CustomResource" {
				t.Errorf("%s: %s is a %s; nothing in the stack may run code against the buckets", f.name, id, typ)
			}
			if typ == "AWS::IAM::Role" && alarmEmail && strings.Contains(strings.ToLower(toJSON(props(res)["Policies"])), "s3:") {
				t.Errorf("%s: the alarm-email function's role %s has an S3 action: %s", f.name, id, toJSON(props(res)["Policies"]))
			}
			if tags, _ := props(res)["Tags"].([]any); tags != nil && strings.Contains(toJSON(tags), "auto-delete-objects") {
				t.Errorf("%s: %s is tagged for automatic object deletion", f.name, id)
			}
			w, retained := want[typ]
			if retained {
				seen[typ]++
			} else if d, ok := deleted[typ]; ok && alarmEmail {
				w = d
			}
			if got := (policies{res["DeletionPolicy"], res["UpdateReplacePolicy"]}); got != w {
				t.Errorf("%s: %s (%s) has DeletionPolicy %v, UpdateReplacePolicy %v; want %v, %v",
					f.name, id, typ, got.deletion, got.updateReplace, w.deletion, w.updateReplace)
			}
		}
		counts := map[string]int{"AWS::S3::Bucket": 2, "AWS::S3::BucketPolicy": 2, "AWS::Logs::LogGroup": 1}
		if f.cfg.ExistingLogGroupName != "" {
			counts = map[string]int{} // the audit data lives in the existing trail's bucket and group
		}
		if f.cfg.Encryption == "kms" {
			counts["AWS::KMS::Key"] = 1
		}
		if f.cfg.Notifications == "enriched" {
			counts["AWS::Logs::LogGroup"]++ // the alarm-email function's logs
		}
		if f.cfg.Athena {
			counts["AWS::S3::Bucket"]++ // the Athena results bucket, and its policy
			counts["AWS::S3::BucketPolicy"]++
		}
		equal(t, f.name+": retained resources", seen, counts)
	}
}

// statements returns every policy statement of the template, with where it comes from.
func statements(f *fixture) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for id, r := range f.json["Resources"].(map[string]any) {
		p := props(r.(map[string]any))
		for _, field := range []string{"PolicyDocument", "KeyPolicy", "AssumeRolePolicyDocument"} {
			doc, _ := p[field].(map[string]any)
			list, _ := doc["Statement"].([]any)
			for _, s := range list {
				out[id+"."+field] = append(out[id+"."+field], s.(map[string]any))
			}
		}
	}
	return out
}

// Near-copy of internal/doctor/policy_test.go's strs: test helpers of two packages, not worth a
// shared package.
func list(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Least privilege made visible: no "*" principal without a condition, and no service is given a
// whole service's actions (kms:*, s3:*, *).
func TestNoOpenPrincipalsAndNoServiceWildcards(t *testing.T) {
	for _, f := range variants(t) {
		for where, stmts := range statements(f) {
			for i, s := range stmts {
				at := fmt.Sprintf("%s: %s statement %d (%v)", f.name, where, i, s["Sid"])
				principal := s["Principal"]
				open := principal == "*"
				if m, ok := principal.(map[string]any); ok && m["AWS"] == "*" {
					open = true
				}
				if open && (s["Effect"] == "Allow" || s["Condition"] == nil) {
					t.Errorf("%s: principal * in an Allow, or without a condition", at)
				}
				m, _ := principal.(map[string]any)
				if m["Service"] == nil || s["Effect"] != "Allow" {
					continue
				}
				for _, a := range list(s["Action"]) {
					if a == "*" || strings.HasSuffix(a, ":*") {
						t.Errorf("%s: service %v is allowed %s", at, m["Service"], a)
					}
				}
			}
		}
	}
}

// The key policy: the account administers the key through IAM (the CDK's default statement), and
// each service gets exactly what docs/security.md ("Key policy") says, scoped as tightly as AWS documents.
func TestKeyPolicy(t *testing.T) {
	f := defaultFixture(t)
	_, key := f.only(t, "AWS::KMS::Key")
	p := props(key)
	equal(t, "rotation", p["EnableKeyRotation"], true)
	equal(t, "key policy", p["KeyPolicy"], map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"},
		map[string]any{"Sid": "CloudTrailEncryptsLogFiles", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": map[string]any{
				"StringLike":   map[string]any{"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*"},
				"StringEquals": map[string]any{"aws:SourceArn": trailArn}}},
		map[string]any{"Sid": "CloudTrailDescribesKey", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action": "kms:DescribeKey", "Resource": "*", "Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceArn": trailArn}}},
		map[string]any{"Sid": "CloudWatchLogsEncryptsTheTrailLogGroup", "Effect": "Allow", "Principal": map[string]any{"Service": "logs.us-east-1.amazonaws.com"},
			"Action":    []any{"kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"},
			"Resource":  "*",
			"Condition": map[string]any{"ArnEquals": map[string]any{"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:CloudTrail/trailwatch"}}},
		map[string]any{"Sid": "DenyDestroyingTheKeyExceptRoot", "Effect": "Deny", "Principal": map[string]any{"AWS": "*"},
			"Action":    []any{"kms:DeleteImportedKeyMaterial", "kms:DisableKey", "kms:ScheduleKeyDeletion"},
			"Resource":  "*",
			"Condition": map[string]any{"ArnNotEquals": map[string]any{"aws:PrincipalArn": "arn:aws:iam::123456789012:root"}}},
		map[string]any{"Sid": "CloudWatchAlarmsPublishToTheEncryptedTopic", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
			"Action": []any{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*"},
		map[string]any{"Sid": "CloudWatchLogsEncryptsTheAlarmEmailLogGroup", "Effect": "Allow", "Principal": map[string]any{"Service": "logs.us-east-1.amazonaws.com"},
			"Action":    []any{"kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"},
			"Resource":  "*",
			"Condition": map[string]any{"ArnEquals": map[string]any{"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:trailwatch/alarm-email/Trailwatch"}}},
	}})
}

// One key encrypts the trail's log files, the log group and the topic.
func TestOneKeyEncryptsTrailLogGroupAndTopic(t *testing.T) {
	for _, f := range []*fixture{defaultFixture(t), allTwoEmailsFixture(t)} {
		keyID, _ := f.only(t, "AWS::KMS::Key")
		keyArn := getAtt(keyID, "Arn")
		_, trail := f.only(t, "AWS::CloudTrail::Trail")
		_, lg := f.byPath(t, "AWS::Logs::LogGroup", "TrailLogGroup/Resource")
		_, topic := f.byPath(t, "AWS::SNS::Topic", "Alarms/Topic/Resource")
		equal(t, f.name+": trail key", props(trail)["KMSKeyId"], keyArn)
		equal(t, f.name+": log group key", props(lg)["KmsKeyId"], keyArn)
		equal(t, f.name+": topic key", props(topic)["KmsMasterKeyId"], keyArn)
	}
}

// encryption=none is still a whole, working stack: trail, log group, ten alarms and topic, only
// without the key.
func TestEncryptionNoneIsAWorkingStack(t *testing.T) {
	f := variantFixture(t, "encryption-none")
	if n := len(f.resources("AWS::KMS::Key")); n != 0 {
		t.Errorf("%d KMS keys, want none", n)
	}
	_, trail := f.only(t, "AWS::CloudTrail::Trail")
	_, lg := f.byPath(t, "AWS::Logs::LogGroup", "TrailLogGroup/Resource")
	_, topic := f.byPath(t, "AWS::SNS::Topic", "Alarms/Topic/Resource")
	for what, v := range map[string]any{"trail KMSKeyId": props(trail)["KMSKeyId"], "log group KmsKeyId": props(lg)["KmsKeyId"], "topic KmsMasterKeyId": props(topic)["KmsMasterKeyId"]} {
		if v != nil {
			t.Errorf("%s = %v, want none", what, v)
		}
	}
	logsID, _ := f.core(t, "AWS::Logs::LogGroup")
	equal(t, "trail still delivers to the log group", props(trail)["CloudWatchLogsLogGroupArn"], getAtt(logsID, "Arn"))
	// AWS's ten and the tamper rows of the trail, the buckets (no key), the log group, alarms and topic.
	if len(f.coreResources("AWS::CloudWatch::Alarm")) != 10+5 || len(f.resources("AWS::Logs::MetricFilter")) != 10+5 {
		t.Errorf("want 10 + 5 tamper alarms and filters")
	}
	_, bucket := f.trailBucket(t)
	equal(t, "bucket encryption stays SSE-S3", props(bucket)["BucketEncryption"], map[string]any{"ServerSideEncryptionConfiguration": []any{
		map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}})
}

// The trail bucket's server access logs go to a dedicated, hardened, retained bucket that only S3's
// log delivery for that bucket may write to.
func TestServerAccessLogging(t *testing.T) {
	for _, f := range variants(t) {
		if f.cfg.ExistingLogGroupName != "" {
			continue // no bucket of ours
		}
		trailBucketID, trailBucket := f.trailBucket(t)
		logsID, logs := f.accessLogsBucket(t)
		equal(t, f.name+": logging configuration", props(trailBucket)["LoggingConfiguration"], map[string]any{
			"DestinationBucketName": ref(logsID), "LogFilePrefix": "trail-bucket/"})
		p := props(logs)
		equal(t, f.name+": access-log bucket hardening", []any{p["PublicAccessBlockConfiguration"], p["BucketEncryption"], p["VersioningConfiguration"], p["OwnershipControls"]},
			[]any{map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
				map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}},
				map[string]any{"Status": "Enabled"},
				map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}}})
		bucketArn := getAtt(logsID, "Arn")
		objects := map[string]any{"Fn::Join": []any{"", []any{getAtt(logsID, "Arn"), "/*"}}}
		// S3's log delivery may write each logged bucket's logs under its prefix, and only those.
		delivery := func(sourceID, prefix string) map[string]any {
			return map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
				"Resource": map[string]any{"Fn::Join": []any{"", []any{getAtt(logsID, "Arn"), "/" + prefix + "*"}}},
				"Condition": map[string]any{"ArnLike": map[string]any{"aws:SourceArn": getAtt(sourceID, "Arn")},
					"StringEquals": map[string]any{"aws:SourceAccount": f.cfg.Account}}}
		}
		want := []any{tlsOnly(bucketArn, objects), tls12(bucketArn, objects), deletionGuardIn(f.cfg.Account, bucketArn, objects),
			weakeningGuardIn(f.cfg.Account, f.cfg.Region, bucketArn), delivery(trailBucketID, "trail-bucket/")}
		if f.cfg.Athena {
			resultsID, _ := f.byPath(t, "AWS::S3::Bucket", "Athena/Results/Resource")
			want = append(want, delivery(resultsID, "athena-results/"))
		}
		equal(t, f.name+": access-log bucket policy", props(f.policyOf(t, logsID))["PolicyDocument"].(map[string]any)["Statement"], want)
	}
}

func TestObjectLock(t *testing.T) {
	f := variantFixture(t, "object-lock-compliance")
	_, bucket := f.trailBucket(t)
	equal(t, "object lock", []any{props(bucket)["ObjectLockEnabled"], props(bucket)["ObjectLockConfiguration"]}, []any{true,
		map[string]any{"ObjectLockEnabled": "Enabled", "Rule": map[string]any{"DefaultRetention": map[string]any{"Mode": "COMPLIANCE", "Days": 365}}}})
	check(t, "object lock warning", func() {
		assertions.Annotations_FromStack(f.stack).HasWarning(jsii.String("/Trailwatch/TrailBucket"),
			assertions.Match_StringLikeRegexp(jsii.String("Object Lock is meant to be turned on when a bucket is created.*check `cdk diff`.*old bucket is kept.*\\[ack: "+stacks.ObjectLockWarningID+"\\]")))
	})
	// The smallest settings: one day of lock, a move after one day and deletion after two.
	g := synth(t, "object-lock-governance", map[string]any{"notificationEmails": "ops@example.com", "objectLockDays": "1",
		"bucketTransitionDays": "1", "bucketTransitionStorageClass": "INTELLIGENT_TIERING", "bucketExpirationDays": "2"})
	_, bucket = g.trailBucket(t)
	equal(t, "governance mode", []any{props(bucket)["ObjectLockEnabled"], props(bucket)["ObjectLockConfiguration"]}, []any{true,
		map[string]any{"ObjectLockEnabled": "Enabled", "Rule": map[string]any{"DefaultRetention": map[string]any{"Mode": "GOVERNANCE", "Days": 1}}}})
	equal(t, "lifecycle of one and two days", props(bucket)["LifecycleConfiguration"], map[string]any{"Rules": []any{map[string]any{
		"Id": "TrailLogs", "Status": "Enabled",
		"AbortIncompleteMultipartUpload": map[string]any{"DaysAfterInitiation": 7},
		"Transitions":                    []any{map[string]any{"StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": 1}},
		"NoncurrentVersionTransitions":   []any{map[string]any{"StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": 1}},
		"ExpirationInDays":               2,
		"NoncurrentVersionExpiration":    map[string]any{"NoncurrentDays": 2},
	}}})
	check(t, "object lock warning for one day", func() {
		assertions.Annotations_FromStack(g.stack).HasWarning(jsii.String("/Trailwatch/TrailBucket"),
			assertions.Match_StringLikeRegexp(jsii.String("\\[ack: "+stacks.ObjectLockWarningID+"\\]")))
	})

	d := defaultFixture(t)
	_, bucket = d.trailBucket(t)
	if props(bucket)["ObjectLockEnabled"] != nil {
		t.Errorf("object lock is on by default")
	}
	check(t, "no object lock warning by default", func() {
		assertions.Annotations_FromStack(d.stack).HasNoWarning(jsii.String("/Trailwatch/TrailBucket"), assertions.Match_AnyValue())
	})
}

// A trail name may hold '.', which KMS alias names may not: the alias turns it into '-'.
func TestKeyAliasFromADottedTrailName(t *testing.T) {
	f := synth(t, "dotted-trail", map[string]any{"notificationEmails": "ops@example.com", "trailName": "org.audit_trail-1"})
	_, alias := f.only(t, "AWS::KMS::Alias")
	equal(t, "alias", props(alias)["AliasName"], "alias/trailwatch/org-audit_trail-1")
	_, trail := f.only(t, "AWS::CloudTrail::Trail")
	equal(t, "trail name", props(trail)["TrailName"], "org.audit_trail-1")
}

// A stack whose synthesizer names no CloudFormation execution role (here: deployed with the CLI's
// credentials) still lets the bootstrap's cfn-exec-role change its buckets' settings, with the
// qualifier of the @aws-cdk/core:bootstrapQualifier context, or the default one when it is empty.
func TestDeployerWithoutASynthesizerRole(t *testing.T) {
	target, err := config.Parse(cliContext(t, map[string]any{"notificationEmails": "ops@example.com",
		"encryption": "none", "notifications": config.Plain, "alarmProfile": "aws"}), pinnedEnv)
	if err != nil {
		t.Fatal(err)
	}
	for qualifier, want := range map[string]string{"custom1": "custom1", "": "hnb659fds"} {
		ctx := cliContext(t, map[string]any{"@aws-cdk/core:bootstrapQualifier": qualifier})
		app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, AnalyticsReporting: jsii.Bool(false)})
		a := stacks.NewAudit(app, "CliCredentials", &stacks.AuditProps{Config: target.Stack, StackProps: awscdk.StackProps{
			Env:         &awscdk.Environment{Account: jsii.String(testAccount), Region: jsii.String(testRegion)},
			Synthesizer: awscdk.NewCliCredentialsStackSynthesizer(nil),
		}})
		var deployers []any
		for _, p := range *assertions.Template_FromStack(a.Stack, nil).FindResources(jsii.String("AWS::S3::BucketPolicy"), nil) {
			for _, s := range (*p)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
				if st := s.(map[string]any); st["Sid"] == "DenyWeakeningAuditDataExceptRootAndDeployer" {
					deployers = append(deployers, st["Condition"].(map[string]any)["ArnNotLike"].(map[string]any)["aws:PrincipalArn"].([]any)[1])
				}
			}
		}
		role := "arn:aws:iam::123456789012:role/cdk-" + want + "-cfn-exec-role-123456789012-us-east-1"
		equal(t, "qualifier "+qualifier+": the deployer of both buckets", deployers, []any{role, role})
	}
}
