package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// checked is one target while Parse checks what involves more than one key.
type checked struct {
	*Target
	failed   map[string]bool // keys whose own value is bad: rules about them stay quiet
	keys     []key           // the keys, bound to Target's fields
	own      map[string]any  // the values given for this stack alone (see parse)
	builtIn  int             // Alarms[:builtIn] are the profiles' rows, the next fromFile the alarms file's
	fromFile int
}

// settled are the values that, when not given, come from other keys; they run before the rules.
var settled = []func(*checked){
	managementEventsFromProfiles,
	stackSetRegionsFromRegion,
}

// rules are the checks that involve several keys, in the order their problems are reported.
var rules = []func(*checked) ErrorList{
	one(managementEventsForProfiles),
	one(transitionNotTooSoon),
	one(expirationAfterTransition),
	one(expirationAfterObjectLock),
	one(organizationTrailNeedsID),
	trailKeysNotAlarmsOnly,
	one(organizationTrailNotInStackSet),
	one(stackSetNeedsRegions),
	one(fullMemberStackInOneRegion),
	one(athenaNeedsATrail),
	one(athenaNotInStackSet),
}

// one is a rule that finds at most one problem, as a rule.
func one(rule func(*checked) *Problem) func(*checked) ErrorList {
	return func(c *checked) ErrorList {
		if p := rule(c); p != nil {
			return ErrorList{p}
		}
		return nil
	}
}

// managementEventsFromProfiles: unset, managementEvents is what the profiles need (All for cis),
// else WriteOnly.
func managementEventsFromProfiles(c *checked) {
	if c.ManagementEvents != "" {
		return
	}
	c.ManagementEvents = WriteOnly
	for _, p := range c.AlarmProfiles {
		if p.ManagementEvents != "" {
			c.ManagementEvents = p.ManagementEvents
		}
	}
}

// stackSetRegionsFromRegion: unset, a StackSet deploys to the target's own Region.
func stackSetRegionsFromRegion(c *checked) {
	if len(c.StackSet.OUs) > 0 && len(c.StackSet.Regions) == 0 && c.Region != "" {
		c.StackSet.Regions = []string{c.Region}
	}
}

// managementEventsForProfiles: a trail of ours records what the profiles' checks need.
func managementEventsForProfiles(c *checked) *Problem {
	if c.ExistingLogGroupName != "" {
		return nil // the existing trail is not ours to configure
	}
	for _, p := range c.AlarmProfiles {
		if p.ManagementEvents != "" && c.ManagementEvents != p.ManagementEvents {
			return &Problem{Key: "managementEvents", Value: c.ManagementEvents,
				Msg: fmt.Sprintf("conflicts with alarmProfile %s: %s pass only on a trail that records management events of type %s, so the %s alarms on a write-only trail would still fail them",
					p.Name, p.Checks, p.ManagementEvents, p.Title),
				Allowed: fmt.Sprintf("%s, or leave managementEvents unset (%s implies %s)", p.ManagementEvents, p.Name, p.ManagementEvents), Err: ErrInvalid}
		}
	}
	return nil
}

func transitionNotTooSoon(c *checked) *Problem {
	least := StorageClasses[c.BucketTransitionStorageClass]
	if c.BucketTransitionDays == 0 || c.BucketTransitionDays >= least {
		return nil
	}
	return &Problem{Key: "bucketTransitionDays", Value: c.BucketTransitionDays,
		Msg:     "is too soon for " + c.BucketTransitionStorageClass,
		Allowed: fmt.Sprintf("at least %d days for %s (an S3 rule), or 0", least, c.BucketTransitionStorageClass), Err: ErrInvalid}
}

func expirationAfterTransition(c *checked) *Problem {
	if c.BucketExpirationDays == 0 || c.BucketTransitionDays == 0 || c.BucketExpirationDays > c.BucketTransitionDays {
		return nil
	}
	return &Problem{Key: "bucketExpirationDays", Value: c.BucketExpirationDays,
		Msg:     fmt.Sprintf("is not after bucketTransitionDays (%d)", c.BucketTransitionDays),
		Allowed: fmt.Sprintf("0 (never), or more than %d", c.BucketTransitionDays), Err: ErrInvalid}
}

func expirationAfterObjectLock(c *checked) *Problem {
	if c.BucketExpirationDays == 0 || c.ObjectLockDays == 0 || c.BucketExpirationDays >= c.ObjectLockDays {
		return nil
	}
	return &Problem{Key: "bucketExpirationDays", Value: c.BucketExpirationDays,
		Msg:     fmt.Sprintf("is shorter than objectLockDays (%d)", c.ObjectLockDays),
		Allowed: fmt.Sprintf("0 (never), or at least %d: objects are locked until then", c.ObjectLockDays), Err: ErrInvalid}
}

