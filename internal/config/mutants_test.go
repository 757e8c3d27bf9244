package config

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// Every metric filter of a row carries its pattern (the benchmark filter carries its own), so a
// longer pattern raises the template bound by at least its length once per such filter.
func TestTemplateBoundCountsThePatternPerFilter(t *testing.T) {
	for _, tt := range []struct {
		name    string
		row     catalog.Alarm
		filters int // filters that carry Pattern
	}{
		{"one filter", catalog.Alarm{ID: "A", MetricName: "A", AlarmName: "A", Threshold: 1}, 1},
		{"with dimensions", catalog.Alarm{ID: "A", MetricName: "A", AlarmName: "A", Threshold: 1,
			Dimensions: map[string]string{"User": "$.userIdentity.arn"}}, 2},
		{"with a benchmark filter", catalog.Alarm{ID: "A", MetricName: "A", AlarmName: "A", Threshold: 1,
			BenchmarkPattern: `{ $.eventName = "X" }`}, 1},
	} {
		bound := func(pattern string) int {
			row := tt.row
			row.Pattern = pattern
			s := Stack{TrailName: "trailwatch", Language: "en", Alarms: []catalog.Alarm{row}}
			return s.TemplateBytes()
		}
		short, long := bound(`{ $.a = "b" }`), bound(`{ $.a = "`+strings.Repeat("b", 1000)+`" }`)
		if grew, want := long-short, 999*tt.filters; grew < want {
			t.Errorf("%s: 999 more bytes of pattern raised the bound by %d, want at least %d", tt.name, grew, want)
		}
	}
}

// The stack count takes a target's Regions from the defaults when the target names none, and
// from the target when it does (its own region wins over the defaults' regions).
func TestTargetsFileStackCountUsesDefaultRegions(t *testing.T) {
	file := func(n int, own string) string {
		var b strings.Builder
		b.WriteString("defaults: {existingLogGroupName: CloudTrail/x, regions: [us-east-1, us-east-2, us-west-2]}\ntargets:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {account: \"%012d\"%s}\n", i+1, own)
		}
		return b.String()
	}
	runTargetsCases(t, []hostileCase{
		{"167 targets in 3 default Regions", "t.yaml", file(167, ""), []string{
			"makes 501 stacks (one per target and Region); allowed: at most 500 stacks in one targets file (CloudFormation allows 2000 stacks per account and Region; use a StackSet for many accounts)"}},
		{"167 targets in one Region each", "t.yaml", file(167, ", region: us-east-1"), nil},
	})
}

// Each kind of value a field of an alarms file does not take is refused at its line, naming the
// field and what it takes; a null dimensions, fires or alarms list is the same as none.
func TestAlarmsFileFieldsOfTheWrongKind(t *testing.T) {
	const records = "allowed: a list of CloudTrail records, each a map such as {eventName: CreateUser}"
	runAlarmsCases(t, []hostileCase{
		{"ID a list", "a.yaml", strings.Replace(alarm(""), "id: A", "id: [A]", 1), []string{
			"line 2: alarm 1: id: is a list; allowed: a text"}},
		{"alarm name a bare number", "a.yaml", alarm(", alarmName: 404"), nil},
		{"dimensions null", "a.yaml", alarm(", dimensions: null"), nil},
		{"dimensions a list", "a.yaml", alarm(", dimensions: [User]"), []string{
			"line 2: alarm 1 (A): dimensions: is a list; allowed: a map of up to 3 dimension names to record fields, e.g. {Account: $.recipientAccountId}"}},
		{"a dimension's field a map", "a.yaml", alarm(", dimensions: {User: {a: b}}"), []string{
			"line 2: alarm 1 (A): dimensions.User: is a map; allowed: a record field such as $.recipientAccountId"}},
		{"a tab in a dimension's name", "a.yaml", alarm(`, dimensions: {"Us\ter": $.userIdentity.arn}`), []string{
			`line 2: alarm 1 (A): dimensions: "Us\ter" has the control character U+0009 (a line break, tab or other); allowed: printable text on one line`}},
		{"a line break in a dimension's field", "a.yaml", alarm(`, dimensions: {User: "$.userIdentity.arn\n"}`), []string{
			"line 2: alarm 1 (A): dimensions: User has the control character U+000A (a line break, tab or other); allowed: printable text on one line"}},
		{"a description's translation a list", "a.yaml", strings.Replace(alarm(""), "description: x", "description: {en: x, ja: [y]}", 1), []string{
			"line 2: alarm 1 (A): description.ja: is a list; allowed: a text (English), or a map of en, ja to texts, e.g. {en: ..., ja: ...}"}},
		{"fires null", "a.yaml", alarm(", fires: null"), nil},
		{"fires a map", "a.yaml", alarm(", fires: {eventName: CreateUser}"), []string{
			"line 2: alarm 1 (A): fires: is a map; " + records}},
		{"a record with .nan in a list", "a.yaml", alarm(", fires: [{eventName: CreateUser, a: [1,\n      .nan]}]"), []string{
			`line 3: alarm 1 (A): fires[1]: ".nan" is not a finite number; allowed: a JSON number`}},
		{"a record with .inf in a map", "a.yaml", alarm(", quiet: [{eventName: CreateUser}, {a: {b: .inf}}]"), []string{
			`line 2: alarm 1 (A): quiet[2]: ".inf" is not a finite number; allowed: a JSON number`}},
		{"a threshold tagged as a float that is not finite", "a.yaml", strings.Replace(alarm(""), "threshold: 1", "threshold: !!float nan", 1), []string{
			`line 2: alarm 1 (A): threshold: "nan" is not a finite number; allowed: a number greater than 0, such as 1 (events in one period)`}},
		{"a period tagged as a float that is not finite", "a.yaml", alarm(", period: !!float inf"), []string{
			`line 2: alarm 1 (A): period: "inf" is not a whole number of seconds; allowed: a multiple of 60 from 60 to 86400`}},
		{"alarms null", "a.yaml", "alarms: null\n", []string{
			`has no alarms (want a top-level "alarms" list with at least one entry)`}},
		{"the file null", "a.json", "null", []string{
			`has no alarms (want a top-level "alarms" list with at least one entry)`}},
	})
}

