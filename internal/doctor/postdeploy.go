package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/trailwatch/trailwatch/internal/cfn"
	"github.com/trailwatch/trailwatch/pkg/catalog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// postDeploy runs every read-only check of a deployed stack, in checklist order.
func (d *doctor) postDeploy(ctx context.Context) []Result {
	out, deployed := d.checkStack(ctx)
	if !deployed {
		return out // every other check would fail for the same reason
	}
	if d.exp.AlarmsOnly {
		out = append(out, skip("trail", "", "alarms-only stack: the existing trail is not this stack's; doctor checks the log group it delivers to"))
	} else {
		out = append(out, d.checkTrail(ctx)...)
	}
	out = append(out, d.checkLogGroup(ctx)...)
	out = append(out, d.checkFilters(ctx)...)
	out = append(out, d.checkAlarms(ctx)...)
	out = append(out, d.checkSubscriptions(ctx)...)
	out = append(out, d.checkKey(ctx)...)
	if !d.exp.AlarmsOnly {
		out = append(out, d.checkBucket(ctx)...)
	}
	return out
}

// checkStack lists the deployed stack's resources, to find the physical names the template
// leaves to CloudFormation (topic ARN, bucket name, key ID).
func (d *doctor) checkStack(ctx context.Context) (_ []Result, deployed bool) {
	d.physical = map[string]string{}
	p := cloudformation.NewListStackResourcesPaginator(d.c.cfn, &cloudformation.ListStackResourcesInput{StackName: aws.String(d.exp.StackName)})
	var failed []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			if strings.Contains(err.Error(), "does not exist") {
				return []Result{fail("stack", d.exp.StackName, "not deployed in this account and Region", "run cdk deploy, or pass --stack NAME / --region if it was deployed under another name or Region")}, false
			}
			// Without the resource list the checks by name still run.
			return []Result{apiFail("stack", d.exp.StackName, "cloudformation:ListStackResources", err)}, true
		}
		for _, r := range page.StackResourceSummaries {
			d.physical[deref(r.LogicalResourceId)] = deref(r.PhysicalResourceId)
			if s := string(r.ResourceStatus); strings.HasSuffix(s, "_FAILED") {
				failed = append(failed, fmt.Sprintf("%s %s", deref(r.LogicalResourceId), s))
			}
		}
	}
	if len(failed) > 0 {
		return []Result{fail("stack", d.exp.StackName, "resources failed: "+strings.Join(failed, ", "), "read the stack's events in the CloudFormation console, fix the cause and run cdk deploy again")}, true
	}
	return []Result{ok("stack", d.exp.StackName, fmt.Sprintf("%d resources deployed", len(d.physical)))}, true
}

func (d *doctor) recent(t *time.Time) bool {
	return t != nil && d.now.Sub(*t) <= d.opts.MaxAge
}

func (d *doctor) age(t time.Time) string {
	return d.now.Sub(t).Round(time.Minute).String() + " ago"
}

