package athena

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// A result without one of the fixed columns is refused, naming the column.
func TestDecodeNeedsEveryFixedColumn(t *testing.T) {
	fixed := []string{"kind", "bucket", "key", "records", "bad_time", "min_time", "max_time"}
	for i, missing := range fixed {
		header := append(append([]string{}, fixed[:i]...), fixed[i+1:]...)
		res, err := Decode(nil, 0, header, nil)
		if want := `result has no column "` + missing + `"`; err == nil || err.Error() != want || res != nil {
			t.Errorf("without %s: %v, %v; want %q", missing, res, err, want)
		}
	}
	if _, err := Decode(nil, 0, fixed, nil); err != nil {
		t.Errorf("every column: %v", err)
	}
}

// A query needs at least one alarm.
func TestSQLNeedsAnAlarm(t *testing.T) {
	if _, err := SQL(nil, Options{}); err == nil || err.Error() != "no alarms selected" {
		t.Errorf("SQL(no rows) = %v, want \"no alarms selected\"", err)
	}
}

// With one time bound only, partitions are pruned on that side, a day wide of the bound (a
// record's partition is its delivery day, which may differ from its eventTime's).
func TestPartitionWhereOneBound(t *testing.T) {
	since := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{Since: since}, `"timestamp" >= '2024/02/29'`},
		{Options{Until: until}, `"timestamp" <= '2024/06/02'`},
		{Options{}, ``},
		{Options{Regions: []string{"eu-west-1", "us-east-1"}}, `region IN ('eu-west-1', 'us-east-1')`},
	} {
		if got := partitionWhere(c.o); got != c.want {
			t.Errorf("partitionWhere(%+v) = %q, want %q", c.o, got, c.want)
		}
	}
}

// Selecting a MAP column itself is refused with the construct named; an index on the record is
// the engine's parse error.
func TestWhereRefusesMapAndRecordIndex(t *testing.T) {
	for _, c := range []struct{ pattern, construct, msg string }{
		{`{ $.userIdentity.sessionContext.webIdFederationData.attributes = 1 }`, RefuseMap,
			`$.userIdentity.sessionContext.webIdFederationData.attributes is a MAP<STRING,STRING> column, whose keys the table lower-cases`},
	} {
		_, err := Where(c.pattern)
		var re *RefusalError
		if !errors.As(err, &re) || re.Construct != c.construct || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Where(%q) = %v, want %s: %s", c.pattern, err, c.construct, c.msg)
		}
	}
	_, err := Where(`{ $[0] = 1 }`)
	var re *RefusalError
	if !errors.As(err, &re) || re.Construct != RefuseTermPattern || !strings.Contains(err.Error(), "the engine rejects the pattern: col 4: expected '.' after '$'") {
		t.Errorf("Where($[0]) = %v, want the engine's parse error", err)
	}
}

// A total row's min_time that is not a number is an error naming the row and column; an empty
// one means no record had a time.
func TestDecodeTotalTimes(t *testing.T) {
	header := []string{"kind", "bucket", "key", "records", "bad_time", "min_time", "max_time"}
	_, err := Decode(nil, 0, header, [][]string{{"total", "", "", "1", "0", "x", "5"}})
	if want := `row 1, min_time: strconv.ParseInt: parsing "x": invalid syntax`; err == nil || err.Error() != want {
		t.Errorf("Decode = %v, want %s", err, want)
	}
	res, err := Decode(nil, 0, header, [][]string{{"total", "", "", "3", "3", "", ""}})
	if err != nil || res.HasTime || res.Records != 3 || res.BadTime != 3 {
		t.Errorf("Decode = %+v, %v; want 3 records, 3 without time, HasTime false", res, err)
	}
}

