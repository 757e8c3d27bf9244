package test

import (
	"github.com/trailwatch/trailwatch/pkg/catalog"
	"path/filepath"
	"regexp"
	goslices "slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/internal/notify"
	"github.com/trailwatch/trailwatch/stacks"
)

// With -c notifications=plain every golden variant synthesizes exactly the template it had before
// enriched notifications existed: testdata/plain/ holds those templates, copied byte for byte from
// testdata/ in the commit that added enriched notifications.
func TestPlainNotificationsAreTodaysTemplates(t *testing.T) {
	for _, v := range variantTable {
		if v.golden {
			t.Run(v.name, func(t *testing.T) {
				f := v.plainFixture(t)
				if f.cfg.Notifications != config.Plain {
					t.Fatalf("%s: notifications is %q, want plain", v.name, f.cfg.Notifications)
				}
				goldenFile(t, filepath.Join("testdata", "plain", v.name+".template.json"), "TestPlainNotificationsAreTodaysTemplates/^"+v.name+"$", f)
			})
		}
	}
}

// enrichedVariants are the variants with a function: every security variant (default,
// managementEvents=All, encryption=none, CIS, custom alarms, alarms-only, organization trail).
func enrichedVariants(t *testing.T) []*fixture {
	t.Helper()
	out := variants(t)
	if len(out) < 8 {
		t.Fatalf("%d enriched variants, want every security variant", len(out))
	}
	return out
}

// notification is what one enriched template holds, found by construct path.
type notification struct {
	fnID, roleID, emailTopicID, alarmTopicID, queueID, logGroupID string
	fn, role                                                      map[string]any
}

func (f *fixture) byPath(t *testing.T, typ, path string) (string, map[string]any) {
	t.Helper()
	for id, r := range f.resources(typ) {
		meta, _ := r["Metadata"].(map[string]any)
		if p, _ := meta["aws:cdk:path"].(string); strings.HasSuffix(p, path) {
			return id, r
		}
	}
	t.Fatalf("%s: no %s at .../%s", f.name, typ, path)
	return "", nil
}

func (f *fixture) notification(t *testing.T) notification {
	t.Helper()
	var n notification
	n.fnID, n.fn = f.only(t, "AWS::Lambda::Function")
	n.roleID, n.role = f.byPath(t, "AWS::IAM::Role", "Notifications/Role/Resource")
	n.emailTopicID, _ = f.byPath(t, "AWS::SNS::Topic", "Notifications/EmailTopic/Resource")
	n.alarmTopicID, _ = f.byPath(t, "AWS::SNS::Topic", "Alarms/Topic/Resource")
	n.queueID, _ = f.only(t, "AWS::SQS::Queue")
	n.logGroupID, _ = f.byPath(t, "AWS::Logs::LogGroup", "Notifications/LogGroup/Resource")
	return n
}

// account and region are the stack's (a target's own, or the pinned test environment).
func (f *fixture) account() string {
	if f.cfg.Account != "" {
		return f.cfg.Account
	}
	return testAccount
}

func (f *fixture) region() string {
	if f.cfg.Region != "" {
		return f.cfg.Region
	}
	return testRegion
}

func (f *fixture) logGroupSearched() string {
	if f.cfg.ExistingLogGroupName != "" {
		return f.cfg.ExistingLogGroupName
	}
	return "CloudTrail/" + f.cfg.TrailName
}

