package cloudtrail

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// script is a sink that writes what a decoder reports, in order, one line each: "R loc record"
// (newlines written \n), "P loc: detail [reason]", "I file: reason".
type script struct{ b strings.Builder }

func (s *script) record(rec []byte, loc Location) {
	fmt.Fprintf(&s.b, "R %s%s %s\n", loc, lastLine(loc), bytes.ReplaceAll(rec, []byte("\n"), []byte(`\n`)))
}
func (s *script) problem(p Problem) {
	fmt.Fprintf(&s.b, "P %s%s: %s [%s]\n", p.Location, lastLine(p.Location), p.Detail, p.Reason)
}

// lastLine shows a LastLine that String hides (the JSON report has it): one not after Line.
func lastLine(l Location) string {
	if l.LastLine != 0 && l.LastLine <= l.Line {
		return fmt.Sprintf(" (last_line %d)", l.LastLine)
	}
	return ""
}
func (s *script) ignore(i Ignored) { fmt.Fprintf(&s.b, "I %s: %s\n", i.File, i.Reason) }

func transcript(r io.Reader) string {
	s := &script{}
	decode("in", r, s)
	return s.b.String()
}

// failingReader gives its bytes, then fails with err (io.ErrUnexpectedEOF: a cut gzip stream).
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

var errDisk = errors.New("input/output error")

const (
	r1 = `{"eventVersion":"1","eventName":"A"}`
	r2 = `{"eventVersion":"1","eventName":"B"}`
)

