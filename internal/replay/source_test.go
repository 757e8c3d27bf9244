package replay_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
	"github.com/trailwatch/trailwatch/internal/replay"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// memSource is a Source over named in-memory inputs; names in fail cannot be opened.
func memSource(files map[string]string, order []string, fail map[string]error, listErr error) replay.Source {
	return replay.Source{
		List: func(add func(string, int64)) error {
			for _, n := range order {
				add(n, int64(len(files[n])))
			}
			return listErr
		},
		Open: func(name string) (io.ReadCloser, error) {
			if err := fail[name]; err != nil {
				return nil, err
			}
			return io.NopCloser(strings.NewReader(files[name])), nil
		},
	}
}

func TestSourceInputsAreReadLikeFiles(t *testing.T) {
	rows, err := catalog.Resolve("aws")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"mem://a": s3File(record("StopLogging", "2024-05-01T10:00:00Z", ""), record("DescribeInstances", "2024-05-01T10:01:00Z", "")),
		"mem://b": s3File(record("DeleteTrail", "2024-05-02T10:00:00Z", "")),
		"mem://c": s3File(record("CreateTrail", "2024-05-02T11:00:00Z", "")),
	}
	src := memSource(files, []string{"mem://a", "mem://b", "mem://c"}, map[string]error{"mem://c": errors.New("GetObject: AccessDenied")}, nil)
	rep, err := replay.Run(replay.Options{Rules: replay.FromCatalog(rows, 300), Sources: []replay.Source{src}, Readers: 5})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.FilesRead != 2 || rep.Totals.RecordsRead != 3 || alarm(t, rep, "CloudTrailChanges").Matches != 2 {
		t.Errorf("files %d, records %d, CloudTrailChanges %d; want 2, 3, 2", rep.Totals.FilesRead, rep.Totals.RecordsRead, alarm(t, rep, "CloudTrailChanges").Matches)
	}
	want := cloudtrail.Problem{Location: cloudtrail.Location{File: "mem://c"}, Reason: cloudtrail.ReasonUnreadable, Detail: "GetObject: AccessDenied"}
	if len(rep.Totals.Skipped) != 1 || rep.Totals.Skipped[0] != want {
		t.Errorf("skipped %+v, want %+v", rep.Totals.Skipped, want)
	}

	// The same with a time range: the record of May 1st is left out, and counted.
	rep, err = replay.Run(replay.Options{Rules: replay.FromCatalog(rows, 300), Sources: []replay.Source{src},
		Since: time.Date(2024, 5, 1, 10, 0, 30, 0, time.UTC), Until: time.Date(2024, 5, 2, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.RecordsRead != 1 || rep.Totals.RecordsOutsideRange != 2 || alarm(t, rep, "CloudTrailChanges").Matches != 0 {
		t.Errorf("with a range: records %d, outside %d, CloudTrailChanges %d; want 1, 2, 0", rep.Totals.RecordsRead, rep.Totals.RecordsOutsideRange, alarm(t, rep, "CloudTrailChanges").Matches)
	}
}

func TestSourceListingErrorStopsTheReplay(t *testing.T) {
	rows, _ := catalog.Resolve("aws")
	listErr := errors.New("listing s3://b/AWSLogs/: AccessDenied")
	src := memSource(map[string]string{"mem://a": s3File()}, []string{"mem://a"}, nil, listErr)
	rep, err := replay.Run(replay.Options{Rules: replay.FromCatalog(rows, 300), Sources: []replay.Source{src}})
	if !errors.Is(err, listErr) || rep != nil {
		t.Errorf("got %v, %v; want no report and the listing error", rep, err)
	}
}