// The function: provided.al2023 on x86_64 (docs/notifications.md), the bootstrap asset, sized
// for the work, bounded, its own log group, and the environment the handler reads.
func TestAlarmEmailFunction(t *testing.T) {
	for _, f := range enrichedVariants(t) {
		n := f.notification(t)
		wantEnv := map[string]any{
			notify.EnvLogGroup: f.logGroupSearched(),
			notify.EnvTopicARN: map[string]any{"Ref": n.emailTopicID},
			notify.EnvLanguage: f.cfg.Language,
		}
		if f.cfg.Environment != "default" {
			wantEnv[notify.EnvEnvironment] = f.cfg.Environment
		}
		check(t, f.name+": function", func() {
			f.template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
				"Runtime":                      "provided.al2023",
				"Architectures":                []any{"x86_64"},
				"Handler":                      "bootstrap",
				"Timeout":                      60, // docs/notifications.md: a 10,000-event search and two publishes
				"MemorySize":                   128,
				"ReservedConcurrentExecutions": 2,
				"Role":                         map[string]any{"Fn::GetAtt": []any{n.roleID, "Arn"}},
				"Environment":                  map[string]any{"Variables": assertions.Match_ObjectEquals(&wantEnv)},
				"LoggingConfig":                map[string]any{"LogGroup": map[string]any{"Ref": n.logGroupID}},
				"Code": map[string]any{
					"S3Key": assertions.Match_StringLikeRegexp(jsii.String("^[0-9a-f]{64}\\.zip$")),
				},
			})
		})
		check(t, f.name+": asynchronous invocation: no retry, failures to the queue", func() {
			f.template.HasResourceProperties(jsii.String("AWS::Lambda::EventInvokeConfig"), assertions.Match_ObjectEquals(&map[string]any{
				"FunctionName":         map[string]any{"Ref": n.fnID},
				"Qualifier":            "$LATEST",
				"MaximumRetryAttempts": 0,
				"DestinationConfig":    map[string]any{"OnFailure": map[string]any{"Destination": map[string]any{"Fn::GetAtt": []any{n.queueID, "Arn"}}}},
			}))
		})
		_, lg := f.byPath(t, "AWS::Logs::LogGroup", "Notifications/LogGroup/Resource")
		if got := props(lg)["LogGroupName"]; got != "trailwatch/alarm-email/"+*f.stack.StackName() {
			t.Errorf("%s: function log group name %v", f.name, got)
		}
		wantRetention := any(float64(f.cfg.LogRetentionDays))
		if f.cfg.LogRetentionDays == 0 {
			wantRetention = nil
		}
		if got := props(lg)["RetentionInDays"]; got != wantRetention {
			t.Errorf("%s: function log group retention %v, want %v (logRetentionDays)", f.name, got, wantRetention)
		}
		if _, encrypted := props(lg)["KmsKeyId"]; encrypted != (f.cfg.Encryption == config.KMS) {
			t.Errorf("%s: function log group KmsKeyId present=%v with encryption=%s", f.name, encrypted, f.cfg.Encryption)
		}
		if f.cfg.ExistingLogGroupName == "" {
			_, trailLG := f.byPath(t, "AWS::Logs::LogGroup", "TrailLogGroup/Resource")
			for _, k := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
				if lg[k] != trailLG[k] {
					t.Errorf("%s: function log group %s %v, the trail's %v: keep them alike", f.name, k, lg[k], trailLG[k])
				}
			}
		} else if lg["DeletionPolicy"] != "RetainExceptOnCreate" || lg["UpdateReplacePolicy"] != "Retain" {
			// A fixed name, as the trail's log group: kept, but not after a failed first deploy.
			t.Errorf("%s: function log group DeletionPolicy %v, UpdateReplacePolicy %v; want RetainExceptOnCreate, Retain", f.name, lg["DeletionPolicy"], lg["UpdateReplacePolicy"])
		}
	}
}

