package config

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// The list is empty-safe and prints one line per problem, each naming its place.
func TestErrorList(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Errorf("empty list: Err() = %v, want nil", l.Err())
	}
	l.Add(&Problem{Key: "trailName", Value: "-x", Msg: "is not a valid CloudTrail trail name", Allowed: "3-128 letters", Err: ErrInvalid})
	l.Add(&Problem{Key: alarmsFileKey, File: "a.yaml", Entry: "alarm 2 (X)", Field: "threshold", Msg: "is required", Err: ErrAlarmsFile})
	l.Add(&Problem{Key: "notificationEmails", Allowed: "an address", Err: ErrMissing})
	want := []string{
		`trailName: "-x" is not a valid CloudTrail trail name; allowed: 3-128 letters`,
		`alarmsFile: a.yaml: alarm 2 (X): threshold: is required`,
		`notificationEmails: required but not set; allowed: an address`,
	}
	if got := l.Err().Error(); got != strings.Join(want, "\n") {
		t.Errorf("Error():\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	err := l.Err()
	for _, sentinel := range []error{ErrInvalid, ErrAlarmsFile, ErrMissing} {
		if !errors.Is(err, sentinel) {
			t.Errorf("the list is not %v", sentinel)
		}
	}
	if errors.Is(err, ErrTargetsFile) {
		t.Error("a list with no targets-file problem is ErrTargetsFile")
	}
	if got := Problems(errors.New("plain")); len(got) != 1 || got[0].Error() != "plain" {
		t.Errorf("Problems(plain error) = %v", got)
	}
}

// A target's problems keep their structure: the file, the target and the key, not only text.
func TestTargetProblemsKeepTheirPlace(t *testing.T) {
	path := writeFile(t, "t.yaml", "targets:\n  - {account: \"210987654321\", region: eu-west-1, managementEvents: Reads}\n")
	_, err := Load(map[string]any{"targetsFile": path, "notificationEmails": "a@example.com"}, noEnv)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("got %v, want one problem in an ErrorList", err)
	}
	p := list[0]
	if p.TargetsFile != path || p.Target != "target 1 (210987654321/eu-west-1)" || p.Key != "managementEvents" || p.Value != "Reads" || p.Allowed != "WriteOnly, All" {
		t.Errorf("problem %+v lost its place", *p)
	}
	if !errors.Is(p, ErrTargetsFile) || !errors.Is(p, ErrInvalid) {
		t.Errorf("problem %v is not ErrTargetsFile and ErrInvalid", p)
	}
}

// Alarm rows are assembled in one explicit order; the limits run last and so count the filters
// the account dimension adds (TestFailsOnMoreFiltersThanALogGroupHolds needs that).
func TestAlarmStepsRunInOrder(t *testing.T) {
	var got []string
	for _, s := range alarmSteps {
		got = append(got, s.name)
	}
	if want := []string{"profiles", "dedupe", alarmsFileKey, "accountDimension", "limits", "tamper"}; !reflect.DeepEqual(got, want) {
		t.Errorf("alarm steps %v, want %v", got, want)
	}
	// 10 AWS + 14 CIS rows = 24 filters, 48 with the account dimension: the limits see 48 only
	// if they run after it.
	c := &checked{Target: &Target{Stack: Stack{AlarmProfiles: profilesNamed("aws", "cis"), AccountDimension: true}}, failed: map[string]bool{}}
	for _, s := range alarmSteps[:len(alarmSteps)-1] {
		if errs := s.run(c); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	dims := 0
	for _, a := range c.Alarms {
		if a.Dimensions[AccountDimension] != "" {
			dims++
		}
	}
	if dims != 24 {
		t.Errorf("%d rows carry the account dimension before the limits, want 24", dims)
	}
}

// Help texts and the managementEvents rule read the profile values: a new profile that needs All
// is worded and enforced without naming it anywhere else.
func TestProfilesDriveTextsAndRules(t *testing.T) {
	saved := catalog.Profiles
	defer func() { catalog.Profiles = saved }()
	nist := catalog.Profile{Name: "nist", Title: "NIST", Summary: "NIST 800-53 AU", Rows: func() []catalog.Alarm { return nil },
		ManagementEvents: All, Checks: "the AU-2 checks"}
	catalog.Profiles = append(slices.Clone(saved), nist)

	if got, want := profilesAllowed(), "aws (AWS's ten), cis (Security Hub CloudWatch.1-14; implies managementEvents=All), nist (NIST 800-53 AU; implies managementEvents=All), or aws,cis,nist"; got != want {
		t.Errorf("alarmProfile allowed:\n got %s\nwant %s", got, want)
	}
	if got, want := managementEventsShown(), "WriteOnly; All when alarmProfile includes cis; All when alarmProfile includes nist"; got != want {
		t.Errorf("managementEvents shown:\n got %s\nwant %s", got, want)
	}
	c := &checked{Target: &Target{Stack: Stack{AlarmProfiles: []catalog.Profile{nist}}}, failed: map[string]bool{}}
	managementEventsFromProfiles(c)
	if c.ManagementEvents != All {
		t.Errorf("nist: managementEvents %s, want All", c.ManagementEvents)
	}
	c.ManagementEvents = WriteOnly
	p := managementEventsForProfiles(c)
	if p == nil || !strings.Contains(p.Error(), "conflicts with alarmProfile nist: the AU-2 checks pass only on a trail that records management events of type All, so the NIST alarms") {
		t.Errorf("nist with WriteOnly: %v", p)
	}
}

// Every default is written once: cdk.json's value, the docs' text and the parsed value all come
// from it.
func TestDefaultsAreWrittenOnce(t *testing.T) {
	for _, c := range []struct {
		key, shown string
		value      any
	}{
		{"logRetentionDays", "365", 365.0},
		{"bucketExpirationDays", "0 (never)", 0.0},
		{"alarmNamePrefix", `"" (none)`, ""},
		{"alarmProfile", "aws", "aws"},
		{"notificationEmails", "none (required)", nil},
		{"account", "CDK_DEFAULT_ACCOUNT (the CLI's credentials); unset: environment-agnostic", nil},
	} {
		k, ok := lookup(c.key)
		if !ok {
			t.Fatalf("no key %s", c.key)
		}
		if k.def.Shown() != c.shown || !reflect.DeepEqual(k.def.value, c.value) {
			t.Errorf("%s: default %#v shown %q, want %#v shown %q", c.key, k.def.value, k.def.Shown(), c.value, c.shown)
		}
	}
}

// Each key belongs to one scope; the targets file refuses app keys by scope, not by name.
func TestScopes(t *testing.T) {
	scopes := map[Scope][]string{}
	for _, k := range keys {
		scopes[k.scope] = append(scopes[k.scope], k.name)
	}
	if want := []string{targetsFileKey, "onlyEnvironment"}; !reflect.DeepEqual(scopes[AppScope], want) {
		t.Errorf("app keys %v, want %v", scopes[AppScope], want)
	}
	if want := []string{"nag", "stackSetOrganizationalUnits", "stackSetRegions", "stackSetFailureTolerance", "stackSetMaxConcurrency", "stackSetCallAs", "environment", accountKey, regionKey}; !reflect.DeepEqual(scopes[TargetScope], want) {
		t.Errorf("target keys %v, want %v", scopes[TargetScope], want)
	}
	if len(keys) != len(scopes[AppScope])+len(scopes[TargetScope])+len(scopes[StackScope]) {
		t.Error("a key without a scope")
	}
}
