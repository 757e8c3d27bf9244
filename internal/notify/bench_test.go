package notify

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkHandle is one invocation end to end through the real SDK clients against the local
// fakes (HTTP on loopback, pages of 50 events): search, render, publish. Cold start excluded.
func BenchmarkHandle(b *testing.B) {
	for _, n := range []int{20, 2000} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			f := newFakes(b, manyEvents(n), "en")
			msg := notification(sgRow(b), n)
			ev := snsEvent(msg)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				f.sns.mu.Lock()
				f.sns.got = f.sns.got[:0]
				f.sns.mu.Unlock()
				if err := f.h.Handle(context.Background(), ev); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(len(f.sns.got[0].Message)), "email-bytes")
		})
	}
}
