package test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/stacks"
)

// NewStackSet takes a member template of up to 51,200 bytes (CloudFormation's limit on an inline
// TemplateBody) and refuses a larger one, or one that is not JSON, before making anything. It asks
// for CAPABILITY_IAM only when the member has IAM resources.
func TestStackSetMemberTemplateLimits(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false)})
	set := config.StackSet{OUs: []string{"ou-ab12-cdef3456"}, Regions: []string{"us-east-1"}, MaxConcurrency: 1, CallAs: "SELF"}
	// member is a template of size bytes as JSON, with one resource of type typ.
	member := func(size int, typ string) map[string]any {
		m := map[string]any{"Description": "", "Resources": map[string]any{"R": map[string]any{"Type": typ}}}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m["Description"] = strings.Repeat("d", size-len(b))
		return m
	}
	newSet := func(id string, tmpl map[string]any) (*stacks.StackSet, error) {
		return stacks.NewStackSet(app, id, &stacks.StackSetProps{StackSet: set, MemberTemplate: tmpl})
	}

	s, err := newSet("AtTheLimit", member(51200, "AWS::SNS::Topic"))
	if err != nil {
		t.Fatalf("member of 51,200 bytes: %v", err)
	}
	if body := *s.Resource.TemplateBody(); len(body) != 51200 {
		t.Errorf("TemplateBody is %d bytes, want the member's 51,200", len(body))
	}
	if c := s.Resource.Capabilities(); c != nil {
		t.Errorf("a member without IAM resources asks for %v", *c)
	}
	s, err = newSet("WithARole", member(1000, "AWS::IAM::Role"))
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Resource.Capabilities(); c == nil || len(*c) != 1 || *(*c)[0] != "CAPABILITY_IAM" {
		t.Errorf("a member with a role: capabilities %v, want CAPABILITY_IAM", c)
	}

	_, err = newSet("OverTheLimit", member(51201, "AWS::SNS::Topic"))
	var p *config.Problem
	if !errors.As(err, &p) || !errors.Is(err, config.ErrInvalid) || p.Target != "OverTheLimit" || p.Key != "stackSetOrganizationalUnits" ||
		p.Msg != "deploys a member template of 51201 bytes" || !strings.HasPrefix(p.Allowed, "at most 51200 bytes (CloudFormation's limit on a StackSet's inline TemplateBody)") {
		t.Errorf("member of 51,201 bytes: %#v, want the TemplateBody problem", err)
	}
	_, err = newSet("NotJSON", map[string]any{"Description": math.Inf(1)})
	if err == nil || err.Error() != "json: unsupported value: +Inf" {
		t.Errorf("member that is not JSON: %v", err)
	}
	if n := len(*app.Node().Children()); n != 2 {
		t.Errorf("the app has %d stacks; a refused member must make none", n)
	}
}
