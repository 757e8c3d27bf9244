package doctor

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// stackSetTemplate writes the StackSet golden as cdk synth writes it, with the member template an
// inline TemplateBody string (the golden keeps it parsed, for its diff), and returns the path.
// edit may change the StackSet's properties first.
func stackSetTemplate(t *testing.T, edit func(props map[string]any)) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", "stackset.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(data, &tmpl); err != nil {
		t.Fatal(err)
	}
	props := tmpl["Resources"].(map[string]any)["StackSet"].(map[string]any)["Properties"].(map[string]any)
	const parsed = "TemplateBody (parsed by the golden test)"
	body, err := json.Marshal(props[parsed])
	if err != nil || props[parsed] == nil {
		t.Fatalf("the golden has no %q: %v", parsed, err)
	}
	delete(props, parsed)
	props["TemplateBody"] = string(body)
	if edit != nil {
		edit(props)
	}
	out, _ := json.Marshal(tmpl)
	path := filepath.Join(t.TempDir(), "Trailwatch-StackSet.template.json")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// memberResources counts the golden member template's resources.
func memberResources(t *testing.T, path string) int {
	t.Helper()
	e, _, err := LoadTemplate("", path)
	if err != nil {
		t.Fatal(err)
	}
	return e.StackSet.MemberResources
}

func orgWorld(t *testing.T, org *orgState) *fakeAWS {
	f := newFakeAWS(t)
	w := emptyWorld(time.Now())
	w.org = org
	w.serve(f)
	return f
}

func TestStackSetPreflight(t *testing.T) {
	path := stackSetTemplate(t, nil)
	n := memberResources(t, path)
	if n < 20 {
		t.Fatalf("member template has %d resources; the golden's has more", n)
	}
	both := []string{"aws.other", stackSetsPrincipal} // two pages of NextToken
	cases := []struct {
		name   string
		org    *orgState
		callAs string
		code   int
		want   []string
	}{
		{"management account", &orgState{id: "o-abc", management: testAccount, featureSet: "ALL", trusted: both}, "", cli.ExitOK, []string{
			"✓ bootstrap",
			"✓ stackset.caller 123456789012: the organization's management account (CallAs SELF)",
			"✓ stackset.trusted-access member.org.stacksets.cloudformation.amazonaws.com: trusted access for CloudFormation StackSets is on",
			fmt.Sprintf("✓ limits member resources: %d of 500 resources a stack in each member account", n)}},
		{"delegated administrator", &orgState{id: "o-abc", management: "999999999999", featureSet: "ALL", delegated: []string{"111111111111", testAccount}, trusted: both}, "DELEGATED_ADMIN", cli.ExitOK, []string{
			"✓ stackset.caller 123456789012: a delegated administrator for CloudFormation StackSets (CallAs DELEGATED_ADMIN)",
			"✓ stackset.trusted-access"}},
		{"delegated administrator calling as SELF", &orgState{id: "o-abc", management: "999999999999", featureSet: "ALL", delegated: []string{testAccount}, trusted: both}, "", cli.ExitProblems, []string{
			"✗ stackset.caller 123456789012: a delegated administrator for CloudFormation StackSets, but the StackSet calls as SELF, which only the management account may\n    fix: synthesize with -c stackSetCallAs=DELEGATED_ADMIN",
		}},
		{"trusted access off", &orgState{id: "o-abc", management: testAccount, featureSet: "ALL", trusted: []string{"aws.other"}}, "", cli.ExitProblems, []string{
			"✗ stackset.trusted-access member.org.stacksets.cloudformation.amazonaws.com: trusted access for CloudFormation StackSets is off: a service-managed StackSet cannot deploy to the organization\n    fix: from the management account 123456789012: aws cloudformation activate-organizations-access (or the CloudFormation console, StackSets, Activate trusted access)",
		}},
		{"member account, access denied", &orgState{id: "o-abc", management: "999999999999", featureSet: "ALL", trusted: both}, "DELEGATED_ADMIN", cli.ExitProblems, []string{
			"✗ stackset.caller 123456789012: not the organization's management account (999999999999), and organizations:ListDelegatedAdministrators failed: AccessDeniedException: You don't have permissions to access this resource.\n    fix: deploy from the management account 999999999999, or register this account there: aws organizations register-delegated-administrator --service-principal member.org.stacksets.cloudformation.amazonaws.com --account-id 123456789012 (and allow organizations:ListDelegatedAdministrators to the identity doctor runs as)",
		}},
		{"no organization", nil, "", cli.ExitProblems, []string{
			"✗ stackset.caller 123456789012: this account is in no AWS Organizations organization: a service-managed StackSet deploys to organizational units\n    fix: deploy the StackSet target from the organization's management account or a delegated administrator",
		}},
		{"consolidated billing only", &orgState{id: "o-abc", management: testAccount, featureSet: "CONSOLIDATED_BILLING"}, "", cli.ExitProblems, []string{
			"✗ stackset.caller o-abc: the organization has feature set CONSOLIDATED_BILLING; service-managed StackSets need all features\n    fix: enable all features in the organization (AWS Organizations console, Settings), from the management account 123456789012",
		}},
		{"management account calling as DELEGATED_ADMIN", &orgState{id: "o-abc", management: testAccount, featureSet: "ALL", trusted: both}, "DELEGATED_ADMIN", cli.ExitProblems, []string{
			"✗ stackset.caller 123456789012: the organization's management account, but the StackSet calls as DELEGATED_ADMIN\n    fix: synthesize with -c stackSetCallAs=SELF (DELEGATED_ADMIN is for a delegated administrator account)",
		}},
		{"delegated administrator of another service", &orgState{id: "o-abc", management: "999999999999", featureSet: "ALL", delegated: []string{"111111111111"}, otherService: true, trusted: both}, "DELEGATED_ADMIN", cli.ExitProblems, []string{
			"✗ stackset.caller 123456789012: neither the organization's management account (999999999999) nor a delegated administrator for CloudFormation StackSets\n    fix: deploy from the management account 999999999999, or register this account there: aws organizations register-delegated-administrator --service-principal member.org.stacksets.cloudformation.amazonaws.com --account-id 123456789012",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := path
			if c.callAs != "" {
				p = stackSetTemplate(t, func(props map[string]any) { props["CallAs"] = c.callAs })
			}
			r := runDoctorPath(t, orgWorld(t, c.org), p, "--preflight")
			if r.code != c.code {
				t.Fatalf("exit %d, want %d:\n%s%s", r.code, c.code, r.stdout, r.stderr)
			}
			for _, w := range c.want {
				if !strings.HasPrefix(w, "✗") {
					mustContain(t, r.stdout, w)
				}
			}
			// Every failed check exactly, with its fix.
			if diff := cmp.Diff(failLines(c.want), failBlocks(sdkWording.ReplaceAllString(r.stdout, ""))); diff != "" {
				t.Errorf("failed checks (-want +got):\n%s\nstdout:\n%s", diff, r.stdout)
			}
		})
	}
}

