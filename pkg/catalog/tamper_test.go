package catalog_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// exampleWatched is an Audit stack's resources as they are once deployed.
func exampleWatched() catalog.Watched {
	return catalog.Watched{
		Account:         "123456789012",
		TrailName:       "trailwatch",
		Buckets:         []string{"trailwatch-trailbucketa831ce63-1q2w3e4r5t6y", "trailwatch-accesslogsbucket83982689-7u8i9o0p1a2s"},
		KeyID:           "1234abcd-12ab-34cd-56ef-1234567890ab",
		LogGroupName:    "CloudTrail/trailwatch",
		AlarmNames:      names(catalog.AWS()),
		TopicArn:        "arn:aws:sns:us-east-1:123456789012:trailwatch-AlarmsTopic3A2DFEBA-Ab12Cd34Ef56",
		AlarmNamePrefix: "",
	}
}

// Near-copy of internal/config's alarmIDs over AlarmName: test helpers of two packages.
func names(rows []catalog.Alarm) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.AlarmName)
	}
	return out
}

// Every tamper row is valid, proves itself (catalog.Validate runs its Fires and Quiet records),
// and fits beside the profiles' rows (unique IDs, metrics and names).
func TestTamperRowsProveThemselves(t *testing.T) {
	for name, w := range map[string]catalog.Watched{
		"audit":             exampleWatched(),
		"audit, prefix":     func() catalog.Watched { w := exampleWatched(); w.AlarmNamePrefix = "prod-"; return w }(),
		"audit, no key":     func() catalog.Watched { w := exampleWatched(); w.KeyID = ""; return w }(),
		"alarms-only":       {LogGroupName: "aws-controltower/CloudTrailLogs", AlarmNames: names(catalog.CIS()), TopicArn: "arn:aws:sns:us-east-1:123456789012:t"},
		"alarms-only, none": {LogGroupName: "aws-controltower/CloudTrailLogs", AlarmNames: names(catalog.AWS())},
		// Another account than the proof records': they are rewritten to it, or the rows would
		// not fire on their own Fires.
		"audit, other account": func() catalog.Watched { w := exampleWatched(); w.Account = "111122223333"; return w }(),
	} {
		rows, err := catalog.Tamper(w)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		all := append(catalog.RowsOf(catalog.Profiles), rows...)
		if err := catalog.Validate(all); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, r := range rows {
			if len(r.Fires) == 0 || len(r.Quiet) == 0 {
				t.Errorf("%s: %s has %d Fires and %d Quiet records", name, r.ID, len(r.Fires), len(r.Quiet))
			}
			for _, rec := range append(slices.Clone(r.Fires), r.Quiet...) {
				if n := strings.Count(rec, `"recipientAccountId"`); n > 1 {
					t.Errorf("%s: %s: a proof record names recipientAccountId %d times: %s", name, r.ID, n, rec)
				}
			}
		}
	}
}

// Each kind of resource gets its row only when the stack has it.
func TestTamperRowsFollowTheResources(t *testing.T) {
	all, _ := catalog.Tamper(exampleWatched())
	if got, want := ids(all), []string{"TamperTrail", "TamperLogFiles", "TamperLogGroup", "TamperAlarms", "TamperTopic"}; !slices.Equal(got, want) {
		t.Errorf("audit stack rows = %v, want %v", got, want)
	}
	only, _ := catalog.Tamper(catalog.Watched{LogGroupName: "aws-controltower/CloudTrailLogs", KeyID: "k", TopicArn: "arn:aws:sns:us-east-1:123456789012:t"})
	if got, want := ids(only), []string{"TamperLogFiles", "TamperLogGroup", "TamperAlarms", "TamperTopic"}; !slices.Equal(got, want) {
		t.Errorf("alarms-only stack rows = %v, want %v", got, want)
	}
	if len(all) > catalog.MaxTamperRows {
		t.Errorf("%d rows, MaxTamperRows is %d", len(all), catalog.MaxTamperRows)
	}
}

// The exact text of the trail row, so a change to it is a reviewed change.
func TestTamperTrailPatternText(t *testing.T) {
	rows, _ := catalog.Tamper(catalog.Watched{TrailName: "audit.main", LogGroupName: "CloudTrail/audit.main"})
	want := `{ ($.eventSource = "cloudtrail.amazonaws.com") && (($.eventName = "StopLogging") || ($.eventName = "DeleteTrail") || ($.eventName = "UpdateTrail") || ($.eventName = "PutEventSelectors") || ($.eventName = "PutInsightSelectors")) && (($.requestParameters.name = "audit.main") || ($.requestParameters.name = "*:trail/audit.main") || ($.requestParameters.trailName = "audit.main") || ($.requestParameters.trailName = "*:trail/audit.main")) }`
	if rows[0].Pattern != want {
		t.Errorf("TamperTrail pattern =\n%s\nwant\n%s", rows[0].Pattern, want)
	}
}

