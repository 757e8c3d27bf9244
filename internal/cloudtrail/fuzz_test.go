package cloudtrail

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The fuzz targets below check the invariants every reader must keep, whatever the bytes:
//
//   - no panic;
//   - bounded time and memory per byte of input (a generous linear bound: quadratic or
//     unbounded work shows up on inputs of a few KB);
//   - every complete record in the input is either passed on or counted as skipped with a
//     reason, checked against a naive reader written here with encoding/json and encoding/csv.
//
// Run one for minutes with, e.g.:
//
//	go test ./internal/cloudtrail -run '^$' -fuzz '^FuzzRead$' -fuzztime 3m -parallel 1
//
// The seed corpus is in testdata/fuzz/<target>/.

// outcome is everything a Reader reported for one input.
type outcome struct {
	records  []string
	locs     []Location
	problems []Problem
	ignored  []Ignored
}

func readAll(t *testing.T, in []byte) *outcome {
	t.Helper()
	o := &outcome{}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var r Reader
	r.Read("in", bytes.NewReader(in), Handler{
		Record: func(rec []byte, loc Location) {
			o.records = append(o.records, string(rec))
			o.locs = append(o.locs, loc)
		},
		Problem: func(p Problem) {
			if p.Reason == "" || p.Detail == "" {
				t.Errorf("problem without a reason: %+v", p)
			}
			o.problems = append(o.problems, p)
		},
		Ignore: func(i Ignored) { o.ignored = append(o.ignored, i) },
	})
	elapsed := time.Since(start)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	// What is handed out is counted too (records are copied here), hence 8 bytes a byte: the
	// reader's own share is a 1 MiB window, a 64 KiB bufio buffer and gzip state, whatever the
	// input, plus a few copies of the largest value.
	if alloc, limit := after.TotalAlloc-before.TotalAlloc, uint64(8<<20+16*len(in)); alloc > limit {
		t.Errorf("allocated %d bytes for %d bytes of input (limit %d)", alloc, len(in), limit)
	}
	if limit := fuzzTimeLimit(time.Second + time.Duration(len(in))*20*time.Microsecond); elapsed > limit {
		t.Errorf("took %v for %d bytes of input (limit %v)", elapsed, len(in), limit)
	}
	return o
}

// fuzzTimeLimit is limit while fuzzing, where the linear bound hunts slow inputs. A plain
// `go test` runs the seed corpus (slow inputs the fuzzer found are kept there) on a machine that
// may be loaded, CI running packages in parallel: there the bound is 3 times looser, and 10
// times more under the race detector.
func fuzzTimeLimit(limit time.Duration) time.Duration {
	if f := flag.Lookup("test.fuzz"); f != nil && f.Value.String() != "" {
		return limit
	}
	return 3 * raceSlowdown * limit
}

// naiveRecordLines is the naive reader: the input split on newlines, each line decoded on its
// own with encoding/json. It returns the 1-based numbers and text of the lines that are, alone,
// a CloudTrail record (an object with eventVersion and none of the keys that make it a container).
func naiveRecordLines(in []byte) map[int]string {
	out := map[int]string{}
	for i, line := range bytes.Split(in, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if i == 0 {
			line = bytes.TrimSpace(bytes.TrimPrefix(line, bom))
		}
		if isNaiveRecord(line) {
			out[i+1] = string(line)
		}
	}
	return out
}

func isNaiveRecord(v []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(v, &m) != nil {
		return false
	}
	for _, k := range []string{"Records", "Events", "detail-type", "detail", "digestStartTime"} {
		if _, ok := m[k]; ok {
			return false
		}
	}
	_, ok := m["eventVersion"]
	return ok
}

// covers reports whether loc's lines include line.
func covers(loc Location, line int) bool {
	if loc.Line == 0 {
		return true // the whole input (a broken gzip header, an unreadable file)
	}
	return loc.Line <= line && line <= max(loc.Line, loc.LastLine)
}

// checkLines asserts that every naive record line is passed on as itself, or lies in a record
// or a problem that spans it.
func checkLines(t *testing.T, in []byte, o *outcome) {
	t.Helper()
	for n, text := range naiveRecordLines(in) {
		found := false
		for i, loc := range o.locs {
			if (loc.Line == n && o.records[i] == text) || (loc.LastLine > loc.Line && covers(loc, n)) {
				found = true
				break
			}
		}
		for _, p := range o.problems {
			if found {
				break
			}
			found = covers(p.Location, n)
		}
		if !found {
			t.Errorf("line %d is a complete record but was neither read nor skipped: %s\nrecords at %v\nproblems %v", n, text, o.locs, o.problems)
		}
	}
}