// An example record keeps its numbers as written where JSON can (1.50 stays 1.50), reads YAML's
// other integer forms (0x1F, 1_000, up to the largest int64) as their value, and keeps lists and
// maps whole.
func TestAlarmsFileRecordsKeepTheirNumbers(t *testing.T) {
	path := writeFile(t, "a.yaml", "alarms:\n  - {id: A, pattern: '{ $.a = 31 }', threshold: 1, description: x,\n"+
		"     fires: [{a: 0x1F, b: 1.50, c: [1, 2], d: {e: 1e3}, f: 1_000, g: 0o17, h: 0x7fffffffffffffff}]}\n")
	cfg, err := parseWith(t, map[string]any{"alarmsFile": path})
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Alarms[len(cfg.Alarms)-1].Fires
	if want := []string{`{"a":31,"b":1.50,"c":[1,2],"d":{"e":1e3},"f":1000,"g":15,"h":9223372036854776000}`}; !slices.Equal(got, want) {
		t.Errorf("fires = %q, want %q", got, want)
	}
}

// A file that is empty, cut, or not JSON or YAML after its first value is refused at the line
// where it goes wrong; a YAML file of only "---" holds no alarms.
func TestAlarmsFileSyntaxProblemsNameTheirLine(t *testing.T) {
	runAlarmsCases(t, []hostileCase{
		{"an empty JSON file", "a.json", "", []string{"is empty"}},
		{"a JSON file of white space", "a.json", " \n\t\n", []string{"is empty"}},
		{"JSON that starts with a closing brace", "a.json", "\n}", []string{
			"line 2: is not valid JSON: invalid character '}' looking for beginning of value"}},
		{"JSON with a key and no colon", "a.json", "{\"alarms\"\n\n 1}", []string{
			"line 3: is not valid JSON: invalid character '1' after object key"}},
		{"JSON with text after the document", "a.json", "{\"alarms\": []}\n]", []string{
			"line 2: is not valid JSON: invalid character ']' looking for beginning of value"}},
		{"a second YAML document that is not YAML", "a.yaml", "alarms: []\n---\n[\n", []string{
			"line 3: is not valid YAML: did not find expected node content"}},
		{"a YAML alias to no anchor", "a.yaml", "alarms: *nope\n", []string{
			"is not valid YAML: unknown anchor 'nope' referenced"}},
		{"a YAML key that is a list", "a.yaml", "alarms: []\n? [a]\n: b\n", []string{
			"line 2: has a key that is a list or map; allowed: a text key"}},
		{"a YAML document of only ---", "a.yaml", "---\n", []string{
			`has no alarms (want a top-level "alarms" list with at least one entry)`}},
	})
}

// A YAML alias used as a key is the text its anchor names.
func TestYAMLAliasAsAKey(t *testing.T) {
	n, lerr := parseFile("a.yaml", []byte("a: &k b\n*k : c\n"))
	if lerr != nil {
		t.Fatal(lerr.msg)
	}
	got, _ := n.plain()
	if want := `{"a":"b","b":"c"}`; quote(got) != want {
		t.Errorf("read %s, want %s", quote(got), want)
	}
}

