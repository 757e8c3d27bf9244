package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// s3LogFile is a CloudTrail S3 log file of the replay golden input.
var s3LogFile, _ = filepath.Glob("testdata/input/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz")

// sampleRecords returns the records of the S3 log file, each as compact JSON.
func sampleRecords(t *testing.T) []string {
	t.Helper()
	if len(s3LogFile) != 1 {
		t.Fatalf("want one S3 log file in testdata/input, found %v", s3LogFile)
	}
	var doc struct{ Records []json.RawMessage }
	if err := json.NewDecoder(gunzip(t, s3LogFile[0])).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range doc.Records {
		var b bytes.Buffer
		if err := json.Compact(&b, r); err != nil {
			t.Fatal(err)
		}
		out = append(out, b.String())
	}
	return out
}

// inputKinds writes the sample records in every shape both commands read, and adds the golden
// input's own lookup-events and EventBridge files.
func inputKinds(t *testing.T) map[string]string {
	t.Helper()
	recs := sampleRecords(t)
	dir := t.TempDir()
	plain, err := io.ReadAll(gunzip(t, s3LogFile[0]))
	if err != nil {
		t.Fatal(err)
	}
	var lookup, bridge, csv []string
	for i, r := range recs {
		s, _ := json.Marshal(r)
		lookup = append(lookup, `{"EventId":"e`+fmt.Sprint(i)+`","CloudTrailEvent":`+string(s)+`}`)
		bridge = append(bridge, `{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","detail":`+r+`}`)
		csv = append(csv, fmt.Sprintf(`%d,x,"%s"`, i, strings.ReplaceAll(r, `"`, `""`)))
	}
	files := map[string]string{
		"S3 log file (gzip)":               s3LogFile[0],
		"lookup-events (golden input)":     "testdata/input/lookup-events.json",
		"EventBridge lines (golden)":       "testdata/input/eventbridge.jsonl",
		"S3 log file (plain)":              write(t, dir, "plain.json", string(plain)),
		"console Event history JSON":       write(t, dir, "console.json", "{\"Records\":[\n"+strings.Join(recs, ",\n")+"\n]}\n"),
		"console Event history CSV":        write(t, dir, "console.csv", "Event ID,Event name,CloudTrail event\n"+strings.Join(csv, "\n")+"\n"),
		"JSON lines of records":            write(t, dir, "records.jsonl", strings.Join(recs, "\n")+"\n"),
		"lookup-events page":               write(t, dir, "lookup.json", "{\"Events\":[\n"+strings.Join(lookup, ",\n")+"\n]}\n"),
		"JSON lines of EventBridge events": write(t, dir, "bridge.jsonl", strings.Join(bridge, "\n")+"\n"),
	}
	return files
}

func gunzip(t *testing.T, path string) io.Reader {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// matchCounts runs match and counts the records each alarm matched; code is its exit code.
func matchCounts(t *testing.T, file string) (counts map[string]int64, code int) {
	t.Helper()
	code, out, _ := call(t, "", "match", "--format", "jsonl", "--alarms", "aws,cis", file)
	counts = map[string]int64{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" { // no output at all
			continue
		}
		var r struct{ Alarms []string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("match output line %q: %v", line, err)
		}
		for _, a := range r.Alarms {
			counts[a]++
		}
	}
	return counts, code
}

