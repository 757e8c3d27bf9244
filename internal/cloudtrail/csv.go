package cloudtrail

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
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
	head := w.bytes() // the window is full (or holds the whole input) since it was first read
	if !utf8.Valid(firstLine(head)) || !strings.Contains(string(firstLine(head)), ",") {
		s.problem(Problem{Location: Location{File: name}, Reason: ReasonNotJSON, Detail: "input is neither JSON nor CSV"})
		return
	}
	rr := &rowParser{}
	header, _, ok := nextCSVRow(name, w, s, rr)
	if !ok || len(header) == 0 {
		return // a header that does not parse is reported by nextCSVRow
	}
	col := slices.IndexFunc(header[0], func(h string) bool {
		k := normalizeHeader(h)
		return k == "cloudtrailevent" || k == "eventrecord"
	})
	if col < 0 {
		s.problem(Problem{Location: Location{File: name}, Reason: ReasonCSVNoRecord,
			Detail: "CSV has no column holding the full CloudTrail record (looked for \"CloudTrail event\"); " +
				"the Event history CSV download carries summary columns only: download as JSON instead"})
		return
	}
	for {
		rows, loc, ok := nextCSVRow(name, w, s, rr)
		if !ok {
			return
		}
		for _, row := range rows {
			if col >= len(row) || strings.TrimSpace(row[col]) == "" {
				s.problem(Problem{Location: loc, Reason: ReasonNotCloudTrail, Detail: "CSV row has no record in its CloudTrail event column"})
				continue
			}
			classify([]byte(strings.TrimSpace(row[col])), loc, spanSink{s, loc.LastLine})
		}
	}
}

// nextCSVRow splits the next row off the window (at most maxValue bytes, so a quote that is never
// closed cannot make it hold the whole input) and parses it with encoding/csv. A row that cannot
// be parsed is reported and skipped, and ok stays true; ok is false at the end of the input. A
// blank line gives no rows.
func nextCSVRow(name string, w *window, s sink, rr *rowParser) (rows [][]string, loc Location, ok bool) {
	for {
		b := w.bytes()
		n, complete := csvRowEnd(b)
		if !complete && !w.eof {
			if w.more() {
				continue
			}
			if w.full() {
				loc = Location{File: name, Line: w.line}
				w.consume(len(b))
				w.discardLine()
				if last := w.line - 1; last > loc.Line {
					loc.LastLine = last
				}
				s.problem(Problem{Location: loc, Reason: ReasonTooLarge, Detail: fmt.Sprintf("CSV row longer than the %s limit (a quoted field never closed?)", sizeText(maxValue))})
				return nil, loc, true
			}
			continue // more() hit EOF or an error: b is the last row
		}
		if len(b) == 0 {
			if w.err != nil {
				s.problem(readProblem(name, w, w.err))
			}
			return nil, Location{}, false
		}
		row := b[:n]
		loc = Location{File: name, Line: w.line}
		w.consume(n)
		last := w.line
		if row[len(row)-1] == '\n' {
			last--
		}
		if last > loc.Line {
			loc.LastLine = last
		}
		if !complete && w.err != nil {
			s.problem(readProblem(name, w, w.err))
			s.problem(Problem{Location: loc, Reason: ReasonTruncated, Detail: "last CSV row cut short by the read error"})
			return nil, loc, false
		}
		rows, err := rr.parse(row)
		if err != nil {
			s.problem(Problem{Location: loc, Reason: ReasonBadJSON, Detail: "bad CSV row: " + err.Error()})
		}
		return rows, loc, true
	}
}

// rowParser parses one row at a time with encoding/csv. One csv.Reader serves every row (a new
// one per row would allocate its 4 KiB buffer per row); after an error it is replaced, since it
// may hold back the rest of the bad row.
type rowParser struct {
	row []byte
	cr  *csv.Reader
}

func (p *rowParser) Read(b []byte) (int, error) {
	if len(p.row) == 0 {
		return 0, io.EOF
	}
	n := copy(b, p.row)
	p.row = p.row[n:]
	return n, nil
}

// parse returns the records of row (normally one; none for a blank line), or why it is bad.
func (p *rowParser) parse(row []byte) ([][]string, error) {
	if p.cr == nil {
		p.cr = csv.NewReader(p)
		p.cr.FieldsPerRecord = -1
	}
	p.row = row
	var out [][]string
	for {
		r, err := p.cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			p.cr, p.row = nil, nil
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return out, err
		}
		out = append(out, r)
	}
}

// csvRowEnd returns the length of the CSV row at the start of b, through its newline, splitting
// as encoding/csv does (RFC 4180): a field that starts with a quote runs to its closing quote (""
// is a quote inside it), newlines included; any other field runs to a comma or a newline.
// complete is false when b ends inside the row.
func csvRowEnd(b []byte) (n int, complete bool) {
	i := 0
	for {
		if i < len(b) && b[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(b[i:], '"')
				if j < 0 || i+j+1 == len(b) {
					return len(b), false // inside the quotes, or a "" may follow
				}
				i += j + 1
				if b[i] != '"' {
					break
				}
				i++
			}
		}
		for i < len(b) && b[i] != ',' && b[i] != '\n' {
			i++
		}
		if i == len(b) {
			return len(b), false
		}
		if b[i] == '\n' {
			return i + 1, true
		}
		i++
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