func TestTranscripts(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Whole values, one a line: every shape classify tells apart, and each way an array or
		// object in one is malformed (the elements before the fault are still passed on).
		{"classify: array, a separator missing", "[" + r1 + " " + r2 + "]\n",
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: malformed JSON array [bad_json]` + "\n"},
		{"classify: array, a trailing comma", "[" + r1 + ",]\n",
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: malformed JSON array [bad_json]` + "\n"},
		{"classify: array in an array", "[[" + r1 + "]]\n",
			`P in:1: record #1: array nested in an array (no CloudTrail input has that shape) [not_cloudtrail]` + "\n"},
		{"classify: empty arrays", "[]\n[ ]\n" + `{"x":1,"Records":[]}` + "\n" + r1 + "\n",
			`R in:4 {"eventVersion":"1","eventName":"A"}` + "\n"},
		{"classify: object, a colon missing", `{"eventVersion" "1"}` + "\n",
			`P in:1: malformed JSON object [bad_json]` + "\n"},
		{"classify: Records not first, malformed", `{"x":1,"Records":[` + r1 + ` 2]}` + "\n",
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: malformed Records array [bad_json]` + "\n"},
		{"classify: Records not an array", `{"x":1,"Records":{"a":1},"eventVersion":"1"}` + "\n",
			`R in:1 {"x":1,"Records":{"a":1},"eventVersion":"1"}` + "\n"},
		{"classify: lookup-events entry without its record", `{"Events":[{"EventId":"1"},{"CloudTrailEvent":"{\"eventVersion\":\"1\"}"}]}` + "\n",
			`P in:1: record #1: lookup-events entry has no CloudTrailEvent string [not_cloudtrail]` + "\n" +
				`R in:1: record #2 {"eventVersion":"1"}` + "\n"},
		{"classify: lookup-events, malformed", `{"Events":[{"CloudTrailEvent":"{}"} 1]}` + "\n",
			`R in:1: record #1 {}` + "\n" +
				`P in:1: malformed Events array [bad_json]` + "\n"},
		{"classify: Events not an array", `{"Events":{},"eventName":"a","eventSource":"b"}` + "\n",
			`R in:1 {"Events":{},"eventName":"a","eventSource":"b"}` + "\n"},
		{"classify: a name or a source alone", `{"eventName":"a"}` + "\n" + `{"eventSource":"b"}` + "\n",
			`P in:1: JSON object is not a CloudTrail record, S3 log file, lookup-events page or EventBridge event [not_cloudtrail]` + "\n" +
				`P in:2: JSON object is not a CloudTrail record, S3 log file, lookup-events page or EventBridge event [not_cloudtrail]` + "\n"},
		{"classify: EventBridge detail not an object", `{"detail-type":"AWS API Call via CloudTrail","detail":"x"}` + "\n",
			`P in:1: EventBridge event detail is not an object [not_cloudtrail]` + "\n"},
		{"classify: detail-type or detail alone", `{"detail-type":"AWS API Call via CloudTrail","eventVersion":"1"}` + "\n" + `{"detail":{},"eventVersion":"1"}` + "\n",
			`R in:1 {"detail-type":"AWS API Call via CloudTrail","eventVersion":"1"}` + "\n" +
				`R in:2 {"detail":{},"eventVersion":"1"}` + "\n"},
		{"classify: digest with Records", `{"digestStartTime":"x","Records":[` + r1 + `]}` + "\n",
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n"},
		{"classify: digest before a record", `{"digestStartTime":"x","eventVersion":"1"}` + "\n",
			`I in: CloudTrail digest file (log file integrity data, no records)` + "\n"},
		{"classify: a string line", `"just a string"` + "\n" + r1 + "\n",
			`P in:1: JSON value is not an object [not_cloudtrail]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"A"}` + "\n"},
		// S3 log files are streamed: members after Records are skipped whatever they hold, and a fault
		// after Records loses the rest of that line only.
		{"S3 log file: members after Records", `{"Records":[` + r1 + `],"x":{"a":[1]},"y":2}`,
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n"},
		{"S3 log file: a comma missing between records", `{"Records":[` + r1 + ` ` + r2 + `]}` + "\n" + r2 + "\n",
			"R in:1: record #1 " + r1 + "\n" +
				"P in:1: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]\n" +
				"R in:2 " + r2 + "\n"},
		{"S3 log file: member without a colon", `{"Records":[` + r1 + `],"x" 1}` + "\n" + r2 + "\n",
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"B"}` + "\n"},
		{"S3 log file: comma before the brace", `{"Records":[` + r1 + `],}` + "\n" + r2 + "\n",
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"B"}` + "\n"},
		{"S3 log file: member value missing", `{"Records":[` + r1 + `],"k":}` + "\n" + r2 + "\n",
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"B"}` + "\n"},
		{"S3 log file: junk after Records", `{"Records":[` + r1 + `] x` + "\n" + r2 + "\n",
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"B"}` + "\n"},
		{"S3 log file: Records without a colon", `{"Records" [` + "\n" + r2 + "\n",
			`P in:1: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"B"}` + "\n"},
		{"S3 log file: Records not an array", `{"Records":{` + "\n" + r2 + "\n",
			`P in:1: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"B"}` + "\n"},
		{"S3 log file: Records empty", `{"Records":[]}` + "\n" + `{ "Records" : [ ] }`,
			""},
		{"S3 log file: trailing comma in Records", `{"Records":[` + r1 + `,]}` + "\n" + r2 + "\n",
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"B"}` + "\n"},
		{"S3 log file: Records on lines of their own", "{\"Records\": [\n" + r1 + ",\n" + r2 + "\n]}\n",
			`R in:2: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`R in:3: record #2 {"eventVersion":"1","eventName":"B"}` + "\n"},
		// An S3 log file cut anywhere is reported as ending early, with the records before the cut kept.
		{"S3 log file cut: in a member's key", `{"Records":[` + r1 + `],"ke`,
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]` + "\n"},
		{"S3 log file cut: after a member's key", `{"Records":[` + r1 + `],"k":`,
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]` + "\n"},
		{"S3 log file cut: in a member's value", `{"Records":[` + r1 + `],"k":tru`,
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]` + "\n"},
		{"S3 log file cut: after Records", `{"Records":[` + r1 + `]`,
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]` + "\n"},
		{"S3 log file cut: after a comma", `{"Records":[` + r1 + `],`,
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]` + "\n"},
		{"S3 log file cut: after the key", `{"Records"`,
			`P in:1: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]` + "\n"},
		{"S3 log file cut: after the colon", `{"Records":`,
			`P in:1: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]` + "\n"},
		{"S3 log file cut: in a record", `{"Records":[` + r1 + "," + r2[:10],
			`R in:1: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:1: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]` + "\n"},
		// Documents and arrays that span lines: each value located by its lines, each fault by where it is.
		{"stream: array, a comma missing", "[\n" + r1 + "\n" + r2 + "\n]\n",
			`P in:1: line is not one JSON value [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`R in:3 {"eventVersion":"1","eventName":"B"}` + "\n" +
				`P in:4: line is not one JSON value [bad_json]` + "\n"},
		{"stream: array cut after a comma", "[\n" + r1 + ",\n",
			`R in:2: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:3: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]` + "\n"},
		{"stream: array cut after an element", "[\n" + r1 + "\n",
			`P in:1: line is not one JSON value [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"A"}` + "\n"},
		{"stream: empty array, then one", "[\n]\n[\n" + r1 + ",\n" + r2 + "\n]\n",
			`R in:4: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`R in:5: record #2 {"eventVersion":"1","eventName":"B"}` + "\n"},
		{"stream: array, a trailing comma", "[\n" + r1 + ",\n]\n",
			`R in:2: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:3: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n"},
		{"stream: array holding an array and a number", "[\n" + r1 + ",\n[1],\n3\n]\n",
			`R in:2: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:3: record #2: array nested in an array (no CloudTrail input has that shape) [not_cloudtrail]` + "\n" +
				`P in:4: record #3: JSON value is not an object [not_cloudtrail]` + "\n"},
		{"stream: a pretty lookup-events page with a bad entry", "{\n\"Events\":[\n{\"x\":1}\n]\n}\n",
			"P in:1-5: record #1: lookup-events entry has no CloudTrailEvent string [not_cloudtrail]\n"},
		{"stream: pretty objects", "{\n\"eventVersion\":\"1\"\n}\n{\n\"x\":1\n}\n{\"y\":\n2}",
			"R in:1-3 {\\n\"eventVersion\":\"1\"\\n}" + "\n" +
				`P in:4-6: JSON object is not a CloudTrail record, S3 log file, lookup-events page or EventBridge event [not_cloudtrail]` + "\n" +
				`P in:7-8: JSON object is not a CloudTrail record, S3 log file, lookup-events page or EventBridge event [not_cloudtrail]` + "\n"},
		{"stream: a string after an object", "{\n\"eventVersion\":\"1\"\n}\n\"str\"",
			"R in:1-3 {\\n\"eventVersion\":\"1\"\\n}" + "\n" +
				`P in:4: JSON value is not an object [not_cloudtrail]` + "\n"},
		{"stream: a string cut after an object", "{\n\"eventVersion\":\"1\"\n}\n\"str",
			"R in:1-3 {\\n\"eventVersion\":\"1\"\\n}" + "\n" +
				`P in:4: JSON document starting at line 4 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]` + "\n"},
		{"stream: a number after an object", "{\n\"eventVersion\":\"1\"\n}\n12",
			"R in:1-3 {\\n\"eventVersion\":\"1\"\\n}" + "\n" +
				`P in:4: JSON value is not an object [not_cloudtrail]` + "\n"},
		{"stream: a digit after an object", "{\n\"eventVersion\":\"1\"\n}\n7",
			"R in:1-3 {\\n\"eventVersion\":\"1\"\\n}" + "\n" +
				`P in:4: JSON value is not an object [not_cloudtrail]` + "\n"},
		// After a broken stream, lines without records are reported as stretches, in input order with the
		// records between them.
		{"resync: a stretch, a record, a stretch", "{\n\"Records\": [\n x\n{\"x\":1}\nzz\n" + r1 + "\n{\"y\":2}\n",
			`P in:3: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n" +
				`P in:4-5: lines holding no CloudTrail record, after the malformed JSON above [bad_json]` + "\n" +
				`R in:6 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:7: lines holding no CloudTrail record, after the malformed JSON above [bad_json]` + "\n"},
		{"resync: a line with a record and a problem", "{\n\"Records\": [\n x\n[" + r1 + ", 5]\n" + r2 + "\n",
			`P in:3: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n" +
				`R in:4: record #1 {"eventVersion":"1","eventName":"A"}` + "\n" +
				`P in:4: record #2: JSON value is not an object [not_cloudtrail]` + "\n" +
				`R in:5 {"eventVersion":"1","eventName":"B"}` + "\n"},
		{"resync: a line with a digest and a record", "{\n\"Records\": [\n x\n[{\"digestStartTime\":\"x\"}," + r1 + "]\n",
			"P in:3: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]\n" +
				"I in: CloudTrail digest file (log file integrity data, no records)\n" + "R in:4: record #2 " + r1 + "\n"},
		{"resync: a digest line", "{\n\"Records\": [\n x\n{\"digestStartTime\":\"x\"}\n" + r1 + "\n",
			`P in:3: malformed JSON; the rest of the line is skipped, the lines after it are read as JSON lines [bad_json]` + "\n" +
				`P in:4: lines holding no CloudTrail record, after the malformed JSON above [bad_json]` + "\n" +
				`R in:5 {"eventVersion":"1","eventName":"A"}` + "\n"},
		// CSV: the record column found by its normalized name wherever it is, rows with no record
		// reported, blank lines skipped, quoted newlines and CRLF handled, the last row without a
		// newline read.
		{"CSV: last row without a newline", "n,CloudTrail event\n1," + csvQuote(r1),
			"R in:2 " + r1 + "\n"},
		{"CSV: rows without a record", "n,CloudTrail event\n1,\n2\n3,  \n",
			"P in:2: CSV row has no record in its CloudTrail event column [not_cloudtrail]\n" +
				"P in:3: CSV row has no record in its CloudTrail event column [not_cloudtrail]\n" +
				"P in:4: CSV row has no record in its CloudTrail event column [not_cloudtrail]\n"},
		{"CSV: a blank line", "n,CloudTrail event\n\n1," + csvQuote(r1) + "\n", "R in:3 " + r1 + "\n"},
		{"CSV: the record in the first column", "CloudTrail event,n\n" + csvQuote(r1) + ",1\n", "R in:2 " + r1 + "\n"},
		{"CSV: cloudtrail_event", "Event ID,cloudtrail_event\n1," + csvQuote(r1) + "\n", "R in:2 " + r1 + "\n"},
		{"CSV: Event-Record", "Event ID,Event-Record\n1," + csvQuote(r1) + "\n", "R in:2 " + r1 + "\n"},
		{"CSV: a byte order mark on the column", "Event ID,\ufeffCloudTrail Event,x\n1," + csvQuote(r1) + ",y\n", "R in:2 " + r1 + "\n"},
		{"CSV: quoted newlines", "n,CloudTrail event\n1,\"{\"\"eventVersion\"\":\n\"\"1\"\"}\"\n2,\"{\"\"x\"\":\n1}\"\n3," + csvQuote(r1) + "\n",
			`R in:2-3 {"eventVersion":\n"1"}` + "\n" +
				"P in:4-5: JSON object is not a CloudTrail record, S3 log file, lookup-events page or EventBridge event [not_cloudtrail]\n" +
				"R in:6 " + r1 + "\n"},
		{"CSV: CRLF", "n,CloudTrail event\r\n1," + csvQuote(r1) + "\r\n2," + csvQuote(r2) + "\r\n", "R in:2 " + r1 + "\n" + "R in:3 " + r2 + "\n"},
		{"CSV: an array in the column", "n,CloudTrail event\n1," + csvQuote("["+r1+",5]") + "\n",
			"R in:2: record #1 " + r1 + "\n" + "P in:2: record #2: JSON value is not an object [not_cloudtrail]\n"},
		{"CSV: semicolons", "n;CloudTrail event\n1;x\n", "P in: input is neither JSON nor CSV [not_json_or_csv]\n"},
		{"CSV: not UTF-8", "\xff\xfe,a\n", "P in: input is neither JSON nor CSV [not_json_or_csv]\n"},
		{"CSV: a header only", "n,CloudTrail event", ""},
		{"CSV: a header that does not parse", "n,\"CloudTrail event\n", "P in:1: bad CSV row: extraneous or missing \" in quoted-field [bad_json]\n"},
		// What the first bytes say the input is.
		{"sniff: blank", "   \n\t\n",
			`I in: empty input` + "\n"},
		{"sniff: a byte order mark only", "\ufeff",
			`I in: empty input` + "\n"},
		{"sniff: not gzip after the magic", "\x1f\x8bnot gzip",
			`P in: gzip header: gzip: invalid header [truncated]` + "\n"},
		{"sniff: cut first line, record last without a newline", "xx\n" + r1,
			`P in:1: line is not one JSON value (the input starts mid-record, as a cut with tail -c leaves it) [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"A"}` + "\n"},
		{"sniff: cut first line, blank lines, record", "xx\n\n  \n" + r1 + "\n",
			`P in:1: line is not one JSON value (the input starts mid-record, as a cut with tail -c leaves it) [bad_json]` + "\n" +
				`R in:4 {"eventVersion":"1","eventName":"A"}` + "\n"},
		{"sniff: broken first line, record last without a newline", "{\"a\":\n" + r1,
			`P in:1: line is not one JSON value [bad_json]` + "\n" +
				`R in:2 {"eventVersion":"1","eventName":"A"}` + "\n"},
		{"sniff: cut first line, blank line, a pretty object", "xx\n\n{\n\"eventVersion\":\"1\"\n}\n",
			"P in: input is neither JSON nor CSV [not_json_or_csv]\n"}, // only a line that is one value says JSON lines
		{"sniff: CRLF JSON lines with a bad line", r1 + "\r\n{bad\r\n" + r2 + "\r\n",
			"R in:1 " + r1 + "\n" + "P in:2: line is not one JSON value [bad_json]\n" + "R in:3 " + r2 + "\n"},
		{"sniff: cut first line, record with a CR", "xx\n" + r1 + " \r\n",
			"P in:1: line is not one JSON value (the input starts mid-record, as a cut with tail -c leaves it) [bad_json]\n" + "R in:2 " + r1 + "\n"},
		{"sniff: broken first line, blank line, records", "{\"a\":\n\n" + r1 + "\n" + r2 + "\n",
			"P in:1: line is not one JSON value [bad_json]\n" + "R in:3 " + r1 + "\n" + "R in:4 " + r2 + "\n"},
		{"sniff: broken first line, a one-byte line, record", "{\"a\":\nx\n" + r1 + "\n", // the second line decides
			"P in:1: JSON document starting at line 1 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]\n" +
				"P in:2: lines holding no CloudTrail record, after the malformed JSON above [bad_json]\n" + "R in:3 " + r1 + "\n"},
		{"sniff: an array whose first string is Records", "[\"Records\"]\n" + r1 + "\n",
			"P in:1: record #1: JSON value is not an object [not_cloudtrail]\n" + "R in:2 " + r1 + "\n"},
		{"sniff: a pretty array after a blank line", "[\n\n" + r1 + ",\n" + r2 + "]\n",
			"R in:3: record #1 " + r1 + "\n" + "R in:4: record #2 " + r2 + "\n"},
		{"sniff: a single scalar", "12",
			`P in: input is neither JSON nor CSV [not_json_or_csv]` + "\n"},
	}
	for _, tt := range tests {
		if got := transcript(strings.NewReader(tt.in)); got != tt.want {
			t.Errorf("%s:\n%s\ngot:\n%s\nwant:\n%s", tt.name, tt.in, got, tt.want)
		}
		if strings.HasPrefix(tt.in, "\x1f\x8b") {
			continue
		}
		// Gzip changes nothing but the bytes read.
		if got := transcript(bytes.NewReader(gz(t, []byte(tt.in)))); got != tt.want {
			t.Errorf("%s, gzip:\n%s\ngot:\n%s\nwant:\n%s", tt.name, tt.in, got, tt.want)
		}
	}
}

// A read error is reported where it happened, after the records read before it: a cut gzip
// stream (unexpected EOF, a bad checksum) as truncated, anything else as unreadable; a line or
// CSV row the error cuts is reported as such.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		in   string
		err  error
		want string
	}{
		{"", errDisk, "P in:1: read error: input/output error [unreadable]\n"},
		{r1 + "\n" + `{"eventVer`, errDisk, "R in:1 " + r1 + "\n" +
			"P in:2: read error: input/output error [unreadable]\n" +
			"P in:2: last line cut short by the read error [truncated]\n"},
		{r1 + "\n", io.ErrUnexpectedEOF, "R in:1 " + r1 + "\n" +
			"P in:2: input ends early (truncated or corrupt gzip?): unexpected EOF [truncated]\n"},
		{r1 + "\n" + r2 + "\n", kgzip.ErrChecksum, "R in:1 " + r1 + "\n" + "R in:2 " + r2 + "\n" +
			"P in:3: input ends early (truncated or corrupt gzip?): gzip: invalid checksum [truncated]\n"},
		{`{"Records":[` + r1 + `,{"eventVer`, errDisk, "R in:1: record #1 " + r1 + "\n" +
			"P in:1: read error: input/output error [unreadable]\n"},
		{`{"Records":[` + r1 + `,{"eventVer`, io.ErrUnexpectedEOF, "R in:1: record #1 " + r1 + "\n" +
			"P in:1: input ends early (truncated or corrupt gzip?): unexpected EOF [truncated]\n"},
		{"{\n\"eventVersion\":\"1\"\n}\n", errDisk, `R in:1-3 {\n"eventVersion":"1"\n}` + "\n" +
			"P in:4: read error: input/output error [unreadable]\n"},
		{"n,CloudTrail event\n1," + csvQuote(r1) + "\n", errDisk, "R in:2 " + r1 + "\n" +
			"P in:3: read error: input/output error [unreadable]\n"},
		{"n,CloudTrail event\n1,\"{\"\"eventVer", errDisk, "P in:2: read error: input/output error [unreadable]\n" +
			"P in:2: last CSV row cut short by the read error [truncated]\n"},
	}
	for _, tt := range tests {
		if got := transcript(&failingReader{[]byte(tt.in), tt.err}); got != tt.want {
			t.Errorf("%q then %v:\ngot:\n%s\nwant:\n%s", tt.in, tt.err, got, tt.want)
		}
	}
}

