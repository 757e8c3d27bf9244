package test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	stdslices "slices"
	"strings"
	"testing"
)

// The CloudWatch.1–14 / CIS monitoring controls as two checkers decide them, re-implemented from
// their public logic and run on the golden templates (which TestGolden* keep equal to the synth).
// docs/cis-checkers.md explains the rules and why the CIS route-table row has two filters.
//
// Prowler: prowler-cloud/prowler at commit 3e000faa3109230b748e4418a13c11c9e59f5cfb,
//   prowler/providers/aws/services/cloudwatch/lib/metric_filters.py (build_metric_filter_pattern,
//   check_cloudwatch_log_metric_filter), the fourteen checks named in prowlerChecks, and
//   cloudwatch_alarm_actions_alarm_state_configured / cloudwatch_alarm_actions_enabled.
//   A check passes when some metric filter on a log group a CloudTrail trail delivers to has a
//   filterPattern that re.search(regex, pattern, re.DOTALL) accepts, and some metric alarm has
//   MetricName equal to the filter's metricTransformations[0].metricName (name only: neither
//   namespace nor actions are compared there). Every metric alarm must separately have an ALARM
//   action and ActionsEnabled.
// Security Hub: AWS Security Hub user guide, "Amazon CloudWatch controls" (cloudwatch-controls.md
//   in awsdocs/aws-security-hub-user-guide, commit bda5bf7ddbdf498557b2ac6a538577528004e6d5):
//   "This control fails if the exact metric filters prescribed by CIS are not used. Additional
//   fields or terms cannot be added to the metric filters." The filter must be on the log group of
//   a multi-Region trail recording all management events, an alarm must watch its metric, and the
//   alarm's SNS topic must have at least one subscriber. CloudWatch.15/.17 want an ALARM action and
//   actions enabled on every alarm.

// cisGoldens are the goldens that deploy the cis profile; every control must pass in them.
var cisGoldens = []string{"alarms-only", "aws-cis", "cis", "organization-trail"}

// prowlerCheck is one Prowler check's regex(es); all must match the filter pattern.
type prowlerCheck struct {
	control string // Security Hub control of the same CIS recommendation
	name    string
	res     []*regexp.Regexp
}

// metricFilterRegexes is build_metric_filter_pattern: one lookahead (?=.*X) per clause, all at
// the start of the pattern under re.DOTALL, so each X may match anywhere. RE2 has no lookahead;
// "X matches somewhere" for each X is the same decision.
func metricFilterRegexes(eventSource string, eventNames []string, extra ...[3]string) []*regexp.Regexp {
	var out []*regexp.Regexp
	if eventSource != "" {
		out = append(out, regexp.MustCompile(`(?s)\$\.eventSource\s*=\s*.?`+regexp.QuoteMeta(eventSource)))
	}
	for _, n := range eventNames {
		out = append(out, regexp.MustCompile(`(?s)\$\.eventName\s*=\s*.?`+regexp.QuoteMeta(n)+`\b`))
	}
	for _, c := range extra {
		op := `\s*=\s*`
		if c[1] == "!=" {
			op = `\s*!=\s*`
		}
		out = append(out, regexp.MustCompile(`(?s)\$\.`+regexp.QuoteMeta(c[0])+op+`.?`+regexp.QuoteMeta(c[2])))
	}
	return out
}

