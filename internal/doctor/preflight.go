package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Public prices and limits preflight does arithmetic with.
const (
	// secondCopyPer100k is what CloudTrail charges per 100,000 management events for every copy
	// after the first in a Region (aws.amazon.com/cloudtrail/pricing: "Additional copies of
	// management events are charged at $2.00 per 100,000 events").
	secondCopyPer100k = 2.00
	// maxStackResources is CloudFormation's resources-per-stack quota (CloudFormation quotas).
	maxStackResources = 500
	// bootstrapParameter holds the CDK bootstrap version of the default qualifier.
	bootstrapParameter = "/cdk-bootstrap/hnb659fds/version"
	// minBootstrapVersion is the oldest bootstrap stack that CDK v2 templates accept (their
	// CheckBootstrapVersion rule rejects versions 1 to 5).
	minBootstrapVersion = 6
)

// preflight runs the read-only checks before a first deploy.
func (d *doctor) preflight(ctx context.Context) []Result {
	if d.exp.StackSet != nil {
		return d.stackSetPreflight(ctx)
	}
	// Resources of an already deployed stack are not collisions.
	owned := map[string]bool{}
	p := cloudformation.NewListStackResourcesPaginator(d.c.cfn, &cloudformation.ListStackResourcesInput{StackName: aws.String(d.exp.StackName)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			break // not deployed yet (or not readable): every existing name is a collision
		}
		for _, r := range page.StackResourceSummaries {
			owned[deref(r.PhysicalResourceId)] = true
		}
	}
	var out []Result
	out = append(out, d.existingTrails(ctx, owned)...)
	out = append(out, d.collisions(ctx, owned)...)
	out = append(out, d.bootstrap(ctx)...)
	out = append(out, d.filterLimit(ctx, owned)...)
	if d.exp.Resources > maxStackResources {
		out = append(out, fail("limits", "resources", fmt.Sprintf("the template has %d resources; CloudFormation allows %d a stack", d.exp.Resources, maxStackResources), "deploy fewer alarms (each is two resources, three with dimensions)"))
	} else {
		out = append(out, ok("limits", "resources", fmt.Sprintf("%d of %d resources a stack", d.exp.Resources, maxStackResources)))
	}
	return out
}

// logGroupOfArn returns the account, Region and name in arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*.
func logGroupOfArn(arn string) (account, region, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) < 7 || parts[2] != "logs" || parts[5] != "log-group" {
		return "", "", "", false
	}
	return parts[4], parts[3], strings.TrimSuffix(parts[6], ":*"), true
}

func (d *doctor) existingTrails(ctx context.Context, owned map[string]bool) []Result {
	res, err := d.c.trail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		return []Result{apiFail("existing-trails", "", "cloudtrail:DescribeTrails", err)}
	}
	var everywhere []cttypes.Trail
	for _, t := range res.TrailList {
		if owned[deref(t.Name)] || owned[deref(t.TrailARN)] {
			continue
		}
		if deref(t.IsMultiRegionTrail) || deref(t.IsOrganizationTrail) {
			everywhere = append(everywhere, t)
		}
	}
	if len(everywhere) == 0 {
		return []Result{ok("existing-trails", "", "no other multi-Region or organization trail: the stack's trail is the free first copy of management events")}
	}
	var out []Result
	for _, t := range everywhere {
		kind := "multi-Region trail"
		if deref(t.IsOrganizationTrail) {
			kind = "organization trail"
		}
		subject := deref(t.TrailARN)
		lgArn := deref(t.CloudWatchLogsLogGroupArn)
		account, region, group, delivers := logGroupOfArn(lgArn)
		cost := fmt.Sprintf("a second trail is a paid second copy of management events: $%.2f per 100,000 events (1,000,000 events a month: $%.2f)", secondCopyPer100k, secondCopyPer100k*10)
		switch {
		case d.exp.AlarmsOnly:
			out = append(out, ok("existing-trails", subject, fmt.Sprintf("%s found; this template is alarms-only, so no second copy is paid", kind)))
		case delivers:
			cmd := fmt.Sprintf("npx --yes aws-cdk@2.1148.1 deploy -c existingLogGroupName=%s -c account=%s -c region=%s", shellQuote(group), account, region)
			out = append(out, fail("existing-trails", subject,
				fmt.Sprintf("%s already delivers to CloudWatch Logs group %s (account %s, %s); %s", kind, group, account, region, cost),
				"watch the existing trail's log group instead (alarms-only, no second trail), from account "+account+": "+cmd+" — or keep the second trail on purpose and ignore this line"))
		default:
			out = append(out, fail("existing-trails", subject,
				fmt.Sprintf("%s already records management events but delivers to no CloudWatch Logs group; %s", kind, cost),
				"either turn on CloudWatch Logs delivery of that trail and deploy alarms-only on its group (-c existingLogGroupName=NAME), or accept the second copy"))
		}
	}
	return out
}