// A value larger than the first window (1 MiB) is read whole, the window growing as needed, in
// JSON lines and in a streamed S3 log file alike; the limit's message names it in MiB.
func TestValuesLargerThanTheWindow(t *testing.T) {
	big := `{"eventVersion":"1","pad":"` + strings.Repeat("p", 3<<20) + `"}`
	for name, in := range map[string]string{
		"JSON lines":  r1 + "\n" + big + "\n" + r2 + "\n",
		"S3 log file": `{"Records":[` + r1 + "," + big + "," + r2 + "]}",
	} {
		c := decodeString(t, []byte(in))
		if len(c.problems) != 0 || len(c.records) != 3 || c.records[1] != big || c.records[2] != r2 {
			t.Errorf("%s: %d records, problems %v; want 3, the big one whole", name, len(c.records), c.problems)
		}
	}
	if got := sizeText(MaxValue); got != "64 MiB" {
		t.Errorf("sizeText(MaxValue) = %q", got)
	}
}

// Limits are named in the largest unit that divides them.
func TestSizeText(t *testing.T) {
	for n, want := range map[int]string{
		3 << 19: "1536 KiB", 64 << 20: "64 MiB", 1 << 20: "1 MiB", 1<<20 + 1<<10: "1025 KiB", 4096: "4 KiB", 1024: "1 KiB",
		1023: "1023 bytes", 1536: "1536 bytes", 1<<20 + 1: "1048577 bytes", 0: "0 bytes",
	} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}

