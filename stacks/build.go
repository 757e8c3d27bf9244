package stacks

import (
	"errors"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
)

// AuditStackID is the name of the one stack made without a targets file.
const AuditStackID = config.StackPrefix

// BuildAll makes one stack per target (config.Load). The app and the tests both call it, so tests
// synthesize exactly what `cdk synth` does. It returns an error, naming the target, when a target
// cannot be built (a StackSet member template too large for CloudFormation).
func BuildAll(scope constructs.Construct, targets []config.Target) ([]awscdk.Stack, error) {
	var out []awscdk.Stack
	for _, t := range targets {
		s, err := Build(scope, t)
		var p *config.Problem
		if errors.As(err, &p) {
			return nil, err // names the target already
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Build makes one target's stack: the Audit stack; the AlarmsOnly stack when an existing trail's
// log group is named; or the StackSet stack that deploys either to the accounts of some OUs.
func Build(scope constructs.Construct, t config.Target) (awscdk.Stack, error) {
	stack, err := buildTarget(scope, t)
	if err != nil {
		return nil, err
	}
	if t.Nag {
		ApplyNag(stack)
	}
	return stack, nil
}

// buildTarget makes the stack of one target, without cdk-nag.
func buildTarget(scope constructs.Construct, t config.Target) (awscdk.Stack, error) {
	if len(t.StackSet.OUs) > 0 {
		// A member template is inline and cannot carry the function's asset: members get plain.
		memberCfg := t.Deployed()
		enriched := t.Notifications == config.Enriched
		member, err := MemberTemplate(scope, memberCfg)
		if err != nil {
			return nil, err
		}
		set, err := NewStackSet(scope, t.Name, &StackSetProps{
			StackProps: awscdk.StackProps{
				Env:         environment(t),
				Description: jsii.String("trailwatch: a StackSet of the trailwatch stack for the accounts of some organizational units"),
			},
			StackSet:       t.StackSet,
			MemberTemplate: member,
		})
		if err != nil {
			return nil, err
		}
		if enriched {
			awscdk.Annotations_Of(set.Resource).AddWarningV2(jsii.String(StackSetPlainWarningID), jsii.String(stackSetPlainWarning), nil)
		}
		return set.Stack, nil
	}
	return buildStack(scope, t.Name, awscdk.StackProps{Env: environment(t)}, t.Stack, t.Environment)
}

// buildStack makes the Audit or AlarmsOnly stack for cfg, with props' environment and synthesizer,
// building the alarm-email function first when notifications are enriched.
func buildStack(scope constructs.Construct, name string, props awscdk.StackProps, cfg config.Stack, env string) (awscdk.Stack, error) {
	var code awslambda.Code
	if cfg.Notifications == config.Enriched {
		var err error
		if code, err = notifyCode(); err != nil {
			return nil, err
		}
	}
	if cfg.ExistingLogGroupName != "" {
		props.Description = jsii.String("trailwatch: CloudTrail alarms on the existing log group " + cfg.ExistingLogGroupName)
		return NewAlarmsOnly(scope, name, &AlarmsOnlyProps{StackProps: props, Config: cfg, Environment: env, NotifyCode: code}).Stack, nil
	}
	props.Description = jsii.String("trailwatch: CloudTrail trail, bucket, log group and CloudTrail alarms")
	return NewAudit(scope, name, &AuditProps{StackProps: props, Config: cfg, Environment: env, NotifyCode: code}).Stack, nil
}

// environment is the target's account and Region; one left empty is filled in at deploy time (an
// Environment with neither is an environment-agnostic stack, as a nil one is).
func environment(t config.Target) *awscdk.Environment {
	return &awscdk.Environment{Account: optional(t.Account), Region: optional(t.Region)}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
