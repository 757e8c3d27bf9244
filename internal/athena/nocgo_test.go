//go:build !cgo

package athena

import (
	"os"
	"testing"
)

// TestDuckDBNeedsCgo: the differential tests run on DuckDB, which needs cgo (a C compiler). Without
// it they do not build; this says so, and fails where CI requires them
// (TRAILWATCH_REQUIRE_DUCKDB=1), so they can never be skipped unnoticed there.
func TestDuckDBNeedsCgo(t *testing.T) {
	msg := "the DuckDB differential tests need cgo (CGO_ENABLED=1 and a C compiler such as gcc)"
	if os.Getenv("TRAILWATCH_REQUIRE_DUCKDB") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
