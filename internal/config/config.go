// Package config turns CDK context (cdk.json defaults, -c overrides) into trailwatch's settings.
//
// It is pure Go: every value is checked here, before any construct exists, so bad input stops the
// app before anything is written to cdk.out. Each problem names the key, the bad value and what is
// allowed; all problems are reported together.
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

// Encryption choices.
const (
	KMS  = "kms"
	None = "none"
)

// Config is trailwatch's validated configuration for one stack.
type Config struct {
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
	// Nag applies the cdk-nag AwsSolutions checks at synth.
	Nag bool
	// AlarmProfiles are the built-in alarm sets, in deployment order ("aws", "cis").
	AlarmProfiles []string
	// DedupeAlarms drops built-in rows another selected profile supersedes.
	DedupeAlarms bool
	// DroppedAlarms are the IDs deduplication dropped.
	DroppedAlarms []string
	// AlarmsFile is the custom alarms file, if any.
	AlarmsFile string
	// ExistingLogGroupName, when set, makes an alarms-only stack on that log group: no bucket,
	// trail, role or log group of our own.
	ExistingLogGroupName string
	// Language of alarm descriptions and the topic's display name: "en" or "ja".
	Language string
	// Alarms are the rows to deploy: the profiles' (deduplicated if asked), then the file's.
	Alarms []catalog.Alarm
	// OrganizationTrail makes the trail an organization trail (OrganizationID names the organization).
	OrganizationTrail bool
	OrganizationID    string
	// AccountDimension also publishes every alarm's metric per recipientAccountId.
	AccountDimension bool
	// StackSetOUs, when set, deploy this configuration to every account of those OUs through a
	// service-managed StackSet, in StackSetRegions, instead of to the target itself.
	StackSetOUs              []string
	StackSetRegions          []string
	StackSetFailureTolerance int
	StackSetMaxConcurrency   int
	StackSetCallAs           string
	// Environment is the CI environment label of the target.
	Environment string
	// TargetsFile, when set, lists the targets; Load reads it.
	TargetsFile string
	// OnlyEnvironment, when set, keeps only the targets of that environment.
	OnlyEnvironment string
	// Account and Region are the deployment target; empty means environment-agnostic.
	Account string
	Region  string
}

// KeyError is one problem with one context key.
type KeyError struct {
	Key     string
	Value   any    // the value as given; nil when missing
	Problem string // what is wrong, e.g. "is not an email address"
	Allowed string // what would be accepted
	Err     error  // ErrMissing, ErrInvalid or ErrUnknownKey
}

func (e *KeyError) Error() string {
	switch {
	case errors.Is(e.Err, ErrMissing):
		return fmt.Sprintf("%s: required but not set; allowed: %s", e.Key, e.Allowed)
	case e.Value == nil:
		return fmt.Sprintf("%s: %s; allowed: %s", e.Key, e.Problem, e.Allowed)
	default:
		return fmt.Sprintf("%s: %s %s; allowed: %s", e.Key, quote(e.Value), e.Problem, e.Allowed)
	}
}

func (e *KeyError) Unwrap() error { return e.Err }

func quote(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%v", v)
}

// Parse reads trailwatch's keys from context (as the CDK app sees it: cdk.json's context merged
// with -c overrides). getenv supplies CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION. It returns every
// problem at once, joined.
func Parse(context map[string]any, getenv func(string) string) (Config, error) {
	var cfg Config
	var errs []error
	failed := map[string]bool{} // keys whose own value is bad: resolve does not pile on
	for _, k := range keys {
		raw, set := context[k.Name]
		if !set || raw == nil {
			raw, set = k.Default, false
		}
		if err := k.parse(&cfg, raw, set, getenv); err != nil {
			var ke *KeyError
			if errors.As(err, &ke) {
				ke.Key = k.Name
				if ke.Allowed == "" {
					ke.Allowed = k.Allowed
				}
			}
			errs = append(errs, err)
			failed[k.Name] = true
		}
	}
	errs = append(errs, resolve(&cfg, failed)...)
	errs = append(errs, unknownKeys(context)...)
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return cfg, nil
}

// Lines splits an error from Parse into one line per problem, for the app to print.
func Lines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

// unknownKeys reports context keys that look like a typo of one of ours. Keys with ':' or '/' or
// a leading '@' belong to the CDK (feature flags, lookups) and are left alone; so is anything that
// looks like nothing of ours, since context is shared with other tools.
func unknownKeys(context map[string]any) []error {
	var names []string
	for name := range context {
		if _, ok := keyIndex[name]; ok || strings.ContainsAny(name, ":/@") {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		if near := nearestKey(name); near != "" {
			errs = append(errs, &KeyError{
				Key:     name,
				Value:   context[name],
				Problem: "is set on a key trailwatch does not know",
				Allowed: fmt.Sprintf("did you mean %s? (known keys: %s)", near, strings.Join(KeyNames(), ", ")),
				Err:     ErrUnknownKey,
			})
		}
	}
	return errs
}

// nearestKey returns the known key that name is probably a typo of, or "".
func nearestKey(name string) string {
	best, bestDist := "", 1<<30
	for _, k := range keys {
		d := editDistance(strings.ToLower(name), strings.ToLower(k.Name))
		if d < bestDist {
			best, bestDist = k.Name, d
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