// The role: one inline policy, exactly these statements; no managed policy, no other policy.
func TestAlarmEmailRoleIsLeastPrivilege(t *testing.T) {
	for _, f := range enrichedVariants(t) {
		n := f.notification(t)
		logs := "arn:aws:logs:" + f.region() + ":" + f.account() + ":log-group:"
		want := []any{
			map[string]any{"Sid": "SearchTheTrailLogGroup", "Effect": "Allow",
				"Action":   []any{"logs:DescribeMetricFilters", "logs:FilterLogEvents"},
				"Resource": logs + f.logGroupSearched() + ":*"},
			map[string]any{"Sid": "WriteItsOwnLogs", "Effect": "Allow",
				"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents"},
				"Resource": logs + "trailwatch/alarm-email/" + *f.stack.StackName() + ":*"},
			map[string]any{"Sid": "PublishTheEmail", "Effect": "Allow", "Action": "sns:Publish",
				"Resource": map[string]any{"Ref": n.emailTopicID}},
			map[string]any{"Sid": "KeepFailedAlarms", "Effect": "Allow", "Action": "sqs:SendMessage",
				"Resource": map[string]any{"Fn::GetAtt": []any{n.queueID, "Arn"}}},
		}
		if f.cfg.Encryption == config.KMS {
			keyID, _ := f.only(t, "AWS::KMS::Key")
			want = append(want, map[string]any{"Sid": "EncryptTheEmailAndFailedAlarms", "Effect": "Allow",
				"Action":   []any{"kms:Decrypt", "kms:GenerateDataKey"},
				"Resource": map[string]any{"Fn::GetAtt": []any{keyID, "Arn"}}})
		}
		p := props(n.role)
		if _, ok := p["ManagedPolicyArns"]; ok {
			t.Errorf("%s: the function's role has managed policies %v", f.name, p["ManagedPolicyArns"])
		}
		policies, _ := p["Policies"].([]any)
		if len(policies) != 1 {
			t.Fatalf("%s: %d inline policies, want 1: %s", f.name, len(policies), toJSON(policies))
		}
		doc := policies[0].(map[string]any)["PolicyDocument"].(map[string]any)
		if diff := cmp.Diff(want, doc["Statement"]); diff != "" {
			t.Errorf("%s: the function's role statements (-want +got):\n%s", f.name, diff)
		}
		for id, pol := range f.resources("AWS::IAM::Policy") {
			if strings.Contains(toJSON(props(pol)["Roles"]), n.roleID) {
				t.Errorf("%s: policy %s also grants the function's role: %s", f.name, id, toJSON(props(pol)["PolicyDocument"]))
			}
		}
		check(t, f.name+": trust", func() {
			f.template.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{
				"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
					"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"},
				}}},
				"Policies": assertions.Match_AnyValue(),
			})
		})
	}
}

