package doctor

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/cfn"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

const (
	testAccount = "123456789012"
	testRegion  = "us-east-1"
)

// world is the state of a fake account; the fake's handlers answer from it, so a test changes
// one field to break one thing.
type world struct {
	now      time.Time
	stack    map[string]string // logical ID -> physical ID; nil: stack not deployed
	trails   []trailState
	groups   map[string]groupState
	filters  []filterState
	alarms   map[string]*alarmState
	subs     []subState
	subTopic string               // the topic subs are on
	keys     map[string]*keyState // by key ID
	aliases  map[string]string    // alias -> key ID
	pab      map[string][4]bool   // bucket -> public access block
	policies map[string]string    // bucket -> policy
	ssm      map[string]string
	// resourceStatus overrides CREATE_COMPLETE for a logical ID (ListStackResources).
	resourceStatus map[string]string
	// roles are the role ARNs the caller may assume, with their account.
	roles map[string]string
	// inflight and maxInflight count concurrent GetCallerIdentity calls.
	inflight, maxInflight atomic.Int32
	// cfnStacks are other stacks by name, with their status (DescribeStacks).
	cfnStacks map[string]string
	// awsFlips are records on which the fake TestMetricFilter answers the opposite of the engine,
	// standing in for a real difference between AWS and trailwatch's engine.
	awsFlips map[string]bool
	// tmfBatches records the size of each TestMetricFilter request.
	tmfBatches []int
	// tmfSent is every message TestMetricFilter was sent.
	tmfSent []string
	// org is the AWS Organizations organization the caller (testAccount) is in; nil: none.
	org *orgState
	// partition is the caller's ARN partition (GetCallerIdentity); "": aws.
	partition string
}

// orgState is an organization as AWS Organizations describes it.
type orgState struct {
	id, management, featureSet string
	// delegated are the delegated administrators for StackSets; trusted the service principals
	// with trusted access.
	delegated, trusted []string
	// otherService: the caller is a delegated administrator of another service, so it may list
	// the delegated administrators without being one for StackSets.
	otherService bool
}

// orgPage answers one page of a list of at most one item, as Organizations pages with NextToken.
func orgPage(in map[string]any, items []any) ([]any, any) {
	i := 0
	if tok, ok := in["NextToken"].(string); ok {
		fmt.Sscanf(tok, "page-%d", &i)
	}
	if i >= len(items) {
		return []any{}, nil
	}
	if i+1 < len(items) {
		return items[i : i+1], fmt.Sprintf("page-%d", i+1)
	}
	return items[i : i+1], nil
}

type trailState struct {
	name, home, bucket, logGroupArn string
	multiRegion, org, validation    bool
	logging                         bool
	s3Err, logsErr                  string
	s3Time, logsTime                time.Time
}

type groupState struct {
	lastIngestion time.Time
	noStreams     bool
}

type filterState struct {
	name, group, pattern, metric, namespace, value string
	dims                                           map[string]string
}

type alarmState struct {
	actionsEnabled bool
	state          string
	actions        []string
}

type subState struct{ endpoint, arn, proto string } // proto "": email, or sms for a +number

type keyState struct {
	enabled  bool
	state    string
	rotation bool
}

const (
	testTopic = "arn:aws:sns:us-east-1:123456789012:Trailwatch-AlarmsTopic3A2DFEBA-AbCdEf"
	// testEmailTopic is the alarm-email function's topic (notifications=enriched).
	testEmailTopic = "arn:aws:sns:us-east-1:123456789012:Trailwatch-NotificationsEmailTopicDB7922FA-AbCdEf"
	testBucket     = "trailwatch-trailbucketa831ce63-abcdef"
	testKeyID      = "1234abcd-12ab-34cd-56ef-1234567890ab"
)