var prowlerChecks = []prowlerCheck{
	{"CloudWatch.1", "cloudwatch_log_metric_filter_root_usage", []*regexp.Regexp{
		regexp.MustCompile(`(?s)\$\.userIdentity\.type\s*=\s*.?Root.+\$\.userIdentity\.invokedBy NOT EXISTS.+\$\.eventType\s*!=\s*.?AwsServiceEvent.?`)}},
	{"CloudWatch.2", "cloudwatch_log_metric_filter_unauthorized_api_calls", []*regexp.Regexp{
		regexp.MustCompile(`(?s)\$\.errorCode\s*=\s*.?\*UnauthorizedOperation.+\$\.errorCode\s*=\s*.?AccessDenied\*.?`)}},
	{"CloudWatch.3", "cloudwatch_log_metric_filter_sign_in_without_mfa",
		metricFilterRegexes("", []string{"ConsoleLogin"}, [3]string{"additionalEventData.MFAUsed", "!=", "Yes"})},
	{"CloudWatch.4", "cloudwatch_log_metric_filter_policy_changes", metricFilterRegexes("", []string{
		"DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy",
		"CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy",
		"AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy"})},
	{"CloudWatch.5", "cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled",
		metricFilterRegexes("", []string{"CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"})},
	{"CloudWatch.6", "cloudwatch_log_metric_filter_authentication_failures",
		metricFilterRegexes("", []string{"ConsoleLogin"}, [3]string{"errorMessage", "=", "Failed authentication"})},
	{"CloudWatch.7", "cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk",
		metricFilterRegexes("kms.amazonaws.com", []string{"DisableKey", "ScheduleKeyDeletion"})},
	{"CloudWatch.8", "cloudwatch_log_metric_filter_for_s3_bucket_policy_changes", metricFilterRegexes("s3.amazonaws.com", []string{
		"PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
		"DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication"})},
	{"CloudWatch.9", "cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled", metricFilterRegexes("config.amazonaws.com", []string{
		"StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"})},
	{"CloudWatch.10", "cloudwatch_log_metric_filter_security_group_changes", metricFilterRegexes("", []string{
		"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
		"RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup"})},
	{"CloudWatch.11", "cloudwatch_changes_to_network_acls_alarm_configured", metricFilterRegexes("", []string{
		"CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
		"ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"})},
	{"CloudWatch.12", "cloudwatch_changes_to_network_gateways_alarm_configured", metricFilterRegexes("", []string{
		"CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
		"DeleteInternetGateway", "DetachInternetGateway"})},
	{"CloudWatch.13", "cloudwatch_changes_to_network_route_tables_alarm_configured", metricFilterRegexes("ec2.amazonaws.com", []string{
		"CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable",
		"DeleteRoute", "DisassociateRouteTable"})},
	{"CloudWatch.14", "cloudwatch_changes_to_vpcs_alarm_configured", metricFilterRegexes("", []string{
		"CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
		"DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
		"DisableVpcClassicLink", "EnableVpcClassicLink"})},
}

// securityHubPatterns are the remediation patterns of CloudWatch.1–14 in the Security Hub user
// guide, byte for byte (kept here, apart from pkg/catalog, so a catalog edit cannot move both).
var securityHubPatterns = []struct{ control, pattern string }{
	{"CloudWatch.1", `{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}`},
	{"CloudWatch.2", `{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}`},
	{"CloudWatch.3", `{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`},
	{"CloudWatch.4", `{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}`},
	{"CloudWatch.5", `{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}`},
	{"CloudWatch.6", `{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}`},
	{"CloudWatch.7", `{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}`},
	{"CloudWatch.8", `{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}`},
	{"CloudWatch.9", `{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}`},
	{"CloudWatch.10", `{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}`},
	{"CloudWatch.11", `{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}`},
	{"CloudWatch.12", `{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}`},
	{"CloudWatch.13", `{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}`},
	{"CloudWatch.14", `{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}`},
}

// account is what a checker sees of a deployed template.
type account struct {
	filters []checkedFilter
	alarms  []checkedAlarm
	// trailGroups are the log groups (logical IDs) trails deliver to, true for a multi-Region
	// trail recording all management events (what Security Hub wants; Prowler takes any trail).
	// hasTrail is false when the template makes no trail: the log group is then given by name
	// and the trail lives elsewhere, outside what this template can show.
	trailGroups map[string]bool
	hasTrail    bool
	subscribers map[string]int // SNS topic logical ID -> subscriptions
}

type checkedFilter struct {
	id, pattern, logGroup, metricName string
	logGroupIsRef                     bool
}

type checkedAlarm struct {
	id, name, metricName string
	actions              []string // logical IDs of topics (Ref), or the literal ARN
	actionsEnabled       bool
}

type cfnResource struct {
	Type       string
	Properties map[string]any
	Metadata   map[string]any
}

func readGoldenResources(t *testing.T, name string) map[string]cfnResource {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct{ Resources map[string]cfnResource }
	if err := json.Unmarshal(b, &tmpl); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return tmpl.Resources
}

func refOf(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	s, ok := m["Ref"].(string)
	return s, ok
}

