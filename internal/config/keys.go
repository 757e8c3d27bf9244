package config

import (
	"fmt"
	"math"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// key is one context key: its name, default, what it allows, and how it is read into Config.
type key struct {
	Name    string
	Default any    // as it appears in cdk.json; nil for no default
	Shown   string // the default as the README shows it
	Allowed string
	parse   func(cfg *Config, raw any, set bool, getenv func(string) string) error
}

// RetentionDays are the log group retentions CloudWatch Logs accepts (PutRetentionPolicy).
var RetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// StorageClasses are the S3 classes trail logs may move to, with the least age S3 allows for each.
var StorageClasses = map[string]int{
	"STANDARD_IA":         30,
	"ONEZONE_IA":          30,
	"INTELLIGENT_TIERING": 0,
	"GLACIER_IR":          0,
	"GLACIER":             0,
	"DEEP_ARCHIVE":        0,
}

var storageClassNames = []string{"GLACIER_IR", "GLACIER", "DEEP_ARCHIVE", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING"}

var (
	alarmPrefixRE         = regexp.MustCompile(`^[A-Za-z0-9._-]{0,64}$`)
	trailNameRE           = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$`)
	adjacentPunctuationRE = regexp.MustCompile(`[._-]{2}`)
	ipAddressRE           = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{1,3}){3}$`)
	accountRE             = regexp.MustCompile(`^[0-9]{12}$`)
	regionRE              = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	orgIDRE               = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	ouRE                  = regexp.MustCompile(`^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$`)
	envLabelRE            = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
	// logGroupNameRE is CloudWatch Logs' rule for log group names.
	logGroupNameRE = regexp.MustCompile(`^[A-Za-z0-9_\-/.#]{1,512}$`)
)

// keys is every context key trailwatch reads, in README order.
var keys = []key{
	{
		Name:    "notificationEmails",
		Allowed: "one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)",
		Shown:   "none (required)",
		parse: func(cfg *Config, raw any, set bool, _ func(string) string) error {
			list, err := stringList(raw)
			if err != nil {
				return err
			}
			if len(list) == 0 {
				return &KeyError{Value: raw, Err: ErrMissing}
			}
			seen := map[string]bool{}
			for _, addr := range list {
				if !validEmail(addr) && len(list) == 1 {
					return &KeyError{Value: addr, Problem: "is not an email address", Err: ErrInvalid}
				}
				if !validEmail(addr) {
					return &KeyError{Value: raw, Problem: fmt.Sprintf("has %q, which is not an email address", addr), Err: ErrInvalid}
				}
				if seen[strings.ToLower(addr)] {
					return &KeyError{Value: raw, Problem: fmt.Sprintf("lists %q twice", addr), Err: ErrInvalid}
				}
				seen[strings.ToLower(addr)] = true
			}
			cfg.NotificationEmails = list
			return nil
		},
	},
	{
		Name:    "managementEvents",
		Shown:   "WriteOnly; All when alarmProfile includes cis",
		Allowed: "WriteOnly, All",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			if raw == nil {
				return nil // resolved with the alarm profile
			}
			s, ok := raw.(string)
			if !ok || (s != WriteOnly && s != All) {
				return &KeyError{Value: raw, Problem: "is not a management event selection", Err: ErrInvalid}
			}
			cfg.ManagementEvents = s
			return nil
		},
	},
	{
		Name:    "logRetentionDays",
		Default: 365.0,
		Shown:   "365",
		Allowed: "never, or " + joinInts(RetentionDays),
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			if s, ok := raw.(string); ok && s == "never" {
				cfg.LogRetentionDays = 0
				return nil
			}
			n, ok := wholeNumber(raw)
			if !ok || !slices.Contains(RetentionDays, n) {
				return &KeyError{Value: raw, Problem: "is not a retention CloudWatch Logs accepts", Err: ErrInvalid}
			}
			cfg.LogRetentionDays = n
			return nil
		},
	},
	{
		Name:    "alarmNamePrefix",
		Default: "",
		Shown:   `"" (none)`,
		Allowed: "up to 64 letters, digits, '.', '_' or '-' (e.g. prod-)",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			s, ok := raw.(string)
			if !ok || !alarmPrefixRE.MatchString(s) {
				return &KeyError{Value: raw, Problem: "is not a valid alarm name prefix", Err: ErrInvalid}
			}
			cfg.AlarmNamePrefix = s
			return nil
		},
	},
	{
		Name:    "trailName",
		Default: "trailwatch",
		Shown:   "trailwatch",
		Allowed: "3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, no two of '.', '_', '-' in a row, not an IP address",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			s, ok := raw.(string)
			// CloudTrail's naming rules (CreateTrail): also no adjacent punctuation, no IP address form.
			if !ok || !trailNameRE.MatchString(s) || adjacentPunctuationRE.MatchString(s) || ipAddressRE.MatchString(s) {
				return &KeyError{Value: raw, Problem: "is not a valid CloudTrail trail name", Err: ErrInvalid}
			}
			cfg.TrailName = s
			return nil
		},
	},
	{
		Name:    "bucketTransitionDays",
		Default: 90.0,
		Shown:   "90",
		Allowed: "a whole number of days >= 0 (0: never move); >= 30 for STANDARD_IA and ONEZONE_IA",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			n, ok := wholeNumber(raw)
			if !ok || n < 0 {
				return &KeyError{Value: raw, Problem: "is not a whole number of days >= 0", Err: ErrInvalid}
			}
			cfg.BucketTransitionDays = n
			return nil
		},
	},
	{
		Name:    "bucketTransitionStorageClass",
		Default: "GLACIER_IR",
		Shown:   "GLACIER_IR",
		Allowed: strings.Join(storageClassNames, ", "),
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			s, ok := raw.(string)
			if _, known := StorageClasses[s]; !ok || !known {
				return &KeyError{Value: raw, Problem: "is not an S3 storage class trail logs can move to", Err: ErrInvalid}
			}
			cfg.BucketTransitionStorageClass = s
			return nil
		},
	},
	{
		Name:    "bucketExpirationDays",
		Default: 0.0,
		Shown:   "0 (never)",
		Allowed: "a whole number of days >= 0 (0: never delete); if set, more than bucketTransitionDays",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			n, ok := wholeNumber(raw)
			if !ok || n < 0 {
				return &KeyError{Value: raw, Problem: "is not a whole number of days >= 0", Err: ErrInvalid}
			}
			cfg.BucketExpirationDays = n
			return nil
		},
	},
	{
		Name:    "encryption",
		Default: KMS,
		Shown:   KMS,
		Allowed: "kms (one customer managed key, rotated, for the trail, log group and topic), none (S3-managed encryption only)",
		parse:   enumKey("is not an encryption choice", func(cfg *Config, v string) { cfg.Encryption = v }, KMS, None),
	},
	{
		Name:    "objectLockDays",
		Default: 0.0,
		Shown:   "0 (off)",
		Allowed: "a whole number of days from 0 (off) to 36500; only takes effect on a new bucket",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			n, ok := wholeNumber(raw)
			if !ok || n < 0 || n > 36500 {
				return &KeyError{Value: raw, Problem: "is not a whole number of days from 0 to 36500", Err: ErrInvalid}
			}
			cfg.ObjectLockDays = n
			return nil
		},
	},
	{
		Name:    "objectLockMode",
		Default: "GOVERNANCE",
		Shown:   "GOVERNANCE",
		Allowed: "GOVERNANCE (users with s3:BypassGovernanceRetention may delete), COMPLIANCE (nobody, not even root, may delete before the retention ends)",
		parse:   enumKey("is not an Object Lock mode", func(cfg *Config, v string) { cfg.ObjectLockMode = v }, "GOVERNANCE", "COMPLIANCE"),
	},
	{
		Name:    "nag",
		Default: false,
		Shown:   "false",
		Allowed: "true (apply the cdk-nag AwsSolutions checks and print their report at synth), false",
		parse:   boolKey(func(cfg *Config, b bool) { cfg.Nag = b }),
	},
	{
		Name:    "alarmProfile",
		Default: "aws",
		Shown:   "aws",
		Allowed: "aws (AWS's ten), cis (Security Hub CloudWatch.1-14; implies managementEvents=All), or aws,cis",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			list, err := stringList(raw)
			if err != nil {
				return err
			}
			if len(list) == 0 {
				return &KeyError{Value: raw, Problem: "names no profile", Err: ErrInvalid}
			}
			seen := map[string]bool{}
			for _, name := range list {
				if _, ok := catalog.Profile(name); !ok || seen[name] {
					return &KeyError{Value: raw, Problem: fmt.Sprintf("has %q, which is not a profile or is given twice", name), Err: ErrInvalid}
				}
				seen[name] = true
			}
			for _, name := range catalog.ProfileNames() { // deployment order, whatever the order given
				if seen[name] {
					cfg.AlarmProfiles = append(cfg.AlarmProfiles, name)
				}
			}
			return nil
		},
	},
	{
		Name:    "dedupeAlarms",
		Default: false,
		Shown:   "false",
		Allowed: "true (with aws,cis: drop the 8 AWS alarms a CIS alarm duplicates), false",
		parse:   boolKey(func(cfg *Config, b bool) { cfg.DedupeAlarms = b }),
	},
	{
		Name:    "alarmsFile",
		Default: "",
		Shown:   `"" (none)`,
		Allowed: "a path to a JSON (.json) or YAML file of custom alarms (see examples/alarms.yaml)",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			s, ok := raw.(string)
			if !ok {
				return &KeyError{Value: raw, Problem: "is not a path", Err: ErrInvalid}
			}
			cfg.AlarmsFile = strings.TrimSpace(s)
			return nil
		},
	},
	{
		Name:    "existingLogGroupName",
		Default: "",
		Shown:   `"" (make a trail)`,
		Allowed: "the name of the log group an existing trail delivers to (1-512 of a-z A-Z 0-9 _ - / . #): makes an alarms-only stack",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			s, ok := raw.(string)
			if !ok || (s != "" && !logGroupNameRE.MatchString(s)) {
				return &KeyError{Value: raw, Problem: "is not a CloudWatch Logs log group name", Err: ErrInvalid}
			}
			cfg.ExistingLogGroupName = s
			return nil
		},
	},
	{
		Name:    "language",
		Default: "en",
		Shown:   "en",
		Allowed: "en, ja (alarm descriptions and the topic's display name in Japanese)",
		parse:   enumKey("is not a supported language", func(cfg *Config, v string) { cfg.Language = v }, "en", "ja"),
	},
	{
		Name:    "organizationTrail",
		Default: false,
		Shown:   "false",
		Allowed: "true (an organization trail, deployed to the organization's management account; needs organizationId), false",
		parse:   boolKey(func(cfg *Config, b bool) { cfg.OrganizationTrail = b }),
	},
	{
		Name:    "organizationId",
		Default: "",
		Shown:   `"" (required with organizationTrail)`,
		Allowed: "an AWS Organizations ID: o- and 10 to 32 lower-case letters or digits",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			s, ok := raw.(string)
			if !ok || (s != "" && !orgIDRE.MatchString(s)) {
				return &KeyError{Value: raw, Problem: "is not an organization ID", Err: ErrInvalid}
			}
			cfg.OrganizationID = s
			return nil
		},
	},
	{
		Name:    "accountDimension",
		Default: false,
		Shown:   "false",
		Allowed: "true (every alarm's metric is also published per recipientAccountId, for drill-down; one custom metric per account and alarm), false",
		parse:   boolKey(func(cfg *Config, b bool) { cfg.AccountDimension = b }),
	},
	{
		Name:    "stackSetOrganizationalUnits",
		Default: "",
		Shown:   `"" (no StackSet)`,
		Allowed: "comma-separated OU IDs (ou-xxxx-xxxxxxxx) or the root (r-xxxx): deploy this configuration to every account in them through a service-managed StackSet",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			list, err := stringList(raw)
			if err != nil {
				return err
			}
			for _, ou := range list {
				if !ouRE.MatchString(ou) {
					return &KeyError{Value: raw, Problem: fmt.Sprintf("has %q, which is not an OU or root ID", ou), Err: ErrInvalid}
				}
			}
			cfg.StackSetOUs = list
			return nil
		},
	},
	{
		Name:    "stackSetRegions",
		Default: "",
		Shown:   "the target's region",
		Allowed: "comma-separated AWS Region codes the StackSet deploys to in every account",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			list, err := stringList(raw)
			if err != nil {
				return err
			}
			for _, r := range list {
				if !regionRE.MatchString(r) {
					return &KeyError{Value: raw, Problem: fmt.Sprintf("has %q, which is not an AWS Region code", r), Err: ErrInvalid}
				}
			}
			cfg.StackSetRegions = list
			return nil
		},
	},
	{
		Name:    "stackSetFailureTolerance",
		Default: 0.0,
		Shown:   "0",
		Allowed: "a whole number >= 0: accounts per Region that may fail before the StackSet operation stops",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			n, ok := wholeNumber(raw)
			if !ok || n < 0 {
				return &KeyError{Value: raw, Problem: "is not a whole number >= 0", Err: ErrInvalid}
			}
			cfg.StackSetFailureTolerance = n
			return nil
		},
	},
	{
		Name:    "stackSetMaxConcurrency",
		Default: 1.0,
		Shown:   "1",
		Allowed: "a whole number >= 1: accounts per Region a StackSet operation deploys at once (failures do not lower it)",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			n, ok := wholeNumber(raw)
			if !ok || n < 1 {
				return &KeyError{Value: raw, Problem: "is not a whole number >= 1", Err: ErrInvalid}
			}
			cfg.StackSetMaxConcurrency = n
			return nil
		},
	},
	{
		Name:    "stackSetCallAs",
		Default: "SELF",
		Shown:   "SELF",
		Allowed: "SELF (deployed from the management account), DELEGATED_ADMIN (from a delegated administrator account)",
		parse:   enumKey("is not a StackSet caller", func(cfg *Config, v string) { cfg.StackSetCallAs = v }, "SELF", "DELEGATED_ADMIN"),
	},
	{
		Name:    "environment",
		Default: "default",
		Shown:   "default",
		Allowed: "a label of letters, digits, '-' or '_' (up to 32): the CI environment (e.g. staging, production) a target deploys in",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			s, ok := raw.(string)
			if !ok || !envLabelRE.MatchString(s) {
				return &KeyError{Value: raw, Problem: "is not an environment label", Err: ErrInvalid}
			}
			cfg.Environment = s
			return nil
		},
	},
	{
		Name:    "targetsFile",
		Default: "",
		Shown:   `"" (one stack, from the keys above)`,
		Allowed: "a path to a YAML or JSON file of targets (accounts, Regions, per-target keys): one stack per target",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			s, ok := raw.(string)
			if !ok {
				return &KeyError{Value: raw, Problem: "is not a path", Err: ErrInvalid}
			}
			cfg.TargetsFile = strings.TrimSpace(s)
			return nil
		},
	},
	{
		Name:    "onlyEnvironment",
		Default: "",
		Shown:   `"" (every target)`,
		Allowed: "an environment label: synthesize only the targets of that environment (CI deploys one environment per job)",
		parse: func(cfg *Config, raw any, _ bool, _ func(string) string) error {
			s, ok := raw.(string)
			if !ok || (s != "" && !envLabelRE.MatchString(s)) {
				return &KeyError{Value: raw, Problem: "is not an environment label", Err: ErrInvalid}
			}
			cfg.OnlyEnvironment = s
			return nil
		},
	},
	{
		Name:    "account",
		Shown:   "CDK_DEFAULT_ACCOUNT (the CLI's credentials); unset: environment-agnostic",
		Allowed: "a 12-digit AWS account ID",
		parse: func(cfg *Config, raw any, set bool, getenv func(string) string) error {
			s, err := envDefault(raw, set, getenv("CDK_DEFAULT_ACCOUNT"))
			if err != nil {
				return err
			}
			if s != "" && !accountRE.MatchString(s) {
				return &KeyError{Value: s, Problem: "is not an AWS account ID", Err: ErrInvalid}
			}
			cfg.Account = s
			return nil
		},
	},
	{
		Name:    "region",
		Shown:   "CDK_DEFAULT_REGION (the CLI's profile); unset: environment-agnostic",
		Allowed: "an AWS Region code (e.g. us-east-1, eu-west-2)",
		parse: func(cfg *Config, raw any, set bool, getenv func(string) string) error {
			s, err := envDefault(raw, set, getenv("CDK_DEFAULT_REGION"))
			if err != nil {
				return err
			}
			if s != "" && !regionRE.MatchString(s) {
				return &KeyError{Value: s, Problem: "is not an AWS Region code", Err: ErrInvalid}
			}
			cfg.Region = s
			return nil
		},
	},
}

var keyIndex = func() map[string]int {
	m := map[string]int{}
	for i, k := range keys {
		m[k.Name] = i
	}
	return m
}()

// KeyNames lists every context key trailwatch reads, in README order.
func KeyNames() []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Name
	}
	return out
}

// Defaults returns the context defaults that cdk.json carries (keys without a default are absent).
func Defaults() map[string]any {
	m := map[string]any{}
	for _, k := range keys {
		if k.Default != nil {
			m[k.Name] = k.Default
		}
	}
	return m
}

// resolve settles what depends on more than one key: the trail's management events (All when
// the CIS profile is chosen), the alarm rows (profiles, dedupe, custom file), and the checks that
// involve several keys.
func resolve(cfg *Config, failed map[string]bool) []error {
	var errs []error
	cis := false
	for _, p := range cfg.AlarmProfiles {
		cis = cis || p == "cis"
	}
	switch {
	case cfg.ManagementEvents == "" && cis:
		cfg.ManagementEvents = All
	case cfg.ManagementEvents == "":
		cfg.ManagementEvents = WriteOnly
	case cfg.ManagementEvents == WriteOnly && cis && cfg.ExistingLogGroupName == "":
		errs = append(errs, &KeyError{Key: "managementEvents", Value: WriteOnly,
			Problem: "conflicts with alarmProfile cis: Security Hub's CloudWatch.1-14 checks pass only on a trail that records management events of type All, so the CIS alarms on a write-only trail would still fail them",
			Allowed: "All, or leave managementEvents unset (cis implies All)", Err: ErrInvalid})
	}
	if len(cfg.AlarmProfiles) > 0 {
		rows, dropped, err := catalog.Select(cfg.AlarmProfiles, cfg.DedupeAlarms)
		if err != nil {
			errs = append(errs, err)
		}
		cfg.Alarms, cfg.DroppedAlarms = rows, dropped
		if err := catalog.Validate(rows); err != nil {
			errs = append(errs, err) // a broken built-in catalog: not the user's doing, but stop all the same
		}
		if cfg.AlarmsFile != "" {
			custom, err := loadAlarmsFile(cfg.AlarmsFile, rows)
			if err != nil {
				errs = append(errs, err) // one line per problem, each naming the file, entry and field
			} else {
				cfg.Alarms = append(cfg.Alarms, custom...)
				if err := catalog.Validate(cfg.Alarms); err != nil {
					errs = append(errs, problemsIn("alarmsFile", cfg.AlarmsFile, ErrAlarmsFile)("with the profile's alarms: %v", err))
				}
			}
		}
	}
	if least := StorageClasses[cfg.BucketTransitionStorageClass]; cfg.BucketTransitionDays > 0 && cfg.BucketTransitionDays < least {
		errs = append(errs, &KeyError{Key: "bucketTransitionDays", Value: cfg.BucketTransitionDays,
			Problem: "is too soon for " + cfg.BucketTransitionStorageClass,
			Allowed: fmt.Sprintf("at least %d days for %s (an S3 rule), or 0", least, cfg.BucketTransitionStorageClass), Err: ErrInvalid})
	}
	if cfg.BucketExpirationDays > 0 && cfg.BucketTransitionDays > 0 && cfg.BucketExpirationDays <= cfg.BucketTransitionDays {
		errs = append(errs, &KeyError{Key: "bucketExpirationDays", Value: cfg.BucketExpirationDays,
			Problem: fmt.Sprintf("is not after bucketTransitionDays (%d)", cfg.BucketTransitionDays),
			Allowed: fmt.Sprintf("0 (never), or more than %d", cfg.BucketTransitionDays), Err: ErrInvalid})
	}
	errs = append(errs, resolveOrganization(cfg, failed)...)
	errs = append(errs, checkAlarmLimits(cfg)...)
	if cfg.BucketExpirationDays > 0 && cfg.ObjectLockDays > 0 && cfg.BucketExpirationDays < cfg.ObjectLockDays {
		errs = append(errs, &KeyError{Key: "bucketExpirationDays", Value: cfg.BucketExpirationDays,
			Problem: fmt.Sprintf("is shorter than objectLockDays (%d)", cfg.ObjectLockDays),
			Allowed: fmt.Sprintf("0 (never), or at least %d: objects are locked until then", cfg.ObjectLockDays), Err: ErrInvalid})
	}
	return errs
}

