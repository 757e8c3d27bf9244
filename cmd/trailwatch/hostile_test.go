package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// Hostile input, the command line's side: each family of defect has a table here, with the
// message asserted, and for bad input a check that nothing was written to stdout.

func TestHelpGoesToStdout(t *testing.T) {
	tests := []struct {
		args []string
		want []string // in stdout
	}{
		{[]string{"--help"}, []string{"Usage: trailwatch <command>", "match", "replay"}},
		{[]string{"match", "-h"}, []string{"Usage: trailwatch match", "-pattern", "Exit status: 0"}},
		{[]string{"match", "--help"}, []string{"Usage: trailwatch match"}},
		{[]string{"replay", "-h"}, []string{"usage: trailwatch replay", "cdk.out/Trailwatch.template.json", "at most 1 MiB", "-workers", "4 the report could not be written"}},
		{[]string{"replay", "--help"}, []string{"usage: trailwatch replay"}},
	}
	for _, tt := range tests {
		code, out, diag := call(t, "", tt.args...)
		if code != cli.ExitOK || diag != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and nothing on stderr", tt.args, code, diag)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: stdout lacks %q:\n%s", tt.args, w, out)
			}
		}
		if strings.Contains(out, "Audit.template") {
			t.Errorf("%v: help names a stack that does not exist (Audit): %s", tt.args, out)
		}
	}
}

func TestUsageErrorsWriteOnlyToStderr(t *testing.T) {
	input := writeTemp(t, "in.jsonl", recCreateVpc+"\n")
	tests := []struct {
		args []string
		diag string
	}{
		{[]string{"replay", "--workers", "9223372036854775807", input}, "trailwatch replay: --workers 9223372036854775807: want 1 to "},
		{[]string{"replay", "--workers", "9223372036854775808", input}, `invalid value "9223372036854775808" for flag -workers: value out of range`},
		{[]string{"replay", "--workers", "20000", input}, "trailwatch replay: --workers 20000: want 1 to "},
		{[]string{"replay", "--workers", "-1", input}, "trailwatch replay: --workers -1: want 1 to "},
		{[]string{"replay", "--period", "300000000000", input}, "trailwatch replay: --period 300000000000: want a multiple of 60 seconds from 60 to 604800 (7 days, CloudWatch's longest evaluation range)"},
		{[]string{"replay", "--period", "604860", input}, "--period 604860: want a multiple of 60 seconds from 60 to 604800"},
		{[]string{"replay", "--period", "0", input}, "--period 0: want a multiple of 60"},
		{[]string{"replay", "--period", "-60", input}, "--period -60: want a multiple of 60"},
		{[]string{"replay", "--top", "0", input}, "trailwatch replay: --top 0: want 1 to 100"},
		{[]string{"replay", "--top", "101", input}, "trailwatch replay: --top 101: want 1 to 100"},
		{[]string{"replay", "--top", "-1", input}, "trailwatch replay: --top -1: want 1 to 100"},
		{[]string{"replay", "--template", "/dev/zero", input}, "trailwatch replay: /dev/zero: template: larger than 1048576 bytes (1 MiB; CloudFormation's largest template body is 1 MB)"},
		{[]string{"replay", "--nope", input}, "flag provided but not defined: -nope"},
		{[]string{"match", "--nope", input}, "flag provided but not defined: -nope"},
		{[]string{"replay", "--alarms", "VpcChanges,Nope", input}, "trailwatch replay: --alarms: unknown Nope; allowed: a profile (aws, cis) or alarm IDs such as SecurityGroupChanges, Cis1RootUsage\n"},
		{[]string{"replay", "--alarms", "VpcChanges", "--template", "../../internal/replay/testdata/audit.template.json", input}, "trailwatch replay: --alarms and --template are exclusive: a template brings its own alarms\n"},
		{[]string{"replay", "--format", "yaml", input}, "trailwatch replay: --format \"yaml\": want table or json\n"},
		{[]string{"replay", "--template", "testdata/none.json", input}, "trailwatch replay: open testdata/none.json: no such file or directory\n"},
		{[]string{"replay", "--athena-table", "t", input}, "trailwatch replay: --athena-table is for the Athena table and query: use it with --sql or --athena\n"},
		{[]string{"replay", "--athena", "--athena-workgroup", "wg", "--athena-timeout", "0s"}, "trailwatch replay: --athena-timeout and --athena-poll: want a positive duration\n"},
		{[]string{"replay", "--athena", "--athena-workgroup", "wg", "--athena-poll", "-1s"}, "trailwatch replay: --athena-timeout and --athena-poll: want a positive duration\n"},
	}
	for _, tt := range tests {
		code, out, diag := call(t, "", tt.args...)
		if code != cli.ExitUsage || out != "" || !strings.Contains(diag, tt.diag) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2, no stdout, stderr with %q", tt.args, code, out, diag, tt.diag)
		}
	}
}

