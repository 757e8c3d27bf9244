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
			d.gz = nil
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
	if d.win == nil || len(d.win.buf) > windowSize {
		d.win = newWindow(r, windowSize) // a window grown for one huge value is not kept
	} else {
		d.win.reset(r)
	}
	w := d.win
	if !w.skipSpace() {
		if w.err != nil {
			s.problem(readProblem(name, w, w.err))
			return
		}
		s.ignore(Ignored{File: name, Reason: "empty input"})
		return
	}
	switch w.bytes()[0] {
	case '{', '[':
		if linesMode(w) {
			decodeLines(name, w, s)
		} else {
			decodeStream(name, w, s)
		}
	default:
		decodeCSV(name, w, s)
	}
}

// readProblem turns a read error into a skip: a gzip stream cut short is the common case.
func readProblem(name string, w *window, err error) Problem {
	loc := Location{File: name, Line: w.line}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) {
		return Problem{loc, ReasonTruncated, "input ends early (truncated or corrupt gzip?): " + err.Error()}
	}
	return Problem{loc, ReasonUnreadable, "read error: " + err.Error()}
}

// linesMode decides between JSON lines (one value per line: a bad line is skipped and the next
// one still read) and a JSON stream (documents that span lines, like pretty-printed
// lookup-events pages). A document starting {"Records" is an S3 log file and always streamed, so
// its records are never all held at once.
func linesMode(w *window) bool {
	if isRecordsDoc(w.peek(64)) {
		return false
	}
	for {
		b := w.bytes()
		end, err := valueEnd(b, 0)
		if err == errIncomplete && len(b) < 1<<20 && w.more() {
			continue
		}
		if err != nil {
			return false
		}
		if bytes.IndexByte(b[:end], '\n') >= 0 {
			return false // the first document spans lines
		}
		rest := b[end:]
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			return false
		}
		return len(bytes.TrimSpace(rest[:nl])) == 0
	}
}

// isRecordsDoc reports whether b starts an object whose first key is "Records".
func isRecordsDoc(b []byte) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	return bytes.HasPrefix(b[i:], []byte(`"Records"`))
}

// decodeLines handles one JSON value per line.
func decodeLines(name string, w *window, s sink) {
	for {
		line, n, err, ok := w.readLine()
		if !ok {
			return
		}
		loc := Location{File: name, Line: n}
		if err != nil {
			if err == errTooLarge {
				s.problem(Problem{loc, ReasonTooLarge, "line longer than 64 MiB"})
				continue
			}
			s.problem(readProblem(name, w, err))
			if len(line) > 0 {
				s.problem(Problem{loc, ReasonTruncated, "last line cut short by the read error"})
			}
			return
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		end, verr := valueEnd(line, 0)
		if verr != nil || len(bytes.TrimSpace(line[end:])) != 0 {
			s.problem(Problem{loc, ReasonBadJSON, "line is not one JSON value"})
			continue
		}
		classify(line, loc, s)
	}
}

// decodeStream handles a sequence of JSON documents, streaming the Records array of S3 log files
// and top-level arrays element by element.
func decodeStream(name string, w *window, s sink) {
	for w.skipSpace() {
		line := w.line
		var err error
		switch {
		case isRecordsDoc(w.peek(64)):
			err = streamRecordsDoc(name, w, s)
		case w.bytes()[0] == '[':
			err = streamArray(name, w, func(v []byte, loc Location) { classify(v, loc, s) })
		default:
			var n int
			n, err = w.value()
			if err == nil {
				classify(w.bytes()[:n], Location{File: name, Line: line}, s)
				w.consume(n)
			}
		}
		if err != nil {
			reportStreamError(name, w, line, err, s)
			return
		}
	}
	if w.err != nil {
		s.problem(readProblem(name, w, w.err))
	}
}

// reportStreamError reports why a stream stopped; nothing after a structural error can be trusted
// to be aligned on a value, so the rest of the file is skipped.
func reportStreamError(name string, w *window, line int, err error, s sink) {
	loc := Location{File: name, Line: w.line}
	switch {
	case err == errTooLarge:
		s.problem(Problem{loc, ReasonTooLarge, "a JSON value is larger than 64 MiB; rest of file skipped"})
	case errors.Is(err, io.ErrUnexpectedEOF) && w.err == nil:
		s.problem(Problem{loc, ReasonTruncated, fmt.Sprintf("JSON document starting at line %d ends early; rest of file skipped", line)})
	case w.err != nil:
		s.problem(readProblem(name, w, w.err))
	default:
		s.problem(Problem{loc, ReasonBadJSON, "malformed JSON; rest of file skipped"})
	}
}

// streamRecordsDoc reads {"Records": [ ... ], ...} emitting each record without holding the array.
func streamRecordsDoc(name string, w *window, s sink) error {
	// Consume `{`, the key and the colon: isRecordsDoc has checked them.
	b := w.bytes()
	i := skipSpace(b, 0) + 1
	i = skipSpace(b, i) + len(`"Records"`)
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return errSyntax
	}
	w.consume(i + 1)
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
		fn(w.bytes()[:n], Location{File: name, Line: line, Index: idx})
		w.consume(n)
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
