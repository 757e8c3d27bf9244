//go:build cgo

package athena

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

var updateCLIFixture = flag.Bool("update-cli-fixture", false, "rewrite cmd/trailwatch/testdata/athena from DuckDB")

// cliFixture is where cmd/trailwatch's fake Athena server finds its answer: records, and the
// replay query's result over them as DuckDB computes it (the cmd package cannot load DuckDB's
// dialect layer, which lives in this package's tests).
const cliFixture = "../../cmd/trailwatch/testdata/athena"

// cliFixtureAlarms and cliFixtureTable are the --alarms and --athena-table the fixture's query
// is for; cmd/trailwatch's test uses the same (and checks the query it is sent).
const (
	cliFixtureAlarms = "aws,cis"
	cliFixtureTable  = "cloudtrail"
)

// TestCLIFixtureIsDuckDBsResult keeps cmd/trailwatch/testdata/athena/result.json equal to what
// DuckDB gives for the replay query over records.jsonl: the rows the fake Athena server of
// `replay --athena`'s test answers with are the real engine's, not written by hand.
func TestCLIFixtureIsDuckDBsResult(t *testing.T) {
	rows, err := catalog.Resolve(cliFixtureAlarms)
	if err != nil {
		t.Fatal(err)
	}
	q, err := SQL(rows, Options{Table: cliFixtureTable})
	if err != nil {
		t.Fatal(err)
	}
	records := stampedRecords(t)
	db, _ := openDuckDB(t, records)
	header, cells := runQuery(t, db, q)
	result, err := json.MarshalIndent(map[string]any{"header": header, "rows": cells}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"records.jsonl": []byte(strings.Join(records, "\n") + "\n"),
		"result.json":   append(result, '\n'),
	}
	for name, want := range files {
		path := filepath.Join(cliFixture, name)
		if *updateCLIFixture {
			if err := os.MkdirAll(cliFixture, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./internal/athena/ -run CLIFixture -update-cli-fixture)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is not DuckDB's answer any more: go test ./internal/athena/ -run CLIFixture -update-cli-fixture", path)
		}
	}
}