func (d *doctor) checkTrail(ctx context.Context) []Result {
	name := d.exp.Trail.Name
	var out []Result
	tr, err := d.c.trail.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(name)})
	if err != nil {
		if errorCode(err) == "TrailNotFoundException" {
			return []Result{fail("trail", name, "no trail of this name in the Region", "run cdk deploy; the trail is created in the stack's Region")}
		}
		return []Result{apiFail("trail", name, "cloudtrail:GetTrail", err)}
	}
	t := tr.Trail
	var wrong []string
	if d.exp.Trail.MultiRegion && !deref(t.IsMultiRegionTrail) {
		wrong = append(wrong, "not multi-Region")
	}
	if d.exp.Trail.Organization && !deref(t.IsOrganizationTrail) {
		wrong = append(wrong, "not an organization trail")
	}
	if d.exp.Trail.FileValidation && !deref(t.LogFileValidationEnabled) {
		wrong = append(wrong, "log file validation off")
	}
	if lg := deref(t.CloudWatchLogsLogGroupArn); !strings.Contains(lg, ":log-group:"+d.exp.LogGroupName+":") {
		wrong = append(wrong, fmt.Sprintf("delivers to log group %q, not %s", lg, d.exp.LogGroupName))
	}
	if len(wrong) > 0 {
		out = append(out, fail("trail.config", name, strings.Join(wrong, "; "), "someone changed the trail outside CloudFormation: run cdk deploy to restore it, and find who in the CloudTrail event history (UpdateTrail)"))
	} else {
		out = append(out, ok("trail.config", name, "multi-Region, log file validation and CloudWatch Logs delivery as synthesized"))
	}

	st, err := d.c.trail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(name)})
	if err != nil {
		return append(out, apiFail("trail.logging", name, "cloudtrail:GetTrailStatus", err))
	}
	if deref(st.IsLogging) {
		out = append(out, ok("trail.logging", name, "logging"))
	} else {
		out = append(out, fail("trail.logging", name, "logging is stopped", fmt.Sprintf("aws cloudtrail start-logging --name %s, then find who stopped it (StopLogging in the event history)", shellQuote(name))))
	}
	out = append(out, d.delivery("trail.s3-delivery", name, "S3", deref(st.LatestDeliveryError), st.LatestDeliveryTime,
		"check the bucket policy grants cloudtrail.amazonaws.com s3:PutObject and the key policy lets CloudTrail use the key (cdk deploy restores both)"))
	out = append(out, d.delivery("trail.logs-delivery", name, "CloudWatch Logs", deref(st.LatestCloudWatchLogsDeliveryError), st.LatestCloudWatchLogsDeliveryTime,
		"check the trail's delivery role may logs:CreateLogStream and logs:PutLogEvents on the log group and that the key policy lets CloudWatch Logs use the key (cdk deploy restores both)"))
	return out
}

func (d *doctor) delivery(check, name, where, lastErr string, last *time.Time, fix string) Result {
	switch {
	case lastErr != "":
		return fail(check, name, fmt.Sprintf("latest %s delivery error: %s", where, lastErr), fix)
	case last == nil:
		return fail(check, name, fmt.Sprintf("nothing delivered to %s yet", where), "CloudTrail delivers within minutes of an event; make any API call, wait 15 minutes and rerun doctor")
	case !d.recent(last):
		return fail(check, name, fmt.Sprintf("latest %s delivery %s (older than --max-age %s)", where, d.age(*last), d.opts.MaxAge), fix)
	}
	return ok(check, name, fmt.Sprintf("latest %s delivery %s, no error", where, d.age(*last)))
}

func (d *doctor) checkLogGroup(ctx context.Context) []Result {
	name := d.exp.LogGroupName
	found := false
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(d.c.logs, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(name)})
	for p.HasMorePages() && !found {
		page, err := p.NextPage(ctx)
		if err != nil {
			return []Result{apiFail("loggroup", name, "logs:DescribeLogGroups", err)}
		}
		for _, g := range page.LogGroups {
			found = found || deref(g.LogGroupName) == name
		}
	}
	if !found {
		return []Result{fail("loggroup", name, "log group does not exist", "run cdk deploy (in alarms-only mode, check -c existingLogGroupName)")}
	}
	out := []Result{ok("loggroup", name, "exists")}
	ls, err := d.c.logs.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{
		LogGroupName: aws.String(name),
		OrderBy:      logtypes.OrderByLastEventTime,
		Descending:   aws.Bool(true),
		Limit:        aws.Int32(1),
	})
	if err != nil {
		return append(out, apiFail("loggroup.receiving", name, "logs:DescribeLogStreams", err))
	}
	var last *time.Time
	for _, s := range ls.LogStreams {
		if s.LastIngestionTime != nil {
			t := time.UnixMilli(*s.LastIngestionTime)
			last = &t
		}
	}
	switch {
	case last == nil:
		out = append(out, fail("loggroup.receiving", name, "no events received yet", "the trail delivers to CloudWatch Logs within minutes of an event; if trail.logs-delivery shows an error, fix that first"))
	case !d.recent(last):
		out = append(out, fail("loggroup.receiving", name, fmt.Sprintf("latest event ingested %s (older than --max-age %s)", d.age(*last), d.opts.MaxAge), "see trail.logs-delivery: the trail's CloudWatch Logs delivery is failing or stopped"))
	default:
		out = append(out, ok("loggroup.receiving", name, "latest event ingested "+d.age(*last)))
	}
	return out
}

