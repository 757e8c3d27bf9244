package stacks

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/trailwatch/trailwatch/internal/config"
)

// A go.mod names this module only in its module directive, quoted or not; the first directive
// decides, and lines before it (comments, blank lines, a lone word) do not.
func TestDeclaresModule(t *testing.T) {
	for _, c := range []struct {
		gomod string
		want  bool
	}{
		{"module github.com/trailwatch/trailwatch\n\ngo 1.26\n", true},
		{"module \"github.com/trailwatch/trailwatch\"\n", true},
		{"// the trailwatch module\n\nmodule github.com/trailwatch/trailwatch // ours\n", true},
		{"module\nmodule github.com/trailwatch/trailwatch\n", true},
		{"go 1.26\nmodule github.com/trailwatch/trailwatch\n", true},
		{"module example.com/other\nmodule github.com/trailwatch/trailwatch\n", false},
		{"module github.com/trailwatch/trailwatch/v2\n", false},
		{"require github.com/trailwatch/trailwatch v1.0.0\n", false},
		{"", false},
	} {
		if got := declaresModule(c.gomod); got != c.want {
			t.Errorf("declaresModule(%q) = %v, want %v", c.gomod, got, c.want)
		}
	}
}

// freshNotifyBuild forgets the function built so far, so NotifyCodeDir builds again, and does so
// again when the test ends.
func freshNotifyBuild(t *testing.T) {
	t.Helper()
	reset := func() { notifyBuild.once, notifyBuild.dir, notifyBuild.err = sync.Once{}, "", nil }
	reset()
	t.Cleanup(func() {
		RemoveNotifyBuild()
		reset()
	})
}

// Run from outside the checkout, the app says what to do instead of building some other module,
// and BuildAll names the target whose stack could not be built.
func TestNotifyCodeOutsideTheCheckout(t *testing.T) {
	freshNotifyBuild(t)
	t.Chdir(t.TempDir())
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	want := "building the alarm-email function: no go.mod of module github.com/trailwatch/trailwatch at or above " + wd +
		"; run the app from the trailwatch checkout, or set -c notifications=plain"
	dir, err := NotifyCodeDir()
	if !errors.Is(err, ErrNotifyBuild) || err.Error() != want || dir != "" {
		t.Errorf("NotifyCodeDir() = %q, %v; want no directory and %q", dir, err, want)
	}
	target := config.Target{Name: "Trailwatch-123456789012-us-east-1", Stack: config.Stack{Notifications: config.Enriched}}
	out, err := BuildAll(nil, []config.Target{target})
	if !errors.Is(err, ErrNotifyBuild) || err.Error() != target.Name+": "+want || out != nil {
		t.Errorf("BuildAll = %v, %v; want no stacks and the target's name before %q", out, err, want)
	}
}

// Without a temporary directory, neither the function nor a StackSet's member template can be
// built, and each says why.
func TestWithoutATempDir(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	freshNotifyBuild(t)
	t.Setenv("TMPDIR", missing)
	want := "stat " + missing + ": no such file or directory"
	dir, err := NotifyCodeDir()
	if !errors.Is(err, ErrNotifyBuild) || err.Error() != "building the alarm-email function: "+want || dir != "" {
		t.Errorf("NotifyCodeDir() = %q, %v; want no directory and %q", dir, err, want)
	}
	member, err := MemberTemplate(nil, config.Stack{})
	if err == nil || err.Error() != want || member != nil {
		t.Errorf("MemberTemplate = %v, %v; want no template and %q", member, err, want)
	}
	set := config.Target{Name: "Trailwatch-123456789012-us-east-1-StackSet", StackSet: config.StackSet{OUs: []string{"ou-ab12-cdef3456"}}}
	stack, err := Build(nil, set)
	if err == nil || err.Error() != want || stack != nil {
		t.Errorf("Build(StackSet target) = %v, %v; want no stack and %q", stack, err, want)
	}
}

