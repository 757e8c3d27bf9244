package athena

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/pkg/catalog"
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
