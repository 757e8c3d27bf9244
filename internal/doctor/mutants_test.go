package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// A manifest.json that is not JSON is a template error naming the file, not an empty list.
func TestReadManifestRejectsBadJSON(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(dir)
	if !errors.Is(err, ErrTemplate) || !strings.Contains(err.Error(), dir+"/manifest.json: ") || got != nil {
		t.Errorf("ReadManifest = %v, %v; want nil and ErrTemplate naming %s/manifest.json", got, err, dir)
	}
}

// rowID reads the row and the resource kind after "Alarms" in a construct path; a path ending
// at "Alarms" names no row.
func TestRowIDFromConstructPath(t *testing.T) {
	for path, want := range map[string][2]string{
		"Stack/Alarms/RootUsage/Alarm/Resource":  {"RootUsage", "Alarm"},
		"Stack/Alarms/RootUsage":                 {"RootUsage", ""},
		"Stack/Alarms/RootUsage/Filter":          {"RootUsage", "Filter"},
		"Stack/Alarms":                           {"", ""},
		"Stack/Trail/Resource":                   {"", ""},
		"Alarms/Alarms/RootUsage/Alarm/Resource": {"RootUsage", "Alarm"}, // a stack named Alarms
		"Alarms/Trail/Resource":                  {"", ""},
	} {
		row, kind := rowID(path)
		if row != want[0] || kind != want[1] {
			t.Errorf("rowID(%q) = %q, %q; want %q, %q", path, row, kind, want[0], want[1])
		}
	}
}

