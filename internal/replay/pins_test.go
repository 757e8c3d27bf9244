package replay

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// Progress is told, last, that every byte of the input files was read: done == total == their
// size (the CLI's bar ends at 100 %).
func TestProgressEndsAtTheInputsSize(t *testing.T) {
	dir := t.TempDir()
	rec := `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateVpc"}` + "\n"
	var size int64
	var inputs []string
	for i, n := range []int{3, 40} {
		p := filepath.Join(dir, fmt.Sprintf("f%d.jsonl", i))
		if err := os.WriteFile(p, []byte(strings.Repeat(rec, n)), 0o644); err != nil {
			t.Fatal(err)
		}
		size += int64(n * len(rec))
		inputs = append(inputs, p)
	}
	var calls [][2]int64
	o := Options{Rules: []Rule{{ID: "R", Filters: []Filter{{Name: "f", Pattern: "{ $.eventName = CreateVpc }", Value: 1}}}},
		Inputs: inputs, Workers: 2, Progress: func(done, total int64) { calls = append(calls, [2]int64{done, total}) }}
	if _, err := Run(o); err != nil {
		t.Fatal(err)
	}
	if len(calls) == 0 || calls[len(calls)-1] != [2]int64{size, size} {
		t.Errorf("progress calls %v, want the last to be [%d %d]", calls, size, size)
	}
}