// loadGolden reads a golden template of test/testdata.
func loadGolden(t *testing.T, name string) (*Expected, string) {
	t.Helper()
	path := filepath.Join("..", "..", "test", "testdata", name+".template.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ReadTemplate(data)
	if err != nil {
		t.Fatalf("ReadTemplate(%s): %v", name, err)
	}
	return e, path
}

// healthyWorld is an account where the stack of exp is deployed and works.
func healthyWorld(exp *Expected, now time.Time) *world {
	w := &world{
		now:      now,
		stack:    map[string]string{},
		groups:   map[string]groupState{exp.LogGroupName: {lastIngestion: now.Add(-3 * time.Minute)}},
		alarms:   map[string]*alarmState{},
		keys:     map[string]*keyState{},
		aliases:  map[string]string{},
		pab:      map[string][4]bool{},
		policies: map[string]string{},
		ssm:      map[string]string{},
	}
	for i := range 7 { // more than one page of ListStackResources
		w.stack[fmt.Sprintf("Other%d", i)] = fmt.Sprintf("other-%d", i)
	}
	if exp.TopicID != "" {
		w.stack[exp.TopicID] = testTopic
	}
	w.subTopic = testTopic
	if exp.EmailTopicID != exp.TopicID {
		w.stack[exp.EmailTopicID] = testEmailTopic
		w.subTopic = testEmailTopic
	}
	if exp.HasKey {
		w.stack[exp.KeyID] = testKeyID
		w.keys[testKeyID] = &keyState{enabled: true, state: "Enabled", rotation: true}
		if exp.KMSAlias != "" {
			w.aliases[exp.KMSAlias] = testKeyID
		}
	}
	if !exp.AlarmsOnly {
		w.stack[exp.BucketID] = testBucket
		w.trails = append(w.trails, trailState{
			name: exp.Trail.Name, home: testRegion, bucket: testBucket,
			logGroupArn: fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:*", testRegion, testAccount, exp.LogGroupName),
			multiRegion: exp.Trail.MultiRegion, org: exp.Trail.Organization, validation: exp.Trail.FileValidation,
			logging: true, s3Time: now.Add(-4 * time.Minute), logsTime: now.Add(-2 * time.Minute),
		})
		w.pab[testBucket] = [4]bool{true, true, true, true}
		w.policies[testBucket] = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":["arn:aws:s3:::` + testBucket + `","arn:aws:s3:::` + testBucket + `/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::` + testBucket + `/AWSLogs/123456789012/*"}]}`
	}
	for i, f := range exp.Filters {
		// CloudFormation deploys a pattern with the physical names of the resources it names.
		for _, ref := range f.Refs {
			if _, ok := w.stack[ref]; !ok {
				w.stack[ref] = "physical-" + strings.ToLower(ref)
			}
		}
		pattern, missing := cfn.Resolve(f.Pattern, f.Refs, func(name string) (string, bool) {
			v, ok := w.stack[name]
			return v, ok
		})
		if len(missing) > 0 {
			panic(fmt.Sprintf("world: filter %s names %v", f.LogicalID, missing))
		}
		w.filters = append(w.filters, filterState{
			name: fmt.Sprintf("Trailwatch-%s-%d", f.LogicalID, i), group: exp.LogGroupName,
			pattern: pattern, metric: f.MetricName, namespace: f.Namespace, value: f.Value, dims: f.Dimensions,
		})
	}
	for _, a := range exp.Alarms {
		st := &alarmState{actionsEnabled: true, state: "OK"}
		if a.NotifiesTopic {
			st.actions = []string{w.stack[a.TopicID]}
		}
		w.alarms[a.Name] = st
	}
	for i, addr := range exp.Emails {
		w.subs = append(w.subs, subState{addr, fmt.Sprintf("%s:sub-%d", w.subTopic, i), ""})
	}
	// Another topic's subscriber and an SMS subscription on ours must not confuse doctor.
	w.subs = append(w.subs, subState{"+15555550100", w.subTopic + ":sms", ""})
	return w
}

// emptyWorld is a bootstrapped account where nothing of trailwatch exists yet.
func emptyWorld(now time.Time) *world {
	return &world{
		now: now, groups: map[string]groupState{}, alarms: map[string]*alarmState{}, keys: map[string]*keyState{},
		aliases: map[string]string{}, pab: map[string][4]bool{}, policies: map[string]string{},
		ssm:       map[string]string{"/cdk-bootstrap/hnb659fds/version": "30"},
		cfnStacks: map[string]string{"CDKToolkit": "UPDATE_COMPLETE"},
	}
}

// serve registers handlers that answer from w.
func (w *world) serve(f *fakeAWS) {
	f.handle("sts:GetCallerIdentity", func(in map[string]any) (any, error) {
		n := w.inflight.Add(1)
		defer w.inflight.Add(-1)
		for m := w.maxInflight.Load(); n > m && !w.maxInflight.CompareAndSwap(m, n); m = w.maxInflight.Load() {
		}
		time.Sleep(5 * time.Millisecond) // let concurrent targets overlap
		account := testAccount
		if akid, _ := in["_accessKey"].(string); strings.HasPrefix(akid, "ASIA") {
			account = akid[4:16] // AssumeRole below hands out ASIA + account
		}
		partition := w.partition
		if partition == "" {
			partition = "aws"
		}
		return queryXML(`<Arn>arn:` + partition + `:sts::` + account + `:assumed-role/Dev/me</Arn><UserId>AROAEXAMPLE:me</UserId><Account>` + account + `</Account>`), nil
	})
	f.handle("sts:AssumeRole", func(in map[string]any) (any, error) {
		arn, _ := in["RoleArn"].(string)
		account, ok := w.roles[arn]
		if !ok {
			return nil, &apiError{403, "AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/Dev/me is not authorized to perform: sts:AssumeRole on resource: " + arn}
		}
		if in["RoleSessionName"] != "trailwatch-doctor" {
			return nil, &apiError{400, "ValidationError", "unexpected RoleSessionName"}
		}
		return queryXML(fmt.Sprintf(`<Credentials><AccessKeyId>ASIA%sEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::%s:assumed-role/R/trailwatch-doctor</Arn><AssumedRoleId>AROA:trailwatch-doctor</AssumedRoleId></AssumedRoleUser>`,
			account, w.now.Add(time.Hour).UTC().Format(time.RFC3339), account)), nil
	})
	f.handle("cloudformation:ListStackResources", func(in map[string]any) (any, error) {
		if w.stack == nil {
			return nil, &apiError{400, "ValidationError", fmt.Sprintf("Stack with id %s does not exist", in["StackName"])}
		}
		items, next := page(sortedKeys(w.stack), in["NextToken"], 5)
		var b strings.Builder
		b.WriteString("<StackResourceSummaries>")
		for _, id := range items {
			status := "CREATE_COMPLETE"
			if st, ok := w.resourceStatus[id]; ok {
				status = st
			}
			fmt.Fprintf(&b, `<member><LogicalResourceId>%s</LogicalResourceId><PhysicalResourceId>%s</PhysicalResourceId><ResourceType>AWS::X::Y</ResourceType><ResourceStatus>%s</ResourceStatus><LastUpdatedTimestamp>2026-11-01T10:00:00.000Z</LastUpdatedTimestamp></member>`, id, xmlEscape(w.stack[id]), status)
		}
		b.WriteString("</StackResourceSummaries>")
		if next != "" {
			fmt.Fprintf(&b, "<NextToken>%s</NextToken>", next)
		}
		return queryXML(b.String()), nil
	})
	findTrail := func(name any) *trailState {
		for i := range w.trails {
			if w.trails[i].name == name {
				return &w.trails[i]
			}
		}
		return nil
	}
	trailNotFound := func(name any) error {
		return &apiError{400, "TrailNotFoundException", fmt.Sprintf("Unknown trail: arn:aws:cloudtrail:us-east-1:123456789012:trail/%s for the user: 123456789012", name)}
	}
	trailJSON := func(t *trailState) map[string]any {
		return map[string]any{
			"Name": t.name, "TrailARN": "arn:aws:cloudtrail:" + t.home + ":123456789012:trail/" + t.name, "HomeRegion": t.home,
			"S3BucketName": t.bucket, "IsMultiRegionTrail": t.multiRegion, "IsOrganizationTrail": t.org,
			"LogFileValidationEnabled": t.validation, "IncludeGlobalServiceEvents": true,
			"CloudWatchLogsLogGroupArn": t.logGroupArn, "HasCustomEventSelectors": false,
		}
	}
	f.handle("cloudtrail:GetTrail", func(in map[string]any) (any, error) {
		t := findTrail(in["Name"])
		if t == nil {
			return nil, trailNotFound(in["Name"])
		}
		return map[string]any{"Trail": trailJSON(t)}, nil
	})
	f.handle("cloudtrail:DescribeTrails", func(in map[string]any) (any, error) {
		var list []any
		for i := range w.trails {
			list = append(list, trailJSON(&w.trails[i]))
		}
		return map[string]any{"trailList": list}, nil
	})
	f.handle("cloudtrail:GetTrailStatus", func(in map[string]any) (any, error) {
		t := findTrail(in["Name"])
		if t == nil {
			return nil, trailNotFound(in["Name"])
		}
		out := map[string]any{"IsLogging": t.logging}
		if !t.s3Time.IsZero() {
			out["LatestDeliveryTime"] = t.s3Time
		}
		if !t.logsTime.IsZero() {
			out["LatestCloudWatchLogsDeliveryTime"] = t.logsTime
		}
		if t.s3Err != "" {
			out["LatestDeliveryError"] = t.s3Err
		}
		if t.logsErr != "" {
			out["LatestCloudWatchLogsDeliveryError"] = t.logsErr
		}
		return out, nil
	})
	f.handle("logs:DescribeLogGroups", func(in map[string]any) (any, error) {
		prefix, _ := in["logGroupNamePrefix"].(string)
		var names []string
		for _, n := range sortedKeys(w.groups) {
			if strings.HasPrefix(n, prefix) {
				names = append(names, n)
			}
		}
		items, next := page(names, in["nextToken"], 50)
		var groups []any
		for _, n := range items {
			groups = append(groups, map[string]any{"logGroupName": n, "arn": "arn:aws:logs:us-east-1:123456789012:log-group:" + n + ":*", "retentionInDays": 365.0})
		}
		out := map[string]any{"logGroups": groups}
		if next != "" {
			out["nextToken"] = next
		}
		return out, nil
	})
	f.handle("logs:DescribeLogStreams", func(in map[string]any) (any, error) {
		g, found := w.groups[in["logGroupName"].(string)]
		if !found {
			return nil, &apiError{400, "ResourceNotFoundException", "The specified log group does not exist."}
		}
		if in["orderBy"] != "LastEventTime" || in["descending"] != true {
			return nil, &apiError{400, "InvalidParameterException", "test expects orderBy LastEventTime, descending"}
		}
		// CloudWatch Logs API reference, DescribeLogStreams: limit is 1 to 50, default 50.
		limit := 50
		if l, ok := in["limit"].(float64); ok {
			limit = int(l)
		}
		if limit < 1 || limit > 50 {
			return nil, &apiError{400, "InvalidParameterException", "1 validation error detected: Value at 'limit' failed to satisfy constraint"}
		}
		if g.noStreams {
			return map[string]any{"logStreams": []any{}}, nil
		}
		// The trail's stream of this Region, and an hour older one of another Region's events.
		var streams []any
		for i, region := range []string{"us-east-1", "eu-west-1"} {
			last := g.lastIngestion.Add(-time.Duration(i) * time.Hour)
			streams = append(streams, map[string]any{
				"logStreamName": "123456789012_CloudTrail_" + region, "lastIngestionTime": float64(last.UnixMilli()),
				"lastEventTimestamp": float64(last.Add(-time.Minute).UnixMilli()),
			})
		}
		return map[string]any{"logStreams": streams[:min(limit, len(streams))]}, nil
	})
	f.handle("logs:DescribeMetricFilters", func(in map[string]any) (any, error) {
		if _, found := w.groups[in["logGroupName"].(string)]; !found {
			return nil, &apiError{400, "ResourceNotFoundException", "The specified log group does not exist."}
		}
		var mine []filterState
		for _, fl := range w.filters {
			if fl.group == in["logGroupName"] {
				mine = append(mine, fl)
			}
		}
		items, next := page(mine, in["nextToken"], 3)
		var list []any
		for _, fl := range items {
			mt := map[string]any{"metricName": fl.metric, "metricNamespace": fl.namespace, "metricValue": fl.value}
			if len(fl.dims) > 0 {
				dims := map[string]any{}
				for k, v := range fl.dims {
					dims[k] = v
				}
				mt["dimensions"] = dims
			}
			list = append(list, map[string]any{"filterName": fl.name, "filterPattern": fl.pattern, "logGroupName": fl.group, "creationTime": 1.7e12, "metricTransformations": []any{mt}})
		}
		out := map[string]any{"metricFilters": list}
		if next != "" {
			out["nextToken"] = next
		}
		return out, nil
	})
	f.handle("cloudwatch:DescribeAlarms", func(in map[string]any) (any, error) {
		var names []string
		if l, ok := in["AlarmNames"].([]any); ok {
			if len(l) > 100 {
				return nil, &apiError{400, "ValidationError", "AlarmNames: at most 100"}
			}
			for _, n := range l {
				if _, found := w.alarms[n.(string)]; found {
					names = append(names, n.(string))
				}
			}
		} else if p, ok := in["AlarmNamePrefix"].(string); ok {
			// Near-copy of the log-group listing above: each fake API keeps its own paging names
			// and limits (nextToken/50, NextToken/4).
			for _, n := range sortedKeys(w.alarms) {
				if strings.HasPrefix(n, p) {
					names = append(names, n)
				}
			}
		}
		items, next := page(names, in["NextToken"], 4)
		var list []any
		for _, n := range items {
			a := w.alarms[n]
			actions := make([]any, len(a.actions))
			for i, x := range a.actions {
				actions[i] = x
			}
			list = append(list, map[string]any{
				"AlarmName": n, "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + n,
				"ActionsEnabled": a.actionsEnabled, "AlarmActions": actions, "StateValue": a.state,
				"StateReason":           "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].",
				"StateUpdatedTimestamp": w.now.Add(-time.Hour), "Period": 300, "EvaluationPeriods": 1,
			})
		}
		out := map[string]any{"MetricAlarms": list}
		if next != "" {
			out["NextToken"] = next
		}
		return out, nil
	})
	f.handle("sns:ListSubscriptionsByTopic", func(in map[string]any) (any, error) {
		switch in["TopicArn"] {
		case w.subTopic:
		case testTopic, testEmailTopic:
			// A topic of the stack without the subscriptions: the answer is empty.
			return queryXML("<Subscriptions></Subscriptions>"), nil
		default:
			return nil, &apiError{404, "NotFound", "Topic does not exist"}
		}
		items, next := page(w.subs, in["NextToken"], 1)
		var b strings.Builder
		b.WriteString("<Subscriptions>")
		for _, s := range items {
			proto := s.proto
			switch {
			case proto != "":
			case strings.HasPrefix(s.endpoint, "+"):
				proto = "sms"
			default:
				proto = "email"
			}
			fmt.Fprintf(&b, `<member><TopicArn>%s</TopicArn><Protocol>%s</Protocol><SubscriptionArn>%s</SubscriptionArn><Owner>123456789012</Owner><Endpoint>%s</Endpoint></member>`, w.subTopic, proto, s.arn, s.endpoint)
		}
		b.WriteString("</Subscriptions>")
		if next != "" {
			fmt.Fprintf(&b, "<NextToken>%s</NextToken>", next)
		}
		return queryXML(b.String()), nil
	})
	keyFor := func(id any) (string, *keyState) {
		s, _ := id.(string)
		if k, ok := w.aliases[s]; ok {
			s = k
		}
		return s, w.keys[s]
	}
	f.handle("kms:DescribeKey", func(in map[string]any) (any, error) {
		id, k := keyFor(in["KeyId"])
		if k == nil {
			return nil, &apiError{400, "NotFoundException", fmt.Sprintf("Alias arn:aws:kms:us-east-1:123456789012:%s is not found.", in["KeyId"])}
		}
		return map[string]any{"KeyMetadata": map[string]any{
			"KeyId": id, "Arn": "arn:aws:kms:us-east-1:123456789012:key/" + id, "AWSAccountId": testAccount,
			"Enabled": k.enabled, "KeyState": k.state, "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT",
			"KeyUsage": "ENCRYPT_DECRYPT", "Origin": "AWS_KMS", "CreationDate": w.now.Add(-48 * time.Hour),
		}}, nil
	})
	f.handle("kms:GetKeyRotationStatus", func(in map[string]any) (any, error) {
		_, k := keyFor(in["KeyId"])
		if k == nil {
			return nil, &apiError{400, "NotFoundException", "Key is not found."}
		}
		out := map[string]any{"KeyRotationEnabled": k.rotation}
		if k.rotation {
			out["RotationPeriodInDays"] = 365.0
		}
		return out, nil
	})
	f.handle("s3:GetPublicAccessBlock", func(in map[string]any) (any, error) {
		b, found := w.pab[in["Bucket"].(string)]
		if !found {
			return nil, &apiError{404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"}
		}
		return s3Body(fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>%t</BlockPublicAcls><IgnorePublicAcls>%t</IgnorePublicAcls><BlockPublicPolicy>%t</BlockPublicPolicy><RestrictPublicBuckets>%t</RestrictPublicBuckets></PublicAccessBlockConfiguration>`, b[0], b[1], b[2], b[3])), nil
	})
	f.handle("s3:GetBucketPolicy", func(in map[string]any) (any, error) {
		p, found := w.policies[in["Bucket"].(string)]
		if !found {
			return nil, &apiError{404, "NoSuchBucketPolicy", "The bucket policy does not exist"}
		}
		return s3Body(p), nil
	})
	f.handle("cloudformation:DescribeStacks", func(in map[string]any) (any, error) {
		status, found := w.cfnStacks[in["StackName"].(string)]
		if !found {
			return nil, &apiError{400, "ValidationError", fmt.Sprintf("Stack with id %s does not exist", in["StackName"])}
		}
		return queryXML(fmt.Sprintf(`<Stacks><member><StackName>%s</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/%s/abc</StackId><StackStatus>%s</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime></member></Stacks>`, in["StackName"], in["StackName"], status)), nil
	})
	f.handle("cloudwatch:SetAlarmState", func(in map[string]any) (any, error) {
		a, found := w.alarms[in["AlarmName"].(string)]
		if !found {
			return nil, &apiError{404, "ResourceNotFound", "alarm not found"}
		}
		if in["StateValue"] != "ALARM" || in["StateReason"] == "" {
			return nil, &apiError{400, "InvalidFormat", fmt.Sprintf("unexpected input %v", in)}
		}
		a.state = "ALARM"
		return map[string]any{}, nil
	})
	f.handle("logs:TestMetricFilter", func(in map[string]any) (any, error) {
		pattern, _ := in["filterPattern"].(string)
		msgs, _ := in["logEventMessages"].([]any)
		if len(msgs) < 1 || len(msgs) > 50 {
			return nil, &apiError{400, "InvalidParameterException", fmt.Sprintf("1 validation error detected: Value at 'logEventMessages' failed to satisfy constraint: Member must have length less than or equal to 50 (got %d)", len(msgs))}
		}
		w.tmfBatches = append(w.tmfBatches, len(msgs))
		p, err := filterpattern.Parse(pattern)
		if err != nil {
			return nil, &apiError{400, "InvalidParameterException", "Invalid metric filter pattern"}
		}
		var matches []any
		for i, m := range msgs {
			s := m.(string)
			w.tmfSent = append(w.tmfSent, s)
			if s == "" {
				return nil, &apiError{400, "InvalidParameterException", "Member must have length greater than or equal to 1"}
			}
			if p.Match([]byte(s)) != w.awsFlips[s] {
				matches = append(matches, map[string]any{"eventNumber": float64(i + 1), "eventMessage": s, "extractedValues": map[string]any{}})
			}
		}
		return map[string]any{"matches": matches}, nil
	})
	// AWS Organizations API reference: DescribeOrganization, ListDelegatedAdministrators and
	// ListAWSServiceAccessForOrganization; the list operations "can be called only from the
	// organization's management account or by a member account that is a delegated administrator".
	orgCaller := func() error {
		if w.org == nil {
			return &apiError{400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization."}
		}
		if w.org.management != testAccount && !slices.Contains(w.org.delegated, testAccount) && !w.org.otherService {
			return &apiError{400, "AccessDeniedException", "You don't have permissions to access this resource."}
		}
		return nil
	}
	f.handle("organizations:DescribeOrganization", func(in map[string]any) (any, error) {
		if w.org == nil {
			return nil, orgCaller()
		}
		return map[string]any{"Organization": map[string]any{
			"Id": w.org.id, "Arn": "arn:aws:organizations::" + w.org.management + ":organization/" + w.org.id,
			"FeatureSet": w.org.featureSet, "MasterAccountId": w.org.management,
			"MasterAccountArn": "arn:aws:organizations::" + w.org.management + ":account/" + w.org.id + "/" + w.org.management,
		}}, nil
	})
	f.handle("organizations:ListDelegatedAdministrators", func(in map[string]any) (any, error) {
		if err := orgCaller(); err != nil {
			return nil, err
		}
		var items []any
		if in["ServicePrincipal"] == stackSetsPrincipal {
			for _, a := range w.org.delegated {
				items = append(items, map[string]any{"Id": a, "Status": "ACTIVE", "DelegationEnabledDate": w.now})
			}
		}
		page, next := orgPage(in, items)
		out := map[string]any{"DelegatedAdministrators": page}
		if next != nil {
			out["NextToken"] = next
		}
		return out, nil
	})
	f.handle("organizations:ListAWSServiceAccessForOrganization", func(in map[string]any) (any, error) {
		if err := orgCaller(); err != nil {
			return nil, err
		}
		var items []any
		for _, p := range w.org.trusted {
			items = append(items, map[string]any{"ServicePrincipal": p, "DateEnabled": w.now})
		}
		page, next := orgPage(in, items)
		out := map[string]any{"EnabledServicePrincipals": page}
		if next != nil {
			out["NextToken"] = next
		}
		return out, nil
	})
	f.handle("ssm:GetParameter", func(in map[string]any) (any, error) {
		v, found := w.ssm[in["Name"].(string)]
		if !found {
			return nil, &apiError{400, "ParameterNotFound", ""}
		}
		return map[string]any{"Parameter": map[string]any{"Name": in["Name"], "Type": "String", "Value": v, "Version": 1.0}}, nil
	})
}
