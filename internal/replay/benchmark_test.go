package replay_test

import (
	"path/filepath"
	"testing"

	"github.com/trailwatch/trailwatch/internal/replay"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// A row with a benchmark pattern replays as deployed: two filters on one metric and one alarm, the
// benchmark's publishing 0, so an ec2 route change and an API Gateway CreateRoute (only Security
// Hub's text) count once each: one ALARM episode each, one notification, each event counted once.
func TestCatalogRowWithBenchmarkPatternReplaysBothFilters(t *testing.T) {
	row, ok := catalog.Find(catalog.CIS(), "Cis13RouteTableChanges")
	if !ok {
		t.Fatal("no Cis13RouteTableChanges")
	}
	rules := replay.FromCatalog([]catalog.Alarm{row}, replay.DefaultPeriod)
	if n := len(rules[0].Filters); n != 2 || rules[0].Filters[1].Pattern != row.BenchmarkPattern || rules[0].Filters[1].Name != "Cis13RouteTableChanges/BenchmarkFilter" {
		t.Fatalf("filters = %+v, want the pattern and the benchmark pattern", rules[0].Filters)
	}
	dir := t.TempDir()
	apiGateway := `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"},"eventTime":"2024-05-01T12:31:00Z","eventSource":"apigateway.amazonaws.com","eventName":"CreateRoute","sourceIPAddress":"192.0.2.1"}`
	write(t, filepath.Join(dir, "records.jsonl"), []byte(record("CreateRoute", "2024-05-01T12:01:00Z", "")+"\n"+apiGateway+"\n"))
	got := alarm(t, run(t, rules, dir), "Cis13RouteTableChanges")
	if got.Matches != 2 || got.EpisodeCount != 2 || len(got.AlarmPeriods) != 2 {
		t.Fatalf("matches %d, episodes %d, periods %d; want 2, 2, 2", got.Matches, got.EpisodeCount, len(got.AlarmPeriods))
	}
	if v := rules[0].Filters[1].Value; v != 0 {
		t.Errorf("benchmark filter value = %v, want 0", v)
	}
	for i, want := range []float64{1, 1} {
		if v := got.AlarmPeriods[i].Value; v == nil || *v != want {
			t.Errorf("period %d value = %v, want %v", i+1, v, want)
		}
	}
}
