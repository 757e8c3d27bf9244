package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Hostile configuration files (issue 11): each family is a table; every case asserts the whole
// problem line after the file's name, so a message that drifts back to Go's words fails.

// hostileCase is one file and the problem lines it must give, each without the
// "alarmsFile: PATH: " or "targetsFile: PATH: " prefix; none: the file is accepted.
type hostileCase struct {
	name, file, content string
	want                []string
}

const okPattern = `'{ $.eventName = "CreateUser" }'`

// alarm is one entry of an alarms file with its fields replaced or added (YAML flow style).
func alarm(extra string) string {
	return "alarms:\n  - {id: A, pattern: " + okPattern + ", threshold: 1, description: x" + extra + "}\n"
}

func runAlarmsCases(t *testing.T, cases []hostileCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, c.file, c.content)
			_, err := parseWith(t, map[string]any{"alarmsFile": path})
			checkLines(t, err, "alarmsFile: "+path+": ", c.want)
			if err != nil && (!errors.Is(err, ErrAlarmsFile) || !errors.Is(err, ErrInvalid)) {
				t.Errorf("error %v is not ErrAlarmsFile and ErrInvalid", err)
			}
		})
	}
}

func runTargetsCases(t *testing.T, cases []hostileCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, c.file, c.content)
			_, err := Load(map[string]any{"targetsFile": path, "notificationEmails": "ops@example.com"}, noEnv)
			checkLines(t, err, "targetsFile: "+path+": ", c.want)
		})
	}
}

// checkLines asserts err's lines are exactly prefix+want, and that none shows Go's internals.
func checkLines(t *testing.T, err error, prefix string, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("want no problem, got:\n%v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("want %d problems, got none", len(want))
	}
	got := lines(err)
	for _, l := range got {
		l = strings.TrimPrefix(l, prefix)
		for _, internal := range []string{"config.", "interface {}", "map[", "json:", "yaml:", "Go struct", "\x00"} {
			if strings.Contains(l, internal) {
				t.Errorf("problem shows Go's internals (%q):\n  %s", internal, l)
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), err)
	}
	for i, w := range want {
		if got[i] != prefix+w {
			t.Errorf("line %d:\n  got  %s\n  want %s", i+1, got[i], prefix+w)
		}
	}
}

