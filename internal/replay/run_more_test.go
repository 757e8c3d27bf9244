package replay_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/replay"
)

func vpcRule() []replay.Rule {
	return []replay.Rule{{ID: "Vpc", Filters: []replay.Filter{{Name: "f", Pattern: "{ $.eventName = CreateVpc }", Value: 1}}, Alarm: &replay.Alarm{
		Name: "A", Threshold: 1, Comparison: replay.GreaterOrEqual, Statistic: replay.Sum, Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: replay.NotBreaching}}}
}

// Every out-of-range option is named in the CLI's words, all at once; replay never changes the
// process's GOMAXPROCS, which it reads for the default and the bound of --workers.
func TestOptionsOutOfRangeAreNamedTogether(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	_, err := replay.Run(replay.Options{Rules: vpcRule(), Inputs: []string{os.DevNull}, Workers: 13, UnwatchedPeriod: 61, TopN: 101})
	want := "--workers 13: want 1 to 12 (4 per CPU, 3 CPUs)\n--period 61: want a multiple of 60 seconds from 60 to 604800 (7 days, CloudWatch's longest evaluation range)\n--top 101: want 1 to 100"
	if err == nil || err.Error() != want || !errors.Is(err, replay.ErrOption) {
		t.Errorf("error:\n%v\nwant (ErrOption):\n%s", err, want)
	}
	for _, o := range []replay.Options{{Workers: 12, UnwatchedPeriod: 60, TopN: 1}, {Workers: 1, UnwatchedPeriod: 604800, TopN: 100}, {}} {
		o.Rules, o.Inputs = vpcRule(), []string{os.DevNull}
		if _, err := replay.Run(o); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
	if n := runtime.GOMAXPROCS(0); n != 3 {
		t.Errorf("GOMAXPROCS = %d after replays, want 3 as set", n)
	}
	if replay.MaxWorkers() != 12 {
		t.Errorf("MaxWorkers() = %d with 3 CPUs, want 12", replay.MaxWorkers())
	}
}

// Standard input ("-") is read like a file; the bytes read count it, the progress total does
// not (it counts files and sources); progress reports the end of the input last.
func TestStdinAndProgress(t *testing.T) {
	dir := t.TempDir()
	file := record("CreateVpc", "2024-05-01T12:00:00Z", "") + "\n" + record("DeleteVpc", "2024-05-01T12:01:00Z", "") + "\n"
	write(t, filepath.Join(dir, "a.jsonl"), []byte(file))
	stdin := record("CreateVpc", "2024-05-01T12:10:00Z", "") + "\n"
	var calls [][2]int64
	mem := record("CreateVpc", "2024-05-01T12:20:00Z", "") + "\n"
	src := memSource(map[string]string{"mem://m": mem}, []string{"mem://m"}, nil, nil)
	rep, err := replay.Run(replay.Options{Rules: vpcRule(), Inputs: []string{filepath.Join(dir, "a.jsonl"), "-"}, Stdin: strings.NewReader(stdin),
		Sources: []replay.Source{src}, Progress: func(done, total int64) { calls = append(calls, [2]int64{done, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(file) + len(mem))
	if rep.Totals.FilesRead != 3 || rep.Totals.RecordsRead != 4 || rep.Totals.BytesRead != size+int64(len(stdin)) || rep.Alarms[0].Matches != 3 {
		t.Errorf("files %d, records %d, bytes %d, matches %d; want 3, 4, %d, 3", rep.Totals.FilesRead, rep.Totals.RecordsRead, rep.Totals.BytesRead, rep.Alarms[0].Matches, size+int64(len(stdin)))
	}
	if len(calls) == 0 || calls[len(calls)-1] != [2]int64{size + int64(len(stdin)), size} {
		t.Errorf("progress calls %v, want the last to be [%d %d]", calls, size+int64(len(stdin)), size)
	}
}

// --since is inclusive and --until exclusive, to the second; either alone bounds one side.
func TestTimeRangeEdges(t *testing.T) {
	dir := t.TempDir()
	var recs []string
	for _, at := range []string{"11:59:59", "12:00:00", "12:00:01", "12:59:59", "13:00:00"} {
		recs = append(recs, record("CreateVpc", "2024-05-01T"+at+"Z", ""))
	}
	write(t, filepath.Join(dir, "a.jsonl"), []byte(strings.Join(recs, "\n")+"\n"))
	since, until := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), time.Date(2024, 5, 1, 13, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		since, until  time.Time
		read, outside int64
	}{{since, until, 3, 2}, {since, time.Time{}, 4, 1}, {time.Time{}, until, 4, 1}, {time.Time{}, time.Time{}, 5, 0}} {
		rep, err := replay.Run(replay.Options{Rules: vpcRule(), Inputs: []string{dir}, Since: c.since, Until: c.until})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Totals.RecordsRead != c.read || rep.Totals.RecordsOutsideRange != c.outside || rep.Alarms[0].Matches != c.read {
			t.Errorf("since %v until %v: read %d, outside %d, matches %d; want %d, %d, %d", c.since, c.until,
				rep.Totals.RecordsRead, rep.Totals.RecordsOutsideRange, rep.Alarms[0].Matches, c.read, c.outside, c.read)
		}
	}
}

// A replay over nothing reports every rule with no matches and no times.
func TestEmptyInput(t *testing.T) {
	rep := run(t, vpcRule(), os.DevNull)
	a := rep.Alarms[0]
	if got := fmt.Sprint(rep.Totals.FilesRead, rep.Totals.RecordsRead, rep.Totals.FirstEvent, rep.Totals.LastEvent, a.Matches, a.FirstMatch, a.AlarmPeriods, a.Episodes, a.TopPrincipals); got != "1 0 <nil> <nil> 0 <nil> [] [] []" {
		t.Errorf("empty replay: %s", got)
	}
}

// Skipped records are listed in input order, whatever order the readers met them in: by file
// name, then line (as a number), then place within the line; more readers than workers get
// each their own batch.
func TestSkippedAreListedInInputOrder(t *testing.T) {
	dir := t.TempDir()
	good := record("CreateVpc", "2024-05-01T12:00:00Z", "")
	noTime := `{"eventVersion":"1.08","eventName":"CreateVpc","eventSource":"ec2.amazonaws.com"}`
	lines := []string{good, noTime, good, good, good, good, good, good, good, noTime}
	write(t, filepath.Join(dir, "b.jsonl"), []byte(strings.Join(lines, "\n")+"\n"))
	write(t, filepath.Join(dir, "a.json"), []byte(s3File(good, noTime, good, noTime)))
	write(t, filepath.Join(dir, "c.jsonl"), []byte(noTime+"\n"))
	rep, err := replay.Run(replay.Options{Rules: vpcRule(), Inputs: []string{filepath.Join(dir, "c.jsonl"), dir}, Workers: 1, Readers: 8})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range rep.Totals.Skipped {
		got = append(got, strings.TrimPrefix(p.Location.String(), dir+string(filepath.Separator)))
	}
	want := "a.json:1: record #2, a.json:1: record #4, b.jsonl:2, b.jsonl:10, c.jsonl:1"
	if strings.Join(got, ", ") != want || rep.Totals.RecordsRead != 10 {
		t.Errorf("skipped at %s; want %s, and 10 records read (got %d)", strings.Join(got, ", "), want, rep.Totals.RecordsRead)
	}
}

// The top lists are 5 long by default.
func TestTopListsDefaultToFive(t *testing.T) {
	dir := t.TempDir()
	var recs []string
	for i := range 6 {
		recs = append(recs, record("CreateVpc", "2024-05-01T12:00:00Z", fmt.Sprintf(`,"sourceIPAddress":"192.0.2.%d"`, i)))
	}
	write(t, filepath.Join(dir, "a.jsonl"), []byte(strings.Join(recs, "\n")+"\n"))
	if ips := run(t, vpcRule(), dir).Alarms[0].TopSourceIPs; len(ips) != 5 || ips[4].Value != "192.0.2.4" {
		t.Errorf("top source IPs = %v, want the first 5 of 6", ips)
	}
}

// Two notes on one input are listed in the order they were made: naming stdin twice (found while
// listing), then its being empty (found while reading).
func TestIgnoredNotesOnOneInputKeepTheirOrder(t *testing.T) {
	rep, err := replay.Run(replay.Options{Rules: vpcRule(), Inputs: []string{"-", "-"}, Stdin: strings.NewReader("")})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rep.Totals.Ignored); got != "[{- standard input named twice; read once} {- empty input}]" || rep.Totals.IgnoredCount != 2 {
		t.Errorf("ignored %d: %s", rep.Totals.IgnoredCount, got)
	}
}
