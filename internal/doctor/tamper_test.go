package doctor

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// watched fills catalog.Watched as the stacks do at synth: the deployed names of the buckets, key
// and topic, the alarm name prefix learnt from the TamperAlarms alarm, and the other catalog
// alarms' names without it (not the tamper rows', not the alarm-email function's).
func TestWatchedFromTheDeployedStack(t *testing.T) {
	exp := func() *Expected {
		return &Expected{
			Trail: TrailSpec{Name: "trail"}, LogGroupName: "lg", BucketID: "B", AccessLogsBucketID: "AL", HasKey: true, KeyID: "K", TopicID: "T",
			Alarms: []Alarm{
				{RowID: "Row1", Name: "pre-A", Namespace: "CloudTrailMetrics"},
				{RowID: catalog.TamperAlarmsID, Name: "pre-Trailwatch-Tamper-Alarms", Namespace: catalog.TamperNamespace},
				{Name: "pre-Email"},
				{RowID: "TamperTrail", Name: "pre-Trailwatch-Tamper-Trail", Namespace: catalog.TamperNamespace},
				{RowID: "Row2", Name: "B2", Namespace: "Custom"},
			},
		}
	}
	physical := map[string]string{"B": "bucket", "AL": "logs", "K": "key", "T": "topic"}
	full := catalog.Watched{Account: testAccount, TrailName: "trail", LogGroupName: "lg", Buckets: []string{"bucket", "logs"}, KeyID: "key",
		TopicArn: "topic", AlarmNamePrefix: "pre-", AlarmNames: []string{"A", "B2"}}
	cases := []struct {
		name string
		edit func(e *Expected)
		want catalog.Watched
		ok   bool
	}{
		{"Full", func(e *Expected) {}, full, true},
		{"AlarmsOnly", func(e *Expected) { e.AlarmsOnly = true }, func() catalog.Watched { w := full; w.Buckets = nil; return w }(), true},
		{"NoAccessLogsBucket", func(e *Expected) { e.AccessLogsBucketID = "" }, func() catalog.Watched { w := full; w.Buckets = []string{"bucket"}; return w }(), true},
		{"NoKey", func(e *Expected) { e.HasKey = false }, func() catalog.Watched { w := full; w.KeyID = ""; return w }(), true},
		{"NoTopic", func(e *Expected) { e.TopicID = "" }, func() catalog.Watched { w := full; w.TopicArn = ""; return w }(), true},
		{"NoTamperAlarmsAlarm", func(e *Expected) { e.Alarms[1].Name = "pre-Something" },
			func() catalog.Watched {
				w := full
				w.AlarmNamePrefix = ""
				w.AlarmNames = []string{"pre-A", "B2"}
				return w
			}(), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := exp()
			c.edit(e)
			d := &doctor{exp: e, account: testAccount, physical: physical}
			got, ok := d.watched()
			if diff := cmp.Diff(c.want, got); diff != "" || ok != c.ok {
				t.Errorf("watched ok = %v, want %v; (-want +got):\n%s", ok, c.ok, diff)
			}
		})
	}
}

// A stack whose tamper patterns could outgrow CloudWatch Logs' limit cannot be regenerated:
// tamperRows says so with catalog.Tamper's reason.
func TestTamperRowsReportCatalogErrors(t *testing.T) {
	prefix := strings.Repeat("p", 1000)
	d := &doctor{account: testAccount, physical: map[string]string{}, exp: &Expected{
		Trail: TrailSpec{Name: "trail"}, LogGroupName: "lg",
		Alarms: []Alarm{{RowID: catalog.TamperAlarmsID, Name: prefix + "Trailwatch-Tamper-Alarms", Namespace: catalog.TamperNamespace}},
	}}
	rows, why := d.tamperRows()
	if rows != nil || !strings.HasPrefix(why, "catalog.Tamper: ") || !strings.Contains(why, "CloudWatch Logs allows 1024") {
		t.Errorf("tamperRows = %v, %q; want catalog.Tamper's length error", rows, why)
	}
}

// deployedPattern puts the account and Region doctor runs in, and the stack's physical IDs, in
// for the names the template leaves to CloudFormation; a name without a value is missing.
func TestDeployedPattern(t *testing.T) {
	f := Filter{Pattern: "${AWS::AccountId} ${AWS::Region} ${Bucket} ${Empty} ${Nope}", Refs: []string{"AWS::AccountId", "AWS::Region", "Bucket", "Empty", "Nope"}}
	d := &doctor{account: testAccount, c: &clients{region: "eu-west-1"}, physical: map[string]string{"Bucket": "b", "Empty": ""}}
	got, missing := d.deployedPattern(f)
	if got != "123456789012 eu-west-1 b ${Empty} ${Nope}" || !cmp.Equal(missing, []string{"Empty", "Nope"}) {
		t.Errorf("deployedPattern = %q, %v", got, missing)
	}
	d = &doctor{c: &clients{}, physical: map[string]string{}}
	_, missing = d.deployedPattern(f)
	if !cmp.Equal(missing, []string{"AWS::AccountId", "AWS::Region", "Bucket", "Empty", "Nope"}) {
		t.Errorf("without account and Region: missing %v", missing)
	}
}