// A checkout whose function does not compile is reported with the compiler's command, and the
// directory made for the build is removed.
func TestNotifyCodeThatDoesNotBuild(t *testing.T) {
	tmp := t.TempDir()
	module := t.TempDir()
	if err := os.WriteFile(filepath.Join(module, "go.mod"), []byte("module github.com/trailwatch/trailwatch\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	freshNotifyBuild(t)
	t.Chdir(module)
	t.Setenv("TMPDIR", tmp)
	dir, err := NotifyCodeDir()
	if !errors.Is(err, ErrNotifyBuild) || !strings.HasPrefix(err.Error(), "building the alarm-email function: building the notification function: go build ") || dir != "" {
		t.Errorf("NotifyCodeDir() = %q, %v; want no directory and the build error", dir, err)
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "trailwatch-alarm-email-*"))
	if len(left) != 0 {
		t.Errorf("a failed build left %v behind", left)
	}
}

// Once the app has synthesized, the built function is deleted.
func TestRemoveNotifyBuild(t *testing.T) {
	freshNotifyBuild(t)
	RemoveNotifyBuild() // nothing built: nothing to do
	notifyBuild.dir = filepath.Join(t.TempDir(), "built")
	if err := os.Mkdir(notifyBuild.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(notifyBuild.dir, "bootstrap"), []byte("binary"), 0o755); err != nil {
		t.Fatal(err)
	}
	RemoveNotifyBuild()
	if _, err := os.Stat(notifyBuild.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after RemoveNotifyBuild, %s: %v; want it gone", notifyBuild.dir, err)
	}
}

// A Glue database name takes lower-case letters, digits and '_': capitals are lowered, anything
// else (the '.' and '-' a trail name may hold, and the characters next to each allowed range)
// becomes '_'.
func TestGlueName(t *testing.T) {
	for in, want := range map[string]string{
		"trailwatch":      "trailwatch",
		"Org.Trail_AZ-09": "org_trail_az_09",
		"azAZ09_":         "azaz09_",
		"`{/:@[":          "______",
		"é":               "_",
	} {
		if got := glueName(in); got != want {
			t.Errorf("glueName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Descriptions are cut at a number of characters, not bytes.
func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{{"ééé", 2, "éé"}, {"éé", 2, "éé"}, {"é", 2, "é"}, {"", 2, ""}} {
		if got := truncate(c.in, c.n); got != c.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

// A StackSet needs CAPABILITY_IAM exactly when its member template has an IAM resource.
func TestHasIAM(t *testing.T) {
	res := func(types ...string) map[string]any {
		r := map[string]any{}
		for i, typ := range types {
			r[string(rune('A'+i))] = map[string]any{"Type": typ}
		}
		return map[string]any{"Resources": r}
	}
	for _, c := range []struct {
		tmpl map[string]any
		want bool
	}{
		{res("AWS::SNS::Topic", "AWS::KMS::Key", "AWS::Logs::MetricFilter"), false},
		{res("AWS::SNS::Topic", "AWS::IAM::Role", "AWS::Logs::MetricFilter"), true},
		{res("AWS::IAM::Policy"), true},
		{map[string]any{}, false},
	} {
		if got := hasIAM(c.tmpl); got != c.want {
			t.Errorf("hasIAM(%v) = %v, want %v", c.tmpl, got, c.want)
		}
	}
}

// A working directory that no longer exists is reported as such, not searched from nowhere.
func TestModuleRootWithoutAWorkingDirectory(t *testing.T) {
	gone := filepath.Join(t.TempDir(), "gone")
	if err := os.Mkdir(gone, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(gone)
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	root, err := moduleRoot()
	if !errors.Is(err, os.ErrNotExist) || strings.Contains(err.Error(), "no go.mod") || root != "" {
		t.Errorf("moduleRoot() in a removed directory = %q, %v; want the working directory's error", root, err)
	}
}

// Every retention config accepts has its own CDK name, and nothing else does: a missing one would
// reach the CDK as no retention at all and take the CDK's default (two years), whatever was asked.
func TestEveryAcceptedRetentionHasACDKName(t *testing.T) {
	want := map[int]bool{0: true} // 0: never expire
	for _, d := range config.RetentionDays {
		want[d] = true
	}
	for d := range want {
		if retention[d] == "" {
			t.Errorf("logRetentionDays %d has no CDK RetentionDays", d)
		}
	}
	for d := range retention {
		if !want[d] {
			t.Errorf("stacks.retention has %d, which config does not accept", d)
		}
	}
	if retention[731] != "TWO_YEARS" || retention[0] != "INFINITE" {
		t.Errorf("retention[731] = %q, retention[0] = %q; want TWO_YEARS and INFINITE", retention[731], retention[0])
	}
}