// Family "crash": values that passed validation and then panicked in synth, or that CloudWatch
// refuses at deploy, are refused here, at their limit and not before.
func TestHostileAlarmsFileValuesAtTheLimits(t *testing.T) {
	notFinite := func(v string) string {
		return `line 2: alarm 1 (A): threshold: "` + v + `" is not a finite number; allowed: a number greater than 0, such as 1 (events in one period)`
	}
	pattern := func(n int) string { // a valid pattern of exactly n characters
		head, tail := `{ $.eventName = "`, `" }`
		return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
	}
	entry := func(field string) string {
		return "alarms:\n  - id: A\n    pattern: " + okPattern + "\n    threshold: 1\n    description: x\n" + field + "\n"
	}
	runAlarmsCases(t, []hostileCase{
		{"threshold .inf", "a.yaml", strings.Replace(alarm(""), "threshold: 1", "threshold: .inf", 1), []string{notFinite(".inf")}},
		{"threshold -.Inf", "a.yaml", strings.Replace(alarm(""), "threshold: 1", "threshold: -.Inf", 1), []string{notFinite("-.Inf")}},
		{"threshold .nan", "a.yaml", strings.Replace(alarm(""), "threshold: 1", "threshold: .nan", 1), []string{notFinite(".nan")}},
		{"threshold 1e400", "a.yaml", strings.Replace(alarm(""), "threshold: 1", "threshold: 1e400", 1), []string{notFinite("1e400")}},
		{"JSON threshold 1e400", "a.json", `{"alarms": [{"id": "A", "pattern": "{ $.a = 1 }", "threshold": 1e400, "description": "x"}]}`, []string{
			`line 1: alarm 1 (A): threshold: "1e400" is not a finite number; allowed: a number greater than 0, such as 1 (events in one period)`}},
		{"threshold a huge finite number", "a.yaml", strings.Replace(alarm(""), "threshold: 1", "threshold: 1e300", 1), nil},
		{"period a huge integer", "a.yaml", alarm(", period: 99999999999999999999999"), []string{
			`line 2: alarm 1 (A): period: "99999999999999999999999" is not a whole number of seconds; allowed: a multiple of 60 from 60 to 86400`}},
		{"period past int64", "a.json", `{"alarms": [{"id": "A", "pattern": "{ $.a = 1 }", "threshold": 1, "period": 9223372036854775808, "description": "x"}]}`, []string{
			`line 1: alarm 1 (A): period: "9223372036854775808" is not a whole number of seconds; allowed: a multiple of 60 from 60 to 86400`}},
		{"pattern of 1024 characters", "a.yaml", strings.Replace(entry(""), okPattern, "'"+pattern(1024)+"'", 1), nil},
		{"pattern of 1025 characters", "a.yaml", strings.Replace(entry(""), okPattern, "'"+pattern(1025)+"'", 1), []string{
			"line 3: alarm 1 (A): pattern: is 1025 characters long; allowed: at most 1024"}},
		{"description of 1024 characters", "a.yaml", strings.Replace(entry(""), "description: x", "description: "+strings.Repeat("ア", 1024), 1), nil},
		{"description of 1025 characters", "a.yaml", strings.Replace(entry(""), "description: x", "description: {en: x, ja: "+strings.Repeat("ア", 1025)+"}", 1), []string{
			"line 5: alarm 1 (A): description.ja: is 1025 characters long; allowed: at most 1024"}},
		{"namespace of 255 characters", "a.yaml", entry("    namespace: " + strings.Repeat("n", 255)), nil},
		{"namespace of 256 characters", "a.yaml", entry("    namespace: " + strings.Repeat("n", 256)), []string{
			"line 6: alarm 1 (A): namespace: is 256 characters long; allowed: at most 255"}},
		{"namespace with a $", "a.yaml", entry("    namespace: Cost$"), []string{
			`line 6: alarm 1 (A): namespace: "Cost$" has ':', '*' or '$'; allowed: a CloudWatch namespace of up to 255 characters without them`}},
		{"alarm name of 256 characters", "a.yaml", entry("    alarmName: " + strings.Repeat("n", 256)), []string{
			"line 6: alarm 1 (A): alarmName: is 256 characters long; allowed: at most 255"}},
		{"101 alarms", "a.yaml", "alarms:\n" + strings.Repeat("  - {id: A}\n", 101), []string{
			"has 101 alarms; allowed: at most 100 (each alarm is a metric filter, and CloudWatch Logs allows 100 on one log group)"}},
	})
}

// Family "unbounded memory": a file is read only if it is a regular file of at most
// MaxFileBytes, and expands (YAML aliases included) to a bounded number of values.
func TestHostileAlarmsFileBounds(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	atCap := alarm("")
	atCap += "#" + strings.Repeat("x", MaxFileBytes-len(atCap)-2) + "\n"
	laughs := "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n" +
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	for _, c := range []struct{ name, path, want string }{
		{"/dev/zero", "/dev/zero", "is a device, pipe or socket, not a regular file; allowed: a path to a JSON or YAML file"},
		{"a directory", dir, "is a directory, not a regular file; allowed: a path to a JSON or YAML file"},
		{"a named pipe", fifo, "is a device, pipe or socket, not a regular file; allowed: a path to a JSON or YAML file"},
		{"one byte over the cap", writeFile(t, "big.yaml", atCap+"\n"), "is larger than 262144 bytes (256 KiB); allowed: at most 262144 bytes"},
		{"at the cap", writeFile(t, "cap.yaml", atCap), ""},
		{"billion laughs", writeFile(t, "laughs.yaml", laughs), "line 4: expands to more than 1402 values (YAML aliases included); allowed: at most 1000 plus 2 per byte of the file, and never more than 200000"},
		{"65 levels", writeFile(t, "deep.yaml", alarm(", fires: ["+strings.Repeat("[", 61)+strings.Repeat("]", 61)+"]")), "line 2: nests lists and maps more than 64 deep (YAML aliases included); allowed: at most 64"},
		{"65 levels of JSON", writeFile(t, "deep.json", strings.Repeat("[", 65)+strings.Repeat("]", 65)), "line 1: nests lists and maps more than 64 deep; allowed: at most 64"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseWith(t, map[string]any{"alarmsFile": c.path})
			var want []string
			if c.want != "" {
				want = []string{c.want}
			}
			checkLines(t, err, "alarmsFile: "+c.path+": ", want)
		})
	}
	if len(atCap) != MaxFileBytes {
		t.Fatalf("the file at the cap is %d bytes, want %d", len(atCap), MaxFileBytes)
	}
}

