package cloudtrail

import (
	"fmt"
	"strconv"
)

// Location says where in the input a record or a problem is, precisely enough to open the file
// and look: a line for line-oriented input, a record index for records inside an array.
type Location struct {
	// File is the path as given (or found under a directory); "-" is standard input.
	File string `json:"file"`
	// Line is the 1-based line where the value starts; 0 when unknown.
	Line int `json:"line,omitempty"`
	// Index is the 1-based position of the record in its array (Records or Events); 0 when the
	// record is not in an array.
	Index int `json:"record_index,omitempty"`
	// LastLine is the line where the value ends, when it spans several lines (a pretty-printed
	// document, a CSV row with quoted newlines, a stretch of lines skipped together); 0 otherwise.
	LastLine int `json:"last_line,omitempty"`
}

func (l Location) String() string {
	name := l.File
	if name == "-" {
		name = "<stdin>"
	}
	lines := strconv.Itoa(l.Line)
	if l.LastLine > l.Line {
		lines += "-" + strconv.Itoa(l.LastLine)
	}
	switch {
	case l.Index > 0 && l.Line > 0:
		return fmt.Sprintf("%s:%s: record #%d", name, lines, l.Index)
	case l.Index > 0:
		return fmt.Sprintf("%s: record #%d", name, l.Index)
	case l.Line > 0:
		return fmt.Sprintf("%s:%s", name, lines)
	}
	return name
}

// Reason classifies why input was skipped; the JSON report counts skips by these stable codes.
type Reason string

// Skip reasons. Each one means input that could hold CloudTrail records was not replayed, so any
// of them makes the run exit 1.
const (
	ReasonBadJSON       Reason = "bad_json"        // not valid JSON (a bad line, a broken document)
	ReasonNotCloudTrail Reason = "not_cloudtrail"  // valid JSON, but no CloudTrail record in it
	ReasonTruncated     Reason = "truncated"       // the stream ended early (e.g. a cut gzip file)
	ReasonNoEventTime   Reason = "no_event_time"   // a record without a usable eventTime (replay needs one)
	ReasonTooLarge      Reason = "too_large"       // one value, line or CSV row over MaxValue bytes
	ReasonCSVNoRecord   Reason = "csv_no_record"   // a CSV without a column holding the record
	ReasonUnreadable    Reason = "unreadable"      // the file could not be opened or read
	ReasonNotJSON       Reason = "not_json_or_csv" // neither JSON nor CSV
)

// Problem is one skipped piece of input.
type Problem struct {
	Location
	Reason Reason `json:"reason"`
	Detail string `json:"detail"`
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s", p.Location, p.Detail) }

// Ignored is input that holds no records by design (a CloudTrail digest file, an empty file); it
// is reported but is not a reason to exit 1.
type Ignored struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}
