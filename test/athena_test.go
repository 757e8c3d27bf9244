package test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/athena"
	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/stacks"
)

// athenaSynth builds the Audit stack for overrides plus the Athena part, applies cdk-nag, synthesizes
// into a temporary directory and returns the template and the nag report lines of the stack.
func athenaSynth(t *testing.T, overrides map[string]any, org bool) (map[string]any, []nagLine, config.Stack) {
	t.Helper()
	ctx := cliContext(t, overrides)
	target, err := config.Parse(ctx, pinnedEnv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := target.Stack
	cfg.Notifications = config.Plain // the Athena part does not depend on the alarm emails
	if org {
		cfg.OrganizationTrail, cfg.OrganizationID = true, "o-a1b2c3d4e5"
	}
	outdir := t.TempDir()
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(outdir), AnalyticsReporting: jsii.Bool(false)})
	audit := stacks.NewAudit(app, "Audit", &stacks.AuditProps{
		StackProps: awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(testAccount), Region: jsii.String(testRegion)}},
		Config:     cfg,
	})
	a := stacks.NewAthena(audit.Stack, "Athena", &stacks.AthenaProps{Config: cfg, TrailBucket: audit.Bucket, AccessLogs: audit.AccessLogs, Key: audit.Key})
	if len(a.Queries) != len(cfg.Alarms) {
		t.Errorf("%d named queries for %d alarms", len(a.Queries), len(cfg.Alarms))
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
	raw, err := os.ReadFile(filepath.Join(outdir, "Audit.template.json"))
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
	rep, err := os.ReadFile(reports[0])
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Lines []nagLine `json:"lines"`
	}
	if err := json.Unmarshal(rep, &report); err != nil {
		t.Fatal(err)
	}
	return tmpl, report.Lines, cfg
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
		tmpl, lines, cfg := athenaSynth(t, map[string]any{"notificationEmails": "ops@example.com", "alarmProfile": "aws,cis"}, org)
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