func newAccount(res map[string]cfnResource) *account {
	acc := &account{trailGroups: map[string]bool{}, subscribers: map[string]int{}}
	ids := stdslices.Sorted(func(yield func(string) bool) {
		for id := range res {
			if !yield(id) {
				return
			}
		}
	})
	for _, id := range ids {
		r := res[id]
		p := r.Properties
		switch r.Type {
		case "AWS::Logs::MetricFilter":
			f := checkedFilter{id: id}
			f.pattern, _ = p["FilterPattern"].(string)
			if ref, ok := refOf(p["LogGroupName"]); ok {
				f.logGroup, f.logGroupIsRef = ref, true
			} else {
				f.logGroup, _ = p["LogGroupName"].(string)
			}
			if mts, ok := p["MetricTransformations"].([]any); ok && len(mts) > 0 {
				mt, _ := mts[0].(map[string]any)
				f.metricName, _ = mt["MetricName"].(string)
			}
			acc.filters = append(acc.filters, f)
		case "AWS::CloudWatch::Alarm":
			a := checkedAlarm{id: id, actionsEnabled: true}
			a.name, _ = p["AlarmName"].(string)
			a.metricName, _ = p["MetricName"].(string)
			if e, ok := p["ActionsEnabled"].(bool); ok {
				a.actionsEnabled = e
			}
			actions, _ := p["AlarmActions"].([]any)
			for _, act := range actions {
				if ref, ok := refOf(act); ok {
					a.actions = append(a.actions, ref)
				} else {
					a.actions = append(a.actions, fmt.Sprint(act))
				}
			}
			acc.alarms = append(acc.alarms, a)
		case "AWS::SNS::Subscription":
			if ref, ok := refOf(p["TopicArn"]); ok {
				acc.subscribers[ref]++
			}
		case "AWS::SNS::Topic":
			subs, _ := p["Subscription"].([]any)
			acc.subscribers[id] += len(subs)
		case "AWS::CloudTrail::Trail":
			acc.hasTrail = true
			arn, _ := p["CloudWatchLogsLogGroupArn"].(map[string]any)
			getAtt, _ := arn["Fn::GetAtt"].([]any)
			multi, _ := p["IsMultiRegionTrail"].(bool)
			if len(getAtt) == 2 {
				group, _ := getAtt[0].(string)
				acc.trailGroups[group] = acc.trailGroups[group] || (multi && recordsAllManagementEvents(p))
			}
		}
	}
	return acc
}

// recordsAllManagementEvents: no event selectors (CloudTrail's default: all management events),
// or one that includes management events of ReadWriteType All (the default type).
func recordsAllManagementEvents(p map[string]any) bool {
	sels, ok := p["EventSelectors"].([]any)
	if !ok || len(sels) == 0 {
		_, advanced := p["AdvancedEventSelectors"]
		return !advanced
	}
	for _, s := range sels {
		sel, _ := s.(map[string]any)
		rw, hasRW := sel["ReadWriteType"].(string)
		mgmt, hasMgmt := sel["IncludeManagementEvents"].(bool)
		if (!hasRW || rw == "All") && (!hasMgmt || mgmt) {
			return true
		}
	}
	return false
}

// onTrailGroup: is the filter on a log group a trail delivers to (qualified: a multi-Region trail
// recording all management events)? With no trail in the template, a log group given by name is
// taken as the trail's (the stack was told so).
func (acc *account) onTrailGroup(f checkedFilter, qualified bool) bool {
	if !acc.hasTrail {
		return !f.logGroupIsRef && f.logGroup != ""
	}
	q, ok := acc.trailGroups[f.logGroup]
	return f.logGroupIsRef && ok && (q || !qualified)
}

// prowler decides one Prowler metric-filter check; the string says why.
func (acc *account) prowler(c prowlerCheck) (bool, string) {
	why := "no metric filter on the trail's log group matches the check's regexes"
	for _, f := range acc.filters {
		if !acc.onTrailGroup(f, false) || !matchesAll(c.res, f.pattern) {
			continue
		}
		for _, a := range acc.alarms {
			if a.metricName == f.metricName {
				return true, fmt.Sprintf("filter %s, alarm %s", f.id, a.id)
			}
		}
		why = fmt.Sprintf("filter %s matches but no alarm has MetricName %q", f.id, f.metricName)
	}
	return false, why
}

func matchesAll(res []*regexp.Regexp, pattern string) bool {
	for _, re := range res {
		if !re.MatchString(pattern) {
			return false
		}
	}
	return true
}

