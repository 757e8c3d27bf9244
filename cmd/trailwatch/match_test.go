package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// Hand-written records carry eventVersion, as every CloudTrail record does: match, like replay,
// skips a JSON object that is not recognizably CloudTrail.
const (
	recCreateVpc = `{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc","awsRegion":"us-east-1"}`
	recLogin     = `{"eventVersion":"1.08","eventName":"ConsoleLogin","errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"}}`
	recQuiet     = `{"eventVersion":"1.08","eventName":"DescribeVpcs","readOnly":true}`
	// Sets off three alarms; they must come out in catalog order.
	recBigDenied = `{"eventVersion":"1.08","errorCode":"Client.UnauthorizedOperation","eventName":"RunInstances","requestParameters":{"instanceType":"p3.8xlarge"}}`
)

func TestMatchJSONLines(t *testing.T) {
	in := strings.Join([]string{
		recCreateVpc,
		"",
		recBigDenied,
		`{"eventName":"CreateVpc"`,
		"   \t",
		recQuiet,
		`[{"eventVersion":"1.08","eventName":"CreateVpc"}]`,
		`{"eventVersion":"1.08","noEventName":true}`,
		`{"hello":"world"}`,
		recLogin,
		`"a string"`,
	}, "\n") + "\n"
	code, out, diag := call(t, in, "match", "--format", "jsonl")
	want := `{"line":1,"eventName":"CreateVpc","alarms":["VpcChanges"]}
{"line":3,"eventName":"RunInstances","alarms":["EC2InstanceChanges","EC2LargeInstanceChanges","AuthorizationFailures"]}
{"line":4,"error":"line is not one JSON value"}
{"line":6,"eventName":"DescribeVpcs","alarms":[]}
{"line":7,"index":1,"eventName":"CreateVpc","alarms":["VpcChanges"]}
{"line":8,"eventName":"","alarms":[]}
{"line":9,"error":"JSON object is not a CloudTrail record, S3 log file, lookup-events page or EventBridge event"}
{"line":10,"eventName":"ConsoleLogin","alarms":["ConsoleSignInFailures"]}
{"line":11,"error":"JSON value is not an object"}
`
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if code != cli.ExitProblems {
		t.Errorf("exit %d, want %d: three lines are not CloudTrail records", code, cli.ExitProblems)
	}
	if diag != "trailwatch match: 3 skipped (the error lines say where and why)\n" {
		t.Errorf("stderr: %q", diag)
	}
}

// --alarms selects profiles and IDs: the CIS profile sees root usage, which AWS's ten do not.
func TestMatchAlarmsSelection(t *testing.T) {
	root := `{"eventVersion":"1.08","eventName":"CreateVpc","userIdentity":{"type":"Root"},"eventType":"AwsApiCall"}`
	code, out, _ := call(t, root+"\n", "match", "--format", "jsonl", "--alarms", "aws,cis")
	want := `{"line":1,"eventName":"CreateVpc","alarms":["VpcChanges","Cis1RootUsage","Cis14VpcChanges"]}` + "\n"
	if code != cli.ExitOK || out != want {
		t.Errorf("exit %d, stdout %q, want %q", code, out, want)
	}
	code, out, _ = call(t, root+"\n", "match", "--format", "jsonl", "--alarms", "Cis1RootUsage")
	if want := `{"line":1,"eventName":"CreateVpc","alarms":["Cis1RootUsage"]}` + "\n"; code != cli.ExitOK || out != want {
		t.Errorf("exit %d, stdout %q, want %q", code, out, want)
	}
}

func TestMatchTextFormat(t *testing.T) {
	in := recCreateVpc + "\r\n" + recQuiet + "\r\n" + `{"a":` + "\r\n" + `{"eventVersion":"1.08"}` + "\r\n" + recBigDenied
	code, out, _ := call(t, in, "match")
	want := `line 1: CreateVpc: VpcChanges
line 2: DescribeVpcs: none
line 3: error: line is not one JSON value
line 4: (no eventName): none
line 5: RunInstances: EC2InstanceChanges, EC2LargeInstanceChanges, AuthorizationFailures
`
	if out != want || code != cli.ExitProblems {
		t.Errorf("exit %d, stdout:\n%s\nwant exit %d and:\n%s", code, out, cli.ExitProblems, want)
	}
}

