//go:build cgo

package athena

import (
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/replay"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// replayRecords are CloudTrail records with eventTimes spread over several hours: the catalog's
// proof records, stamped one every 173 s (every seventh left without an eventTime, so both paths
// must skip it), plus the engine's CloudTrail records and the shared corpus as they are.
func replayRecords(t *testing.T) []string {
	return append(stampedRecords(t), readLines(t, findUp(sharedCorpus), false)...)
}

// stampedRecords are replayRecords without the shared corpus (which stays out of the repository).
func stampedRecords(t *testing.T) []string {
	base := time.Date(2024, 5, 1, 22, 50, 0, 0, time.UTC).Unix()
	var out []string
	k := 0
	for _, r := range catalogRows() {
		for _, rec := range append(slices.Clone(r.Fires), r.Quiet...) {
			k++
			if k%7 == 0 || strings.Contains(rec, `"eventTime"`) {
				out = append(out, rec)
				continue
			}
			ts := time.Unix(base+int64(k)*173, 0).UTC().Format(time.RFC3339)
			out = append(out, `{"eventTime":"`+ts+`",`+strings.TrimPrefix(strings.TrimSpace(rec), "{"))
		}
	}
	// eventTimes replay reads but cannot place in a period (before 1970, after 9998): both paths
	// skip them, on a record that would otherwise match.
	first := strings.TrimPrefix(strings.TrimSpace(catalogRows()[0].Fires[0]), "{")
	for _, ts := range []string{"1969-12-31T23:59:59Z", "9999-06-01T00:00:00Z"} {
		out = append(out, `{"eventTime":"`+ts+`",`+first)
	}
	return append(out, readLines(t, cloudTrailFile, true)...)
}

// runQuery runs the SQL on db and returns the result as GetQueryResults gives it: strings, NULL "".
func runQuery(t *testing.T, db *sql.DB, q string) ([]string, [][]string) {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("DuckDB: %v\n%s", err, q)
	}
	defer rows.Close()
	header, _ := rows.Columns()
	var out [][]string
	vals := make([]any, len(header))
	ptrs := make([]any, len(header))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(header))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
			case string:
				row[i] = v
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return header, out
}

