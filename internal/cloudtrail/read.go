package cloudtrail

import "io"

// Reader reads CloudTrail inputs of every kind, sniffed from the content (never the name): S3
// log files ({"Records":[...]}, plain or gzip), `aws cloudtrail lookup-events` pages, the
// console's Event history JSON and CSV downloads, JSON lines of records or of EventBridge
// events, and arrays of any of these. replay.Run and `trailwatch match` both read through it.
//
// A Reader reuses its buffers from one input to the next; it is not safe for concurrent use.
type Reader struct {
	d decoder
}

// Handler receives what a Reader finds, in input order. Record's bytes are only valid during the
// call.
type Handler struct {
	Record  func(rec []byte, loc Location)
	Problem func(Problem)
	Ignore  func(Ignored)
}

// Read reads one input; name is how locations name it ("-" is standard input).
func (r *Reader) Read(name string, in io.Reader, h Handler) {
	r.d.decode(name, in, handlerSink{h})
}

// handlerSink is a Handler as a decoder's sink.
type handlerSink struct {
	h Handler
}

func (s handlerSink) record(rec []byte, loc Location) { s.h.Record(rec, loc) }
func (s handlerSink) problem(p Problem)               { s.h.Problem(p) }
func (s handlerSink) ignore(i Ignored)                { s.h.Ignore(i) }
