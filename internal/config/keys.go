package config

import (
	"fmt"
	"math"
	"net/mail"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// The context keys, one line each, as flag.FlagSet declares flags: the name, the field of its
// scope's type it fills, the kind of value it takes, its default and what it allows. Each scope
// declares only into its own type, so a stack never sees a target's keys. The order is the order
// of the generated key table (docs/configuration.md).

func stackKeys(s *Stack) []key {
	return []key{
		bind(&s.NotificationEmails, "notificationEmails", emails, required(), "one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)"),
		bind(&s.ManagementEvents, "managementEvents", oneOf("is not a management event selection", choice{WriteOnly, ""}, choice{All, ""}), derived(managementEventsShown()), "").ofTrail("trail"),
		bind(&s.LogRetentionDays, "logRetentionDays", retention, is(365), ""),
		bind(&s.AlarmNamePrefix, "alarmNamePrefix", text("is not a valid alarm name prefix", alarmPrefixRE.MatchString), is("").means("none"), "up to 64 letters, digits, '.', '_' or '-' (e.g. prod-)"),
		bind(&s.TrailName, "trailName", text("is not a valid CloudTrail trail name", validTrailName), is("trailwatch"), "3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, no two of '.', '_', '-' in a row, not an IP address").ofTrail("trail"),
		bind(&s.BucketTransitionDays, "bucketTransitionDays", whole(0, noMax, "of days "), is(90), "a whole number of days >= 0 (0: never move); >= 30 for STANDARD_IA and ONEZONE_IA").ofTrail("trail bucket"),
		bind(&s.BucketTransitionStorageClass, "bucketTransitionStorageClass", oneOf("is not an S3 storage class trail logs can move to", storageClassChoices...), is("GLACIER_IR"), "").ofTrail("trail bucket"),
		bind(&s.BucketExpirationDays, "bucketExpirationDays", whole(0, noMax, "of days "), is(0).means("never"), "a whole number of days >= 0 (0: never delete); if set, more than bucketTransitionDays").ofTrail("trail bucket"),
		bind(&s.Encryption, "encryption", oneOf("is not an encryption choice", choice{KMS, "one customer managed key, rotated, for the trail, log group and topic"}, choice{None, "S3-managed encryption only"}), is(KMS), ""),
		bind(&s.ObjectLockDays, "objectLockDays", whole(0, 36500, "of days "), is(0).means("off"), "a whole number of days from 0 (off) to 36500; only takes effect on a new bucket").ofTrail("trail bucket"),
		bind(&s.ObjectLockMode, "objectLockMode", oneOf("is not an Object Lock mode", choice{"GOVERNANCE", "users with s3:BypassGovernanceRetention may delete"}, choice{"COMPLIANCE", "nobody, not even root, may delete before the retention ends"}), is("GOVERNANCE"), "").ofTrail("trail bucket"),
		bind(&s.AlarmProfiles, "alarmProfile", profiles, is("aws"), ""),
		bind(&s.DedupeAlarms, "dedupeAlarms", boolean, is(false), dedupeAllowed()),
		bind(&s.AlarmsFile, alarmsFileKey, path, is("").means("none"), "a path to a JSON (.json) or YAML file of custom alarms (see examples/alarms.yaml)"),
		bind(&s.ExistingLogGroupName, "existingLogGroupName", text("is not a CloudWatch Logs log group name", orEmpty(logGroupNameRE.MatchString)), is("").means("make a trail"), "the name of the log group an existing trail delivers to (1-512 of a-z A-Z 0-9 _ - / . #): makes an alarms-only stack"),
		bind(&s.Language, "language", languages, is(catalog.Languages[0].Code), ""),
		bind(&s.OrganizationTrail, "organizationTrail", boolean, is(false), "true (an organization trail, deployed to the organization's management account; needs organizationId), false").ofTrail("trail"),
		bind(&s.OrganizationID, "organizationId", text("is not an organization ID", orEmpty(orgIDRE.MatchString)), is("").means("required with organizationTrail"), "an AWS Organizations ID: o- and 10 to 32 lower-case letters or digits").ofTrail("trail"),
		bind(&s.AccountDimension, "accountDimension", boolean, is(false), "true (every alarm's metric is also published per recipientAccountId, for drill-down; one custom metric per account and alarm), false"),
		bind(&s.Notifications, "notifications", oneOf("is not a notification mode", choice{Enriched, "each email lists the CloudTrail events the alarm counted (docs/notifications.md); StackSet members get plain"}, choice{Plain, "CloudWatch's alarm email, no function"}), is(Enriched), ""),
		bind(&s.Athena, "athena", boolean, is(false), "true (a Glue table over the trail bucket, an Athena workgroup with a results bucket, and a named query per alarm: docs/athena.md; needs a trail of the stack's own), false"),
	}
}

func targetKeys(t *Target) []key {
	return []key{
		bind(&t.Nag, "nag", boolean, is(false), "true (apply the cdk-nag AwsSolutions checks and print their report at synth), false"),
		bind(&t.StackSet.OUs, "stackSetOrganizationalUnits", ids("is not an OU or root ID", ouRE), is("").means("no StackSet"), "comma-separated OU IDs (ou-xxxx-xxxxxxxx) or the root (r-xxxx): deploy this configuration to every account in them through a service-managed StackSet"),
		bind(&t.StackSet.Regions, "stackSetRegions", ids("is not an AWS Region code", regionRE), is("").means("the target's region"), "comma-separated AWS Region codes the StackSet deploys to in every account"),
		bind(&t.StackSet.FailureTolerance, "stackSetFailureTolerance", whole(0, noMax, ""), is(0), "a whole number >= 0: accounts per Region that may fail before the StackSet operation stops"),
		bind(&t.StackSet.MaxConcurrency, "stackSetMaxConcurrency", whole(1, noMax, ""), is(1), "a whole number >= 1: accounts per Region a StackSet operation deploys at once (failures do not lower it)"),
		bind(&t.StackSet.CallAs, "stackSetCallAs", oneOf("is not a StackSet caller", choice{"SELF", "deployed from the management account"}, choice{"DELEGATED_ADMIN", "from a delegated administrator account"}), is("SELF"), ""),
		bind(&t.Environment, "environment", text("is not an environment label", envLabelRE.MatchString), is("default"), "a label of letters, digits, '-' or '_' (up to 32): the CI environment (e.g. staging, production) a target deploys in"),
		bind(&t.Account, accountKey, text("is not an AWS account ID", orEmpty(accountRE.MatchString)), fromEnv("CDK_DEFAULT_ACCOUNT", "the CLI's credentials"), "a 12-digit AWS account ID").eachTarget(),
		bind(&t.Region, regionKey, text("is not an AWS Region code", orEmpty(regionRE.MatchString)), fromEnv("CDK_DEFAULT_REGION", "the CLI's profile"), "an AWS Region code (e.g. us-east-1, eu-west-2)"),
	}
}

func appKeys(a *App) []key {
	return []key{
		bind(&a.TargetsFile, targetsFileKey, path, is("").means("one stack, from the keys above"), "a path to a YAML or JSON file of targets (accounts, Regions, per-target keys): one stack per target"),
		bind(&a.OnlyEnvironment, "onlyEnvironment", text("is not an environment label", orEmpty(envLabelRE.MatchString)), is("").means("every target"), "an environment label: synthesize only the targets of that environment (CI deploys one environment per job)"),
	}
}

// The names other code reads a key by.
const (
	alarmsFileKey  = "alarmsFile"
	targetsFileKey = "targetsFile"
	accountKey     = "account"
	regionKey      = "region"
)

// Scope is where a key's value belongs.
type Scope int

const (
	StackScope  Scope = iota // one stack: what it builds
	TargetScope              // one target: where it deploys, and how (StackSet, nag)
	AppScope                 // the whole app: which targets
)

// key is one declared context key, bound to a field.
type key struct {
	name    string
	scope   Scope
	def     dflt
	allowed string
	perEach bool                           // named by each entry of a targets file, never by its defaults or the command line
	trail   string                         // what of a stack's own trail the key configures ("trail", "trail bucket"); "": not trail-only
	read    func(raw any) (*Problem, bool) // reads raw into the bound field; false: raw is nil and the field stays as it is
	isDef   func() bool                    // whether the bound field holds the key's default (false for a key without a default value)
}

func (k key) eachTarget() key { k.perEach = true; return k }

// ofTrail marks a key only a stack with its own trail uses: what names the part of that trail it
// configures. An alarms-only stack (existingLogGroupName) rejects it (trailKeysNotAlarmsOnly).
func (k key) ofTrail(what string) key { k.trail = what; return k }

// kind is a kind of value: how a raw context value (a JSON value from cdk.json or a targets
// file, or a string from -c) becomes a T. The Problem it returns has Value and Msg; the key
// fills in the rest.
type kind[T any] struct {
	read    func(raw any) (T, *Problem)
	allowed string // what the kind allows, when the key does not say it better
}

// bind declares the key name, read by k into *field.
func bind[T any](field *T, name string, k kind[T], d dflt, allowed string) key {
	if allowed == "" {
		allowed = k.allowed
	}
	var def *T
	if d.value != nil {
		if v, p := k.read(d.value); p == nil {
			def = &v
		}
	}
	return key{name: name, def: d, allowed: allowed, read: func(raw any) (*Problem, bool) {
		if raw == nil {
			return nil, false
		}
		v, p := k.read(raw)
		if p == nil {
			*field = v
		}
		return p, true
	}, isDef: func() bool { return def != nil && reflect.DeepEqual(*field, *def) }}
}

// dflt is a key's default, written once: cdk.json carries value, the docs show it with its note.
type dflt struct {
	value    any    // as cdk.json carries it; nil: none
	note     string // what the default means, shown after it: "0 (never)"
	shown    string // the docs' text, for a key without a value
	env      string // the environment variable that gives the default (account, region)
	required bool
}

func is(v any) dflt {
	if n, ok := v.(int); ok {
		v = float64(n) // as JSON gives numbers
	}
	return dflt{value: v}
}

func (d dflt) means(note string) dflt { d.note = note; return d }

func required() dflt { return dflt{shown: "none (required)", required: true} }

// derived is the default of a key settled from other keys (see settle).
func derived(shown string) dflt { return dflt{shown: shown} }

func fromEnv(env, note string) dflt {
	return dflt{env: env, shown: env + " (" + note + "); unset: environment-agnostic"}
}

// Shown is the default as the docs show it.
func (d dflt) Shown() string {
	if d.value == nil {
		return d.shown
	}
	s := fmt.Sprint(d.value)
	if s == "" {
		s = `""`
	}
	if d.note != "" {
		s += " (" + d.note + ")"
	}
	return s
}

// The kinds of value.

var boolean = kind[bool]{read: func(raw any) (bool, *Problem) {
	switch v := raw.(type) {
	case bool:
		return v, nil
	case string:
		if b, err := strconv.ParseBool(v); err == nil && (v == "true" || v == "false") {
			return b, nil
		}
	}
	return false, &Problem{Value: raw, Msg: "is not a boolean"}
}, allowed: "true, false"}

// choice is one value a oneOf kind allows, with what it means ("" when plain).
type choice struct{ value, note string }

// oneOf is one of a few strings, exactly.
func oneOf(problem string, choices ...choice) kind[string] {
	var allowed []string
	for _, c := range choices {
		if c.note == "" {
			allowed = append(allowed, c.value)
		} else {
			allowed = append(allowed, c.value+" ("+c.note+")")
		}
	}
	return kind[string]{read: func(raw any) (string, *Problem) {
		s, ok := raw.(string)
		if !ok || !slices.ContainsFunc(choices, func(c choice) bool { return c.value == s }) {
			return "", &Problem{Value: raw, Msg: problem}
		}
		return s, nil
	}, allowed: strings.Join(allowed, ", ")}
}

// text is a string that ok accepts.
func text(problem string, ok func(string) bool) kind[string] {
	return kind[string]{read: func(raw any) (string, *Problem) {
		s, isString := raw.(string)
		if !isString {
			return "", &Problem{Value: raw, Msg: "is not a text (in a YAML or JSON file, put it in quotes)"}
		}
		if !ok(s) {
			return "", &Problem{Value: raw, Msg: problem}
		}
		return s, nil
	}}
}

func orEmpty(ok func(string) bool) func(string) bool {
	return func(s string) bool { return s == "" || ok(s) }
}

// path is a file path, spaces trimmed.
var path = kind[string]{read: func(raw any) (string, *Problem) {
	s, ok := raw.(string)
	if !ok {
		return "", &Problem{Value: raw, Msg: "is not a path"}
	}
	return strings.TrimSpace(s), nil
}}

const noMax = math.MaxInt

// whole is a whole number from least to most; unit ("of days ") words the problem.
func whole(least, most int, unit string) kind[int] {
	problem := fmt.Sprintf("is not a whole number %s>= %d", unit, least)
	if most != noMax {
		problem = fmt.Sprintf("is not a whole number %sfrom %d to %d", unit, least, most)
	}
	return kind[int]{read: func(raw any) (int, *Problem) {
		n, ok := wholeNumber(raw)
		if !ok || n < least || n > most {
			return 0, &Problem{Value: raw, Msg: problem}
		}
		return n, nil
	}}
}

// retention is a log group retention CloudWatch Logs accepts, or never (0).
var retention = kind[int]{read: func(raw any) (int, *Problem) {
	if s, ok := raw.(string); ok && s == "never" {
		return 0, nil
	}
	n, ok := wholeNumber(raw)
	if !ok || !slices.Contains(RetentionDays, n) {
		return 0, &Problem{Value: raw, Msg: "is not a retention CloudWatch Logs accepts"}
	}
	return n, nil
}, allowed: "never, or " + joinInts(RetentionDays)}

// emails is a list of one or more distinct email addresses.
var emails = kind[[]string]{read: func(raw any) ([]string, *Problem) {
	list, p := stringList(raw)
	if p != nil {
		return nil, p
	}
	if len(list) == 0 {
		return nil, &Problem{Value: raw, Err: ErrMissing}
	}
	seen := map[string]bool{}
	for _, addr := range list {
		switch {
		case !validEmail(addr) && len(list) == 1:
			return nil, &Problem{Value: addr, Msg: "is not an email address"}
		case !validEmail(addr):
			return nil, &Problem{Value: raw, Msg: fmt.Sprintf("has %q, which is not an email address", addr)}
		case seen[strings.ToLower(addr)]:
			return nil, &Problem{Value: raw, Msg: fmt.Sprintf("lists %q twice", addr)}
		}
		seen[strings.ToLower(addr)] = true
	}
	return list, nil
}}

// ids is a list of IDs that re matches; problem words one that it does not.
func ids(problem string, re *regexp.Regexp) kind[[]string] {
	return kind[[]string]{read: func(raw any) ([]string, *Problem) {
		list, p := stringList(raw)
		if p != nil {
			return nil, p
		}
		seen := map[string]bool{}
		for _, id := range list {
			if !re.MatchString(id) {
				return nil, &Problem{Value: raw, Msg: fmt.Sprintf("has %q, which %s", id, problem)}
			}
			if seen[id] {
				return nil, &Problem{Value: raw, Msg: fmt.Sprintf("lists %q twice", id)}
			}
			seen[id] = true
		}
		return list, nil
	}}
}

// profiles is one or more built-in alarm profiles, each once; they come out in deployment order.
var profiles = kind[[]catalog.Profile]{read: func(raw any) ([]catalog.Profile, *Problem) {
	list, p := stringList(raw)
	if p != nil {
		return nil, p
	}
	if len(list) == 0 {
		return nil, &Problem{Value: raw, Msg: "names no profile"}
	}
	for i, name := range list {
		if _, ok := catalog.ProfileNamed(name); !ok || slices.Contains(list[:i], name) {
			return nil, &Problem{Value: raw, Msg: fmt.Sprintf("has %q, which is not a profile or is given twice", name)}
		}
	}
	var out []catalog.Profile
	for _, p := range catalog.Profiles {
		if slices.Contains(list, p.Name) {
			out = append(out, p)
		}
	}
	return out, nil
}, allowed: profilesAllowed()}

// languages is a language of catalog.Languages.
var languages = func() kind[string] {
	var choices []choice
	for _, l := range catalog.Languages {
		choices = append(choices, choice{l.Code, l.Note})
	}
	return oneOf("is not a supported language", choices...)
}()

// profilesAllowed words the profiles: "aws (AWS's ten), cis (...; implies managementEvents=All), or aws,cis".
func profilesAllowed() string {
	var each []string
	for _, p := range catalog.Profiles {
		s := p.Name + " (" + p.Summary
		if p.ManagementEvents != "" {
			s += "; implies managementEvents=" + p.ManagementEvents
		}
		each = append(each, s+")")
	}
	return strings.Join(each, ", ") + ", or " + strings.Join(catalog.ProfileNames(), ",")
}

// managementEventsShown words managementEvents' default: WriteOnly, unless a profile needs more.
func managementEventsShown() string {
	s := WriteOnly
	for _, p := range catalog.Profiles {
		if p.ManagementEvents != "" {
			s += fmt.Sprintf("; %s when alarmProfile includes %s", p.ManagementEvents, p.Name)
		}
	}
	return s
}

// dedupeAllowed words dedupeAlarms from the rows that supersede rows of other profiles.
func dedupeAllowed() string {
	type pair struct{ kept, dropped catalog.Profile }
	var order []pair
	counts := map[[2]string]int{}
	for _, p := range catalog.Profiles {
		for _, r := range p.Rows() {
			for _, q := range catalog.Profiles {
				if _, ok := catalog.Find(q.Rows(), r.Supersedes); !ok || r.Supersedes == "" {
					continue
				}
				key := [2]string{p.Name, q.Name}
				if _, seen := counts[key]; !seen {
					order = append(order, pair{p, q})
				}
				counts[key]++
			}
		}
	}
	var each []string
	for _, o := range order {
		each = append(each, fmt.Sprintf("with %s,%s: drop the %d %s alarms a %s alarm duplicates",
			o.dropped.Name, o.kept.Name, counts[[2]string{o.kept.Name, o.dropped.Name}], o.dropped.Title, o.kept.Title))
	}
	return "true (" + strings.Join(each, "; ") + "), false"
}

// The key table: every scope's keys, declared on throwaway values (for names, defaults, docs).
var keys = declare(&App{}, &Target{})

// declare returns every key, bound to the fields of app and target, stack keys first.
func declare(app *App, target *Target) []key {
	var out []key
	for _, group := range []struct {
		scope Scope
		keys  []key
	}{{StackScope, stackKeys(&target.Stack)}, {TargetScope, targetKeys(target)}, {AppScope, appKeys(app)}} {
		for _, k := range group.keys {
			k.scope = group.scope
			out = append(out, k)
		}
	}
	return out
}

var keyIndex = func() map[string]key {
	m := map[string]key{}
	for _, k := range keys {
		m[k.name] = k
	}
	return m
}()

func lookup(name string) (key, bool) {
	k, ok := keyIndex[name]
	return k, ok
}

// KeyNames lists every context key trailwatch reads, in the order of the key table.
func KeyNames() []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

// Defaults returns the context defaults that cdk.json carries (keys without a default are absent).
func Defaults() map[string]any {
	m := map[string]any{}
	for _, k := range keys {
		if k.def.value != nil {
			m[k.name] = k.def.value
		}
	}
	return m
}

// MarkdownTable renders the key table of docs/configuration.md; a test keeps the two equal.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| key | default | allowed |\n| --- | --- | --- |\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", k.name, k.def.Shown(), k.allowed)
	}
	return b.String()
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