// A problem line escapes a byte that is not UTF-8 as \xHH, once, and keeps U+FFFD, which is
// printable (a file name from a foreign file system, a JSON string the decoder repaired).
func TestProblemEscapesBytesThatAreNotUTF8(t *testing.T) {
	p := &Problem{Key: alarmsFileKey, File: "a\xff\xfeb.yaml", Entry: "alarm 1 (A\ufffd)", Msg: "is bad"}
	if got, want := p.Error(), `alarmsFile: a\xff\xfeb.yaml: alarm 1 (A`+"\ufffd"+`): is bad`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// Lists and maps nest at most MaxDepth deep, the same in JSON and YAML, in lists and in maps,
// with what a YAML alias names counted where the alias stands; a text inside the deepest list is
// not a level.
func TestNestingLimitIsTheSameForEveryContainer(t *testing.T) {
	nested := func(k int, open, leaf, close string) string {
		return strings.Repeat(open, k) + leaf + strings.Repeat(close, k)
	}
	const (
		yamlTooDeep = "line 1: nests lists and maps more than 64 deep (YAML aliases included); allowed: at most 64"
		jsonTooDeep = "line 1: nests lists and maps more than 64 deep; allowed: at most 64"
	)
	for _, c := range []struct {
		name, path, content, want string
	}{
		{"64 YAML lists", "a.yaml", nested(64, "[", "x", "]"), ""},
		{"65 YAML lists", "a.yaml", nested(65, "[", "x", "]"), yamlTooDeep},
		{"64 YAML maps", "a.yaml", nested(64, "{a: ", "x", "}"), ""},
		{"65 YAML maps", "a.yaml", nested(65, "{a: ", "x", "}"), yamlTooDeep},
		{"64 JSON lists", "a.json", nested(64, "[", "1", "]"), ""},
		{"65 JSON lists", "a.json", nested(65, "[", "1", "]"), jsonTooDeep},
		{"64 JSON maps", "a.json", nested(64, `{"a": `, "1", "}"), ""},
		{"65 JSON maps", "a.json", nested(65, `{"a": `, "1", "}"), jsonTooDeep},
		{"an alias to 62 lists, in a list in a map", "a.yaml", "a: &x " + nested(62, "[", "x", "]") + "\nb: [*x]\n", ""},
		{"an alias to 63 lists, in a list in a map", "a.yaml", "a: &x " + nested(63, "[", "x", "]") + "\nb: [*x]\n", strings.Replace(yamlTooDeep, "line 1", "line 2", 1)},
	} {
		n, lerr := parseFile(c.path, []byte(c.content))
		switch {
		case c.want == "" && lerr != nil:
			t.Errorf("%s: %s", c.name, lerr.msg)
		case c.want != "" && (lerr == nil || fmt.Sprintf("line %d: %s", lerr.line, lerr.msg) != c.want):
			t.Errorf("%s: got %v, want %q", c.name, lerr, c.want)
		case c.want == "" && n == nil:
			t.Errorf("%s: no value", c.name)
		}
	}
}

// An entry whose every field is well formed is checked whole: its records against its pattern,
// whichever optional fields it also has.
func TestAlarmsFileRecordsAreCheckedWithEveryFieldGiven(t *testing.T) {
	full := "alarms:\n  - id: A\n    pattern: '{ $.eventName = \"CreateUser\" }'\n    threshold: 1\n    period: 60\n" +
		"    description: {en: x, ja: y}\n    metricName: M\n    alarmName: N\n    namespace: Custom\n" +
		"    dimensions: {User: $.userIdentity.arn}\n    fires: [{eventName: CreateUser}]\n    quiet: [{eventName: DeleteUser}]\n"
	runAlarmsCases(t, []hostileCase{
		{"every field, records as they should be", "a.yaml", full, nil},
		{"a record that should fire does not", "a.yaml", strings.Replace(full, "fires: [{eventName: CreateUser}]", "fires: [{eventName: CreateUser}, {eventName: X}]", 1), []string{
			"line 11: alarm 1 (A): fires[2]: the record does not match the pattern"}},
		{"a quiet record fires", "a.yaml", strings.Replace(full, "quiet: [{eventName: DeleteUser}]", "quiet: [{eventName: CreateUser}]", 1), []string{
			"line 12: alarm 1 (A): quiet[1]: the record matches the pattern"}},
	})
}

// Each part of a targets file that is of the wrong kind is refused at its line; a null file or
// targets list holds no targets, and null defaults are none.
func TestTargetsFilePartsOfTheWrongKind(t *testing.T) {
	const noTargets = `has no targets (want a top-level "targets" list with at least one entry)`
	target := func(fields string) string { return "targets:\n  - {account: \"123456789012\"" + fields + "}\n" }
	runTargetsCases(t, []hostileCase{
		{"the file null", "t.yaml", "null\n", []string{noTargets}},
		{"targets null", "t.yaml", "defaults: {trailName: x}\ntargets:\n", []string{noTargets}},
		{"targets a map", "t.yaml", "defaults: {}\ntargets: {account: \"123456789012\"}\n", []string{
			"line 2: targets is a map; allowed: a list of targets"}},
		{"defaults a list", "t.yaml", "\ndefaults: [trailName]\n" + target(", region: us-east-1"), []string{
			"line 2: defaults: is a list; allowed: a map of trailwatch keys"}},
		{"defaults null", "t.yaml", "defaults:\n" + target(", region: us-east-1"), nil},
		{"a target null", "t.yaml", "targets:\n  - null\n", []string{
			"line 2: target 1 (?/): region: required but not set; allowed: an AWS Region code (or regions: [a list])"}},
		{"a number that is not finite in a target's list", "t.yaml", target(", region: us-east-1, stackSetRegions: [us-east-1, .nan]"), []string{
			`line 2: target 1: stackSetRegions: ".nan" is not a finite number; allowed: a number such as 1 or 2.5`}},
		{"a number that is not finite in a map in the defaults", "t.yaml", "defaults:\n  trailName: {a: .inf}\n" + target(", region: us-east-1"), []string{
			`line 2: defaults: trailName: ".inf" is not a finite number; allowed: a number such as 1 or 2.5`}},
		{"region a number", "t.yaml", target(", region: 12"), []string{
			"line 2: target 1 (123456789012/): region: 12 is not a string; allowed: an AWS Region code"}},
		{"regions empty", "t.yaml", target(", regions: []"), []string{
			"line 2: target 1 (123456789012/): regions: [] is not a list of Region codes"}},
		{"regions null", "t.yaml", target(", regions: null"), []string{
			"line 2: target 1 (123456789012/): regions: is not a list of Region codes"}},
		{"regions of numbers", "t.yaml", target(", regions: [1]"), []string{
			"line 2: target 1 (123456789012/): regions: [1] is not a list of Region codes"}},
		{"account true", "t.yaml", "targets:\n  - {account: true, region: us-east-1}\n", []string{
			"line 2: target 1 (?/us-east-1): account: true is not a text (in a YAML or JSON file, put it in quotes); allowed: a 12-digit AWS account ID"}},
	})
}

// The keys that pick targets are read before the targets file: a bad one is reported alone,
// before the file is opened.
func TestBadAppKeysStopBeforeTheTargetsFile(t *testing.T) {
	for _, c := range []struct {
		name string
		ctx  map[string]any
		want string
	}{
		{"targetsFile a number", map[string]any{"targetsFile": 5.0, "notificationEmails": "a@example.com"},
			"targetsFile: 5 is not a path; allowed: a path to a YAML or JSON file of targets (accounts, Regions, per-target keys): one stack per target"},
		{"a bad environment with a targets file that does not exist", map[string]any{"targetsFile": "/nonexistent/t.yaml", "onlyEnvironment": "x y"},
			`onlyEnvironment: "x y" is not an environment label; allowed: an environment label: synthesize only the targets of that environment (CI deploys one environment per job)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			targets, err := Load(c.ctx, noEnv)
			checkLines(t, err, "", []string{c.want})
			if targets != nil {
				t.Errorf("targets %v with a problem", targets)
			}
		})
	}
}

// A key refuses a value of a kind it does not take, naming the key, the value and what it takes.
func TestKeysRefuseValuesOfTheWrongKind(t *testing.T) {
	for _, c := range []struct {
		key  string
		raw  any
		want string
	}{
		{"alarmsFile", 5.0, "alarmsFile: 5 is not a path; allowed: a path to a JSON (.json) or YAML file of custom alarms (see examples/alarms.yaml)"},
		{"stackSetOrganizationalUnits", []any{"r-ab12", 1.0}, `stackSetOrganizationalUnits: ["r-ab12",1] is not a list of strings; allowed: comma-separated OU IDs (ou-xxxx-xxxxxxxx) or the root (r-xxxx): deploy this configuration to every account in them through a service-managed StackSet`},
		{"alarmProfile", 5.0, "alarmProfile: 5 is not a string; allowed: aws (AWS's ten), cis (Security Hub CloudWatch.1-14; implies managementEvents=All), or aws,cis"},
		{"logRetentionDays", true, "logRetentionDays: true is not a retention CloudWatch Logs accepts; allowed: never, or 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"},
	} {
		t.Run(c.key, func(t *testing.T) {
			_, err := parseWith(t, map[string]any{c.key: c.raw})
			checkLines(t, err, "", []string{c.want})
		})
	}
}

// The resource count and the template bound of each kind of stack, pinned: test/limits_test.go
// compares the count with the synthesized template of each variant (exactly) and holds the bound
// above its size (within 30%); a change to a measured part must be made here as well, on purpose.
func TestResourcesAndTemplateBoundOfEachKindOfStack(t *testing.T) {
	const org = "o-abcdefghij"
	for _, c := range []struct {
		name             string
		ctx              map[string]any
		resources, bound int
	}{
		{"default", map[string]any{}, 55, 58685},
		{"no key, plain emails", map[string]any{"encryption": None, "notifications": Plain}, 41, 42992},
		{"alarms only", map[string]any{"existingLogGroupName": "CloudTrail/org"}, 44, 41738},
		{"alarms only, no key", map[string]any{"existingLogGroupName": "CloudTrail/org", "encryption": None}, 41, 36912},
		{"organization trail", map[string]any{"organizationTrail": true, "organizationId": org}, 55, 60789},
		{"athena", map[string]any{"athena": true}, 71, 85567},
		{"athena on an organization trail", map[string]any{"athena": true, "organizationTrail": true, "organizationId": org}, 71, 89157},
		{"account dimension", map[string]any{"accountDimension": true}, 65, 66015},
		{"cis (benchmark filters)", map[string]any{"alarmProfile": "cis"}, 64, 65976},
		{"a prefix and two addresses", map[string]any{"alarmNamePrefix": "prod-", "notificationEmails": "a@example.com,b@example.com"}, 56, 59198},
		{"a StackSet member", map[string]any{"stackSetOrganizationalUnits": "r-ab12", "region": "us-east-1"}, 43, 46397},
	} {
		ctx := map[string]any{"notificationEmails": "ops@example.com"}
		maps.Copy(ctx, c.ctx)
		target, err := Parse(ctx, noEnv)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		s := target.Deployed()
		if got := s.Resources(); got != c.resources {
			t.Errorf("%s: %d resources, want %d", c.name, got, c.resources)
		}
		if got := s.TemplateBytes(); got != c.bound {
			t.Errorf("%s: template bound %d bytes, want %d", c.name, got, c.bound)
		}
	}
}

// A problem that is not in a list keeps its place when Problems unwraps it; any other error is
// one problem with its text.
func TestProblemsUnwrapsAProblem(t *testing.T) {
	p := &Problem{Key: "trailName", Value: "-x", Msg: "is bad", Err: ErrInvalid}
	if got := Problems(fmt.Errorf("reading: %w", p)); len(got) != 1 || got[0] != p {
		t.Errorf("Problems(wrapped problem) = %v, want the problem itself", got)
	}
	if got := Problems(nil); got != nil {
		t.Errorf("Problems(nil) = %v", got)
	}
}

// A list or map is shown as JSON up to 200 bytes; a longer one is named, not shown.
func TestLongListsAreNamedNotShown(t *testing.T) {
	at := []any{strings.Repeat("a", 196)} // ["aaa…"]: 200 bytes
	if got, want := quote(at), `["`+strings.Repeat("a", 196)+`"]`; got != want {
		t.Errorf("200 bytes: %s", got)
	}
	if got := quote(map[string]any{"a": strings.Repeat("a", 193)}); got != "(a list or map)" { // {"a":"aaa…"}: 201 bytes
		t.Errorf("201 bytes: %s", got)
	}
}

// A problem the catalog finds names each row where the user finds it: a built-in row by its ID
// (the last one included), a row of the alarms file by its entry there (the problem is then the
// file's), a tamper row as the stack's; an error that is not a list of problems is not dropped.
func TestCatalogProblemsNameEachRowWhereTheUserFindsIt(t *testing.T) {
	rows := []catalog.Alarm{{ID: "B1"}, {ID: "B2"}, {ID: "F1"}, {ID: "T1"}}
	c := &checked{Target: &Target{Stack: Stack{AlarmsFile: "a.yaml"}}, builtIn: 2, fromFile: 1}
	at := Problem{Key: "alarmNamePrefix", Value: "p-", Err: ErrInvalid}
	got := lines(c.catalogProblems(catalog.Problems{
		{Row: 4, ID: "T1", Field: "metricName", Msg: "is used twice", Other: 2},
		{Row: 1, ID: "B1", Field: "alarmName", Msg: "is used twice", Other: 3},
		{Field: "pattern", Msg: "six regexes"},
		{Row: 1, Field: "pattern", Msg: "is empty"}, // a row's problem without its ID: still the row's
	}, rows, at).Err())
	want := []string{
		"alarmNamePrefix: tamper alarm T1: metricName: is used twice (also by built-in alarm B2)",
		"alarmsFile: a.yaml: alarm 1 (F1): alarmName: is used twice (also by built-in alarm B1)",
		`alarmNamePrefix: pattern: "p-" six regexes`,
		"alarmNamePrefix: built-in alarm B1: pattern: is empty",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := lines(c.catalogProblems(errors.New("broken"), rows, at).Err()); !slices.Equal(got, []string{`alarmNamePrefix: "p-" broken`}) {
		t.Errorf("a plain error: %q", got)
	}
}

// Each rule between keys holds at its boundary and refuses one past it; a rule about a key whose
// own value is refused stays quiet.
func TestRulesAtTheirBoundaries(t *testing.T) {
	for _, c := range []struct {
		name string
		ctx  map[string]any
		want string // the one problem line; "" accepted
	}{
		{"STANDARD_IA at 30 days", map[string]any{"bucketTransitionStorageClass": "STANDARD_IA", "bucketTransitionDays": "30"}, ""},
		{"ONEZONE_IA at 29 days", map[string]any{"bucketTransitionStorageClass": "ONEZONE_IA", "bucketTransitionDays": "29"},
			"bucketTransitionDays: 29 is too soon for ONEZONE_IA; allowed: at least 30 days for ONEZONE_IA (an S3 rule), or 0"},
		{"STANDARD_IA at 29 days", map[string]any{"bucketTransitionStorageClass": "STANDARD_IA", "bucketTransitionDays": "29"},
			"bucketTransitionDays: 29 is too soon for STANDARD_IA; allowed: at least 30 days for STANDARD_IA (an S3 rule), or 0"},
		{"ONEZONE_IA at 30 days", map[string]any{"bucketTransitionStorageClass": "ONEZONE_IA", "bucketTransitionDays": "30"}, ""},
		{"STANDARD_IA never", map[string]any{"bucketTransitionStorageClass": "STANDARD_IA", "bucketTransitionDays": "0"}, ""},
		{"expiry on the transition day", map[string]any{"bucketTransitionDays": "90", "bucketExpirationDays": "90"},
			"bucketExpirationDays: 90 is not after bucketTransitionDays (90); allowed: 0 (never), or more than 90"},
		{"expiry the day after the transition", map[string]any{"bucketTransitionDays": "90", "bucketExpirationDays": "91"}, ""},
		{"expiry with no transition", map[string]any{"bucketTransitionDays": "0", "bucketExpirationDays": "1"}, ""},
		{"expiry as the lock ends", map[string]any{"objectLockDays": "400", "bucketExpirationDays": "400"}, ""},
		{"expiry the day before the lock ends", map[string]any{"objectLockDays": "400", "bucketExpirationDays": "399"},
			"bucketExpirationDays: 399 is shorter than objectLockDays (400); allowed: 0 (never), or at least 400: objects are locked until then"},
		{"a lock and no expiry", map[string]any{"objectLockDays": "1", "bucketExpirationDays": "0"}, ""},
		{"a StackSet with no Region", map[string]any{"stackSetOrganizationalUnits": "r-abcd"},
			"stackSetRegions: required but not set; allowed: comma-separated AWS Region codes"},
		{"a StackSet in the target's Region", map[string]any{"stackSetOrganizationalUnits": "r-abcd", "region": "us-east-1"}, ""},
		{"a StackSet with a bad region", map[string]any{"stackSetOrganizationalUnits": "r-abcd", "region": "useast"},
			`region: "useast" is not an AWS Region code; allowed: an AWS Region code (e.g. us-east-1, eu-west-2)`},
		{"a StackSet with bad Regions", map[string]any{"stackSetOrganizationalUnits": "r-abcd", "stackSetRegions": "x"},
			`stackSetRegions: "x" has "x", which is not an AWS Region code; allowed: comma-separated AWS Region codes the StackSet deploys to in every account`},
		{"failure tolerance -1", map[string]any{"stackSetFailureTolerance": "-1"},
			`stackSetFailureTolerance: "-1" is not a whole number >= 0; allowed: a whole number >= 0: accounts per Region that may fail before the StackSet operation stops`},
		{"concurrency 0", map[string]any{"stackSetMaxConcurrency": "0"},
			`stackSetMaxConcurrency: "0" is not a whole number >= 1; allowed: a whole number >= 1: accounts per Region a StackSet operation deploys at once (failures do not lower it)`},
		{"a billion days from cdk.json", map[string]any{"bucketExpirationDays": 1e9}, ""},
		{"a billion and one days from cdk.json", map[string]any{"bucketExpirationDays": 1e9 + 1},
			"bucketExpirationDays: 1000000001 is not a whole number of days >= 0; allowed: a whole number of days >= 0 (0: never delete); if set, more than bucketTransitionDays"},
		{"a billion days from -c", map[string]any{"bucketExpirationDays": "1000000000"}, ""},
		{"a billion and one days from -c", map[string]any{"bucketExpirationDays": "1000000001"},
			`bucketExpirationDays: "1000000001" is not a whole number of days >= 0; allowed: a whole number of days >= 0 (0: never delete); if set, more than bucketTransitionDays`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseWith(t, c.ctx)
			var want []string
			if c.want != "" {
				want = []string{c.want}
			}
			checkLines(t, err, "", want)
		})
	}
}

// A label is shown as written when it is printable and at most 64 characters, else quoted, and
// cut at 64 characters when longer.
func TestLabelsAreCutAt64Characters(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	for _, c := range []struct{ in, want string }{
		{x(64), x(64)},
		{x(65), `"` + x(64) + `"…`},
		{x(63) + "\n", `"` + x(63) + `\n"`},
		{x(64) + "\n", `"` + x(64) + `"…`},
	} {
		if got := label(c.in); got != c.want {
			t.Errorf("label(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// A context key up to two edits from one of ours (three for keys of 16 characters or more) is
// reported as a typo of it; one further off is another tool's and left alone. A field of an alarm
// up to two edits off gets the hint; any unknown field is refused.
func TestTyposAreHintedUpToTheirDistance(t *testing.T) {
	typo := func(name, near string) string {
		return name + `: "x" is set on a key trailwatch does not know; allowed: did you mean ` + near + "? (known keys: " + strings.Join(KeyNames(), ", ") + ")"
	}
	for _, c := range []struct{ name, want string }{
		{"alarmNameXXefix", typo("alarmNameXXefix", "alarmNamePrefix")},
		{"alarmNameXXXfix", ""},
		{"logRetentXXXDays", typo("logRetentXXXDays", "logRetentionDays")},
		{"logRetXXXXonDays", ""},
		{"objectLockMoys", typo("objectLockMoys", "objectLockDays")}, // two edits from objectLockMode too: the first in the table
	} {
		_, err := parseWith(t, map[string]any{c.name: "x"})
		var want []string
		if c.want != "" {
			want = []string{c.want}
		}
		checkLines(t, err, "", want)
	}
	const fields = "allowed: id, pattern, threshold, period, description, metricName, alarmName, namespace, dimensions, fires, quiet"
	runAlarmsCases(t, []hostileCase{
		{"two edits off", "a.yaml", alarm(", threshXXd: 1"), []string{
			"line 2: alarm 1 (A): threshXXd: is not a field of an alarm; did you mean threshold? " + fields}},
		{"three edits off", "a.yaml", alarm(", thrXXXold: 1"), []string{
			"line 2: alarm 1 (A): thrXXXold: is not a field of an alarm; " + fields}},
	})
}

// A boolean key takes true and false, as JSON booleans or as the texts -c gives; no other
// spelling Go would read ("1", "T", "TRUE").
func TestBooleanKeysTakeTrueAndFalseOnly(t *testing.T) {
	for _, c := range []struct {
		raw  any
		want bool
	}{{"true", true}, {"false", false}, {true, true}, {false, false}} {
		target, err := parseWith(t, map[string]any{"nag": c.raw, "accountDimension": c.raw})
		if err != nil {
			t.Errorf("%#v: %v", c.raw, err)
			continue
		}
		if target.Nag != c.want || target.AccountDimension != c.want {
			t.Errorf("%#v read as nag=%v, accountDimension=%v; want %v", c.raw, target.Nag, target.AccountDimension, c.want)
		}
	}
	for _, raw := range []string{"1", "T", "TRUE", "0", "F"} {
		_, err := parseWith(t, map[string]any{"nag": raw})
		checkLines(t, err, "", []string{`nag: "` + raw + `" is not a boolean; allowed: true (apply the cdk-nag AwsSolutions checks and print their report at synth), false`})
	}
}

// A problem with a record of fires or quiet written on its own line is placed at that line.
func TestRecordProblemsAreAtTheRecordsLine(t *testing.T) {
	entry := "alarms:\n  - id: A\n    pattern: '{ $.eventName = \"CreateUser\" }'\n    threshold: 1\n    description: x\n"
	runAlarmsCases(t, []hostileCase{
		{"the first record of fires", "a.yaml", entry + "    fires:\n      - {eventName: X}\n      - {eventName: CreateUser}\n", []string{
			"line 7: alarm 1 (A): fires[1]: the record does not match the pattern"}},
		{"the second record of quiet", "a.yaml", entry + "    quiet:\n      - {eventName: X}\n      - {eventName: CreateUser}\n", []string{
			"line 8: alarm 1 (A): quiet[2]: the record matches the pattern"}},
	})
}

// An ID beyond its limits is reported once, not again through the metric and alarm names made
// from it; a name the entry gives, and any other field beyond its limits, is still reported.
func TestATooLongIDIsNotReportedThroughItsNames(t *testing.T) {
	id := "A" + strings.Repeat("x", 251) // ID+"Count" and "CloudTrail"+ID are over 255 too
	shown := `alarm 1 ("A` + strings.Repeat("x", 63) + `"…)`
	entry := "alarms:\n  - id: " + id + "\n    pattern: '{ $.a = 1 }'\n    threshold: 1\n    description: x\n"
	runAlarmsCases(t, []hostileCase{
		{"names made from the ID", "a.yaml", entry, []string{
			"line 2: " + shown + ": id: is 252 characters long; allowed: at most 64"}},
		{"a metric name given", "a.yaml", entry + "    metricName: " + strings.Repeat("m", 256) + "\n", []string{
			"line 2: " + shown + ": id: is 252 characters long; allowed: at most 64",
			"line 6: " + shown + ": metricName: is 256 characters long; allowed: at most 255"}},
		{"a tab in the ID and a long pattern", "a.yaml", "alarms:\n  - id: \"A\\tB\"\n    pattern: '{ $.a = \"" + strings.Repeat("p", 1030) + "\" }'\n    threshold: 1\n    description: x\n", []string{
			`line 2: alarm 1 ("A\tB"): id: has the control character U+0009 (a line break, tab or other); allowed: printable text on one line`,
			`line 3: alarm 1 ("A\tB"): pattern: is 1042 characters long; allowed: at most 1024`}},
	})
}

// On an alarms-only stack, a trail key given as null is not given, and one whose value is refused
// is reported for its value only.
func TestAlarmsOnlyTrailKeysNullOrRefused(t *testing.T) {
	for _, c := range []struct {
		name string
		ctx  map[string]any
		want string
	}{
		{"managementEvents null", map[string]any{"managementEvents": nil}, ""},
		{"objectLockDays refused", map[string]any{"objectLockDays": "ever"},
			`objectLockDays: "ever" is not a whole number of days from 0 to 36500; allowed: a whole number of days from 0 (off) to 36500; only takes effect on a new bucket`},
	} {
		c.ctx["existingLogGroupName"] = "g"
		_, err := parseWith(t, c.ctx)
		var want []string
		if c.want != "" {
			want = []string{c.want}
		}
		checkLines(t, err, "", want)
	}
}

// A problem in an alarms file a target names keeps the alarms file's line (or none), after that
// file's name; the target's line is not put on it.
func TestAlarmsFileProblemsInATargetKeepTheirLine(t *testing.T) {
	for _, c := range []struct{ name, alarms, want string }{
		{"a problem at a line", "alarms:\n  - {id: X, pattern: '{ $.a = 1 }', description: x}\n", "line 2: alarm 1 (X): threshold: is required"},
		{"a problem of the whole file", "alarms: []\n", `has no alarms (want a top-level "alarms" list with at least one entry)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			alarms := writeFile(t, "a.yaml", c.alarms)
			targets := writeFile(t, "t.yaml", "\n\ntargets:\n  - account: \"123456789012\"\n    region: us-east-1\n    alarmsFile: "+alarms+"\n")
			_, err := Load(map[string]any{"targetsFile": targets, "notificationEmails": "a@example.com"}, noEnv)
			checkLines(t, err, "targetsFile: "+targets+": target 1 (123456789012/us-east-1): alarmsFile: "+alarms+": ", []string{c.want})
		})
	}
}