// shellQuote leaves a word of safe characters as it is and quotes anything else.
func TestShellQuote(t *testing.T) {
	safe := "-_./:=@09azAZ"
	for _, c := range safe {
		if got := shellQuote(string(c)); got != string(c) {
			t.Errorf("shellQuote(%q) = %q, want it bare", c, got)
		}
	}
	for in, want := range map[string]string{"": "''", "a b": "'a b'", "it's": `'it'\''s'`, "$x": "'$x'", "a\tb": "'a\tb'", "[": "'['", "`": "'`'", "{": "'{'"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

// Without --template the newest cdk.out/*.template.json is read; of two written at the same
// time, the first by name (so the choice does not depend on the file system's order).
func TestLoadTemplateTakesTheNewest(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cdk.out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i, name := range []string{"A.template.json", "B.template.json", "C.template.json"} {
		p := filepath.Join(out, name)
		if err := os.WriteFile(p, []byte(`{"Resources": {}}`), 0o644); err != nil {
			t.Fatal(err)
		}
		mod := when
		if i == 0 {
			mod = when.Add(-time.Hour)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	_, path, err := LoadTemplate(dir, "")
	if want := filepath.Join(out, "B.template.json"); path != want {
		t.Errorf("LoadTemplate read %q (err %v), want %q", path, err, want)
	}
}

// An email-json subscription of an address counts as subscribed, as an email one does.
func TestEmailJSONSubscriptionCounts(t *testing.T) {
	f, w, _ := setup(t, "all-two-emails")
	w.subs[1].proto = "email-json"
	r := runDoctor(t, f, "all-two-emails")
	if r.code != cli.ExitOK || strings.Contains(r.stdout, "✗") {
		t.Errorf("exit %d, want %d and no failed check:\n%s\nstderr: %s", r.code, cli.ExitOK, r.stdout, r.stderr)
	}
}

// A custom alarms-file row may be named Tamper-something; it is not one of the stack's tamper
// alarms (those are catalog.Tamper's rows, in their own namespace), so the count stays at five.
func TestCustomRowNamedTamperIsNotATamperAlarm(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", "custom-alarms.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.ReplaceAll(string(data), "Trailwatch/Alarms/IamUserCreated/", "Trailwatch/Alarms/TamperIamUserCreated/")
	if renamed == string(data) {
		t.Fatal("custom-alarms.template.json has no IamUserCreated row to rename")
	}
	path := filepath.Join(t.TempDir(), "renamed.template.json")
	if err := os.WriteFile(path, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	exp, err := ReadTemplate([]byte(renamed))
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeAWS(t)
	healthyWorld(exp, time.Now()).serve(f)
	r := runDoctorPath(t, f, path)
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d, want 0; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	mustContain(t, r.stdout, "✓ tamper-alarm: 5 tamper alarms watch")
}

// The JSON report keeps a fix's shell operators as they are (a user pastes it), two-space
// indented.
func TestJSONReportKeepsShellOperators(t *testing.T) {
	f, w, _ := setup(t, "default")
	*w.keys[testKeyID] = keyState{state: "PendingDeletion", rotation: true}
	r := runDoctor(t, f, "default", "--format", "json")
	mustContain(t, r.stdout, "{\n  \"account\": \"123456789012\",\n",
		`"fix": "aws kms cancel-key-deletion --key-id `+testKeyID+` && aws kms enable-key --key-id `+testKeyID)
}

// errWriter is a stdout that cannot be written (a closed pipe).
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("write /dev/stdout: broken pipe") }

// A JSON report that cannot be written is a usage error on stderr, for one stack and for --all.
func TestJSONWriteErrorExits2(t *testing.T) {
	f, _, _ := setup(t, "default")
	testEnv(t)
	dir := assembly(t, map[string][2]string{"Trailwatch": {"default", "aws://123456789012/us-east-1"}})
	for _, args := range [][]string{
		{"--template", "../../test/testdata/default.template.json"},
		{"--all", "--cdk-out", dir},
	} {
		var errOut strings.Builder
		code := Main(t.Context(), append(args, "--format", "json", "--endpoint-url", f.srv.URL), nil, errWriter{}, &errOut)
		if code != cli.ExitUsage || errOut.String() != "trailwatch doctor: write /dev/stdout: broken pipe\n" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the write error", args, code, errOut.String())
		}
	}
}

// A manifest's stackName is the deployed stack's name (the artifact ID is only the default);
// a manifest without a CloudFormation stack is a template error naming it.
func TestReadManifestStackNameAndNoStacks(t *testing.T) {
	dir := t.TempDir()
	m := `{"artifacts": {"Art": {"type": "aws:cloudformation:stack", "environment": "aws://111122223333/eu-west-1", "properties": {"templateFile": "Art.template.json", "stackName": "Deployed"}}}}`
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(dir)
	want := []Target{{Stack: "Deployed", Account: "111122223333", Region: "eu-west-1", Template: filepath.Join(dir, "Art.template.json")}}
	if err != nil || len(got) != 1 || got[0] != want[0] {
		t.Errorf("ReadManifest = %+v, %v; want %+v", got, err, want)
	}
	m = `{"artifacts": {"Tree": {"type": "cdk:tree"}}}`
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err = ReadManifest(dir)
	if want := "template: " + dir + "/manifest.json lists no CloudFormation stack"; err == nil || err.Error() != want || !errors.Is(err, ErrTemplate) || got != nil {
		t.Errorf("ReadManifest = %v, %v; want %q", got, err, want)
	}
}

// --all needs a Region and credentials before it checks anything: each is one line on stderr
// and exit 2, with nothing on stdout.
func TestAllNeedsRegionAndCredentials(t *testing.T) {
	dir := assembly(t, map[string][2]string{"Trailwatch": {"default", "aws://123456789012/us-east-1"}})
	t.Run("NoRegion", func(t *testing.T) {
		f, _, _ := setup(t, "default")
		testEnv(t)
		t.Setenv("AWS_REGION", "")
		var out, errOut strings.Builder
		code := Main(t.Context(), []string{"--all", "--cdk-out", dir, "--endpoint-url", f.srv.URL}, nil, &out, &errOut)
		if code != cli.ExitUsage || out.String() != "" || errOut.String() != "trailwatch doctor: no AWS Region: pass --region, set AWS_REGION, or set region in the profile\n" {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
		}
	})
	t.Run("Rejected", func(t *testing.T) {
		f, _, _ := setup(t, "default")
		f.failNext("sts:GetCallerIdentity", &apiError{403, "InvalidClientTokenId", "The security token included in the request is invalid."})
		r := runAllDoctor(t, f, dir)
		if r.code != cli.ExitUsage || r.stdout != "" {
			t.Errorf("exit %d, stdout %q; want 2 and nothing", r.code, r.stdout)
		}
		mustContain(t, r.stderr, "trailwatch doctor: credentials: ", "InvalidClientTokenId", "\n  fix: sign in (aws sso login, or set AWS_PROFILE / --profile) and rerun\n")
	})
}

// A role that answers for another account than the target's is not checked as the target: the
// line says which account answered.
func TestAllTargetsRoleOfAnotherAccount(t *testing.T) {
	exp, _ := loadGolden(t, "default")
	f := newFakeAWS(t)
	w := healthyWorld(exp, time.Now())
	w.roles = map[string]string{"arn:aws:iam::222222222222:role/Audit": "555555555555"}
	w.serve(f)
	dir := assembly(t, map[string][2]string{"Trailwatch-222222222222-us-east-1": {"default", "aws://222222222222/us-east-1"}})
	r := runAllDoctor(t, f, dir, "--role-name", "Audit")
	if want := "✗ Trailwatch-222222222222-us-east-1 (222222222222 us-east-1): not checked: credentials: the role answered for account 555555555555, not 222222222222\n"; r.stdout != want || r.code != cli.ExitUsage {
		t.Errorf("exit %d, stdout %q; want 2 and %q", r.code, r.stdout, want)
	}
	if n := f.called("cloudformation:ListStackResources"); n != 0 {
		t.Errorf("ListStackResources called %d times in the wrong account", n)
	}
}

// --stack names the deployed stack when it differs from the template's.
func TestStackFlagNamesTheDeployedStack(t *testing.T) {
	f, _, _ := setup(t, "default")
	r := runDoctor(t, f, "default", "--stack", "Renamed")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d:\n%s", r.code, r.stdout)
	}
	mustContain(t, r.stdout, "account 123456789012, Region us-east-1, stack Renamed (", "✓ stack Renamed: ")
}

// A cdk.out entry that cannot be read (a dangling link) is passed over, not chosen or fatal.
func TestLoadTemplateSkipsUnreadableEntries(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cdk.out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(out, "A.template.json")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", "default.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "B.template.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, path, err := LoadTemplate(dir, "")
	if want := filepath.Join(out, "B.template.json"); path != want || err != nil {
		t.Errorf("LoadTemplate read %q (err %v), want %q", path, err, want)
	}
}

// --all assumes the role in the caller's partition (from its ARN), so GovCloud and China
// accounts get arn:aws-us-gov:iam / arn:aws-cn:iam role ARNs.
func TestAllTargetsRoleInTheCallersPartition(t *testing.T) {
	exp, _ := loadGolden(t, "default")
	f := newFakeAWS(t)
	w := healthyWorld(exp, time.Now())
	w.partition = "aws-us-gov"
	w.roles = map[string]string{"arn:aws-us-gov:iam::222222222222:role/Audit": "222222222222"}
	w.serve(f)
	dir := assembly(t, map[string][2]string{"Trailwatch-222222222222-us-east-1": {"default", "aws://222222222222/us-east-1"}})
	r := runAllDoctor(t, f, dir, "--role-name", "Audit")
	if r.code != cli.ExitOK {
		t.Errorf("exit %d, want 0:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// A target's Region is where its checks run; the caller's own account needs no role.
func TestAllTargetsRunInTheirRegion(t *testing.T) {
	exp, _ := loadGolden(t, "default")
	f := newFakeAWS(t)
	healthyWorld(exp, time.Now()).serve(f)
	dir := assembly(t, map[string][2]string{"Trailwatch-123456789012-eu-west-1": {"default", "aws://123456789012/eu-west-1"}})
	r := runAllDoctor(t, f, dir, "--format", "json")
	var got struct{ Targets []TargetResult }
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v:\n%s", err, r.stdout)
	}
	if len(got.Targets) != 1 || got.Targets[0].Report == nil || got.Targets[0].Report.Region != "eu-west-1" || got.Targets[0].Report.Account != testAccount {
		t.Errorf("targets = %+v, want one report for 123456789012 in eu-west-1", got.Targets)
	}
	if f.called("sts:AssumeRole") != 0 {
		t.Errorf("AssumeRole called for the caller's own account")
	}
}

// Flags that do not go together are usage errors, each alone.
func TestFlagConflicts(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--all", "--stack", "S"}, "--all reads every stack of cdk.out; it takes no --template, --stack or --fire-drill"},
		{[]string{"--all", "--fire-drill", "A"}, "--all reads every stack of cdk.out; it takes no --template, --stack or --fire-drill"},
		{[]string{"--preflight", "--fire-drill", "A"}, "--preflight checks an account before deploying; --test-patterns and --fire-drill need the deployed stack"},
		{[]string{"--max-age", "-1s"}, "--max-age -1s: must be positive"},
		{[]string{"--format", "JSON"}, `--format "JSON": allowed: text, json`},
	} {
		var out, errOut strings.Builder
		code := Main(t.Context(), c.args, nil, &out, &errOut)
		if code != cli.ExitUsage || errOut.String() != "trailwatch doctor: "+c.want+"\n" || out.String() != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, code, out.String(), errOut.String(), c.want)
		}
	}
	// A flag doctor does not know: what is wrong, then the usage, both on stderr.
	var out, errOut strings.Builder
	if code := Main(t.Context(), []string{"--nosuch"}, nil, &out, &errOut); code != cli.ExitUsage || out.String() != "" {
		t.Errorf("--nosuch: exit %d, stdout %q", code, out.String())
	}
	mustContain(t, errOut.String(), "flag provided but not defined: -nosuch\nUsage: trailwatch doctor [--preflight]", "\ntrailwatch doctor: flag provided but not defined: -nosuch\n")
}

// The help lists each flag with its default, but not a default that says nothing (false, "").
func TestHelpDefaults(t *testing.T) {
	var out strings.Builder
	Main(t.Context(), []string{"-h"}, nil, &out, &strings.Builder{})
	header := "Usage: trailwatch doctor [--preflight] [--test-patterns] [--fire-drill ALARM] [flags]\n\n" +
		"Asks the account whether the trailwatch stack synthesized in cdk.out is deployed and works.\n" +
		"Exit status: 0 all checks passed, 1 a check failed, 2 usage or credentials error.\n\n"
	if !strings.HasPrefix(out.String(), header) {
		t.Errorf("help begins\n%s\nwant\n%s", out.String()[:min(len(out.String()), len(header)+40)], header)
	}
	mustContain(t, out.String(),
		"  --preflight\n    \tread-only checks before the first deploy: existing trails, name collisions, CDK bootstrap\n  --profile\n",
		"  --role-name\n    \twith --all: the IAM role doctor assumes in each account other than the caller's, e.g. OrganizationAccountAccessRole\n  --stack\n",
		"  --format\n    \toutput format: text or json (default text)\n",
		"  --cdk-out\n    \tthe cloud assembly directory --all reads (default cdk.out)\n")
}

// The codes AWS services answer for a missing permission are access denied; others are not.
func TestIsAccessDenied(t *testing.T) {
	for code, want := range map[string]bool{
		"AccessDenied": true, "AccessDeniedException": true, "UnauthorizedOperation": true, "AuthorizationError": true,
		"AuthorizationErrorException": true, "ThrottlingException": false, "": false,
	} {
		if got := isAccessDenied(code); got != want {
			t.Errorf("isAccessDenied(%q) = %v, want %v", code, got, want)
		}
	}
	if got := errorCode(errors.New("dial tcp: connection refused")); got != "" {
		t.Errorf("errorCode(network error) = %q, want none", got)
	}
}

// A delivery or ingestion exactly --max-age old is still recent; ages print to the minute.
func TestRecentAndAge(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	d := &doctor{now: now, opts: &Options{MaxAge: time.Hour}}
	at := func(ago time.Duration) *time.Time { t := now.Add(-ago); return &t }
	if !d.recent(at(time.Hour)) || d.recent(at(time.Hour+time.Nanosecond)) || d.recent(nil) || !d.recent(at(-time.Minute)) {
		t.Errorf("recent: want exactly --max-age old recent, a nanosecond more not, nil not, a future time recent")
	}
	if got := d.age(*at(90*time.Second + time.Millisecond)); got != "2m0s ago" {
		t.Errorf("age = %q, want 2m0s ago", got)
	}
}

// logGroupOfArn reads a CloudWatch Logs log group ARN, and nothing else.
func TestLogGroupOfArn(t *testing.T) {
	for arn, want := range map[string][4]string{
		"arn:aws:logs:eu-west-1:111122223333:log-group:a:b:*": {"111122223333", "eu-west-1", "a:b", "true"},
		"arn:aws:logs:eu-west-1:111122223333:log-group:plain": {"111122223333", "eu-west-1", "plain", "true"},
		"arn:aws:logs:eu-west-1:111122223333:destination:x:*": {"", "", "", "false"},
		"arn:aws:sns:eu-west-1:111122223333:log-group:x:*":    {"", "", "", "false"},
		"arn:aws:logs:eu-west-1:111122223333:log-group":       {"", "", "", "false"},
		"": {"", "", "", "false"},
	} {
		account, region, name, ok := logGroupOfArn(arn)
		if got := [4]string{account, region, name, fmt.Sprint(ok)}; got != want {
			t.Errorf("logGroupOfArn(%q) = %v, want %v", arn, got, want)
		}
	}
}

// DescribeAlarms takes at most 100 names a call: a stack of more alarms is read in chunks, and
// every alarm is found.
func TestDescribeAlarmsInChunks(t *testing.T) {
	f := newFakeAWS(t)
	w := emptyWorld(time.Now())
	var names []string
	for i := range 250 {
		n := fmt.Sprintf("A%03d", i)
		names = append(names, n)
		w.alarms[n] = &alarmState{state: "OK"}
	}
	w.serve(f)
	got, err := patternDoctor(t, f).describeAlarms(t.Context(), append(names, "Missing"))
	if err != nil || len(got) != 250 {
		t.Fatalf("describeAlarms: %d alarms, %v; want 250", len(got), err)
	}
	for _, n := range names {
		if _, ok := got[n]; !ok {
			t.Errorf("alarm %s not found", n)
		}
	}
}

// editedGolden writes the golden template with edit applied to its Resources, and returns its
// path and what doctor reads from it.
func editedGolden(t *testing.T, golden string, edit func(res map[string]any)) (string, *Expected) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", golden+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	if err := json.Unmarshal(data, &tpl); err != nil {
		t.Fatal(err)
	}
	edit(tpl["Resources"].(map[string]any))
	out, _ := json.Marshal(tpl)
	path := filepath.Join(t.TempDir(), "edited.template.json")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	exp, err := ReadTemplate(out)
	if err != nil {
		t.Fatal(err)
	}
	return path, exp
}