// collisions looks for the fixed names the stack will create: CloudFormation fails on each (the
// log group and key alias may be leftovers that an earlier cdk destroy retained).
func (d *doctor) collisions(ctx context.Context, owned map[string]bool) []Result {
	var out []Result
	if !d.exp.AlarmsOnly {
		name := d.exp.Trail.Name
		_, err := d.c.trail.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(name)})
		switch {
		case errorCode(err) == "TrailNotFoundException":
			out = append(out, ok("collision.trail", name, "name free"))
		case err != nil:
			out = append(out, apiFail("collision.trail", name, "cloudtrail:GetTrail", err))
		case owned[name]:
			out = append(out, ok("collision.trail", name, "belongs to the deployed stack"))
		default:
			out = append(out, fail("collision.trail", name, "a trail of this name exists outside the stack", fmt.Sprintf("pick another name with -c trailName=NAME, or delete it if it is a leftover: aws cloudtrail delete-trail --name %s", shellQuote(name))))
		}

		group := d.exp.LogGroupName
		exists, err := d.logGroupExists(ctx, group)
		switch {
		case err != nil:
			out = append(out, apiFail("collision.loggroup", group, "logs:DescribeLogGroups", err))
		case !exists:
			out = append(out, ok("collision.loggroup", group, "name free"))
		case owned[group]:
			out = append(out, ok("collision.loggroup", group, "belongs to the deployed stack"))
		default:
			out = append(out, fail("collision.loggroup", group, "a log group of this name exists (a leftover that cdk destroy retains, or another tool's)",
				fmt.Sprintf("if its events are not needed: aws logs delete-log-group --log-group-name %s; otherwise pick another trail name (-c trailName=NAME makes CloudTrail/NAME)", shellQuote(group))))
		}
	}
	if alias := d.exp.KMSAlias; alias != "" {
		// Near-copy of the trail-name check above: each AWS API has its own not-found code.
		dk, err := d.c.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(alias)})
		switch {
		case errorCode(err) == "NotFoundException":
			out = append(out, ok("collision.kms-alias", alias, "name free"))
		case err != nil:
			out = append(out, apiFail("collision.kms-alias", alias, "kms:DescribeKey", err))
		case owned[alias] || owned[deref(dk.KeyMetadata.KeyId)]:
			out = append(out, ok("collision.kms-alias", alias, "belongs to the deployed stack"))
		default:
			out = append(out, fail("collision.kms-alias", alias, fmt.Sprintf("the alias exists, on key %s (state %s): a leftover that cdk destroy retains, or another tool's", deref(dk.KeyMetadata.KeyId), dk.KeyMetadata.KeyState),
				fmt.Sprintf("aws kms delete-alias --alias-name %s (the key stays; schedule its deletion separately if it is unused), or pick another trail name", shellQuote(alias))))
		}
	}
	names := make([]string, len(d.exp.Alarms))
	for i, a := range d.exp.Alarms {
		names[i] = a.Name
	}
	got, err := d.describeAlarms(ctx, names)
	if err != nil {
		return append(out, apiFail("collision.alarms", "", "cloudwatch:DescribeAlarms", err))
	}
	var taken []string
	for _, n := range names {
		if _, found := got[n]; found && !owned[n] {
			taken = append(taken, n)
		}
	}
	slices.Sort(taken)
	if len(taken) == 0 {
		out = append(out, ok("collision.alarms", "", fmt.Sprintf("all %d alarm names free", len(names))))
	} else {
		quoted := make([]string, len(taken))
		for i, n := range taken {
			quoted[i] = shellQuote(n)
		}
		out = append(out, fail("collision.alarms", "", fmt.Sprintf("%d alarm names exist outside the stack: %s", len(taken), strings.Join(taken, ", ")),
			"prefix ours with -c alarmNamePrefix=PREFIX, or delete the old ones: aws cloudwatch delete-alarms --alarm-names "+strings.Join(quoted, " ")))
	}
	return out
}

