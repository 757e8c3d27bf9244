package cloudtrail

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// Hostile input, the reader's side: every limit at its boundary, every resynchronisation, with the
// messages asserted.

// withMaxValue lowers the value/line/row limit for one test, so its boundary can be tried with
// small inputs.
func withMaxValue(t *testing.T, n int) {
	old := maxValue
	maxValue = n
	t.Cleanup(func() { maxValue = old })
}

func problemsText(c *collect) string {
	var b strings.Builder
	for _, p := range c.problems {
		fmt.Fprintf(&b, "%s [%s]\n", p, p.Reason)
	}
	return b.String()
}

func TestSizeLimitsAtTheBoundary(t *testing.T) {
	withMaxValue(t, 4096)
	rec := func(n int) string { // a record of exactly n bytes
		head := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc","pad":"`
		return head + strings.Repeat("x", n-len(head)-2) + `"}`
	}
	small := rec(200)
	csvRow := func(r string) string { return `"` + strings.ReplaceAll(r, `"`, `""`) + `"` }
	tests := []struct {
		name     string
		in       string
		records  int
		problems string
	}{
		// JSON lines: the line is held with its newline; 4095 bytes + "\n" fits, 4096 + "\n" does not.
		{"line at the limit", rec(4095) + "\n" + small + "\n", 2, ""},
		{"line over the limit", small + "\n" + rec(4096) + "\n" + small + "\n", 2,
			"in:2: line longer than the 4 KiB limit [too_large]\n"},
		// A stream value: the whole value must fit the window.
		{"stream value over the limit", "{\n\"Events\": [],\n\"x\": \"" + strings.Repeat("y", 5000) + "\"}\n" + small + "\n", 1,
			"in:1: a JSON value is larger than the 4 KiB limit; the rest of the line is skipped, the lines after it are read as JSON lines [too_large]\n" +
				"in:2: lines holding no CloudTrail record, after the malformed JSON above [bad_json]\n" +
				"in:3: line longer than the 4 KiB limit [too_large]\n"},
		// CSV: a row (quoted newlines included) is held whole; a quote never closed cannot make it
		// hold the rest of the input: the row is skipped to the end of the line the limit falls in.
		{"CSV row at the limit", "n,CloudTrail event\n1," + csvRow(small) + "\n", 1, ""},
		{"CSV quote never closed", "n,CloudTrail event\n1,\"" + strings.Repeat("z", 5000) + "\n2," + csvRow(small) + "\n", 1,
			"in:2: CSV row longer than the 4 KiB limit (a quoted field never closed?) [too_large]\n"},
		{"CSV quote never closed, to the end", "n,CloudTrail event\n1," + csvRow(small) + "\n2,\"" + strings.Repeat("z\n", 10), 1,
			"in:3-12: bad CSV row: extraneous or missing \" in quoted-field [bad_json]\n"},
	}
	for _, tt := range tests {
		c := decodeString(t, []byte(tt.in))
		if len(c.records) != tt.records || problemsText(c) != tt.problems {
			t.Errorf("%s: %d records, problems:\n%s\nwant %d records, problems:\n%s", tt.name, len(c.records), problemsText(c), tt.records, tt.problems)
		}
	}
}

// An unterminated CSV quote followed by a large body used to grow without limit (a 4.5 MB .gz
// reached 5 GB); now the window stops at the limit. countingReader proves the input is read
// through, and the allocation bound is checked by FuzzCSV.
func TestCSVUnterminatedQuoteIsBounded(t *testing.T) {
	withMaxValue(t, 1<<16)
	body := strings.NewReader("n,CloudTrail event\n1,\"" + strings.Repeat("a", 1<<20))
	c := &collect{}
	decode("in", body, c)
	if want := "in:2: CSV row longer than the 64 KiB limit (a quoted field never closed?) [too_large]\n"; problemsText(c) != want {
		t.Errorf("problems:\n%s\nwant:\n%s", problemsText(c), want)
	}
	if body.Len() != 0 {
		t.Errorf("%d bytes left unread", body.Len())
	}
}

