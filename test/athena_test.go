package test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/athena"
	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/stacks"
)

// athenaSynth builds the stack for overrides plus -c athena=true (and an organization trail when
// org), as `cdk synth -c nag=true` does: through config and stacks.BuildAll, with cdk-nag. It
// returns the template as cdk synth writes it, the nag report lines of the stack, and the stack's
// configuration.
func athenaSynth(t *testing.T, overrides map[string]any, org bool) (map[string]any, []nagLine, config.Stack, []byte) {
	t.Helper()
	over := maps.Clone(overrides)
	over["athena"] = "true"
	over["notifications"] = config.Plain // the Athena part does not depend on the alarm emails
	if org {
		over["organizationTrail"], over["organizationId"] = "true", "o-a1b2c3d4e5"
	}
	ctx := cliContext(t, over)
	targets, err := config.Load(ctx, pinnedEnv)
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 1 || !targets[0].Athena {
		t.Fatalf("%d targets, want one with Athena", len(targets))
	}
	cfg := targets[0].Deployed()
	outdir := t.TempDir()
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(outdir), AnalyticsReporting: jsii.Bool(false)})
	if _, err := stacks.BuildAll(app, targets); err != nil {
		t.Fatal(err)
	}
	stacks.ApplyNag(app)
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("synth with cdk-nag failed: %v", r)
			}
		}()
		app.Synth(nil)
	}()
	raw, err := os.ReadFile(filepath.Join(outdir, stacks.AuditStackID+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	reports, _ := filepath.Glob(filepath.Join(outdir, "AwsSolutions-*-NagReport.json"))
	if len(reports) != 1 {
		t.Fatalf("%d cdk-nag reports", len(reports))
	}
	lines := readNagReport(t, reports[0])
	return tmpl, lines, cfg, raw
}

func resourcesOf(tmpl map[string]any, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tmpl["Resources"].(map[string]any) {
		if m := r.(map[string]any); m["Type"] == typ {
			out[id] = m
		}
	}
	return out
}

func one(t *testing.T, tmpl map[string]any, typ string) map[string]any {
	t.Helper()
	rs := resourcesOf(tmpl, typ)
	if len(rs) != 1 {
		t.Fatalf("%d %s resources, want 1", len(rs), typ)
	}
	for _, r := range rs {
		return r["Properties"].(map[string]any)
	}
	return nil
}

// TestAthenaPartIsNagCleanAndHardened: with a KMS key, single account and organization: cdk-nag
// finds nothing, the results bucket is private, TLS-only, KMS-encrypted, logged and expiring, the
// workgroup enforces KMS-encrypted results, and each alarm has a named query whose SQL is the
// translator's.
func TestAthenaPartIsNagCleanAndHardened(t *testing.T) {
	for _, org := range []bool{false, true} {
		name := map[bool]string{false: "single account", true: "organization"}[org]
		tmpl, lines, cfg, raw := athenaSynth(t, map[string]any{"notificationEmails": "ops@example.com", "alarmProfile": "aws,cis", "language": "ja"}, org)
		// config's count and bound hold for the Athena part too (TestConfigPredictsTheTemplate
		// covers the single-account athena variant; this, the organization and every profile).
		if got, want := cfg.Resources(), len(tmpl["Resources"].(map[string]any)); got != want {
			t.Errorf("%s: config counts %d resources, the template has %d", name, got, want)
		}
		if bound := cfg.TemplateBytes(); bound < len(raw) || float64(bound) > 1.3*float64(len(raw)) {
			t.Errorf("%s: config bounds the template at %d bytes; it is %d", name, bound, len(raw))
		}
		t.Logf("%s: %d resources, %d bytes, bound %d", name, cfg.Resources(), len(raw), cfg.TemplateBytes())
		for _, l := range lines {
			if !strings.Contains(l.ResourceID, "Athena") {
				continue
			}
			switch l.Compliance {
			case "Compliant", "N/A", "Not Applicable":
			case "Suppressed":
				if len(strings.Fields(l.ExceptionReason)) < 5 {
					t.Errorf("%s: %s on %s suppressed without a reason", name, l.RuleID, l.ResourceID)
				}
			default:
				t.Errorf("%s: cdk-nag %s %s on %s: %s", name, l.RuleLevel, l.RuleID, l.ResourceID, l.Compliance)
			}
		}

		wg := toJSON(one(t, tmpl, "AWS::Athena::WorkGroup"))
		for _, want := range []string{`"EnforceWorkGroupConfiguration":true`, `"EncryptionOption":"SSE_KMS"`, `"SelectedEngineVersion":"Athena engine version 3"`, `"ExpectedBucketOwner":"123456789012"`} {
			if !strings.Contains(wg, want) {
				t.Errorf("%s: workgroup lacks %s: %s", name, want, wg)
			}
		}

		var results map[string]any
		for id, b := range resourcesOf(tmpl, "AWS::S3::Bucket") {
			if strings.HasPrefix(id, "AthenaResults") {
				results = b
			}
		}
		if results == nil {
			t.Fatalf("%s: no results bucket", name)
		}
		rb := toJSON(results)
		for _, want := range []string{`"BlockPublicAcls":true`, `"RestrictPublicBuckets":true`, `"SSEAlgorithm":"aws:kms"`, `"ExpirationInDays":30`, `"LogFilePrefix":"athena-results/"`, `"DeletionPolicy":"Retain"`} {
			if !strings.Contains(rb, want) {
				t.Errorf("%s: results bucket lacks %s: %s", name, want, rb)
			}
		}

		table := one(t, tmpl, "AWS::Glue::Table")
		tj := toJSON(table)
		sd := table["TableInput"].(map[string]any)["StorageDescriptor"].(map[string]any)
		var got []string
		for _, c := range sd["Columns"].([]any) {
			m := c.(map[string]any)
			got = append(got, fmt.Sprint(m["Name"], " ", m["Type"]))
		}
		var want []string
		for _, c := range athena.GlueColumns() {
			want = append(want, c.Name+" "+c.Type)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: table columns\n%s\nwant the translator's\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, want := range []string{
			`"projection.enabled":"true"`, `"projection.timestamp.format":"yyyy/MM/dd"`,
			`"SerializationLibrary":"org.apache.hive.hcatalog.data.JsonSerDe"`,
			`"InputFormat":"com.amazon.emr.cloudtrail.CloudTrailInputFormat"`,
		} {
			if !strings.Contains(tj, want) {
				t.Errorf("%s: table lacks %s", name, want)
			}
		}
		if org {
			for _, want := range []string{`"projection.account.type":"injected"`, `/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}`, `{"Name":"account","Type":"string"}`} {
				if !strings.Contains(tj, want) {
					t.Errorf("%s: table lacks %s: %s", name, want, tj)
				}
			}
		} else if !strings.Contains(tj, `/AWSLogs/123456789012/CloudTrail/${region}/${timestamp}`) || strings.Contains(tj, "projection.account") {
			t.Errorf("%s: single-account table location or projection wrong: %s", name, tj)
		}

		queries := resourcesOf(tmpl, "AWS::Athena::NamedQuery")
		if len(queries) != len(cfg.Alarms) {
			t.Errorf("%s: %d named queries, want %d", name, len(queries), len(cfg.Alarms))
		}
		for _, row := range cfg.Alarms {
			var q map[string]any
			ok := false
			for id, r := range queries {
				if strings.HasPrefix(id, "AthenaQuery"+row.ID) && len(id) == len("AthenaQuery"+row.ID)+8 {
					q, ok = r, true
				}
			}
			if !ok {
				t.Errorf("%s: no named query for %s", name, row.ID)
				continue
			}
			where, _ := athena.Where(row.Pattern)
			if s := q["Properties"].(map[string]any)["QueryString"].(string); !strings.Contains(s, "  AND "+where+"\n") || strings.Contains(s, "account IN") != org {
				t.Errorf("%s: %s query does not hold its pattern's SQL:\n%s", name, row.ID, s)
			}
		}

		policy := toJSON(one(t, tmpl, "AWS::IAM::ManagedPolicy"))
		for _, want := range []string{`"kms:ViaService":"s3.us-east-1.amazonaws.com"`, `"glue:GetTable"`, `"athena:StartQueryExecution"`} {
			if !strings.Contains(policy, want) {
				t.Errorf("%s: reader policy lacks %s: %s", name, want, policy)
			}
		}
		if strings.Contains(policy, `"Resource":"*"`) {
			t.Errorf("%s: reader policy grants on every resource: %s", name, policy)
		}
	}
}

// config refuses athena=true on a StackSet target because the member would not fit TemplateBody:
// built anyway (the member stack, with AWS's ten alarms, plain notifications, as members get), it
// is over stacks.MaxTemplateBody.
func TestAthenaDoesNotFitAStackSetMember(t *testing.T) {
	ctx := cliContext(t, map[string]any{"notificationEmails": "ops@example.com", "athena": "true",
		"stackSetOrganizationalUnits": "ou-b2c3-sandbox1", "region": "us-east-1"})
	if _, err := config.Load(ctx, pinnedEnv); err == nil || !strings.Contains(err.Error(), "athena: true cannot be combined with stackSetOrganizationalUnits") {
		t.Fatalf("config.Load = %v, want the athena/StackSet refusal", err)
	}
	delete(ctx, "stackSetOrganizationalUnits")
	target, err := config.Parse(ctx, pinnedEnv)
	if err != nil {
		t.Fatal(err)
	}
	target.StackSet.OUs = []string{"ou-b2c3-sandbox1"} // as the member would be
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, AnalyticsReporting: jsii.Bool(false)})
	member, err := stacks.MemberTemplate(app, target.Deployed())
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(member)
	if err != nil {
		t.Fatal(err)
	}
	if len(resourcesOf(member, "AWS::Glue::Table")) != 1 {
		t.Fatalf("the member has no Athena table")
	}
	if len(body) <= stacks.MaxTemplateBody {
		t.Errorf("the member with Athena is %d bytes, within TemplateBody's %d: the refusal is not needed", len(body), stacks.MaxTemplateBody)
	}
	t.Logf("member with Athena: %d bytes", len(body))
}

