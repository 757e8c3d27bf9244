package catalog_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

func TestAWSCatalogIsValid(t *testing.T) {
	if err := catalog.Validate(catalog.AWS()); err != nil {
		t.Fatal(err)
	}
}

func TestValidateReportsEachProblem(t *testing.T) {
	base := catalog.AWS()[3] // VpcChanges
	cases := []struct {
		name   string
		mutate func(rows []catalog.Alarm)
		want   string
	}{
		{"malformed pattern, with the engine's column", func(r []catalog.Alarm) { r[0].Pattern = "{ ($.eventName = CreateVpc }" },
			"alarm 1 (VpcChanges): pattern: col 28: expected ')' after $.eventName = CreateVpc"},
		{"unsupported pattern", func(r []catalog.Alarm) { r[0].Pattern = "ERROR" }, "alarm 1 (VpcChanges): pattern: col 1:"},
		{"too long", func(r []catalog.Alarm) { r[0].Pattern = "{ $.a = " + strings.Repeat("x", 1100) + " }" }, "alarm 1 (VpcChanges): pattern:"},
		{"empty pattern", func(r []catalog.Alarm) { r[0].Pattern = "" }, "pattern: is empty (it would count every event)"},
		{"bad ID", func(r []catalog.Alarm) { r[0].ID = "vpc changes" }, `alarm 1 (vpc changes): id: "vpc changes" is not a PascalCase construct ID`},
		{"duplicate ID", func(r []catalog.Alarm) { r[1].ID = r[0].ID }, `alarm 2 (VpcChanges): id: "VpcChanges" is used twice`},
		{"duplicate metric", func(r []catalog.Alarm) { r[1].MetricName = r[0].MetricName }, `metricName: metric CloudTrailMetrics/VpcEventCount is used twice`},
		{"duplicate alarm name", func(r []catalog.Alarm) { r[1].AlarmName = r[0].AlarmName }, `alarmName: "CloudTrailVpcChanges" is used twice`},
		{"zero threshold", func(r []catalog.Alarm) { r[0].Threshold = 0 }, "threshold: 0 must be greater than 0"},
		{"no description", func(r []catalog.Alarm) { r[0].Description = catalog.Text{"ja": r[0].Description["ja"]} }, "description.en: is empty"},
		{"fires record that does not match", func(r []catalog.Alarm) { r[0].Fires = append([]string{}, r[0].Quiet[0]) },
			"alarm 1 (VpcChanges): fires[1]: the record does not match the pattern"},
		{"quiet record that matches", func(r []catalog.Alarm) { r[0].Quiet = []string{r[0].Fires[0], r[0].Fires[1]} },
			"alarm 1 (VpcChanges): quiet[2]: the record matches the pattern"},
		{"bad metric name", func(r []catalog.Alarm) { r[0].MetricName = "$cost" }, `metricName: "$cost" is not a CloudWatch metric name`},
		{"period not a minute multiple", func(r []catalog.Alarm) { r[0].PeriodSeconds = 90 }, "period: 90 s is not allowed; allowed: a multiple of 60 from 60 to 86400"},
		{"period too long", func(r []catalog.Alarm) { r[0].PeriodSeconds = 172800 }, "period: 172800 s is not allowed"},
		{"four dimensions", func(r []catalog.Alarm) {
			r[0].Dimensions = map[string]string{"A": "$.a", "B": "$.b", "C": "$.c", "D": "$.d"}
		}, "dimensions: 4 given; a metric filter allows at most 3"},
		{"dimension not a field", func(r []catalog.Alarm) { r[0].Dimensions = map[string]string{"Account": "recipientAccountId"} },
			`dimensions: "Account": "recipientAccountId" is not allowed`},
		{"duplicate metric across namespaces is fine, within one is not", func(r []catalog.Alarm) {
			r[1].MetricName, r[1].Namespace = r[0].MetricName, "Other"
			r[0].Threshold = -1
		}, "threshold: -1 must be greater than 0"},
	}
	for _, c := range cases {
		rows := []catalog.Alarm{base, catalog.AWS()[4]}
		c.mutate(rows)
		err := catalog.Validate(rows)
		if !errors.Is(err, catalog.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

func TestValidateCountsRegexesAcrossTheLogGroup(t *testing.T) {
	rows := catalog.AWS()[:3]
	for i := range rows {
		rows[i].Fires, rows[i].Quiet = nil, nil
	}
	rows[0].Pattern = `{ $.a = %x% && $.b = %y% }`
	rows[1].Pattern = `{ $.a = %x% && $.b = %y% }`
	rows[2].Pattern = `{ $.a = %x% }`
	if err := catalog.Validate(rows); err != nil {
		t.Fatalf("5 regexes: %v", err)
	}
	rows[2].Pattern = `{ $.a = %x% && $.b = %y% }`
	err := catalog.Validate(rows)
	if err == nil || !strings.Contains(err.Error(), "the patterns hold 6 %regex% values; CloudWatch Logs allows at most 5") {
		t.Errorf("6 regexes: %v", err)
	}
}

// The engine's fuzz corpus seeds Parse with every catalog pattern (as files, since the engine's
// package cannot import this one); they must not drift from the catalog.
func TestFuzzSeedsFollowTheCatalog(t *testing.T) {
	for _, a := range catalog.AWS() {
		raw, err := os.ReadFile(filepath.Join("..", "filterpattern", "testdata", "fuzz", "FuzzParse", "catalog-"+a.ID))
		if err != nil {
			t.Errorf("%s: %v", a.ID, err)
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "string(") {
			t.Errorf("%s: not a fuzz seed file: %q", a.ID, raw)
			continue
		}
		got, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		if err != nil || got != a.Pattern {
			t.Errorf("%s: seed %q (%v), want the catalog pattern %q", a.ID, got, err, a.Pattern)
		}
	}
}

// CloudWatch's limits, on both sides: the largest allowed value passes, one more fails with the
// exact message (and nothing else).
func TestValidateAtTheLimits(t *testing.T) {
	vpc := func() catalog.Alarm { return catalog.AWS()[3] }
	accepted := map[string]func(*catalog.Alarm){
		"alarm name of 255 characters": func(a *catalog.Alarm) { a.AlarmName = strings.Repeat("a", 255) },
		"period of 60 s":               func(a *catalog.Alarm) { a.PeriodSeconds = 60 },
		"period of 86400 s":            func(a *catalog.Alarm) { a.PeriodSeconds = 86400 },
		"three dimensions": func(a *catalog.Alarm) {
			a.Dimensions = map[string]string{"A": "$.a", "B": "$.b", "C": "$.c"}
		},
		"a small positive threshold": func(a *catalog.Alarm) { a.Threshold = 0.5 },
	}
	for name, mutate := range accepted {
		a := vpc()
		mutate(&a)
		if err := catalog.Validate([]catalog.Alarm{a}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	rejected := []struct {
		name   string
		mutate func(*catalog.Alarm)
		want   string
	}{
		{"empty alarm name", func(a *catalog.Alarm) { a.AlarmName = "" }, "alarmName: is empty"},
		{"alarm name of 256 characters", func(a *catalog.Alarm) { a.AlarmName = strings.Repeat("a", 256) }, "alarmName: is 256 characters; CloudWatch allows 255"},
		{"period of 0 given as -60 s", func(a *catalog.Alarm) { a.PeriodSeconds = -60 }, "period: -60 s is not allowed; allowed: a multiple of 60 from 60 to 86400 (metric filters publish one-minute metrics)"},
		{"period of 86460 s", func(a *catalog.Alarm) { a.PeriodSeconds = 86460 }, "period: 86460 s is not allowed; allowed: a multiple of 60 from 60 to 86400 (metric filters publish one-minute metrics)"},
		{"empty pattern, reported alone (the examples are not run against it)", func(a *catalog.Alarm) { a.Pattern = "" }, "pattern: is empty (it would count every event)"},
		{"second quiet record matches", func(a *catalog.Alarm) { a.Quiet = []string{a.Quiet[0], a.Fires[0]} }, "quiet[2]: the record matches the pattern"},
		{"second fires record does not match", func(a *catalog.Alarm) { a.Fires = []string{a.Fires[0], a.Quiet[0]} }, "fires[2]: the record does not match the pattern"},
	}
	for _, c := range rejected {
		a := vpc()
		c.mutate(&a)
		err := catalog.Validate([]catalog.Alarm{a})
		want := "invalid alarm: alarm 1 (VpcChanges): " + c.want
		if err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want exactly %q", c.name, err, want)
		}
	}
}

// CheckRows' problems are structured: the row (from 1), its ID, the field, and for a value used
// twice the row that used it first, so a caller places each problem without parsing text.
func TestCheckRowsNamesRowFieldAndTheOtherRow(t *testing.T) {
	rows := catalog.AWS()[:3]
	rows[2].ID = rows[0].ID
	rows[1].Threshold = 0
	got := catalog.CheckRows(rows)
	want := catalog.Problems{
		{Row: 2, ID: rows[1].ID, Field: "threshold", Msg: "0 must be greater than 0"},
		{Row: 3, ID: rows[0].ID, Field: "id", Msg: fmt.Sprintf("%q is used twice", rows[0].ID), Other: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	// A metric and an alarm name taken from row 2 by row 4 name row 2 as the other.
	four := catalog.AWS()[:4]
	four[3].MetricName, four[3].AlarmName = four[1].MetricName, four[1].AlarmName
	wantFour := catalog.Problems{
		{Row: 4, ID: four[3].ID, Field: "metricName", Msg: "metric CloudTrailMetrics/" + four[1].MetricName + " is used twice", Other: 2},
		{Row: 4, ID: four[3].ID, Field: "alarmName", Msg: fmt.Sprintf("%q is used twice", four[1].AlarmName), Other: 2},
	}
	if got := catalog.CheckRows(four); !reflect.DeepEqual(got, wantFour) {
		t.Errorf("got %+v\nwant %+v", got, wantFour)
	}
	err := catalog.Validate(rows)
	wantText := fmt.Sprintf("invalid alarm: alarm 2 (%s): threshold: 0 must be greater than 0\ninvalid alarm: alarm 3 (%s): id: %q is used twice", rows[1].ID, rows[0].ID, rows[0].ID)
	var list catalog.Problems
	if err == nil || err.Error() != wantText || !errors.Is(err, catalog.ErrInvalid) || !errors.As(err, &list) || len(list) != 2 {
		t.Errorf("Validate: %v\nwant\n%s", err, wantText)
	}
}