func organizationTrailNeedsID(c *checked) *Problem {
	if !c.OrganizationTrail || c.OrganizationID != "" || c.failed["organizationId"] || c.ExistingLogGroupName != "" {
		return nil
	}
	return &Problem{Key: "organizationId", Msg: "is required with organizationTrail=true (the bucket policy and delivery role name it)",
		Allowed: "the ID from `aws organizations describe-organization --query Organization.Id`", Err: ErrMissing}
}

// trailKeysNotAlarmsOnly: an alarms-only stack (existingLogGroupName) makes no trail and no trail
// bucket, so every key only they use (declared ofTrail in keys.go) would be silently ignored — a
// user would believe their logs are locked. A key counts when it is given for this stack with a
// value other than its default: cdk.json, which carries every default, never trips it, and in a
// targets file only the target's own entry counts (the command line's, cdk.json's and the file's
// defaults are shared with the targets that make a trail). A key whose default is derived from
// other keys (managementEvents) counts whenever it is given.
func trailKeysNotAlarmsOnly(c *checked) ErrorList {
	if c.ExistingLogGroupName == "" {
		return nil
	}
	var errs ErrorList
	for _, k := range c.keys {
		raw, given := c.own[k.name]
		if k.trail == "" || !given || raw == nil || c.failed[k.name] || k.isDef() {
			continue
		}
		errs.Add(&Problem{Key: k.name, Value: raw,
			Msg:     "is set, but existingLogGroupName makes an alarms-only stack, which has no " + k.trail,
			Allowed: "leave it unset, or drop existingLogGroupName", Err: ErrInvalid})
	}
	return errs
}

func organizationTrailNotInStackSet(c *checked) *Problem {
	if !c.OrganizationTrail || len(c.StackSet.OUs) == 0 {
		return nil
	}
	return &Problem{Key: "organizationTrail", Value: true, Msg: "cannot be combined with stackSetOrganizationalUnits (every member account would make the organization trail)",
		Allowed: "false for a StackSet; deploy the organization trail as a separate target", Err: ErrInvalid}
}

func stackSetNeedsRegions(c *checked) *Problem {
	if len(c.StackSet.OUs) == 0 || len(c.StackSet.Regions) > 0 || c.failed["stackSetRegions"] || c.failed[regionKey] {
		return nil
	}
	return &Problem{Key: "stackSetRegions", Msg: "is required when the target has no region",
		Allowed: "comma-separated AWS Region codes", Err: ErrMissing}
}

// fullMemberStackInOneRegion: a full member stack makes a multi-Region trail; one per account is
// all there may be.
func fullMemberStackInOneRegion(c *checked) *Problem {
	if len(c.StackSet.OUs) == 0 || len(c.StackSet.Regions) <= 1 || c.ExistingLogGroupName != "" {
		return nil
	}
	return &Problem{Key: "stackSetRegions", Value: strings.Join(c.StackSet.Regions, ","),
		Msg:     "gives every member account one multi-Region trail per Region (each recording every Region: duplicate alarms, a paid second copy)",
		Allowed: "one Region for a full member stack (its trail records all Regions), or several with existingLogGroupName (alarms only)", Err: ErrInvalid}
}

// alarmSteps assemble the stack's alarm rows, in this order and no other: the limits count the
// filters the account dimension adds, and the file's rows must not collide with the profiles'.
var alarmSteps = []struct {
	name string
	run  func(*checked) ErrorList
}{
	{"profiles", profileRows},
	{"dedupe", dedupeRows},
	{alarmsFileKey, alarmsFileRows},
	{"accountDimension", accountDimensionOnRows},
	{"limits", alarmLimits},
	{"tamper", tamperRows},
}

// profileRows: the rows of the selected profiles, in deployment order.
func profileRows(c *checked) ErrorList {
	c.Alarms = catalog.RowsOf(c.AlarmProfiles)
	c.builtIn = len(c.Alarms)
	// A broken built-in catalog is not the user's doing, but stop all the same.
	return c.catalogProblems(catalog.Validate(c.Alarms), c.Alarms, Problem{Key: "alarmProfile", Err: ErrInvalid})
}

// dedupeRows: with dedupeAlarms, drop each row another selected row supersedes.
func dedupeRows(c *checked) ErrorList {
	if c.DedupeAlarms {
		c.Alarms, c.DroppedAlarms = catalog.Dedupe(c.Alarms)
		c.builtIn = len(c.Alarms)
	}
	return nil
}

