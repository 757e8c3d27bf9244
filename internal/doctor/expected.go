package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/trailwatch/trailwatch/internal/cfn"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Expected is what a deployed trailwatch stack should have, read from its synthesized template.
// Physical names the template leaves to CloudFormation (the topic, the bucket) are looked up in
// the deployed stack's outputs.
type Expected struct {
	// StackName is the CloudFormation stack the template deploys as (the first segment of the
	// resources' aws:cdk:path metadata).
	StackName string `json:"stackName"`
	// AlarmsOnly is true when the stack watches an existing log group and creates no trail.
	AlarmsOnly bool `json:"alarmsOnly"`
	// Trail is empty in alarms-only mode.
	Trail TrailSpec `json:"trail"`
	// LogGroupName is the group the metric filters read: CloudTrail/NAME, or the existing group.
	LogGroupName string `json:"logGroupName"`
	// KMSAlias is the key's alias, e.g. alias/trailwatch/trailwatch; empty when the stack makes no
	// alias (encryption none, or alarms-only).
	KMSAlias string `json:"kmsAlias,omitempty"`
	// HasKey is true when the stack creates a KMS key.
	HasKey bool `json:"hasKey"`
	// Filters are every metric filter, in template order of logical ID.
	Filters []Filter `json:"filters"`
	// Alarms are every alarm, in template order of logical ID.
	Alarms []Alarm `json:"alarms"`
	// Emails subscribed to EmailTopicID.
	Emails []string `json:"emails"`
	// TopicID, BucketID and KeyID are the logical IDs of the alarm topic, the trail bucket and the
	// key; doctor finds their physical names among the deployed stack's resources.
	TopicID string `json:"topicLogicalId,omitempty"`
	// EmailTopicID is the topic the addresses subscribe to: the email topic of the alarm-email
	// function (notifications=enriched), or the alarm topic itself (plain).
	EmailTopicID string `json:"emailTopicLogicalId,omitempty"`
	BucketID     string `json:"bucketLogicalId,omitempty"`
	// AccessLogsBucketID is the logical ID of the trail bucket's access-log bucket.
	AccessLogsBucketID string `json:"accessLogsBucketLogicalId,omitempty"`
	KeyID              string `json:"keyLogicalId,omitempty"`
	// Resources counts the template's resources (CloudFormation allows 500 a stack).
	Resources int `json:"resources"`
	// StackSet is set when the template deploys a StackSet (a StackSet target of a targets file):
	// then only --preflight applies, and the rest of Expected is empty.
	StackSet *StackSetSpec `json:"stackSet,omitempty"`
	// BucketPublicAccessBlock is true when the trail bucket's template blocks all public access.
	BucketPublicAccessBlock bool `json:"bucketPublicAccessBlock"`
}

// StackSetSpec is the StackSet a StackSet target's template deploys (AWS::CloudFormation::StackSet).
type StackSetSpec struct {
	LogicalID       string `json:"logicalId"`
	Name            string `json:"name,omitempty"`
	PermissionModel string `json:"permissionModel"`
	// CallAs is SELF (from the management account) or DELEGATED_ADMIN.
	CallAs string `json:"callAs"`
	// MemberResources counts the resources of the member template (its inline TemplateBody); -1
	// when the template is not inline.
	MemberResources int `json:"memberResources"`
}

// ErrStackSet is wrapped by the error doctor gives when a StackSet template is checked in a mode
// other than --preflight.
var ErrStackSet = errors.New("is a StackSet template; run doctor in each member account against the member stack's template (--preflight checks the StackSet's own needs)")

// stackSetOnlyPreflight is the error for a StackSet template checked in another mode than --preflight.
func (e *Expected) stackSetOnlyPreflight(path string, preflight bool) error {
	if e.StackSet == nil || preflight {
		return nil
	}
	return fmt.Errorf("%s: %w: %s %w", path, ErrTemplate, e.StackSet.LogicalID, ErrStackSet)
}

