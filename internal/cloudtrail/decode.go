package cloudtrail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	gzip "github.com/klauspost/compress/gzip"
	"io"
)

// sink receives what a decoder finds. record's bytes are only valid during the call.
type sink interface {
	record(rec []byte, loc Location)
	problem(p Problem)
	ignore(i Ignored)
}

// windowSize is the initial read window: large enough that a gzip member's output is consumed in
// few reads, small enough that many files can be open at once.
const windowSize = 1 << 20

// decoder holds the buffers one reader goroutine reuses from file to file: a tree of thousands of
// S3 log files would otherwise allocate a window and a gzip state per file, and the garbage would
// set the process's memory high-water mark.
type decoder struct {
	br  *bufio.Reader
	gz  *gzip.Reader
	win *window
}

// decode reads one input, sniffing its shape from the content (never the name): gzip by its magic
// bytes, then JSON by its first token and keys, then CSV by its header.
func (d *decoder) decode(name string, r io.Reader, s sink) {
	if d.br == nil {
		d.br = bufio.NewReaderSize(r, 64<<10)
	} else {
		d.br.Reset(r)
	}
	if magic, _ := d.br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		var err error
		if d.gz == nil {
			d.gz, err = gzip.NewReader(d.br)
		} else {
			err = d.gz.Reset(d.br)
		}
		if err != nil {
			s.problem(Problem{Location{File: name}, ReasonTruncated, "gzip header: " + err.Error()})
			return
		}
		d.decodePlain(name, d.gz, s)
		return
	}
	d.decodePlain(name, d.br, s)
}

// decode is a decoder used once, for tests.
func decode(name string, r io.Reader, s sink) { (&decoder{}).decode(name, r, s) }

func (d *decoder) decodePlain(name string, r io.Reader, s sink) {
	if d.win == nil || len(d.win.buf) > windowSize || len(d.win.buf) > maxValue {
		d.win = newWindow(r, min(windowSize, maxValue)) // a window grown for one huge value is not kept
	} else {
		d.win.reset(r)
	}
	w := d.win
	// A UTF-8 byte order mark (Windows tools and some editors write one) is not content.
	if bytes.HasPrefix(w.peek(len(bom)), bom) {
		w.consume(len(bom))
	}
	if !w.skipSpace() {
		if w.err != nil {
			s.problem(readProblem(name, w, w.err))
			return
		}
		s.ignore(Ignored{File: name, Reason: "empty input"})
		return
	}
	switch {
	case w.bytes()[0] == '{' || w.bytes()[0] == '[':
		if linesMode(w) {
			decodeLines(name, w, s, false)
		} else {
			decodeStream(name, w, s)
		}
	case startsMidValue(w):
		decodeLines(name, w, s, false)
	default:
		decodeCSV(name, w, s)
	}
}

var bom = []byte("\ufeff")

// readProblem turns a read error into a skip: a gzip stream cut short is the common case.
func readProblem(name string, w *window, err error) Problem {
	loc := Location{File: name, Line: w.line}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) {
		return Problem{Location: loc, Reason: ReasonTruncated, Detail: "input ends early (truncated or corrupt gzip?): " + err.Error()}
	}
	return Problem{Location: loc, Reason: ReasonUnreadable, Detail: "read error: " + err.Error()}
}

// linesMode decides between JSON lines (one value per line: a bad line is skipped and the next
// one still read) and a JSON stream (documents that span lines, like pretty-printed
// lookup-events pages). A document starting {"Records" is an S3 log file and always streamed, so
// its records are never all held at once. The input is JSON lines when its first line is one
// JSON value, or when its first line is not but its second is: a file cut at the front (tail -c)
// or with one bad first line is still JSON lines, and losing it whole for its first line would
// be silent loss.
func linesMode(w *window) bool {
	if isRecordsDoc(w.peek(len(w.buf))) { // the first window, as for the lines below
		return false
	}
	first, second, ok := firstTwoLines(w)
	return isOneValue(first) || (ok && isOneValue(second))
}

// startsMidValue reports whether an input that does not start with '{' or '[' is JSON lines
// whose first lines were cut or broken (tail -c, a partial download): a later line within the
// first window (windowSize) is one JSON object or array. No CSV has such a line (a record in a CSV column
// is quoted), so the CSV reader is not robbed of anything.
func startsMidValue(w *window) bool {
	b := w.peek(len(w.buf)) // the first window
	for nl := bytes.IndexByte(b, '\n'); nl >= 0; {
		b = b[nl+1:]
		nl = bytes.IndexByte(b, '\n')
		line := b
		if nl >= 0 {
			line = b[:nl]
		} else if !w.eof {
			return false // the line may go on past the window (at EOF the window holds the rest)
		}
		if isOneValue(line) {
			return true
		}
	}
	return false
}

