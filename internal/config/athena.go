package config

import (
	"github.com/trailwatch/trailwatch/internal/athena"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// athenaNeedsATrail: the Athena table reads the trail bucket, which an alarms-only stack does not
// have (it watches an existing trail's log group).
func athenaNeedsATrail(c *checked) *Problem {
	if !c.Athena || c.ExistingLogGroupName == "" {
		return nil
	}
	return &Problem{Key: "athena", Value: true, Msg: "cannot be combined with existingLogGroupName (an alarms-only stack has no trail bucket for the table to read)",
		Allowed: "false with existingLogGroupName; deploy athena=true where the trail's bucket is", Err: ErrInvalid}
}

// athenaNotInStackSet: a StackSet member's template is inline (TemplateBody, at most 51,200
// bytes) and the Athena part does not fit beside a trail's: with AWS's ten alarms alone the member
// is about 54,800 bytes (test/athena_test.go measures it).
func athenaNotInStackSet(c *checked) *Problem {
	if !c.Athena || len(c.StackSet.OUs) == 0 {
		return nil
	}
	return &Problem{Key: "athena", Value: true, Msg: "cannot be combined with stackSetOrganizationalUnits (a member's inline template, at most 51200 bytes, has no room for the Athena table and queries)",
		Allowed: "false for a StackSet; set athena=true on the target that keeps the logs (an organization trail's)", Err: ErrInvalid}
}

// athenaQuery is an alarm that gets a named query with athena=true, and its pattern's SQL.
type athenaQuery struct {
	alarm catalog.Alarm
	where string
}

// athenaQueries are the alarms that get a named query with athena=true: those whose pattern has
// exact SQL (athena.Where); the others get a synth warning instead (stacks.NewAthena).
func (s Stack) athenaQueries() []athenaQuery {
	var out []athenaQuery
	for _, a := range s.Alarms {
		if where, err := athena.Where(a.Pattern); err == nil {
			out = append(out, athenaQuery{a, where})
		}
	}
	return out
}

// athenaTemplateBytes bounds the part stacks.NewAthena adds to the template: a fixed part (the
// table's columns and Regions, the buckets, workgroup and reader policy), the trail name wherever
// it names the database and workgroup, and per named query its fixed SQL and every text it
// carries (pattern, SQL, description, ID).
func (s Stack) athenaTemplateBytes() int {
	n := templateAthena + 8*jsonLen(s.TrailName)
	if s.OrganizationTrail {
		n += templateAthenaOrganization + jsonLen(s.OrganizationID)
	}
	for _, q := range s.athenaQueries() {
		n += templatePerQuery + jsonLen(q.alarm.Pattern) + jsonLen(q.where) + jsonLen(q.alarm.Description.In(s.Language)) +
			3*jsonLen(q.alarm.ID) + 2*jsonLen(s.TrailName)
		if s.OrganizationTrail {
			n += templatePerQueryOrganization
		}
	}
	return n
}
