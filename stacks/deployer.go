package stacks

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// StackSetExecutionRoleName matches the role a service-managed StackSet deploys its member stacks
// with: StackSets creates one named stacksets-exec-<ID> in every target account (AWS
// CloudFormation User Guide, "Configure a custom execution role template for StackSets";
// CloudFormationStackSetsOrgAdminServiceRolePolicy assumes arn:aws:iam::*:role/stacksets-exec-*).
// AWSCloudFormationStackSetExecutionRole is the self-managed model's role, which trailwatch does
// not use.
const StackSetExecutionRoleName = "stacksets-exec-*"

// deployerArn is the ARN (a pattern, for ArnLike) of the role CloudFormation deploys the stack with,
// the one principal besides root that the stack's deny statements let change what it must
// change on the next deploy. A StackSet member (a stack with the BootstraplessSynthesizer, made by
// MemberTemplate: member accounts are not bootstrapped) is deployed by the StackSet's execution
// role; any other stack by its synthesizer's CloudFormation
// execution role: the CDK bootstrap's cdk-QUALIFIER-cfn-exec-role-ACCOUNT-REGION, with the qualifier
// of the @aws-cdk/core:bootstrapQualifier context or the synthesizer's own.
// synthesizer is the one the stack was made with (StackProps.Synthesizer; nil for the app's default).
func deployerArn(stack awscdk.Stack, synthesizer awscdk.IStackSynthesizer) *string {
	// jsii gives no type test for the synthesizer's class, and in Go the BootstraplessSynthesizer
	// interface is the DefaultStackSynthesizer's (it subclasses it, and its role getter panics
	// when no role was given), so the Go type of the value passed in tells them apart.
	if synthesizer != nil && strings.Contains(fmt.Sprintf("%T", synthesizer), "BootstraplessSynthesizer") {
		return stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("role"), ResourceName: jsii.String(StackSetExecutionRoleName),
		})
	}
	if s, ok := stack.Synthesizer().(awscdk.DefaultStackSynthesizer); ok {
		if arn := s.CloudFormationExecutionRoleArn(); arn != nil {
			// The synthesizer writes ${AWS::Partition} (and, env-agnostic, ${AWS::AccountId} and
			// ${AWS::Region}) for CloudFormation to fill in.
			return awscdk.Fn_Sub(arn, nil)
		}
	}
	qualifier := awscdk.DefaultStackSynthesizer_DEFAULT_QUALIFIER()
	if q, ok := stack.Node().TryGetContext(jsii.String("@aws-cdk/core:bootstrapQualifier")).(string); ok && q != "" {
		qualifier = &q
	}
	return stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("role"),
		ResourceName: jsii.String("cdk-" + *qualifier + "-cfn-exec-role-" + *stack.Account() + "-" + *stack.Region()),
	})
}