func seedLines(f *testing.F) {
	rec := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc"}`
	for _, s := range []string{
		rec + "\n" + rec + "\n",
		`ntTime":"2024-05-01T12:00:00Z"}` + "\n" + rec + "\n",
		"\ufeff" + rec + "\n",
		"{\n \"Records\": [\n" + rec + "\n,\n" + rec + "\n]}\n",
		"[" + rec + "," + rec + "]\n",
		"{\"a\": {\n" + rec + "\n" + rec + "\n",
		"[[[[[[[[[[]]]]]]]]]]\n" + rec + "\n",
		"CloudTrail event,x\n\"" + strings.ReplaceAll(rec, `"`, `""`) + "\",1\n",
		"a,\"b\n" + rec + "\n",
		"",
		"\x1f\x8b",
	} {
		f.Add([]byte(s))
	}
}

// FuzzRead is the whole reader on raw bytes: sniffing (gzip, JSON lines, JSON stream, CSV) and
// splitting.
func FuzzRead(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		o := readAll(t, in)
		if len(in) > 2 && in[0] == 0x1f && in[1] == 0x8b {
			return // gzip: the lines are compressed (FuzzGzip checks gzip input)
		}
		checkLines(t, in, o)
	})
}

// FuzzJSONLines builds JSON lines from the fuzzer's lines and, when every line is a record, wants
// every one read, in order, at its line, and nothing skipped.
func FuzzJSONLines(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		o := readAll(t, in)
		checkLines(t, in, o)
		naive := naiveRecordLines(in)
		lines := 0
		for _, l := range bytes.Split(in, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				lines++
			}
		}
		if lines == 0 || len(naive) != lines || bytes.HasPrefix(bytes.TrimSpace(in), []byte(`{"Records"`)) {
			return
		}
		if len(o.problems) > 0 || len(o.records) != lines {
			t.Fatalf("pure JSON lines: %d records, problems %v; want %d records and none", len(o.records), o.problems, lines)
		}
		for i, loc := range o.locs {
			if naive[loc.Line] != o.records[i] {
				t.Errorf("record %d at %v = %s, want line %d: %s", i, loc, o.records[i], loc.Line, naive[loc.Line])
			}
		}
	})
}

// FuzzGzip reads the fuzzer's bytes gzip-compressed and cut at any point: the records before the
// cut are the first records of the whole file, and a cut is reported.
func FuzzGzip(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(in)
		zw.Close()
		whole := b.Bytes()
		full := readAll(t, whole)
		if len(in) < 2 || in[0] != 0x1f || in[1] != 0x8b {
			checkLines(t, in, full)
		}
		cut := len(in) % len(whole)
		part := readAll(t, whole[:cut])
		if len(part.problems) == 0 && len(part.ignored) == 0 {
			t.Errorf("a gzip file cut at %d of %d bytes gave no problem", cut, len(whole))
		}
		if len(part.records) > len(full.records) {
			t.Fatalf("cut file gave %d records, whole file %d", len(part.records), len(full.records))
		}
		for i := range part.records {
			if part.records[i] != full.records[i] || part.locs[i] != full.locs[i] {
				// The last record before a cut may differ (its line was cut); none before it may.
				if i < len(part.records)-1 {
					t.Errorf("record %d of the cut file differs: %s at %v, whole: %s at %v", i, part.records[i], part.locs[i], full.records[i], full.locs[i])
				}
			}
		}
	})
}