// firstTwoLines returns the first line and the next non-blank one, when both are within the
// first window (windowSize) of the input; ok is false otherwise (first is still set when it ends
// there).
func firstTwoLines(w *window) (first, second []byte, ok bool) {
	first, rest, found := bytes.Cut(w.peek(len(w.buf)), []byte{'\n'}) // the first window
	if !found {
		return nil, nil, false
	}
	// first is whole even when ok is false
	for len(rest) > 0 {
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			if !w.eof {
				return first, nil, false // the second line may go on past the window
			}
			end = len(rest)
		}
		if line := bytes.TrimSpace(rest[:end]); len(line) > 0 {
			return first, line, true
		}
		rest = rest[min(end+1, len(rest)):]
	}
	return first, nil, true
}

// isOneValue reports whether line holds exactly one JSON object or array.
func isOneValue(line []byte) bool {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || (line[0] != '{' && line[0] != '[') {
		return false
	}
	end, err := valueEnd(line, 0)
	return err == nil && end == len(line)
}

// isRecordsDoc reports whether b, which starts with a value (not white space), starts an object
// whose first key is "Records".
func isRecordsDoc(b []byte) bool {
	return b[0] == '{' && bytes.HasPrefix(b[skipSpace(b, 1):], []byte(`"Records"`))
}