// TrailSpec is the trail the stack creates.
type TrailSpec struct {
	Name           string `json:"name,omitempty"`
	MultiRegion    bool   `json:"multiRegion"`
	Organization   bool   `json:"organization"`
	FileValidation bool   `json:"fileValidation"`
}

// Filter is one metric filter as the template declares it.
type Filter struct {
	LogicalID string `json:"logicalId"`
	RowID     string `json:"rowId"`
	// Kind is the construct ID under the row: Filter, DimensionFilter, or another filter the row
	// adds on its metric (BenchmarkFilter).
	Kind string `json:"kind"`
	// Pattern is the filter pattern as the template gives it; a name known only at deploy time
	// (a generated bucket name, the topic's ARN) stands in it as ${LogicalId}, and Refs lists
	// those names: doctor puts in the deployed values before it compares (cfn.Resolve).
	Pattern    string            `json:"pattern"`
	Refs       []string          `json:"refs,omitempty"`
	MetricName string            `json:"metricName"`
	Namespace  string            `json:"namespace"`
	Value      string            `json:"value"`
	Dimensions map[string]string `json:"dimensions,omitempty"`
}

// Alarm is one CloudWatch alarm as the template declares it.
type Alarm struct {
	LogicalID  string `json:"logicalId"`
	RowID      string `json:"rowId"`
	Name       string `json:"name"`
	MetricName string `json:"metricName"`
	Namespace  string `json:"namespace"`
	// NotifiesTopic is true when the alarm's actions are a topic of the stack, TopicID.
	NotifiesTopic bool   `json:"notifiesTopic"`
	TopicID       string `json:"topicLogicalId,omitempty"`
}

// ErrTemplate is wrapped by every error about the template doctor reads.
var ErrTemplate = errors.New("template")

type cfnTemplate struct {
	Resources map[string]cfnResource `json:"Resources"`
	Outputs   map[string]struct {
		Value any `json:"Value"`
	} `json:"Outputs"`
}

type cfnResource struct {
	Type       string          `json:"Type"`
	Properties json.RawMessage `json:"Properties"`
	Metadata   struct {
		Path string `json:"aws:cdk:path"`
	} `json:"Metadata"`
}

