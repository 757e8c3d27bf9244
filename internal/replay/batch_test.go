package replay

import (
	"testing"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
)

// The memory a replay keeps in flight (MaxWorkers): a batch holds at most 1024 records or
// 512 KiB, in a buffer of 576 KiB (room for the record that fills it), and a batch that grew
// past 1 MiB for one huge record goes back to the pool at the usual size.
func TestBatchBounds(t *testing.T) {
	b := newBatch()
	if len(b.buf) != 0 || cap(b.buf) != 576<<10 || len(b.recs) != 0 || cap(b.recs) != 1024 {
		t.Errorf("new batch: buf %d/%d, recs %d/%d; want 0/589824, 0/1024", len(b.buf), cap(b.buf), len(b.recs), cap(b.recs))
	}
	b.recs = b.recs[:1023]
	b.buf = b.buf[:512<<10-1]
	if b.full() {
		t.Errorf("full with 1023 records and 512 KiB - 1")
	}
	if b.recs = b.recs[:1024]; !b.full() {
		t.Errorf("not full with 1024 records")
	}
	b.recs = b.recs[:0]
	if b.buf = b.buf[:512<<10]; !b.full() {
		t.Errorf("not full with 512 KiB")
	}
	big := &batch{buf: make([]byte, 0, 1<<20)}
	if recycled(big) != big {
		t.Errorf("a 1 MiB batch was replaced")
	}
	huge := &batch{buf: make([]byte, 0, 1<<20+1)}
	if r := recycled(huge); r == huge || cap(r.buf) != 576<<10 || cap(r.recs) != 1024 {
		t.Errorf("a batch past 1 MiB went back as is (cap %d)", cap(r.buf))
	}
}

// Every record handed to the batcher reaches the workers once, in order, with its place, and
// nothing a recycled batch carried before; a batch is shipped as soon as it is full and the
// last, partial one on flush.
func TestBatcherShipsEveryRecord(t *testing.T) {
	free := make(chan *batch, 3)
	used := newBatch() // back from the workers, holding what it carried last
	used.file, used.buf, used.recs = "old", append(used.buf, "stale"...), append(used.recs, recRef{end: 5})
	free <- used
	for range 2 {
		free <- newBatch()
	}
	work := make(chan *batch, 3)
	s := &batcher{file: "f", free: free, work: work}
	h := s.handler()
	for i := range 1025 {
		h.Record([]byte{byte('a' + i%26)}, cloudtrailLocation(i+1))
	}
	if len(work) != 1 {
		t.Fatalf("%d batches shipped after 1025 records, want 1 (full at 1024)", len(work))
	}
	s.flush()
	s.flush()
	if len(work) != 2 || s.records != 1025 {
		t.Fatalf("%d batches shipped, %d records; want 2, 1025", len(work), s.records)
	}
	n := 0
	for range 2 {
		b := <-work
		if b.file != "f" {
			t.Errorf("batch of file %q", b.file)
		}
		for _, r := range b.recs {
			if got := b.buf[r.off:r.end]; string(got) != string(rune('a'+n%26)) || r.line != n+1 || r.index != n+2 || r.lastLine != n+3 {
				t.Errorf("record %d: %q at %d/%d/%d", n, got, r.line, r.index, r.lastLine)
			}
			n++
		}
	}
	if n != 1025 {
		t.Errorf("%d records shipped, want 1025", n)
	}
}

func cloudtrailLocation(line int) cloudtrail.Location {
	return cloudtrail.Location{Line: line, Index: line + 1, LastLine: line + 2}
}