// TestQueryEqualsLocalReplay: the one-scan query, run on DuckDB over the table, gives the same
// records, eventTime range, matches, first and last match, top principals / event names / source
// IPs and ALARM periods (with their values) as internal/replay over the same records, for every
// row of every profile.
func TestQueryEqualsLocalReplay(t *testing.T) {
	rows := catalogRows()
	records := replayRecords(t)
	rules := replay.FromCatalog(rows, catalog.DefaultPeriodSeconds)
	for _, r := range rules {
		if a := r.Alarm; a.Comparison != replay.GreaterOrEqual || a.Statistic != replay.Sum || a.EvaluationPeriods != 1 || a.DatapointsToAlarm != 1 {
			t.Fatalf("%s: this test evaluates Sum >= threshold over 1 of 1 periods, the rule has %+v", r.ID, *a)
		}
	}
	opts := Options{Table: "cloudtrail"}
	q, err := SQL(rows, opts)
	if err != nil {
		t.Fatal(err)
	}
	db, _ := openDuckDB(t, records)
	start := time.Now()
	header, cells := runQuery(t, db, q)
	t.Logf("%d alarms over %d records: %d result rows, DuckDB %v", len(rows), len(records), len(cells), time.Since(start).Round(time.Millisecond))
	filters := Plan(rows, opts)
	// The query's filters are replay's, in the same order and with the same periods.
	k := 0
	for j, r := range rules {
		for _, f := range r.Filters {
			if k >= len(filters) || filters[k].Name != f.Name || filters[k].Alarm != j || filters[k].Period != r.Alarm.Period {
				t.Fatalf("filter %d: query %+v, replay %s (rule %d, period %d)", k, filters[min(k, len(filters)-1)], f.Name, j, r.Alarm.Period)
			}
			k++
		}
	}
	got, err := Decode(filters, len(rows), header, cells)
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "records.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(records, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := replay.Run(replay.Options{Rules: rules, Inputs: []string{file}, TopN: replay.MaxTopN})
	if err != nil {
		t.Fatal(err)
	}
	if got.BadTime == 0 || got.Records-got.BadTime != rep.Totals.RecordsRead {
		t.Errorf("records with eventTime: SQL %d (of %d, %d without), replay %d", got.Records-got.BadTime, got.Records, got.BadTime, rep.Totals.RecordsRead)
	}
	// Replay skips them all for one reason (no_event_time); the SQL counts them as bad_time.
	skipped := map[string]int64{}
	for r, n := range rep.Totals.SkippedByReason {
		skipped[string(r)] += n
	}
	if want := map[string]int64{"no_event_time": got.BadTime}; fmt.Sprint(skipped) != fmt.Sprint(want) {
		t.Errorf("records without eventTime: SQL %d, replay skipped %v", got.BadTime, skipped)
	}
	if !got.HasTime || rep.Totals.FirstEvent == nil || got.MinTime != rep.Totals.FirstEvent.Unix() || got.MaxTime != rep.Totals.LastEvent.Unix() {
		t.Errorf("eventTime range: SQL %d..%d, replay %v..%v", got.MinTime, got.MaxTime, rep.Totals.FirstEvent, rep.Totals.LastEvent)
	}
	matched := 0
	for j, a := range rows {
		ar := rep.Alarms[j]
		g := got.Alarms[j]
		if ar.ID != a.ID {
			t.Fatalf("replay alarm %d is %s, want %s", j, ar.ID, a.ID)
		}
		if g.Matches != ar.Matches {
			t.Errorf("%s: matches SQL %d, replay %d", a.ID, g.Matches, ar.Matches)
			continue
		}
		if g.Matches == 0 {
			continue
		}
		matched++
		if g.First != ar.FirstMatch.Unix() || g.Last != ar.LastMatch.Unix() {
			t.Errorf("%s: first/last SQL %d/%d, replay %v/%v", a.ID, g.First, g.Last, ar.FirstMatch, ar.LastMatch)
		}
		for _, c := range []struct {
			name string
			sql  map[string]int64
			rep  []replay.Count
		}{{"principals", g.Principals, ar.TopPrincipals}, {"event names", g.EventNames, ar.TopEventNames}, {"source IPs", g.SourceIPs, ar.TopSourceIPs}} {
			if want := top(c.sql); !slices.Equal(want, c.rep) {
				t.Errorf("%s: top %s SQL %v, replay %v", a.ID, c.name, want, c.rep)
			}
		}
		// The metric is the sum over the row's filters of matches times the filter's metric value;
		// the alarm is in ALARM in each period whose sum reaches the threshold (Sum, 1 of 1
		// periods, missing data not breaching: every catalog row's evaluation).
		sum := map[int64]float64{}
		k := 0
		for i, f := range filters {
			if f.Alarm == j {
				for p, n := range got.Filters[i] {
					sum[p] += float64(n) * rules[j].Filters[k].Value
				}
				k++
			}
		}
		var want []string
		for _, p := range slices.Sorted(maps.Keys(sum)) {
			if sum[p] >= rules[j].Alarm.Threshold {
				want = append(want, fmt.Sprintf("%s=%v", time.Unix(p, 0).UTC().Format(time.RFC3339), sum[p]))
			}
		}
		var have []string
		for _, pr := range ar.AlarmPeriods {
			v := "nil"
			if pr.Value != nil {
				v = fmt.Sprint(*pr.Value)
			}
			have = append(have, pr.Start.UTC().Format(time.RFC3339)+"="+v)
		}
		if !slices.Equal(want, have) {
			t.Errorf("%s: ALARM periods SQL %v, replay %v", a.ID, want, have)
		}
	}
	if matched < len(rows)/2 {
		t.Errorf("only %d of %d alarms matched anything: the test records do not exercise the query", matched, len(rows))
	}
}

// top orders exact counts as replay's report does: by count, then value.
func top(m map[string]int64) []replay.Count {
	out := make([]replay.Count, 0, len(m))
	for v, n := range m {
		out = append(out, replay.Count{Value: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}