// FuzzCSV puts each of the fuzzer's lines in the "CloudTrail event" column of a CSV, then adds
// the fuzzer's bytes raw as a last row: every row encoding/csv reads whose column is a record is
// read or skipped with a reason.
func FuzzCSV(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		var b bytes.Buffer
		cw := csv.NewWriter(&b)
		cw.Write([]string{"Event name", "CloudTrail event"})
		lines := strings.Split(string(in), "\n")
		for i, l := range lines {
			cw.Write([]string{fmt.Sprint(i), l})
		}
		cw.Flush()
		b.Write(in)
		doc := b.Bytes()
		o := readAll(t, doc)
		// The naive reader: encoding/csv over the whole document, up to its first error (it cannot
		// resynchronise). Every row it reads whose column is a record is read by ours too, or lies
		// in a skipped stretch.
		cr := csv.NewReader(bytes.NewReader(doc))
		cr.FieldsPerRecord = -1
		for n := 0; ; n++ {
			row, err := cr.Read()
			if err != nil {
				break
			}
			if n == 0 || len(row) < 2 {
				continue
			}
			field := strings.TrimSpace(row[1])
			if !isNaiveRecord([]byte(field)) {
				continue
			}
			line, _ := cr.FieldPos(1)
			found := contains(o.records, field)
			for _, p := range o.problems {
				found = found || covers(p.Location, line)
			}
			if !found {
				t.Errorf("CSV record at line %d neither read nor skipped: %s\nproblems %v", line, field, o.problems)
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// FuzzConsoleJSON wraps the fuzzer's lines as the console's Event history JSON download would
// hold them ({"Records": [...]}, one record a line): when encoding/json reads the document, every
// record in it is passed on with its index; otherwise every record line is read or skipped.
func FuzzConsoleJSON(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		lines := bytes.Split(in, []byte("\n"))
		doc := append([]byte("{\"Records\": [\n"), bytes.Join(lines, []byte(",\n"))...)
		doc = append(doc, "\n]}\n"...)
		o := readAll(t, doc)
		checkLines(t, doc, o)
		var naive struct{ Records []json.RawMessage }
		if json.Unmarshal(doc, &naive) != nil {
			return
		}
		if len(o.records) != len(naive.Records) || len(o.problems) != 0 {
			t.Fatalf("valid document of %d records: read %d, problems %v", len(naive.Records), len(o.records), o.problems)
		}
		for i, r := range naive.Records {
			if string(bytes.TrimSpace(r)) != o.records[i] || o.locs[i].Index != i+1 {
				t.Errorf("record %d = %s at %v, want %s", i+1, o.records[i], o.locs[i], r)
			}
		}
	})
}

// FuzzLookupEvents wraps each of the fuzzer's lines as an `aws cloudtrail lookup-events` entry
// (the record as a JSON string in CloudTrailEvent): every entry is passed on exactly, or skipped.
func FuzzLookupEvents(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		lines := strings.Split(string(in), "\n")
		type entry struct {
			EventName       string
			CloudTrailEvent string
		}
		page := struct{ Events []entry }{}
		for i, l := range lines {
			page.Events = append(page.Events, entry{fmt.Sprint(i), l})
		}
		doc, err := json.MarshalIndent(page, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		o := readAll(t, doc)
		if len(o.records)+len(o.problems) != len(lines) {
			t.Fatalf("%d entries: %d records + %d problems", len(lines), len(o.records), len(o.problems))
		}
		// encoding/json turns invalid UTF-8 into U+FFFD, so compare what it wrote back.
		var back struct{ Events []entry }
		if err := json.Unmarshal(doc, &back); err != nil {
			t.Fatal(err)
		}
		j := 0
		for i, e := range back.Events {
			if j < len(o.records) && o.locs[j].Index == i+1 {
				if o.records[j] != e.CloudTrailEvent {
					t.Errorf("entry %d: read %q, want %q", i+1, o.records[j], e.CloudTrailEvent)
				}
				j++
			}
		}
	})
}

// FuzzEventBridge wraps each of the fuzzer's lines as the detail of an EventBridge event, one
// event a line: every detail that is an object is passed on, everything else skipped.
func FuzzEventBridge(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		var doc bytes.Buffer
		var details []string
		for _, l := range bytes.Split(in, []byte("\n")) {
			l = bytes.TrimSpace(l)
			if !json.Valid(l) || len(l) == 0 {
				continue
			}
			fmt.Fprintf(&doc, "{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ec2\",\"detail\":%s}\n", l)
			details = append(details, string(l))
		}
		o := readAll(t, doc.Bytes())
		if len(o.records)+len(o.problems) != len(details) {
			t.Fatalf("%d events: %d records + %d problems %v", len(details), len(o.records), len(o.problems), o.problems)
		}
		j := 0
		for i, d := range details {
			if d[0] != '{' {
				continue
			}
			if j >= len(o.records) || o.locs[j].Line != i+1 || o.records[j] != d {
				t.Fatalf("event %d: detail %s not read (records %v at %v)", i+1, d, o.records, o.locs)
			}
			j++
		}
	})
}