// Locations read as file:line, file:first-last, "record #n" for array elements, and <stdin> for
// standard input.
func TestLocationString(t *testing.T) {
	for _, tt := range []struct {
		loc  Location
		want string
	}{
		{Location{File: "a.json"}, "a.json"},
		{Location{File: "-"}, "<stdin>"},
		{Location{File: "-", Line: 3}, "<stdin>:3"},
		{Location{File: "a", Line: 3, LastLine: 5}, "a:3-5"},
		{Location{File: "a", Line: 3, LastLine: 3}, "a:3"},
		{Location{File: "a", Line: 3, LastLine: 2}, "a:3"},
		{Location{File: "a", Index: 2}, "a: record #2"},
		{Location{File: "a", Line: 1, Index: 2}, "a:1: record #2"},
		{Location{File: "a", Line: 1, LastLine: 4, Index: 2}, "a:1-4: record #2"},
	} {
		if got := tt.loc.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.loc, got, tt.want)
		}
	}
}

// ObjectFields walks the top-level members in order, stops when told to, and refuses what is not
// an object it can walk.
func TestObjectFields(t *testing.T) {
	walk := func(obj string, stopAt string) (string, error) {
		var keys []string
		err := ObjectFields([]byte(obj), func(f Field) bool {
			keys = append(keys, string(f.Key)+"="+string(f.Value))
			return string(f.Key) != stopAt
		})
		return strings.Join(keys, " "), err
	}
	for _, tt := range []struct{ obj, stop, want string }{
		{`{}`, "", ""},
		{` { } `, "", ""},
		{`{"a":1,"b":{"c":[2]} , "d" : "x"}`, "", `a=1 b={"c":[2]} d="x"`},
		{`{"a":1,"b":2,"c":3}`, "b", "a=1 b=2"},
		{`{"a":1,"b":2 x`, "b", "a=1 b=2"}, // stopped before the fault
	} {
		if got, err := walk(tt.obj, tt.stop); err != nil || got != tt.want {
			t.Errorf("ObjectFields(%s) = %q, %v; want %q", tt.obj, got, err, tt.want)
		}
	}
	for _, obj := range []string{``, `  `, `[]`, `{`, `{ `, `{"a"`, `{"a" 1}`, `{"a":`, `{"a":}`, `{"a":1`, `{"a":1,`, `{"a":1 "b":2}`, `{1:2}`, `{"a:1}`, `{"a":1,}`, `{"a":"x"`, `{"a":[1]`, `{"a":1:2}`, `x}`, `a"b":1}`} {
		if got, err := walk(obj, ""); err != errSyntax {
			t.Errorf("ObjectFields(%s) = %q, %v; want errSyntax", obj, got, err)
		}
	}
}

// Lookup finds each named member, takes the last of duplicates (escaped spellings included), and
// finds nothing in what is not an object.
func TestLookup(t *testing.T) {
	for _, tt := range []struct {
		obj  string
		want string // the values of a and b
	}{
		{`{"a":1,"b":2}`, "1 2"},
		{`{"b":2,"x":0,"a":1}`, "1 2"},
		{`{"a":1}`, "1 <nil>"},
		{`{"a":1,"b":2,"a":3}`, "3 2"},
		{`{"a":1,"a":3}`, "3 <nil>"}, // the last, even when a name is missing (the walk goes to the end)
		{`{"a":1,"x":{"b":0},"a":3,"a":4}`, "4 <nil>"},
		{`{"a":1,"b":2,"\u0061":3}`, "3 2"},
		{`{"a":1,"b":2,"c":"\u0061"}`, "1 2"},
		{`{"a":1,"b":2,"c\u0041":3}`, "1 2"}, // an escaped key is compared decoded: cA is neither
		{`{"a":1,"b":2,"c":"a"}`, "1 2"},
		{`{"a":1,"b":2,"c":{"a":4}}`, "1 2"},
		{`[1]`, "<nil> <nil>"},
		{`{"a":1,"b"`, "1 <nil>"}, // the members before a fault are found
	} {
		var got []string
		for _, v := range Lookup([]byte(tt.obj), "a", "b") {
			if v == nil {
				got = append(got, "<nil>")
			} else {
				got = append(got, string(v))
			}
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("Lookup(%s, a, b) = %s, want %s", tt.obj, strings.Join(got, " "), tt.want)
		}
	}
}

