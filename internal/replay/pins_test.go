package replay

import (
	"runtime"
	"testing"
)

// --workers allows 4 per CPU (docs/cli.md): pinned as a literal, not read from MaxWorkers.
func TestMaxWorkersIsFourPerCPU(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	if got := MaxWorkers(); got != 12 {
		t.Errorf("MaxWorkers() with 3 CPUs = %d, want 12", got)
	}
	o := Options{Workers: 13, UnwatchedPeriod: 300, TopN: 5}
	if err := o.check(); err == nil || err.Error() != "--workers 13: want 1 to 12 (4 per CPU, 3 CPUs)" {
		t.Errorf("Workers 13 with 3 CPUs: %v", err)
	}
}
