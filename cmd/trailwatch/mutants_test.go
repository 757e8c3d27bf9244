package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/cloudtrail"
	"github.com/trailwatch/trailwatch/internal/replay"
)

// Tests that pin boundaries found by tools/mutate (a planted off-by-one survived them before).

// Each unit starts at exactly its power of two: 1 GiB is "1.00 GiB", not "1024.0 MiB".
func TestSizeUnitBoundaries(t *testing.T) {
	for n, want := range map[int64]string{
		1<<10 - 1:     "1023 B",
		1 << 10:       "1.0 KiB",
		1<<20 - 1:     "1024.0 KiB",
		1 << 20:       "1.0 MiB",
		1<<30 - 1:     "1024.0 MiB",
		1 << 30:       "1.00 GiB",
		5<<30 + 1<<29: "5.50 GiB",
	} {
		if got := size(n); got != want {
			t.Errorf("size(%d) = %q, want %q", n, got, want)
		}
	}
}

// The table lists the first five episodes of an alarm, then how many more there were.
func TestTableListsFiveEpisodes(t *testing.T) {
	start := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	a := replay.AlarmReport{ID: "RootUsage", Matches: 7, Alarm: &replay.Alarm{Name: "root"}, EpisodeCount: 7}
	for i := range 7 {
		s := start.Add(time.Duration(i) * time.Hour)
		a.Episodes = append(a.Episodes, replay.Episode{Start: s, End: s.Add(5 * time.Minute), Periods: 1})
	}
	var b bytes.Buffer
	writeTable(&b, &replay.Report{Alarms: []replay.AlarmReport{a}})
	out := b.String()
	if n := strings.Count(out, "(1 period)"); n != 5 {
		t.Errorf("%d episodes listed, want 5:\n%s", n, out)
	}
	if !strings.Contains(out, "    ... and 2 more\n") {
		t.Errorf("no %q line:\n%s", "... and 2 more", out)
	}
}

// A value that starts and ends on one line is "line 3:", as cloudtrail.Location.String writes it,
// whether or not the decoder fills LastLine.
func TestWhereOneLine(t *testing.T) {
	rw := &resultWriter{}
	for _, at := range []cloudtrail.Location{{Line: 3}, {Line: 3, LastLine: 3}} {
		if got := rw.where(at); got != "line 3:" {
			t.Errorf("where(%+v) = %q, want %q", at, got, "line 3:")
		}
	}
	for at, want := range map[cloudtrail.Location]string{
		{Line: 3, LastLine: 4}: "line 3-4:",
		{Line: 1, LastLine: 3}: "line 1-3:",
		{LastLine: 2}:          "input:", // no line: a problem with the whole input
	} {
		if got := rw.where(at); got != want {
			t.Errorf("where(%+v) = %q, want %q", at, got, want)
		}
	}
}
