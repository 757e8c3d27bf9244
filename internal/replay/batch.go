package replay

import "github.com/trailwatch/trailwatch/internal/cloudtrail"

// A batch carries records from one decoder to the match workers. Records are copied into one
// buffer so a batch is two allocations however many records it holds, and batches are recycled
// through a fixed pool so memory in flight is bounded: decoders block when every batch is busy.
type batch struct {
	file string
	buf  []byte
	recs []recRef
}

type recRef struct {
	off, end              int
	line, index, lastLine int
}

const (
	batchBytes   = 512 << 10
	batchRecords = 1024
	// batchCap is a batch buffer's capacity: batchBytes and room for the record that fills it.
	batchCap = batchBytes + 64<<10
)

func newBatch() *batch {
	return &batch{buf: make([]byte, 0, batchCap), recs: make([]recRef, 0, batchRecords)}
}

// recycled is b ready to go back to the pool: a batch that grew for one huge record is replaced by
// one of the usual size, so the pool stays ~len(free) × batchCap whatever the input.
func recycled(b *batch) *batch {
	if cap(b.buf) > 2*batchBytes {
		return newBatch()
	}
	return b
}

func (b *batch) reset(file string) {
	b.file = file
	b.buf = b.buf[:0]
	b.recs = b.recs[:0]
}

func (b *batch) full() bool { return len(b.buf) >= batchBytes || len(b.recs) >= batchRecords }

// batcher receives what the CloudTrail reader finds and ships full batches to the workers.
type batcher struct {
	file    string
	free    chan *batch
	work    chan<- *batch
	cur     *batch
	records int64
	report  func(cloudtrail.Problem)
	ignored func(cloudtrail.Ignored)
}

func (s *batcher) record(rec []byte, loc cloudtrail.Location) {
	if s.cur == nil {
		s.cur = <-s.free
		s.cur.reset(s.file)
	}
	b := s.cur
	off := len(b.buf)
	b.buf = append(b.buf, rec...)
	b.recs = append(b.recs, recRef{off: off, end: len(b.buf), line: loc.Line, index: loc.Index, lastLine: loc.LastLine})
	s.records++
	if b.full() {
		s.flush()
	}
}

// flush ships the batch being filled. A batch is taken from the pool only for a record, so one
// that is being filled is never empty.
func (s *batcher) flush() {
	if s.cur != nil {
		s.work <- s.cur
		s.cur = nil
	}
}

// handler is the batcher as the reader's Handler.
func (s *batcher) handler() cloudtrail.Handler {
	return cloudtrail.Handler{Record: s.record, Problem: s.report, Ignore: s.ignored}
}
