package doctor

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// stackSetsPrincipal is the service principal of CloudFormation StackSets in AWS Organizations:
// trusted access and delegated administrators are registered for it (CloudFormation User Guide,
// "Activate trusted access for stack sets with AWS Organizations").
const stackSetsPrincipal = "member.org.stacksets.cloudformation.amazonaws.com"

// stackSetPreflight checks what only the account can tell about deploying a StackSet target: the
// account may create a service-managed StackSet (the organization's management account, or a
// delegated administrator with CallAs DELEGATED_ADMIN), trusted access for StackSets is on, the
// CDK bootstrap (the StackSet's own stack is a cdk deploy), and the member template's resources.
func (d *doctor) stackSetPreflight(ctx context.Context) []Result {
	ss := d.exp.StackSet
	out := d.bootstrap(ctx)
	if ss.PermissionModel != permissionServiceManaged {
		out = append(out, skip("stackset.caller", ss.LogicalID, fmt.Sprintf("permission model %q: the administration and execution roles of a self-managed StackSet are not checked", ss.PermissionModel)))
	} else {
		out = append(out, d.stackSetCaller(ctx, ss)...)
	}
	switch {
	case ss.MemberResources < 0:
		out = append(out, skip("limits", "member resources", "the member template is not inline (no TemplateBody string): not counted"))
	case ss.MemberResources > maxStackResources:
		out = append(out, fail("limits", "member resources", fmt.Sprintf("the member template has %d resources; CloudFormation allows %d a stack", ss.MemberResources, maxStackResources),
			"deploy fewer alarms (dedupeAlarms=true, one profile, a smaller alarmsFile)"))
	default:
		out = append(out, ok("limits", "member resources", fmt.Sprintf("%d of %d resources a stack in each member account", ss.MemberResources, maxStackResources)))
	}
	return out
}

// permissionServiceManaged is AWS::CloudFormation::StackSet PermissionModel SERVICE_MANAGED.
const permissionServiceManaged = "SERVICE_MANAGED"

// stackSetCaller checks that this account may create the service-managed StackSet as the template
// calls it, and that trusted access for StackSets is on in the organization.
func (d *doctor) stackSetCaller(ctx context.Context, ss *StackSetSpec) []Result {
	org, err := d.c.org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		if errorCode(err) == "AWSOrganizationsNotInUseException" {
			return []Result{fail("stackset.caller", d.account, "this account is in no AWS Organizations organization: a service-managed StackSet deploys to organizational units",
				"deploy the StackSet target from the organization's management account or a delegated administrator")}
		}
		return []Result{apiFail("stackset.caller", d.account, "organizations:DescribeOrganization", err)}
	}
	o := org.Organization
	if o == nil {
		return []Result{fail("stackset.caller", d.account, "organizations:DescribeOrganization answered no organization", "rerun doctor")}
	}
	if o.FeatureSet != orgtypes.OrganizationFeatureSetAll {
		return []Result{fail("stackset.caller", deref(o.Id), fmt.Sprintf("the organization has feature set %s; service-managed StackSets need all features", o.FeatureSet),
			"enable all features in the organization (AWS Organizations console, Settings), from the management account "+deref(o.MasterAccountId))}
	}
	management := deref(o.MasterAccountId)
	register := fmt.Sprintf("aws organizations register-delegated-administrator --service-principal %s --account-id %s", stackSetsPrincipal, d.account)
	var out []Result
	if management == d.account {
		if ss.CallAs != "SELF" {
			return []Result{fail("stackset.caller", d.account, fmt.Sprintf("the organization's management account, but the StackSet calls as %s", ss.CallAs),
				"synthesize with -c stackSetCallAs=SELF (DELEGATED_ADMIN is for a delegated administrator account)")}
		}
		out = append(out, ok("stackset.caller", d.account, "the organization's management account (CallAs SELF)"))
	} else {
		admin, err := d.delegatedAdmin(ctx)
		switch {
		case err != nil && isAccessDenied(errorCode(err)):
			// Only the management account and delegated administrators may list them
			// (Organizations API reference, ListDelegatedAdministrators).
			return []Result{fail("stackset.caller", d.account, fmt.Sprintf("not the organization's management account (%s), and organizations:ListDelegatedAdministrators failed: %s", management, oneLine(err)),
				fmt.Sprintf("deploy from the management account %s, or register this account there: %s (and allow organizations:ListDelegatedAdministrators to the identity doctor runs as)", management, register))}
		case err != nil:
			return []Result{apiFail("stackset.caller", d.account, "organizations:ListDelegatedAdministrators", err)}
		case !admin:
			return []Result{fail("stackset.caller", d.account, fmt.Sprintf("neither the organization's management account (%s) nor a delegated administrator for CloudFormation StackSets", management),
				fmt.Sprintf("deploy from the management account %s, or register this account there: %s", management, register))}
		case ss.CallAs != "DELEGATED_ADMIN":
			return []Result{fail("stackset.caller", d.account, fmt.Sprintf("a delegated administrator for CloudFormation StackSets, but the StackSet calls as %s, which only the management account may", ss.CallAs),
				"synthesize with -c stackSetCallAs=DELEGATED_ADMIN")}
		}
		out = append(out, ok("stackset.caller", d.account, "a delegated administrator for CloudFormation StackSets (CallAs DELEGATED_ADMIN)"))
	}
	return append(out, d.trustedAccess(ctx, management))
}

// delegatedAdmin reports whether this account is a delegated administrator for StackSets.
func (d *doctor) delegatedAdmin(ctx context.Context) (bool, error) {
	p := organizations.NewListDelegatedAdministratorsPaginator(d.c.org, &organizations.ListDelegatedAdministratorsInput{ServicePrincipal: aws.String(stackSetsPrincipal)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return false, err
		}
		for _, a := range page.DelegatedAdministrators {
			if deref(a.Id) == d.account {
				return true, nil
			}
		}
	}
	return false, nil
}

// trustedAccess checks that trusted access for CloudFormation StackSets is on in the organization.
func (d *doctor) trustedAccess(ctx context.Context, management string) Result {
	p := organizations.NewListAWSServiceAccessForOrganizationPaginator(d.c.org, &organizations.ListAWSServiceAccessForOrganizationInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return apiFail("stackset.trusted-access", stackSetsPrincipal, "organizations:ListAWSServiceAccessForOrganization", err)
		}
		for _, s := range page.EnabledServicePrincipals {
			if deref(s.ServicePrincipal) == stackSetsPrincipal {
				return ok("stackset.trusted-access", stackSetsPrincipal, "trusted access for CloudFormation StackSets is on")
			}
		}
	}
	return fail("stackset.trusted-access", stackSetsPrincipal, "trusted access for CloudFormation StackSets is off: a service-managed StackSet cannot deploy to the organization",
		"from the management account "+management+": aws cloudformation activate-organizations-access (or the CloudFormation console, StackSets, Activate trusted access)")
}