func TestResynchronises(t *testing.T) {
	r := func(s string) string {
		return `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:0` + s + `Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc"}`
	}
	tests := []struct {
		name     string
		in       string
		records  string // the eventTime seconds of the records read, in order
		problems string
	}{
		{"tail -c cut, mid-string", r("1")[30:] + "\n" + r("2") + "\n" + r("3") + "\n", "23",
			"in:1: line is not one JSON value (the input starts mid-record, as a cut with tail -c leaves it) [bad_json]\n"},
		{"tail -c cut, at a brace", `{"type":"Root"},` + r("1")[2:] + "\n" + r("2") + "\n", "2",
			"in:1: line is not one JSON value [bad_json]\n"},
		{"two cut lines", "xx\n\"y\":1}\n" + r("1") + "\n", "1",
			"in:1: line is not one JSON value (the input starts mid-record, as a cut with tail -c leaves it) [bad_json]\nin:2: line is not one JSON value [bad_json]\n"},
		{"BOM, JSON lines", "\ufeff" + r("1") + "\n" + r("2") + "\n", "12", ""},
		{"BOM, S3 file", "\ufeff{\"Records\":[" + r("1") + "]}", "1", ""},
		{"BOM, pretty array", "\ufeff[\n  " + r("1") + ",\n  " + r("2") + "\n]\n", "12", ""},
		{"broken stream, then lines", "{\n \"Records\": [\n" + r("1") + ",\n" + r("2") + " x\n" + r("3") + "\n" + r("4") + "\n", "1234",
			"in:4: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]\n"},
		{"bad CSV row, then a good one", "n,CloudTrail event\n1,\"a\"x,\"b\nc\"\n2," + `"` + strings.ReplaceAll(r("1"), `"`, `""`) + `"` + "\n", "1",
			"in:2-3: bad CSV row: extraneous or missing \" in quoted-field [bad_json]\n"},
		{"missing brace, JSON lines", "{\"a\": {\"b\": 1}\n" + r("1") + "\n" + r("2") + "\n", "12",
			"in:1: line is not one JSON value [bad_json]\n"},
		{"missing brace, stream", "{\n\"a\": {\"b\": 1}\n" + r("1") + "\n" + r("2") + "\n", "12",
			"in:1: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]\n" +
				"in:2: lines holding no CloudTrail record, after the malformed JSON above [bad_json]\n"},
	}
	for _, tt := range tests {
		c := decodeString(t, []byte(tt.in))
		var got string
		for _, rec := range c.records {
			i := strings.Index(rec, `12:00:0`)
			got += rec[i+7 : i+8]
		}
		if got != tt.records || problemsText(c) != tt.problems {
			t.Errorf("%s: records %q, problems:\n%s\nwant records %q, problems:\n%s", tt.name, got, problemsText(c), tt.records, tt.problems)
		}
	}
}

func TestDuplicateKeysTakeTheLast(t *testing.T) {
	tests := []struct {
		obj, want string
	}{
		{`{"eventTime":"a","x":1,"eventTime":"b"}`, `"b"`},
		{`{"eventTime":"a","x":{"eventTime":"nested"}}`, `"a"`},
		{`{"eventTime":"a","event\u0054ime":"b"}`, `"b"`},
		{`{"x":"\"eventTime\"","eventTime":"a"}`, `"a"`},
	}
	for _, tt := range tests {
		if got := string(Lookup([]byte(tt.obj), "eventTime")[0]); got != tt.want {
			t.Errorf("Lookup(%s) = %s, want %s", tt.obj, got, tt.want)
		}
	}
}

// A read error after the last complete line is reported, not dropped: a gzip file cut between two
// records, or in its 8-byte trailer, used to read as complete.
func TestCutBetweenLinesIsReported(t *testing.T) {
	in := gz(t, []byte(rec("A", "2024-05-01T12:00:00Z")+"\n"+rec("B", "2024-05-01T12:00:01Z")+"\n"))
	for cut := len(in) - 8; cut < len(in); cut++ {
		c := decodeString(t, in[:cut])
		if len(c.problems) != 1 || c.problems[0].Reason != ReasonTruncated || !strings.Contains(c.problems[0].Detail, "input ends early") {
			t.Errorf("cut at %d of %d (trailer): problems %v, want one truncated", cut, len(in), c.problems)
		}
	}
}

var _ = io.EOF
var _ = bytes.MinRead