// securityHub decides one Security Hub CloudWatch.1–14 control.
func (acc *account) securityHub(exact string) (bool, string) {
	why := "no metric filter on the trail's log group has the exact pattern"
	for _, f := range acc.filters {
		if !acc.onTrailGroup(f, true) || f.pattern != exact {
			continue
		}
		why = fmt.Sprintf("filter %s has the pattern but no alarm on %q notifies a topic with a subscriber", f.id, f.metricName)
		for _, a := range acc.alarms {
			if a.metricName != f.metricName || !a.actionsEnabled {
				continue
			}
			for _, topic := range a.actions {
				if acc.subscribers[topic] > 0 {
					return true, fmt.Sprintf("filter %s, alarm %s, topic %s", f.id, a.id, topic)
				}
			}
		}
	}
	return false, why
}

// alarmActionProblems: Prowler cloudwatch_alarm_actions_alarm_state_configured and
// cloudwatch_alarm_actions_enabled (Security Hub CloudWatch.15 and .17) on every alarm.
func (acc *account) alarmActionProblems() []string {
	var out []string
	for _, a := range acc.alarms {
		if len(a.actions) == 0 {
			out = append(out, a.id+": no action for the ALARM state")
		}
		if !a.actionsEnabled {
			out = append(out, a.id+": actions disabled")
		}
	}
	return out
}

func goldenNames(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.template.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no goldens: %v", err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".template.json"))
	}
	return names
}

// TestCISGoldensPassEveryChecker: every golden that deploys the cis profile passes all fourteen
// Prowler checks and all fourteen Security Hub controls, and every alarm of every golden has an
// enabled ALARM action.
func TestCISGoldensPassEveryChecker(t *testing.T) {
	for _, name := range goldenNames(t) {
		acc := newAccount(readGoldenResources(t, name))
		for _, p := range acc.alarmActionProblems() {
			t.Errorf("%s: %s", name, p)
		}
		deploysCIS := false
		for _, a := range acc.alarms {
			if strings.HasPrefix(a.name, "CIS-CloudWatch.") {
				deploysCIS = true
			}
		}
		if deploysCIS != stdslices.Contains(cisGoldens, name) {
			t.Errorf("%s: deploys CIS alarms = %v, but cisGoldens says %v; keep the list in step with the fixtures", name, deploysCIS, !deploysCIS)
		}
		if !deploysCIS {
			continue
		}
		for _, c := range prowlerChecks {
			if ok, why := acc.prowler(c); !ok {
				t.Errorf("%s: Prowler %s (%s) FAILs: %s", name, c.name, c.control, why)
			}
		}
		for _, c := range securityHubPatterns {
			if ok, why := acc.securityHub(c.pattern); !ok {
				t.Errorf("%s: Security Hub %s FAILs: %s", name, c.control, why)
			}
		}
	}
}

// TestCISRouteTableRowWithoutBenchmarkFilterFailsProwler: the cis golden as it was before the
// route-table row got its second filter (that filter removed, nothing else changed) fails
// Prowler's route-table check and still passes Security Hub's CloudWatch.13 — the gap this row
// closes — and the benchmark filter feeds the same alarm, so there is one alarm, one email.
func TestCISRouteTableRowWithoutBenchmarkFilterFailsProwler(t *testing.T) {
	res := readGoldenResources(t, "cis")
	routes := prowlerChecks[12]
	if routes.control != "CloudWatch.13" {
		t.Fatalf("prowlerChecks[12] is %s", routes.control)
	}
	acc := newAccount(res)
	if ok, why := acc.prowler(routes); !ok {
		t.Fatalf("cis golden: Prowler route-table check FAILs: %s", why)
	}
	var bench []string
	for id, r := range res {
		if path, _ := r.Metadata["aws:cdk:path"].(string); strings.HasSuffix(path, "/Cis13RouteTableChanges/BenchmarkFilter/Resource") {
			bench = append(bench, id)
		}
	}
	if len(bench) != 1 {
		t.Fatalf("cis golden: %d Cis13RouteTableChanges/BenchmarkFilter resources, want 1", len(bench))
	}
	routeAlarms := 0
	for _, a := range acc.alarms {
		for _, f := range acc.filters {
			if f.id == bench[0] && a.metricName == f.metricName {
				routeAlarms++
			}
		}
	}
	if routeAlarms != 1 {
		t.Errorf("the benchmark filter's metric has %d alarms; want 1 (one email per event)", routeAlarms)
	}

	delete(res, bench[0])
	before := newAccount(res)
	ok, why := before.prowler(routes)
	if ok {
		t.Errorf("without the benchmark filter Prowler's route-table check still passes (%s); the re-implementation misses the eventSource rule", why)
	}
	if want := "no metric filter on the trail's log group matches the check's regexes"; why != want {
		t.Errorf("why = %q, want %q", why, want)
	}
	if ok, why := before.securityHub(securityHubPatterns[12].pattern); !ok {
		t.Errorf("without the benchmark filter Security Hub CloudWatch.13 FAILs: %s", why)
	}
}