func TestStackSetPreflightDeniedTrustedAccessList(t *testing.T) {
	f := orgWorld(t, &orgState{id: "o-abc", management: testAccount, featureSet: "ALL", trusted: []string{stackSetsPrincipal}})
	f.failNext("organizations:ListAWSServiceAccessForOrganization", &apiError{400, "AccessDeniedException", "You don't have permissions to access this resource."})
	r := runDoctorPath(t, f, stackSetTemplate(t, nil), "--preflight")
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout,
		"✗ stackset.trusted-access member.org.stacksets.cloudformation.amazonaws.com: organizations:ListAWSServiceAccessForOrganization failed:",
		"fix: allow organizations:ListAWSServiceAccessForOrganization to the identity doctor runs as")
}

func TestStackSetMemberResourcesOverQuota(t *testing.T) {
	path := stackSetTemplate(t, func(props map[string]any) {
		var member map[string]any
		json.Unmarshal([]byte(props["TemplateBody"].(string)), &member)
		res := member["Resources"].(map[string]any)
		for i := len(res); i <= 500; i++ {
			res[fmt.Sprintf("Extra%d", i)] = map[string]any{"Type": "AWS::SNS::Topic"}
		}
		body, _ := json.Marshal(member)
		props["TemplateBody"] = string(body)
	})
	r := runDoctorPath(t, orgWorld(t, &orgState{id: "o-abc", management: testAccount, featureSet: "ALL", trusted: []string{stackSetsPrincipal}}), path, "--preflight")
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout, "✗ limits member resources: the member template has 501 resources; CloudFormation allows 500 a stack")
}

func TestStackSetOnlyPreflight(t *testing.T) {
	f := orgWorld(t, nil)
	path := stackSetTemplate(t, nil)
	for _, args := range [][]string{nil, {"--test-patterns"}} {
		r := runDoctorPath(t, f, path, args...)
		if r.code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want 2", args, r.code)
		}
		mustContain(t, r.stderr, "template: StackSet is a StackSet template; run doctor in each member account against the member stack's template (--preflight checks the StackSet's own needs)")
		if r.stdout != "" || len(f.calls) != 0 {
			t.Errorf("%v: stdout %q, calls %v; want nothing", args, r.stdout, f.calls)
		}
	}
}

