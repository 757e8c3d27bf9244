// Package config turns CDK context (cdk.json defaults, -c overrides) into trailwatch's settings.
//
// It is pure Go: every value is checked here, before any construct exists, so bad input stops the
// app before anything is written to cdk.out. Each problem names the key, the bad value and what is
// allowed; all problems are reported together, as an ErrorList.
//
// The settings come in three scopes, one type each: App (which targets), Target (where one stack
// deploys, and how) and Stack (what the stack builds). Keys are declared in keys.go, rules that
// involve several keys in rules.go.
package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Sentinel errors, for errors.Is.
var (
	// ErrMissing: a required key has no value.
	ErrMissing = errors.New("required but not set")
	// ErrInvalid: a key has a value outside what is allowed.
	ErrInvalid = errors.New("invalid value")
	// ErrUnknownKey: a context key trailwatch does not know but that looks like a typo of one it does.
	ErrUnknownKey = errors.New("unknown context key")
)

// Management event selections of the trail.
const (
	WriteOnly = "WriteOnly"
	All       = "All"
)

// Notification modes.
const (
	Enriched = "enriched"
	Plain    = "plain"
)

// Encryption choices.
const (
	KMS  = "kms"
	None = "none"
)

// App is the configuration of the app as a whole.
type App struct {
	// TargetsFile, when set, lists the targets; Load reads it.
	TargetsFile string
	// OnlyEnvironment, when set, keeps only the targets of that environment.
	OnlyEnvironment string
}

// Target is one stack to synthesize: its name, where it deploys, and what it builds (Stack).
type Target struct {
	// Name is the stack's construct ID and CloudFormation name (Load sets it).
	Name string
	// Account and Region are the deployment target; empty means environment-agnostic.
	Account string
	Region  string
	// Environment is the CI environment label of the target.
	Environment string
	// StackSet, when its OUs are set, deploys Stack to every account of those OUs instead of to
	// the target itself.
	StackSet StackSet
	// Nag applies the cdk-nag AwsSolutions checks at synth.
	Nag bool
	// Stack is what the stack (or each StackSet member) builds.
	Stack
}

// StackSet is a service-managed StackSet's settings.
type StackSet struct {
	OUs              []string
	Regions          []string
	FailureTolerance int
	MaxConcurrency   int
	CallAs           string
}

// Stack is what one Audit or AlarmsOnly stack builds.
type Stack struct {
	// NotificationEmails are subscribed to the alarm topic, one subscription each.
	NotificationEmails []string
	// ManagementEvents is WriteOnly or All.
	ManagementEvents string
	// LogRetentionDays is the log group's retention; 0 means never expire.
	LogRetentionDays int
	// AlarmNamePrefix is put before every alarm name.
	AlarmNamePrefix string
	// TrailName is the trail's fixed name (the bucket policy's aws:SourceArn needs it before the trail exists).
	TrailName string
	// BucketTransitionDays moves trail log objects to BucketTransitionStorageClass after that many days; 0 never.
	BucketTransitionDays int
	// BucketTransitionStorageClass is the S3 storage class objects move to.
	BucketTransitionStorageClass string
	// BucketExpirationDays deletes trail log objects after that many days; 0 never.
	BucketExpirationDays int
	// Encryption is KMS (one customer managed key for trail, log group and topic) or None.
	Encryption string
	// ObjectLockDays, when > 0, turns on S3 Object Lock for the trail bucket with that default retention.
	ObjectLockDays int
	// ObjectLockMode is GOVERNANCE or COMPLIANCE.
	ObjectLockMode string
	// AlarmProfiles are the built-in alarm sets, in deployment order.
	AlarmProfiles []catalog.Profile
	// DedupeAlarms drops built-in rows another selected profile supersedes.
	DedupeAlarms bool
	// DroppedAlarms are the IDs deduplication dropped.
	DroppedAlarms []string
	// AlarmsFile is the custom alarms file, if any.
	AlarmsFile string
	// ExistingLogGroupName, when set, makes an alarms-only stack on that log group: no bucket,
	// trail, role or log group of our own.
	ExistingLogGroupName string
	// Language of alarm descriptions and the topic's display name (a code of catalog.Languages).
	Language string
	// Alarms are the rows to deploy (assembled by alarmSteps).
	Alarms []catalog.Alarm
	// OrganizationTrail makes the trail an organization trail (OrganizationID names the organization).
	OrganizationTrail bool
	OrganizationID    string
	// AccountDimension also publishes every alarm's metric per recipientAccountId.
	AccountDimension bool
	// Notifications is Enriched (the alarm topic triggers the email function, which emails the
	// events the alarm counted) or Plain (CloudWatch's email on the alarm topic).
	Notifications string
	// Athena adds the Glue table over the trail bucket, the Athena workgroup and its results
	// bucket, and a named query per alarm (stacks.NewAthena, docs/athena.md).
	Athena bool
}

