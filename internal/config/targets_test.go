package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func names(targets []Target) []string {
	var out []string
	for _, t := range targets {
		out = append(out, t.Name)
	}
	return out
}

func TestSingleTargetWithoutAFile(t *testing.T) {
	targets, err := Load(map[string]any{"notificationEmails": "a@example.com"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(names(targets), []string{"Trailwatch"}) {
		t.Errorf("got %v", names(targets))
	}
	targets, err = Load(map[string]any{"notificationEmails": "a@example.com", "stackSetOrganizationalUnits": "r-ab12", "region": "us-east-1"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(names(targets), []string{"TrailwatchStackSet"}) {
		t.Errorf("got %v", names(targets))
	}
}

func TestExampleTargetsFile(t *testing.T) {
	targets, err := Load(map[string]any{"targetsFile": "../../examples/targets.yaml", "managementEvents": "All", "logRetentionDays": 365.0},
		env(map[string]string{"CDK_DEFAULT_ACCOUNT": "999999999999", "CDK_DEFAULT_REGION": "ap-south-1"}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Trailwatch-111111111111-us-east-1", "Trailwatch-222222222222-us-east-1", "Trailwatch-555555555555-us-east-1",
		"Trailwatch-555555555555-eu-west-1", "Trailwatch-333333333333-eu-west-1", "Trailwatch-444444444444-us-east-1-StackSet"}
	if got := names(targets); !reflect.DeepEqual(got, want) {
		t.Fatalf("stacks %v, want %v", got, want)
	}
	org, workload, staging, stackSet := targets[0], targets[1], targets[4], targets[5]
	if alarmsOnly := targets[3]; alarmsOnly.ExistingLogGroupName != "CloudTrail/regional" || alarmsOnly.Region != "eu-west-1" {
		t.Errorf("alarms-only target: %+v", alarmsOnly)
	}
	if !org.OrganizationTrail || org.OrganizationID != "o-a1b2c3d4e5" || !org.AccountDimension || org.Environment != "production" {
		t.Errorf("organization target: %+v", org)
	}
	if !reflect.DeepEqual(workload.NotificationEmails, []string{"security@example.com", "payments-oncall@example.com"}) ||
		workload.Account != "222222222222" || workload.Region != "us-east-1" || len(workload.Alarms) != 16 {
		t.Errorf("workload target: emails %v, %s/%s, %d alarms", workload.NotificationEmails, workload.Account, workload.Region, len(workload.Alarms))
	}
	// Precedence: the target's own keys, then defaults, then the context (cdk.json and -c).
	if staging.ManagementEvents != WriteOnly || !reflect.DeepEqual(staging.ProfileNames(), []string{"aws"}) || staging.Environment != "staging" {
		t.Errorf("staging target: %s, %v, %s", staging.ManagementEvents, staging.AlarmProfiles, staging.Environment)
	}
	if workload.ManagementEvents != All || workload.LogRetentionDays != 365 {
		t.Errorf("context keys not inherited: %s, %d", workload.ManagementEvents, workload.LogRetentionDays)
	}
	if !reflect.DeepEqual(stackSet.StackSet.OUs, []string{"ou-b2c3-sandbox1"}) || stackSet.StackSet.MaxConcurrency != 10 || stackSet.StackSet.FailureTolerance != 2 {
		t.Errorf("StackSet target: %+v", stackSet)
	}
}

func TestOnlyEnvironment(t *testing.T) {
	if _, err := Load(map[string]any{"notificationEmails": "a@example.com", "onlyEnvironment": "production"}, noEnv); err == nil ||
		err.Error() != `onlyEnvironment: "production" is set without targetsFile; allowed: onlyEnvironment with -c targetsFile=... (it picks targets of the file)` {
		t.Errorf("without a targets file: %v", err)
	}
	targets, err := Load(map[string]any{"targetsFile": "../../examples/targets.yaml", "onlyEnvironment": "staging"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(targets); !reflect.DeepEqual(got, []string{"Trailwatch-333333333333-eu-west-1"}) {
		t.Errorf("staging: %v", got)
	}
	_, err = Load(map[string]any{"targetsFile": "../../examples/targets.yaml", "onlyEnvironment": "prod"}, noEnv)
	if err == nil || err.Error() != `onlyEnvironment: "prod" matches no target of ../../examples/targets.yaml; allowed: one of production, staging` {
		t.Errorf("got %v", err)
	}
}

// Every bad targets file is rejected; each problem is one line naming the file and the target.
func TestFailsOnBadTargetsFile(t *testing.T) {
	const ok = "  - {account: \"123456789012\", region: us-east-1}\n"
	cases := []struct {
		name, file, content string
		want                []string
	}{
		{"missing file", "", "", []string{`cannot be read: no such file or directory`}},
		{"not YAML", "t.yaml", "targets: [", []string{`line 1: is not valid YAML: did not find expected node content`}},
		{"no targets", "t.yaml", "defaults: {}\n", []string{`has no targets (want a top-level "targets" list with at least one entry)`}},
		{"unknown top-level key", "t.yaml", "target:\n" + ok, []string{`line 1: "target" is not a top-level key of a targets file; did you mean targets? allowed: defaults, targets`}},
		{"typo in defaults", "t.yaml", "defaults: {notificationEmail: a@example.com}\ntargets:\n" + ok, []string{
			`line 1: defaults: notificationEmail: is not a trailwatch key; did you mean notificationEmails?`}},
		{"a global key in a target", "t.yaml", "targets:\n  - {account: \"123456789012\", region: us-east-1, onlyEnvironment: x}\n", []string{
			`line 2: target 1 (123456789012/us-east-1): onlyEnvironment: is not a trailwatch key; onlyEnvironment is read from the command line or cdk.json only`}},
		{"account in defaults", "t.yaml", "defaults: {account: \"123456789012\"}\ntargets:\n" + ok, []string{
			`line 1: defaults: account: belongs to each target; allowed: account on every entry of targets`}},
		{"regions in defaults", "t.yaml", "defaults: {regions: [us-east-1, us-west-2], existingLogGroupName: CloudTrail/x}\ntargets:\n  - {account: \"123456789012\"}\n  - {account: \"123456789012\", region: us-west-2}\n", []string{
			`line 4: target 2 (123456789012/us-west-2): makes stack Trailwatch-123456789012-us-west-2 again (target 1 does); allowed: each account and Region once (a StackSet target may share them)`}},
		{"two trails in one account", "t.yaml", "targets:\n  - {account: \"123456789012\", regions: [us-east-1, eu-west-1]}\n", []string{
			`line 2: target 1 (123456789012/eu-west-1): makes a second trail in account 123456789012 (target 1 (123456789012/us-east-1) makes one); allowed: one full stack per account, since its multi-Region trail records every Region (alarms elsewhere: existingLogGroupName)`}},
		{"unknown key in a target", "t.yaml", "targets:\n  - {account: \"123456789012\", region: us-east-1, vpc: x}\n", []string{
			"line 2: target 1 (123456789012/us-east-1): vpc: is not a trailwatch key; allowed: " + strings.Join(KeyNames(), ", ")}},
		{"no region", "t.yaml", "targets:\n  - {account: \"123456789012\"}\n", []string{
			`line 2: target 1 (123456789012/): region: required but not set; allowed: an AWS Region code (or regions: [a list])`}},
		{"region and regions", "t.yaml", "targets:\n  - {account: \"123456789012\", region: us-east-1, regions: [eu-west-1]}\n", []string{
			`line 2: target 1 (123456789012/): region and regions are both set; allowed: one of them`}},
		{"no account", "t.yaml", "targets:\n  - {region: us-east-1}\n", []string{
			`line 2: target 1 (?/us-east-1): account: required but not set; allowed: a 12-digit AWS account ID`}},
		{"bad value in a target", "t.yaml", "targets:\n" + ok + "  - {account: \"210987654321\", region: eu-west-1, managementEvents: Reads}\n", []string{
			`line 3: target 2 (210987654321/eu-west-1): managementEvents: "Reads" is not a management event selection; allowed: WriteOnly, All`}},
		{"bad account", "t.yaml", "targets:\n  - {account: \"12345\", region: us-east-1}\n", []string{
			`line 2: target 1 (12345/us-east-1): account: "12345" is not an AWS account ID; allowed: a 12-digit AWS account ID`}},
		{"numeric account", "t.yaml", "targets:\n  - {account: 123456789012, region: us-east-1}\n", []string{
			`line 2: target 1 (123456789012/us-east-1): account: 123456789012 is not a text (in a YAML or JSON file, put it in quotes); allowed: a 12-digit AWS account ID`}},
		{"duplicate target", "t.yaml", "targets:\n" + ok + ok, []string{
			`line 3: target 2 (123456789012/us-east-1): makes stack Trailwatch-123456789012-us-east-1 again (target 1 does); allowed: each account and Region once (a StackSet target may share them)`}},
		// A problem is at the line of its key: the target's, else the defaults', else the target's own.
		{"a bad value on its own line", "t.yaml", "targets:\n  - account: \"210987654321\"\n    region: eu-west-1\n    managementEvents: Reads\n", []string{
			`line 4: target 1 (210987654321/eu-west-1): managementEvents: "Reads" is not a management event selection; allowed: WriteOnly, All`}},
		{"a bad value on its own line of the defaults", "t.yaml", "defaults:\n  trailName: trail\n  language: fr\ntargets:\n" + ok, []string{
			`line 3: target 1 (123456789012/us-east-1): language: "fr" is not a supported language; allowed: en, ja (alarm descriptions and the topic's display name in Japanese)`}},
		{"a target's value over the defaults'", "t.yaml", "defaults:\n  language: en\ntargets:\n  - account: \"123456789012\"\n    region: us-east-1\n    language: fr\n", []string{
			`line 6: target 1 (123456789012/us-east-1): language: "fr" is not a supported language; allowed: en, ja (alarm descriptions and the topic's display name in Japanese)`}},
		{"bad regions in the defaults", "t.yaml", "defaults:\n  existingLogGroupName: CloudTrail/x\n  regions: 5\ntargets:\n  - account: \"123456789012\"\n", []string{
			`line 3: target 1 (123456789012/): regions: 5 is not a list of Region codes`}},
		{"a missing account", "t.yaml", "targets:\n" + ok + "  - region: us-east-1\n    trailName: x2x\n", []string{
			`line 3: target 2 (?/us-east-1): account: required but not set; allowed: a 12-digit AWS account ID`}},
		{"bad value in defaults, each target told", "t.yaml", "defaults: {language: fr}\ntargets:\n" + ok, []string{
			`line 1: target 1 (123456789012/us-east-1): language: "fr" is not a supported language; allowed: en, ja (alarm descriptions and the topic's display name in Japanese)`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "missing.yaml")
			if c.file != "" {
				path = writeFile(t, c.file, c.content)
			}
			_, err := Load(map[string]any{"targetsFile": path, "notificationEmails": "a@example.com"}, noEnv)
			// Near-copy of alarmsfile_test.go's line check: each file kind has its own sentinel
			// error and prefix.
			if !errors.Is(err, ErrTargetsFile) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrTargetsFile and ErrInvalid", err)
			}
			lines := lines(err)
			if len(lines) != len(c.want) {
				t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(c.want), err)
			}
			for i, w := range c.want {
				prefix := "targetsFile: " + path + ": "
				if lines[i] != prefix+w {
					t.Errorf("line %d:\n  got  %s\n  want %s", i+1, lines[i], prefix+w)
				}
			}
		})
	}
}

// Fifty targets parse quickly: the targets file is not what makes a big synth slow.
func BenchmarkLoadFiftyTargets(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("defaults: {notificationEmails: ops@example.com, alarmProfile: \"aws,cis\"}\ntargets:\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&sb, "  - {account: \"%012d\", region: us-east-1}\n", 100000000000+i)
	}
	path := filepath.Join(b.TempDir(), "t.yaml")
	if err := writeFileB(path, sb.String()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Load(map[string]any{"targetsFile": path}, noEnv); err != nil {
			b.Fatal(err)
		}
	}
}

func writeFileB(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }
