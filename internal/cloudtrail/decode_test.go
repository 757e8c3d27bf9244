package cloudtrail

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// collect is a sink that keeps everything a decoder reports.
type collect struct {
	records  []string
	locs     []Location
	problems []Problem
	ignored  []Ignored
}

func (c *collect) record(rec []byte, loc Location) {
	c.records = append(c.records, string(rec))
	c.locs = append(c.locs, loc)
}
func (c *collect) problem(p Problem) { c.problems = append(c.problems, p) }
func (c *collect) ignore(i Ignored)  { c.ignored = append(c.ignored, i) }

func decodeString(t *testing.T, in []byte) *collect {
	t.Helper()
	c := &collect{}
	decode("in", bytes.NewReader(in), c)
	return c
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// rec is a small CloudTrail record with the fields replay reads.
func rec(name, at string) string {
	return fmt.Sprintf(`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"},"eventTime":%q,"eventSource":"ec2.amazonaws.com","eventName":%q,"sourceIPAddress":"192.0.2.1","requestParameters":{"note":"has \"quotes\", [brackets] and {braces}"}}`, at, name)
}

func eventNames(t *testing.T, c *collect) []string {
	t.Helper()
	var out []string
	for _, r := range c.records {
		var v struct{ EventName string }
		if err := json.Unmarshal([]byte(r), &v); err != nil {
			t.Fatalf("decoder passed on invalid JSON %q: %v", r, err)
		}
		out = append(out, v.EventName)
	}
	return out
}

func TestDecodesEachFormatPlainAndGzip(t *testing.T) {
	a, b := rec("CreateVpc", "2024-05-01T12:00:01Z"), rec("DeleteVpc", "2024-05-01T12:00:02Z")
	quoted := func(s string) string { q, _ := json.Marshal(s); return string(q) }
	cases := map[string]string{
		"S3 log file":           `{"Records":[` + a + `,` + b + `]}`,
		"S3 log file, pretty":   "{\n  \"Records\": [\n    " + a + ",\n    " + b + "\n  ]\n}\n",
		"Records not first key": `{"Other":1,"Records":[` + a + `,` + b + `]}`,
		"console JSON download": "{\"Records\":[\n" + a + ",\n" + b + "\n]}",
		"lookup-events page": `{"Events":[{"EventId":"1","EventName":"CreateVpc","CloudTrailEvent":` + quoted(a) +
			`},{"EventId":"2","CloudTrailEvent":` + quoted(b) + `}],"NextToken":"x"}`,
		"lookup-events, two pages concatenated": "{\n    \"Events\": [\n        {\"CloudTrailEvent\": " + quoted(a) + "}\n    ],\n    \"NextToken\": \"t\"\n}\n" +
			"{\n    \"Events\": [\n        {\"CloudTrailEvent\": " + quoted(b) + "}\n    ]\n}\n",
		"JSON lines of records": a + "\n" + b + "\n",
		"JSON lines of EventBridge events": `{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","detail":` + a + "}\n" +
			`{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","detail":` + b + "}\n",
		"one EventBridge event, pretty": "{\n \"detail-type\": \"AWS API Call via CloudTrail\",\n \"detail\": " + a + "\n}\n" +
			"{\n \"detail-type\": \"AWS API Call via CloudTrail\",\n \"detail\": " + b + "\n}\n",
		"array of records":       "[" + a + "," + b + "]",
		"CSV with record column": "Event ID,Event name,CloudTrail event\n1,CreateVpc," + csvQuote(a) + "\n2,DeleteVpc," + csvQuote(b) + "\n",
	}
	for name, in := range cases {
		for _, zip := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/gzip=%v", name, zip), func(t *testing.T) {
				data := []byte(in)
				if zip {
					data = gz(t, data)
				}
				c := decodeString(t, data)
				if len(c.problems) > 0 {
					t.Fatalf("problems: %v", c.problems)
				}
				got := strings.Join(eventNames(t, c), ",")
				if got != "CreateVpc,DeleteVpc" {
					t.Errorf("records = %s, want CreateVpc,DeleteVpc", got)
				}
			})
		}
	}
}

func csvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func TestStreamsRecordsWithIndexes(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"Records":[`)
	for i := range 3000 { // several read windows' worth
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(rec(fmt.Sprintf("E%d", i), "2024-05-01T12:00:01Z"))
	}
	sb.WriteString(`]}`)
	c := decodeString(t, gz(t, []byte(sb.String())))
	if len(c.records) != 3000 || len(c.problems) != 0 {
		t.Fatalf("records=%d problems=%v", len(c.records), c.problems)
	}
	if c.locs[2999].Index != 3000 {
		t.Errorf("last record index = %d, want 3000", c.locs[2999].Index)
	}
}

func TestSkipsTruncatedGzipButKeepsRecordsBefore(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"Records":[`)
	for i := range 2000 {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(rec(fmt.Sprintf("E%d", i), "2024-05-01T12:00:01Z"))
	}
	sb.WriteString(`]}`)
	full := gz(t, []byte(sb.String()))
	c := decodeString(t, full[:len(full)/2])
	if len(c.problems) != 1 || c.problems[0].Reason != ReasonTruncated {
		t.Fatalf("problems = %v, want one %s", c.problems, ReasonTruncated)
	}
	if len(c.records) == 0 || len(c.records) >= 2000 {
		t.Errorf("records = %d, want the complete records before the cut", len(c.records))
	}
}