// The alarm topic (today's logical ID) triggers the function and nothing else; the addresses
// subscribe to the email topic, which is hardened like the alarm topic and which only the
// function's role and CloudWatch alarms of this account may publish to.
func TestAlarmEmailTopicsAndTrigger(t *testing.T) {
	for _, f := range enrichedVariants(t) {
		n := f.notification(t)
		if n.alarmTopicID != "AlarmsTopic3A2DFEBA" {
			t.Errorf("%s: the alarm topic is %s; its logical ID must stay AlarmsTopic3A2DFEBA (no replacement)", f.name, n.alarmTopicID)
		}
		var onAlarm, emails []string
		for _, s := range f.resources("AWS::SNS::Subscription") {
			p := props(s)
			switch ref, _ := p["TopicArn"].(map[string]any); ref["Ref"] {
			case n.alarmTopicID:
				onAlarm = append(onAlarm, toJSON([]any{p["Protocol"], p["Endpoint"]}))
			case n.emailTopicID:
				if p["Protocol"] == "email" {
					emails = append(emails, p["Endpoint"].(string))
				}
			default:
				t.Errorf("%s: a subscription on neither topic: %s", f.name, toJSON(p))
			}
		}
		wantTrigger := []string{toJSON([]any{"lambda", map[string]any{"Fn::GetAtt": []any{n.fnID, "Arn"}}})}
		if !goslices.Equal(onAlarm, wantTrigger) {
			t.Errorf("%s: alarm topic subscriptions %v, want only the function %v", f.name, onAlarm, wantTrigger)
		}
		sort.Strings(emails)
		want := goslices.Clone(f.cfg.NotificationEmails)
		sort.Strings(want)
		if !goslices.Equal(emails, want) {
			t.Errorf("%s: email topic subscriptions %v, want %v", f.name, emails, want)
		}
		check(t, f.name+": SNS may invoke the function, from the alarm topic only", func() {
			f.template.HasResourceProperties(jsii.String("AWS::Lambda::Permission"), assertions.Match_ObjectEquals(&map[string]any{
				"Action": "lambda:InvokeFunction", "FunctionName": map[string]any{"Fn::GetAtt": []any{n.fnID, "Arn"}},
				"Principal": "sns.amazonaws.com", "SourceArn": map[string]any{"Ref": n.alarmTopicID},
			}))
		})
		if got := len(f.resources("AWS::Lambda::Permission")); got != 1 {
			t.Errorf("%s: %d Lambda permissions, want 1", f.name, got)
		}
		_, email := f.byPath(t, "AWS::SNS::Topic", "Notifications/EmailTopic/Resource")
		_, alarm := f.byPath(t, "AWS::SNS::Topic", "Alarms/Topic/Resource")
		for _, k := range []string{"KmsMasterKeyId", "SignatureVersion", "DisplayName"} {
			if toJSON(props(email)[k]) != toJSON(props(alarm)[k]) {
				t.Errorf("%s: email topic %s %s, alarm topic's %s", f.name, k, toJSON(props(email)[k]), toJSON(props(alarm)[k]))
			}
		}
		if _, encrypted := props(email)["KmsMasterKeyId"]; encrypted != (f.cfg.Encryption == config.KMS) {
			t.Errorf("%s: email topic encrypted=%v with encryption=%s", f.name, encrypted, f.cfg.Encryption)
		}
		_, policy := f.byPath(t, "AWS::SNS::TopicPolicy", "Notifications/EmailTopic/Policy/Resource")
		stmts := props(policy)["PolicyDocument"].(map[string]any)["Statement"].([]any)
		topic := map[string]any{"Ref": n.emailTopicID}
		wantStmts := []any{
			map[string]any{"Action": "sns:Publish", "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
				"Effect": "Deny", "Principal": "*", "Resource": topic, "Sid": "AllowPublishThroughSSLOnly"},
			map[string]any{"Action": "sns:Publish", "Effect": "Allow", "Principal": map[string]any{"AWS": map[string]any{"Fn::GetAtt": []any{n.roleID, "Arn"}}},
				"Resource": topic, "Sid": "AllowTheAlarmEmailFunction"},
			map[string]any{"Action": "sns:Publish", "Condition": map[string]any{
				"ArnLike":      map[string]any{"aws:SourceArn": "arn:aws:cloudwatch:" + f.region() + ":" + f.account() + ":alarm:*"},
				"StringEquals": map[string]any{"aws:SourceAccount": f.account()}},
				"Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"}, "Resource": topic, "Sid": "AllowCloudWatchAlarmsOfThisAccount"},
		}
		if diff := cmp.Diff(wantStmts, stmts); diff != "" {
			t.Errorf("%s: email topic policy (-want +got):\n%s", f.name, diff)
		}
		outputs, _ := f.json["Outputs"].(map[string]any)
		if o, _ := outputs["AlarmTopicArn"].(map[string]any); toJSON(o["Value"]) != toJSON(map[string]any{"Ref": n.alarmTopicID}) ||
			!strings.Contains(o["Description"].(string), "Chatbot") {
			t.Errorf("%s: AlarmTopicArn output %s", f.name, toJSON(o))
		}
		if o, _ := outputs["AlarmEmailTopicArn"].(map[string]any); toJSON(o["Value"]) != toJSON(topic) {
			t.Errorf("%s: AlarmEmailTopicArn output %s", f.name, toJSON(o))
		}
	}
}