// What doctor says of templates of older or other trailwatch settings: no tamper alarms (an
// older trailwatch), no email subscription, a trail bucket without a public access block.
func TestTemplatesWithoutAFeature(t *testing.T) {
	typed := func(typ string, keep func(id string, r map[string]any) bool) func(res map[string]any) {
		return func(res map[string]any) {
			for id, r := range res {
				if r := r.(map[string]any); r["Type"] == typ && !keep(id, r) {
					delete(res, id)
				}
			}
		}
	}
	cases := []struct {
		name   string
		golden string
		edit   func(res map[string]any)
		code   int
		lines  []string
		calls  map[string]int
	}{
		{"NoTamperAlarms", "default", typed("AWS::CloudWatch::Alarm", func(id string, r map[string]any) bool { return !strings.HasPrefix(id, "AlarmsTamper") }),
			cli.ExitProblems, []string{"\n✗ tamper-alarm: the template has no tamper alarm (Trailwatch-Tamper-*): it was synthesized by an older trailwatch\n    fix: synthesize with this version and run cdk deploy\n", "\n1 of "}, nil},
		{"NoSubscription", "plain/default", typed("AWS::SNS::Subscription", func(string, map[string]any) bool { return false }),
			cli.ExitOK, []string{"\n- subscription: the template subscribes no email address\n"}, map[string]int{"sns:ListSubscriptionsByTopic": 0}},
		{"NoPublicAccessBlock", "default", func(res map[string]any) {
			delete(res["TrailBucketA831CE63"].(map[string]any)["Properties"].(map[string]any), "PublicAccessBlockConfiguration")
		}, cli.ExitOK, []string{"\n✓ bucket.policy " + testBucket + ": CloudTrail may write; requests without TLS are denied\n"}, map[string]int{"s3:GetPublicAccessBlock": 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, exp := editedGolden(t, c.golden, c.edit)
			f := newFakeAWS(t)
			healthyWorld(exp, time.Now()).serve(f)
			r := runDoctorPath(t, f, path)
			if r.code != c.code {
				t.Errorf("exit %d, want %d:\n%s", r.code, c.code, r.stdout)
			}
			mustContain(t, r.stdout, c.lines...)
			if strings.Contains(r.stdout, "bucket.public-access") != (c.name != "NoPublicAccessBlock") {
				t.Errorf("bucket.public-access checked: %v, want %v", !(c.name != "NoPublicAccessBlock"), c.name != "NoPublicAccessBlock")
			}
			for op, n := range c.calls {
				if got := f.called(op); got != n {
					t.Errorf("%s called %d times, want %d", op, got, n)
				}
			}
		})
	}
}

