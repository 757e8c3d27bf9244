package test

import (
	"encoding/json"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/stacks"
)

// The test environment's principals, as aws:PrincipalArn carries them (a role session's ARN is its
// role's ARN there).
const (
	root       = "arn:aws:iam::123456789012:root"
	cfnExec    = "arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1"
	admin      = "arn:aws:iam::123456789012:role/Admin"
	memberExec = "arn:aws:iam::123456789012:role/stacksets-exec-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
)

// resolve turns a policy value of the pinned environment into text: Fn::Sub of the partition.
func resolve(v any) string {
	if m, ok := v.(map[string]any); ok {
		if sub, ok := m["Fn::Sub"].(string); ok {
			return strings.ReplaceAll(sub, "${AWS::Partition}", "aws")
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	s, _ := v.(string)
	return s
}

// denied evaluates the Deny statements of a resource policy for a principal and an action, as IAM
// does for these statements: Principal "*", an ArnNotEquals / ArnNotLike on aws:PrincipalArn (a
// list: the principal matches none of it).
func denied(t *testing.T, stmts []map[string]any, principal, action string) bool {
	t.Helper()
	for _, s := range stmts {
		if s["Effect"] != "Deny" || !contains(list(s["Action"]), action) {
			continue
		}
		cond, _ := s["Condition"].(map[string]any)
		applies := true
		for op, c := range cond {
			values := c.(map[string]any)["aws:PrincipalArn"]
			var arns []string
			if l, ok := values.([]any); ok {
				for _, v := range l {
					arns = append(arns, resolve(v))
				}
			} else {
				arns = []string{resolve(values)}
			}
			matchesOne := false
			for _, a := range arns {
				ok, _ := path.Match(strings.ReplaceAll(a, "/", "\x00"), strings.ReplaceAll(principal, "/", "\x00"))
				if (op == "ArnNotLike" && ok) || (op == "ArnNotEquals" && a == principal) {
					matchesOne = true
				}
			}
			if op != "ArnNotLike" && op != "ArnNotEquals" {
				t.Fatalf("statement %v: unexpected condition operator %s", s["Sid"], op)
			}
			applies = applies && !matchesOne
		}
		if applies {
			return true
		}
	}
	return false
}

func policyOf(t *testing.T, f *fixture, typ, field string) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for id, r := range f.json["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] != typ {
			continue
		}
		doc, _ := props(res)[field].(map[string]any)
		for _, s := range doc["Statement"].([]any) {
			out[id] = append(out[id], s.(map[string]any))
		}
	}
	if len(out) == 0 {
		t.Errorf("%s: no %s", f.name, typ)
	}
	return out
}

// Both buckets deny weakening the audit data (lifecycle, versioning, Object Lock, policy, logging)
// to everyone but root and the CDK bootstrap's CloudFormation execution role, with exactly these
// actions on the bucket; so an admin's one-day expiration rule is refused, and the next deploy's
// lifecycle change goes through.
func TestBucketsDenyWeakeningExceptRootAndDeployer(t *testing.T) {
	want := []string{"s3:PutBucketLogging", "s3:PutBucketObjectLockConfiguration", "s3:PutBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"}
	for _, name := range []string{"default", "object-lock-compliance", "encryption-none"} {
		f := variantFixture(t, name)
		policies := policyOf(t, f, "AWS::S3::BucketPolicy", "PolicyDocument")
		if len(policies) != 2 {
			t.Errorf("%s: %d bucket policies, want 2", name, len(policies))
		}
		for id, stmts := range policies {
			var weakening map[string]any
			for _, s := range stmts {
				if s["Sid"] == "DenyWeakeningAuditDataExceptRootAndDeployer" {
					weakening = s
				}
			}
			if weakening == nil {
				t.Errorf("%s: %s has no DenyWeakeningAuditDataExceptRootAndDeployer statement", name, id)
				continue
			}
			got := list(weakening["Action"])
			sort.Strings(got)
			equal(t, name+": "+id+" weakening actions", got, want)
			exported := append([]string(nil), stacks.WeakeningBucketActions...)
			sort.Strings(exported)
			equal(t, name+": "+id+" weakening actions (the exported list)", exported, want)
			if p, _ := weakening["Principal"].(map[string]any); p["AWS"] != "*" {
				t.Errorf("%s: %s: principal %v, want every principal", name, id, weakening["Principal"])
			}
			if strings.Contains(toJSON(weakening["Resource"]), "/*") {
				t.Errorf("%s: %s: bucket-level actions on %v; want the bucket's ARN only", name, id, weakening["Resource"])
			}
			for _, a := range want {
				if !denied(t, stmts, admin, a) {
					t.Errorf("%s: %s: an admin role may %s", name, id, a)
				}
				if denied(t, stmts, root, a) || denied(t, stmts, cfnExec, a) {
					t.Errorf("%s: %s: root or the CloudFormation execution role is denied %s; the next deploy would fail", name, id, a)
				}
			}
			// Deleting stays root's alone: not even the deployer (the bucket is retained, CloudFormation never deletes it).
			for _, a := range []string{"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:DeleteBucket", "s3:DeleteBucketPolicy"} {
				if !denied(t, stmts, cfnExec, a) || !denied(t, stmts, admin, a) || denied(t, stmts, root, a) {
					t.Errorf("%s: %s: %s must be root's alone", name, id, a)
				}
			}
		}
	}
}

