package config

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

func noEnv(string) string { return "" }

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	cfg, err := Parse(map[string]any{"notificationEmails": "ops@example.com"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := Target{StackSet: StackSet{MaxConcurrency: 1, CallAs: "SELF"}, Environment: "default", Stack: Stack{
		NotificationEmails:           []string{"ops@example.com"},
		ManagementEvents:             WriteOnly,
		LogRetentionDays:             365,
		TrailName:                    "trailwatch",
		BucketTransitionDays:         90,
		BucketTransitionStorageClass: "GLACIER_IR",
		Encryption:                   KMS,
		ObjectLockMode:               "GOVERNANCE",
		AlarmProfiles:                profilesNamed("aws"),
		Language:                     "en",
		Notifications:                Enriched,
	}}
	if got := alarmIDs(cfg.Alarms); !reflect.DeepEqual(got, alarmIDs(catalog.AWS())) {
		t.Errorf("default alarms %v, want AWS's ten", got)
	}
	cfg.Alarms = nil
	if got, want := cfg.ProfileNames(), want.ProfileNames(); !reflect.DeepEqual(got, want) {
		t.Errorf("profiles %v, want %v", got, want)
	}
	cfg.AlarmProfiles, want.AlarmProfiles = nil, nil // Profile holds a func: compared by name
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", cfg, want)
	}
}

func TestParsesEveryKey(t *testing.T) {
	ctx := map[string]any{
		"notificationEmails":           " ops@example.com, sec+cloud@example.co.jp ,",
		"managementEvents":             "All",
		"logRetentionDays":             "731",
		"alarmNamePrefix":              "prod-",
		"trailName":                    "org.audit_trail-1",
		"bucketTransitionDays":         "30",
		"bucketTransitionStorageClass": "STANDARD_IA",
		"bucketExpirationDays":         2555.0,
		"encryption":                   "none",
		"objectLockDays":               "365",
		"objectLockMode":               "COMPLIANCE",
		"nag":                          "true",
		"alarmProfile":                 "cis,aws",
		"dedupeAlarms":                 true,
		"language":                     "ja",
		"notifications":                "plain",
		"account":                      "210987654321",
		"region":                       "eu-west-2",
	}
	cfg, err := Parse(ctx, env(map[string]string{"CDK_DEFAULT_ACCOUNT": "123456789012", "CDK_DEFAULT_REGION": "us-east-1"}))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cfg.Alarms); n != 16 {
		t.Errorf("aws,cis deduplicated: %d alarms, want 16 (2 AWS-only + 14 CIS)", n)
	}
	cfg.Alarms = nil
	want := Target{Nag: true, StackSet: StackSet{MaxConcurrency: 1, CallAs: "SELF"}, Environment: "default",
		Account: "210987654321", Region: "eu-west-2", Stack: Stack{
			NotificationEmails:           []string{"ops@example.com", "sec+cloud@example.co.jp"},
			ManagementEvents:             All,
			LogRetentionDays:             731,
			AlarmNamePrefix:              "prod-",
			TrailName:                    "org.audit_trail-1",
			BucketTransitionDays:         30,
			BucketTransitionStorageClass: "STANDARD_IA",
			BucketExpirationDays:         2555,
			Encryption:                   None,
			ObjectLockDays:               365,
			ObjectLockMode:               "COMPLIANCE",
			AlarmProfiles:                profilesNamed("aws", "cis"),
			DedupeAlarms:                 true,
			DroppedAlarms:                []string{"SecurityGroupChanges", "NetworkAclChanges", "GatewayChanges", "VpcChanges", "CloudTrailChanges", "ConsoleSignInFailures", "AuthorizationFailures", "IAMPolicyChanges"},
			Language:                     "ja",
			Notifications:                Plain,
		}}
	if got, want := cfg.ProfileNames(), want.ProfileNames(); !reflect.DeepEqual(got, want) {
		t.Errorf("profiles %v, want %v", got, want)
	}
	cfg.AlarmProfiles, want.AlarmProfiles = nil, nil
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("\n got %+v\nwant %+v", cfg, want)
	}
}