// Periods before the epoch start at the multiple of the period at or below the time, as
// replay's do.
func TestFloorToBeforeTheEpoch(t *testing.T) {
	for _, c := range [][3]int64{{-1, 300, -300}, {-300, 300, -300}, {-301, 300, -600}, {0, 300, 0}, {299, 300, 0}, {300, 300, 300}} {
		if got := floorTo(c[0], c[1]); got != c[2] {
			t.Errorf("floorTo(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}

// The options' bounds: a period of whole minutes, at least one; since strictly before until;
// twelve-digit accounts; Region names.
func TestSQLOptionBounds(t *testing.T) {
	rows := catalog.AWS()[:1]
	at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		o    Options
		want string // "" accepted
	}{
		{Options{Period: 60}, ""},
		{Options{Period: 120}, ""},
		{Options{Period: -60}, "period -60 s: want a multiple of 60"},
		{Options{Period: 30}, "period 30 s: want a multiple of 60"},
		{Options{Since: at, Until: at}, "since 2024-03-01T00:00:00Z is not before until 2024-03-01T00:00:00Z"},
		{Options{Since: at, Until: at.Add(time.Second)}, ""},
		{Options{Since: at}, ""},
		{Options{Until: at}, ""},
		{Options{Accounts: []string{"1234567890123"}}, `account "1234567890123": want 12 digits`},
		{Options{Accounts: []string{"111122223333", "444455556666"}}, ""},
		{Options{Regions: []string{"us-gov-west-1", "ap-southeast-2"}}, ""},
		{Options{Regions: []string{"us-east-1a"}}, `region "us-east-1a": want a Region name such as us-east-1`},
		{Options{Table: "db.cloudtrail_logs_2"}, ""},
		{Options{Table: "a.b.c"}, `table "a.b.c": want NAME or DATABASE.NAME of letters, digits and '_'`},
	} {
		_, err := SQL(rows, c.o)
		if got := fmt.Sprint(err); (c.want == "" && err != nil) || (c.want != "" && got != c.want) {
			t.Errorf("SQL(%+v) = %v, want %q", c.o, err, c.want)
		}
	}
}

// Of several missing fixed columns, the first in the documented order (kind, bucket, key,
// records, bad_time, min_time, max_time) is named; then the filters' and alarms' columns.
func TestDecodeNamesTheFirstMissingColumn(t *testing.T) {
	fixed := []string{"kind", "bucket", "key", "records", "bad_time", "min_time", "max_time"}
	for i := range fixed {
		_, err := Decode(nil, 0, fixed[:i], nil)
		if want := `result has no column "` + fixed[i] + `"`; err == nil || err.Error() != want {
			t.Errorf("header %v: %v, want %q", fixed[:i], err, want)
		}
	}
	filters := []Filter{{Alarm: 0, Name: "A", Period: 300}}
	for _, c := range []struct {
		extra []string
		want  string
	}{
		{[]string{"f0"}, `result has no column "r0"`},
		{[]string{"f0", "r0"}, `result has no column "r0_first"`},
		{[]string{"f0", "r0", "r0_first"}, `result has no column "r0_last"`},
	} {
		_, err := Decode(filters, 1, append(append([]string{}, fixed...), c.extra...), nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("with %v: %v, want %q", c.extra, err, c.want)
		}
	}
}

// A row's first bad cell is the one reported; a count takes any BIGINT; an alarm without
// matches has no first or last match (0); a key row counts only alarms with matches in it.
func TestDecodeCells(t *testing.T) {
	filters := []Filter{{Alarm: 0, Name: "A", Period: 300}}
	header := []string{"kind", "bucket", "key", "records", "bad_time", "min_time", "max_time", "f0", "r0", "r0_first", "r0_last"}
	_, err := Decode(filters, 1, header, [][]string{{"total", "", "", "x", "y", "", "", "0", "0", "", ""}})
	if want := `row 1, records: strconv.ParseInt: parsing "x": invalid syntax`; err == nil || err.Error() != want {
		t.Errorf("two bad cells: %v, want %q", err, want)
	}
	res, err := Decode(filters, 1, header, [][]string{
		{"total", "", "", "9223372036854775807", "0", "", "", "0", "0", "", ""},
		{"event_name", "", "StopLogging", "1", "0", "", "", "1", "1", "", ""},
		{"event_name", "", "StartLogging", "1", "0", "", "", "0", "0", "", ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := res.Alarms[0]
	if res.Records != 9223372036854775807 || a.Matches != 0 || a.First != 0 || a.Last != 0 || len(a.EventNames) != 1 || a.EventNames["StopLogging"] != 1 {
		t.Errorf("decoded %+v, alarm %+v", res, a)
	}
}

// Plan lists a filter per row, and a second for a row's benchmark pattern, on the row's period
// unless the options set one.
func TestPlan(t *testing.T) {
	row, ok := catalog.Find(catalog.CIS(), "Cis13RouteTableChanges")
	if !ok || row.BenchmarkPattern == "" {
		t.Fatal("CIS has no Cis13RouteTableChanges row with a benchmark pattern")
	}
	plain := catalog.Alarm{ID: "Plain", Pattern: `{ $.eventName = "x" }`}
	got := Plan([]catalog.Alarm{plain, row}, Options{})
	want := []Filter{
		{Alarm: 0, Name: "Plain", Pattern: plain.Pattern, Period: catalog.DefaultPeriodSeconds},
		{Alarm: 1, Name: row.ID, Pattern: row.Pattern, Period: int64(row.EffectivePeriod())},
		{Alarm: 1, Name: row.ID + "/BenchmarkFilter", Pattern: row.BenchmarkPattern, Period: int64(row.EffectivePeriod())},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Plan = %+v, want %+v", got, want)
	}
	for _, f := range Plan([]catalog.Alarm{plain, row}, Options{Period: 120}) {
		if f.Period != 120 {
			t.Errorf("with Period 120: %s has period %d", f.Name, f.Period)
		}
	}
}

// allDigits is true for a non-empty run of ASCII digits only ('/' and ':' border '0' and '9').
func TestAllDigits(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "9": true, "10": true, "0123456789": true, "": false, "a1": false, "1a": false, "/": false, ":": false, "-1": false} {
		if got := allDigits(s); got != want {
			t.Errorf("allDigits(%q) = %v, want %v", s, got, want)
		}
	}
}

// A selector step of letters, digits, '-' and '_' is written plainly in messages ($.a); any other
// is bracketed ($.['a b']). The characters around each range are not plain.
func TestIsPlainName(t *testing.T) {
	for _, s := range []string{"0", "9", "a", "z", "A", "Z", "-", "_", "eventName", "x-1_Y"} {
		if !isPlainName(s) {
			t.Errorf("isPlainName(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "/", ":", "`", "{", "@", "[", " ", ".", "a b", "é"} {
		if isPlainName(s) {
			t.Errorf("isPlainName(%q) = true, want false", s)
		}
	}
	if got := selText([]filterpattern.Step{{Name: "a"}, {IsIndex: true, Index: 2}, {Name: "b c"}}); got != "$.a[2].['b c']" {
		t.Errorf("selText = %q", got)
	}
}

// A number written out without an exponent is held to the same ±290 decimal exponent as one with:
// 10^-291 as 0.000…1 is refused like 1e-291 (it once passed, its magnitude read from the integer
// digits only).
func TestWhereRefusesATinyNumberWrittenInFull(t *testing.T) {
	tiny := "0." + strings.Repeat("0", 290) + "1"
	_, err := Where(`{ $.requestParameters.n < ` + tiny + ` }`)
	var re *RefusalError
	if !errors.As(err, &re) || re.Construct != RefuseWideNumber {
		t.Errorf("Where(n < 10^-291 in full) = %v, want a %s refusal", err, RefuseWideNumber)
	}
	if _, err := Where(`{ $.requestParameters.n < 0.` + strings.Repeat("0", 289) + `1 }`); err != nil {
		t.Errorf("Where(n < 10^-290 in full) = %v, want a translation", err)
	}
}

// The query opens with what it replays, for whoever reads it in the Athena console: the alarm
// and filter counts, the table, and each filter's name, alarm, period and pattern on one line.
func TestSQLHeader(t *testing.T) {
	rows := []catalog.Alarm{{ID: "Stop", Pattern: "{ $.eventName = \"StopLogging\" ||\n  $.eventName = \"DeleteTrail\" }"}}
	q, err := SQL(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "-- trailwatch replay: 1 alarms, 1 filters, one scan of cloudtrail_logs (docs/athena.md).\n" +
		"-- f0 = Stop (r0, period 300 s): { $.eventName = \"StopLogging\" || $.eventName = \"DeleteTrail\" }\n" +
		"SELECT\n"
	if !strings.HasPrefix(q, want) {
		t.Errorf("the query begins\n%s\nwant\n%s", q[:min(len(q), len(want)+40)], want)
	}
}