// A custom bootstrap qualifier names another execution role, and the exception follows it.
func TestDeployerFollowsTheBootstrapQualifier(t *testing.T) {
	f := synth(t, "qualifier", map[string]any{"notificationEmails": "ops@example.com", "@aws-cdk/core:bootstrapQualifier": "audit1234"})
	custom := "arn:aws:iam::123456789012:role/cdk-audit1234-cfn-exec-role-123456789012-us-east-1"
	for id, stmts := range policyOf(t, f, "AWS::S3::BucketPolicy", "PolicyDocument") {
		if denied(t, stmts, custom, "s3:PutLifecycleConfiguration") {
			t.Errorf("%s: the qualifier's execution role is denied the lifecycle change", id)
		}
		if !denied(t, stmts, cfnExec, "s3:PutLifecycleConfiguration") {
			t.Errorf("%s: the default qualifier's role is still excepted", id)
		}
	}
}

// A StackSet member is deployed by the StackSet's execution role (stacksets-exec-*), so that is
// the member's exception; the CDK bootstrap's role, which member accounts lack, is not.
func TestStackSetMemberExceptsTheStackSetExecutionRole(t *testing.T) {
	f := variantFixture(t, "stackset")
	var body string
	for _, r := range f.json["Resources"].(map[string]any) {
		if b, ok := props(r.(map[string]any))["TemplateBody"].(string); ok {
			body = b
		}
	}
	member := &fixture{name: "stackset member"}
	if err := json.Unmarshal([]byte(body), &member.json); err != nil {
		t.Fatal(err)
	}
	policies := policyOf(t, member, "AWS::S3::BucketPolicy", "PolicyDocument")
	if len(policies) != 2 {
		t.Errorf("the member has %d bucket policies, want 2 (the trail bucket and its access-log bucket)", len(policies))
	}
	for id, stmts := range policies {
		found := 0
		for _, s := range stmts {
			if s["Sid"] != "DenyWeakeningAuditDataExceptRootAndDeployer" {
				continue
			}
			found++
			got := toJSON(s["Condition"])
			if !strings.Contains(got, ":role/"+stacks.StackSetExecutionRoleName) || strings.Contains(got, "cfn-exec-role") {
				t.Errorf("%s: member exception %s; want the StackSet execution role only", id, got)
			}
		}
		if found != 1 {
			t.Errorf("%s: %d DenyWeakeningAuditDataExceptRootAndDeployer statements, want 1", id, found)
		}
	}
}

// The key denies destroying it to everyone but root; the key-policy update CloudFormation makes
// (kms:PutKeyPolicy) stays possible, as docs/security.md says.
func TestKeyDeniesDestroyingItExceptRoot(t *testing.T) {
	for _, name := range []string{"default", "alarms-only"} {
		f := variantFixture(t, name)
		for id, stmts := range policyOf(t, f, "AWS::KMS::Key", "KeyPolicy") {
			for _, a := range []string{"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DeleteImportedKeyMaterial"} {
				if !denied(t, stmts, admin, a) || !denied(t, stmts, cfnExec, a) || denied(t, stmts, root, a) {
					t.Errorf("%s: %s: %s must be root's alone", name, id, a)
				}
			}
			for _, a := range []string{"kms:PutKeyPolicy", "kms:Decrypt", "kms:EnableKeyRotation"} {
				if denied(t, stmts, cfnExec, a) {
					t.Errorf("%s: %s: %s is denied to the deployer", name, id, a)
				}
			}
		}
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