func TestSkipsBadLineAndGoesOn(t *testing.T) {
	in := rec("CreateVpc", "2024-05-01T12:00:01Z") + "\n" +
		`{"eventVersion":"1.08","eventName": ` + "\n" +
		"\n" +
		rec("DeleteVpc", "2024-05-01T12:00:02Z") + "\n"
	c := decodeString(t, []byte(in))
	if got := strings.Join(eventNames(t, c), ","); got != "CreateVpc,DeleteVpc" {
		t.Errorf("records = %s", got)
	}
	if len(c.problems) != 1 || c.problems[0].Line != 2 || c.problems[0].Reason != ReasonBadJSON {
		t.Errorf("problems = %+v, want bad_json at line 2", c.problems)
	}
}

func TestSkipsNonCloudTrailJSON(t *testing.T) {
	for name, in := range map[string]string{
		"object":            `{"hello":"world","items":[1,2,3]}`,
		"other EventBridge": `{"detail-type":"EC2 Instance State-change Notification","detail":{"state":"running"}}`,
		"array of strings":  `["not a record"]`,
	} {
		t.Run(name, func(t *testing.T) {
			c := decodeString(t, []byte(in))
			if len(c.records) != 0 || len(c.problems) != 1 || c.problems[0].Reason != ReasonNotCloudTrail {
				t.Errorf("records=%d problems=%+v, want one %s", len(c.records), c.problems, ReasonNotCloudTrail)
			}
		})
	}
}

func TestIgnoresDigestFiles(t *testing.T) {
	digest := `{"awsAccountId":"111122223333","digestStartTime":"2024-05-01T11:00:00Z","digestEndTime":"2024-05-01T12:00:00Z","logFiles":[]}`
	c := decodeString(t, gz(t, []byte(digest)))
	if len(c.records) != 0 || len(c.problems) != 0 || len(c.ignored) != 1 {
		t.Errorf("records=%d problems=%v ignored=%v, want one ignored digest", len(c.records), c.problems, c.ignored)
	}
}

func TestRejectsSummaryOnlyCSV(t *testing.T) {
	in := "Event ID,Event time,User name,Event name,Resource type,Resource name\n1,2024-05-01T12:00:01Z,alice,CreateVpc,,\n"
	c := decodeString(t, []byte(in))
	if len(c.records) != 0 || len(c.problems) != 1 || c.problems[0].Reason != ReasonCSVNoRecord {
		t.Errorf("records=%d problems=%+v, want one %s", len(c.records), c.problems, ReasonCSVNoRecord)
	}
}

func TestRejectsBinary(t *testing.T) {
	c := decodeString(t, []byte{0, 1, 2, 3, 0xff, 0xfe})
	if len(c.problems) != 1 || c.problems[0].Reason != ReasonNotJSON {
		t.Errorf("problems = %+v, want one %s", c.problems, ReasonNotJSON)
	}
}

func TestReportsBrokenStreamOnce(t *testing.T) {
	in := "{\n \"Events\": [\n {\"CloudTrailEvent\": \"{}\"}\n"
	c := decodeString(t, []byte(in))
	// The document is cut; the lines after its first are then read as JSON lines, and since none
	// of them holds a record they are reported as one stretch.
	if len(c.problems) != 2 || c.problems[0].Reason != ReasonTruncated || c.problems[1].Reason != ReasonBadJSON ||
		c.problems[1].Line != 2 || c.problems[1].LastLine != 3 || len(c.records) != 0 {
		t.Errorf("problems = %+v, records %d; want one %s at line 1 and one %s for lines 2-3", c.problems, len(c.records), ReasonTruncated, ReasonBadJSON)
	}
}

// TestDecoderReuse reads several inputs with one decoder, as a reader goroutine does: state from a
// broken file must not leak into the next.
func TestDecoderReuse(t *testing.T) {
	good := gz(t, []byte(`{"Records":[`+rec("CreateVpc", "2024-05-01T12:00:01Z")+`]}`))
	var d decoder
	var names []string
	for i, in := range [][]byte{good[:len(good)-10], good, []byte(rec("DeleteVpc", "2024-05-01T12:00:02Z") + "\n"), good} {
		c := &collect{}
		d.decode(fmt.Sprint(i), bytes.NewReader(in), c)
		if i > 0 && len(c.problems) > 0 {
			t.Errorf("input %d: problems %v", i, c.problems)
		}
		names = append(names, eventNames(t, c)...)
	}
	if got := strings.Join(names, ","); !strings.HasSuffix(got, "CreateVpc,DeleteVpc,CreateVpc") {
		t.Errorf("records = %s", got)
	}
}

// A reused decoder counts lines from 1 again in each input: a bad line of the second input is
// placed at its own line, not the first input's count or off by one.
func TestDecoderReuseCountsLinesAgain(t *testing.T) {
	var d decoder
	first := &collect{}
	d.decode("a", strings.NewReader(rec("CreateVpc", "2024-05-01T12:00:01Z")+"\n"+rec("DeleteVpc", "2024-05-01T12:00:02Z")+"\n"), first)
	second := &collect{}
	d.decode("b", strings.NewReader(rec("CreateVpc", "2024-05-01T12:00:03Z")+"\n{not json\n"), second)
	if len(second.problems) != 1 || second.problems[0].File != "b" || second.problems[0].Line != 2 {
		t.Errorf("second input's problems %+v; want one at b line 2", second.problems)
	}
}
