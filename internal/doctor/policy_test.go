package doctor

import (
	"context"
	"encoding/json"
	"github.com/trailwatch/trailwatch/internal/cli"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// iamPrefix maps the SDK's service IDs to IAM action prefixes.
var iamPrefix = map[string]string{
	"CloudFormation":  "cloudformation",
	"CloudTrail":      "cloudtrail",
	"CloudWatch":      "cloudwatch",
	"CloudWatch Logs": "logs",
	"KMS":             "kms",
	"Organizations":   "organizations",
	"S3":              "s3",
	"SNS":             "sns",
	"SSM":             "ssm",
	"STS":             "sts",
}

// iamAction is the IAM action an API operation needs; for most it is the operation's name.
func iamAction(service, op string) string {
	if service == "S3" && op == "GetPublicAccessBlock" {
		// Service Authorization Reference, Amazon S3: GetPublicAccessBlock needs
		// s3:GetBucketPublicAccessBlock.
		return "s3:GetBucketPublicAccessBlock"
	}
	return iamPrefix[service] + ":" + op
}

// needsNoPermission are operations IAM does not authorize: "No permissions are required to perform
// this operation" (STS API reference, GetCallerIdentity).
var needsNoPermission = map[string]bool{"sts:GetCallerIdentity": true}

type policyDoc struct {
	Statement []struct {
		Sid      string
		Effect   string
		Action   any
		Resource any
	}
}

func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, x.(string))
		}
		return out
	}
	return nil
}

// TestIAMPolicyCoversEveryCall runs every doctor mode against the fake, records each API
// operation the SDK sends (a middleware on every client), and checks that the example policy
// allows exactly those actions: none missing, none unused.
func TestIAMPolicyCoversEveryCall(t *testing.T) {
	var mu sync.Mutex
	called := map[string]bool{}
	record := func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("recordOperation",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				mu.Lock()
				called[iamAction(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx))] = true
				mu.Unlock()
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	}
	testAPIOptions = []func(*middleware.Stack) error{record}
	t.Cleanup(func() { testAPIOptions = nil })

	exp, _ := loadGolden(t, "aws-cis")
	f := newFakeAWS(t)
	w := healthyWorld(exp, time.Now())
	w.ssm["/cdk-bootstrap/hnb659fds/version"] = "30"
	w.serve(f)
	for _, args := range [][]string{{"--test-patterns"}, {"--preflight"}, {"--fire-drill", "CloudTrailChanges"}} {
		if r := runDoctor(t, f, "aws-cis", args...); r.code == cli.ExitUsage {
			t.Fatalf("%v: exit 2: %s", args, r.stderr)
		}
	}
	// The bootstrap fallback: CloudFormation's CDKToolkit stack when SSM is denied.
	f.failNext("ssm:GetParameter", &apiError{400, "AccessDeniedException", "denied"})
	runDoctor(t, f, "default", "--preflight")

	// A StackSet target from a delegated administrator: the organization's three reads.
	w.org = &orgState{id: "o-abc", management: "999999999999", featureSet: "ALL", delegated: []string{testAccount}, trusted: []string{stackSetsPrincipal}}
	if r := runDoctorPath(t, f, stackSetTemplate(t, func(p map[string]any) { p["CallAs"] = "DELEGATED_ADMIN" }), "--preflight"); r.code != cli.ExitOK {
		t.Fatalf("StackSet --preflight: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}

	// --all with a role in another account.
	w.roles = map[string]string{"arn:aws:iam::222222222222:role/OrganizationAccountAccessRole": "222222222222"}
	if r := runAllDoctor(t, f, assembly(t, map[string][2]string{"T": {"default", "aws://222222222222/us-east-1"}}), "--role-name", "OrganizationAccountAccessRole"); r.code == cli.ExitUsage {
		t.Fatalf("--all: exit 2: %s%s", r.stdout, r.stderr)
	}

	data, err := os.ReadFile("../../examples/doctor-iam-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	var pol policyDoc
	if err := json.Unmarshal(data, &pol); err != nil {
		t.Fatalf("examples/doctor-iam-policy.json: %v", err)
	}
	allowed := map[string]bool{}
	var writes []string
	for _, st := range pol.Statement {
		if st.Effect != "Allow" {
			t.Errorf("statement %s: Effect %s", st.Sid, st.Effect)
		}
		for _, a := range strs(st.Action) {
			if strings.ContainsAny(a, "*?") {
				t.Errorf("statement %s: wildcard action %q; list each action doctor calls", st.Sid, a)
			}
			allowed[a] = true
			name := a[strings.Index(a, ":")+1:]
			if a == "sts:AssumeRole" {
				if res := strs(st.Resource); slices.Contains(res, "*") {
					t.Errorf("sts:AssumeRole is allowed on every role; name the role --role-name assumes")
				}
				continue
			}
			if !strings.HasPrefix(name, "Describe") && !strings.HasPrefix(name, "Get") && !strings.HasPrefix(name, "List") && name != "TestMetricFilter" {
				writes = append(writes, a)
				if res := strs(st.Resource); slices.Contains(res, "*") {
					t.Errorf("write %s is allowed on every resource; restrict it to alarms", a)
				}
			}
		}
	}
	if !slices.Equal(writes, []string{"cloudwatch:SetAlarmState"}) {
		t.Errorf("writes in the policy = %v, want only cloudwatch:SetAlarmState", writes)
	}
	var missing, unused []string
	for a := range called {
		if !allowed[a] && !needsNoPermission[a] {
			missing = append(missing, a)
		}
	}
	for a := range allowed {
		if !called[a] {
			unused = append(unused, a)
		}
	}
	sort.Strings(missing)
	sort.Strings(unused)
	if len(missing) > 0 {
		t.Errorf("doctor calls actions the policy does not allow: %v", missing)
	}
	if len(unused) > 0 {
		t.Errorf("the policy allows actions no test saw doctor call: %v", unused)
	}
	if len(called) < 15 {
		t.Errorf("recorded only %d operations: %v; is the middleware on every client?", len(called), called)
	}
}