// TestCheckerRulesCatchBrokenControls mutates the cis golden the ways a future edit could and
// checks each rule notices, with its reason.
func TestCheckerRulesCatchBrokenControls(t *testing.T) {
	find := func(t *testing.T, res map[string]cfnResource, typ, pathSuffix string) string {
		t.Helper()
		for id, r := range res {
			if path, _ := r.Metadata["aws:cdk:path"].(string); r.Type == typ && strings.HasSuffix(path, pathSuffix) {
				return id
			}
		}
		t.Fatalf("no %s at *%s", typ, pathSuffix)
		return ""
	}
	tests := []struct {
		name    string
		mutate  func(t *testing.T, res map[string]cfnResource)
		control string // index by control
		prowler bool   // does the Prowler check still pass?
		hub     bool   // does the Security Hub control still pass?
		why     string // the failing checker's reason, a substring
	}{
		{
			name: "a space added to Security Hub's text",
			mutate: func(t *testing.T, res map[string]cfnResource) {
				id := find(t, res, "AWS::Logs::MetricFilter", "/Cis10SecurityGroupChanges/Filter/Resource")
				res[id].Properties["FilterPattern"] = "{ " + strings.TrimPrefix(res[id].Properties["FilterPattern"].(string), "{")
			},
			control: "CloudWatch.10", prowler: true, hub: false,
			why: "no metric filter on the trail's log group has the exact pattern",
		},
		{
			name: "an event name dropped",
			mutate: func(t *testing.T, res map[string]cfnResource) {
				id := find(t, res, "AWS::Logs::MetricFilter", "/Cis14VpcChanges/Filter/Resource")
				res[id].Properties["FilterPattern"] = strings.Replace(res[id].Properties["FilterPattern"].(string), "($.eventName=CreateVpc) || ", "", 1)
			},
			control: "CloudWatch.14", prowler: false, hub: false,
			why: "no metric filter on the trail's log group",
		},
		{
			name: "CreateRouteTable is not CreateRoute (word boundary)",
			mutate: func(t *testing.T, res map[string]cfnResource) {
				for _, suffix := range []string{"/Cis13RouteTableChanges/Filter/Resource", "/Cis13RouteTableChanges/BenchmarkFilter/Resource"} {
					id := find(t, res, "AWS::Logs::MetricFilter", suffix)
					p := res[id].Properties["FilterPattern"].(string)
					p = strings.Replace(p, `($.eventName=CreateRoute) || `, "", 1)
					p = strings.Replace(p, `($.eventName = "CreateRoute") || `, "", 1)
					res[id].Properties["FilterPattern"] = p
				}
			},
			control: "CloudWatch.13", prowler: false, hub: false,
			why: "no metric filter on the trail's log group",
		},
		{
			name: "the alarm watches another metric",
			mutate: func(t *testing.T, res map[string]cfnResource) {
				id := find(t, res, "AWS::CloudWatch::Alarm", "/Cis7DisableOrDeleteCmk/Alarm/Resource")
				res[id].Properties["MetricName"] = "SomethingElse"
			},
			control: "CloudWatch.7", prowler: false, hub: false,
			why: `no alarm has MetricName "DisableOrDeleteCMKCount"`,
		},
		{
			name: "the topic has no subscriber",
			mutate: func(t *testing.T, res map[string]cfnResource) {
				for id, r := range res {
					if r.Type == "AWS::SNS::Subscription" {
						delete(res, id)
					}
				}
			},
			control: "CloudWatch.1", prowler: true, hub: false,
			why: "notifies a topic with a subscriber",
		},
		{
			name: "a write-only trail",
			mutate: func(t *testing.T, res map[string]cfnResource) {
				id := find(t, res, "AWS::CloudTrail::Trail", "/Trail")
				res[id].Properties["EventSelectors"] = []any{map[string]any{"IncludeManagementEvents": true, "ReadWriteType": "WriteOnly"}}
			},
			control: "CloudWatch.5", prowler: true, hub: false,
			why: "no metric filter on the trail's log group has the exact pattern",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readGoldenResources(t, "cis")
			tt.mutate(t, res)
			acc := newAccount(res)
			i := stdslices.IndexFunc(prowlerChecks, func(c prowlerCheck) bool { return c.control == tt.control })
			pOK, pWhy := acc.prowler(prowlerChecks[i])
			hOK, hWhy := acc.securityHub(securityHubPatterns[i].pattern)
			if pOK != tt.prowler {
				t.Errorf("Prowler %s passes = %v, want %v (%s)", prowlerChecks[i].name, pOK, tt.prowler, pWhy)
			}
			if hOK != tt.hub {
				t.Errorf("Security Hub %s passes = %v, want %v (%s)", tt.control, hOK, tt.hub, hWhy)
			}
			why := hWhy
			if !pOK {
				why = pWhy
			}
			if !strings.Contains(why, tt.why) {
				t.Errorf("why = %q, want it to contain %q", why, tt.why)
			}
		})
	}
}