// Every kind of value is named in the user's words where it does not belong, and a top-level key
// of either file one typo off gets its hint.
func TestKindsAndTopLevelTyposInTheUsersWords(t *testing.T) {
	runAlarmsCases(t, []hostileCase{
		{"an entry that is null", "a.yaml", "alarms:\n  - null\n", []string{
			"line 2: alarm 1: is null; allowed: a map of fields (id, pattern, threshold, period, description, metricName, alarmName, namespace, dimensions, fires, quiet)"}},
		{"an ID that is true", "a.yaml", strings.Replace(alarm(""), "id: A", "id: true", 1), []string{
			`line 2: alarm 1: id: "true" is true/false; allowed: a text`}},
		{"a pattern that is a number", "a.yaml", strings.Replace(alarm(""), okPattern, "12", 1), []string{
			"line 2: alarm 1 (A): pattern: col 1: not supported: term patterns such as ERROR or \"two words\"; the engine evaluates JSON patterns { ... } and the empty pattern"}},
		{"alarm one typo off", "a.yaml", "alarm: []\n", []string{
			`line 1: "alarm" is not a top-level key of an alarms file; did you mean alarms? allowed: alarms (the list of alarms)`}},
	})
	runTargetsCases(t, []hostileCase{
		{"default one typo off", "t.yaml", "default: {}\ntargets: []\n", []string{
			`line 1: "default" is not a top-level key of a targets file; did you mean defaults? allowed: defaults, targets`}},
		{"the file true", "t.yaml", "true\n", []string{
			`line 1: is true/false; allowed: a map with "defaults" (optional) and a "targets" list`}},
	})
}

