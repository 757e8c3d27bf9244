// Package lineio reads newline-delimited records (JSON Lines) of any length. bufio.Scanner stops
// at 64 KB by default; CloudTrail records reach 256 KB in CloudWatch Logs and more in S3.
package lineio

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// Reader returns the lines of an input one at a time, reusing its buffer.
type Reader struct {
	br   *bufio.Reader
	long []byte // a line longer than br's buffer, assembled here
	n    int
	done bool
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10)}
}

// Next returns the next line without its "\n" or "\r\n" ending, and its 1-based line number. The
// last line need not end with a newline. The returned slice is valid only until the next call.
// At the end of the input Next returns io.EOF; any other error is the underlying reader's.
func (r *Reader) Next() (line []byte, n int, err error) {
	if r.done {
		return nil, r.n, io.EOF
	}
	r.long = r.long[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		switch {
		case err == nil:
			if len(r.long) > 0 {
				r.long = append(r.long, chunk...)
				chunk = r.long
			}
			r.n++
			return trimEOL(chunk), r.n, nil
		case errors.Is(err, bufio.ErrBufferFull):
			r.long = append(r.long, chunk...)
		case err == io.EOF:
			r.done = true
			r.long = append(r.long, chunk...)
			if len(r.long) == 0 {
				return nil, r.n, io.EOF
			}
			r.n++
			return trimEOL(r.long), r.n, nil
		default:
			return nil, r.n, err
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}
