package doctor

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

// Limits of the requests --test-patterns sends. TestMetricFilter takes 1 to 50 log event messages,
// each at least 1 character (CloudWatch Logs API reference, TestMetricFilter). Its reference gives
// no size limit, so doctor keeps to those of PutLogEvents, which a real log event has to pass
// anyway: an event of at most 256 KB, a batch of at most 1,048,576 bytes counted as the UTF-8
// messages plus 26 bytes per event (CloudWatch Logs API reference, PutLogEvents).
const (
	maxTestMessages  = 50
	maxEventBytes    = 256 * 1024
	maxBatchBytes    = 1_048_576
	eventOverhead    = 26
	maxMessageLength = maxEventBytes - eventOverhead
)

// Disagreement is one proof record on which the proof, AWS and trailwatch's engine do not all agree.
type Disagreement struct {
	Record string `json:"record"`
	// Proof is "fires" or "quiet": what the catalog says the record must do.
	Proof  string `json:"proof"`
	AWS    bool   `json:"awsMatches"`
	Engine bool   `json:"engineMatches"`
}

func (d Disagreement) String() string {
	yes := map[bool]string{true: "matches", false: "does not match"}
	return fmt.Sprintf("proof says %s; AWS TestMetricFilter: %s; trailwatch engine: %s; record: %s", d.Proof, yes[d.AWS], yes[d.Engine], d.Record)
}

