package doctor

import (
	"encoding/json"
	"fmt"
	"github.com/trailwatch/trailwatch/internal/cli"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// assembly writes a cdk.out with one stack per entry: stack name -> golden template and env.
func assembly(t *testing.T, stacks map[string][2]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cdk.out")
	os.Mkdir(dir, 0o755)
	artifacts := map[string]any{"Tree": map[string]any{"type": "cdk:tree", "properties": map[string]any{"file": "tree.json"}}}
	for name, v := range stacks {
		data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", v[0]+".template.json"))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name+".template.json"), data, 0o644)
		artifacts[name] = map[string]any{"type": "aws:cloudformation:stack", "environment": v[1],
			"properties": map[string]any{"templateFile": name + ".template.json"}, "displayName": name}
	}
	m, _ := json.Marshal(map[string]any{"version": "48.0.0", "artifacts": artifacts})
	os.WriteFile(filepath.Join(dir, "manifest.json"), m, 0o644)
	return dir
}

func runAllDoctor(t *testing.T, f *fakeAWS, dir string, args ...string) run {
	t.Helper()
	testEnv(t)
	var out, errOut strings.Builder
	code := Main(t.Context(), append([]string{"--all", "--cdk-out", dir, "--endpoint-url", f.srv.URL}, args...), nil, &out, &errOut)
	return run{code, out.String(), errOut.String()}
}

func TestAllTargetsOneLineEach(t *testing.T) {
	exp, _ := loadGolden(t, "default")
	f := newFakeAWS(t)
	w := healthyWorld(exp, time.Now())
	w.roles = map[string]string{"arn:aws:iam::222222222222:role/Audit": "222222222222"}
	w.serve(f)
	dir := assembly(t, map[string][2]string{
		"Trailwatch-123456789012-us-east-1": {"default", "aws://123456789012/us-east-1"},
		"Trailwatch-222222222222-us-east-1": {"default", "aws://222222222222/us-east-1"},
		"Trailwatch-333333333333-eu-west-1": {"default", "aws://333333333333/eu-west-1"},
		"Trailwatch-StackSet":               {"stackset", "aws://123456789012/us-east-1"},
	})
	r := runAllDoctor(t, f, dir, "--role-name", "Audit")
	want := []string{
		"✓ Trailwatch-123456789012-us-east-1 (123456789012 us-east-1): all 45 checks passed",
		"✓ Trailwatch-222222222222-us-east-1 (222222222222 us-east-1): all 45 checks passed",
		"✗ Trailwatch-333333333333-eu-west-1 (333333333333 eu-west-1): not checked: credentials: ",
		"✗ Trailwatch-StackSet (123456789012 us-east-1): not checked: " + filepath.Join(dir, "Trailwatch-StackSet.template.json") + ": template: StackSetTrailwatch",
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), r.stdout)
	}
	for i := range want[:3] {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], want[i])
		}
	}
	mustContain(t, lines[2], "AccessDenied", "not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/Audit")
	mustContain(t, lines[3], "is a StackSet template; run doctor in each member account")
	if r.code != cli.ExitUsage {
		t.Errorf("exit %d, want 2 (a target could not be checked)", r.code)
	}
}

func TestAllTargetsFailureLine(t *testing.T) {
	exp, _ := loadGolden(t, "default")
	f := newFakeAWS(t)
	w := healthyWorld(exp, time.Now())
	w.trails[0].logging = false
	w.serve(f)
	dir := assembly(t, map[string][2]string{"Trailwatch": {"default", "aws://unknown-account/unknown-region"}})
	r := runAllDoctor(t, f, dir)
	mustContain(t, r.stdout, "✗ Trailwatch (caller's account default Region): 1 of 45 checks failed: trail.logging trailwatch (rerun with --template "+filepath.Join(dir, "Trailwatch.template.json")+" for the fixes)")
	if r.code != cli.ExitProblems {
		t.Errorf("exit %d, want 1", r.code)
	}
	r = runAllDoctor(t, f, dir, "--format", "json")
	var got struct{ Targets []TargetResult }
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Targets) != 1 || got.Targets[0].Report == nil || got.Targets[0].Report.Failed() != 1 {
		t.Errorf("json targets = %+v", got.Targets)
	}
}

func TestAllTargetsOtherAccountNeedsRole(t *testing.T) {
	exp, _ := loadGolden(t, "default")
	f := newFakeAWS(t)
	healthyWorld(exp, time.Now()).serve(f)
	dir := assembly(t, map[string][2]string{"Trailwatch-444444444444-us-east-1": {"default", "aws://444444444444/us-east-1"}})
	r := runAllDoctor(t, f, dir)
	mustContain(t, r.stdout, "✗ Trailwatch-444444444444-us-east-1 (444444444444 us-east-1): not checked: the credentials are for account 123456789012; pass --role-name ROLE to assume a role in 444444444444")
	if f.called("sts:AssumeRole") != 0 {
		t.Errorf("AssumeRole called without --role-name")
	}
}

// --concurrency bounds the targets checked at once, down to one at a time.
func TestAllTargetsBoundedConcurrency(t *testing.T) {
	for _, n := range []int32{1, 2} {
		exp, _ := loadGolden(t, "default")
		f := newFakeAWS(t)
		w := healthyWorld(exp, time.Now())
		w.roles = map[string]string{}
		stacks := map[string][2]string{}
		for i := range 6 {
			account := fmt.Sprintf("20000000000%d", i)
			w.roles["arn:aws:iam::"+account+":role/Audit"] = account
			stacks["Trailwatch-"+account+"-us-east-1"] = [2]string{"default", "aws://" + account + "/us-east-1"}
		}
		w.serve(f)
		r := runAllDoctor(t, f, assembly(t, stacks), "--role-name", "Audit", "--concurrency", fmt.Sprint(n))
		if r.code != cli.ExitOK {
			t.Fatalf("--concurrency %d: exit %d:\n%s%s", n, r.code, r.stdout, r.stderr)
		}
		if c := strings.Count(r.stdout, "✓"); c != 6 {
			t.Errorf("--concurrency %d: %d targets passed, want 6:\n%s", n, c, r.stdout)
		}
		if m := w.maxInflight.Load(); m > n {
			t.Errorf("%d targets checked at once, want at most --concurrency %d", m, n)
		}
	}
}

func TestAllUsageErrors(t *testing.T) {
	f := newFakeAWS(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--template", "x.json"}, "--all reads every stack of cdk.out; it takes no --template, --stack or --fire-drill"},
		{[]string{"--concurrency", "0"}, "--concurrency 0: must be at least 1"},
	} {
		r := runAllDoctor(t, f, t.TempDir(), c.args...)
		if r.code != cli.ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
	r := runAllDoctor(t, f, t.TempDir())
	mustContain(t, r.stderr, "manifest.json: no such file or directory; run cdk synth first")
}
