package cloudtrail

import (
	"bytes"
	"errors"
	"io"
)

// MaxValue bounds how much of one JSON value, line or CSV row is held in memory. CloudTrail
// records are far smaller (CloudWatch Logs drops records over 256 KB); a bigger value is reported
// and skipped so memory stays bounded whatever the input (docs/cli.md, Limits).
const MaxValue = 64 << 20

// maxValue is MaxValue; tests lower it to try the boundary without 64 MiB inputs.
var maxValue = MaxValue

// errTooLarge means a single value exceeded maxValue.
var errTooLarge = errors.New("value larger than the 64 MiB limit")

// window is a sliding window over a stream: bytes in buf[lo:hi] are read but not yet consumed.
// line is the 1-based line number of buf[lo], kept so problems can be reported as file:line.
type window struct {
	r      io.Reader
	buf    []byte
	lo, hi int
	line   int
	eof    bool
	err    error // first read error other than io.EOF
}

func newWindow(r io.Reader, size int) *window {
	return &window{r: r, buf: make([]byte, size), line: 1}
}

// reset makes w read r from the start, keeping its buffer.
func (w *window) reset(r io.Reader) {
	*w = window{r: r, buf: w.buf, line: 1}
}

// bytes returns the unconsumed bytes.
func (w *window) bytes() []byte { return w.buf[w.lo:w.hi] }

// more reads at least one more byte into the window, growing it up to maxValue when it is full.
// It returns false at EOF or on a read error (see w.err).
func (w *window) more() bool {
	if w.eof {
		return false
	}
	if w.lo > 0 {
		n := copy(w.buf, w.buf[w.lo:w.hi])
		w.lo, w.hi = 0, n
	}
	if w.hi == len(w.buf) {
		if len(w.buf) >= maxValue {
			return false
		}
		nb := make([]byte, min(2*len(w.buf), maxValue))
		copy(nb, w.buf[:w.hi])
		w.buf = nb
	}
	// Fill the window completely: callers rescan a partial value after each call, so fewer,
	// larger reads keep that linear in practice.
	start := w.hi
	for w.hi < len(w.buf) {
		n, err := w.r.Read(w.buf[w.hi:])
		w.hi += n
		if err != nil {
			w.eof = true
			if err != io.EOF {
				w.err = err
			}
			break
		}
	}
	return w.hi > start
}

// full reports whether the window cannot grow any more.
func (w *window) full() bool { return w.lo == 0 && w.hi == len(w.buf) && len(w.buf) >= maxValue }

// consume drops n bytes from the front, counting the lines they end.
func (w *window) consume(n int) {
	w.line += bytes.Count(w.buf[w.lo:w.lo+n], []byte{'\n'})
	w.lo += n
}

// skipSpace consumes whitespace and reports whether a non-space byte follows.
func (w *window) skipSpace() bool {
	for {
		b := w.bytes()
		i := skipSpace(b, 0)
		w.consume(i)
		if i < len(b) {
			return true
		}
		if !w.more() {
			return false
		}
	}
}

// value returns the length of the complete JSON value at the front of the window (which must
// start with a non-space byte), reading more as needed.
func (w *window) value() (int, error) {
	for {
		b := w.bytes()
		end, err := valueEnd(b, 0)
		if err == nil {
			return end, nil
		}
		if err != errIncomplete {
			return 0, err
		}
		if !w.more() {
			if w.full() {
				return 0, errTooLarge
			}
			if end > 0 && w.eof && w.err == nil {
				return end, nil // a scalar that ends at EOF
			}
			if w.err != nil {
				return 0, w.err
			}
			return 0, io.ErrUnexpectedEOF
		}
	}
}

// peek ensures at least n unconsumed bytes when the stream has them and returns what it has.
func (w *window) peek(n int) []byte {
	for w.hi-w.lo < n && w.more() {
	}
	return w.bytes()
}

// readLine returns the next line without its newline, reading more as needed. A line longer than
// maxValue is consumed and reported as errTooLarge. ok is false at the end of the stream.
func (w *window) readLine() (line []byte, lineNo int, err error, ok bool) {
	from := 0 // bytes already searched for a newline
	for {
		b := w.bytes()
		if i := bytes.IndexByte(b[from:], '\n'); i >= 0 {
			i += from
			lineNo = w.line
			line = b[:i]
			w.lo += i + 1
			w.line++
			return line, lineNo, nil, true
		}
		from = len(b)
		if !w.more() {
			if w.full() {
				lineNo = w.line
				w.discardLine()
				return nil, lineNo, errTooLarge, true
			}
			if len(b) == 0 {
				return nil, 0, nil, false
			}
			lineNo = w.line
			w.lo = w.hi
			if w.err != nil {
				return b, lineNo, w.err, true
			}
			return b, lineNo, nil, true
		}
	}
}

// discardLine drops bytes up to and including the next newline without keeping them.
func (w *window) discardLine() {
	for {
		b := w.bytes()
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			w.lo += i + 1
			w.line++
			return
		}
		w.lo = w.hi
		if !w.more() {
			return
		}
	}
}