// Family "wrong answers": what was silently dropped or read differently in JSON and YAML is
// refused, with its line; impossible values are refused.
func TestHostileFilesAreReadOneWay(t *testing.T) {
	runAlarmsCases(t, []hostileCase{
		{"second YAML document", "a.yaml", alarm("") + "---\n" + alarm(""), []string{
			"line 4: a second YAML document starts here (---); allowed: one document per file"}},
		{"second JSON document", "a.json", "{\"alarms\": []}\n{\"alarms\": []}", []string{
			"line 2: a second JSON document starts here; allowed: one JSON document per file"}},
		{"duplicate key in JSON", "a.json", "{\"alarms\": [{\"id\": \"A\",\n \"id\": \"B\"}]}", []string{
			`line 2: key "id" is given twice (first on line 1); allowed: each key once`}},
		{"duplicate key in YAML", "a.yaml", "alarms:\n  - id: A\n    id: B\n", []string{
			`line 3: key "id" is given twice (first on line 2); allowed: each key once`}},
		{"key in other case in JSON", "a.json", `{"alarms": [{"id": "A", "pattern": "{ $.a = 1 }", "Threshold": 1, "description": "x"}]}`, []string{
			"line 1: alarm 1 (A): Threshold: is not a field of an alarm; did you mean threshold? allowed: id, pattern, threshold, period, description, metricName, alarmName, namespace, dimensions, fires, quiet"}},
		{"key in other case in YAML", "a.yaml", "Alarms: []\n", []string{
			`line 1: "Alarms" is not a top-level key of an alarms file; did you mean alarms? allowed: alarms (the list of alarms)`}},
		{"fractional period", "a.yaml", alarm(", period: 300.5"), []string{
			`line 2: alarm 1 (A): period: "300.5" is not a whole number of seconds; allowed: a multiple of 60 from 60 to 86400`}},
		{"whole period written as a decimal", "a.yaml", alarm(", period: 300.0"), nil},
		{"negative period", "a.yaml", alarm(", period: -60"), []string{
			"line 2: alarm 1 (A): period: -60 s is not allowed; allowed: a multiple of 60 from 60 to 86400 (metric filters publish one-minute metrics)"}},
		{"negative threshold", "a.yaml", strings.Replace(alarm(""), "threshold: 1", "threshold: -1", 1), []string{
			"line 2: alarm 1 (A): threshold: -1 must be greater than 0"}},
		{"line break in a description", "a.yaml", strings.Replace(alarm(""), "description: x", `description: "x\nFAKE LINE"`, 1), []string{
			"line 2: alarm 1 (A): description.en: has the control character U+000A (a line break, tab or other); allowed: printable text on one line"}},
		{"escape sequence in an alarm name", "a.yaml", alarm(`, alarmName: "x\e[31m"`), []string{
			"line 2: alarm 1 (A): alarmName: has the control character U+001B (a line break, tab or other); allowed: printable text on one line"}},
		{"line separator in a pattern", "a.yaml", strings.Replace(alarm(""), okPattern, `"{ $.a = \"x\u2028\" }"`, 1), []string{
			"line 2: alarm 1 (A): pattern: has the control character U+2028 (a line break, tab or other); allowed: printable text on one line"}},
		{"line break in an ID", "a.yaml", strings.Replace(alarm(""), "id: A", `id: "A\nB"`, 1), []string{
			`line 2: alarm 1 ("A\nB"): id: has the control character U+000A (a line break, tab or other); allowed: printable text on one line`}},
		{"a date is not a number", "a.yaml", strings.Replace(alarm(""), "threshold: 1", "threshold: 2026-02-31", 1), []string{
			`line 2: alarm 1 (A): threshold: "2026-02-31" is not a finite number; allowed: a number greater than 0, such as 1 (events in one period)`}},
		{"a tag trailwatch does not read", "a.yaml", alarm(", alarmName: !!binary aGVsbG8="), []string{
			"line 2: has a value tagged !!binary, which trailwatch does not read; allowed: texts, numbers, true/false, lists and maps"}},
		{"a merge key", "a.yaml", "base: &b {threshold: 1}\nalarms:\n  - {<<: *b, id: A}\n", []string{
			"line 3: has a YAML merge key (<<), which trailwatch does not read; allowed: the keys written out (a targets file's defaults apply to every target)"}},
	})
	runTargetsCases(t, []hostileCase{
		{"second YAML document", "t.yaml", "targets:\n  - {account: \"123456789012\", region: us-east-1}\n---\ntargets: []\n", []string{
			"line 4: a second YAML document starts here (---); allowed: one document per file"}},
		{"duplicate key in JSON", "t.json", "{\"targets\": [{\"account\": \"123456789012\", \"region\": \"us-east-1\",\n \"region\": \"eu-west-1\"}]}", []string{
			`line 2: key "region" is given twice (first on line 1); allowed: each key once`}},
		{"key in other case in JSON", "t.json", `{"targets": [{"Account": "123456789012", "region": "us-east-1"}]}`, []string{
			"line 1: target 1 (?/us-east-1): Account: is not a trailwatch key; did you mean account?",
			"line 1: target 1 (?/us-east-1): account: required but not set; allowed: a 12-digit AWS account ID"}},
		{"number that is not finite", "t.yaml", "targets:\n  - {account: \"123456789012\", region: us-east-1, logRetentionDays: .inf}\n", []string{
			`line 2: target 1: logRetentionDays: ".inf" is not a finite number; allowed: a number such as 1 or 2.5`}},
		{"fractional days", "t.yaml", "targets:\n  - {account: \"123456789012\", region: us-east-1,\n     bucketTransitionDays: 30.5}\n", []string{
			"line 3: target 1 (123456789012/us-east-1): bucketTransitionDays: 30.5 is not a whole number of days >= 0; allowed: a whole number of days >= 0 (0: never move); >= 30 for STANDARD_IA and ONEZONE_IA"}},
	})
}