// With an account, every row counts only events recorded for it: an organization trail's log group
// also holds member accounts' events, and those may name a trail, log group or alarm just like ours.
func TestTamperRowsStayInTheirAccount(t *testing.T) {
	rows, err := catalog.Tamper(exampleWatched())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !strings.HasPrefix(r.Pattern, `{ ($.recipientAccountId = "123456789012") && (`) {
			t.Errorf("%s is not scoped to the account:\n%s", r.ID, r.Pattern)
		}
		p, _ := filterpattern.Parse(r.Pattern)
		elsewhere := strings.Replace(r.Fires[0], `"recipientAccountId":"123456789012"`, `"recipientAccountId":"111122223333"`, 1)
		if !p.Match([]byte(r.Fires[0])) || p.Match([]byte(elsewhere)) {
			t.Errorf("%s: fires in its account %v, in another %v; want true, false", r.ID, p.Match([]byte(r.Fires[0])), p.Match([]byte(elsewhere)))
		}
	}
}

// The alarm names are covered by families: one per built-in naming scheme, and the stack's prefix
// keeps them to this stack's alarms.
func TestTamperAlarmFamilies(t *testing.T) {
	w := catalog.Watched{LogGroupName: "g", AlarmNamePrefix: "prod-", AlarmNames: append(names(catalog.AWS()), append(names(catalog.CIS()), "MyOwnAlarm")...)}
	rows, err := catalog.Tamper(w)
	if err != nil {
		t.Fatal(err)
	}
	p := rows[len(rows)-1].Pattern
	for _, want := range []string{`"prod-CloudTrail*"`, `"prod-CIS-CloudWatch.*"`, `"prod-Trailwatch-Tamper-*"`, `"prod-MyOwnAlarm"`, `$.requestParameters.alarmNames[1]`} {
		if !strings.Contains(p, want) {
			t.Errorf("TamperAlarms pattern lacks %s:\n%s", want, p)
		}
	}
	if strings.Contains(p, `"CloudTrail*"`) {
		t.Errorf("a family without the prefix would match other stacks' alarms:\n%s", p)
	}
	pat, _ := filterpattern.Parse(p)
	for rec, want := range map[string]bool{
		`{"eventSource":"monitoring.amazonaws.com","eventName":"DeleteAlarms","requestParameters":{"alarmNames":["a","prod-CIS-CloudWatch.1-RootAccountUsage"]}}`: true,
		`{"eventSource":"monitoring.amazonaws.com","eventName":"DeleteAlarms","requestParameters":{"alarmNames":["CIS-CloudWatch.1-RootAccountUsage"]}}`:          false,
		`{"eventSource":"monitoring.amazonaws.com","eventName":"PutMetricAlarm","requestParameters":{"alarmName":"prod-MyOwnAlarm2"}}`:                            false,
	} {
		if got := pat.Match([]byte(rec)); got != want {
			t.Errorf("match = %v, want %v on %s", got, want, rec)
		}
	}
}

// Fails on a pattern that could outgrow CloudWatch's limit once the deploy-time names are known.
func TestTamperFailsWhenAPatternCanExceedTheLimit(t *testing.T) {
	w := exampleWatched()
	for i := range 30 {
		w.AlarmNames = append(w.AlarmNames, strings.Repeat("x", i+1)+"-alarm")
	}
	_, err := catalog.Tamper(w)
	if err == nil || !errors.Is(err, catalog.ErrInvalid) || !strings.Contains(err.Error(), "TamperAlarms: the pattern can be") || !strings.Contains(err.Error(), "CloudWatch Logs allows 1024") {
		t.Errorf("err = %v, want the TamperAlarms pattern-length problem", err)
	}
	// The worst case, not the tokens' length, counts: a topic ARN of CDK-token length still
	// reserves room for the longest ARN.
	w = exampleWatched()
	w.LogGroupName = strings.Repeat("g", 512)
	if _, err := catalog.Tamper(w); err != nil {
		t.Errorf("a 512-character log group name must fit: %v", err)
	}
}

// TestTamperQuietOnTheCorpus: the shared corpus holds no event on this stack's resources, so no
// tamper row may match any of its records (the same calls on other resources among them).
// Near-copy in shape of benchmark_test.go's match count: parse and count over other rows and
// records.
func TestTamperQuietOnTheCorpus(t *testing.T) {
	events := readLines(t, filepath.Join(corpusDir, "events.jsonl"))
	rows, err := catalog.Tamper(exampleWatched())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		p, err := filterpattern.Parse(r.Pattern)
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		n := 0
		for _, e := range events {
			if p.Match(e) {
				n++
			}
		}
		if n != 0 {
			t.Errorf("%s matches %d corpus records", r.ID, n)
		}
		t.Logf("%s: 0 of %d corpus records", r.ID, len(events))
	}
}

