package test

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/stacks"
)

const scpFile = "../examples/scp-protect-trailwatch.json"

// MaxSCPSize is AWS Organizations' limit on a service control policy: 5,120 characters. The API
// and the CLI store the document exactly as given, whitespace included (only the console strips
// it), so the file as shipped must fit.
const MaxSCPSize = 5120

type scpStatement struct {
	Sid          string
	Effect       string
	Action       any
	NotAction    any
	Resource     any
	Principal    any
	NotPrincipal any
	Condition    map[string]map[string]any
}

func readSCP(t *testing.T) (raw []byte, doc struct {
	Version   string
	Statement []scpStatement
}) {
	t.Helper()
	raw, err := os.ReadFile(scpFile)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields() // an SCP statement has no other elements than these
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", scpFile, err)
	}
	return raw, doc
}

// The example SCP is an IAM policy document of the shape SCPs take: Deny statements with Sid,
// Action and Resource, no Principal (SCPs have none: the exceptions are aws:PrincipalArn
// conditions), every statement excepting the break-glass role, and no larger than AWS allows.
func TestSCPIsAValidServiceControlPolicy(t *testing.T) {
	raw, doc := readSCP(t)
	if len(raw) > MaxSCPSize {
		t.Errorf("%s is %d characters; an SCP may have %d", scpFile, len(raw), MaxSCPSize)
	}
	if doc.Version != "2012-10-17" {
		t.Errorf("Version %q, want 2012-10-17", doc.Version)
	}
	actionRE := regexp.MustCompile(`^[a-z0-9-]+:[A-Z][A-Za-z]+$`)
	sidRE := regexp.MustCompile(`^[A-Za-z0-9]+$`)
	for _, s := range doc.Statement {
		if !sidRE.MatchString(s.Sid) {
			t.Errorf("Sid %q: letters and digits only", s.Sid)
		}
		if s.Effect != "Deny" {
			t.Errorf("%s: Effect %q; the example only denies", s.Sid, s.Effect)
		}
		if s.Principal != nil || s.NotPrincipal != nil || s.NotAction != nil {
			t.Errorf("%s: Principal, NotPrincipal or NotAction; SCPs name principals through aws:PrincipalArn conditions", s.Sid)
		}
		for _, a := range list(s.Action) {
			if !actionRE.MatchString(a) {
				t.Errorf("%s: action %q is not one service:Action (no wildcards)", s.Sid, a)
			}
		}
		if len(list(s.Resource)) == 0 {
			t.Errorf("%s: no Resource", s.Sid)
		}
		for _, r := range list(s.Resource) {
			if r != "*" && !strings.HasPrefix(r, "arn:*:") {
				t.Errorf("%s: resource %q; want an ARN pattern for every partition", s.Sid, r)
			}
			if r == "*" && s.Condition["ForAnyValue:StringLike"]["kms:ResourceAliases"] == nil {
				t.Errorf("%s: Resource * without the trailwatch key alias condition would cover every key", s.Sid)
			}
		}
		except := list(s.Condition["ArnNotLike"]["aws:PrincipalArn"])
		if !contains(except, "arn:*:iam::*:role/trailwatch-break-glass") {
			t.Errorf("%s: the break-glass role is not excepted: %v", s.Sid, except)
		}
		for _, e := range except {
			if e == "*" || strings.HasPrefix(e, "arn:*:iam::*:role/*") || strings.HasSuffix(e, ":root") {
				t.Errorf("%s: exception %q lets everyone through", s.Sid, e)
			}
		}
	}
}

// The SCP covers what the stack's own policies deny and what the tamper alarm watches, and
// destroying is the break-glass role's alone (not even the deployers').
func TestSCPCoversTheTamperActions(t *testing.T) {
	_, doc := readSCP(t)
	byAction := map[string][]string{}
	for _, s := range doc.Statement {
		for _, a := range list(s.Action) {
			byAction[a] = list(s.Condition["ArnNotLike"]["aws:PrincipalArn"])
		}
	}
	want := append(append([]string{}, stacks.WeakeningBucketActions...), stacks.DestroyingKeyActions...)
	want = append(want, "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
		"cloudtrail:PutInsightSelectors", "s3:DeleteBucketPolicy", "kms:PutKeyPolicy", "logs:DeleteLogGroup", "logs:PutRetentionPolicy",
		"logs:DeleteRetentionPolicy", "logs:DeleteMetricFilter", "logs:PutMetricFilter", "cloudwatch:DeleteAlarms",
		"cloudwatch:DisableAlarmActions", "cloudwatch:PutMetricAlarm", "sns:DeleteTopic", "sns:Unsubscribe",
		"sns:SetSubscriptionAttributes", "sns:SetTopicAttributes")
	for _, a := range want {
		if _, ok := byAction[a]; !ok {
			t.Errorf("the SCP does not deny %s", a)
		}
	}
	for _, a := range append([]string{"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "logs:DeleteLogGroup"}, stacks.DestroyingKeyActions...) {
		if got := byAction[a]; len(got) != 1 {
			t.Errorf("%s is excepted for %v; destroying is the break-glass role's alone", a, got)
		}
	}
}
