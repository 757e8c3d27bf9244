// Package catalog holds the alarms trailwatch deploys, as plain data.
//
// A row is one CloudWatch Logs metric filter plus the alarm on its metric. The same rows drive the
// CDK construct (constructs/trailalarms), the filter-pattern engine's tests and the trailwatch CLI,
// so this package imports nothing from the CDK: the CLI never links jsii.
package catalog

// Text is a human-readable string in every language trailwatch ships.
type Text struct {
	EN string
	JA string
}

// In returns the text in lang ("en" or "ja"); any other value, or a missing translation, gives English.
func (t Text) In(lang string) string {
	if lang == "ja" && t.JA != "" {
		return t.JA
	}
	return t.EN
}

// Alarm is one metric filter and the alarm on its metric.
type Alarm struct {
	// ID names the row: the construct ID of its filter and alarm, and the name the CLI prints.
	// It never changes once released; renaming it replaces the deployed resources.
	ID string
	// MetricName is the CloudWatch metric the filter emits (value 1 per matching event).
	MetricName string
	// AlarmName is the alarm's physical name before any prefix; people read it in email subjects.
	AlarmName string
	// Pattern is the CloudWatch Logs filter pattern, byte for byte as deployed.
	Pattern string
	// Threshold is the number of matching events in one period that puts the alarm in ALARM.
	Threshold float64
	// Description is the alarm description.
	Description Text
	// Fires holds CloudTrail records (JSON) that must match Pattern.
	Fires []string
	// Quiet holds near-miss CloudTrail records (JSON) that must not match Pattern.
	Quiet []string
}

// Find returns the row of alarms whose ID is id.
func Find(alarms []Alarm, id string) (Alarm, bool) {
	for _, a := range alarms {
		if a.ID == id {
			return a, true
		}
	}
	return Alarm{}, false
}