// ReadTemplate reads a synthesized trailwatch template (cdk.out/NAME.template.json) into Expected.
func ReadTemplate(data []byte) (*Expected, error) {
	var t cfnTemplate
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%w: not a CloudFormation template: %v", ErrTemplate, err)
	}
	if len(t.Resources) == 0 {
		return nil, fmt.Errorf("%w: no Resources", ErrTemplate)
	}
	ids := slices.Sorted(maps.Keys(t.Resources))

	e := &Expected{AlarmsOnly: true, Resources: len(t.Resources)}
	var problems []error
	for _, id := range ids {
		r := t.Resources[id]
		if e.StackName == "" && r.Metadata.Path != "" {
			e.StackName, _, _ = strings.Cut(r.Metadata.Path, "/")
		}
		var err error
		switch r.Type {
		case "AWS::CloudFormation::StackSet":
			return readStackSet(id, r, len(t.Resources))
		case "AWS::CloudTrail::Trail":
			err = e.readTrail(r.Properties)
		case "AWS::Logs::LogGroup":
			if alarmEmailPart(r.Metadata.Path) {
				break // the alarm-email function's own logs, not the trail's
			}
			var p struct{ LogGroupName any }
			if err = json.Unmarshal(r.Properties, &p); err == nil {
				e.LogGroupName, _ = p.LogGroupName.(string)
			}
		case "AWS::KMS::Key":
			e.HasKey, e.KeyID = true, id
		case "AWS::SNS::Topic":
			if !alarmEmailPart(r.Metadata.Path) {
				e.TopicID = id
			}
		case "AWS::KMS::Alias":
			var p struct{ AliasName any }
			if err = json.Unmarshal(r.Properties, &p); err == nil {
				e.KMSAlias, _ = p.AliasName.(string)
			}
		case "AWS::Logs::MetricFilter":
			err = e.readFilter(id, r)
		case "AWS::CloudWatch::Alarm":
			err = e.readAlarm(id, r)
		case "AWS::SNS::Subscription":
			var p struct {
				Protocol, Endpoint any
				TopicArn           struct{ Ref string }
			}
			if err = json.Unmarshal(r.Properties, &p); err == nil && p.Protocol == "email" {
				if addr, ok := p.Endpoint.(string); ok {
					e.Emails = append(e.Emails, addr)
					e.EmailTopicID = p.TopicArn.Ref
				}
			}
		case "AWS::S3::Bucket":
			if strings.HasSuffix(r.Metadata.Path, "/AccessLogsBucket/Resource") {
				e.AccessLogsBucketID = id
			}
			if strings.HasSuffix(r.Metadata.Path, "/TrailBucket/Resource") {
				e.BucketID = id
				var p struct {
					PublicAccessBlockConfiguration map[string]bool
				}
				if err = json.Unmarshal(r.Properties, &p); err == nil {
					b := p.PublicAccessBlockConfiguration
					e.BucketPublicAccessBlock = b["BlockPublicAcls"] && b["BlockPublicPolicy"] && b["IgnorePublicAcls"] && b["RestrictPublicBuckets"]
				}
			}
		}
		if err != nil {
			problems = append(problems, fmt.Errorf("%w: resource %s: %v", ErrTemplate, id, err))
		}
	}
	if e.EmailTopicID == "" {
		e.EmailTopicID = e.TopicID
	}
	if e.AlarmsOnly && e.LogGroupName == "" {
		if o, ok := t.Outputs["WatchedLogGroupName"]; ok {
			e.LogGroupName, _ = o.Value.(string)
		}
	}
	if e.LogGroupName == "" {
		problems = append(problems, fmt.Errorf("%w: no literal log group name (neither an AWS::Logs::LogGroup with LogGroupName nor a WatchedLogGroupName output)", ErrTemplate))
	}
	if e.StackName == "" {
		problems = append(problems, fmt.Errorf("%w: no aws:cdk:path metadata to name the stack; pass --stack", ErrTemplate))
	}
	if len(e.Filters) == 0 {
		problems = append(problems, fmt.Errorf("%w: no AWS::Logs::MetricFilter", ErrTemplate))
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	return e, nil
}

// readStackSet reads the template of a StackSet target: the StackSet and its member template.
func readStackSet(id string, r cfnResource, resources int) (*Expected, error) {
	var p struct {
		StackSetName    any
		PermissionModel string
		CallAs          string
		TemplateBody    any
	}
	if err := json.Unmarshal(r.Properties, &p); err != nil {
		return nil, fmt.Errorf("%w: resource %s: %v", ErrTemplate, id, err)
	}
	ss := &StackSetSpec{LogicalID: id, PermissionModel: p.PermissionModel, CallAs: p.CallAs, MemberResources: -1}
	ss.Name, _ = p.StackSetName.(string)
	if ss.CallAs == "" {
		ss.CallAs = "SELF" // AWS::CloudFormation::StackSet CallAs: "By default, SELF is specified."
	}
	if body, ok := p.TemplateBody.(string); ok {
		var member cfnTemplate
		if err := json.Unmarshal([]byte(body), &member); err != nil {
			return nil, fmt.Errorf("%w: resource %s: TemplateBody is not a CloudFormation template: %v", ErrTemplate, id, err)
		}
		ss.MemberResources = len(member.Resources)
	}
	stack, _, _ := strings.Cut(r.Metadata.Path, "/")
	return &Expected{StackName: stack, StackSet: ss, Resources: resources}, nil
}