// A failure is visible: the dead-letter queue is encrypted and TLS only, and two alarms (the
// function's Errors, the queue's messages) notify the email topic, never the alarm topic.
func TestAlarmEmailFailuresAreVisible(t *testing.T) {
	for _, f := range enrichedVariants(t) {
		n := f.notification(t)
		_, q := f.only(t, "AWS::SQS::Queue")
		if f.cfg.Encryption == config.KMS {
			keyID, _ := f.only(t, "AWS::KMS::Key")
			if toJSON(props(q)["KmsMasterKeyId"]) != toJSON(map[string]any{"Fn::GetAtt": []any{keyID, "Arn"}}) {
				t.Errorf("%s: queue key %s", f.name, toJSON(props(q)["KmsMasterKeyId"]))
			}
		} else if props(q)["SqsManagedSseEnabled"] != true {
			t.Errorf("%s: queue not encrypted: %s", f.name, toJSON(props(q)))
		}
		check(t, f.name+": queue TLS only", func() {
			f.template.HasResourceProperties(jsii.String("AWS::SQS::QueuePolicy"), map[string]any{
				"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
					"Action": "sqs:*", "Effect": "Deny", "Principal": map[string]any{"AWS": "*"},
					"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
					"Resource":  map[string]any{"Fn::GetAtt": []any{n.queueID, "Arn"}},
				}})},
			})
		})
		for _, c := range []struct {
			name, metric, namespace, dimension, ref string
		}{
			{f.cfg.AlarmNamePrefix + "TrailwatchAlarmEmailErrors", "Errors", "AWS/Lambda", "FunctionName", n.fnID},
			{f.cfg.AlarmNamePrefix + "TrailwatchAlarmEmailDeadLetters", "ApproximateNumberOfMessagesVisible", "AWS/SQS", "QueueName", n.queueID},
		} {
			ref := map[string]any{"Ref": c.ref}
			if c.dimension == "QueueName" {
				ref = map[string]any{"Fn::GetAtt": []any{c.ref, "QueueName"}}
			}
			check(t, f.name+": alarm "+c.name, func() {
				f.template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
					"AlarmName": c.name, "MetricName": c.metric, "Namespace": c.namespace,
					"Dimensions":         []any{map[string]any{"Name": c.dimension, "Value": ref}},
					"AlarmActions":       []any{map[string]any{"Ref": n.emailTopicID}},
					"Threshold":          1,
					"ComparisonOperator": "GreaterThanOrEqualToThreshold",
					"EvaluationPeriods":  1,
					"TreatMissingData":   "notBreaching",
				})
			})
		}
	}
}

// No notification loop by construction: in the graph of every template (alarm → the topics it
// notifies; topic → the functions subscribed; function → the topics it may publish to or names,
// its failure destination, the alarms on its metrics; queue → the alarms on its metrics) there is
// no cycle, so nothing the function does leads back to its trigger.
func TestNoNotificationLoop(t *testing.T) {
	for _, f := range enrichedVariants(t) {
		n := f.notification(t)
		g := notificationGraph(f)
		// The graph must hold the real path, or a missing edge would hide a loop.
		for _, e := range [][2]string{{n.alarmTopicID, n.fnID}, {n.fnID, n.emailTopicID}, {n.fnID, n.queueID}} {
			if !goslices.Contains(g[e[0]], e[1]) {
				t.Errorf("%s: the graph has no edge %s → %s: %v", f.name, e[0], e[1], g)
			}
		}
		if cycle := findCycle(g); cycle != nil {
			t.Errorf("%s: notification loop: %s", f.name, strings.Join(cycle, " → "))
		}
		if reach := reachable(g, n.fnID); goslices.Contains(reach, n.alarmTopicID) || goslices.Contains(reach, n.fnID) {
			t.Errorf("%s: from the function the graph reaches %v", f.name, reach)
		}
	}
	// The check itself: a function that publishes to its own trigger is a loop.
	g := map[string][]string{"Alarm": {"Raw"}, "Raw": {"Fn"}, "Fn": {"Email", "Raw"}}
	if findCycle(g) == nil {
		t.Error("findCycle missed Raw → Fn → Raw")
	}
}

var refRE = regexp.MustCompile(`\{"(?:Ref|Fn::GetAtt)":(?:"([A-Za-z0-9]+)"|\["([A-Za-z0-9]+)")`)

// refs are the logical IDs v refers to (Ref and Fn::GetAtt).
func refs(v any) []string {
	var out []string
	for _, m := range refRE.FindAllStringSubmatch(toJSON(v), -1) {
		out = append(out, m[1]+m[2])
	}
	return out
}

