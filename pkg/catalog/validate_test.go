package catalog_test

import (
	"errors"
	"os"
	"path/filepath"
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
		{"empty pattern", func(r []catalog.Alarm) { r[0].Pattern = "" }, "pattern is empty (it would count every event)"},
		{"bad ID", func(r []catalog.Alarm) { r[0].ID = "vpc changes" }, `alarm 1 (vpc changes): ID "vpc changes" is not a PascalCase construct ID`},
		{"duplicate ID", func(r []catalog.Alarm) { r[1].ID = r[0].ID }, `alarm 2 (VpcChanges): ID "VpcChanges" is used twice`},
		{"duplicate metric", func(r []catalog.Alarm) { r[1].MetricName = r[0].MetricName }, `metric name "VpcEventCount" is used twice`},
		{"duplicate alarm name", func(r []catalog.Alarm) { r[1].AlarmName = r[0].AlarmName }, `alarm name "CloudTrailVpcChanges" is used twice`},
		{"zero threshold", func(r []catalog.Alarm) { r[0].Threshold = 0 }, "threshold 0 must be greater than 0"},
		{"no description", func(r []catalog.Alarm) { r[0].Description.EN = "" }, "English description is empty"},
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
