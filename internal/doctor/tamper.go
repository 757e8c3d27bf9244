package doctor

import (
	"strings"

	"github.com/trailwatch/trailwatch/internal/cfn"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// watched is what catalog.Tamper needs to generate this stack's tamper rows, filled the way
// stacks/audit.go and stacks/alarmsonly.go fill it at synth, with the deployed physical names
// (ListStackResources), the account doctor runs in, and the names the template gives literally.
// ok is false when the template has no tamper alarm to learn the alarm name prefix from.
func (d *doctor) watched() (w catalog.Watched, ok bool) {
	w = catalog.Watched{
		Account:      d.account,
		TrailName:    d.exp.Trail.Name,
		LogGroupName: d.exp.LogGroupName,
	}
	if !d.exp.AlarmsOnly {
		for _, id := range []string{d.exp.BucketID, d.exp.AccessLogsBucketID} {
			if id != "" {
				w.Buckets = append(w.Buckets, d.physical[id])
			}
		}
	}
	if d.exp.HasKey {
		w.KeyID = d.physical[d.exp.KeyID]
	}
	w.TopicArn = d.physical[d.exp.TopicID]
	// The prefix is what stands before the fixed name of the tamper alarm every stack has.
	tamperAlarms := "Trailwatch-Tamper-" + strings.TrimPrefix(catalog.TamperAlarmsID, "Tamper")
	for _, a := range d.exp.Alarms {
		if a.RowID == catalog.TamperAlarmsID && strings.HasSuffix(a.Name, tamperAlarms) {
			w.AlarmNamePrefix, ok = strings.TrimSuffix(a.Name, tamperAlarms), true
		}
	}
	for _, a := range d.exp.Alarms {
		if a.RowID != "" && a.Namespace != catalog.TamperNamespace {
			w.AlarmNames = append(w.AlarmNames, strings.TrimPrefix(a.Name, w.AlarmNamePrefix))
		}
	}
	return w, ok
}

// deployedPattern is f's pattern with the deployed stack's physical IDs, and the account, Region
// and partition doctor runs in, put in for the names the template leaves to CloudFormation.
func (d *doctor) deployedPattern(f Filter) (string, []string) {
	return cfn.Resolve(f.Pattern, f.Refs, func(name string) (string, bool) {
		switch name {
		case "AWS::AccountId":
			return d.account, d.account != ""
		case "AWS::Region":
			return d.c.region, d.c.region != ""
		}
		v, ok := d.physical[name]
		return v, ok && v != ""
	})
}

// tamperRows regenerates the stack's tamper rows (catalog.Tamper) from the deployed names, by row
// ID; a non-empty reason says why they cannot be.
func (d *doctor) tamperRows() (map[string]catalog.Alarm, string) {
	w, ok := d.watched()
	if !ok {
		return nil, "the template has no " + catalog.TamperAlarmsID + " alarm to learn the alarm name prefix from"
	}
	rows, err := catalog.Tamper(w)
	if err != nil {
		return nil, "catalog.Tamper: " + err.Error()
	}
	out := map[string]catalog.Alarm{}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, ""
}