func notificationGraph(f *fixture) map[string][]string {
	g := map[string][]string{}
	add := func(from string, to ...string) {
		for _, t := range to {
			if !goslices.Contains(g[from], t) {
				g[from] = append(g[from], t)
			}
		}
	}
	res, _ := f.json["Resources"].(map[string]any)
	for id, r := range res {
		m := r.(map[string]any)
		p := props(m)
		switch m["Type"] {
		case "AWS::CloudWatch::Alarm":
			add(id, refs(p["AlarmActions"])...)
			add(id, refs(p["OKActions"])...)
			add(id, refs(p["InsufficientDataActions"])...)
			for _, src := range refs(p["Dimensions"]) {
				add(src, id) // a function's or a queue's metric moves the alarm
			}
		case "AWS::SNS::Subscription":
			for _, topic := range refs(p["TopicArn"]) {
				add(topic, refs(p["Endpoint"])...)
			}
		case "AWS::Lambda::Function":
			add(id, refs(p["Environment"])...)
			roles := refs(p["Role"])
			for _, roleID := range roles {
				role, _ := res[roleID].(map[string]any)
				add(id, publishTargets(props(role)["Policies"])...)
				for _, pr := range res {
					pm := pr.(map[string]any)
					if pm["Type"] == "AWS::IAM::Policy" && goslices.Contains(refs(props(pm)["Roles"]), roleID) {
						add(id, publishTargets([]any{props(pm)})...)
					}
				}
			}
		case "AWS::Lambda::EventInvokeConfig":
			for _, fn := range refs(p["FunctionName"]) {
				add(fn, refs(p["DestinationConfig"])...)
			}
		}
	}
	return g
}

// publishTargets are the resources of statements that send somewhere (sns:Publish, sqs:SendMessage,
// lambda:InvokeFunction, or a wildcard action).
func publishTargets(policies any) []string {
	var out []string
	list, _ := policies.([]any)
	for _, p := range list {
		doc, _ := p.(map[string]any)["PolicyDocument"].(map[string]any)
		stmts, _ := doc["Statement"].([]any)
		for _, s := range stmts {
			st := s.(map[string]any)
			actions := toJSON(st["Action"])
			if strings.Contains(actions, "sns:Publish") || strings.Contains(actions, "sqs:SendMessage") ||
				strings.Contains(actions, "lambda:Invoke") || strings.Contains(actions, "*\"") {
				out = append(out, refs(st["Resource"])...)
			}
		}
	}
	return out
}

