package filterpattern

import (
	"errors"
	"fmt"
)

// ErrUnsupported is matched (errors.Is) by a *SyntaxError for a construct that CloudWatch Logs
// accepts but this engine refuses to evaluate because the AWS documentation does not define its
// meaning exactly: term patterns, space-delimited patterns, wildcard selectors and similar. A
// caller validating patterns may treat it differently from a malformed pattern.
var ErrUnsupported = errors.New("filterpattern: not supported")

// SyntaxError reports a pattern that Parse rejects. Col is the 1-based column, counted in
// characters (Unicode code points) of the pattern text, where the problem was found; Msg says what
// was expected there. Error returns "col <Col>: <Msg>".
type SyntaxError struct {
	Col int
	Msg string
	// Unsupported is set when the pattern is well-formed for CloudWatch Logs but uses a construct
	// this engine does not evaluate; such errors also match ErrUnsupported.
	Unsupported bool
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("col %d: %s", e.Col, e.Msg) }

// Is makes errors.Is(err, ErrUnsupported) true for unsupported-construct errors.
func (e *SyntaxError) Is(target error) bool { return target == ErrUnsupported && e.Unsupported }

// RecordError reports a log event that is not a JSON object. Offset is the 0-based byte offset in
// the record where the problem was found (len(record) for a truncated record).
type RecordError struct {
	Offset int
	Msg    string
}

func (e *RecordError) Error() string { return fmt.Sprintf("byte %d: %s", e.Offset, e.Msg) }