var storageClassChoices = []choice{{"GLACIER_IR", ""}, {"GLACIER", ""}, {"DEEP_ARCHIVE", ""}, {"STANDARD_IA", ""}, {"ONEZONE_IA", ""}, {"INTELLIGENT_TIERING", ""}}

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

// validTrailName is CloudTrail's naming rule (CreateTrail), with no adjacent punctuation and no
// IP address form.
func validTrailName(s string) bool {
	return trailNameRE.MatchString(s) && !adjacentPunctuationRE.MatchString(s) && !ipAddressRE.MatchString(s)
}

// stringList reads a comma-separated string (from -c) or a JSON array of strings (from cdk.json).
func stringList(raw any) ([]string, *Problem) {
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
				return nil, &Problem{Value: raw, Msg: "is not a list of strings"}
			}
			parts = append(parts, s)
		}
	default:
		return nil, &Problem{Value: raw, Msg: "is not a string"}
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// maxEmailLen is the longest address SMTP carries (RFC 5321, 4.5.3.1.3: a path of 256 octets,
// less its angle brackets).
const maxEmailLen = 254

// validEmail accepts a bare address (no display name) with a dotted domain, as SNS email
// subscriptions need.
func validEmail(s string) bool {
	if len(s) > maxEmailLen || badText(s) != "" {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	// net/mail refuses an empty local part and a domain that starts or ends with a dot; it takes
	// a quoted local part with a space and a domain literal ([192.0.2.1]), which SNS does not.
	// The domain, from its '@', must have a dot.
	return strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") && !strings.ContainsAny(s, " []")
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
		if err != nil || n > 1e9 { // a negative number is below every key's least
			return 0, false
		}
		return n, true
	}
	return 0, false
}

func joinInts(list []int) string {
	s := make([]string, len(list))
	for i, n := range list {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