// ProfileNames are the names of the stack's alarm profiles, in deployment order.
func (s Stack) ProfileNames() []string {
	out := make([]string, len(s.AlarmProfiles))
	for i, p := range s.AlarmProfiles {
		out[i] = p.Name
	}
	return out
}

// Parse reads one target's keys (target and stack scope) from context (as the CDK app sees it:
// cdk.json's context merged with -c overrides). getenv supplies CDK_DEFAULT_ACCOUNT /
// CDK_DEFAULT_REGION. It returns every problem at once, as an ErrorList.
func Parse(context map[string]any, getenv func(string) string) (Target, error) {
	return parse(context, context, getenv)
}

// parse is Parse, where own are the keys given for this stack alone (a targets file's entry; for
// a single stack, all of context): rules about what a user set on purpose read only them.
func parse(context, own map[string]any, getenv func(string) string) (Target, error) {
	var t Target
	var app App
	var errs ErrorList
	failed := map[string]bool{} // keys whose own value is bad: the rules do not pile on
	bound := declare(&app, &t)
	for _, k := range bound {
		if k.scope == AppScope {
			continue // Load reads them
		}
		if p := readKey(k, context, getenv); p != nil {
			errs.Add(p)
			failed[k.name] = true
		}
	}
	c := &checked{Target: &t, failed: failed, keys: bound, own: own}
	for _, settle := range settled {
		settle(c)
	}
	for _, r := range rules {
		errs = append(errs, r(c)...)
	}
	if !failed["alarmProfile"] {
		for _, step := range alarmSteps {
			errs = append(errs, step.run(c)...)
		}
	}
	errs = append(errs, unknownKeys(context)...)
	if len(errs) > 0 {
		return Target{}, errs
	}
	return t, nil
}

// readKey reads k's value from context (or its default) into the field k is bound to.
func readKey(k key, context map[string]any, getenv func(string) string) *Problem {
	raw, set := context[k.name]
	if !set || raw == nil {
		raw = k.def.value
		if k.def.env != "" {
			raw = getenv(k.def.env)
		}
	}
	p, read := k.read(raw)
	if !read && k.def.required {
		p = &Problem{Err: ErrMissing}
	}
	if p == nil {
		return nil
	}
	p.Key = k.name
	if p.Allowed == "" {
		p.Allowed = k.allowed
	}
	if p.Err == nil {
		p.Err = ErrInvalid
	}
	return p
}

// unknownKeys reports context keys that look like a typo of one of ours. Keys with ':' or '/' or
// a leading '@' belong to the CDK (feature flags, lookups) and are left alone; so is anything that
// looks like nothing of ours, since context is shared with other tools.
func unknownKeys(context map[string]any) ErrorList {
	var names []string
	for name := range context {
		if _, ok := lookup(name); ok || strings.ContainsAny(name, ":/@") {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	var errs ErrorList
	for _, name := range names {
		if near := nearestKey(name); near != "" {
			errs.Add(&Problem{
				Key:     name,
				Value:   context[name],
				Msg:     "is set on a key trailwatch does not know",
				Allowed: fmt.Sprintf("did you mean %s? (known keys: %s)", near, strings.Join(KeyNames(), ", ")),
				Err:     ErrUnknownKey,
			})
		}
	}
	return errs
}

// nearestKey returns the known key that name is probably a typo of, or "".
func nearestKey(name string) string {
	if len(name) > 64 {
		return "" // no key is that long; and the distance costs len(name) times each key's
	}
	best, bestDist := "", 1<<30
	for _, k := range keys {
		d := editDistance(strings.ToLower(name), strings.ToLower(k.name))
		if d < bestDist {
			best, bestDist = k.name, d
		}
	}
	// Case-only differences (d == 0) and up to two edits (three for long keys) count as typos.
	limit := 2
	if len(best) >= 16 {
		limit = 3
	}
	if bestDist <= limit {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Deployed is the stack the target deploys: Stack itself, or for a StackSet target the member
// stack, which gets plain notifications (its template is inline in the StackSet and cannot carry
// the alarm-email function's code asset; stacks.Build warns about it).
func (t Target) Deployed() Stack {
	s := t.Stack
	if len(t.StackSet.OUs) > 0 {
		s.Notifications = Plain
	}
	return s
}