// failWriter is a full disk.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestWriteErrorsExit4(t *testing.T) {
	input := writeTemp(t, "in.jsonl", recCreateVpc+"\n")
	for _, args := range [][]string{
		{"match", input},
		{"match", "--format", "jsonl", input},
		{"replay", input},
		{"replay", "--format", "json", input},
	} {
		var diag bytes.Buffer
		code := run(args, &cli.Stdio{Stdin: strings.NewReader(""), Stdout: failWriter{}, Stderr: &diag})
		if code != cli.ExitOutput || !strings.Contains(diag.String(), "no space left on device") {
			t.Errorf("%v to a full disk: exit %d, stderr %q; want 4 and the write error", args, code, diag.String())
		}
	}
	// The real thing, where the system has it.
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer full.Close()
	var diag bytes.Buffer
	if code := run([]string{"replay", "--format", "json", input}, &cli.Stdio{Stdin: strings.NewReader(""), Stdout: full, Stderr: &diag}); code != cli.ExitOutput {
		t.Errorf("replay > /dev/full: exit %d, stderr %q; want 4", code, diag.String())
	}
}

// A record from the year 9999 used to make the JSON report unencodable (a period ending in year
// 10000): it is now a skipped record, and the report is whole.
func TestYear9999IsSkippedNotUnencodable(t *testing.T) {
	rec := `{"eventVersion":"1.08","eventTime":"9999-12-31T23:59:59Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc"}`
	input := writeTemp(t, "in.jsonl", rec+"\n")
	code, out, diag := call(t, "", "replay", "--format", "json", input)
	var rep struct {
		Totals struct {
			SkippedByReason map[string]int `json:"skipped_by_reason"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != cli.ExitProblems || rep.Totals.SkippedByReason["no_event_time"] != 1 {
		t.Errorf("exit %d, stderr %q, report %s (%v); want exit 1 and one no_event_time skip", code, diag, out, err)
	}
}

func TestImpossibleDatesAreSkipped(t *testing.T) {
	rec := `{"eventVersion":"1.08","eventTime":"2026-02-31T12:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc"}`
	code, out, _ := call(t, "", "replay", writeTemp(t, "in.jsonl", rec+"\n"))
	if code != cli.ExitProblems || !strings.Contains(out, "in.jsonl:1: record has no valid eventTime (an RFC 3339 time with a real date, 1970 to 9998)") || strings.Contains(out, "2026-03-03") {
		t.Errorf("exit %d:\n%s\nwant the record skipped, not read as March 3rd", code, out)
	}
}

// Text and table output escape what a record could use to forge a line or drive the terminal.
func TestControlCharactersAreEscaped(t *testing.T) {
	forged := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"ec2.amazonaws.com",` +
		`"eventName":"CreateVpc\nline 2: ConsoleLogin: none\u001b[2J\u202e","sourceIPAddress":"1.2.3.4\r\u009b31m",` +
		`"userIdentity":{"arn":"arn\u0007"}}`
	input := writeTemp(t, "in.jsonl", forged+"\n")
	everything := writeTemp(t, "t.json", `{"Resources":{"F\u001b[31m":{"Type":"AWS::Logs::MetricFilter","Properties":{"FilterPattern":"","MetricTransformations":[{"MetricName":"M","MetricNamespace":"N","MetricValue":"1"}]}}}}`)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"match", "--pattern", "{ $.eventVersion = 1.08 }", input}, []string{`line 1: CreateVpc\nline 2: ConsoleLogin: none\x1b[2J\u202e: pattern`}},
		{[]string{"replay", "--template", everything, input},
			[]string{`F\x1b[31m`, `top principals: arn\a (1)`, `top event names: CreateVpc\nline 2: ConsoleLogin: none\x1b[2J\u202e (1)`, `top source IPs: 1.2.3.4\r\u009b31m (1)`}},
	}
	for _, tt := range tests {
		_, out, _ := call(t, "", tt.args...)
		if strings.ContainsAny(out, "\x1b\r\a\u202e\u009b") || strings.Contains(out, "\nline 2:") {
			t.Errorf("%v: raw control characters reach the output:\n%q", tt.args[0], out)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %s:\n%s", tt.args[0], w, out)
			}
		}
	}
	// JSON output is for programs: the values stay as they are, JSON-escaped.
	_, out, _ := call(t, "", "replay", "--template", everything, "--format", "json", input)
	if !strings.Contains(out, `"value": "CreateVpc\nline 2: ConsoleLogin: none\u001b[2J`) {
		t.Errorf("JSON report should keep the exact value, JSON-escaped:\n%s", out)
	}
}

