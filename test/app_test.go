package test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The app is run as `cdk synth` runs it: a process with the merged context in CDK_CONTEXT_JSON and
// the output directory in CDK_OUTDIR.
var (
	appOnce sync.Once
	appBin  string
	appErr  error
)

func appBinary(t *testing.T) string {
	t.Helper()
	appOnce.Do(func() {
		dir, err := os.MkdirTemp("", "trailwatch-app")
		if err != nil {
			appErr = err
			return
		}
		appBin = filepath.Join(dir, "trailwatch-app")
		out, err := exec.Command("go", "build", "-o", appBin, "..").CombinedOutput()
		if err != nil {
			appErr = errors.New(string(out))
		}
	})
	if appErr != nil {
		t.Fatalf("building the app: %v", appErr)
	}
	return appBin
}

type appRun struct {
	code           int
	stdout, stderr string
	outdir         string
}

// runApp runs the app with cdk.json's context plus overrides.
func runApp(t *testing.T, overrides map[string]any) appRun {
	t.Helper()
	raw, err := json.Marshal(cliContext(t, overrides))
	if err != nil {
		t.Fatal(err)
	}
	outdir := t.TempDir()
	cmd := exec.Command(appBinary(t))
	cmd.Env = append(os.Environ(), "CDK_CONTEXT_JSON="+string(raw), "CDK_OUTDIR="+outdir,
		"CDK_DEFAULT_ACCOUNT="+testAccount, "CDK_DEFAULT_REGION="+testRegion,
		"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return appRun{code: code, stdout: stdout.String(), stderr: stderr.String(), outdir: outdir}
}

// files lists everything under dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && path != dir {
			out = append(out, strings.TrimPrefix(path, dir+"/"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAppSynthesizesTheTemplate(t *testing.T) {
	r := runApp(t, map[string]any{"notificationEmails": "ops@example.com"})
	if r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	raw, err := os.ReadFile(filepath.Join(r.outdir, "Trailwatch.template.json"))
	if err != nil {
		t.Fatalf("no template: %v (cdk.out has %v)", err, files(t, r.outdir))
	}
	var tmpl map[string]any
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	// The app's template is the one the goldens pin (the app adds only what the CLI's context adds).
	var want, got any
	roundTrip(t, defaultFixture(t).json, &want)
	roundTrip(t, tmpl, &got)
	if diff := cmp.Diff(stripBootstrap(t, want), stripBootstrap(t, got)); diff != "" {
		t.Errorf("the app's template differs from the default fixture's (-fixture +app):\n%s", diff)
	}
}

// stripBootstrap drops what canonical drops, so two syntheses compare on what we own.
func stripBootstrap(t *testing.T, tmpl any) any {
	var out any
	if err := json.Unmarshal(canonical(t, tmpl.(map[string]any)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// Bad input stops the app with one line on stderr that names the key, the bad value and what is
// allowed, a non-zero exit, and nothing in cdk.out.
func TestAppFailsOnBadInputAndWritesNothing(t *testing.T) {
	cases := []struct {
		name      string
		overrides map[string]any
		want      []string // every one must be on the line
	}{
		{"missing email", map[string]any{}, []string{"notificationEmails", "required", "email addresses"}},
		{"malformed email", map[string]any{"notificationEmails": "bob@"}, []string{"notificationEmails", `"bob@"`, "not an email address", "allowed: one or more email addresses"}},
		{"unknown managementEvents", map[string]any{"notificationEmails": "a@example.com", "managementEvents": "ReadOnly"}, []string{"managementEvents", `"ReadOnly"`, "allowed: WriteOnly, All"}},
		{"retention not accepted", map[string]any{"notificationEmails": "a@example.com", "logRetentionDays": "45"}, []string{"logRetentionDays", `"45"`, "allowed: never, or 1, 3, 5"}},
		{"retention 17 (it once became 731)", map[string]any{"notificationEmails": "a@example.com", "logRetentionDays": "17"}, []string{`logRetentionDays: "17" is not a retention CloudWatch Logs accepts; allowed: never, or 1, 3, 5, 7, 14, 30, 60`}},
		{"email without @", map[string]any{"notificationEmails": "ops.example.com"}, []string{`notificationEmails: "ops.example.com" is not an email address; allowed: one or more email addresses`}},
		{"negative days", map[string]any{"notificationEmails": "a@example.com", "bucketTransitionDays": "-1"}, []string{"bucketTransitionDays", `"-1"`, "allowed: a whole number of days >= 0"}},
		{"non-numeric days", map[string]any{"notificationEmails": "a@example.com", "bucketExpirationDays": "ten"}, []string{"bucketExpirationDays", `"ten"`, "allowed: a whole number of days >= 0"}},
		{"typo of a key", map[string]any{"notificationEmails": "a@example.com", "managmentEvents": "All"}, []string{"managmentEvents", `"All"`, "did you mean managementEvents?"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runApp(t, c.overrides)
			if r.code == 0 {
				t.Fatalf("exit 0, want non-zero; stderr:\n%s", r.stderr)
			}
			lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
			if len(lines) != 1 {
				t.Fatalf("stderr has %d lines, want 1:\n%s", len(lines), r.stderr)
			}
			if !strings.HasPrefix(lines[0], "trailwatch: ") {
				t.Errorf("stderr line %q does not start with \"trailwatch: \"", lines[0])
			}
			for _, w := range c.want {
				if !strings.Contains(lines[0], w) {
					t.Errorf("stderr line %q does not contain %q", lines[0], w)
				}
			}
			if got := files(t, r.outdir); len(got) != 0 {
				t.Errorf("cdk.out is not empty after a config error: %v", got)
			}
			if r.stdout != "" {
				t.Errorf("stdout is not empty: %q", r.stdout)
			}
		})
	}
}

// Several problems, in the context and in a targets file, give one stderr line each, every one
// prefixed and whole (a target's problem names the file, the target and the key).
func TestAppPrintsOneLinePerProblem(t *testing.T) {
	targets := filepath.Join(t.TempDir(), "targets.yaml")
	if err := os.WriteFile(targets, []byte("targets:\n  - {account: \"123456789012\", region: us-east-1, language: fr}\n  - {account: \"210987654321\", region: eu-west-1, trailName: \"-x\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runApp(t, map[string]any{"notificationEmails": "a@example.com", "targetsFile": targets})
	want := []string{
		"trailwatch: targetsFile: " + targets + `: line 2: target 1 (123456789012/us-east-1): language: "fr" is not a supported language; allowed: en, ja`,
		"trailwatch: targetsFile: " + targets + `: line 3: target 2 (210987654321/eu-west-1): trailName: "-x" is not a valid CloudTrail trail name; allowed: 3-128 letters`,
	}
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if r.code == 0 || len(lines) != len(want) {
		t.Fatalf("exit %d, stderr has %d lines, want non-zero and %d:\n%s", r.code, len(lines), len(want), r.stderr)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("stderr line %d:\n  %s\nwant it to start with\n  %s", i+1, lines[i], w)
		}
	}
	if got := files(t, r.outdir); len(got) != 0 {
		t.Errorf("cdk.out is not empty after a config error: %v", got)
	}
}

// -c nag=true applies the AwsSolutions pack in the app itself: synth passes and the report is in cdk.out.
func TestAppAppliesNagOnRequest(t *testing.T) {
	r := runApp(t, map[string]any{"notificationEmails": "ops@example.com", "nag": "true"})
	if r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	reports, _ := filepath.Glob(filepath.Join(r.outdir, "AwsSolutions-*Trailwatch-NagReport.json"))
	if len(reports) != 1 {
		t.Errorf("found %d cdk-nag reports in cdk.out (%v), want 1", len(reports), files(t, r.outdir))
	}
	plain := runApp(t, map[string]any{"notificationEmails": "ops@example.com"})
	if reports, _ := filepath.Glob(filepath.Join(plain.outdir, "AwsSolutions-*")); len(reports) != 0 {
		t.Errorf("cdk-nag ran without nag=true: %v", reports)
	}
}

// Hostile configuration (issue 11) through the app binary: each stops with exit status 1, one
// prefixed line naming the key or file and what is allowed, nothing on stdout, nothing in cdk.out
// — never a panic from the CDK or from JSON encoding.
func TestAppRefusesHostileConfigAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		path := filepath.Join(dir, name)
		writeTestFile(t, path, content)
		return path
	}
	emails := make([]string, 447)
	for i := range emails {
		emails[i] = fmt.Sprintf("a%d@example.com", i)
	}
	inf := file("inf.yaml", "alarms:\n  - {id: A, pattern: '{ $.a = 1 }', threshold: .inf, description: x}\n")
	second := file("second.yaml", "alarms:\n  - {id: A, pattern: '{ $.a = 1 }', threshold: 1, description: x}\n---\nalarms: []\n")
	dup := file("dup.json", "{\"targets\": [{\"account\": \"123456789012\", \"region\": \"us-east-1\",\n \"account\": \"210987654321\"}]}")
	cases := []struct {
		name      string
		overrides map[string]any
		want      string // the whole line
	}{
		{"501 resources", map[string]any{"notificationEmails": strings.Join(emails, ",")},
			"trailwatch: notificationEmails: has 447 addresses, one subscription each, which with the stack's other 54 resources make 501; allowed: at most 500 resources per stack (CloudFormation's limit): at most 446 addresses with these alarms, or a mailing list address"},
		{"threshold .inf", map[string]any{"notificationEmails": "ops@example.com", "alarmsFile": inf},
			"trailwatch: alarmsFile: " + inf + `: line 2: alarm 1 (A): threshold: ".inf" is not a finite number; allowed: a number greater than 0, such as 1 (events in one period)`},
		{"alarms file /dev/zero", map[string]any{"notificationEmails": "ops@example.com", "alarmsFile": "/dev/zero"},
			"trailwatch: alarmsFile: /dev/zero: is a device, pipe or socket, not a regular file; allowed: a path to a JSON or YAML file"},
		{"second YAML document", map[string]any{"notificationEmails": "ops@example.com", "alarmsFile": second},
			"trailwatch: alarmsFile: " + second + ": line 4: a second YAML document starts here (---); allowed: one document per file"},
		{"duplicate key in a JSON targets file", map[string]any{"targetsFile": dup},
			"trailwatch: targetsFile: " + dup + `: line 2: key "account" is given twice (first on line 1); allowed: each key once`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runApp(t, c.overrides)
			if r.code != 1 {
				t.Errorf("exit %d, want 1", r.code)
			}
			if got := strings.TrimRight(r.stderr, "\n"); got != c.want {
				t.Errorf("stderr:\n  %s\nwant:\n  %s", got, c.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout is not empty: %q", r.stdout)
			}
			if got := files(t, r.outdir); len(got) != 0 {
				t.Errorf("cdk.out is not empty after a config error: %v", got)
			}
		})
	}
}