// alarmsFileRows: then the rows of the alarms file, which must not collide with the profiles'.
func alarmsFileRows(c *checked) ErrorList {
	if c.AlarmsFile == "" {
		return nil
	}
	custom, errs := loadAlarmsFile(c.AlarmsFile, c.Alarms)
	if len(errs) > 0 {
		return errs
	}
	c.Alarms = append(c.Alarms, custom...)
	c.fromFile = len(custom)
	return c.catalogProblems(catalog.Validate(c.Alarms), c.Alarms, Problem{Key: alarmsFileKey, File: c.AlarmsFile, Err: ErrAlarmsFile})
}

// AccountDimension is the dimension accountDimension adds to every alarm's metric.
const AccountDimension = "Account"

// accountDimensionOnRows: with accountDimension, every row without dimensions of its own also
// publishes its metric per account (one more filter each).
func accountDimensionOnRows(c *checked) ErrorList {
	if !c.AccountDimension {
		return nil
	}
	for i := range c.Alarms {
		if len(c.Alarms[i].Dimensions) == 0 {
			c.Alarms[i].Dimensions = map[string]string{AccountDimension: "$.recipientAccountId"}
		}
	}
	return nil
}

// alarmLimits catches, before any construct exists, what CloudWatch would refuse at deploy: an
// alarm name that the prefix makes too long, more filters than a log group may hold.
func alarmLimits(c *checked) ErrorList {
	var errs ErrorList
	filters := len(c.tamperRowsOf()) // the tamper rows the stack adds (catalog.Tamper)
	if filters == 0 {
		filters = catalog.MaxTamperRows // they could not be made: count the most there can be
	}
	for _, a := range c.Alarms {
		filters++
		if len(a.Dimensions) > 0 {
			filters++ // the per-dimension filter
		}
		if a.BenchmarkPattern != "" {
			filters++ // the benchmark text's filter, on the same log group
		}
		if n := len(c.AlarmNamePrefix) + len(a.AlarmName); n > catalog.MaxAlarmNameLen {
			errs.Add(&Problem{Key: "alarmNamePrefix", Value: c.AlarmNamePrefix,
				Msg:     fmt.Sprintf("makes alarm %s's name %d characters long", a.ID, n),
				Allowed: fmt.Sprintf("prefix and alarm name together at most %d characters", catalog.MaxAlarmNameLen), Err: ErrInvalid})
		}
	}
	deployed := c.Deployed()
	if n := deployed.Resources(); n > MaxResources {
		others := n - len(c.NotificationEmails)
		errs.Add(&Problem{Key: "notificationEmails",
			Msg: fmt.Sprintf("has %d addresses, one subscription each, which with the stack's other %d resources make %d", len(c.NotificationEmails), others, n),
			Allowed: fmt.Sprintf("at most %d resources per stack (CloudFormation's limit): at most %d addresses with these alarms, or a mailing list address",
				MaxResources, max(MaxResources-others, 0)),
			Err: ErrInvalid})
	}
	if n := deployed.TemplateBytes(); n > MaxTemplateBytes {
		errs.Add(&Problem{Key: "alarmProfile", Value: strings.Join(c.ProfileNames(), ","),
			Msg:     fmt.Sprintf("with the alarms file and the other keys makes a template of up to %d bytes", n),
			Allowed: fmt.Sprintf("at most %d bytes (CloudFormation's limit on a template in S3, where cdk deploy puts it): fewer or shorter alarms, fewer addresses", MaxTemplateBytes),
			Err:     ErrInvalid})
	}
	if filters > catalog.MaxFiltersPerLogGroup {
		errs.Add(&Problem{Key: "alarmProfile", Value: strings.Join(c.ProfileNames(), ","),
			Msg:     fmt.Sprintf("with the other alarm keys makes %d metric filters", filters),
			Allowed: fmt.Sprintf("at most %d on one log group (CloudWatch Logs' limit; an existing log group's own filters count too): fewer alarms, dedupeAlarms=true, or no accountDimension", catalog.MaxFiltersPerLogGroup),
			Err:     ErrInvalid})
	}
	return errs
}