// filterKey identifies a metric filter by what it publishes; CloudFormation names filters itself.
func filterKey(metric, namespace string, dims map[string]string) string {
	keys := slices.Sorted(maps.Keys(dims))
	var b strings.Builder
	b.WriteString(namespace + "/" + metric)
	for _, k := range keys {
		b.WriteString(" " + k + "=" + dims[k])
	}
	return b.String()
}

func (d *doctor) checkFilters(ctx context.Context) []Result {
	deployed := map[string][]logtypes.MetricFilter{}
	p := cloudwatchlogs.NewDescribeMetricFiltersPaginator(d.c.logs, &cloudwatchlogs.DescribeMetricFiltersInput{LogGroupName: aws.String(d.exp.LogGroupName)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if errorCode(err) == "ResourceNotFoundException" {
			return []Result{skip("filter", d.exp.LogGroupName, "the log group does not exist (see loggroup), so neither do its filters")}
		}
		if err != nil {
			return []Result{apiFail("filter", d.exp.LogGroupName, "logs:DescribeMetricFilters", err)}
		}
		for _, f := range page.MetricFilters {
			for _, mt := range f.MetricTransformations {
				k := filterKey(deref(mt.MetricName), deref(mt.MetricNamespace), mt.Dimensions)
				deployed[k] = append(deployed[k], f)
			}
		}
	}
	// A metric may have several filters (a row's benchmark filter): a deployed filter with the
	// template's exact pattern is that filter; a leftover one on the same metric is an edited one.
	// A pattern naming a resource known only at deploy time is compared with the deployed names
	// (the stack's physical IDs) put in.
	claimed := map[*logtypes.MetricFilter]bool{}
	exact := make([]*logtypes.MetricFilter, len(d.exp.Filters))
	want := make([]string, len(d.exp.Filters))
	unresolved := make([][]string, len(d.exp.Filters))
	for i, f := range d.exp.Filters {
		want[i], unresolved[i] = cfn.Resolve(f.Pattern, f.Refs, func(name string) (string, bool) {
			v, ok := d.physical[name]
			return v, ok && v != ""
		})
		if len(unresolved[i]) > 0 {
			continue
		}
		got := deployed[filterKey(f.MetricName, f.Namespace, f.Dimensions)]
		for j := range got {
			if g := &got[j]; !claimed[g] && deref(g.FilterPattern) == want[i] {
				exact[i], claimed[g] = g, true
				break
			}
		}
	}
	var out []Result
	for i, f := range d.exp.Filters {
		subject := f.RowID
		if subject == "" {
			subject = f.LogicalID
		}
		if f.Kind != "" && f.Kind != "Filter" && f.Kind != "DimensionFilter" {
			subject += " " + f.Kind
		}
		if len(f.Dimensions) > 0 {
			subject += " (per " + strings.Join(slices.Sorted(maps.Keys(f.Dimensions)), ",") + ")"
		}
		if exact[i] != nil {
			out = append(out, ok("filter", subject, "present, pattern byte-identical to the template"))
			continue
		}
		if len(unresolved[i]) > 0 {
			out = append(out, fail("filter", subject, fmt.Sprintf("the template's pattern names %s, which the deployed stack does not list", strings.Join(unresolved[i], ", ")),
				"run cdk deploy, so the stack and the template agree"))
			continue
		}
		var others []string
		got := deployed[filterKey(f.MetricName, f.Namespace, f.Dimensions)]
		for j := range got {
			if !claimed[&got[j]] {
				others = append(others, fmt.Sprintf("%q", deref(got[j].FilterPattern)))
			}
		}
		if len(others) == 0 {
			out = append(out, fail("filter", subject, fmt.Sprintf("no metric filter on %s publishes %s/%s", d.exp.LogGroupName, f.Namespace, f.MetricName), "run cdk deploy to restore it"))
			continue
		}
		out = append(out, fail("filter", subject, fmt.Sprintf("pattern differs: deployed %s, template %q", strings.Join(others, ", "), want[i]), "someone edited the filter outside CloudFormation: run cdk deploy to restore it"))
	}
	return out
}

// describeAlarms returns the metric alarms of the given names; DescribeAlarms takes at most 100
// names a call.
func (d *doctor) describeAlarms(ctx context.Context, names []string) (map[string]cwtypes.MetricAlarm, error) {
	got := map[string]cwtypes.MetricAlarm{}
	for chunk := range slices.Chunk(names, 100) {
		p := cloudwatch.NewDescribeAlarmsPaginator(d.c.cw, &cloudwatch.DescribeAlarmsInput{AlarmNames: chunk})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, a := range page.MetricAlarms {
				got[deref(a.AlarmName)] = a
			}
		}
	}
	return got, nil
}