// TestAlarmWithoutActionFailsProwlerAlarmChecks: why the benchmark filter shares the row's alarm
// rather than getting a silent alarm of its own — an alarm without an ALARM action fails Prowler's
// cloudwatch_alarm_actions_alarm_state_configured (and Security Hub CloudWatch.15).
func TestAlarmWithoutActionFailsProwlerAlarmChecks(t *testing.T) {
	res := readGoldenResources(t, "cis")
	for id, r := range res {
		if path, _ := r.Metadata["aws:cdk:path"].(string); strings.HasSuffix(path, "/Cis13RouteTableChanges/Alarm/Resource") {
			delete(r.Properties, "AlarmActions")
			r.Properties["ActionsEnabled"] = false
			res[id] = r
			got := newAccount(res).alarmActionProblems()
			want := []string{id + ": no action for the ALARM state", id + ": actions disabled"}
			if !stdslices.Equal(got, want) {
				t.Errorf("problems = %q, want %q", got, want)
			}
			return
		}
	}
	t.Fatal("no Cis13RouteTableChanges alarm in the cis golden")
}

// TestProwlerRegexesMatchTheirOwnRemediation: each Prowler check accepts the pattern Prowler's
// metadata tells users to deploy, and the route-table check rejects Security Hub's exact text.
func TestProwlerRegexesMatchTheirOwnRemediation(t *testing.T) {
	remediation := `{($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable))}`
	if !matchesAll(prowlerChecks[12].res, remediation) {
		t.Errorf("the route-table check rejects Prowler's own remediation pattern")
	}
	if matchesAll(prowlerChecks[12].res, securityHubPatterns[12].pattern) {
		t.Errorf("the route-table check accepts Security Hub's exact text, which has no eventSource")
	}
	for i, c := range prowlerChecks {
		if i == 12 {
			continue
		}
		if !matchesAll(c.res, securityHubPatterns[i].pattern) {
			t.Errorf("%s rejects Security Hub's %s text", c.name, c.control)
		}
	}
}

// prowlerRouteTablesBefore11345 is the route-table check's regex before Prowler PR #11345 (commit
// e085e14247, June 2026) made the clauses order-independent: eventSource first, then the seven
// names in this order. Prowler releases before it are still run; the benchmark filter passes both.
var prowlerRouteTablesBefore11345 = prowlerCheck{"CloudWatch.13", "cloudwatch_changes_to_network_route_tables_alarm_configured (before #11345)", []*regexp.Regexp{
	regexp.MustCompile(`(?s)\$\.eventSource\s*=\s*.?ec2.amazonaws.com.+\$\.eventName\s*=\s*.?CreateRoute.+\$\.eventName\s*=\s*.?CreateRouteTable.+\$\.eventName\s*=\s*.?ReplaceRoute.+\$\.eventName\s*=\s*.?ReplaceRouteTableAssociation.+\$\.eventName\s*=\s*.?DeleteRouteTable.+\$\.eventName\s*=\s*.?DeleteRoute.+\$\.eventName\s*=\s*.?DisassociateRouteTable.?`)}}

func TestCISGoldensPassOlderProwlerRouteTableCheck(t *testing.T) {
	for _, name := range cisGoldens {
		if ok, why := newAccount(readGoldenResources(t, name)).prowler(prowlerRouteTablesBefore11345); !ok {
			t.Errorf("%s: %s FAILs: %s", name, prowlerRouteTablesBefore11345.name, why)
		}
	}
	if matchesAll(prowlerRouteTablesBefore11345.res, securityHubPatterns[12].pattern) {
		t.Errorf("the older route-table check accepts Security Hub's exact text, which has no eventSource")
	}
}