func TestAllPreflightChecksStackSetTarget(t *testing.T) {
	f := newFakeAWS(t)
	w := emptyWorld(time.Now())
	w.org = &orgState{id: "o-abc", management: testAccount, featureSet: "ALL", trusted: []string{"aws.other"}}
	w.serve(f)
	dir := assembly(t, map[string][2]string{
		"Trailwatch-123456789012-us-east-1": {"default", "aws://123456789012/us-east-1"},
	})
	data, err := os.ReadFile(stackSetTemplate(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	addStack(t, dir, "Trailwatch-StackSet", "aws://123456789012/us-east-1", data)
	r := runAllDoctor(t, f, dir, "--preflight")
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1:\n%s%s", r.code, r.stdout, r.stderr)
	}
	mustContain(t, r.stdout,
		"✓ Trailwatch-123456789012-us-east-1 (123456789012 us-east-1): all ",
		"✗ Trailwatch-StackSet (123456789012 us-east-1): 1 of 4 checks failed: stackset.trusted-access member.org.stacksets.cloudformation.amazonaws.com")
}

// addStack adds a stack with the template data to the cloud assembly in dir.
func addStack(t *testing.T, dir, name, env string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name+".template.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	mp := filepath.Join(dir, "manifest.json")
	raw, err := os.ReadFile(mp)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["artifacts"].(map[string]any)[name] = map[string]any{"type": "aws:cloudformation:stack", "environment": env,
		"properties": map[string]any{"templateFile": name + ".template.json"}, "displayName": name}
	raw, _ = json.Marshal(m)
	if err := os.WriteFile(mp, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// What preflight says of a StackSet template it cannot fully check: a self-managed StackSet's
// roles, a member template that is not inline, an organization doctor cannot read. A member
// template of exactly 500 resources is within the quota.
func TestStackSetPreflightEdges(t *testing.T) {
	mgmt := &orgState{id: "o-abc", management: testAccount, featureSet: "ALL", trusted: []string{stackSetsPrincipal}}
	member := &orgState{id: "o-abc", management: "999999999999", featureSet: "ALL", delegated: []string{testAccount}, trusted: []string{stackSetsPrincipal}}
	cases := []struct {
		name   string
		org    *orgState
		edit   func(props map[string]any)
		break_ func(f *fakeAWS)
		want   string
	}{
		{"SelfManaged", mgmt, func(p map[string]any) { p["PermissionModel"] = "SELF_MANAGED" }, nil,
			"✓ bootstrap /cdk-bootstrap/hnb659fds/version: CDK bootstrap version 30\n" +
				"- stackset.caller StackSet: permission model \"SELF_MANAGED\": the administration and execution roles of a self-managed StackSet are not checked\n"},
		{"NoMemberResources", mgmt, func(p map[string]any) { p["TemplateBody"] = `{"Resources":{}}` }, nil,
			"✓ limits member resources: 0 of 500 resources a stack in each member account\n"},
		{"NotInline", mgmt, func(p map[string]any) { delete(p, "TemplateBody"); p["TemplateURL"] = "https://example.com/t.json" }, nil,
			"- limits member resources: the member template is not inline (no TemplateBody string): not counted\n"},
		{"FiveHundredMembers", mgmt, func(p map[string]any) {
			var m map[string]any
			json.Unmarshal([]byte(p["TemplateBody"].(string)), &m)
			res := m["Resources"].(map[string]any)
			for i := len(res); i < 500; i++ {
				res[fmt.Sprintf("Extra%d", i)] = map[string]any{"Type": "AWS::SNS::Topic"}
			}
			body, _ := json.Marshal(m)
			p["TemplateBody"] = string(body)
		}, nil, "✓ limits member resources: 500 of 500 resources a stack in each member account\n"},
		{"OrganizationUnreadable", mgmt, nil, func(f *fakeAWS) {
			f.failNext("organizations:DescribeOrganization", &apiError{400, "AccessDeniedException", "not authorized"})
		}, "✗ stackset.caller 123456789012: organizations:DescribeOrganization failed: "},
		{"NoOrganizationAnswered", mgmt, nil, func(f *fakeAWS) {
			f.handle("organizations:DescribeOrganization", func(map[string]any) (any, error) { return map[string]any{}, nil })
		}, "✗ stackset.caller 123456789012: organizations:DescribeOrganization answered no organization\n    fix: rerun doctor\n"},
		{"DelegatedAdministratorsUnreadable", member, func(p map[string]any) { p["CallAs"] = "DELEGATED_ADMIN" }, func(f *fakeAWS) {
			f.failNext("organizations:ListDelegatedAdministrators", &apiError{400, "InvalidInputException", "bad input"})
		}, "✗ stackset.caller 123456789012: organizations:ListDelegatedAdministrators failed: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := orgWorld(t, c.org)
			if c.break_ != nil {
				c.break_(f)
			}
			r := runDoctorPath(t, f, stackSetTemplate(t, c.edit), "--preflight")
			mustContain(t, r.stdout, c.want)
			wantCode := cli.ExitOK
			if strings.HasPrefix(c.want, "✗") {
				wantCode = cli.ExitProblems
				if n := strings.Count(r.stdout, "✗"); n != 1 {
					t.Errorf("%d failed checks, want 1:\n%s", n, r.stdout)
				}
			}
			if r.code != wantCode {
				t.Errorf("exit %d, want %d:\n%s", r.code, wantCode, r.stdout)
			}
		})
	}
}
