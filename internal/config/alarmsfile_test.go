package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

func parseWith(t *testing.T, overrides map[string]any) (Target, error) {
	t.Helper()
	ctx := map[string]any{"notificationEmails": "ops@example.com"}
	for k, v := range overrides {
		ctx[k] = v
	}
	return Parse(ctx, noEnv)
}

func TestExampleAlarmsFileLoads(t *testing.T) {
	cfg, err := parseWith(t, map[string]any{"alarmsFile": "../../examples/alarms.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	ids := alarmIDs(cfg.Alarms)
	if len(ids) != 13 || !reflect.DeepEqual(ids[10:], []string{"RootAccessKeyCreated", "IamUserCreated", "GuardDutyDisabled"}) {
		t.Fatalf("alarms %v, want AWS's ten then the file's three", ids)
	}
	root, guard, user := cfg.Alarms[10], cfg.Alarms[12], cfg.Alarms[11]
	if root.MetricName != "RootAccessKeyCreatedCount" || root.AlarmName != "CloudTrailRootAccessKeyCreated" || root.EffectivePeriod() != 300 {
		t.Errorf("defaults not applied: %+v", root)
	}
	if guard.MetricName != "GuardDutyDisabledCount" || guard.AlarmName != "TrailwatchGuardDutyDisabled" || guard.PeriodSeconds != 900 {
		t.Errorf("explicit fields not kept: %+v", guard)
	}
	if !reflect.DeepEqual(user.Dimensions, map[string]string{"Account": "$.recipientAccountId"}) {
		t.Errorf("dimensions %v", user.Dimensions)
	}
	if root.Description["ja"] == "" || len(root.Fires) != 1 || len(root.Quiet) != 1 {
		t.Errorf("description or examples lost: %+v", root)
	}
}

// writeFile puts content in a temporary file with the given name and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const goodEntry = `
  - id: RootAccessKeyCreated
    pattern: '{ ($.userIdentity.type = "Root") && ($.eventName = "CreateAccessKey") }'
    threshold: 1
    description: {en: Root access key created.}
`

// Every bad file is rejected, each problem on one line that names the file, the entry and the field.
func TestFailsOnBadAlarmsFile(t *testing.T) {
	codes := strings.Join(catalog.LanguageCodes(), ", ")
	cases := []struct {
		name, file, content string
		want                []string // the lines, each without the "alarmsFile: PATH: " prefix
	}{
		{"missing file", "", "", []string{"cannot be read: no such file or directory"}},
		{"not YAML", "a.yaml", "alarms: [unclosed", []string{"line 1: is not valid YAML: did not find expected ',' or ']'"}},
		{"JSON syntax", "a.json", "{\"alarms\": [\n {\"id\": \"X\",}\n]}", []string{"line 2: is not valid JSON: invalid character '}' looking for beginning of object key string"}},
		{"empty", "a.yaml", "", []string{"is empty"}},
		{"no alarms", "a.yaml", "alarms: []", []string{`has no alarms (want a top-level "alarms" list with at least one entry)`}},
		{"unknown top-level field", "a.yaml", "alarm:\n" + goodEntry, []string{`line 1: "alarm" is not a top-level key of an alarms file; did you mean alarms? allowed: alarms (the list of alarms)`}},
		{"misspelt field", "a.yaml", "alarms:\n  - id: X\n    treshold: 1\n", []string{
			"line 3: alarm 1 (X): treshold: is not a field of an alarm; did you mean threshold? allowed: id, pattern, threshold, period, description, metricName, alarmName, namespace, dimensions, fires, quiet",
			"line 2: alarm 1 (X): pattern: is required"}},
		{"JSON unknown field", "a.json", `{"alarms": [{"id": "X", "treshold": 1}]}`, []string{
			"line 1: alarm 1 (X): treshold: is not a field of an alarm; did you mean threshold? allowed: id, pattern, threshold, period, description, metricName, alarmName, namespace, dimensions, fires, quiet",
			"line 1: alarm 1 (X): pattern: is required"}},
		{"missing required fields", "a.yaml", "alarms:\n  - description: {en: x}\n", []string{
			"line 2: alarm 1: id: is required", "line 2: alarm 1: pattern: is required", "line 2: alarm 1: threshold: is required"}},
		{"bad id", "a.yaml", strings.Replace("alarms:"+goodEntry, "id: RootAccessKeyCreated", "id: root-key", 1), []string{
			`line 2: alarm 1 (root-key): id: "root-key" is not a PascalCase construct ID (a capital letter, then letters and digits, up to 64)`}},
		{"malformed pattern", "a.yaml", strings.Replace("alarms:"+goodEntry, `"CreateAccessKey") }`, `"CreateAccessKey" }`, 1), []string{
			`line 3: alarm 1 (RootAccessKeyCreated): pattern: col 70: expected ')' after $.eventName = "CreateAccessKey"`}},
		{"unsupported pattern", "a.yaml", strings.Replace("alarms:"+goodEntry, `'{ ($.userIdentity.type = "Root") && ($.eventName = "CreateAccessKey") }'`, "ERROR", 1), []string{
			`line 3: alarm 1 (RootAccessKeyCreated): pattern: col 1: not supported: term patterns such as ERROR or "two words"; the engine evaluates JSON patterns { ... } and the empty pattern`}},
		{"zero threshold", "a.yaml", strings.Replace("alarms:"+goodEntry, "threshold: 1", "threshold: 0", 1), []string{
			"line 4: alarm 1 (RootAccessKeyCreated): threshold: 0 must be greater than 0"}},
		{"bad period", "a.yaml", strings.Replace("alarms:"+goodEntry, "threshold: 1", "threshold: 1\n    period: 45", 1), []string{
			"line 5: alarm 1 (RootAccessKeyCreated): period: 45 s is not allowed; allowed: a multiple of 60 from 60 to 86400 (metric filters publish one-minute metrics)"}},
		{"no description", "a.yaml", strings.Replace("alarms:"+goodEntry, "description: {en: Root access key created.}", "description: {ja: ルート}", 1), []string{
			"line 5: alarm 1 (RootAccessKeyCreated): description.en: is empty"}},
		{"unknown language", "a.yaml", strings.Replace("alarms:"+goodEntry, "description: {en: Root access key created.}", "description: {en: Root access key created., jp: ルート, fr: racine}", 1), []string{
			// in the file's order, each with its line
			"line 5: alarm 1 (RootAccessKeyCreated): description.jp: is not a language trailwatch writes; allowed: " + codes,
			"line 5: alarm 1 (RootAccessKeyCreated): description.fr: is not a language trailwatch writes; allowed: " + codes}},
		{"JSON unknown language", "a.json", `{"alarms": [{"id": "X", "pattern": "{ $.a = 1 }", "threshold": 1, "description": {"en": "x", "JA": "y"}}]}`, []string{
			"line 1: alarm 1 (X): description.JA: is not a language trailwatch writes; allowed: " + codes}},
		{"bad dimension", "a.yaml", "alarms:" + goodEntry + "    dimensions: {Account: recipientAccountId}\n", []string{
			`line 6: alarm 1 (RootAccessKeyCreated): dimensions: "Account": "recipientAccountId" is not allowed; allowed: a name of letters, digits, '_', '-', '.' and a record field like $.recipientAccountId`}},
		{"fires record that does not match", "a.yaml", "alarms:" + goodEntry + "    fires:\n      - {eventName: CreateAccessKey, userIdentity: {type: IAMUser}}\n", []string{
			"line 7: alarm 1 (RootAccessKeyCreated): fires[1]: the record does not match the pattern"}},
		{"duplicate id in the file", "a.yaml", "alarms:" + goodEntry + strings.Replace(goodEntry, "threshold: 1", "threshold: 2\n    metricName: Other\n    alarmName: Other", 1), []string{
			`line 7: alarm 2 (RootAccessKeyCreated): id: RootAccessKeyCreated is already used by alarm 1 (RootAccessKeyCreated) of this file`}},
		{"clash with a built-in alarm", "a.yaml", strings.Replace("alarms:"+goodEntry, "id: RootAccessKeyCreated", "id: VpcChanges\n    metricName: VpcEventCount", 1), []string{
			"line 2: alarm 1 (VpcChanges): id: VpcChanges is already used by built-in alarm VpcChanges",
			"line 3: alarm 1 (VpcChanges): metricName: CloudTrailMetrics/VpcEventCount is already used by built-in alarm VpcChanges",
			"alarm 1 (VpcChanges): alarmName: CloudTrailVpcChanges is already used by built-in alarm VpcChanges"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "missing.yaml")
			if c.file != "" {
				path = writeFile(t, c.file, c.content)
			}
			_, err := parseWith(t, map[string]any{"alarmsFile": path})
			if !errors.Is(err, ErrAlarmsFile) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrAlarmsFile and ErrInvalid", err)
			}
			lines := lines(err)
			if len(lines) != len(c.want) {
				t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(c.want), err)
			}
			for i, w := range c.want {
				prefix := "alarmsFile: " + path + ": "
				if lines[i] != prefix+w {
					t.Errorf("line %d:\n  got  %s\n  want %s", i+1, lines[i], prefix+w)
				}
			}
		})
	}
}

func TestAlarmsFileInJSON(t *testing.T) {
	path := writeFile(t, "alarms.json", `{"alarms": [{"id": "RootAccessKeyCreated", "pattern": "{ $.userIdentity.type = \"Root\" }",
		"threshold": 2, "period": 600, "description": {"en": "root", "ja": "ルート"},
		"fires": [{"userIdentity": {"type": "Root"}}], "quiet": [{"userIdentity": {"type": "IAMUser"}}]}]}`)
	cfg, err := parseWith(t, map[string]any{"alarmsFile": path, "alarmProfile": "cis"})
	if err != nil {
		t.Fatal(err)
	}
	last := cfg.Alarms[len(cfg.Alarms)-1]
	if len(cfg.Alarms) != 15 || last.ID != "RootAccessKeyCreated" || last.Threshold != 2 || last.PeriodSeconds != 600 {
		t.Errorf("got %d alarms, last %+v", len(cfg.Alarms), last)
	}
}

func TestCustomAlarmsCountTowardTheRegexLimit(t *testing.T) {
	entry := func(id string) string {
		return "  - {id: " + id + ", pattern: '{ $.a = %x% && $.b = %y% }', threshold: 1, description: {en: x}}\n"
	}
	path := writeFile(t, "a.yaml", "alarms:\n"+entry("A")+entry("B")+entry("C"))
	_, err := parseWith(t, map[string]any{"alarmsFile": path})
	want := []string{"alarmsFile: " + path + ": the patterns hold 6 %regex% values; CloudWatch Logs allows at most 5 across the metric filters of one log group"}
	if got := lines(err); !slices.Equal(got, want) || !errors.Is(err, ErrAlarmsFile) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestAlarmsFileReadsEachCatalogLanguage: the description keys are the codes of catalog.Languages,
// so a language added there is read from the file with no change here.
func TestAlarmsFileReadsEachCatalogLanguage(t *testing.T) {
	saved := catalog.Languages
	t.Cleanup(func() { catalog.Languages = saved })
	catalog.Languages = append(slices.Clip(saved), catalog.Language{Code: "xx"})
	path := writeFile(t, "a.yaml", "alarms:"+strings.Replace(goodEntry, "description: {en: Root access key created.}",
		"description: {en: Root access key created., ja: ルート, xx: Xroot}", 1))
	rows, errs := loadAlarmsFile(path, nil)
	if len(errs) > 0 {
		t.Fatalf("loadAlarmsFile: %v", errs)
	}
	want := catalog.Text{"en": "Root access key created.", "ja": "ルート", "xx": "Xroot"}
	if got := rows[0].Description; !reflect.DeepEqual(got, want) {
		t.Errorf("description %q, want %q", got, want)
	}
}

// Every problem of an entry names it the same way, the ones found while reading the fields as
// well as the ones found in the values: by its ID when it has one read as text (a number
// written bare included), else by its place alone, never "alarm 1 ()".
func TestAnEntryIsNamedTheSameInEveryProblem(t *testing.T) {
	for _, c := range []struct {
		name, file string
		want       []string
	}{
		{"NumberID", "- id: 12\n  pattern: '{ $.eventName = X }'\n  metric: Count\n", []string{
			"line 3: alarm 1 (12): metric: is not a field of an alarm; allowed: id, pattern, threshold, period, description, metricName, alarmName, namespace, dimensions, fires, quiet",
			"line 1: alarm 1 (12): threshold: is required",
			`line 1: alarm 1 (12): id: "12" is not a PascalCase construct ID (a capital letter, then letters and digits, up to 64)`,
			"line 1: alarm 1 (12): description.en: is empty",
		}},
		{"BoolID", "- id: true\n  metric: Count\n", []string{
			`line 1: alarm 1: id: "true" is true/false; allowed: a text`,
			"line 2: alarm 1: metric: is not a field of an alarm; allowed: id, pattern, threshold, period, description, metricName, alarmName, namespace, dimensions, fires, quiet",
			"line 1: alarm 1: pattern: is required",
			"line 1: alarm 1: threshold: is required",
		}},
		{"EmptyID", "- id: ''\n  metric: Count\n", []string{
			"line 2: alarm 1: metric: is not a field of an alarm; allowed: id, pattern, threshold, period, description, metricName, alarmName, namespace, dimensions, fires, quiet",
			"line 1: alarm 1: id: is required",
			"line 1: alarm 1: pattern: is required",
			"line 1: alarm 1: threshold: is required",
			"line 1: alarm 1: description.en: is empty",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "alarms.yaml")
			if err := os.WriteFile(path, []byte(c.file), 0o644); err != nil {
				t.Fatal(err)
			}
			_, errs := loadAlarmsFile(path, nil)
			var got []string
			for _, e := range errs {
				got = append(got, strings.TrimPrefix(e.Error(), "alarmsFile: "+path+": "))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
