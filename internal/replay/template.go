package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/trailwatch/trailwatch/internal/cfn"
	"github.com/trailwatch/trailwatch/internal/cloudtrail"
)

// ErrTemplate marks a template replay cannot read.
var ErrTemplate = errors.New("template")

// MaxTemplateBytes bounds a template file: CloudFormation takes template bodies of at most 1 MB
// (from S3; 51,200 bytes inline), so a bigger file is not a deployable template, and reading it
// whole (say /dev/zero) would have no end.
const MaxTemplateBytes = 1 << 20

// ReadTemplate reads the template file at path, at most MaxTemplateBytes, and returns its rules
// (FromTemplate).
func ReadTemplate(path string) ([]Rule, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := io.ReadAll(io.LimitReader(f, MaxTemplateBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc) > MaxTemplateBytes {
		return nil, fmt.Errorf("%s: %w: larger than %d bytes (1 MiB; CloudFormation's largest template body is 1 MB)", path, ErrTemplate, MaxTemplateBytes)
	}
	rules, err := FromTemplate(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rules, nil
}

// FromTemplate reads the metric filters (AWS::Logs::MetricFilter) of a synthesized CloudFormation
// template and joins each with the alarms (AWS::CloudWatch::Alarm) on its metric, so replay runs
// exactly what `cdk deploy` would create, custom alarms included. A filter no alarm watches becomes
// a rule without an alarm (matches only). Alarms on other metrics are left out. Resources keep
// the template's order. Every problem is collected and returned at once.
func FromTemplate(doc []byte) ([]Rule, error) {
	var top struct {
		Resources json.RawMessage
	}
	if err := json.Unmarshal(doc, &top); err != nil {
		return nil, fmt.Errorf("%w: not JSON: %v", ErrTemplate, err)
	}
	if len(top.Resources) == 0 {
		return nil, fmt.Errorf("%w: no Resources", ErrTemplate)
	}
	type resource struct {
		id    string
		props map[string]json.RawMessage
	}
	var filters, alarms []resource
	var errs []error
	err := cloudtrail.ObjectFields(top.Resources, func(f cloudtrail.Field) bool {
		// The logical ID, unescaped. The document passed json.Unmarshal, so the key is a valid string.
		id, _ := cloudtrail.StringValue([]byte(`"` + string(f.Key) + `"`))
		var r struct {
			Type       string
			Properties map[string]json.RawMessage
		}
		if err := json.Unmarshal(f.Value, &r); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", id, err))
			return true
		}
		switch r.Type {
		case "AWS::Logs::MetricFilter":
			filters = append(filters, resource{id, r.Properties})
		case "AWS::CloudWatch::Alarm":
			alarms = append(alarms, resource{id, r.Properties})
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("%w: Resources is not an object", ErrTemplate)
	}

	// A metric is identified by namespace and name. Either may be an intrinsic (a Ref to a
	// parameter, say); then its canonical JSON stands for it, which still joins a filter and an
	// alarm that use the same expression.
	// A metric is its namespace, name and dimension names: a filter that publishes with dimensions
	// makes other metrics than one without, even under the same name, and an alarm on the
	// dimensionless metric never sees them (trailwatch's per-account drill-down filters are such).
	type metric struct{ ns, name, dims string }
	type filterOf struct {
		f      Filter
		metric metric
	}
	var fs []filterOf
	for _, r := range filters {
		f, m, dims, err := readFilter(r.id, r.props)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fs = append(fs, filterOf{f, metric{m[0], m[1], dims}})
	}
	// isFilterMetric: does a dimensionless filter publish this metric?
	isFilterMetric := func(k [2]string) bool {
		for _, f := range fs {
			if f.metric == (metric{k[0], k[1], ""}) {
				return true
			}
		}
		return false
	}
	// hasDimensionedFilter: does a filter publish this metric name with dimensions?
	hasDimensionedFilter := func(k [2]string) bool {
		for _, f := range fs {
			if f.metric.ns == k[0] && f.metric.name == k[1] && f.metric.dims != "" {
				return true
			}
		}
		return false
	}
	watched := map[metric]bool{}
	var rules []Rule
	for _, r := range alarms {
		m, a, err := readAlarm(r.id, r.props, isFilterMetric, hasDimensionedFilter)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if a == nil {
			continue // an alarm on some other metric
		}
		key := metric{m[0], m[1], ""}
		var feeding []Filter
		for _, f := range fs {
			if f.metric == key {
				feeding = append(feeding, f.f)
			}
		}
		watched[key] = true
		rules = append(rules, Rule{ID: r.id, Namespace: m[0], MetricName: m[1], Filters: feeding, Alarm: a})
	}
	done := map[metric]bool{}
	for _, f := range fs {
		if watched[f.metric] || done[f.metric] {
			continue
		}
		done[f.metric] = true
		var feeding []Filter
		for _, g := range fs {
			if g.metric == f.metric {
				feeding = append(feeding, g.f)
			}
		}
		name := f.metric.name
		if f.metric.dims != "" {
			name += " by " + f.metric.dims // counted over every dimension value together
		}
		rules = append(rules, Rule{ID: f.f.Name, Namespace: f.metric.ns, MetricName: name, Filters: feeding})
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrTemplate, errors.Join(errs...))
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("%w: no AWS::Logs::MetricFilter resources", ErrTemplate)
	}
	return rules, nil
}

func readFilter(id string, p map[string]json.RawMessage) (f Filter, key [2]string, dims string, err error) {
	f.Name = id
	pattern, _, ok := cfn.Pattern(p["FilterPattern"])
	if !ok {
		return f, key, "", fmt.Errorf("%s: %w FilterPattern %s: replay needs the pattern text, not a CloudFormation expression", id, ErrUnsupported, excerpt(p["FilterPattern"]))
	}
	f.Pattern = pattern
	var mts []map[string]json.RawMessage
	if err := json.Unmarshal(p["MetricTransformations"], &mts); err != nil || len(mts) != 1 {
		return f, key, "", fmt.Errorf("%s: MetricTransformations must hold exactly one transformation", id)
	}
	mt := mts[0]
	key = [2]string{metricPart(mt["MetricNamespace"]), metricPart(mt["MetricName"])}
	if d, ok := mt["Dimensions"]; ok { // [] and null hold no names: dimensionless
		var list []struct{ Key string }
		if err := json.Unmarshal(d, &list); err != nil {
			return f, key, "", fmt.Errorf("%s: Dimensions: %v", id, err)
		}
		var names []string
		for _, k := range list {
			names = append(names, k.Key)
		}
		sort.Strings(names)
		dims = strings.Join(names, ",")
	}
	v, ok := staticNumber(mt["MetricValue"])
	if !ok {
		return f, key, "", fmt.Errorf("%s: %w MetricValue %s: replay supports a number (a value taken from the record, like $.bytes, is not supported)", id, ErrUnsupported, excerpt(mt["MetricValue"]))
	}
	f.Value = v
	if raw, ok := mt["DefaultValue"]; ok && string(raw) != "null" {
		d, ok := staticNumber(raw)
		if !ok {
			return f, key, "", fmt.Errorf("%s: DefaultValue %s is not a number", id, excerpt(raw))
		}
		f.Default = &d
	}
	return f, key, dims, nil
}

// readAlarm reads an alarm on a metric filter's metric; a is nil for an alarm on any other metric,
// which is not replay's business (its settings are then not checked either).
func readAlarm(id string, p map[string]json.RawMessage, isFilterMetric, hasDimensionedFilter func([2]string) bool) (key [2]string, a *Alarm, err error) {
	a = &Alarm{Name: id}
	if name, isStatic := cfn.StaticString(p["AlarmName"]); isStatic && name != "" {
		a.Name = name // else: no name, or an intrinsic like Fn::Join: the logical ID says which
	}
	stat, period := p["Statistic"], p["Period"]
	dims := p["Dimensions"]
	switch {
	case p["MetricName"] != nil:
		key = [2]string{metricPart(p["Namespace"]), metricPart(p["MetricName"])}
	case p["Metrics"] != nil:
		var ms []struct {
			Expression json.RawMessage
			MetricStat *struct {
				Metric map[string]json.RawMessage
				Period json.RawMessage
				Stat   json.RawMessage
			}
		}
		if err := json.Unmarshal(p["Metrics"], &ms); err != nil {
			return key, nil, fmt.Errorf("%s: Metrics: %v", id, err)
		}
		if len(ms) != 1 || ms[0].MetricStat == nil {
			// Metric math may use a filter's metric, but replay cannot evaluate expressions.
			for _, m := range ms {
				if m.MetricStat == nil {
					continue
				}
				if isFilterMetric([2]string{metricPart(m.MetricStat.Metric["Namespace"]), metricPart(m.MetricStat.Metric["MetricName"])}) {
					return key, nil, fmt.Errorf("%s: %w metric math alarm (Metrics with %d entries); replay evaluates single-metric alarms", id, ErrUnsupported, len(ms))
				}
			}
			return key, nil, nil
		}
		ms0 := ms[0].MetricStat
		key = [2]string{metricPart(ms0.Metric["Namespace"]), metricPart(ms0.Metric["MetricName"])}
		dims, stat, period = ms0.Metric["Dimensions"], ms0.Stat, ms0.Period
	default:
		return key, nil, nil
	}
	if dims != nil && !isEmptyArray(dims) {
		if hasDimensionedFilter(key) {
			return key, nil, fmt.Errorf("%s: %w alarm on one dimension value of a filter's metric; replay evaluates alarms on a filter's dimensionless total", id, ErrUnsupported)
		}
		return key, nil, nil // an alarm on some other metric
	}
	if !isFilterMetric(key) {
		return key, nil, nil
	}
	var errs []error
	if p["ExtendedStatistic"] != nil {
		errs = append(errs, fmt.Errorf("%w ExtendedStatistic (percentiles need the raw values)", ErrUnsupported))
	}
	if p["ThresholdMetricId"] != nil {
		errs = append(errs, fmt.Errorf("%w ThresholdMetricId (anomaly detection)", ErrUnsupported))
	}
	s, _ := cfn.StaticString(stat)
	a.Statistic = Statistic(s)
	c, _ := cfn.StaticString(p["ComparisonOperator"])
	a.Comparison = Comparison(c)
	// num reads a required number; on an error its value is not used (no alarm is returned).
	num := func(name string, raw json.RawMessage) float64 {
		if raw == nil {
			errs = append(errs, fmt.Errorf("no %s", name))
			return 0
		}
		v, ok := staticNumber(raw)
		if !ok {
			errs = append(errs, fmt.Errorf("%s %s is not a number", name, excerpt(raw)))
		}
		return v
	}
	// whole reads a count: converting 1e300 or 1.5 to an int would be undefined or silently wrong.
	whole := func(name string, raw json.RawMessage) int64 {
		v := num(name, raw)
		if v != math.Trunc(v) || v < 0 || v > 1<<31 {
			errs = append(errs, fmt.Errorf("%s %s is not a whole number from 0 to 2147483648", name, excerpt(raw)))
			return 0
		}
		return int64(v)
	}
	a.Threshold = num("Threshold", p["Threshold"])
	a.Period = whole("Period", period)
	a.EvaluationPeriods = int(whole("EvaluationPeriods", p["EvaluationPeriods"]))
	a.DatapointsToAlarm = a.EvaluationPeriods // CloudWatch's default
	if raw := p["DatapointsToAlarm"]; raw != nil {
		a.DatapointsToAlarm = int(whole("DatapointsToAlarm", raw))
	}
	a.TreatMissingData = MissingMissing // CloudWatch's default when the property is absent
	if p["TreatMissingData"] != nil {
		m, _ := cfn.StaticString(p["TreatMissingData"])
		a.TreatMissingData = Missing(m)
	}
	if len(errs) > 0 {
		return key, nil, fmt.Errorf("%s: %w", id, errors.Join(errs...))
	}
	return key, a, nil
}

// metricPart returns a metric name or namespace as a join key, which reports show too: the text,
// or an intrinsic's compact JSON.
func metricPart(raw json.RawMessage) string {
	if s, ok := cfn.StaticString(raw); ok {
		return s
	}
	return compact(raw)
}

// staticNumber reads a number written as a JSON number or a numeric string (CloudFormation
// accepts both; the CDK writes numbers, MetricValue is always a string).
func staticNumber(raw json.RawMessage) (float64, bool) {
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return f, true
	}
	if s, ok := cfn.StaticString(raw); ok {
		// ParseFloat also reads "NaN", "Inf" and overflows to ±Inf: not numbers CloudFormation takes.
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && finite(f) {
			return f, true
		}
	}
	return 0, false
}

func isEmptyArray(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "[]" || string(bytes.TrimSpace(raw)) == "null"
}

// excerpt is compact for messages: a value echoed in an error is cut at 120 bytes, so a hostile
// template cannot make a message as large as itself.
func excerpt(raw json.RawMessage) string {
	c := compact(raw)
	if len(c) > 120 {
		c = strings.ToValidUTF8(c[:120], "") + "…"
	}
	return c
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}
