package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// suppress records, next to the resource it concerns, why a cdk-nag rule does not apply to it.
func suppress(c constructs.IConstruct, rule, reason string, appliesTo ...string) {
	s := &cdknag.NagPackSuppression{Id: jsii.String(rule), Reason: jsii.String(reason)}
	var list []any
	for _, a := range appliesTo {
		list = append(list, a)
	}
	if list != nil {
		s.AppliesTo = &list
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &[]*cdknag.NagPackSuppression{s}, jsii.Bool(true))
}

// ApplyNag adds the cdk-nag AwsSolutions checks to scope: at synth, every finding that is not
// suppressed becomes an error (synth fails) or warning annotation, and the full report, suppressed
// findings and their reasons included, is written to cdk.out as AwsSolutions-STACK-NagReport.json
// and .csv.
func ApplyNag(scope constructs.IConstruct) {
	awscdk.Aspects_Of(scope).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{
		Verbose:       jsii.Bool(true),
		Reports:       jsii.Bool(true),
		ReportFormats: &[]cdknag.NagReportFormat{cdknag.NagReportFormat_JSON, cdknag.NagReportFormat_CSV},
	}), nil)
}