// decodeLines handles one JSON value per line. After a broken stream (resync), consecutive lines
// that are not JSON values are reported as one skipped stretch, not one skip per line.
func decodeLines(name string, w *window, s sink, resync bool) {
	var bad *Problem // the stretch of bad lines being gathered (resync only)
	flush := func() {
		if bad != nil {
			s.problem(*bad)
			bad = nil
		}
	}
	defer flush()
	for {
		line, n, err, ok := w.readLine()
		if !ok {
			if w.err != nil {
				// Cut between two lines, or in the gzip trailer: the records read are complete,
				// but what followed the cut is lost, and that is not silent.
				flush()
				s.problem(readProblem(name, w, w.err))
			}
			return
		}
		loc := Location{File: name, Line: n}
		if err != nil {
			flush()
			if err == errTooLarge {
				s.problem(Problem{Location: loc, Reason: ReasonTooLarge, Detail: fmt.Sprintf("line longer than the %s limit", sizeText(maxValue))})
				continue
			}
			s.problem(readProblem(name, w, err))
			if len(line) > 0 {
				s.problem(Problem{Location: loc, Reason: ReasonTruncated, Detail: "last line cut short by the read error"})
			}
			return
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		end, verr := valueEnd(line, 0)
		if verr != nil || len(bytes.TrimSpace(line[end:])) != 0 {
			switch {
			case resync && bad != nil:
				bad.LastLine = n
			case resync:
				bad = &Problem{Location: loc, Reason: ReasonBadJSON, Detail: "lines holding no CloudTrail record, after the malformed JSON above"}
			case n == 1 && line[0] != '{' && line[0] != '[':
				s.problem(Problem{Location: loc, Reason: ReasonBadJSON, Detail: "line is not one JSON value (the input starts mid-record, as a cut with tail -c leaves it)"})
			default:
				s.problem(Problem{Location: loc, Reason: ReasonBadJSON, Detail: "line is not one JSON value"})
			}
			continue
		}
		if !resync {
			classify(line, loc, s)
			continue
		}
		// After a broken stream a line counts as found only if it holds records; otherwise what it
		// holds joins the stretch of skipped lines.
		ls := &lineSink{}
		classify(line, loc, ls)
		if ls.records == 0 {
			if bad == nil {
				bad = &Problem{Location: loc, Reason: ReasonBadJSON, Detail: "lines holding no CloudTrail record, after the malformed JSON above"}
			} else {
				bad.LastLine = n
			}
			continue
		}
		flush()
		for _, h := range ls.held {
			h(s)
		}
	}
}

// lineSink holds back what one line holds, so that a line without records can join the stretch
// of skipped lines, and a line with records is reported after the stretch before it (in input
// order). The records it holds point into the line, valid until the next line is read.
type lineSink struct {
	records int
	held    []func(sink)
}

func (l *lineSink) record(rec []byte, loc Location) {
	l.records++
	l.held = append(l.held, func(s sink) { s.record(rec, loc) })
}
func (l *lineSink) problem(p Problem) { l.held = append(l.held, func(s sink) { s.problem(p) }) }
func (l *lineSink) ignore(i Ignored)  { l.held = append(l.held, func(s sink) { s.ignore(i) }) }

// decodeStream handles a sequence of JSON documents, streaming the Records array of S3 log files
// and top-level arrays element by element. After a structural error nothing can be trusted to be
// aligned on a value, so the rest of that line is skipped and what follows is read as JSON lines:
// records that stand on their own lines are still found, everything else is reported.
func decodeStream(name string, w *window, s sink) {
	for w.skipSpace() {
		line := w.line
		var err error
		switch {
		case isRecordsDoc(w.peek(64)):
			err = streamRecordsDoc(name, w, s)
		case w.bytes()[0] == '[':
			err = streamArray(name, w, func(v []byte, loc Location) { classifyIn(v, loc, s, true) })
		default:
			var n int
			n, err = w.value()
			if err == nil {
				v := w.bytes()[:n]
				loc := Location{File: name, Line: line}
				w.consume(n)
				if w.line > line {
					loc.LastLine = w.line
				}
				classify(v, loc, spanSink{s, loc.LastLine})
			}
		}
		if err != nil {
			if !reportStreamError(name, w, line, err, s) {
				return
			}
			w.discardLine()
			decodeLines(name, w, s, true)
			return
		}
	}
	if w.err != nil {
		s.problem(readProblem(name, w, w.err))
	}
}

// spanSink gives the problems found in a value that spans lines the value's last line, so a
// report says which lines were skipped.
type spanSink struct {
	sink
	last int
}

func (s spanSink) problem(p Problem) {
	if p.LastLine == 0 { // a problem located by an element only: it ends where the value does
		p.LastLine = s.last
	}
	s.sink.problem(p)
}

// reportStreamError reports why a stream stopped. It returns whether reading can go on after the
// current line (false for a read error: nothing more can be read).
func reportStreamError(name string, w *window, line int, err error, s sink) bool {
	loc := Location{File: name, Line: w.line}
	const rest = "; the rest of the line is skipped, the lines after it are read as JSON lines"
	switch {
	case err == errTooLarge:
		s.problem(Problem{Location: loc, Reason: ReasonTooLarge, Detail: fmt.Sprintf("a JSON value is larger than the %s limit%s", sizeText(maxValue), rest)})
	case errors.Is(err, io.ErrUnexpectedEOF) && w.err == nil:
		s.problem(Problem{Location: loc, Reason: ReasonTruncated, Detail: fmt.Sprintf("JSON document starting at line %d ends early%s", line, rest)})
	case w.err != nil:
		s.problem(readProblem(name, w, w.err))
		return false
	default:
		s.problem(Problem{Location: loc, Reason: ReasonBadJSON, Detail: "malformed JSON" + rest})
	}
	return true
}

// sizeText is a byte limit for messages: "64 MiB".
func sizeText(n int) string {
	switch {
	case n != 0 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n != 0 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// streamRecordsDoc reads {"Records": [ ... ], ...} emitting each record without holding the array.
func streamRecordsDoc(name string, w *window, s sink) error {
	// Consume `{` and the key: isRecordsDoc has checked them.
	b := w.bytes()
	w.consume(skipSpace(b, 1) + len(`"Records"`))
	if !w.skipSpace() {
		return io.ErrUnexpectedEOF
	}
	if w.bytes()[0] != ':' {
		return errSyntax
	}
	w.consume(1)
	if !w.skipSpace() {
		return io.ErrUnexpectedEOF
	}
	if w.bytes()[0] != '[' {
		return errSyntax
	}
	if err := streamArray(name, w, s.record); err != nil {
		return err
	}
	// Other members after Records carry no records; skip them.
	for {
		if !w.skipSpace() {
			return io.ErrUnexpectedEOF
		}
		switch w.bytes()[0] {
		case '}':
			w.consume(1)
			return nil
		case ',':
			w.consume(1)
			if !w.skipSpace() {
				return io.ErrUnexpectedEOF
			}
			n, err := w.value() // key
			if err != nil {
				return err
			}
			w.consume(n)
			if !w.skipSpace() || w.bytes()[0] != ':' {
				return errSyntax
			}
			w.consume(1)
			if !w.skipSpace() {
				return io.ErrUnexpectedEOF
			}
			if n, err = w.value(); err != nil {
				return err
			}
			w.consume(n)
		default:
			return errSyntax
		}
	}
}

// streamArray reads the array at the front of the window and passes each element to fn.
func streamArray(name string, w *window, fn func(v []byte, loc Location)) error {
	w.consume(1) // [
	for idx := 1; ; idx++ {
		if !w.skipSpace() {
			return io.ErrUnexpectedEOF
		}
		if w.bytes()[0] == ']' && idx == 1 {
			w.consume(1)
			return nil
		}
		line := w.line
		n, err := w.value()
		if err != nil {
			return err
		}
		v := w.bytes()[:n]
		loc := Location{File: name, Line: line, Index: idx}
		// consume counts the value's newlines anyway; doing it before fn gives the last line free.
		w.consume(n)
		if w.line > line {
			loc.LastLine = w.line
		}
		fn(v, loc)
		if !w.skipSpace() {
			return io.ErrUnexpectedEOF
		}
		switch w.bytes()[0] {
		case ',':
			w.consume(1)
		case ']':
			w.consume(1)
			return nil
		default:
			return errSyntax
		}
	}
}