// The prefix and an alarm's name together may be 255 characters, and no more: at 255 the name
// fits (and makes the tamper row that watches alarm names too long), at 256 the name is reported
// alone.
func TestAlarmNameWithThePrefixAtTheLimit(t *testing.T) {
	path := func(n int) string {
		return writeFile(t, "a.yaml", "alarms:\n  - {id: Long, pattern: '{ $.a = 1 }', threshold: 1, description: x, alarmName: "+strings.Repeat("n", n)+"}\n")
	}
	at255 := path(245)
	_, err := parseWith(t, map[string]any{"alarmsFile": at255, "alarmNamePrefix": "prod-acct-"})
	checkLines(t, err, "alarmsFile: "+at255+": ", []string{"tamper alarm TamperAlarms: the pattern can be 1507 characters long with the longest deploy-time names; CloudWatch Logs allows 1024 (a shorter alarmNamePrefix, trailName or existingLogGroupName, or fewer custom alarm names, makes it fit)"})
	_, err = parseWith(t, map[string]any{"alarmsFile": path(246), "alarmNamePrefix": "prod-acct-"})
	checkLines(t, err, "", []string{`alarmNamePrefix: "prod-acct-" makes alarm Long's name 256 characters long; allowed: prefix and alarm name together at most 255 characters`})
}

