package catalog

// How CloudWatch evaluates every row's alarm. These are the only copy: the construct
// (constructs/trailalarms) deploys them and replay (internal/replay) replays them, so what replay
// reports is what the stack alarms on. The values are CloudFormation's spellings
// (AWS::CloudWatch::Alarm, AWS::Logs::MetricFilter).
const (
	// Statistic of the metric over one period: the number of matching events.
	Statistic = "Sum"
	// ComparisonOperator compares the statistic with the row's threshold.
	ComparisonOperator = "GreaterThanOrEqualToThreshold"
	// EvaluationPeriods is how many periods the alarm looks at: one, as in AWS's template.
	EvaluationPeriods = 1
	// DatapointsToAlarm is how many of those must breach. It equals EvaluationPeriods, which is
	// CloudWatch's default when the property is absent, so the template leaves it out.
	DatapointsToAlarm = EvaluationPeriods
	// TreatMissingData: a quiet account is the normal case, so missing data means no matching
	// event, hence OK, not INSUFFICIENT_DATA (the choice every major peer makes; AWS's template
	// sets none).
	TreatMissingData = "notBreaching"
	// MetricValue is what each matching event adds to the metric.
	MetricValue = "1"
	// DefaultNamespace is the namespace of rows that name none: AWS's template's.
	DefaultNamespace = AWSNamespace
)

// Evaluation is everything CloudWatch needs besides the pattern to turn a row into alarm states.
type Evaluation struct {
	Namespace          string
	MetricName         string
	MetricValue        string
	Statistic          string
	PeriodSeconds      int
	ComparisonOperator string
	Threshold          float64
	EvaluationPeriods  int
	DatapointsToAlarm  int
	TreatMissingData   string
}

// Evaluation returns how the row's alarm is evaluated. defaultNamespace and defaultPeriod apply
// when the row sets no namespace or period of its own; "" and 0 mean DefaultNamespace and
// DefaultPeriodSeconds.
func (a Alarm) Evaluation(defaultNamespace string, defaultPeriod int) Evaluation {
	if defaultNamespace == "" {
		defaultNamespace = DefaultNamespace
	}
	period := a.PeriodSeconds
	if period == 0 {
		period = defaultPeriod
	}
	if period == 0 {
		period = DefaultPeriodSeconds
	}
	return Evaluation{
		Namespace:          a.EffectiveNamespace(defaultNamespace),
		MetricName:         a.MetricName,
		MetricValue:        MetricValue,
		Statistic:          Statistic,
		PeriodSeconds:      period,
		ComparisonOperator: ComparisonOperator,
		Threshold:          a.Threshold,
		EvaluationPeriods:  EvaluationPeriods,
		DatapointsToAlarm:  DatapointsToAlarm,
		TreatMissingData:   TreatMissingData,
	}
}