// tamperRows checks, before any construct exists, the tamper rows the stack will add
// (catalog.Tamper): their patterns fit CloudWatch's limit at the longest deploy-time names, and no
// alarm of the file takes their IDs, metrics or names. The resources mirror what the stacks build
// (stacks/audit.go, stacks/alarmsonly.go); deploy-time values are placeholders, which Tamper
// measures at their longest.
func tamperRows(c *checked) ErrorList {
	for _, a := range c.Alarms {
		if len(c.AlarmNamePrefix)+len(a.AlarmName) > catalog.MaxAlarmNameLen {
			return nil // alarmLimits reports it
		}
	}
	if catalog.Validate(c.Alarms) != nil {
		return nil // the rows' own problems are reported by the step that added them
	}
	rows, tamperErr := catalog.Tamper(c.watched())
	all := slices.Concat(c.Alarms, rows)
	at := Problem{Key: "alarmNamePrefix", Value: c.AlarmNamePrefix, Err: ErrInvalid}
	switch {
	case c.AlarmsFile != "":
		at = Problem{Key: alarmsFileKey, File: c.AlarmsFile, Err: ErrAlarmsFile}
	case c.ExistingLogGroupName != "":
		at.Key, at.Value = "existingLogGroupName", c.ExistingLogGroupName
	}
	if tamperErr != nil {
		errs := c.catalogProblems(tamperErr, nil, at)
		for _, p := range errs {
			p.Entry = "tamper alarm " + p.Entry // Tamper names the row by its ID
		}
		return errs
	}
	return c.catalogProblems(catalog.Validate(all), all, at)
}

// watched is what the stack's tamper rows watch (catalog.Tamper), with placeholders for the
// deploy-time values: the resources mirror what the stacks build (stacks/audit.go,
// stacks/alarmsonly.go). A placeholder is as long as the template's text for it, a Ref in an
// Fn::Join (`", {"Ref": "TrailBucketA831CE63"}, "`), so TemplateBytes can measure the rows.
func (s Stack) watched() catalog.Watched {
	const ref = `", {"Ref": "PlaceholderLogicalId0A1B2C3D"}, "`
	w := catalog.Watched{Account: "000000000000", AlarmNamePrefix: s.AlarmNamePrefix, TopicArn: ref}
	if s.ExistingLogGroupName != "" {
		w.LogGroupName = s.ExistingLogGroupName
	} else {
		w.TrailName, w.Buckets, w.LogGroupName = s.TrailName, []string{ref, ref}, "CloudTrail/"+s.TrailName
	}
	if s.Encryption == KMS {
		w.KeyID = ref
	}
	for _, a := range s.Alarms {
		w.AlarmNames = append(w.AlarmNames, a.AlarmName)
	}
	return w
}

// tamperRowsOf are the tamper rows the stack adds, as watched measures them; nil if they cannot
// be made (tamperRows reports why).
func (s Stack) tamperRowsOf() []catalog.Alarm {
	rows, err := catalog.Tamper(s.watched())
	if err != nil {
		return nil
	}
	return rows
}

// catalogProblems turns the problems of catalog.Validate or catalog.Tamper with rows (the stack's
// rows so far, then the tamper rows) into problems placed as at says, one each, with the row as
// Entry and the field as Field. A row of the alarms file is placed at its entry there; a value
// used twice is placed at the alarms file's row of the two, and names the other row.
func (c *checked) catalogProblems(err error, rows []catalog.Alarm, at Problem) ErrorList {
	if err == nil {
		return nil
	}
	var list catalog.Problems
	if !errors.As(err, &list) {
		p := at
		p.Msg = err.Error()
		return ErrorList{&p}
	}
	var out ErrorList
	for _, fe := range list {
		row, other := fe.Row, fe.Other
		if c.fileEntry(other) > 0 && c.fileEntry(row) == 0 {
			row, other = other, row // the user can change the file's row, not the other
		}
		p := at
		p.Entry, p.Field, p.Msg = fe.ID, fe.Field, fe.Msg
		if p.Entry != "" || row > 0 {
			p.Value = nil // the line is about the row; at's value would read as the row's
		}
		if row > 0 && row <= len(rows) {
			p.Entry = c.rowName(rows, row)
			if c.fileEntry(row) > 0 {
				p.Key, p.File, p.Value, p.Err = alarmsFileKey, c.AlarmsFile, nil, ErrAlarmsFile
			}
		}
		if other > 0 && other <= len(rows) {
			p.Msg += " (also by " + c.rowName(rows, other) + ")"
		}
		out.Add(&p)
	}
	return out
}

// fileEntry is the entry of the alarms file (from 1) that row (from 1) of the stack's rows is; 0
// for a profile's row or a tamper row.
func (c *checked) fileEntry(row int) int {
	if row > c.builtIn && row <= c.builtIn+c.fromFile {
		return row - c.builtIn
	}
	return 0
}

// rowName names row (from 1) of rows where the user finds it: "alarm 2 (X)" of the alarms file,
// "built-in alarm X" of a profile, "tamper alarm X" the stack adds.
func (c *checked) rowName(rows []catalog.Alarm, row int) string {
	id := label(rows[row-1].ID)
	switch {
	case c.fileEntry(row) > 0:
		return entryName(c.fileEntry(row)-1, rows[row-1].ID)
	case row <= c.builtIn:
		return "built-in alarm " + id
	}
	return "tamper alarm " + id
}