// A field that is missing is reported at its entry's line.
func TestMissingFieldsAreAtTheEntrysLine(t *testing.T) {
	runAlarmsCases(t, []hostileCase{
		{"no description", "a.yaml", "alarms:\n  - {id: A, threshold: 1,\n     pattern: '{ $.a = 1 }'}\n", []string{
			"line 2: alarm 1 (A): description.en: is empty"}},
	})
}

// An address SNS can deliver to: a local part and a dotted domain, no quoted spaces, no domain
// literal.
func TestEmailAddressesSNSDeliversTo(t *testing.T) {
	for _, c := range []struct {
		addr string
		ok   bool
	}{
		{"a@b.c", true},
		{"@example.com", false},
		{"bob@.example.com", false},
		{"bob@example.com.", false},
		{"bob@example..com", false},
		{"bob@[192.0.2.1]", false},
		{`"a b"@example.com`, false},
		{`"a[b"@example.com`, false},
		{"bob@localhost", false},
		{"a\tb@example.com", false},
	} {
		if got := validEmail(c.addr); got != c.ok {
			t.Errorf("validEmail(%q) = %v, want %v", c.addr, got, c.ok)
		}
	}
}

// Each problem matches its own sentinel and no other: a missing key is not invalid, a typo of a
// key is neither, and a targets file's problem is also invalid.
func TestProblemsMatchOnlyTheirSentinels(t *testing.T) {
	sentinels := []error{ErrMissing, ErrInvalid, ErrUnknownKey, ErrAlarmsFile, ErrTargetsFile}
	for _, c := range []struct {
		name string
		err  error
		is   []error
	}{
		{"a missing key", &Problem{Key: "notificationEmails", Err: ErrMissing}, []error{ErrMissing}},
		{"a typo of a key", &Problem{Key: "trailNme", Err: ErrUnknownKey}, []error{ErrUnknownKey}},
		{"a bad value", &Problem{Key: "trailName", Err: ErrInvalid}, []error{ErrInvalid}},
		{"an alarms file's problem", &Problem{Key: alarmsFileKey, File: "a.yaml", Err: ErrAlarmsFile}, []error{ErrInvalid, ErrAlarmsFile}},
		{"a targets file's problem", &Problem{TargetsFile: "t.yaml", Err: ErrTargetsFile}, []error{ErrInvalid, ErrTargetsFile}},
		{"a key missing in a target", &Problem{TargetsFile: "t.yaml", Key: "account", Err: ErrMissing}, []error{ErrMissing, ErrInvalid, ErrTargetsFile}},
	} {
		for _, s := range sentinels {
			if got, want := errors.Is(c.err, s), slices.Contains(c.is, s); got != want {
				t.Errorf("%s: errors.Is(%v) = %v, want %v", c.name, s, got, want)
			}
		}
	}
}