// Lookup of no names finds nothing, in any object.
func TestLookupOfNoNames(t *testing.T) {
	for _, obj := range []string{`{}`, ` { } `, `{"a":1}`, `{"a":1,"b":"\u0061"}`} {
		if got := Lookup([]byte(obj)); len(got) != 0 {
			t.Errorf("Lookup(%s) = %q", obj, got)
		}
	}
}

// A number, true, false or null ends at the first delimiter: white space, a comma, a bracket, a
// brace or a colon.
func TestValueEndOfScalars(t *testing.T) {
	for _, d := range []string{" ", "\n", "\r", "\t", ",", "]", "}", ":"} {
		for _, v := range []string{"-12.5e3", "true", "false", "null", "0", "9.5"} {
			if end, err := valueEnd([]byte(v+d+"x"), 0); err != nil || end != len(v) {
				t.Errorf("valueEnd(%q) = %d, %v; want %d", v+d+"x", end, err, len(v))
			}
		}
	}
	if end, err := valueEnd([]byte("12"), 0); err != errIncomplete || end != 2 {
		t.Errorf("valueEnd(12) = %d, %v; want 2, errIncomplete (complete only at EOF)", end, err)
	}
}

// StringValue decodes escapes, and refuses what is not one valid JSON string.
func TestStringValue(t *testing.T) {
	for raw, want := range map[string]string{`"abc"`: "abc", `"a\"b"`: `a"b`, `"\u00e9t\u00e9"`: "été", `"a\\b"`: `a\b`} {
		if got, ok := StringValue([]byte(raw)); !ok || got != want {
			t.Errorf("StringValue(%s) = %q, %v; want %q", raw, got, ok, want)
		}
	}
	for _, raw := range []string{`"\x"`, `"\u12"`, `12`, `'a'`, `"a" `} {
		if got, ok := StringValue([]byte(raw)); ok || got != "" {
			t.Errorf("StringValue(%s) = %q, %v; want \"\", false", raw, got, ok)
		}
	}
}

