package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
)

// AuditStackID is the Audit stack's construct ID and CloudFormation stack name.
const AuditStackID = "Trailwatch"

// Build makes the stack a validated configuration asks for: the Audit stack, or the AlarmsOnly
// stack when an existing trail's log group is named. The app and the tests both call it, so tests
// synthesize exactly what `cdk synth` does.
func Build(scope constructs.Construct, cfg config.Config) awscdk.Stack {
	var env *awscdk.Environment
	if cfg.Account != "" || cfg.Region != "" {
		env = &awscdk.Environment{Account: optional(cfg.Account), Region: optional(cfg.Region)}
	}
	if cfg.Nag {
		ApplyNag(scope)
	}
	if cfg.ExistingLogGroupName != "" {
		return NewAlarmsOnly(scope, AuditStackID, &AlarmsOnlyProps{
			StackProps: awscdk.StackProps{
				Env:         env,
				Description: jsii.String("trailwatch: CloudTrail alarms on the existing log group " + cfg.ExistingLogGroupName),
			},
			Config: cfg,
		}).Stack
	}
	return NewAudit(scope, AuditStackID, &AuditProps{
		StackProps: awscdk.StackProps{
			Env:         env,
			Description: jsii.String("trailwatch: CloudTrail trail, bucket, log group and CloudTrail alarms"),
		},
		Config: cfg,
	}).Stack
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