// A text value is shown whole up to 256 characters, and cut after 256 with its length.
func TestLongTextsAreCutAfter256Characters(t *testing.T) {
	at := strings.Repeat("ア", 256)
	if got := quote(at); got != `"`+at+`"` {
		t.Errorf("256 characters: %s", got)
	}
	if got, want := quote(at+"x"), `"`+at+`"… (257 characters)`; got != want {
		t.Errorf("257 characters:\n  got  %s\n  want %s", got, want)
	}
}

// With dedupeAlarms, the alarms file's rows are still named by their entry in the file.
func TestFileRowsAreNamedByTheirEntryAfterDedupe(t *testing.T) {
	path := writeFile(t, "a.yaml", "alarms:\n  - {id: TamperTrail, pattern: '{ $.a = 1 }', threshold: 1, description: x}\n")
	_, err := parseWith(t, map[string]any{"alarmsFile": path, "alarmProfile": "aws,cis", "dedupeAlarms": true})
	checkLines(t, err, "alarmsFile: "+path+": ", []string{`alarm 1 (TamperTrail): id: "TamperTrail" is used twice (also by tamper alarm TamperTrail)`})
}

// An ID may be 64 characters long, and no longer.
func TestIDAtItsLimit(t *testing.T) {
	id := func(n int) string { return "A" + strings.Repeat("x", n-1) }
	runAlarmsCases(t, []hostileCase{
		{"64 characters", "a.yaml", strings.Replace(alarm(""), "id: A", "id: "+id(64), 1), nil},
		{"65 characters", "a.yaml", strings.Replace(alarm(""), "id: A", "id: "+id(65), 1), []string{
			`line 2: alarm 1 ("` + id(64) + `"…): id: is 65 characters long; allowed: at most 64`}},
	})
}