// replayCounts runs replay and takes each alarm's matches from its report; code is its exit code.
func replayCounts(t *testing.T, file string) (counts map[string]int64, code int) {
	t.Helper()
	code, out, _ := call(t, "", "replay", "--format", "json", "--alarms", "aws,cis", file)
	var rep struct {
		Alarms []struct {
			ID      string `json:"id"`
			Matches int64  `json:"matches"`
		} `json:"alarms"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("replay report: %v\n%s", err, out)
	}
	counts = map[string]int64{}
	for _, a := range rep.Alarms {
		if a.Matches > 0 {
			counts[a.ID] = a.Matches
		}
	}
	return counts, code
}

// sampleTree is a directory of the sample records both commands must read the same way: nested
// directories, a symlinked subdirectory outside the tree, and one file named twice (by a symlink
// and by its path), which is read once. It holds the sample records twice: as JSON lines and as
// EventBridge events.
func sampleTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root, outside := t.TempDir(), t.TempDir()
	nested := filepath.Join(root, "AWSLogs", "deeper")
	if err := os.MkdirAll(nested, 0o755); err != nil {
		t.Fatal(err)
	}
	lines, err := os.ReadFile(files["JSON lines of records"])
	if err != nil {
		t.Fatal(err)
	}
	bridge, err := os.ReadFile(files["JSON lines of EventBridge events"])
	if err != nil {
		t.Fatal(err)
	}
	recs := write(t, nested, "records.jsonl", string(lines))
	write(t, outside, "bridge.jsonl", string(bridge))
	for _, link := range []struct{ target, name string }{
		{outside, filepath.Join(root, "linked-dir")},
		{recs, filepath.Join(root, "same-records.jsonl")},
	} {
		if err := os.Symlink(link.target, link.name); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestMatchAndReplayAgreeOnEveryInputKind: both commands read inputs with one reader and one
// directory walk, so the same input gives the same matches per alarm and the same exit code,
// whatever its shape. (match used to read JSON lines only: on an S3 log file it printed one
// "none"; on a directory it failed with "is a directory"; it took any JSON object as a record.)
func TestMatchAndReplayAgreeOnEveryInputKind(t *testing.T) {
	files := inputKinds(t)
	asLines, _ := matchCounts(t, files["JSON lines of records"])
	twice := map[string]int64{}
	for id, n := range asLines {
		twice[id] = 2 * n
	}
	dir := t.TempDir()
	type inputCase struct {
		kind, input string
		code        int
		matches     map[string]int64 // nil: those of the sample records as JSON lines
		own         bool             // the golden input's own records: only agreement is checked
	}
	tests := []inputCase{
		{kind: "directory: nested, a symlinked subdirectory, a file named twice", input: sampleTree(t, files), matches: twice},
		{kind: "not a CloudTrail record", input: write(t, dir, "hello.json", `{"hello":"world"}`+"\n"), code: cli.ExitProblems, matches: map[string]int64{}},
		{kind: "not JSON", input: write(t, dir, "junk.txt", "junk\n"), code: cli.ExitProblems, matches: map[string]int64{}},
		{kind: "console CSV without a record column", input: write(t, dir, "summary.csv", "Event ID,Event name\n1,ConsoleLogin\n"), code: cli.ExitProblems, matches: map[string]int64{}},
		{kind: "missing file", input: filepath.Join(dir, "missing.json"), code: cli.ExitProblems, matches: map[string]int64{}},
	}
	for kind, file := range files {
		own := file == "testdata/input/lookup-events.json" || file == "testdata/input/eventbridge.jsonl"
		tests = append(tests, inputCase{kind: kind, input: file, own: own})
	}
	for _, tt := range tests {
		want := tt.matches
		if want == nil {
			want = asLines
		}
		m, mcode := matchCounts(t, tt.input)
		r, rcode := replayCounts(t, tt.input)
		if !reflect.DeepEqual(m, r) || mcode != rcode {
			t.Errorf("%s: match counts %v, exit %d; replay counts %v, exit %d", tt.kind, m, mcode, r, rcode)
		}
		if tt.own {
			if len(m) == 0 {
				t.Errorf("%s: match found nothing in %s", tt.kind, tt.input)
			}
			continue
		}
		if !reflect.DeepEqual(m, want) || mcode != tt.code {
			t.Errorf("%s: match counts %v, exit %d; want %v, exit %d", tt.kind, m, mcode, want, tt.code)
		}
	}
	if len(asLines) == 0 {
		t.Errorf("the sample records match no alarm: the test proves nothing")
	}
}

// TestReplayNeedsTimeMatchDoesNot: the one documented difference. A record without eventTime can
// be matched, but not put in a period: match reports it (exit 0), replay skips it as
// no_event_time (exit 1).
func TestReplayNeedsTimeMatchDoesNot(t *testing.T) {
	file := writeTemp(t, "no-time.jsonl", `{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc"}`+"\n")
	code, out, diag := call(t, "", "match", file)
	if code != cli.ExitOK || out != "line 1: CreateVpc: VpcChanges\n" || diag != "" {
		t.Errorf("match: exit %d, stdout %q, stderr %q; want 0 and the match", code, out, diag)
	}
	code, out, _ = call(t, "", "replay", file)
	if code != cli.ExitProblems || !strings.Contains(out, "no_event_time") {
		t.Errorf("replay: exit %d:\n%s\nwant exit 1, skipped as no_event_time", code, out)
	}
}

// TestMatchReadsAnS3LogFile: each record of the Records array is matched and located by its
// position.
func TestMatchReadsAnS3LogFile(t *testing.T) {
	code, out, diag := call(t, "", "match", s3LogFile[0])
	if code != cli.ExitOK || diag != "" {
		t.Errorf("exit %d, stderr %q", code, diag)
	}
	if !strings.HasPrefix(out, "line 1 #1: ") || strings.Count(out, "\n") != len(sampleRecords(t)) || strings.Count(out, ": none\n") == len(sampleRecords(t)) {
		t.Errorf("stdout:\n%s\nwant one line per record, located line 1 #N, some matching", out)
	}
}
