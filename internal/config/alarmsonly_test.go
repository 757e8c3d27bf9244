package config

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// An alarms-only stack makes no trail and no bucket: every key only they use, set to a value
// other than its default, is an error of its own line (it used to be silently ignored, so
// objectLockDays=365 looked like locked logs).
func TestFailsOnTrailKeysOfAnAlarmsOnlyStack(t *testing.T) {
	const tail = ", but existingLogGroupName makes an alarms-only stack, which has no "
	cases := []struct {
		key  string
		raw  any
		want string
	}{
		{"managementEvents", "All", `managementEvents: "All" is set` + tail + "trail; allowed: leave it unset, or drop existingLogGroupName"},
		{"trailName", "x-y-z", `trailName: "x-y-z" is set` + tail + "trail; allowed: leave it unset, or drop existingLogGroupName"},
		{"bucketTransitionDays", 30.0, `bucketTransitionDays: 30 is set` + tail + "trail bucket; allowed: leave it unset, or drop existingLogGroupName"},
		{"bucketTransitionStorageClass", "DEEP_ARCHIVE", `bucketTransitionStorageClass: "DEEP_ARCHIVE" is set` + tail + "trail bucket; allowed: leave it unset, or drop existingLogGroupName"},
		{"bucketExpirationDays", "400", `bucketExpirationDays: "400" is set` + tail + "trail bucket; allowed: leave it unset, or drop existingLogGroupName"},
		{"objectLockDays", 365.0, `objectLockDays: 365 is set` + tail + "trail bucket; allowed: leave it unset, or drop existingLogGroupName"},
		{"objectLockMode", "COMPLIANCE", `objectLockMode: "COMPLIANCE" is set` + tail + "trail bucket; allowed: leave it unset, or drop existingLogGroupName"},
		{"organizationTrail", "true", `organizationTrail: "true" is set` + tail + "trail; allowed: leave it unset, or drop existingLogGroupName"},
		{"organizationId", "o-abcdefghij", `organizationId: "o-abcdefghij" is set` + tail + "trail; allowed: leave it unset, or drop existingLogGroupName"},
	}
	var covered []string
	for _, c := range cases {
		covered = append(covered, c.key)
		_, err := Parse(map[string]any{"notificationEmails": "a@example.com", "existingLogGroupName": "g", c.key: c.raw}, noEnv)
		if got := lines(err); !slices.Equal(got, []string{c.want}) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s=%v: got\n  %s\nwant\n  %s", c.key, c.raw, strings.Join(got, "\n  "), c.want)
		}
		// The same value on a stack with its own trail is fine (a valid value, not a test of the key).
		if _, err := Parse(map[string]any{"notificationEmails": "a@example.com", c.key: c.raw, "organizationId": "o-abcdefghij"}, noEnv); err != nil {
			t.Errorf("%s=%v without existingLogGroupName: %v", c.key, c.raw, err)
		}
	}
	// The table covers every key declared ofTrail, and no other.
	var declared []string
	for _, k := range keys {
		if k.trail != "" {
			declared = append(declared, k.name)
		}
	}
	if !slices.Equal(covered, declared) {
		t.Errorf("trail-only keys tested %v, declared %v", covered, declared)
	}
}

// Every problem at once, one line each, in the order of the key table.
func TestFailsOnEveryTrailKeyOfAnAlarmsOnlyStackAtOnce(t *testing.T) {
	_, err := Parse(map[string]any{"notificationEmails": "a@example.com", "existingLogGroupName": "g",
		"objectLockDays": 365.0, "trailName": "x-y-z", "bucketTransitionDays": 30.0}, noEnv)
	want := []string{
		`trailName: "x-y-z" is set, but existingLogGroupName makes an alarms-only stack, which has no trail; allowed: leave it unset, or drop existingLogGroupName`,
		`bucketTransitionDays: 30 is set, but existingLogGroupName makes an alarms-only stack, which has no trail bucket; allowed: leave it unset, or drop existingLogGroupName`,
		`objectLockDays: 365 is set, but existingLogGroupName makes an alarms-only stack, which has no trail bucket; allowed: leave it unset, or drop existingLogGroupName`,
	}
	if got := lines(err); !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// cdk.json carries every default: with existingLogGroupName it still parses, and so does a key
// given with its default value (-c objectLockDays=0).
func TestAlarmsOnlyStackTakesTheDefaultsOfCDKJSON(t *testing.T) {
	raw, err := os.ReadFile("../../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc.Context["notificationEmails"] = "a@example.com"
	doc.Context["existingLogGroupName"] = "g"
	doc.Context["objectLockDays"] = "0"
	doc.Context["trailName"] = "trailwatch"
	if _, err := Parse(doc.Context, noEnv); err != nil {
		t.Errorf("cdk.json context with existingLogGroupName: %v", err)
	}
}

// In a targets file only the alarms-only target's own entry counts: the file's defaults, cdk.json
// and the command line are shared with the targets that make a trail.
func TestAlarmsOnlyTargetRejectsOnlyItsOwnTrailKeys(t *testing.T) {
	path := writeFile(t, "targets.yaml", `defaults:
  notificationEmails: a@example.com
  objectLockDays: 365
targets:
  - account: "111111111111"
    region: us-east-1
  - account: "222222222222"
    region: us-east-1
    existingLogGroupName: g
`)
	if _, err := Load(map[string]any{"targetsFile": path, "trailName": "org-trail"}, noEnv); err != nil {
		t.Errorf("shared trail keys: %v", err)
	}
	path = writeFile(t, "targets.yaml", `targets:
  - account: "222222222222"
    region: us-east-1
    notificationEmails: a@example.com
    existingLogGroupName: g
    objectLockDays: 365
`)
	_, err := Load(map[string]any{"targetsFile": path}, noEnv)
	want := []string{"targetsFile: " + path + ": line 6: target 1 (222222222222/us-east-1): objectLockDays: 365 is set, but existingLogGroupName makes an alarms-only stack, which has no trail bucket; allowed: leave it unset, or drop existingLogGroupName"}
	if got := lines(err); !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
