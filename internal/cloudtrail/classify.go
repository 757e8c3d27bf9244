package cloudtrail

import (
	"fmt"
	"strings"
)

// classify looks at one whole JSON value and passes on the CloudTrail records it holds, whatever
// its shape: a record, an S3 log file, a lookup-events page, an EventBridge event, or an array of
// any of these.
func classify(v []byte, loc Location, s sink) { classifyIn(v, loc, s, false) }

// classifyIn is classify for a value that is inArray or not. Only one level of array is unwrapped:
// no CloudTrail shape is an array of arrays, and unwrapping each level would rescan the value once
// per level (quadratic in a hostile [[[[...]]]]).
func classifyIn(v []byte, loc Location, s sink, inArray bool) {
	switch v[0] {
	case '[':
		if inArray {
			s.problem(Problem{Location: loc, Reason: ReasonNotCloudTrail, Detail: "array nested in an array (no CloudTrail input has that shape)"})
			return
		}
		idx := 0
		err := eachElement(v, func(e []byte) {
			idx++
			classifyIn(e, Location{File: loc.File, Line: loc.Line, Index: idx}, s, true)
		})
		if err != nil {
			s.problem(Problem{Location: loc, Reason: ReasonBadJSON, Detail: "malformed JSON array"})
		}
		return
	case '{':
	default:
		s.problem(Problem{Location: loc, Reason: ReasonNotCloudTrail, Detail: "JSON value is not an object"})
		return
	}
	var (
		records, events, detailType, detail, digest []byte
		isRecord                                    bool
		hasName, hasSource                          bool
	)
	err := ObjectFields(v, func(f Field) bool {
		switch string(f.Key) {
		case "Records":
			records = f.Value
		case "Events":
			events = f.Value
		case "detail-type":
			detailType = f.Value
		case "detail":
			detail = f.Value
		case "digestStartTime":
			digest = f.Value
		case "eventVersion":
			isRecord = true
		case "eventName":
			hasName = true
		case "eventSource":
			hasSource = true
		}
		return true
	})
	if err != nil {
		s.problem(Problem{Location: loc, Reason: ReasonBadJSON, Detail: "malformed JSON object"})
		return
	}
	switch {
	case records != nil && records[0] == '[':
		idx := 0
		if eachElement(records, func(e []byte) {
			idx++
			s.record(e, Location{File: loc.File, Line: loc.Line, Index: idx})
		}) != nil {
			s.problem(Problem{Location: loc, Reason: ReasonBadJSON, Detail: "malformed Records array"})
		}
	case events != nil && events[0] == '[':
		lookupEvents(events, loc, s)
	case detailType != nil && detail != nil:
		eventBridge(detailType, detail, loc, s)
	case digest != nil:
		s.ignore(Ignored{File: loc.File, Reason: "CloudTrail digest file (log file integrity data, no records)"})
	case isRecord || (hasName && hasSource):
		s.record(v, loc)
	default:
		s.problem(Problem{Location: loc, Reason: ReasonNotCloudTrail, Detail: "JSON object is not a CloudTrail record, S3 log file, lookup-events page or EventBridge event"})
	}
}

// lookupEvents unwraps `aws cloudtrail lookup-events` output: each entry carries the whole record
// as a JSON string in CloudTrailEvent.
func lookupEvents(events []byte, loc Location, s sink) {
	idx := 0
	err := eachElement(events, func(e []byte) {
		idx++
		at := Location{File: loc.File, Line: loc.Line, Index: idx}
		raw := Lookup(e, "CloudTrailEvent")[0]
		rec, ok := StringValue(raw)
		if !ok {
			s.problem(Problem{Location: at, Reason: ReasonNotCloudTrail, Detail: "lookup-events entry has no CloudTrailEvent string"})
			return
		}
		s.record([]byte(rec), at)
	})
	if err != nil {
		s.problem(Problem{Location: loc, Reason: ReasonBadJSON, Detail: "malformed Events array"})
	}
}

// eventBridge unwraps an EventBridge event delivered by CloudTrail ("AWS API Call via
// CloudTrail", "AWS Console Sign In via CloudTrail", ...): detail is the record.
func eventBridge(detailType, detail []byte, loc Location, s sink) {
	dt, _ := StringValue(detailType)
	if !strings.HasSuffix(dt, "via CloudTrail") {
		s.problem(Problem{Location: loc, Reason: ReasonNotCloudTrail, Detail: fmt.Sprintf("EventBridge event %q does not carry a CloudTrail record", dt)})
		return
	}
	if detail[0] != '{' {
		s.problem(Problem{Location: loc, Reason: ReasonNotCloudTrail, Detail: "EventBridge event detail is not an object"})
		return
	}
	s.record(detail, loc)
}

// eachElement calls fn for each element of the JSON array arr (arr[0] is its '[': every caller
// has looked).
func eachElement(arr []byte, fn func(e []byte)) error {
	i := skipSpace(arr, 1)
	if i < len(arr) && arr[i] == ']' {
		return nil
	}
	for i < len(arr) {
		end, err := valueEnd(arr, i)
		if err != nil {
			return errSyntax
		}
		fn(arr[i:end])
		i = skipSpace(arr, end)
		if i >= len(arr) {
			return errSyntax
		}
		switch arr[i] {
		case ',':
			i = skipSpace(arr, i+1)
		case ']':
			return nil
		default:
			return errSyntax
		}
	}
	return errSyntax
}
