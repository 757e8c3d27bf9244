package test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cdkCLIVersion is the aws-cdk CLI the README's commands and CI use.
const cdkCLIVersion = "2.1148.1"

// cdkCLI runs the README's synth command through the real CDK CLI (npx --yes aws-cdk@VERSION), in the
// repository root, with cdk.out in a temporary directory. CI (.ci/run) sets
// TRAILWATCH_REQUIRE_CDK_CLI=1 so a missing npx fails instead of skipping.
func cdkCLI(t *testing.T, args ...string) (code int, stdout, stderr, outdir string) {
	t.Helper()
	npx, err := exec.LookPath("npx")
	if err != nil {
		if os.Getenv("TRAILWATCH_REQUIRE_CDK_CLI") == "1" {
			t.Fatal("npx is not on PATH, and TRAILWATCH_REQUIRE_CDK_CLI=1")
		}
		t.Skip("npx is not on PATH: the end-to-end runs of the CDK CLI need Node and npm")
	}
	outdir = t.TempDir()
	// --no-notices: the CLI fetches a live notices feed, and its wording must not decide a test.
	cmd := exec.Command(npx, append([]string{"--yes", "aws-cdk@" + cdkCLIVersion}, append(args, "--no-notices", "--output", outdir)...)...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "CDK_DEFAULT_ACCOUNT="+testAccount, "CDK_DEFAULT_REGION="+testRegion,
		"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1",
		"CDK_DISABLE_CLI_TELEMETRY=true")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String(), outdir
}

// The README's synth command prints a template with exactly the stack's resources: ten alarms,
// and the alarm-email function (built by the app itself, staged in cdk.out); it shows the
// WriteOnly warning, and no feature-flag notice.
func TestCLISynthPrintsTheTemplate(t *testing.T) {
	code, stdout, stderr, outdir := cdkCLI(t, "synth", "-c", "notificationEmails=you@example.com")
	if code != 0 {
		t.Fatalf("cdk synth exit %d:\n%s", code, stderr)
	}
	types := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^    Type: (AWS::\S+)$`).FindAllStringSubmatch(yamlSection(stdout, "Resources"), -1) {
		types[m[1]]++
	}
	want := map[string]int{
		"AWS::S3::Bucket": 2, "AWS::S3::BucketPolicy": 2, "AWS::CloudTrail::Trail": 1,
		"AWS::KMS::Key": 1, "AWS::KMS::Alias": 1,
		"AWS::Logs::LogGroup": 1, "AWS::IAM::Role": 1, "AWS::IAM::Policy": 1,
		"AWS::SNS::Topic": 1, "AWS::SNS::TopicPolicy": 1, "AWS::SNS::Subscription": 1,
		"AWS::Logs::MetricFilter": 10 + 5, "AWS::CloudWatch::Alarm": 10 + 5, // AWS's ten and the five tamper rows
		"AWS::CDK::Metadata": 1, // the CLI's version reporting
	}
	// notifications=enriched (the default): the email topic with its policy and subscription, the
	// function's subscription to the alarm topic, its role, log group, queue and two alarms.
	for typ, n := range map[string]int{"AWS::SNS::Topic": 1, "AWS::SNS::TopicPolicy": 1, "AWS::SNS::Subscription": 1,
		"AWS::Lambda::Function": 1, "AWS::Lambda::Permission": 1, "AWS::Lambda::EventInvokeConfig": 1,
		"AWS::IAM::Role": 1, "AWS::Logs::LogGroup": 1, "AWS::SQS::Queue": 1, "AWS::SQS::QueuePolicy": 1, "AWS::CloudWatch::Alarm": 2} {
		want[typ] += n
	}
	equal(t, "resource types printed by cdk synth", types, want)
	if !strings.Contains(stderr, "managementEvents is WriteOnly") {
		t.Errorf("cdk synth did not warn about the WriteOnly trail; stderr:\n%s", stderr)
	}
	if strings.Contains(strings.ToLower(stderr), "feature flag") {
		t.Errorf("cdk synth printed a feature-flag notice; cdk.json should carry the recommended flags:\n%s", stderr)
	}
	// Near-copy of athena_test.go's template read: each test reads its own synth output.
	raw, err := os.ReadFile(filepath.Join(outdir, "Trailwatch.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	if len(tmpl["Resources"].(map[string]any)) != 44+12 {
		t.Errorf("cdk.out template has %d resources, want 56 (44, and the alarm-email function's 12)", len(tmpl["Resources"].(map[string]any)))
	}
	// The function's code is staged in cdk.out: a directory holding only the bootstrap binary.
	staged, _ := filepath.Glob(filepath.Join(outdir, "asset.*", "*"))
	if len(staged) != 1 || filepath.Base(staged[0]) != "bootstrap" {
		t.Errorf("cdk.out assets %v, want one asset.HASH/bootstrap", staged)
	} else if st, err := os.Stat(staged[0]); err != nil || st.Size() < 1<<20 || st.Mode()&0o111 == 0 {
		t.Errorf("staged bootstrap %v: not an executable of a few MB (%v)", st, err)
	}
}

// yamlSection returns the lines of a top-level section of a YAML document.
func yamlSection(doc, key string) string {
	var b strings.Builder
	in := false
	for _, line := range strings.Split(doc, "\n") {
		if line != "" && line[0] != ' ' {
			in = line == key+":"
			continue
		}
		if in {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func TestCLIRejectsBadInputBeforeWriting(t *testing.T) {
	code, stdout, stderr, outdir := cdkCLI(t, "synth", "-c", "notificationEmails=you@example.com", "-c", "managementEvents=Everything")
	if code == 0 {
		t.Fatalf("cdk synth succeeded with a bad managementEvents; stdout:\n%s", stdout)
	}
	var ours []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "trailwatch: ") {
			ours = append(ours, line)
		}
	}
	want := `trailwatch: managementEvents: "Everything" is not a management event selection; allowed: WriteOnly, All`
	if len(ours) != 1 || ours[0] != want {
		t.Errorf("trailwatch lines on stderr = %q, want exactly [%q]; stderr:\n%s", ours, want, stderr)
	}
	if got := files(t, outdir); len(got) != 0 {
		t.Errorf("cdk.out has %v after a config error, want nothing", got)
	}
}

func TestREADMEUsesThePinnedCLI(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// --yes: npx installs without asking, so the command also runs where nobody can answer (CI).
	if !bytes.Contains(raw, []byte("npx --yes aws-cdk@"+cdkCLIVersion+" synth -c notificationEmails=")) {
		t.Errorf("README.md does not show `npx --yes aws-cdk@%s synth -c notificationEmails=...`", cdkCLIVersion)
	}
}