// emailTopicARN is the topic the addresses subscribe to (the email topic with enriched
// notifications, else the alarm topic).
// An empty logical ID (no such resource in the template) is never among the stack's resources,
// so its physical ID is "".
func (d *doctor) emailTopicARN() string { return d.physical[d.exp.EmailTopicID] }

func (d *doctor) checkAlarms(ctx context.Context) []Result {
	names := make([]string, len(d.exp.Alarms))
	for i, a := range d.exp.Alarms {
		names[i] = a.Name
	}
	got, err := d.describeAlarms(ctx, names)
	if err != nil {
		return []Result{apiFail("alarm", "", "cloudwatch:DescribeAlarms", err)}
	}
	var out []Result
	// The tamper alarms (catalog.Tamper) watch the stack's own resources; every one the template
	// has must be deployed.
	tamperWant, tamperFound := 0, 0
	for _, a := range d.exp.Alarms {
		m, found := got[a.Name]
		if strings.HasPrefix(a.RowID, "Tamper") && a.Namespace == catalog.TamperNamespace {
			tamperWant++
			if found {
				tamperFound++
			}
		}
		if !found {
			out = append(out, fail("alarm", a.Name, "missing", "run cdk deploy to restore it"))
			continue
		}
		var wrong []string
		var fixes []string
		if !deref(m.ActionsEnabled) {
			wrong = append(wrong, "actions disabled")
			fixes = append(fixes, "aws cloudwatch enable-alarm-actions --alarm-names "+shellQuote(a.Name))
		}
		if m.StateValue == cwtypes.StateValueInsufficientData {
			wrong = append(wrong, "stuck in INSUFFICIENT_DATA: "+deref(m.StateReason))
			fixes = append(fixes, "the alarm treats missing data as not breaching, so INSUFFICIENT_DATA means its metric or settings changed: run cdk deploy")
		}
		if a.NotifiesTopic {
			topic := d.physical[a.TopicID]
			switch {
			case topic == "":
				wrong = append(wrong, "topic unknown (not among the stack's resources)")
				fixes = append(fixes, "run cdk deploy")
			case !slices.Contains(m.AlarmActions, topic):
				wrong = append(wrong, fmt.Sprintf("actions %v do not notify %s", m.AlarmActions, topic))
				fixes = append(fixes, "run cdk deploy to restore the alarm's actions")
			}
		}
		if len(wrong) > 0 {
			out = append(out, fail("alarm", a.Name, strings.Join(wrong, "; "), strings.Join(fixes, "; ")))
		} else {
			out = append(out, ok("alarm", a.Name, fmt.Sprintf("%s, actions enabled, notifies the topic", m.StateValue)))
		}
	}
	switch {
	case tamperWant == 0:
		out = append(out, fail("tamper-alarm", "", "the template has no tamper alarm (Trailwatch-Tamper-*): it was synthesized by an older trailwatch",
			"synthesize with this version and run cdk deploy"))
	case tamperFound < tamperWant:
		out = append(out, fail("tamper-alarm", "", fmt.Sprintf("%d of the template's %d tamper alarms are deployed", tamperFound, tamperWant), "run cdk deploy to restore them"))
	default:
		out = append(out, ok("tamper-alarm", "", fmt.Sprintf("%d tamper alarms watch the stack's own trail, buckets, key, log group, alarms and topic", tamperWant)))
	}
	return out
}

