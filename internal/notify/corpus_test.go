package notify

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// corpusDir holds real CloudTrail records published by others, labelled with the AWS alarms each
// sets off. It is shared test data beside the checkout, not part of the repository;
// TRAILWATCH_CORPUS_DIR points elsewhere (a git worktree is not beside it).
func corpusDir() string {
	if d := os.Getenv("TRAILWATCH_CORPUS_DIR"); d != "" {
		return d
	}
	return "../../../shared/corpus"
}

func corpusLines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir(), name))
	if os.IsNotExist(err) {
		t.Skipf("%s is absent; the shared corpus is extra evidence only", corpusDir())
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return scanLines(t, f)
}

// scanLines reads r's lines (up to 1 MiB each), failing the test on a read error.
func scanLines(t *testing.T, r io.Reader) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpusEmails: with the whole corpus in the log group, the email of each AWS alarm counts and
// lists exactly the records labelled with that alarm (labels written independently of our engine).
func TestCorpusEmails(t *testing.T) {
	records := corpusLines(t, "events.jsonl")
	labels := corpusLines(t, "labels.jsonl")
	var evs []logEvent
	for i, rec := range records {
		evs = append(evs, logEvent{Timestamp: windowStart.Add(time.Duration(i) * time.Second).UnixMilli(), Message: rec})
	}
	for _, row := range catalog.AWS() {
		t.Run(row.ID, func(t *testing.T) {
			var want []string
			ids := map[string]bool{}
			for _, l := range labels {
				var lab struct {
					Line           int      `json:"line"`
					ExpectedAlarms []string `json:"expected_alarms"`
				}
				if err := json.Unmarshal([]byte(l), &lab); err != nil {
					t.Fatal(err)
				}
				if slices.Contains(lab.ExpectedAlarms, row.ID) {
					want = append(want, records[lab.Line-1])
					var r struct{ EventID string }
					json.Unmarshal([]byte(records[lab.Line-1]), &r)
					ids[r.EventID] = true
				}
			}
			f := newFakes(t, evs, "en")
			if err := handle(t, f, notification(row, len(want))); err != nil {
				t.Fatal(err)
			}
			p := onlyOne(t, f)
			if len(want) == 0 {
				if !strings.Contains(p.Message, "The log search found no event in the window.") {
					t.Errorf("no record is labelled %s, but the email lists some:\n%s", row.ID, p.Message)
				}
				return
			}
			if !strings.Contains(p.Message, fmt.Sprintf("(%d of %d):", min(len(want), listedEvents), len(want))) {
				t.Errorf("email does not list %d labelled records:\n%s", len(want), p.Message)
			}
			if strings.Contains(p.Message, "The log search found") {
				t.Errorf("search and labels disagree:\n%s", p.Message)
			}
			for _, line := range strings.Split(p.Message, "\n") {
				if _, id, ok := strings.Cut(line, "#/events/"); ok && !ids[id] {
					t.Errorf("email lists event %s, which is not labelled %s", id, row.ID)
				}
			}
		})
	}
}