func alarmIDs(rows []catalog.Alarm) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

func TestEmailsFromJSONArray(t *testing.T) {
	cfg, err := Parse(map[string]any{"notificationEmails": []any{"a@example.com", "b@example.com"}}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg.NotificationEmails, []string{"a@example.com", "b@example.com"}) {
		t.Errorf("got %v", cfg.NotificationEmails)
	}
}

func TestRetentionNeverAndEveryAcceptedValue(t *testing.T) {
	for _, v := range append([]any{"never"}, func() []any {
		var out []any
		for _, d := range RetentionDays {
			out = append(out, float64(d))
		}
		return out
	}()...) {
		cfg, err := Parse(map[string]any{"notificationEmails": "a@example.com", "logRetentionDays": v}, noEnv)
		if err != nil {
			t.Errorf("logRetentionDays=%v: %v", v, err)
			continue
		}
		if v == "never" && cfg.LogRetentionDays != 0 {
			t.Errorf("never gave %d, want 0", cfg.LogRetentionDays)
		}
	}
}

func TestAccountAndRegionDefaultFromCLI(t *testing.T) {
	cfg, err := Parse(map[string]any{"notificationEmails": "a@example.com"},
		env(map[string]string{"CDK_DEFAULT_ACCOUNT": "123456789012", "CDK_DEFAULT_REGION": "ap-northeast-1"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Account != "123456789012" || cfg.Region != "ap-northeast-1" {
		t.Errorf("got %q %q", cfg.Account, cfg.Region)
	}
}

func TestFeatureFlagsAndForeignKeysAreIgnored(t *testing.T) {
	_, err := Parse(map[string]any{
		"notificationEmails":                    "a@example.com",
		"@aws-cdk/core:newStyleStackSynthesis":  true,
		"aws:cdk:enable-path-metadata":          true,
		"availability-zones:account=1:region=x": []any{"a"},
		"someOtherToolsSetting":                 "x",
	}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
}

// Each bad input gives one line naming the key, the bad value and what is allowed.
func TestFailsOnBadInput(t *testing.T) {
	knownKeys := strings.Join(KeyNames(), ", ")
	cases := []struct {
		name string
		ctx  map[string]any
		want string
		is   error
	}{
		{"missing email", map[string]any{}, `notificationEmails: required but not set; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`, ErrMissing},
		{"empty email", map[string]any{"notificationEmails": " , "}, `notificationEmails: required but not set; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`, ErrMissing},
		{"malformed email", map[string]any{"notificationEmails": "ops@example.com,bob@"}, `notificationEmails: "ops@example.com,bob@" has "bob@", which is not an email address; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`, ErrInvalid},
		{"single malformed email", map[string]any{"notificationEmails": "bob@"}, `notificationEmails: "bob@" is not an email address; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`, ErrInvalid},
		{"display name", map[string]any{"notificationEmails": "Bob <bob@example.com>"}, `notificationEmails: "Bob <bob@example.com>" is not an email address; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`, ErrInvalid},
		{"no dotted domain", map[string]any{"notificationEmails": "bob@localhost"}, `notificationEmails: "bob@localhost" is not an email address; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`, ErrInvalid},
		{"duplicate email", map[string]any{"notificationEmails": "a@example.com,A@example.com"}, `notificationEmails: "a@example.com,A@example.com" lists "A@example.com" twice; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`, ErrInvalid},
		{"email not a string", map[string]any{"notificationEmails": 42.0}, `notificationEmails: 42 is not a string; allowed: one or more email addresses, comma-separated (e.g. ops@example.com,sec@example.com)`, ErrInvalid},
		{"unknown managementEvents", map[string]any{"managementEvents": "ReadOnly"}, `managementEvents: "ReadOnly" is not a management event selection; allowed: WriteOnly, All`, ErrInvalid},
		{"managementEvents case", map[string]any{"managementEvents": "writeonly"}, `managementEvents: "writeonly" is not a management event selection; allowed: WriteOnly, All`, ErrInvalid},
		{"retention not accepted", map[string]any{"logRetentionDays": "42"}, `logRetentionDays: "42" is not a retention CloudWatch Logs accepts; allowed: never, or 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`, ErrInvalid},
		{"retention non-numeric", map[string]any{"logRetentionDays": "a year"}, `logRetentionDays: "a year" is not a retention CloudWatch Logs accepts; allowed: never, or 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`, ErrInvalid},
		{"retention fractional", map[string]any{"logRetentionDays": 30.5}, `logRetentionDays: 30.5 is not a retention CloudWatch Logs accepts; allowed: never, or 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`, ErrInvalid},
		{"negative transition", map[string]any{"bucketTransitionDays": "-5"}, `bucketTransitionDays: "-5" is not a whole number of days >= 0; allowed: a whole number of days >= 0 (0: never move); >= 30 for STANDARD_IA and ONEZONE_IA`, ErrInvalid},
		{"non-numeric expiry", map[string]any{"bucketExpirationDays": "forever"}, `bucketExpirationDays: "forever" is not a whole number of days >= 0; allowed: a whole number of days >= 0 (0: never delete); if set, more than bucketTransitionDays`, ErrInvalid},
		{"negative expiry", map[string]any{"bucketExpirationDays": -1.0}, `bucketExpirationDays: -1 is not a whole number of days >= 0; allowed: a whole number of days >= 0 (0: never delete); if set, more than bucketTransitionDays`, ErrInvalid},
		{"expiry before transition", map[string]any{"bucketExpirationDays": "60"}, `bucketExpirationDays: 60 is not after bucketTransitionDays (90); allowed: 0 (never), or more than 90`, ErrInvalid},
		{"IA too soon", map[string]any{"bucketTransitionStorageClass": "STANDARD_IA", "bucketTransitionDays": "7"}, `bucketTransitionDays: 7 is too soon for STANDARD_IA; allowed: at least 30 days for STANDARD_IA (an S3 rule), or 0`, ErrInvalid},
		{"unknown storage class", map[string]any{"bucketTransitionStorageClass": "COLD"}, `bucketTransitionStorageClass: "COLD" is not an S3 storage class trail logs can move to; allowed: GLACIER_IR, GLACIER, DEEP_ARCHIVE, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING`, ErrInvalid},
		{"bad prefix", map[string]any{"alarmNamePrefix": "prod alarms/"}, `alarmNamePrefix: "prod alarms/" is not a valid alarm name prefix; allowed: up to 64 letters, digits, '.', '_' or '-' (e.g. prod-)`, ErrInvalid},
		{"bad trail name", map[string]any{"trailName": "-x"}, `trailName: "-x" is not a valid CloudTrail trail name; allowed: 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, no two of '.', '_', '-' in a row, not an IP address`, ErrInvalid},
		{"trail name adjacent punctuation", map[string]any{"trailName": "a._b"}, `trailName: "a._b" is not a valid CloudTrail trail name; allowed: 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, no two of '.', '_', '-' in a row, not an IP address`, ErrInvalid},
		{"unknown encryption", map[string]any{"encryption": "aws-managed"}, `encryption: "aws-managed" is not an encryption choice; allowed: kms (one customer managed key, rotated, for the trail, log group and topic), none (S3-managed encryption only)`, ErrInvalid},
		{"negative lock days", map[string]any{"objectLockDays": "-3"}, `objectLockDays: "-3" is not a whole number of days from 0 to 36500; allowed: a whole number of days from 0 (off) to 36500; only takes effect on a new bucket`, ErrInvalid},
		{"lock days too long", map[string]any{"objectLockDays": 40000.0}, `objectLockDays: 40000 is not a whole number of days from 0 to 36500; allowed: a whole number of days from 0 (off) to 36500; only takes effect on a new bucket`, ErrInvalid},
		{"lock mode", map[string]any{"objectLockMode": "governance"}, `objectLockMode: "governance" is not an Object Lock mode; allowed: GOVERNANCE (users with s3:BypassGovernanceRetention may delete), COMPLIANCE (nobody, not even root, may delete before the retention ends)`, ErrInvalid},
		{"expiry before lock ends", map[string]any{"objectLockDays": "400", "bucketExpirationDays": "365"}, `bucketExpirationDays: 365 is shorter than objectLockDays (400); allowed: 0 (never), or at least 400: objects are locked until then`, ErrInvalid},
		{"nag not boolean", map[string]any{"nag": "yes"}, `nag: "yes" is not a boolean; allowed: true (apply the cdk-nag AwsSolutions checks and print their report at synth), false`, ErrInvalid},
		{"unknown profile", map[string]any{"alarmProfile": "aws,nist"}, `alarmProfile: "aws,nist" has "nist", which is not a profile or is given twice; allowed: aws (AWS's ten), cis (Security Hub CloudWatch.1-14; implies managementEvents=All), or aws,cis`, ErrInvalid},
		{"profile twice", map[string]any{"alarmProfile": "cis,cis"}, `alarmProfile: "cis,cis" has "cis", which is not a profile or is given twice; allowed: aws (AWS's ten), cis (Security Hub CloudWatch.1-14; implies managementEvents=All), or aws,cis`, ErrInvalid},
		{"no profile", map[string]any{"alarmProfile": " , "}, `alarmProfile: " , " names no profile; allowed: aws (AWS's ten), cis (Security Hub CloudWatch.1-14; implies managementEvents=All), or aws,cis`, ErrInvalid},
		{"cis with WriteOnly", map[string]any{"alarmProfile": "cis", "managementEvents": "WriteOnly"}, `managementEvents: "WriteOnly" conflicts with alarmProfile cis: Security Hub's CloudWatch.1-14 checks pass only on a trail that records management events of type All, so the CIS alarms on a write-only trail would still fail them; allowed: All, or leave managementEvents unset (cis implies All)`, ErrInvalid},
		{"dedupe not boolean", map[string]any{"dedupeAlarms": "sometimes"}, `dedupeAlarms: "sometimes" is not a boolean; allowed: true (with aws,cis: drop the 8 AWS alarms a CIS alarm duplicates), false`, ErrInvalid},
		{"notifications", map[string]any{"notifications": "rich"}, `notifications: "rich" is not a notification mode; allowed: enriched (each email lists the CloudTrail events the alarm counted (docs/notifications.md); StackSet members get plain), plain (CloudWatch's alarm email, no function)`, ErrInvalid},
		{"language", map[string]any{"language": "fr"}, `language: "fr" is not a supported language; allowed: en, ja (alarm descriptions and the topic's display name in Japanese)`, ErrInvalid},
		{"log group name", map[string]any{"existingLogGroupName": "trail logs"}, `existingLogGroupName: "trail logs" is not a CloudWatch Logs log group name; allowed: the name of the log group an existing trail delivers to (1-512 of a-z A-Z 0-9 _ - / . #): makes an alarms-only stack`, ErrInvalid},
		{"org trail without org ID", map[string]any{"organizationTrail": "true"}, "organizationId: required but not set; allowed: the ID from `aws organizations describe-organization --query Organization.Id`", ErrMissing},
		{"bad org ID", map[string]any{"organizationTrail": true, "organizationId": "o-123"}, `organizationId: "o-123" is not an organization ID; allowed: an AWS Organizations ID: o- and 10 to 32 lower-case letters or digits`, ErrInvalid},
		{"athena and alarms only", map[string]any{"athena": "true", "existingLogGroupName": "x"}, `athena: true cannot be combined with existingLogGroupName (an alarms-only stack has no trail bucket for the table to read); allowed: false with existingLogGroupName; deploy athena=true where the trail's bucket is`, ErrInvalid},
		{"athena in a StackSet", map[string]any{"athena": true, "stackSetOrganizationalUnits": "r-abcd", "region": "us-east-1"}, `athena: true cannot be combined with stackSetOrganizationalUnits (a member's inline template, at most 51200 bytes, has no room for the Athena table and queries); allowed: false for a StackSet; set athena=true on the target that keeps the logs (an organization trail's)`, ErrInvalid},
		{"org trail and alarms only", map[string]any{"organizationTrail": true, "existingLogGroupName": "x"}, `organizationTrail: true is set, but existingLogGroupName makes an alarms-only stack, which has no trail; allowed: leave it unset, or drop existingLogGroupName`, ErrInvalid},
		{"bad OU", map[string]any{"stackSetOrganizationalUnits": "ou-abcd-12345678,sales"}, `stackSetOrganizationalUnits: "ou-abcd-12345678,sales" has "sales", which is not an OU or root ID; allowed: comma-separated OU IDs (ou-xxxx-xxxxxxxx) or the root (r-xxxx): deploy this configuration to every account in them through a service-managed StackSet`, ErrInvalid},
		{"StackSet without Regions", map[string]any{"stackSetOrganizationalUnits": "r-abcd"}, `stackSetRegions: required but not set; allowed: comma-separated AWS Region codes`, ErrMissing},
		{"StackSet bad Region", map[string]any{"stackSetOrganizationalUnits": "r-abcd", "stackSetRegions": "us-east-1,moon-1"}, `stackSetRegions: "us-east-1,moon-1" has "moon-1", which is not an AWS Region code; allowed: comma-separated AWS Region codes the StackSet deploys to in every account`, ErrInvalid},
		{"StackSet of full stacks in two Regions", map[string]any{"stackSetOrganizationalUnits": "r-abcd", "stackSetRegions": "us-east-1,eu-west-1"}, `stackSetRegions: "us-east-1,eu-west-1" gives every member account one multi-Region trail per Region (each recording every Region: duplicate alarms, a paid second copy); allowed: one Region for a full member stack (its trail records all Regions), or several with existingLogGroupName (alarms only)`, ErrInvalid},
		{"trail name with adjacent punctuation", map[string]any{"trailName": "my--trail"}, `trailName: "my--trail" is not a valid CloudTrail trail name; allowed: 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, no two of '.', '_', '-' in a row, not an IP address`, ErrInvalid},
		{"trail name with mixed adjacent punctuation", map[string]any{"trailName": "my-_trail"}, `trailName: "my-_trail" is not a valid CloudTrail trail name; allowed: 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, no two of '.', '_', '-' in a row, not an IP address`, ErrInvalid},
		{"trail name like an IP address", map[string]any{"trailName": "192.168.5.4"}, `trailName: "192.168.5.4" is not a valid CloudTrail trail name; allowed: 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, no two of '.', '_', '-' in a row, not an IP address`, ErrInvalid},
		{"StackSet of org trails", map[string]any{"stackSetOrganizationalUnits": "r-abcd", "region": "us-east-1", "organizationTrail": true, "organizationId": "o-abcdefghij"}, `organizationTrail: true cannot be combined with stackSetOrganizationalUnits (every member account would make the organization trail); allowed: false for a StackSet; deploy the organization trail as a separate target`, ErrInvalid},
		{"environment label", map[string]any{"environment": "prod env"}, `environment: "prod env" is not an environment label; allowed: a label of letters, digits, '-' or '_' (up to 32): the CI environment (e.g. staging, production) a target deploys in`, ErrInvalid},
		{"bad account", map[string]any{"account": "12345"}, `account: "12345" is not an AWS account ID; allowed: a 12-digit AWS account ID`, ErrInvalid},
		{"bad region", map[string]any{"region": "mars-1"}, `region: "mars-1" is not an AWS Region code; allowed: an AWS Region code (e.g. us-east-1, eu-west-2)`, ErrInvalid},
		{"typo of a key", map[string]any{"notificationEmail": "a@example.com"}, `notificationEmail: "a@example.com" is set on a key trailwatch does not know; allowed: did you mean notificationEmails? (known keys: ` + knownKeys + `)`, ErrUnknownKey},
		{"case typo", map[string]any{"ManagementEvents": "All"}, `ManagementEvents: "All" is set on a key trailwatch does not know; allowed: did you mean managementEvents? (known keys: ` + knownKeys + `)`, ErrUnknownKey},
		{"transposition", map[string]any{"logRetentoinDays": "30"}, `logRetentoinDays: "30" is set on a key trailwatch does not know; allowed: did you mean logRetentionDays? (known keys: ` + knownKeys + `)`, ErrUnknownKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, ok := c.ctx["notificationEmails"]; !ok && !strings.Contains(c.name, "email") {
				c.ctx["notificationEmails"] = "ops@example.com"
			}
			_, err := Parse(c.ctx, noEnv)
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
			lines := lines(err)
			if len(lines) != 1 {
				t.Fatalf("got %d lines, want one:\n%s", len(lines), err)
			}
			if lines[0] != c.want {
				t.Errorf("error\n  got  %s\n  want %s", lines[0], c.want)
			}
		})
	}
}

func TestCISImpliesAllManagementEvents(t *testing.T) {
	for _, c := range []struct {
		ctx  map[string]any
		want string
	}{
		{map[string]any{}, WriteOnly},
		{map[string]any{"managementEvents": "All"}, All},
		{map[string]any{"alarmProfile": "cis"}, All},
		{map[string]any{"alarmProfile": "aws,cis"}, All},
		{map[string]any{"alarmProfile": "cis", "managementEvents": "All"}, All},
		// Alarms only: the existing trail is not ours to configure (managementEvents is rejected:
		// TestFailsOnTrailKeysOfAnAlarmsOnlyStack), so no conflict is raised.
		{map[string]any{"alarmProfile": "cis", "existingLogGroupName": "aws-controltower/CloudTrailLogs"}, All},
	} {
		c.ctx["notificationEmails"] = "a@example.com"
		cfg, err := Parse(c.ctx, noEnv)
		if err != nil {
			t.Errorf("%v: %v", c.ctx, err)
			continue
		}
		if cfg.ManagementEvents != c.want {
			t.Errorf("%v: managementEvents %s, want %s", c.ctx, cfg.ManagementEvents, c.want)
		}
	}
}

func TestAlarmsOnlyAndLanguage(t *testing.T) {
	cfg, err := Parse(map[string]any{"notificationEmails": "a@example.com", "existingLogGroupName": "aws-controltower/CloudTrailLogs", "language": "ja"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ExistingLogGroupName != "aws-controltower/CloudTrailLogs" || cfg.Language != "ja" || len(cfg.Alarms) != 10 {
		t.Errorf("got %+v", cfg)
	}
}

func TestOrganizationAndStackSetKeys(t *testing.T) {
	cfg, err := Parse(map[string]any{"notificationEmails": "a@example.com", "organizationTrail": "true",
		"organizationId": "o-abcdefghij", "accountDimension": true}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.OrganizationTrail || cfg.OrganizationID != "o-abcdefghij" {
		t.Errorf("got %+v", cfg)
	}
	for _, a := range cfg.Alarms {
		if !reflect.DeepEqual(a.Dimensions, map[string]string{"Account": "$.recipientAccountId"}) {
			t.Errorf("%s: dimensions %v, want the account dimension", a.ID, a.Dimensions)
		}
	}
	cfg, err = Parse(map[string]any{"notificationEmails": "a@example.com", "stackSetOrganizationalUnits": "ou-ab12-abcdefgh, r-ab12",
		"region": "eu-west-1", "stackSetMaxConcurrency": 5.0, "stackSetFailureTolerance": "1"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg.StackSet.OUs, []string{"ou-ab12-abcdefgh", "r-ab12"}) || !reflect.DeepEqual(cfg.StackSet.Regions, []string{"eu-west-1"}) ||
		cfg.StackSet.MaxConcurrency != 5 || cfg.StackSet.FailureTolerance != 1 {
		t.Errorf("got %+v", cfg)
	}
}

func TestStackSetAlarmsOnlyInSeveralRegions(t *testing.T) {
	cfg, err := Parse(map[string]any{"notificationEmails": "a@example.com", "stackSetOrganizationalUnits": "r-abcd",
		"stackSetRegions": "us-east-1,eu-west-1", "existingLogGroupName": "CloudTrail/local", "stackSetFailureTolerance": "3"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.StackSet.Regions) != 2 || cfg.StackSet.MaxConcurrency != 1 || cfg.StackSet.FailureTolerance != 3 {
		t.Errorf("got %+v", cfg)
	}
}

func TestFailsOnAnAlarmNameTooLongWithThePrefix(t *testing.T) {
	path := writeFile(t, "a.yaml", "alarms:\n  - {id: Long, pattern: '{ $.a = 1 }', threshold: 1, description: {en: x}, alarmName: "+strings.Repeat("n", 250)+"}\n")
	_, err := Parse(map[string]any{"notificationEmails": "a@example.com", "alarmsFile": path, "alarmNamePrefix": "prod-acct-"}, noEnv)
	want := `alarmNamePrefix: "prod-acct-" makes alarm Long's name 260 characters long; allowed: prefix and alarm name together at most 255 characters`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestFailsOnMoreFiltersThanALogGroupHolds(t *testing.T) {
	var b strings.Builder
	b.WriteString("alarms:\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "  - {id: Custom%d, pattern: '{ $.eventName = E%d }', threshold: 1, description: {en: x}}\n", i, i)
	}
	path := writeFile(t, "a.yaml", b.String())
	// 24 rows + 30 custom, each with its per-account filter (108), the CIS route-table row's
	// benchmark filter (1), and the 5 tamper rows (catalog.MaxTamperRows).
	_, err := Parse(map[string]any{"notificationEmails": "a@example.com", "alarmsFile": path, "alarmProfile": "aws,cis", "accountDimension": true}, noEnv)
	want := []string{`alarmProfile: "aws,cis" with the other alarm keys makes 114 metric filters; allowed: at most 100 on one log group (CloudWatch Logs' limit; an existing log group's own filters count too): fewer alarms, dedupeAlarms=true, or no accountDimension`}
	if got := lines(err); !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// The filter count is exact at the boundary: the default profile's 10 rows plus its 5 tamper
// rows, the CIS profile's 14 with the route-table row's benchmark filter (15 filters), and an
// alarms file filling the rest: 100 filters pass, 101 do not.
func TestFilterLimitCountsBenchmarkAndTamperFilters(t *testing.T) {
	file := func(n int) string {
		var b strings.Builder
		b.WriteString("alarms:\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  - {id: Custom%d, pattern: '{ $.eventName = E%d }', threshold: 1, description: {en: x}}\n", i, i)
		}
		return writeFile(t, "a.yaml", b.String())
	}
	ctx := func(n int) map[string]any {
		return map[string]any{"notificationEmails": "a@example.com", "alarmsFile": file(n), "alarmProfile": "aws,cis"}
	}
	// 10 + 15 + 5 = 30 filters before the file: 70 rows fit, 71 do not.
	if _, err := Parse(ctx(70), noEnv); err != nil {
		t.Errorf("100 filters: %v", err)
	}
	_, err := Parse(ctx(71), noEnv)
	want := []string{`alarmProfile: "aws,cis" with the other alarm keys makes 101 metric filters; allowed: at most 100 on one log group (CloudWatch Logs' limit; an existing log group's own filters count too): fewer alarms, dedupeAlarms=true, or no accountDimension`}
	if got := lines(err); !slices.Equal(got, want) {
		t.Errorf("101 filters: got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestReportsEveryProblemAtOnce(t *testing.T) {
	_, err := Parse(map[string]any{"managementEvents": "Some", "logRetentionDays": "2"}, noEnv)
	lines := lines(err)
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3 (emails, managementEvents, logRetentionDays):\n%s", len(lines), err)
	}
	for i, prefix := range []string{"notificationEmails:", "managementEvents:", "logRetentionDays:"} {
		if !strings.HasPrefix(lines[i], prefix) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], prefix)
		}
	}
}

func TestUnrelatedUnknownKeyIsNotATypo(t *testing.T) {
	for _, name := range []string{"stage", "owner", "vpcId"} {
		if near := nearestKey(name); near != "" {
			t.Errorf("%q was taken for a typo of %q", name, near)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "abc", 0}, {"abc", "abd", 1}, {"abc", "ab", 1}, {"ab", "ba", 2}, {"kitten", "sitting", 3}} {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func profilesNamed(names ...string) []catalog.Profile {
	var out []catalog.Profile
	for _, n := range names {
		p, _ := catalog.ProfileNamed(n)
		out = append(out, p)
	}
	return out
}

// lines are the lines the app prints for err: one per problem.
func lines(err error) []string {
	var out []string
	for _, p := range Problems(err) {
		out = append(out, p.Error())
	}
	return out
}

// A custom alarm may not take a tamper row's ID or name: the stack adds those rows itself.
func TestFailsOnACustomAlarmTakingATamperRowsID(t *testing.T) {
	path := writeFile(t, "a.yaml", "alarms:\n  - {id: TamperTrail, pattern: '{ $.a = 1 }', threshold: 1, description: {en: x}}\n")
	_, err := Parse(map[string]any{"notificationEmails": "a@example.com", "alarmsFile": path}, noEnv)
	// The line names the file's entry and field, not the row's place among the stack's rows.
	want := []string{"alarmsFile: " + path + `: alarm 1 (TamperTrail): id: "TamperTrail" is used twice (also by tamper alarm TamperTrail)`}
	if got := lines(err); !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	var p *Problem
	if !errors.As(err, &p) || p.Entry != "alarm 1 (TamperTrail)" || p.Field != "id" || p.File != path || !errors.Is(err, ErrAlarmsFile) {
		t.Errorf("problem %+v, want Entry, Field and File set", p)
	}
}

// A tamper pattern that could outgrow CloudWatch's 1,024 characters stops synth, naming the file
// whose alarm names make it long.
func TestFailsOnATamperPatternTooLong(t *testing.T) {
	var b strings.Builder
	b.WriteString("alarms:\n")
	for i := range 12 {
		fmt.Fprintf(&b, "  - {id: Custom%d, pattern: '{ $.eventName = E%d }', threshold: 1, description: {en: x}, alarmName: %c%s}\n", i, i, 'A'+i, strings.Repeat("x", 40))
	}
	path := writeFile(t, "a.yaml", b.String())
	_, err := Parse(map[string]any{"notificationEmails": "a@example.com", "alarmsFile": path}, noEnv)
	want := []string{"alarmsFile: " + path + ": tamper alarm TamperAlarms: the pattern can be 3566 characters long with the longest deploy-time names; CloudWatch Logs allows 1024 (a shorter alarmNamePrefix, trailName or existingLogGroupName, or fewer custom alarm names, makes it fit)"}
	if got := lines(err); !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// Without an alarms file, a tamper pattern too long is the prefix's: the line names the key and
// the tamper row, not the row's flattened text.
func TestFailsOnATamperPatternTooLongFromThePrefix(t *testing.T) {
	_, err := Parse(map[string]any{"notificationEmails": "a@example.com", "alarmNamePrefix": strings.Repeat("p", 64), "alarmProfile": "aws,cis"}, noEnv)
	want := []string{"alarmNamePrefix: tamper alarm TamperAlarms: the pattern can be 1306 characters long with the longest deploy-time names; CloudWatch Logs allows 1024 (a shorter alarmNamePrefix, trailName or existingLogGroupName, or fewer custom alarm names, makes it fit)"}
	if got := lines(err); !slices.Equal(got, want) || !errors.Is(err, ErrInvalid) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