func (e *Expected) readTrail(raw json.RawMessage) error {
	var p struct {
		TrailName               any
		IsMultiRegionTrail      bool
		IsOrganizationTrail     bool
		EnableLogFileValidation bool
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	name, ok := p.TrailName.(string)
	if !ok || name == "" {
		return errors.New("TrailName is not a literal string")
	}
	e.AlarmsOnly = false
	e.Trail = TrailSpec{Name: name, MultiRegion: p.IsMultiRegionTrail, Organization: p.IsOrganizationTrail, FileValidation: p.EnableLogFileValidation}
	return nil
}

// alarmEmailPart reports whether a construct path is under the alarm-email function's scope
// (stacks.Notifications: its email topic, log group, queue and failure alarms).
func alarmEmailPart(path string) bool {
	return strings.Contains(path, "/Notifications/")
}

// rowID is the catalog row ID and the construct under it in a construct path such as
// Trailwatch/Alarms/CloudTrailChanges/Filter/Resource. The first segment is the stack, whatever
// its name.
func rowID(path string) (row, kind string) {
	_, below, _ := strings.Cut(path, "/")
	parts := strings.Split(below, "/")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == "Alarms" {
			if i+2 < len(parts) {
				kind = parts[i+2]
			}
			return parts[i+1], kind
		}
	}
	return "", ""
}

func (e *Expected) readFilter(id string, r cfnResource) error {
	var p struct {
		FilterPattern         json.RawMessage
		LogGroupName          any
		MetricTransformations []struct {
			MetricName      string
			MetricNamespace string
			MetricValue     string
			Dimensions      []struct{ Key, Value string }
		}
	}
	if err := json.Unmarshal(r.Properties, &p); err != nil {
		return err
	}
	if len(p.MetricTransformations) != 1 {
		return fmt.Errorf("%d metric transformations; trailwatch writes one", len(p.MetricTransformations))
	}
	if lg, ok := p.LogGroupName.(string); ok && e.LogGroupName == "" {
		e.LogGroupName = lg
	}
	mt := p.MetricTransformations[0]
	row, kind := rowID(r.Metadata.Path)
	pattern, refs, ok := cfn.Pattern(p.FilterPattern)
	if !ok {
		return fmt.Errorf("FilterPattern is neither a string nor an Fn::Join of strings and Ref/Fn::GetAtt: %s", p.FilterPattern)
	}
	f := Filter{LogicalID: id, RowID: row, Kind: kind, Pattern: pattern, Refs: refs, MetricName: mt.MetricName, Namespace: mt.MetricNamespace, Value: mt.MetricValue}
	for _, d := range mt.Dimensions {
		if f.Dimensions == nil {
			f.Dimensions = map[string]string{}
		}
		f.Dimensions[d.Key] = d.Value
	}
	e.Filters = append(e.Filters, f)
	return nil
}

func (e *Expected) readAlarm(id string, r cfnResource) error {
	var p struct {
		AlarmName    any
		MetricName   string
		Namespace    string
		AlarmActions []map[string]any
	}
	if err := json.Unmarshal(r.Properties, &p); err != nil {
		return err
	}
	name, ok := p.AlarmName.(string)
	if !ok || name == "" {
		return errors.New("AlarmName is not a literal string")
	}
	row, _ := rowID(r.Metadata.Path)
	a := Alarm{LogicalID: id, RowID: row, Name: name, MetricName: p.MetricName, Namespace: p.Namespace}
	for _, act := range p.AlarmActions {
		if ref, ok := act["Ref"].(string); ok {
			a.NotifiesTopic, a.TopicID = true, ref
		}
	}
	e.Alarms = append(e.Alarms, a)
	return nil
}

// LoadTemplate reads the template at path; an empty path means the newest *.template.json in
// cdk.out (under dir).
func LoadTemplate(dir, path string) (*Expected, string, error) {
	if path == "" {
		matches, _ := filepath.Glob(filepath.Join(dir, "cdk.out", "*.template.json"))
		var newest string
		var newestMod int64
		for _, m := range matches {
			st, err := os.Stat(m)
			if err != nil {
				continue
			}
			if t := st.ModTime().UnixNano(); newest == "" || t > newestMod {
				newest, newestMod = m, t
			}
		}
		if newest == "" {
			return nil, "", fmt.Errorf("%w: no cdk.out/*.template.json; run cdk synth first or pass --template", ErrTemplate)
		}
		path = newest
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, path, fmt.Errorf("%w: %v", ErrTemplate, err)
	}
	e, err := ReadTemplate(data)
	if err != nil {
		return nil, path, fmt.Errorf("%s: %w", path, err)
	}
	return e, path, nil
}
