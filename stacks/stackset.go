package stacks

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudformation"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
)

// MaxTemplateBody is the largest template CloudFormation takes inline in a StackSet's TemplateBody.
const MaxTemplateBody = 51200

// memberStackName names the member stack while it is synthesized; StackSet instances get their own
// names (StackSet-trailwatch-members-...).
const memberStackName = "TrailwatchMember"

// StackSetProps configures the StackSet stack.
type StackSetProps struct {
	awscdk.StackProps
	// StackSet is where and how the members are deployed; its OUs are required.
	StackSet config.StackSet
	// MemberTemplate is the member stack's synthesized template (MemberTemplate).
	MemberTemplate map[string]any
}

// StackSet deploys the member stack to every account of the configured OUs, now and later (a
// service-managed StackSet with automatic deployment), in the configured Regions. It lives in the
// management account or a delegated administrator account.
type StackSet struct {
	awscdk.Stack
	Resource awscloudformation.CfnStackSet
}

// MemberTemplate synthesizes the stack each StackSet member gets — our own Audit (or AlarmsOnly)
// stack, never hand-written CloudFormation — and returns its template. It is synthesized in an app
// of its own with the context of scope (the same feature flags), and without the CDK bootstrap
// check: member accounts are not bootstrapped.
// The member is environment-agnostic: each member account fills in its own ID and Region.
func MemberTemplate(scope constructs.Construct, cfg config.Stack) (map[string]any, error) {
	outdir, err := os.MkdirTemp("", "trailwatch-member")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(outdir)
	context, _ := scope.Node().GetAllContext(nil).(map[string]any)
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir), AnalyticsReporting: jsii.Bool(false), Context: &context})
	stack, err := buildStack(app, memberStackName, awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)}, cfg, "")
	if err != nil {
		return nil, err
	}
	// A template is a JSON object, which jsii hands Go as a map.
	return app.Synth(nil).GetStackArtifact(stack.ArtifactId()).Template().(map[string]any), nil
}

// NewStackSet makes the StackSet stack. It returns an error, before making anything, when the
// member template does not fit TemplateBody.
func NewStackSet(scope constructs.Construct, id string, props *StackSetProps) (*StackSet, error) {
	cfg := props.StackSet
	body, err := json.Marshal(props.MemberTemplate)
	if err != nil {
		return nil, err
	}
	if len(body) > MaxTemplateBody {
		return nil, &config.Problem{Target: id, Key: "stackSetOrganizationalUnits", Value: strings.Join(cfg.OUs, ","),
			Msg:     fmt.Sprintf("deploys a member template of %d bytes", len(body)),
			Allowed: fmt.Sprintf("at most %d bytes (CloudFormation's limit on a StackSet's inline TemplateBody): fewer alarms (dedupeAlarms=true, one profile, a smaller alarmsFile)", MaxTemplateBody),
			Err:     config.ErrInvalid}
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	var capabilities *[]*string
	if hasIAM(props.MemberTemplate) {
		capabilities = jsii.Strings("CAPABILITY_IAM") // the trail's delivery role (unnamed)
	}
	regions := jsii.Strings(cfg.Regions...)
	set := awscloudformation.NewCfnStackSet(stack, jsii.String("StackSet"), &awscloudformation.CfnStackSetProps{
		StackSetName:    jsii.String("trailwatch-members"),
		Description:     jsii.String("trailwatch: CloudTrail audit trail and alarms in every account of the organizational units"),
		PermissionModel: jsii.String("SERVICE_MANAGED"),
		CallAs:          jsii.String(cfg.CallAs),
		// New accounts get the stack; an account leaving the OUs keeps it (its audit data stays).
		AutoDeployment: &awscloudformation.CfnStackSet_AutoDeploymentProperty{
			Enabled: jsii.Bool(true), RetainStacksOnAccountRemoval: jsii.Bool(true),
		},
		ManagedExecution: map[string]any{"Active": true},
		// Operations we start (create, update) run stackSetMaxConcurrency accounts at a time per
		// Region; SOFT_FAILURE_TOLERANCE keeps failures from lowering that (under the default
		// STRICT mode, concurrency is at most FailureToleranceCount + 1). Automatic deployments to
		// new accounts are CloudFormation's own and ignore these preferences.
		OperationPreferences: &awscloudformation.CfnStackSet_OperationPreferencesProperty{
			ConcurrencyMode:       jsii.String("SOFT_FAILURE_TOLERANCE"),
			FailureToleranceCount: jsii.Number(float64(cfg.FailureTolerance)),
			MaxConcurrentCount:    jsii.Number(float64(cfg.MaxConcurrency)),
			RegionConcurrencyType: jsii.String("SEQUENTIAL"),
			RegionOrder:           regions,
		},
		StackInstancesGroup: []any{&awscloudformation.CfnStackSet_StackInstancesProperty{
			DeploymentTargets: &awscloudformation.CfnStackSet_DeploymentTargetsProperty{OrganizationalUnitIds: jsii.Strings(cfg.OUs...)},
			Regions:           regions,
		}},
		Capabilities: capabilities,
		TemplateBody: jsii.String(string(body)),
	})
	return &StackSet{Stack: stack, Resource: set}, nil
}

func hasIAM(template map[string]any) bool {
	res, _ := template["Resources"].(map[string]any)
	for _, r := range res {
		if typ, _ := r.(map[string]any)["Type"].(string); strings.HasPrefix(typ, "AWS::IAM::") {
			return true
		}
	}
	return false
}
