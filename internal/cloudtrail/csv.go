package cloudtrail

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// decodeCSV reads a CSV file only when one of its columns holds the whole CloudTrail record.
//
// AWS documents that the console's Event history downloads as CSV or JSON, but not the CSV's
// columns; the columns the console shows (event name, time, user name, source, resource type and
// name, ...) are not the record, and alarms match fields (errorCode, requestParameters, ...) that
// only the record has. So a CSV is replayed only when a column named like "CloudTrail event"
// carries the record JSON; any other CSV is reported, not guessed at.
func decodeCSV(name string, w *window, s sink) {
	head := w.peek(4096)
	if !utf8.Valid(firstLine(head)) || !strings.Contains(string(firstLine(head)), ",") {
		s.problem(Problem{Location{File: name, Line: 1}, ReasonNotJSON, "input is neither JSON nor CSV"})
		return
	}
	cr := csv.NewReader(&windowReader{w})
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		s.problem(Problem{Location{File: name, Line: 1}, ReasonNotJSON, "input is neither JSON nor a readable CSV: " + err.Error()})
		return
	}
	col := -1
	for i, h := range header {
		if k := normalizeHeader(h); k == "cloudtrailevent" || k == "eventrecord" {
			col = i
			break
		}
	}
	if col < 0 {
		s.problem(Problem{Location{File: name, Line: 1}, ReasonCSVNoRecord,
			"CSV has no column holding the full CloudTrail record (looked for \"CloudTrail event\"); " +
				"the Event history CSV download carries summary columns only: download as JSON instead"})
		return
	}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return
		}
		line, _ := cr.FieldPos(0)
		loc := Location{File: name, Line: line}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// encoding/csv resumes at the next row after a parse error.
				s.problem(Problem{Location{File: name, Line: pe.Line}, ReasonBadJSON, "bad CSV row: " + pe.Err.Error()})
				continue
			}
			s.problem(readProblem(name, w, err))
			return
		}
		if col >= len(row) || strings.TrimSpace(row[col]) == "" {
			s.problem(Problem{loc, ReasonNotCloudTrail, "CSV row has no record in its CloudTrail event column"})
			continue
		}
		classify([]byte(strings.TrimSpace(row[col])), loc, s)
	}
}

func firstLine(b []byte) []byte {
	for i, c := range b {
		if c == '\n' {
			return b[:i]
		}
	}
	return b
}

// normalizeHeader lowercases and drops spaces, dashes and underscores: "CloudTrail event",
// "CloudTrailEvent" and "cloudtrail_event" are one column.
func normalizeHeader(h string) string {
	h = strings.TrimPrefix(h, "\ufeff")
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if r != ' ' && r != '-' && r != '_' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// windowReader lets encoding/csv read what the sniffing window has buffered, then the rest.
type windowReader struct{ w *window }

func (r *windowReader) Read(p []byte) (int, error) {
	if r.w.lo == r.w.hi && !r.w.more() {
		if r.w.err != nil {
			return 0, r.w.err
		}
		return 0, io.EOF
	}
	n := copy(p, r.w.bytes())
	r.w.lo += n
	return n, nil
}