// filterLimit counts the metric filters already on the log group the stack will filter: an
// alarms-only stack adds its filters to an existing group, whose own filters count too.
func (d *doctor) filterLimit(ctx context.Context, owned map[string]bool) []Result {
	group := d.exp.LogGroupName
	if d.exp.AlarmsOnly {
		exists, err := d.logGroupExists(ctx, group)
		switch {
		case err != nil:
			return []Result{apiFail("existing-loggroup", group, "logs:DescribeLogGroups", err)}
		case !exists:
			return []Result{fail("existing-loggroup", group, "no log group of this name in this account and Region: the alarms would watch nothing",
				"find the trail's group with: aws cloudtrail describe-trails --query 'trailList[].[Name,HomeRegion,CloudWatchLogsLogGroupArn]'; deploy to that account and Region with -c existingLogGroupName=NAME")}
		}
	}
	existing := 0
	p := cloudwatchlogs.NewDescribeMetricFiltersPaginator(d.c.logs, &cloudwatchlogs.DescribeMetricFiltersInput{LogGroupName: aws.String(group)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if errorCode(err) == "ResourceNotFoundException" {
			break // a group the stack will create has no filters yet
		}
		if err != nil {
			return []Result{apiFail("limits", "metric filters", "logs:DescribeMetricFilters", err)}
		}
		for _, f := range page.MetricFilters {
			if !owned[deref(f.FilterName)] {
				existing++
			}
		}
	}
	total := existing + len(d.exp.Filters)
	detail := fmt.Sprintf("%d filters of the stack + %d already on %s = %d of %d a log group", len(d.exp.Filters), existing, group, total, catalog.MaxFiltersPerLogGroup)
	if total > catalog.MaxFiltersPerLogGroup {
		return []Result{fail("limits", "metric filters", detail, "deploy fewer alarms (-c alarmProfile, or without -c accountDimension, which doubles the filters), or remove unused filters from the group")}
	}
	return []Result{ok("limits", "metric filters", detail)}
}

func (d *doctor) logGroupExists(ctx context.Context, name string) (bool, error) {
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(d.c.logs, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return false, err
		}
		for _, g := range page.LogGroups {
			if deref(g.LogGroupName) == name {
				return true, nil
			}
		}
	}
	return false, nil
}

func (d *doctor) bootstrap(ctx context.Context) []Result {
	fix := fmt.Sprintf("npx --yes aws-cdk@2.1148.1 bootstrap aws://%s/%s", d.account, d.c.region)
	par, err := d.c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(bootstrapParameter)})
	if err == nil {
		v := deref(par.Parameter.Value)
		var n int
		if _, scanErr := fmt.Sscanf(v, "%d", &n); scanErr != nil || n < minBootstrapVersion {
			return []Result{fail("bootstrap", bootstrapParameter, fmt.Sprintf("CDK bootstrap version %q; CDK v2 needs %d or later", v, minBootstrapVersion), fix+" (upgrades it in place)")}
		}
		return []Result{ok("bootstrap", bootstrapParameter, "CDK bootstrap version "+v)}
	}
	if errorCode(err) == "ParameterNotFound" {
		return []Result{fail("bootstrap", bootstrapParameter, "the account and Region are not CDK-bootstrapped", fix)}
	}
	// Without ssm:GetParameter, the bootstrap stack itself still tells.
	st, cfnErr := d.c.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("CDKToolkit")})
	switch {
	case cfnErr == nil && len(st.Stacks) == 1 && strings.HasSuffix(string(st.Stacks[0].StackStatus), "_COMPLETE") && !strings.HasPrefix(string(st.Stacks[0].StackStatus), "DELETE"):
		return []Result{ok("bootstrap", "CDKToolkit", "bootstrap stack "+string(st.Stacks[0].StackStatus)+" (version not readable: "+errorCode(err)+" on ssm:GetParameter)")}
	case cfnErr != nil && strings.Contains(cfnErr.Error(), "does not exist"):
		return []Result{fail("bootstrap", "CDKToolkit", "the account and Region are not CDK-bootstrapped", fix)}
	case cfnErr != nil:
		return []Result{apiFail("bootstrap", bootstrapParameter, "ssm:GetParameter", err)}
	}
	return []Result{fail("bootstrap", "CDKToolkit", "bootstrap stack in state "+string(st.Stacks[0].StackStatus), fix)}
}