func TestMatchAllGoodExitsZero(t *testing.T) {
	code, out, diag := call(t, recCreateVpc+"\n"+recQuiet+"\n", "match", "-format=jsonl", "-")
	if code != cli.ExitOK || diag != "" || strings.Count(out, "\n") != 2 {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, diag, out)
	}
}

func TestMatchEmptyInput(t *testing.T) {
	code, out, diag := call(t, "", "match", "--format", "jsonl")
	if code != cli.ExitOK || out != "" || diag != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and nothing", code, out, diag)
	}
}

func TestMatchAdHocPattern(t *testing.T) {
	in := recCreateVpc + "\n" + recLogin + "\n" + `{"eventVersion":"1.08","requestParameters":{"cidrBlock":"10.0.0.0/16"}}` + "\n"
	code, out, _ := call(t, in, "match", "--format", "jsonl", "--pattern", `{ $.eventName = Create* || $.requestParameters.cidrBlock = "10.*" }`)
	want := `{"line":1,"eventName":"CreateVpc","alarms":["pattern"]}
{"line":2,"eventName":"ConsoleLogin","alarms":[]}
{"line":3,"eventName":"","alarms":["pattern"]}
`
	if code != cli.ExitOK || out != want {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s", code, out, want)
	}
	// The empty pattern matches every record.
	code, out, _ = call(t, recQuiet+"\n", "match", "--format", "jsonl", "--pattern", "")
	if code != cli.ExitOK || out != `{"line":1,"eventName":"DescribeVpcs","alarms":["pattern"]}`+"\n" {
		t.Errorf("empty --pattern: exit %d, stdout %s", code, out)
	}
}

// TestFailsOnBadPattern: a pattern that does not parse is a usage error that shows the column,
// and no record is read or written.
func TestFailsOnBadPattern(t *testing.T) {
	tests := []struct{ pattern, diag string }{
		{`{ ($.eventName = CreateVpc }`, "trailwatch match: --pattern: col 28: expected ')' after $.eventName = CreateVpc\n" +
			"  { ($.eventName = CreateVpc }\n" +
			"                             ^\n"},
		{`ERROR`, "trailwatch match: --pattern: col 1: not supported: term patterns such as ERROR or \"two words\"; the engine evaluates JSON patterns { ... } and the empty pattern\n" +
			"  ERROR\n" +
			"  ^\n"},
		{"{ $.a = 1\n&& }", "trailwatch match: --pattern: col 14: expected a condition such as $.eventName = CreateTrail after '&&'\n"},
		{"\t{ ($.a = 1 }", "trailwatch match: --pattern: col 13: expected ')' after $.a = 1\n"}, // a control character first: no caret either
	}
	for _, tt := range tests {
		code, out, diag := call(t, recCreateVpc+"\n", "match", "--pattern", tt.pattern)
		if code != cli.ExitUsage || out != "" || diag != tt.diag {
			t.Errorf("--pattern %q: exit %d, stdout %q, stderr:\n%s\nwant exit 2, no output, stderr:\n%s", tt.pattern, code, out, diag, tt.diag)
		}
	}
}

func TestFailsOnBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		diag string
	}{
		{[]string{"match", "--frobnicate"}, "flag provided but not defined: -frobnicate"},
		{[]string{"match", "--format", "xml"}, `trailwatch match: --format must be text or jsonl, not "xml"`},
		{[]string{"match", "--format"}, "flag needs an argument: -format"},
		{[]string{"match", "--alarms", "aws,nist"}, "trailwatch match: --alarms: unknown nist; allowed: a profile (aws, cis) or alarm IDs"},
		// Both flags say what to match: one would be ignored, so the pair is refused, as replay
		// refuses --alarms with --template.
		{[]string{"match", "--alarms", "cis", "--pattern", "{ $.a = 1 }"}, "trailwatch match: --alarms and --pattern are exclusive: --pattern matches one pattern instead of catalog alarms\n"},
		{[]string{"match", "--pattern", "{ $.a = 1 }", "--alarms", "aws"}, "trailwatch match: --alarms and --pattern are exclusive"},
	}
	for _, tt := range tests {
		code, out, diag := call(t, recCreateVpc+"\n", tt.args...)
		if code != cli.ExitUsage || out != "" || !strings.Contains(diag, tt.diag) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, out, diag, tt.diag)
		}
	}
	// -h is asked for: it goes to stdout and exits 0 (TestHelpGoesToStdout covers every command).
	code, out, diag := call(t, "", "match", "-h")
	if code != cli.ExitOK || diag != "" || !strings.Contains(out, "Usage: trailwatch match") {
		t.Errorf("-h: exit %d, stdout %q, stderr %q", code, out, diag)
	}
}

func TestMatchFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.jsonl")
	b := filepath.Join(dir, "b.jsonl")
	if err := os.WriteFile(a, []byte(recCreateVpc+"\n"+recQuiet), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("\n"+recLogin+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.jsonl")
	code, out, diag := call(t, recBigDenied+"\n", "match", "--format", "jsonl", a, missing, "-", b)
	want := `{"file":"` + a + `","line":1,"eventName":"CreateVpc","alarms":["VpcChanges"]}
{"file":"` + a + `","line":2,"eventName":"DescribeVpcs","alarms":[]}
{"file":"-","line":1,"eventName":"RunInstances","alarms":["EC2InstanceChanges","EC2LargeInstanceChanges","AuthorizationFailures"]}
{"file":"` + b + `","line":2,"eventName":"ConsoleLogin","alarms":["ConsoleSignInFailures"]}
`
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if code != cli.ExitProblems || !strings.Contains(diag, "missing.jsonl: no such file or directory") {
		t.Errorf("exit %d, stderr %q; want exit 1 naming the missing file", code, diag)
	}
	code, out, _ = call(t, "", "match", a, b)
	wantText := a + ":1: CreateVpc: VpcChanges\n" + a + ":2: DescribeVpcs: none\n" + b + ":2: ConsoleLogin: ConsoleSignInFailures\n"
	if code != cli.ExitOK || out != wantText {
		t.Errorf("text with files: exit %d, stdout:\n%s\nwant:\n%s", code, out, wantText)
	}
}

// TestMatchLongLines: records beyond bufio.Scanner's 64 KB default are read whole.
func TestMatchLongLines(t *testing.T) {
	padding := strings.Repeat("x", 300<<10)
	long := `{"eventVersion":"1.08","userAgent":"` + padding + `","eventName":"DeleteVpc"}`
	code, out, _ := call(t, long+"\n"+recQuiet+"\n", "match", "--format", "jsonl")
	want := `{"line":1,"eventName":"DeleteVpc","alarms":["VpcChanges"]}
{"line":2,"eventName":"DescribeVpcs","alarms":[]}
`
	if code != cli.ExitOK || out != want {
		t.Errorf("exit %d, stdout:\n%s", code, out)
	}
}

func TestEventName(t *testing.T) {
	tests := map[string]string{
		`{"eventName":"A"}`:                 "A",
		`{"eventName":"A","eventName":"B"}`: "B",
		`{"EventName":"A"}`:                 "",
		`{"eventName":5}`:                   "",
		`{"eventName":"\u0041"}`:            "A",
		`{}`:                                "",
		`["eventName"]`:                     "", // not an object
		`{"eventName":"A"`:                  "", // not JSON
	}
	for rec, want := range tests {
		if got := eventName([]byte(rec)); got != want {
			t.Errorf("eventName(%s) = %q, want %q", rec, got, want)
		}
	}
}

// TestMatchReadsADirectory: match walks a directory as replay does (it used to fail with "is a
// directory"): recursively, in lexical order, each line naming its file, and a file named twice
// read once, with a note on stderr.
func TestMatchReadsADirectory(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(sub, "a.jsonl")
	if err := os.WriteFile(a, []byte(recCreateVpc+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, filepath.Join(dir, "z.jsonl")); err != nil {
		t.Fatal(err)
	}
	code, out, diag := call(t, "", "match", dir)
	if want := a + ":1: CreateVpc: VpcChanges\n"; code != cli.ExitOK || out != want {
		t.Errorf("exit %d, stdout:\n%s\nwant exit 0 and:\n%s", code, out, want)
	}
	if want := "trailwatch match: " + filepath.Join(dir, "z.jsonl") + ": same file as " + a + " (named twice); read once\n"; diag != want {
		t.Errorf("stderr %q, want %q", diag, want)
	}
}
