package config

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Limits of CloudWatch and CloudWatch Logs that an alarm row reaches, checked here so that a row
// that would fail at deploy (or could not be written into a template) stops synth instead.
const (
	// MaxPatternLen is the longest filter pattern (CloudWatch Logs PutMetricFilter, filterPattern).
	MaxPatternLen = 1024
	// MaxDescriptionLen is the longest alarm description (CloudWatch PutMetricAlarm, AlarmDescription).
	MaxDescriptionLen = 1024
	// MaxNamespaceLen is the longest metric namespace (CloudWatch Logs MetricTransformation, metricNamespace).
	MaxNamespaceLen = 255
)

// namespaceRE is CloudWatch Logs' rule for a metric namespace: no ':', '*' or '$'.
var namespaceRE = regexp.MustCompile(`^[^:*$]*$`)

// limitProblems reports what of a row (from the alarms file) is beyond CloudWatch's limits or
// would put a control character into a name, pattern or description. CheckRow reports the rest;
// a threshold that is not finite is refused as it is read (alarmEntryOf).
func limitProblems(a catalog.Alarm) []*catalog.FieldError {
	var errs []*catalog.FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, &catalog.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	texts := []struct {
		field, value string
		most         int
	}{
		{"id", a.ID, 64},
		{"pattern", a.Pattern, MaxPatternLen},
		{"metricName", a.MetricName, catalog.MaxAlarmNameLen},
		{"alarmName", a.AlarmName, catalog.MaxAlarmNameLen},
		{"namespace", a.Namespace, MaxNamespaceLen},
	}
	for _, code := range catalog.LanguageCodes() {
		texts = append(texts, struct {
			field, value string
			most         int
		}{"description." + code, a.Description[code], MaxDescriptionLen})
	}
	for _, t := range texts {
		if why := badText(t.value); why != "" {
			bad(t.field, "%s; allowed: printable text on one line", why)
		} else if n := utf8.RuneCountInString(t.value); n > t.most {
			bad(t.field, "is %d characters long; allowed: at most %d", n, t.most)
		}
	}
	if a.Namespace != "" && !namespaceRE.MatchString(a.Namespace) {
		bad("namespace", "%q has ':', '*' or '$'; allowed: a CloudWatch namespace of up to %d characters without them", a.Namespace, MaxNamespaceLen)
	}
	for name, field := range a.Dimensions {
		if why := badText(name + field); why != "" {
			bad("dimensions", "%s %s; allowed: printable text on one line", label(name), why)
		}
	}
	return errs
}

// CloudFormation's limits on a stack (AWS CloudFormation User Guide, "CloudFormation quotas").
const (
	// MaxResources is the most resources one stack (or StackSet member stack) may declare.
	MaxResources = 500
	// MaxTemplateBytes is the largest template CloudFormation reads from S3, where `cdk deploy`
	// uploads every stack's template (the default synthesizer's bootstrap bucket).
	MaxTemplateBytes = 1 << 20
)

// Resources is the number of CloudFormation resources the stack declares — exactly: a test
// compares it with the synthesized template of every variant. It is counted from the
// configuration alone, so a stack past MaxResources stops here, before any construct exists.
func (s Stack) Resources() int {
	n := 2 + len(s.NotificationEmails) // the topic, its policy, one subscription per address
	for _, a := range append(slices.Clip(s.Alarms), s.tamperRowsOf()...) {
		n += 2 // the alarm and its metric filter
		if len(a.Dimensions) > 0 {
			n++ // the per-dimension filter
		}
		if a.BenchmarkPattern != "" {
			n++ // the benchmark text's filter
		}
	}
	if s.Notifications == Enriched {
		// The alarm-email wiring (stacks/notifications.go): the email topic and its policy, the
		// function, its role, log group, invoke permission, subscription and async settings, the
		// dead-letter queue and its policy, and the two alarms on the function's failures. The
		// addresses subscribe to the email topic instead, so they are counted once, above.
		n += 12
	}
	if s.Athena {
		// stacks.NewAthena: the Glue database and table, the results bucket and its policy, the
		// workgroup, the reader policy, and one named query per alarm whose pattern translates.
		n += 6 + len(s.athenaQueries())
	}
	switch {
	case s.ExistingLogGroupName != "":
		if s.Encryption == KMS {
			n++ // the topic's key
		}
	default:
		n += 8 // two buckets and their policies, the trail, its role and policy, the log group
		if s.Encryption == KMS {
			n += 2 // the key and its alias
		}
	}
	return n
}

// TemplateBytes is an upper bound of the size of the stack's template as `cdk synth` writes it:
// a fixed part for the stack's own resources, a fixed part per alarm row, filter and address, and
// every text the configuration puts into the template, escaped as JSON, as often as it appears.
// A test holds it above the synthesized size of every variant and within a small margin of it.
func (s Stack) TemplateBytes() int {
	n := templateBase
	if s.Encryption == KMS {
		n += templateKey
	}
	if s.ExistingLogGroupName != "" {
		n += templateBaseAlarmsOnly - templateBase + 3*jsonLen(s.ExistingLogGroupName)
	} else {
		n += 16 * jsonLen(s.TrailName)
		if s.OrganizationTrail {
			n += templateOrganization + 4*jsonLen(s.OrganizationID)
		}
	}
	for _, e := range s.NotificationEmails {
		n += templatePerEmail + jsonLen(e)
	}
	if s.Notifications == Enriched {
		n += templateNotifications
	}
	if s.Athena {
		n += s.athenaTemplateBytes()
	}
	for _, a := range append(slices.Clip(s.Alarms), s.tamperRowsOf()...) {
		filters := 1
		if len(a.Dimensions) > 0 {
			filters++
			for name, field := range a.Dimensions {
				n += jsonLen(name) + jsonLen(field)
			}
		}
		n += templatePerAlarm + 2*jsonLen(s.AlarmNamePrefix+a.AlarmName) + jsonLen(a.Description.In(s.Language)) +
			jsonLen(a.MetricName) + 2*jsonLen(a.ID) + jsonLen(a.EffectiveNamespace(catalog.AWSNamespace))
		if a.BenchmarkPattern != "" {
			filters++
			n += jsonLen(a.BenchmarkPattern)
		}
		n += filters*(templatePerFilter+jsonLen(a.MetricName)+jsonLen(a.EffectiveNamespace(catalog.AWSNamespace))+2*jsonLen(a.ID)) +
			(filters-boolInt(a.BenchmarkPattern != ""))*jsonLen(a.Pattern)
	}
	return n
}

// The fixed parts of TemplateBytes, measured on the synthesized templates (with margin).
const (
	templateBase           = 17 << 10
	templateBaseAlarmsOnly = 3 << 10
	templateKey            = 3 << 10
	templateOrganization   = 2 << 10
	templatePerEmail       = 320
	templatePerAlarm       = 640
	templatePerFilter      = 384
	// templateNotifications is the alarm-email wiring's part (measured: 7.9 to 9.0 KB; the
	// environment label it carries is at most 32 characters).
	templateNotifications = 12 << 10
	// templateAthena is stacks.NewAthena's fixed part (measured: 12.3 KB; the table is 5 KB of
	// it); an organization trail's table adds the account projection, and each query a line.
	templateAthena               = 14 << 10
	templateAthenaOrganization   = 512
	templatePerQuery             = 640
	templatePerQueryOrganization = 96
)

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// jsonLen is the length of s as a JSON string.
func jsonLen(s string) int {
	b, _ := json.Marshal(s)
	return len(b)
}