// The Athena part on its own, where the variants do not go: a trail name with capitals and
// punctuation (a Glue database name takes lower-case letters, digits and '_'), no KMS key
// (S3-managed results, no key statement for readers), a pattern with no SQL (a synth warning
// instead of a named query), and descriptions at and over a named query's 1,024 characters.
func TestAthenaEdges(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false)})
	stack := awscdk.NewStack(app, jsii.String("AthenaEdges"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(testAccount), Region: jsii.String(testRegion)},
	})
	row := catalog.AWS()[0]
	atLimit, overLimit, term := row, row, row
	atLimit.ID, atLimit.Description = "AtTheLimit", catalog.Text{"en": strings.Repeat("é", 1024)}
	overLimit.ID, overLimit.Description = "OverTheLimit", catalog.Text{"en": strings.Repeat("é", 1023) + "xy"}
	term.ID, term.Pattern = "TermPattern", "ERROR"
	a := stacks.NewAthena(stack, "Athena", &stacks.AthenaProps{
		Config:      config.Stack{TrailName: "Org.Trail_AZ-09", Language: "en", Alarms: []catalog.Alarm{atLimit, term, overLimit}},
		TrailBucket: awss3.Bucket_FromBucketName(stack, jsii.String("Trail"), jsii.String("trail-bucket")),
		AccessLogs:  awss3.NewBucket(stack, jsii.String("Logs"), nil),
	})
	if len(a.Queries) != 2 {
		t.Errorf("%d named queries, want 2 (none for the term pattern)", len(a.Queries))
	}
	tmpl := *assertions.Template_FromStack(stack, nil).ToJSON()

	db := one(t, tmpl, "AWS::Glue::Database")["DatabaseInput"].(map[string]any)
	equal(t, "database", db, map[string]any{"Name": "org_trail_az_09", "Description": "trailwatch: the CloudTrail table of trail Org.Trail_AZ-09"})
	descriptions := map[string]any{}
	for _, q := range resourcesOf(tmpl, "AWS::Athena::NamedQuery") {
		p := q["Properties"].(map[string]any)
		descriptions[p["Name"].(string)] = p["Description"]
		equal(t, p["Name"].(string)+" database", p["Database"], "org_trail_az_09")
	}
	equal(t, "query descriptions", descriptions, map[string]any{
		"AtTheLimit": strings.Repeat("é", 1024), "OverTheLimit": strings.Repeat("é", 1023) + "x"})

	wg := toJSON(one(t, tmpl, "AWS::Athena::WorkGroup"))
	if !strings.Contains(wg, `"Name":"trailwatch-Org-Trail_AZ-09"`) || !strings.Contains(wg, `"EncryptionConfiguration":{"EncryptionOption":"SSE_S3"}`) {
		t.Errorf("workgroup without a key: %s", wg)
	}
	for id, b := range resourcesOf(tmpl, "AWS::S3::Bucket") {
		if strings.HasPrefix(id, "AthenaResults") {
			equal(t, "results bucket encryption", b["Properties"].(map[string]any)["BucketEncryption"], map[string]any{
				"ServerSideEncryptionConfiguration": []any{map[string]any{"BucketKeyEnabled": false, "ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}})
		}
	}
	if policy := toJSON(one(t, tmpl, "AWS::IAM::ManagedPolicy")); strings.Contains(policy, "kms:") {
		t.Errorf("reader policy without a key grants KMS actions: %s", policy)
	}
	check(t, "term pattern warning", func() {
		assertions.Annotations_FromStack(stack).HasWarning(jsii.String("/AthenaEdges/Athena"), assertions.Match_StringLikeRegexp(jsii.String(
			`^TermPattern: no named query: not translated to SQL: the engine rejects the pattern: col 1: not supported: term patterns .*\[ack: `+stacks.AthenaRefusedWarningID+`\]$`)))
	})
}
