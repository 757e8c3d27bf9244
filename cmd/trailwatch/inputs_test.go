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

// matchCounts runs match and counts the records each alarm matched.
func matchCounts(t *testing.T, file string) map[string]int64 {
	t.Helper()
	_, out, _ := call(t, "", "match", "--format", "jsonl", "--alarms", "aws,cis", file)
	counts := map[string]int64{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct{ Alarms []string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("match output line %q: %v", line, err)
		}
		for _, a := range r.Alarms {
			counts[a]++
		}
	}
	return counts
}

// replayCounts runs replay and takes each alarm's matches from its report.
func replayCounts(t *testing.T, file string) map[string]int64 {
	t.Helper()
	_, out, _ := call(t, "", "replay", "--format", "json", "--alarms", "aws,cis", file)
	var rep struct {
		Alarms []struct {
			ID      string `json:"id"`
			Matches int64  `json:"matches"`
		} `json:"alarms"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("replay report: %v\n%s", err, out)
	}
	counts := map[string]int64{}
	for _, a := range rep.Alarms {
		if a.Matches > 0 {
			counts[a.ID] = a.Matches
		}
	}
	return counts
}

// TestMatchAndReplayAgreeOnEveryInputKind: both commands read inputs with one reader, so the same
// file gives the same matches per alarm, whatever its shape. (match used to read JSON lines only:
// on an S3 log file it printed one "none".)
func TestMatchAndReplayAgreeOnEveryInputKind(t *testing.T) {
	var asLines map[string]int64
	for kind, file := range inputKinds(t) {
		m, r := matchCounts(t, file), replayCounts(t, file)
		if len(m) == 0 {
			t.Errorf("%s: match found nothing in %s", kind, file)
		}
		if !reflect.DeepEqual(m, r) {
			t.Errorf("%s: match counts %v, replay counts %v", kind, m, r)
		}
		if kind == "JSON lines of records" {
			asLines = m
		}
	}
	// The sample records in any shape are the same records.
	for _, kind := range []string{"S3 log file (gzip)", "S3 log file (plain)", "console Event history JSON", "console Event history CSV", "lookup-events page", "JSON lines of EventBridge events"} {
		if m := matchCounts(t, inputKinds(t)[kind]); !reflect.DeepEqual(m, asLines) {
			t.Errorf("%s: matches %v, want those of the same records as JSON lines, %v", kind, m, asLines)
		}
	}
}

// TestMatchReadsAnS3LogFile: each record of the Records array is matched and located by its
// position.
func TestMatchReadsAnS3LogFile(t *testing.T) {
	code, out, diag := call(t, "", "match", s3LogFile[0])
	if code != exitOK || diag != "" {
		t.Errorf("exit %d, stderr %q", code, diag)
	}
	if !strings.HasPrefix(out, "line 1 #1: ") || strings.Count(out, "\n") != len(sampleRecords(t)) || strings.Count(out, ": none\n") == len(sampleRecords(t)) {
		t.Errorf("stdout:\n%s\nwant one line per record, located line 1 #N, some matching", out)
	}
}
