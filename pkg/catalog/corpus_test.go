package catalog_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// corpusDir holds real CloudTrail records published by others, with the alarms each must set off.
// It is shared test data beside the checkout, not part of the repository.
const corpusDir = "../../../shared/corpus"

type label struct {
	Line           int      `json:"line"`
	Source         string   `json:"source"`
	ExpectedAlarms []string `json:"expected_alarms"`
}

// Near-copy of catalog_test.go's readReference: another package (catalog_test) and another
// skip message.
func readLines(t *testing.T, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("%s is absent; the shared corpus is needed for this conformance test", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, slices.Clone(sc.Bytes()))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestCorpusConformance: for every corpus record, the alarms the engine fires with the catalog's
// patterns are exactly the labelled ones.
func TestCorpusConformance(t *testing.T) {
	events := readLines(t, filepath.Join(corpusDir, "events.jsonl"))
	labelLines := readLines(t, filepath.Join(corpusDir, "labels.jsonl"))
	if len(events) != len(labelLines) {
		t.Fatalf("%d events but %d labels", len(events), len(labelLines))
	}
	alarms := catalog.AWS()
	patterns := make([]*filterpattern.Pattern, len(alarms))
	for i, a := range alarms {
		p, err := filterpattern.Parse(a.Pattern)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		patterns[i] = p
	}
	set := filterpattern.NewSet(patterns...)
	hits := make([]bool, set.Len())
	fired := 0
	for i, raw := range labelLines {
		var l label
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatalf("labels.jsonl line %d: %v", i+1, err)
		}
		if l.Line != i+1 {
			t.Fatalf("labels.jsonl line %d labels event line %d", i+1, l.Line)
		}
		if err := set.Match(events[i], hits); err != nil {
			t.Errorf("events.jsonl line %d: %v", l.Line, err)
			continue
		}
		got := []string{}
		for k, hit := range hits {
			if hit {
				got = append(got, alarms[k].ID)
			}
		}
		want := slices.Clone(l.ExpectedAlarms)
		slices.Sort(want)
		sorted := slices.Sorted(slices.Values(got))
		if !slices.Equal(sorted, want) {
			t.Errorf("events.jsonl line %d (%s): engine fires %v, label says %v", l.Line, l.Source, got, l.ExpectedAlarms)
		}
		fired += len(got)
	}
	if fired == 0 {
		t.Errorf("no record fired any alarm; the conformance check is vacuous")
	}
	if !t.Failed() {
		t.Logf("%d records, %d alarm firings, all as labelled", len(events), fired)
	}
}
