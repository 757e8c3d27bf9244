package config

// athenaNeedsATrail: the Athena table reads the trail bucket, which an alarms-only stack does not
// have (it watches an existing trail's log group).
func athenaNeedsATrail(c *checked) *Problem {
	if !c.Athena || c.ExistingLogGroupName == "" {
		return nil
	}
	return &Problem{Key: "athena", Value: true, Msg: "cannot be combined with existingLogGroupName (an alarms-only stack has no trail bucket for the table to read)",
		Allowed: "false with existingLogGroupName; deploy athena=true where the trail's bucket is", Err: ErrInvalid}
}