// The tamper rows of an Audit stack, pinned: ID, metric, alarm name, and the first 16 hex digits
// of the SHA-256 of the pattern and of the Fires and Quiet records (shortHash in pins_test.go,
// repeated here for this package). A change to what they watch is made here too, on purpose.
func TestTamperRowsArePinned(t *testing.T) {
	pins := [][5]string{
		{"TamperTrail", "TamperTrailCount", "Trailwatch-Tamper-Trail", "21bcfa969887a70f", "8f3c9076619ffed9"},
		{"TamperLogFiles", "TamperLogFilesCount", "Trailwatch-Tamper-LogFiles", "55f05f1c20ac8125", "8a23a073bd77da4c"},
		{"TamperLogGroup", "TamperLogGroupCount", "Trailwatch-Tamper-LogGroup", "9776cb86dae1b862", "094b9d678ad276f0"},
		{"TamperAlarms", "TamperAlarmsCount", "Trailwatch-Tamper-Alarms", "b04fa3b9f6bdde67", "edac16ea7f3ffd1b"},
		{"TamperTopic", "TamperTopicCount", "Trailwatch-Tamper-Topic", "1ec85edf089404d2", "11e0362125eda745"},
	}
	rows, err := catalog.Tamper(exampleWatched())
	if err != nil || len(rows) != len(pins) {
		t.Fatalf("%d rows, %v; want %d", len(rows), err, len(pins))
	}
	h := func(s string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(s)))[:16] }
	for i, r := range rows {
		got := [5]string{r.ID, r.MetricName, r.AlarmName, h(r.Pattern), h(strings.Join(r.Fires, "\n") + "\x00" + strings.Join(r.Quiet, "\n"))}
		if got != pins[i] {
			t.Errorf("row %d differs from its pin:\n got %v\npin %v\npattern: %s", i, got, pins[i], r.Pattern)
		}
		// One call is enough to alarm, in the tamper alarms' own namespace.
		if r.Threshold != 1 || r.Namespace != "TrailwatchTamper" {
			t.Errorf("%s: threshold %v, namespace %q; want 1 and TrailwatchTamper", r.ID, r.Threshold, r.Namespace)
		}
	}
	// A stack without buckets (alarms-only) watches only its key among the log files' guards.
	only, _ := catalog.Tamper(catalog.Watched{LogGroupName: "g", KeyID: "k"})
	if len(only) == 0 || only[0].ID != catalog.TamperLogFilesID || strings.Contains(only[0].Pattern, "s3.amazonaws.com") || !strings.Contains(only[0].Pattern, "kms.amazonaws.com") {
		t.Errorf("key-only TamperLogFiles: %v", only)
	}
	// The pattern-length check measures the worst case: 30 custom alarm names make TamperAlarms
	// 1815 characters at the longest.
	w := exampleWatched()
	for i := range 30 {
		w.AlarmNames = append(w.AlarmNames, strings.Repeat("x", i+1)+"-alarm")
	}
	if _, err := catalog.Tamper(w); err == nil || !strings.Contains(err.Error(), "TamperAlarms: the pattern can be 1815 characters long") {
		t.Errorf("err = %v, want TamperAlarms at 1815 characters", err)
	}
}

// A custom alarm name that begins another (Deploy, Deploy2) joins it in one family.
func TestTamperAlarmFamilyOfANameAndItsExtension(t *testing.T) {
	rows, err := catalog.Tamper(catalog.Watched{LogGroupName: "g", AlarmNames: []string{"DeployGuard", "DeployGuard2"}})
	if err != nil {
		t.Fatal(err)
	}
	p := rows[len(rows)-1].Pattern
	if !strings.Contains(p, `"DeployGuard*"`) || strings.Contains(p, `"DeployGuard2"`) {
		t.Errorf("TamperAlarms pattern lacks the family DeployGuard*:\n%s", p)
	}
}

// One bucket is watched as well as two.
func TestTamperWatchesASingleBucket(t *testing.T) {
	rows, err := catalog.Tamper(catalog.Watched{LogGroupName: "g", Buckets: []string{"only-bucket"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.ID == catalog.TamperLogFilesID {
			if !strings.Contains(r.Pattern, `$.requestParameters.bucketName = "only-bucket"`) {
				t.Errorf("TamperLogFiles does not watch the bucket:\n%s", r.Pattern)
			}
			return
		}
	}
	t.Errorf("no TamperLogFiles row for a stack with a bucket: %v", ids(rows))
}