func (d *doctor) checkSubscriptions(ctx context.Context) []Result {
	if len(d.exp.Emails) == 0 {
		return []Result{skip("subscription", "", "the template subscribes no email address")}
	}
	topic := d.emailTopicARN()
	if topic == "" {
		return []Result{fail("subscription", "", "the stack has no deployed topic", "run cdk deploy")}
	}
	subs := map[string][]string{}
	p := sns.NewListSubscriptionsByTopicPaginator(d.c.sns, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return []Result{apiFail("subscription", topic, "sns:ListSubscriptionsByTopic", err)}
		}
		for _, s := range page.Subscriptions {
			if deref(s.Protocol) == "email" || deref(s.Protocol) == "email-json" {
				subs[deref(s.Endpoint)] = append(subs[deref(s.Endpoint)], deref(s.SubscriptionArn))
			}
		}
	}
	var out []Result
	for _, addr := range d.exp.Emails {
		arns := subs[addr]
		switch {
		case len(arns) == 0:
			out = append(out, fail("subscription", addr, "not subscribed to the topic", "run cdk deploy; the subscription is part of the stack"))
		case !slices.ContainsFunc(arns, func(a string) bool { return strings.HasPrefix(a, "arn:") }):
			out = append(out, fail("subscription", addr, "PendingConfirmation: alarms will not reach this address",
				fmt.Sprintf("open the email from AWS Notifications sent to %s and choose Confirm subscription; if it is lost, delete the pending subscription and run cdk deploy, or: aws sns subscribe --topic-arn %s --protocol email --notification-endpoint %s", addr, topic, shellQuote(addr))))
		default:
			out = append(out, ok("subscription", addr, "confirmed"))
		}
	}
	return out
}

// Near-copy of checkTrail's not-found handling: each AWS API has its own error code and fix.
func (d *doctor) checkKey(ctx context.Context) []Result {
	if !d.exp.HasKey {
		return []Result{skip("key", "", "the stack creates no KMS key")}
	}
	id := d.exp.KMSAlias
	if id == "" {
		id = d.physical[d.exp.KeyID]
	}
	if id == "" {
		return []Result{fail("key", d.exp.KeyID, "key not among the stack's resources", "run cdk deploy")}
	}
	dk, err := d.c.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	if err != nil {
		if errorCode(err) == "NotFoundException" {
			return []Result{fail("key", id, "no such key or alias", "run cdk deploy")}
		}
		return []Result{apiFail("key", id, "kms:DescribeKey", err)}
	}
	md := dk.KeyMetadata
	var out []Result
	// KeyMetadata.Enabled is true exactly when KeyState is Enabled (KMS API reference,
	// KeyMetadata), so the state alone decides.
	if md.KeyState == "Enabled" {
		out = append(out, ok("key", id, "enabled"))
	} else {
		fix := "aws kms enable-key --key-id " + deref(md.KeyId)
		if md.KeyState == "PendingDeletion" {
			fix = "aws kms cancel-key-deletion --key-id " + deref(md.KeyId) + " && aws kms enable-key --key-id " + deref(md.KeyId) + " — while the key is not enabled CloudTrail cannot write log files"
		}
		out = append(out, fail("key", id, fmt.Sprintf("key state %s", md.KeyState), fix))
	}
	rot, err := d.c.kms.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: md.KeyId})
	if err != nil {
		return append(out, apiFail("key.rotation", id, "kms:GetKeyRotationStatus", err))
	}
	if rot.KeyRotationEnabled {
		out = append(out, ok("key.rotation", id, "automatic rotation enabled"))
	} else {
		out = append(out, fail("key.rotation", id, "automatic rotation disabled", "aws kms enable-key-rotation --key-id "+deref(md.KeyId)))
	}
	return out
}