// Naming a file twice used to count its records twice: two failed sign-ins read twice reached
// ConsoleSignInFailures' threshold of 3, a false ALARM.
func TestFileNamedTwiceIsReadOnce(t *testing.T) {
	login := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:0%dZ","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"},"userIdentity":{"type":"IAMUser","userName":"x"}}`
	dir := t.TempDir()
	file := filepath.Join(dir, "logins.jsonl")
	os.WriteFile(file, []byte(strings.Replace(login, "%d", "1", 1)+"\n"+strings.Replace(login, "%d", "2", 1)+"\n"), 0o644)
	os.Symlink(file, filepath.Join(dir, "link.jsonl"))
	code, out, diag := call(t, "", "replay", "--alarms", "ConsoleSignInFailures", "--format", "json", dir, file, file)
	var rep struct {
		Totals struct {
			RecordsRead  int64 `json:"records_read"`
			IgnoredCount int64 `json:"ignored_count"`
		}
		Alarms []struct {
			AlarmPeriodCount int64 `json:"alarm_period_count"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err, diag)
	}
	if code != cli.ExitOK || rep.Totals.RecordsRead != 2 || rep.Totals.IgnoredCount != 3 || rep.Alarms[0].AlarmPeriodCount != 0 {
		t.Errorf("exit %d, %d records, %d ignored, %d ALARM periods; want 0, 2, 3 (the symlink and file named twice), 0", code, rep.Totals.RecordsRead, rep.Totals.IgnoredCount, rep.Alarms[0].AlarmPeriodCount)
	}
}

// Silent loss: a file cut at the front, a BOM, a symlinked directory.
func TestNothingIsLostSilently(t *testing.T) {
	rec := func(s string) string {
		return `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:0` + s + `Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc"}`
	}
	whole := rec("1") + "\n" + rec("2") + "\n" + rec("3") + "\n"
	tests := []struct {
		name, content string
		read          int64
		skipped       string
	}{
		{"cut.jsonl", whole[40:], 2, "cut.jsonl:1: line is not one JSON value (the input starts mid-record, as a cut with tail -c leaves it)"},
		{"cut-brace.jsonl", `{"type":"IAMUser"},"eventTime":"x"}` + "\n" + rec("2") + "\n", 1, "cut-brace.jsonl:1: line is not one JSON value"},
		{"bom.json", "\ufeff" + whole, 3, ""},
		{"bom-array.json", "\ufeff[" + rec("1") + ",\n" + rec("2") + "]", 2, ""},
	}
	for _, tt := range tests {
		code, out, _ := call(t, "", "replay", "--alarms", "VpcChanges", writeTemp(t, tt.name, tt.content))
		wantCode := cli.ExitOK
		if tt.skipped != "" {
			wantCode = cli.ExitProblems
		}
		if code != wantCode || !strings.Contains(out, "Replayed "+itoa(tt.read)+" records") || !strings.Contains(out, tt.skipped) {
			t.Errorf("%s: exit %d:\n%s\nwant exit %d, %d records, skip %q", tt.name, code, out, wantCode, tt.read, tt.skipped)
		}
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "real"), 0o755)
	os.MkdirAll(filepath.Join(dir, "tree"), 0o755)
	os.WriteFile(filepath.Join(dir, "real", "a.jsonl"), []byte(rec("1")+"\n"), 0o644)
	os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "tree", "linked"))
	if code, out, _ := call(t, "", "replay", filepath.Join(dir, "tree")); code != cli.ExitOK || !strings.Contains(out, "Replayed 1 records from 1 files") {
		t.Errorf("symlinked directory inside a tree: exit %d:\n%s", code, out)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// With no input argument replay reads standard input, but not from a terminal: it would wait
// for typing (docs/cli.md). It says so and writes nothing to stdout.
func TestReplayWithoutInputOnATerminalIsAUsageError(t *testing.T) {
	var out, errOut strings.Builder
	code := run([]string{"replay"}, &cli.Stdio{Stdin: strings.NewReader(recCreateVpc + "\n"), StdinIsTerminal: true, Stdout: &out, Stderr: &errOut})
	if want := "trailwatch replay: no input: give files, directories or - (standard input)\n"; code != cli.ExitUsage || out.String() != "" || errOut.String() != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, %q", code, out.String(), errOut.String(), want)
	}
}

// The help states the defaults docs/cli.md promises: 16 objects at once from S3, a 30-minute
// Athena query.
func TestReplayHelpStatesTheDefaults(t *testing.T) {
	_, help, _ := call(t, "", "replay", "-h")
	for _, want := range []string{"objects downloaded at once (at most 64) (default 16)", "stop the query if it has not finished after this long (default 30m0s)"} {
		if !strings.Contains(help, want) {
			t.Errorf("replay -h lacks %q:\n%s", want, help)
		}
	}
}