// boolKey is the parse function of a true/false key.
func boolKey(set func(*Config, bool)) func(*Config, any, bool, func(string) string) error {
	return func(cfg *Config, raw any, _ bool, _ func(string) string) error {
		b, ok := boolean(raw)
		if !ok {
			return &KeyError{Value: raw, Problem: "is not a boolean", Err: ErrInvalid}
		}
		set(cfg, b)
		return nil
	}
}

// enumKey is the parse function of a key that takes one of a few strings, exactly.
func enumKey(problem string, set func(*Config, string), allowed ...string) func(*Config, any, bool, func(string) string) error {
	return func(cfg *Config, raw any, _ bool, _ func(string) string) error {
		v, ok := raw.(string)
		if !ok || !slices.Contains(allowed, v) {
			return &KeyError{Value: raw, Problem: problem, Err: ErrInvalid}
		}
		set(cfg, v)
		return nil
	}
}

// boolean reads true/false given as a JSON boolean (cdk.json) or a string (-c).
func boolean(raw any) (bool, bool) {
	switch v := raw.(type) {
	case bool:
		return v, true
	case string:
		switch v {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// stringList reads a comma-separated string (from -c) or a JSON array of strings (from cdk.json).
func stringList(raw any) ([]string, error) {
	var parts []string
	switch v := raw.(type) {
	case nil:
		return nil, nil
	case string:
		parts = strings.Split(v, ",")
	case []any:
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, &KeyError{Value: raw, Problem: "is not a list of strings", Err: ErrInvalid}
			}
			parts = append(parts, s)
		}
	default:
		return nil, &KeyError{Value: raw, Problem: "is not a string", Err: ErrInvalid}
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// validEmail accepts a bare address (no display name) with a dotted domain, as SNS email
// subscriptions need.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.ContainsAny(s, " \t[]")
}

// wholeNumber reads a non-fractional number given as a JSON number or a decimal string.
func wholeNumber(raw any) (int, bool) {
	switch v := raw.(type) {
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > 1e9 {
			return 0, false
		}
		return int(v), true
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n > 1e9 || n < -1e9 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

func envDefault(raw any, set bool, env string) (string, error) {
	if !set {
		return env, nil
	}
	s, ok := raw.(string)
	if !ok {
		return "", &KeyError{Value: raw, Problem: "is not a string", Err: ErrInvalid}
	}
	return s, nil
}

func joinInts(list []int) string {
	s := make([]string, len(list))
	for i, n := range list {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// MarkdownTable renders the key table the README carries; a test keeps the two equal.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| key | default | allowed |\n| --- | --- | --- |\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", k.Name, k.Shown, k.Allowed)
	}
	return b.String()
}

// MaxFiltersPerLogGroup is CloudWatch Logs' limit on the metric filters of one log group.
const MaxFiltersPerLogGroup = 100

// checkAlarmLimits catches, before any construct exists, what CloudWatch would refuse at deploy:
// an alarm name that the prefix makes too long, more filters than a log group may hold.
func checkAlarmLimits(cfg *Config) []error {
	var errs []error
	filters := 0
	for _, a := range cfg.Alarms {
		filters++
		if len(a.Dimensions) > 0 {
			filters++ // the per-dimension filter
		}
		if n := len(cfg.AlarmNamePrefix) + len(a.AlarmName); n > catalog.MaxAlarmNameLen {
			errs = append(errs, &KeyError{Key: "alarmNamePrefix", Value: cfg.AlarmNamePrefix,
				Problem: fmt.Sprintf("makes alarm %s's name %d characters long", a.ID, n),
				Allowed: fmt.Sprintf("prefix and alarm name together at most %d characters", catalog.MaxAlarmNameLen), Err: ErrInvalid})
		}
	}
	if filters > MaxFiltersPerLogGroup {
		errs = append(errs, &KeyError{Key: "alarmProfile", Value: strings.Join(cfg.AlarmProfiles, ","),
			Problem: fmt.Sprintf("with the other alarm keys makes %d metric filters", filters),
			Allowed: fmt.Sprintf("at most %d on one log group (CloudWatch Logs' limit; an existing log group's own filters count too): fewer alarms, dedupeAlarms=true, or no accountDimension", MaxFiltersPerLogGroup),
			Err:     ErrInvalid})
	}
	return errs
}

// AccountDimension is the dimension accountDimension adds to every alarm's metric.
const AccountDimension = "Account"

// resolveOrganization checks the organization-trail and StackSet keys together, and adds the
// per-account dimension to the rows when asked.
func resolveOrganization(cfg *Config, failed map[string]bool) []error {
	var errs []error
	switch {
	case cfg.OrganizationTrail && cfg.OrganizationID == "" && !failed["organizationId"]:
		errs = append(errs, &KeyError{Key: "organizationId", Problem: "is required with organizationTrail=true (the bucket policy and delivery role name it)",
			Allowed: "the ID from `aws organizations describe-organization --query Organization.Id`", Err: ErrMissing})
	case cfg.OrganizationTrail && cfg.ExistingLogGroupName != "":
		errs = append(errs, &KeyError{Key: "organizationTrail", Value: true, Problem: "cannot be combined with existingLogGroupName (an alarms-only stack makes no trail)",
			Allowed: "false with existingLogGroupName", Err: ErrInvalid})
	}
	if len(cfg.StackSetOUs) > 0 {
		if cfg.OrganizationTrail {
			errs = append(errs, &KeyError{Key: "organizationTrail", Value: true, Problem: "cannot be combined with stackSetOrganizationalUnits (every member account would make the organization trail)",
				Allowed: "false for a StackSet; deploy the organization trail as a separate target", Err: ErrInvalid})
		}
		if len(cfg.StackSetRegions) == 0 && cfg.Region != "" {
			cfg.StackSetRegions = []string{cfg.Region}
		}
		if len(cfg.StackSetRegions) == 0 && !failed["stackSetRegions"] && !failed["region"] {
			errs = append(errs, &KeyError{Key: "stackSetRegions", Problem: "is required when the target has no region",
				Allowed: "comma-separated AWS Region codes", Err: ErrMissing})
		}
		// A full member stack makes a multi-Region trail: one per account is all there may be.
		if len(cfg.StackSetRegions) > 1 && cfg.ExistingLogGroupName == "" {
			errs = append(errs, &KeyError{Key: "stackSetRegions", Value: strings.Join(cfg.StackSetRegions, ","),
				Problem: "gives every member account one multi-Region trail per Region (each recording every Region: duplicate alarms, a paid second copy)",
				Allowed: "one Region for a full member stack (its trail records all Regions), or several with existingLogGroupName (alarms only)", Err: ErrInvalid})
		}
	}
	if cfg.AccountDimension {
		for i := range cfg.Alarms {
			if len(cfg.Alarms[i].Dimensions) == 0 {
				cfg.Alarms[i].Dimensions = map[string]string{AccountDimension: "$.recipientAccountId"}
			}
		}
	}
	return errs
}