// Family "unclear errors": problems are in the user's words (no Go types), and where the intent
// is clear the file is read as meant.
func TestHostileFilesSpeakTheUsersWords(t *testing.T) {
	runAlarmsCases(t, []hostileCase{
		{"description a list", "a.yaml", strings.Replace(alarm(""), "description: x", "description: [x]", 1), []string{
			"line 2: alarm 1 (A): description: is a list; allowed: a text (English), or a map of en, ja to texts, e.g. {en: ..., ja: ...}"}},
		{"description in a language trailwatch does not write", "a.yaml", strings.Replace(alarm(""), "description: x", "description: {en: x, fr: y}", 1), []string{
			"line 2: alarm 1 (A): description.fr: is not a language trailwatch writes; allowed: en, ja"}},
		{"threshold a word", "a.json", `{"alarms": [{"id": "A", "pattern": "{ $.a = 1 }", "threshold": "one", "description": "x"}]}`, []string{
			`line 1: alarm 1 (A): threshold: "one" is not a finite number; allowed: a number greater than 0, such as 1 (events in one period)`}},
		{"an entry that is a text", "a.yaml", "alarms:\n  - RootLogin\n", []string{
			"line 2: alarm 1: is a text; allowed: a map of fields (id, pattern, threshold, period, description, metricName, alarmName, namespace, dimensions, fires, quiet)"}},
		{"alarms a map", "a.yaml", "alarms: {id: A}\n", []string{
			"line 1: alarms is a map; allowed: a list of alarms"}},
		{"the file a text", "a.yaml", "hello\n", []string{
			`line 1: is a text; allowed: a map with an "alarms" list, or a list of alarms`}},
		{"a record that is not a map", "a.yaml", alarm(", fires: [CreateUser]"), []string{
			"line 2: alarm 1 (A): fires[1]: is a text; allowed: a list of CloudTrail records, each a map such as {eventName: CreateUser}"}},
		{"JSON cut short", "a.json", "{\"alarms\": [\n", []string{
			"line 2: is not valid JSON: it ends before the document is complete"}},
		{"a plain-text description is English", "a.yaml", alarm(""), nil},
		{"a top-level list is the alarms list", "a.yaml", "- {id: A, pattern: " + okPattern + ", threshold: 1, description: x}\n", nil},
		{"a threshold written as text in JSON", "a.json", `{"alarms": [{"id": "A", "pattern": "{ $.a = 1 }", "threshold": "2", "description": "x"}]}`, nil},
		{"a byte order mark", "a.json", "\ufeff" + `{"alarms": [{"id": "A", "pattern": "{ $.a = 1 }", "threshold": 1, "description": "x"}]}`, nil},
	})
	runTargetsCases(t, []hostileCase{
		{"a map where a text belongs", "t.yaml", "targets:\n  - account: \"123456789012\"\n    region: us-east-1\n    notificationEmails: {a: b}\n", []string{
			`line 4: target 1 (123456789012/us-east-1): notificationEmails: {"a":"b"} is not a string; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`}},
		{"a target that is a text", "t.yaml", "targets:\n  - 123456789012\n", []string{
			"line 2: target 1: is a number; allowed: a map of trailwatch keys"}},
		{"the file a list", "t.yaml", "- {account: \"123456789012\"}\n", []string{
			`line 1: is a list; allowed: a map with "defaults" (optional) and a "targets" list`}},
	})
	// The parsed file is the same for JSON and YAML (the two readers agree).
	yml, err := parseFile("a.yaml", []byte("alarms:\n  - {id: A, threshold: 1.5, fires: [{a: [1, true, null]}]}\n"))
	if err != nil {
		t.Fatal(err.msg)
	}
	jsn, err := parseFile("a.json", []byte("{\"alarms\":\n  [{\"id\": \"A\", \"threshold\": 1.5, \"fires\": [{\"a\": [1, true, null]}]}]}\n"))
	if err != nil {
		t.Fatal(err.msg)
	}
	y, _ := yml.plain()
	j, _ := jsn.plain()
	if quote(y) != quote(j) {
		t.Errorf("YAML and JSON of the same file differ:\n  %s\n  %s", quote(y), quote(j))
	}
}