// Two filters of the template with the same metric and pattern need two deployed filters: one
// deployed filter is not counted for both.
func TestEachDeployedFilterCountsOnce(t *testing.T) {
	path, exp := editedGolden(t, "default", func(res map[string]any) {
		res["AlarmsAuthorizationFailuresFilterCopy"] = res["AlarmsAuthorizationFailuresFilter70C68B04"]
	})
	f := newFakeAWS(t)
	w := healthyWorld(exp, time.Now())
	for i, fl := range w.filters {
		if strings.Contains(fl.name, "FilterCopy") {
			w.filters = append(w.filters[:i], w.filters[i+1:]...)
			break
		}
	}
	w.serve(f)
	r := runDoctorPath(t, f, path)
	if got, want := failBlocks(r.stdout), []string{"✗ filter AuthorizationFailures: no metric filter on CloudTrail/trailwatch publishes CloudTrailMetrics/AuthorizationFailureCount\n    fix: run cdk deploy to restore it"}; !slices.Equal(got, want) {
		t.Errorf("failed checks %q, want %q", got, want)
	}
	mustContain(t, r.stdout, "\n✓ filter AuthorizationFailures: present, pattern byte-identical to the template\n")
}

// Run is doctor on the command's stdio: the help goes to its stdout, and the exit status is
// Main's.
func TestRunUsesTheStdio(t *testing.T) {
	var out, errOut strings.Builder
	if code := Run([]string{"--help"}, &cli.Stdio{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut}); code != cli.ExitOK {
		t.Errorf("exit %d, want 0", code)
	}
	if !strings.HasPrefix(out.String(), "Usage: trailwatch doctor ") || errOut.Len() != 0 {
		t.Errorf("stdout %q, stderr %q; want the usage on stdout", out.String(), errOut.String())
	}
	if code := Run([]string{"extra"}, &cli.Stdio{Stdout: &out, Stderr: &errOut}); code != cli.ExitUsage || errOut.String() != "trailwatch doctor: unexpected argument \"extra\"\n" {
		t.Errorf("exit %d, stderr %q; want 2 and the error", code, errOut.String())
	}
}

// Stacks are listed by name; two of the same name (one stack in two accounts) by template, the
// same on every run.
func TestReadManifestOrder(t *testing.T) {
	dir := t.TempDir()
	m := `{"artifacts": {
		"B": {"type": "aws:cloudformation:stack", "environment": "aws://222222222222/us-east-1", "properties": {"templateFile": "B.template.json", "stackName": "Trailwatch"}},
		"A": {"type": "aws:cloudformation:stack", "environment": "aws://111111111111/us-east-1", "properties": {"templateFile": "A.template.json", "stackName": "Trailwatch"}},
		"C": {"type": "aws:cloudformation:stack", "environment": "aws://111111111111/us-east-1", "properties": {"templateFile": "C.template.json", "stackName": "Audit"}}}}`
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		got, err := ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, tg := range got {
			order = append(order, tg.Stack+"/"+filepath.Base(tg.Template))
		}
		if want := []string{"Audit/C.template.json", "Trailwatch/A.template.json", "Trailwatch/B.template.json"}; !slices.Equal(order, want) {
			t.Errorf("order %v, want %v", order, want)
		}
	}
}