func findCycle(g map[string][]string) []string {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var visit func(string) []string
	visit = func(n string) []string {
		color[n] = grey
		stack = append(stack, n)
		for _, m := range g[n] {
			switch color[m] {
			case grey:
				i := goslices.Index(stack, m)
				return append(goslices.Clone(stack[i:]), m)
			case white:
				if c := visit(m); c != nil {
					return c
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[n] = black
		return nil
	}
	nodes := make([]string, 0, len(g))
	for n := range g {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	for _, n := range nodes {
		if color[n] == white {
			if c := visit(n); c != nil {
				return c
			}
		}
	}
	return nil
}

func reachable(g map[string][]string, from string) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(string)
	walk = func(n string) {
		for _, m := range g[n] {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
				walk(m)
			}
		}
	}
	walk(from)
	return out
}

// The same source gives the same asset: two syntheses in two apps name the same S3 key (the
// function is built once per process and staged by content).
func TestAlarmEmailAssetHashIsStable(t *testing.T) {
	over := lookupVariant(t, "default").overrides
	a := synth(t, "asset-hash-a", over)
	b := synth(t, "asset-hash-b", over)
	key := func(f *fixture) string {
		_, fn := f.only(t, "AWS::Lambda::Function")
		code, _ := props(fn)["Code"].(map[string]any)
		k, _ := code["S3Key"].(string)
		return k
	}
	if a == b {
		t.Fatal("the two syntheses returned one fixture")
	}
	if ka, kb := key(a), key(b); ka == "" || ka != kb {
		t.Errorf("asset S3 keys %q and %q; want one, non-empty", ka, kb)
	}
	dir, err := stacks.NotifyCodeDir()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := stacks.NotifyCodeDir(); again != dir {
		t.Errorf("NotifyCodeDir built twice: %s, then %s", dir, again)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); !goslices.Equal(files, []string{filepath.Join(dir, "bootstrap")}) {
		t.Errorf("the asset directory holds %v, want only bootstrap", files)
	}
}

// StackSet members get plain notifications (their template is inline and cannot carry an
// asset), and the synth says so.
func TestStackSetMembersGetPlainNotifications(t *testing.T) {
	f := variantFixture(t, "stackset")
	if f.cfg.Notifications != config.Enriched {
		t.Fatalf("the stackset variant has notifications=%s; this test needs the default, enriched", f.cfg.Notifications)
	}
	_, set := f.only(t, "AWS::CloudFormation::StackSet")
	body, _ := props(set)["TemplateBody"].(string)
	for _, typ := range []string{"AWS::Lambda::Function", "AWS::SQS::Queue"} {
		if strings.Contains(body, typ) {
			t.Errorf("the member template has a %s", typ)
		}
	}
	if !strings.Contains(body, `"Protocol":"email"`) {
		t.Error("the member template has no email subscription (plain: on the alarm topic)")
	}
	check(t, "warning", func() {
		assertions.Annotations_FromStack(f.stack).HasWarning(jsii.String("*"),
			assertions.Match_StringLikeRegexp(jsii.String("StackSet members get plain CloudWatch emails.*cannot carry the function's code asset.*\\[ack: "+stacks.StackSetPlainWarningID+"\\]")))
	})
	p := lookupVariant(t, "stackset").plainFixture(t)
	check(t, "no warning when plain is asked for", func() {
		assertions.Annotations_FromStack(p.stack).HasNoWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("StackSet members get plain")))
	})
}

// The environment label of a target reaches the email; the key's default shows none.
func TestAlarmEmailEnvironmentLabel(t *testing.T) {
	for name, want := range map[string]string{"default": "", "organization-trail": "production"} {
		f := variantFixture(t, name)
		_, fn := f.only(t, "AWS::Lambda::Function")
		vars, _ := props(fn)["Environment"].(map[string]any)["Variables"].(map[string]any)
		got, _ := vars[notify.EnvEnvironment].(string)
		if got != want {
			t.Errorf("%s: %s=%q, want %q", name, notify.EnvEnvironment, got, want)
		}
	}
}

func TestRefsFindsRefAndGetAtt(t *testing.T) {
	got := refs([]any{map[string]any{"Ref": "A1"}, map[string]any{"Fn::GetAtt": []any{"B2", "Arn"}}, "C3"})
	if want := []string{"A1", "B2"}; !goslices.Equal(got, want) {
		t.Errorf("refs: %v, want %v", got, want)
	}
}

// Every text the alarm-email wiring puts in the template has every language of catalog.Languages.
func TestAlarmEmailTextsAreTranslated(t *testing.T) {
	for name, text := range stacks.NotificationTexts() {
		for _, l := range catalog.Languages {
			if text[l.Code] == "" {
				t.Errorf("%s: no text in %s", name, l.Code)
			}
		}
	}
}

// Enriched notifications need the function's code: a caller of the stacks package that passes none
// is told so, instead of getting an error from deep inside the CDK.
func TestEnrichedNotificationsNeedTheCode(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false)})
	defer func() {
		if r := recover(); r != "stacks: notificationsProps.Code is required" {
			t.Errorf("NewAlarmsOnly without NotifyCode panicked with %v, want the missing code named", r)
		}
	}()
	stacks.NewAlarmsOnly(app, "NoCode", &stacks.AlarmsOnlyProps{Config: config.Stack{
		ExistingLogGroupName: "g", Notifications: config.Enriched, NotificationEmails: []string{"ops@example.com"}}})
	t.Error("NewAlarmsOnly made enriched notifications without the function's code")
}
