package doctor

import (
	"errors"
	"github.com/trailwatch/trailwatch/internal/cli"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
		"Stack/Alarms/RootUsage/Alarm/Resource": {"RootUsage", "Alarm"},
		"Stack/Alarms/RootUsage":                {"RootUsage", ""},
		"Stack/Alarms":                          {"", ""},
		"Stack/Trail/Resource":                  {"", ""},
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