// The eight-bytes-at-a-time test finds a quote or a backslash in any position, and nothing else.
func TestQuoteOrBackslash(t *testing.T) {
	for _, fill := range []byte{'a', 0, '!', '#', '[', ']', 0x7f, 0x80, 0xa2, 0xdc, 0xff} {
		for pos := 0; pos < 8; pos++ {
			for _, c := range []byte{'"', '\\', '!', '#', '[', ']', 'b', 0x22 + 0x80, 0x5c + 0x80, 0x21, 0x5d} {
				b := bytes.Repeat([]byte{fill}, 8)
				b[pos] = c
				want := bytes.ContainsAny(b, `"\`)
				if got := quoteOrBackslash(binary.LittleEndian.Uint64(b)); got != want {
					t.Errorf("quoteOrBackslash(% x) = %v, want %v", b, got, want)
				}
			}
		}
	}
}

// Strings are scanned to their closing quote past escapes, whatever their length and wherever
// the escape falls in an eight-byte block.
func TestStringEnd(t *testing.T) {
	for n := 0; n < 20; n++ {
		for _, esc := range []string{``, `\"`, `\\`, `\u0022`} {
			s := `"` + strings.Repeat("x", n) + esc + strings.Repeat("y", n%9) + `"`
			for _, tail := range []string{``, `,"z"`} {
				if end, err := stringEnd([]byte(s+tail), 0); err != nil || end != len(s) {
					t.Errorf("stringEnd(%s) = %d, %v; want %d", s+tail, end, err, len(s))
				}
			}
			if _, err := stringEnd([]byte(s[:len(s)-1]), 0); err != errIncomplete {
				t.Errorf("stringEnd(%s) = %v, want errIncomplete", s[:len(s)-1], err)
			}
		}
	}
}

// A tree is walked through symlinks to files and directories; a symlink loop is walked once, a
// dangling symlink is reported unreadable, a pipe inside the tree is passed over, and standard
// input named twice is read once.
func TestListInputsFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "t/sub"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "elsewhere"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "t/sub/1.json"), []byte("{}"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "elsewhere/2.json"), []byte("{}"), 0o644))
	must(os.Symlink(filepath.Join(dir, "elsewhere"), filepath.Join(dir, "t/dirlink")))
	must(os.Symlink(filepath.Join(dir, "elsewhere/2.json"), filepath.Join(dir, "t/filelink.json")))
	must(os.Symlink(filepath.Join(dir, "t"), filepath.Join(dir, "t/sub/loop")))
	must(os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "t/dangling")))
	must(syscall.Mkfifo(filepath.Join(dir, "t/pipe"), 0o644))

	var out []string
	for _, in := range ListInputs([]string{"-", filepath.Join(dir, "t"), "-"},
		func(p Problem) { out = append(out, fmt.Sprintf("P %s [%s]", p, p.Reason)) },
		func(i Ignored) { out = append(out, "I "+i.File+": "+i.Reason) }) {
		out = append(out, fmt.Sprintf("%s %d", in.Path, in.Size))
	}
	got := strings.ReplaceAll(strings.Join(out, "\n"), dir, "D")
	want := strings.Join([]string{
		"P D/t/dangling: stat D/t/dangling: no such file or directory [unreadable]",
		"I D/t/sub/loop: same directory as D/t (a symlink loop, or named twice); read once",
		"I D/t/filelink.json: same file as D/t/dirlink/2.json (named twice); read once",
		"I -: standard input named twice; read once",
		"- 0", // the inputs, after what was reported while listing them
		"D/t/dirlink/2.json 2",
		"D/t/sub/1.json 2",
	}, "\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// Without a device and inode (keyOf cannot tell), a file is listed each time it is named.
func TestListsFilesWithoutIdentity(t *testing.T) {
	if _, ok := keyOf(noSys{}); ok {
		t.Fatal("keyOf found an identity in a FileInfo without one")
	}
	l := &lister{files: map[fileKey]string{}, ignore: func(i Ignored) { t.Errorf("ignored %+v", i) }}
	l.file("a", noSys{})
	l.file("a", noSys{})
	if len(l.out) != 2 || l.out[1] != (Input{Path: "a", Size: 7}) {
		t.Errorf("inputs %+v, want a twice", l.out)
	}
}

type noSys struct{ fs.FileInfo }

func (noSys) Size() int64 { return 7 }
func (noSys) Sys() any    { return nil }

// A window grown for one huge value is not kept for the next input: a reader goroutine's memory
// goes back to one window (1 MiB) after it.
func TestGrownWindowIsNotKept(t *testing.T) {
	var d decoder
	big := `{"eventVersion":"1","pad":"` + strings.Repeat("p", 3<<20) + `"}` + "\n"
	d.decode("big", strings.NewReader(big), &collect{})
	if len(d.win.buf) <= windowSize {
		t.Fatalf("window %d bytes after a 3 MiB value", len(d.win.buf))
	}
	c := &collect{}
	d.decode("small", strings.NewReader(r1+"\n"), c)
	if len(d.win.buf) != windowSize || len(c.records) != 1 {
		t.Errorf("window %d bytes, %d records after a small input; want %d, 1", len(d.win.buf), len(c.records), windowSize)
	}
}

// csvRowEnd splits rows as encoding/csv reads them: a quoted field runs to its closing quote
// ("" inside it is a quote, newlines are kept), and a row is complete only through its newline
// (a quote at the very end may be the first of a "").
func TestCSVRowEnd(t *testing.T) {
	for _, tt := range []struct {
		in       string
		n        int
		complete bool
	}{
		{"", 0, false},
		{"a,b\n", 4, true},
		{"a,b", 3, false},
		{"a,\n", 3, true},
		{",\nx", 2, true},
		{"\"a,b\"\nx", 6, true},
		{"\"a\"\"b\"\n", 7, true},
		{"\"a\"\"", 4, false},
		{"\"ab\"", 4, false},
		{"\"ab", 3, false},
		{"\"a\nb\",c\nd", 8, true},
		{"x,\"y\"\n", 6, true},
		{"x,\"y\nz\"\n", 8, true},
		{"\"a\"x,b\n", 7, true},
		{"\"\"\n", 3, true},
	} {
		if n, complete := csvRowEnd([]byte(tt.in)); n != tt.n || complete != tt.complete {
			t.Errorf("csvRowEnd(%q) = %d, %v; want %d, %v", tt.in, n, complete, tt.n, tt.complete)
		}
	}
}

// Header names are compared lower-cased, without spaces, dashes, underscores or a byte order mark.
func TestNormalizeHeader(t *testing.T) {
	for in, want := range map[string]string{
		"CloudTrail event": "cloudtrailevent", "\ufeffCloud-Trail_Event": "cloudtrailevent", "Event ID": "eventid", "x\ufeffy": "x\ufeffy",
	} {
		if got := normalizeHeader(in); got != want {
			t.Errorf("normalizeHeader(%q) = %q, want %q", in, got, want)
		}
	}
	if got := string(firstLine([]byte("a,b\nc"))); got != "a,b" {
		t.Errorf("firstLine = %q", got)
	}
	if got := string(firstLine([]byte("a,b"))); got != "a,b" {
		t.Errorf("firstLine without a newline = %q", got)
	}
}

// A value exactly as large as the limit is read whole even when the window has to drop one
// consumed byte to make room for it.
func TestValueAtTheLimitAfterOneByte(t *testing.T) {
	withMaxValue(t, 4096)
	head := "{\n\"eventVersion\":\"1\",\n\"pad\":\""
	value := head + strings.Repeat("x", 4096-len(head)-3) + "\"\n}"
	c := decodeString(t, []byte("\n"+value+"\n"+r2+"\n"))
	if len(c.records) != 2 || c.records[0] != value || len(c.problems) != 0 {
		t.Errorf("%d records, problems %v; want the 4096-byte value and the next record", len(c.records), c.problems)
	}
}

// A CSV row exactly as long as the limit (its newline included) is read, even when it fills the
// window to the last byte.
func TestCSVRowAtTheLimit(t *testing.T) {
	withMaxValue(t, 4096)
	header := "n,CloudTrail event\n"
	row := ""
	for pad := 0; len(row) != 4096; pad++ {
		row = "1," + csvQuote(`{"eventVersion":"1","pad":"`+strings.Repeat("x", pad)+`"}`) + "\n"
	}
	c := decodeString(t, []byte(header+row+"2,"+csvQuote(r2)+"\n"))
	if len(c.records) != 2 || len(c.problems) != 0 {
		t.Errorf("%d records, problems %v; want the 4096-byte row and the next", len(c.records), c.problems)
	}
}

// A directory that cannot be read is reported unreadable, and the rest of the tree is still
// walked.
func TestUnreadableDirectory(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a/1.json", "b/2.json"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := readDir
	t.Cleanup(func() { readDir = old })
	readDir = func(name string) ([]os.DirEntry, error) {
		if name == filepath.Join(dir, "a") {
			return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
		}
		return old(name)
	}
	var problems []string
	got := ListInputs([]string{dir}, func(p Problem) { problems = append(problems, fmt.Sprintf("%s [%s]", p, p.Reason)) }, func(Ignored) {})
	want := dir + "/a: open " + dir + "/a: permission denied [unreadable]"
	if len(got) != 1 || got[0].Path != filepath.Join(dir, "b/2.json") || len(problems) != 1 || problems[0] != want {
		t.Errorf("inputs %+v, problems %q; want b/2.json and %q", got, problems, want)
	}
}

// A CSV row over the limit is located by its lines: one line when the limit falls in it (no
// LastLine, as for any one-line value), the lines it ran over otherwise.
func TestCSVRowOverTheLimitLines(t *testing.T) {
	withMaxValue(t, 4096)
	for in, want := range map[string]Location{
		"n,CloudTrail event\n1,\"" + strings.Repeat("z", 5000) + "\n2,x\n":     {File: "in", Line: 2},
		"n,CloudTrail event\n1,\"" + strings.Repeat("z\n", 2500) + "\"\n2,x\n": {File: "in", Line: 2, LastLine: 2048},
	} {
		c := decodeString(t, []byte(in))
		if len(c.problems) == 0 || c.problems[0].Reason != ReasonTooLarge || c.problems[0].Location != want {
			t.Errorf("%d problems, the first %+v; want too_large at %+v", len(c.problems), c.problems[:min(1, len(c.problems))], want)
		}
	}
}

// The choice between JSON lines and a stream looks at the first window (1 MiB): a first record of
// 700 KiB on its own line makes JSON lines (a bad line after it is one bad line); one of 1.5 MiB
// is past the window, so the input is read as a stream (the bad line ends a document early).
func TestSniffingLooksAtTheFirstWindow(t *testing.T) {
	for n, want := range map[int]string{
		700 << 10:  "P in:2: line is not one JSON value [bad_json]\n",
		1500 << 10: "P in:2: JSON document starting at line 2 ends early; the rest of the line is skipped, the lines after it are read as JSON lines [truncated]\n",
	} {
		big := `{"eventVersion":"1","pad":"` + strings.Repeat("p", n) + `"}`
		want = "R in:1 " + big + "\n" + want + "R in:3 " + r2 + "\n"
		if got := transcript(strings.NewReader(big + "\n{bad\n" + r2 + "\n")); got != want {
			t.Errorf("first line of %d bytes:\n%.300s\nwant:\n%.300s", len(big), got, want)
		}
	}
}

// A tree's files are listed in lexical order of their whole paths, not directory by directory:
// "a-b" and "a.json" come before "a/x" ('-' and '.' sort before '/').
func TestListInputsInLexicalOrder(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a/x", "a.json", "a-b", "b"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, in := range ListInputs([]string{dir}, func(p Problem) { t.Error(p) }, func(i Ignored) { t.Error(i) }) {
		got = append(got, strings.TrimPrefix(in.Path, dir+"/"))
	}
	if strings.Join(got, " ") != "a-b a.json a/x b" {
		t.Errorf("inputs %q, want a-b a.json a/x b", got)
	}
}

// An S3 log file in a stream is known by its first 64 bytes, read in full even when the window
// ends inside them: a Records key after 54 spaces (64 bytes from the brace) is found when 63 bytes
// are left in the window, and its record is located on its own line.
func TestRecordsKeyAtTheWindowEnd(t *testing.T) {
	withMaxValue(t, 4096)
	doc := "{" + strings.Repeat(" ", 54) + "\"Records\":[\n" + r1 + "]}\n"
	first := ""
	for pad := 0; len(first) != 4096-63; pad++ {
		first = "{\n\"eventVersion\":\"1\",\n\"pad\":\"" + strings.Repeat("x", pad) + "\"\n}\n"
	}
	c := decodeString(t, []byte(first+doc))
	if len(c.records) != 2 || len(c.problems) != 0 || c.locs[1] != (Location{File: "in", Line: 6, Index: 1}) {
		t.Errorf("records at %v, problems %v; want the second at in:6 record #1", c.locs, c.problems)
	}
}
