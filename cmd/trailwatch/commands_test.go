package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/internal/cloudtrail"
	"github.com/trailwatch/trailwatch/internal/replay"
)

// Lines name their file when match reads several inputs, or one it found inside a directory, or
// one named twice; a single file, or standard input, gives bare line numbers.
func TestMatchNamesFilesWhenThereAreSeveral(t *testing.T) {
	dir := t.TempDir()
	one := filepath.Join(dir, "one")
	two := filepath.Join(dir, "two")
	for _, d := range []string{one, two} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	a := filepath.Join(one, "a.jsonl")
	b := filepath.Join(two, "b.jsonl")
	c := filepath.Join(two, "c.jsonl")
	for _, f := range []string{a, b, c} {
		if err := os.WriteFile(f, []byte(recCreateVpc+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	line := func(name string) string { return name + ":1: CreateVpc: VpcChanges\n" }
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{a}, "line 1: CreateVpc: VpcChanges\n"},
		{recCreateVpc + "\n", nil, "line 1: CreateVpc: VpcChanges\n"},
		{recCreateVpc + "\n", []string{"-"}, "line 1: CreateVpc: VpcChanges\n"},
		{"", []string{a, b}, line(a) + line(b)},
		{"", []string{one}, line(a)},           // one file, found in a directory
		{"", []string{two}, line(b) + line(c)}, // two files, one directory
		{"", []string{a, a}, line(a)},          // named twice, read once
	} {
		code, out, errs := call(t, tt.stdin, append([]string{"match"}, tt.args...)...)
		if code != cli.ExitOK || out != tt.want {
			t.Errorf("match %q: exit %d, stdout:\n%s\nwant:\n%s\nstderr: %s", tt.args, code, out, tt.want, errs)
		}
	}
}

// A record nested deeper than the engine reads is an error line, counted as skipped; the records
// around it are matched.
func TestMatchReportsARecordTooDeep(t *testing.T) {
	deep := `{"eventVersion":"1.08","eventName":"Deep","a":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "}"
	code, out, errs := call(t, recCreateVpc+"\n"+deep+"\n"+recQuiet+"\n", "match")
	want := "line 1: CreateVpc: VpcChanges\nline 2: error: byte 10045: nesting deeper than 10000 levels\nline 3: DescribeVpcs: none\n"
	if code != cli.ExitProblems || out != want || errs != "trailwatch match: 1 skipped (the error lines say where and why)\n" {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s\nstderr %q", code, out, want, errs)
	}
}

// A full disk is one line on stderr naming the write error, and exit 4; --sql too.
func TestWriteErrorMessages(t *testing.T) {
	input := writeTemp(t, "in.jsonl", recCreateVpc+"\n")
	other := writeTemp(t, "other.jsonl", recQuiet+"\n")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"match", input}, "trailwatch match: writing output: no space left on device\n"},
		{[]string{"match", input, other}, "trailwatch match: writing output: no space left on device\n"},
		{[]string{"match", "--format", "jsonl", input, input}, "trailwatch match: " + input + ": same file as " + input + " (named twice); read once\ntrailwatch match: writing output: no space left on device\n"},
		{[]string{"replay", input}, "trailwatch replay: writing the report: no space left on device\n"},
		{[]string{"replay", "--sql"}, "trailwatch replay: writing the query: no space left on device\n"},
	} {
		var diag bytes.Buffer
		code := run(tt.args, &cli.Stdio{Stdin: strings.NewReader(""), Stdout: failWriter{}, Stderr: &diag})
		if code != cli.ExitOutput || diag.String() != tt.want {
			t.Errorf("%q to a full disk: exit %d, stderr %q; want 4 and %q", tt.args, code, diag.String(), tt.want)
		}
	}
}

// replay reads standard input when it is a pipe; from a terminal it needs inputs named.
func TestReplayNeedsInputFromATerminal(t *testing.T) {
	var out, diag bytes.Buffer
	code := run([]string{"replay"}, &cli.Stdio{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &diag, StdinIsTerminal: true})
	if want := "trailwatch replay: no input: give files, directories or - (standard input)\n"; code != cli.ExitUsage || out.Len() != 0 || diag.String() != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, %q", code, out.String(), diag.String(), want)
	}
	out.Reset()
	diag.Reset()
	code = run([]string{"replay", "--format", "json"}, &cli.Stdio{Stdin: strings.NewReader(recCreateVpc[:len(recCreateVpc)-1] + `,"eventTime":"2024-05-01T12:00:00Z"}` + "\n"), Stdout: &out, Stderr: &diag})
	if code != cli.ExitOK || !strings.Contains(out.String(), `"records_read": 1,`) || diag.Len() != 0 {
		t.Errorf("piped: exit %d, stderr %q, report:\n%s", code, diag.String(), out.String())
	}
}

// More usage errors of replay --sql and --athena: each one line on stderr, exit 2.
func TestAthenaFlagErrors(t *testing.T) {
	awsEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--sql", "--regions", "useast1"}, "trailwatch replay: --regions: \"useast1\" is not a Region name (like us-east-1)\n"},
		{[]string{"--athena", "--athena-workgroup", "wg", "--athena-timeout", "0s"}, "trailwatch replay: --athena-timeout and --athena-poll: want a positive duration\n"},
		{[]string{"--athena", "--athena-workgroup", "wg", "--athena-poll", "0s"}, "trailwatch replay: --athena-timeout and --athena-poll: want a positive duration\n"},
		{[]string{"--athena", "--athena-workgroup", "wg", "--athena-poll", "-1ns"}, "trailwatch replay: --athena-timeout and --athena-poll: want a positive duration\n"},
		{[]string{"--athena", "--athena-workgroup", "wg", "--athena-timeout", "1ns", "--region", "", "--profile", "nowhere"}, "trailwatch replay: AWS configuration: failed to get shared config profile, nowhere\n"},
		{[]string{"--athena", "--athena-workgroup", "wg", "--athena-poll", "1ns", "--profile", "nowhere"}, "trailwatch replay: AWS configuration: failed to get shared config profile, nowhere\n"},
	} {
		code, out, errs := replayCmd(t, "", tc.args...)
		if code != cli.ExitUsage || out != "" || errs != tc.want {
			t.Errorf("replay %q: exit %d, stdout %q, stderr %q; want exit 2, no stdout, %q", tc.args, code, out, errs, tc.want)
		}
	}
}

const helpText = `Usage: trailwatch <command> [flags] [FILE...]

Commands:
  match    report which alarms each CloudTrail record sets off
  replay   replay the alarms over CloudTrail history: matches, ALARM periods, episodes
  doctor   check an AWS account before deploying (--preflight) and prove a deployment works

Run "trailwatch <command> -h" for a command's flags.
`

// The command list, byte for byte: help prints it on stdout (exit 0); no command or an unknown
// one prints it on stderr after the problem (exit 2), and nothing on stdout.
func TestCommandList(t *testing.T) {
	for _, tt := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"help"}, cli.ExitOK, helpText, ""},
		{[]string{"-h"}, cli.ExitOK, helpText, ""},
		{[]string{"-help"}, cli.ExitOK, helpText, ""},
		{nil, cli.ExitUsage, "", helpText},
		{[]string{"frobnicate", "match"}, cli.ExitUsage, "", "trailwatch: unknown command \"frobnicate\"\n\n" + helpText},
	} {
		code, out, errs := call(t, "", tt.args...)
		if code != tt.code || out != tt.stdout || errs != tt.stderr {
			t.Errorf("trailwatch %q: exit %d, stdout %q, stderr %q\nwant %d, %q, %q", tt.args, code, out, errs, tt.code, tt.stdout, tt.stderr)
		}
	}
}

// A report that cannot be encoded as JSON (a NaN) prints nothing, says why, and exits 4.
func TestUnencodableReport(t *testing.T) {
	var out, diag bytes.Buffer
	rep := &replay.Report{Alarms: []replay.AlarmReport{{ID: "A", Alarm: &replay.Alarm{Threshold: math.NaN()}}}}
	code := writeReport(&cli.Stdio{Stdout: &out, Stderr: &diag}, rep, "json")
	if want := "trailwatch replay: cannot encode the report: json: unsupported value: NaN\n"; code != cli.ExitOutput || out.Len() != 0 || diag.String() != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want 4, nothing, %q", code, out.String(), diag.String(), want)
	}
}

// A JSON report with skipped records says so on stderr too (exit 1); a table lists them itself.
func TestSkippedRecordsOnStderr(t *testing.T) {
	rep := &replay.Report{Totals: replay.Totals{RecordsSkipped: 1}}
	for format, want := range map[string]string{"json": "trailwatch replay: 1 skipped (see totals.skipped)\n", "table": ""} {
		var out, diag bytes.Buffer
		if code := writeReport(&cli.Stdio{Stdout: &out, Stderr: &diag}, rep, format); code != cli.ExitProblems || diag.String() != want {
			t.Errorf("%s: exit %d, stderr %q; want 1 and %q", format, code, diag.String(), want)
		}
	}
	var out, diag bytes.Buffer
	if code := writeReport(&cli.Stdio{Stdout: &out, Stderr: &diag}, &replay.Report{}, "json"); code != cli.ExitOK || diag.Len() != 0 {
		t.Errorf("nothing skipped: exit %d, stderr %q", code, diag.String())
	}
}

// matchInput reports an input it cannot open (one that went away after it was listed) as its
// error, and reads nothing.
func TestMatchInputThatCannotBeOpened(t *testing.T) {
	pattern := "{ $.eventName = x }"
	m, err := newMatcher(&pattern, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	var reader cloudtrail.Reader
	missing := filepath.Join(t.TempDir(), "gone.jsonl")
	n, err := m.matchInput(&reader, missing, &cli.Stdio{}, &resultWriter{w: &b})
	if want := "open " + missing + ": no such file or directory"; n != 0 || err == nil || err.Error() != want || b.Len() != 0 {
		t.Errorf("skipped %d, error %v, output %q; want 0, %q, nothing", n, err, b.String(), want)
	}
}

// --region names the Region when the environment has none.
func TestRegionFlag(t *testing.T) {
	srv, _ := trailBucket(t, nil)
	t.Setenv("AWS_REGION", "")
	code, out, errs := replayCmd(t, "", "--region", "us-east-1", "--accounts", "111111111111", "--regions", "us-east-1",
		"--since", "2024-03-05", "--until", "2024-03-05T12:00:00Z", "--endpoint-url", srv.URL, "s3://"+testBucket+"/")
	if code != cli.ExitOK || !strings.HasPrefix(out, "Replayed 40 records from 3 files") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
}

// Each command's -h, byte for byte: the text, then every flag with its default, less the hidden
// ones (testdata/golden/help-*.txt).
func TestCommandHelp(t *testing.T) {
	for _, name := range []string{"match", "replay"} {
		code, out, errs := call(t, "", name, "-h")
		if code != cli.ExitOK || errs != "" {
			t.Errorf("%s -h: exit %d, stderr %q", name, code, errs)
		}
		// The workers' bound depends on the machine's CPUs.
		out = strings.Replace(out, fmt.Sprintf("at most %d, 4 per CPU", replay.MaxWorkers()), "at most MAX, 4 per CPU", 1)
		golden(t, "help-"+name+".txt", out)
	}
}

// Flags of one mode are refused in the other, each by name; with several, the first in the
// order the checks list them is named.
func TestModeExclusiveFlags(t *testing.T) {
	awsEnv(t)
	local := "is for the Athena table and query: use it with --sql or --athena"
	both := "are exclusive: the query is for catalog alarms (--alarms) at their own periods, and reads the table, not inputs"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--athena-table", "t", "--organization", "o-abcdefghij", "x"}, "--athena-table " + local},
		{[]string{"--organization", "o-abcdefghij", "--athena-workgroup", "wg", "x"}, "--organization " + local},
		{[]string{"--athena-workgroup", "wg", "--athena-database", "db", "x"}, "--athena-workgroup " + local},
		{[]string{"--athena-database", "db", "--athena-timeout", "1m", "x"}, "--athena-database " + local},
		{[]string{"--athena-timeout", "1m", "x"}, "--athena-timeout " + local},
		{[]string{"--sql", "--template", "t.json", "--period", "60"}, "--sql and --template " + both},
		{[]string{"--sql", "--period", "60", "--workers", "1"}, "--sql and --period " + both},
		{[]string{"--athena", "--workers", "1", "--s3-concurrency", "2"}, "--athena and --workers " + both},
		{[]string{"--athena", "--s3-concurrency", "2", "--profile", "p"}, "--athena and --s3-concurrency " + both},
		{[]string{"--sql", "--profile", "p", "--region", "us-east-1"}, "--sql and --profile " + both},
		{[]string{"--sql", "--region", "us-east-1", "--endpoint-url", "http://x"}, "--sql and --region " + both},
		{[]string{"--sql", "--endpoint-url", "http://x", "--athena-workgroup", "wg"}, "--sql and --endpoint-url " + both},
		{[]string{"--sql", "--athena-workgroup", "wg", "--athena-database", "db"}, "--sql and --athena-workgroup " + both},
		{[]string{"--sql", "--athena-database", "db", "--athena-timeout", "1m"}, "--sql and --athena-database " + both},
		{[]string{"--sql", "--athena-timeout", "1m", "--format", "json"}, "--sql and --athena-timeout " + both},
		{[]string{"--sql", "--format", "json", "--top", "3"}, "--sql and --format " + both},
		{[]string{"--sql", "--top", "3"}, "--sql and --top " + both},
	} {
		code, out, errs := replayCmd(t, "", tc.args...)
		if want := "trailwatch replay: " + tc.want + "\n"; code != cli.ExitUsage || out != "" || errs != want {
			t.Errorf("replay %q: exit %d, stdout %q, stderr %q; want exit 2, no stdout, %q", tc.args, code, out, errs, want)
		}
	}
}