func (d *doctor) checkBucket(ctx context.Context) []Result {
	bucket := d.physical[d.exp.BucketID]
	if bucket == "" {
		return []Result{fail("bucket", d.exp.BucketID, "trail bucket not among the stack's resources", "run cdk deploy")}
	}
	var out []Result
	if d.exp.BucketPublicAccessBlock {
		pab, err := d.c.s3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(bucket)})
		switch {
		case errorCode(err) == "NoSuchPublicAccessBlockConfiguration":
			out = append(out, fail("bucket.public-access", bucket, "no public access block", "run cdk deploy to restore it"))
		case err != nil:
			out = append(out, apiFail("bucket.public-access", bucket, "s3:GetBucketPublicAccessBlock", err))
		default:
			c := pab.PublicAccessBlockConfiguration
			var off []string
			for _, s := range []struct {
				name string
				on   *bool
			}{{"BlockPublicAcls", c.BlockPublicAcls}, {"IgnorePublicAcls", c.IgnorePublicAcls}, {"BlockPublicPolicy", c.BlockPublicPolicy}, {"RestrictPublicBuckets", c.RestrictPublicBuckets}} {
				if !deref(s.on) {
					off = append(off, s.name)
				}
			}
			if len(off) > 0 {
				out = append(out, fail("bucket.public-access", bucket, "public access block off: "+strings.Join(off, ", "), "run cdk deploy to restore it, and find who changed it (PutBucketPublicAccessBlock in the event history)"))
			} else {
				out = append(out, ok("bucket.public-access", bucket, "all four public access block settings on"))
			}
		}
	}
	pol, err := d.c.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
	switch {
	case errorCode(err) == "NoSuchBucketPolicy":
		out = append(out, fail("bucket.policy", bucket, "no bucket policy: CloudTrail cannot write log files", "run cdk deploy to restore it"))
	case err != nil:
		out = append(out, apiFail("bucket.policy", bucket, "s3:GetBucketPolicy", err))
	default:
		out = append(out, checkBucketPolicy(bucket, deref(pol.Policy)))
	}
	return out
}

// checkBucketPolicy looks for the statements trailwatch writes: CloudTrail may put objects, and
// requests without TLS are denied.
func checkBucketPolicy(bucket, policy string) Result {
	var doc struct {
		Statement []struct {
			Effect    string
			Principal any
			Action    any
			Condition map[string]map[string]any
		}
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return fail("bucket.policy", bucket, "policy is not JSON: "+err.Error(), "run cdk deploy to restore it")
	}
	var cloudTrailWrite, denyInsecure bool
	for _, s := range doc.Statement {
		p, _ := json.Marshal(s.Principal)
		acts, _ := json.Marshal(s.Action)
		if s.Effect == "Allow" && strings.Contains(string(p), "cloudtrail.amazonaws.com") && strings.Contains(string(acts), "s3:PutObject") {
			cloudTrailWrite = true
		}
		if s.Effect == "Deny" && fmt.Sprint(s.Condition["Bool"]["aws:SecureTransport"]) == "false" {
			denyInsecure = true
		}
	}
	var missing []string
	if !cloudTrailWrite {
		missing = append(missing, "CloudTrail may not s3:PutObject")
	}
	if !denyInsecure {
		missing = append(missing, "requests without TLS are not denied")
	}
	if len(missing) > 0 {
		return fail("bucket.policy", bucket, strings.Join(missing, "; "), "run cdk deploy to restore the bucket policy")
	}
	return ok("bucket.policy", bucket, "CloudTrail may write; requests without TLS are denied")
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r == '/' || r == ':' || r == '=' || r == '@' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