func TestProblemIsAlwaysOneLine(t *testing.T) {
	p := &Problem{Key: alarmsFileKey, File: "a\nb.yaml", Line: 3, Entry: "alarm 1", Field: "id", Value: "x\x1b[2J", Msg: "is bad"}
	want := `alarmsFile: a\nb.yaml: line 3: alarm 1: id: "x\x1b[2J" is bad`
	if got := p.Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func addresses(n int) string {
	list := make([]string, n)
	for i := range list {
		list[i] = "a" + strconv.Itoa(i) + "@example.com"
	}
	return strings.Join(list, ",")
}

// The stack's resources are counted in pure Go: the most addresses the default stack takes pass,
// one more is a one-line problem (the CDK would panic at synth).
func TestStackResourceLimitAtTheBoundary(t *testing.T) {
	at, err := Parse(map[string]any{"notificationEmails": addresses(446)}, noEnv)
	if err != nil {
		t.Fatalf("446 addresses: %v", err)
	}
	if n := at.Resources(); n != MaxResources {
		t.Fatalf("446 addresses make %d resources, want %d", n, MaxResources)
	}
	_, err = Parse(map[string]any{"notificationEmails": addresses(447)}, noEnv)
	want := "notificationEmails: has 447 addresses, one subscription each, which with the stack's other 54 resources make 501; " +
		"allowed: at most 500 resources per stack (CloudFormation's limit): at most 446 addresses with these alarms, or a mailing list address"
	if got := lines(err); len(got) != 1 || got[0] != want {
		t.Errorf("447 addresses:\n  got  %q\n  want %q", got, want)
	}
}

// The template's size is bounded in pure Go: a bound of exactly 1 MiB passes, one byte more is a
// problem. (Reaching it takes long alarms and many addresses, built here directly.)
func TestTemplateSizeLimitAtTheBoundary(t *testing.T) {
	target := func(email string) *checked {
		tg := &Target{Stack: Stack{TrailName: "trailwatch", Encryption: KMS, Language: "en", AlarmProfiles: nil}}
		for i := range 95 { // with the 5 tamper rows, the 100 filters a log group holds
			id := "Row" + strconv.Itoa(i)
			tg.Alarms = append(tg.Alarms, catalog.Alarm{ID: id, MetricName: id + strings.Repeat("m", 200), AlarmName: id + strings.Repeat("n", 200),
				Pattern: strings.Repeat(`"`, 1000), Threshold: 1, Description: catalog.Text{"en": strings.Repeat("ア", 1024)}})
		}
		for i := range 250 {
			tg.NotificationEmails = append(tg.NotificationEmails, "a"+strconv.Itoa(i)+strings.Repeat("x", 200)+"@example.com")
		}
		tg.NotificationEmails = append(tg.NotificationEmails, email)
		return &checked{Target: tg, failed: map[string]bool{}}
	}
	base := target("@example.com").TemplateBytes()
	if base > MaxTemplateBytes {
		t.Fatalf("the base is already %d bytes", base)
	}
	fits := target(strings.Repeat("x", MaxTemplateBytes-base) + "@example.com")
	if n := fits.TemplateBytes(); n != MaxTemplateBytes {
		t.Fatalf("bound %d, want %d", n, MaxTemplateBytes)
	}
	if errs := alarmLimits(fits); len(errs) != 0 {
		t.Errorf("at the limit: %v", errs)
	}
	over := target(strings.Repeat("x", MaxTemplateBytes-base+1) + "@example.com")
	want := `alarmProfile: "" with the alarms file and the other keys makes a template of up to 1048577 bytes; allowed: at most 1048576 bytes (CloudFormation's limit on a template in S3, where cdk deploy puts it): fewer or shorter alarms, fewer addresses`
	if got := lines(alarmLimits(over).Err()); len(got) != 1 || got[0] != want {
		t.Errorf("one byte over:\n  got  %q\n  want %q", got, want)
	}
}

// Context values (cdk.json, -c) that are impossible are refused with the key and what is allowed.
func TestHostileContextValues(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n-len("@example.com")) + "@example.com" }
	cases := []struct {
		name string
		ctx  map[string]any
		want string // the one problem line; "" accepted
	}{
		{"address of 254 characters", map[string]any{"notificationEmails": long(254)}, ""},
		{"address of 255 characters", map[string]any{"notificationEmails": long(255)},
			`notificationEmails: "` + long(255) + `" is not an email address; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`},
		{"line separator in an address", map[string]any{"notificationEmails": "a@exa\u2028mple.com"},
			`notificationEmails: "a@exa\u2028mple.com" is not an email address; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`},
		{"days 1e400 from -c", map[string]any{"notificationEmails": "a@example.com", "bucketTransitionDays": "1e400"},
			`bucketTransitionDays: "1e400" is not a whole number of days >= 0; allowed: a whole number of days >= 0 (0: never move); >= 30 for STANDARD_IA and ONEZONE_IA`},
		{"days 1e10 from cdk.json", map[string]any{"notificationEmails": "a@example.com", "bucketExpirationDays": 1e10},
			`bucketExpirationDays: 10000000000 is not a whole number of days >= 0; allowed: a whole number of days >= 0 (0: never delete); if set, more than bucketTransitionDays`},
		{"fractional days", map[string]any{"notificationEmails": "a@example.com", "objectLockDays": 1.5},
			`objectLockDays: 1.5 is not a whole number of days from 0 to 36500; allowed: a whole number of days from 0 (off) to 36500; only takes effect on a new bucket`},
		{"object lock at 36500 days", map[string]any{"notificationEmails": "a@example.com", "objectLockDays": "36500"}, ""},
		{"object lock at 36501 days", map[string]any{"notificationEmails": "a@example.com", "objectLockDays": "36501"},
			`objectLockDays: "36501" is not a whole number of days from 0 to 36500; allowed: a whole number of days from 0 (off) to 36500; only takes effect on a new bucket`},
		{"concurrency past int64", map[string]any{"notificationEmails": "a@example.com", "stackSetMaxConcurrency": "9223372036854775808"},
			`stackSetMaxConcurrency: "9223372036854775808" is not a whole number >= 1; allowed: a whole number >= 1: accounts per Region a StackSet operation deploys at once (failures do not lower it)`},
		{"a list where a text belongs", map[string]any{"notificationEmails": "a@example.com", "trailName": []any{"a", 1.0}},
			`trailName: ["a",1] is not a text (in a YAML or JSON file, put it in quotes); allowed: 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, no two of '.', '_', '-' in a row, not an IP address`},
		{"a Region twice", map[string]any{"notificationEmails": "a@example.com", "stackSetOrganizationalUnits": "r-ab12", "existingLogGroupName": "x", "stackSetRegions": "us-east-1,eu-west-1,us-east-1"},
			`stackSetRegions: "us-east-1,eu-west-1,us-east-1" lists "us-east-1" twice; allowed: comma-separated AWS Region codes the StackSet deploys to in every account`},
		{"an escape sequence in a prefix", map[string]any{"notificationEmails": "a@example.com", "alarmNamePrefix": "\x1b[31m"},
			`alarmNamePrefix: "\x1b[31m" is not a valid alarm name prefix; allowed: up to 64 letters, digits, '.', '_' or '-' (e.g. prod-)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.ctx, noEnv)
			var want []string
			if c.want != "" {
				want = []string{c.want}
			}
			checkLines(t, err, "", want)
		})
	}
}

// A targets file makes at most MaxStacks stacks: the work of checking them is bounded.
func TestTargetsFileStackLimitAtTheBoundary(t *testing.T) {
	file := func(n int) string {
		var b strings.Builder
		b.WriteString("defaults: {existingLogGroupName: CloudTrail/x}\ntargets:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {account: \"%012d\", region: us-east-1}\n", i+1)
		}
		return b.String()
	}
	runTargetsCases(t, []hostileCase{
		{"500 stacks", "t.yaml", file(MaxStacks), nil},
		{"501 stacks", "t.yaml", file(MaxStacks + 1), []string{
			"makes 501 stacks (one per target and Region); allowed: at most 500 stacks in one targets file (CloudFormation allows 2000 stacks per account and Region; use a StackSet for many accounts)"}},
		{"501 stacks from Regions", "t.yaml", "targets:\n  - {account: \"123456789012\", regions: [" + strings.Repeat("us-east-1,", 500) + "us-east-1]}\n", []string{
			"makes 501 stacks (one per target and Region); allowed: at most 500 stacks in one targets file (CloudFormation allows 2000 stacks per account and Region; use a StackSet for many accounts)"}},
	})
}

// A long value is cut in the problem line, which stays readable; so is a long unknown key.
func TestLongValuesAreCutInProblems(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	_, err := Parse(map[string]any{"notificationEmails": "a@example.com", "trailName": long, long: "x"}, noEnv)
	want := `trailName: "` + strings.Repeat("x", 256) + `"… (100000 characters) is not a valid CloudTrail trail name; allowed: 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, no two of '.', '_', '-' in a row, not an IP address`
	checkLines(t, err, "", []string{want})
}
