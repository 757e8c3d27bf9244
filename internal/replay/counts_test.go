package replay

import (
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

func TestReportFromCountsRefusesWhatCountsCannotHold(t *testing.T) {
	rows, err := catalog.Resolve("SecurityGroupChanges")
	if err != nil {
		t.Fatal(err)
	}
	ok := FromCatalog(rows, DefaultPeriod)
	one := Counts{Filters: make([]map[int64]int64, len(ok[0].Filters)), Rules: make([]RuleCounts, 1)}
	def := 0.0
	withDefault := FromCatalog(rows, DefaultPeriod)
	withDefault[0].Filters = append([]Filter{}, withDefault[0].Filters...)
	withDefault[0].Filters[0].Default = &def
	noAlarm := FromCatalog(rows, DefaultPeriod)
	noAlarm[0].Alarm = nil
	id := ok[0].ID
	for _, tc := range []struct {
		rules []Rule
		c     Counts
		want  string
	}{
		{withDefault, one, id + ": a filter with a DefaultValue needs every period's record count"},
		{noAlarm, one, id + ": no alarm watches its metric"},
		{ok, Counts{}, "counts for 0 filters and 0 rules, want 1 and 1"},
		{ok, Counts{Filters: one.Filters}, "counts for 1 filters and 0 rules, want 1 and 1"},
		{ok, Counts{Rules: one.Rules}, "counts for 0 filters and 1 rules, want 1 and 1"},
	} {
		if _, err := ReportFromCounts(tc.rules, tc.c, 5); err == nil || err.Error() != tc.want {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
	rep, err := ReportFromCounts(ok, Counts{Records: 3, NoEventTime: 3, Filters: one.Filters, Rules: one.Rules}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.RecordsRead != 0 || rep.Totals.RecordsSkipped != 3 || rep.Totals.SkippedByReason["no_event_time"] != 3 || rep.Totals.FirstEvent != nil || rep.Alarms[0].AlarmPeriods == nil {
		t.Errorf("report of records without eventTime: %+v", rep.Totals)
	}
}