// A StackSet target may share its account and Region with a full stack: it makes no trail there
// (its members do, in their own accounts) and its stack is named apart.
func TestAStackSetTargetSharesTheAccountOfAFullStack(t *testing.T) {
	path := writeFile(t, "t.yaml", "targets:\n  - {account: \"123456789012\", region: us-east-1}\n"+
		"  - {account: \"123456789012\", region: us-east-1, stackSetOrganizationalUnits: r-ab12}\n")
	targets, err := Load(map[string]any{"targetsFile": path, "notificationEmails": "a@example.com"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(targets), []string{"Trailwatch-123456789012-us-east-1", "Trailwatch-123456789012-us-east-1-StackSet"}; !slices.Equal(got, want) {
		t.Errorf("stacks %v, want %v", got, want)
	}
}

// A target with no Region counts as one stack toward the limit (its missing Region is reported).
func TestATargetWithoutARegionCountsAsOneStack(t *testing.T) {
	file := func(n int) string {
		var b strings.Builder
		b.WriteString("targets:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {account: \"%012d\"}\n", i+1)
		}
		return writeFile(t, "t.yaml", b.String())
	}
	_, err := Load(map[string]any{"targetsFile": file(251), "notificationEmails": "a@example.com"}, noEnv)
	if got := lines(err); len(got) != 251 || !strings.HasSuffix(got[250], ": line 252: target 251 (000000000251/): region: required but not set; allowed: an AWS Region code (or regions: [a list])") {
		t.Errorf("251 targets without a Region: %d problems, the last %q", len(got), got[len(got)-1])
	}
	_, err = Load(map[string]any{"targetsFile": file(501), "notificationEmails": "a@example.com"}, noEnv)
	if got := lines(err); len(got) != 1 || !strings.HasSuffix(got[0], ": makes 501 stacks (one per target and Region); allowed: at most 500 stacks in one targets file (CloudFormation allows 2000 stacks per account and Region; use a StackSet for many accounts)") {
		t.Errorf("501 targets without a Region: %q", got)
	}
}

// On an alarms-only stack, a tamper pattern too long is the log group's line (the stack's other
// name in it), not the prefix's alone.
func TestFailsOnATamperPatternTooLongOnAnAlarmsOnlyStack(t *testing.T) {
	_, err := parseWith(t, map[string]any{"existingLogGroupName": "g", "alarmNamePrefix": strings.Repeat("p", 64), "alarmProfile": "aws,cis"})
	checkLines(t, err, "", []string{"existingLogGroupName: tamper alarm TamperAlarms: the pattern can be 1306 characters long with the longest deploy-time names; CloudWatch Logs allows 1024 (a shorter alarmNamePrefix, trailName or existingLogGroupName, or fewer custom alarm names, makes it fit)"})
}

// A missing field hides only the problems that restate it: a missing threshold does not hide a
// metric name that is too long (only a missing ID hides the metric and alarm names made from it).
func TestMissingFieldHidesOnlyItsOwnRestatements(t *testing.T) {
	long := strings.Repeat("m", 300)
	path := writeFile(t, "a.yaml", "alarms:\n  - {id: Mine, pattern: '{ $.a = 1 }', metricName: '"+long+"', description: {en: x}}\n")
	_, err := Parse(map[string]any{"notificationEmails": "a@example.com", "alarmsFile": path}, noEnv)
	want := []string{
		"alarmsFile: " + path + ": line 2: alarm 1 (Mine): threshold: is required",
		"alarmsFile: " + path + ": line 2: alarm 1 (Mine): metricName: is 300 characters long; allowed: at most 255",
	}
	if got := lines(err); !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	// The same with a name CheckRow refuses ('$'), which is where the hiding is decided.
	path = writeFile(t, "b.yaml", "alarms:\n  - {id: Mine, pattern: '{ $.a = 1 }', metricName: 'a$b', description: {en: x}}\n")
	_, err = Parse(map[string]any{"notificationEmails": "a@example.com", "alarmsFile": path}, noEnv)
	want = []string{
		"alarmsFile: " + path + ": line 2: alarm 1 (Mine): threshold: is required",
		"alarmsFile: " + path + `: line 2: alarm 1 (Mine): metricName: "a$b" is not a CloudWatch metric name (1 to 255 characters, no '$', not starting with ':')`,
	}
	if got := lines(err); !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// A YAML tag is URI-escaped in the file (!%0A is "!\n"); the message shows it escaped, on one
// line (found by FuzzTargetsFile).
func TestTagWithALineBreakStaysOnOneLine(t *testing.T) {
	_, lerr := parseFile("t.yaml", []byte("!%0A"))
	if want := `has a value tagged !\n, which trailwatch does not read; allowed: texts, numbers, true/false, lists and maps`; lerr == nil || lerr.msg != want {
		t.Errorf("got %+v, want %q", lerr, want)
	}
}