// batches splits messages into TestMetricFilter requests within the limits above. Messages must
// each be within maxMessageLength bytes.
func batches(messages []string) [][]string {
	var out [][]string
	var cur []string
	size := 0
	for _, m := range messages {
		n := len(m) + eventOverhead
		// A message alone always fits (maxMessageLength + eventOverhead < maxBatchBytes), so a
		// batch that would overflow is never empty.
		if len(cur) == maxTestMessages || size+n > maxBatchBytes {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, m)
		size += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// proofRows are every catalog row by ID, for the proof records of the template's filters.
func proofRows() map[string]catalog.Alarm {
	rows := map[string]catalog.Alarm{}
	all, err := catalog.Resolve(strings.Join(catalog.ProfileNames(), ","))
	if err != nil {
		return rows // the built-in profiles always resolve; a catalog test guards them
	}
	for _, a := range all {
		rows[a.ID] = a
	}
	return rows
}

// testPatterns runs each distinct filter pattern of the template on its catalog row's proof
// records, with CloudWatch Logs TestMetricFilter and with trailwatch's engine, and reports every
// record on which the proof, AWS and the engine do not all agree.
func (d *doctor) testPatterns(ctx context.Context) []Result {
	rows := proofRows()
	var out []Result
	seen := map[string]bool{}
	tamper, tamperWhy := d.tamperRows()
	for _, f := range d.exp.Filters {
		key := f.RowID + "\x00" + f.Pattern
		if seen[key] {
			continue // the per-dimension filter has its row's pattern
		}
		seen[key] = true
		subject := f.RowID
		if subject == "" {
			subject = f.LogicalID
		}
		row, found := rows[f.RowID]
		switch {
		case f.Namespace == catalog.TamperNamespace:
			out = append(out, d.testTamper(ctx, subject, f, tamper, tamperWhy))
		case !found: // every catalog row has Fires and Quiet records (a catalog test guards them)
			out = append(out, skip("patterns", subject, "no proof records in the catalog (a row of an alarms file); its fires/quiet records were proven by the engine at synth"))
		case f.Pattern == row.Pattern:
			out = append(out, d.testOne(ctx, subject, f.Pattern, row, true))
		case f.Kind == "BenchmarkFilter":
			// A second pattern on the row's metric, for compliance checkers: it must match no
			// Quiet record and at least one Fires record, not necessarily all of them.
			out = append(out, d.testOne(ctx, subject+" (benchmark filter)", f.Pattern, row, false))
		default:
			out = append(out, skip("patterns", subject, "the template's pattern is not this trailwatch's catalog pattern: synthesize with this version and rerun"))
		}
	}
	return out
}

// recipientAccount is the account a tamper pattern is scoped to (catalog.Tamper, inAccount).
var recipientAccount = regexp.MustCompile(`^\{ \(\$\.recipientAccountId = "([^"]*)"\)`)

// testTamper tests a tamper filter (namespace TrailwatchTamper). Its row is generated at synth for
// the stack's own names (catalog.Tamper), so doctor generates it again from the deployed names,
// checks the deployed pattern is the one this trailwatch generates, byte for byte, and tests the
// generated row's Fires and Quiet records. rows and why are d.tamperRows().
func (d *doctor) testTamper(ctx context.Context, subject string, f Filter, rows map[string]catalog.Alarm, why string) Result {
	if why != "" {
		return skip("patterns", subject, "a tamper row; cannot generate it again: "+why)
	}
	deployed, missing := d.deployedPattern(f)
	if len(missing) > 0 {
		return skip("patterns", subject, "a tamper row whose pattern names "+strings.Join(missing, ", ")+", which the deployed stack does not list")
	}
	row, found := rows[f.RowID]
	if !found {
		return fail("patterns", subject, "the tamper pattern does not match what this trailwatch would generate: it generates no "+f.RowID+" row for this stack's names",
			"synthesize with this trailwatch version and cdk deploy, then rerun")
	}
	if m := recipientAccount.FindStringSubmatch(deployed); m != nil && m[1] != d.account {
		return fail("patterns", subject, fmt.Sprintf("the tamper pattern does not match what this trailwatch would generate: it counts only events of account %s, but the stack is deployed in account %s, so the alarm never fires", m[1], d.account),
			fmt.Sprintf("synthesize for this account (-c account=%s, or the targets file) and cdk deploy", d.account))
	}
	if row.Pattern != deployed {
		return fail("patterns", subject, fmt.Sprintf("the tamper pattern does not match what this trailwatch would generate: deployed %s; generated %s", deployed, row.Pattern),
			"synthesize with this trailwatch version and cdk deploy, then rerun")
	}
	return d.testOne(ctx, subject, row.Pattern, row, true)
}

// testOne tests pattern on row's proof records. With allFire, every Fires record must match; without,
// at least one must (a benchmark filter).
func (d *doctor) testOne(ctx context.Context, subject, pattern string, row catalog.Alarm, allFire bool) Result {
	p, err := filterpattern.Parse(pattern)
	if err != nil {
		return skip("patterns", subject, "the engine does not evaluate this pattern: "+err.Error())
	}
	proof := map[string]string{}
	var messages []string
	var tooLong int
	for _, set := range []struct {
		name    string
		records []string
	}{{"fires", row.Fires}, {"quiet", row.Quiet}} {
		for _, r := range set.records {
			if _, dup := proof[r]; dup {
				continue
			}
			if len(r) == 0 || len(r) > maxMessageLength || !utf8.ValidString(r) {
				tooLong++
				continue
			}
			proof[r] = set.name
			messages = append(messages, r)
		}
	}
	awsMatched := map[string]bool{}
	for _, batch := range batches(messages) {
		res, err := d.c.logs.TestMetricFilter(ctx, &cloudwatchlogs.TestMetricFilterInput{
			FilterPattern:    aws.String(pattern),
			LogEventMessages: batch,
		})
		if err != nil {
			return apiFail("patterns", subject, "logs:TestMetricFilter", err)
		}
		for _, m := range res.Matches {
			awsMatched[deref(m.EventMessage)] = true
		}
	}
	var dis []Disagreement
	firesMatched := 0
	for _, m := range messages {
		engine := p.Match([]byte(m))
		if proof[m] == "fires" && !allFire {
			// No verdict of the proof's own; AWS and the engine must still agree.
			if engine != awsMatched[m] {
				dis = append(dis, Disagreement{Record: m, Proof: "fires (the row's)", AWS: awsMatched[m], Engine: engine})
			}
			if engine { // firesMatched is read only when nothing disagrees, so AWS said the same
				firesMatched++
			}
			continue
		}
		want := proof[m] == "fires"
		if awsMatched[m] != want || engine != want {
			dis = append(dis, Disagreement{Record: m, Proof: proof[m], AWS: awsMatched[m], Engine: engine})
		}
	}
	if !allFire && firesMatched == 0 && len(dis) == 0 {
		return fail("patterns", subject, "matches none of the row's Fires records", "the benchmark pattern must match at least one: fix the catalog row")
	}
	detail := fmt.Sprintf("AWS and the engine agree with the proof on %d records (%d fire, %d quiet)", len(messages), len(row.Fires), len(row.Quiet))
	if !allFire {
		detail += fmt.Sprintf("; as a benchmark filter it matches %d of them", firesMatched)
	}
	if tooLong > 0 {
		detail += fmt.Sprintf("; %d records over the %d-byte log event limit not sent", tooLong, maxMessageLength)
	}
	if len(dis) == 0 {
		return ok("patterns", subject, detail)
	}
	r := fail("patterns", subject, fmt.Sprintf("%d of %d proof records disagree", len(dis), len(messages)),
		"report it with the lines below: where AWS and the engine differ the engine is wrong (pkg/filterpattern/SEMANTICS.md); where both differ from the proof, the proof record is wrong")
	r.Disagreements = dis
	return r
}
