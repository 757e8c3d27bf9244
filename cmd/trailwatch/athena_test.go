package main

import (
	"strings"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/athena"
	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// TestSQLPrintsTheTranslatorsQuery: --sql prints exactly athena.SQL's text for the options the
// flags describe.
func TestSQLPrintsTheTranslatorsQuery(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name   string
		args   []string
		alarms string
		opts   athena.Options
	}{
		{"default", nil, "aws", athena.Options{}},
		{"cis, table, range", []string{"--alarms", "cis", "--athena-table", "trail_db.cloudtrail", "--since", "2024-05-01", "--until", "2024-05-04T06:00:00Z"}, "cis",
			athena.Options{Table: "trail_db.cloudtrail", Since: day("2024-05-01"), Until: day("2024-05-04").Add(6 * time.Hour)}},
		{"organization", []string{"--alarms", "aws,cis", "--organization", "o-abcdefghij", "--accounts", "111122223333,444455556666", "--regions", "us-east-1"}, "aws,cis",
			athena.Options{Organization: true, Accounts: []string{"111122223333", "444455556666"}, Regions: []string{"us-east-1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := catalog.Resolve(tc.alarms)
			if err != nil {
				t.Fatal(err)
			}
			want, err := athena.SQL(rows, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			code, out, errs := replayCmd(t, "", append([]string{"--sql"}, tc.args...)...)
			if code != cli.ExitOK || errs != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing", code, errs)
			}
			if out != want {
				t.Errorf("stdout is not athena.SQL's query\n--- got\n%s\n--- want\n%s", out, want)
			}
		})
	}
}

func TestSQLUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--sql", "testdata/input"}, "trailwatch replay: --sql reads no input (the query reads the table): drop testdata/input\n"},
		{[]string{"--sql", "s3://bucket/AWSLogs/"}, "trailwatch replay: --sql reads no input (the query reads the table): drop s3://bucket/AWSLogs/\n"},
		{[]string{"--sql", "--template", "x.json"}, "trailwatch replay: --sql and --template are exclusive: the query is for catalog alarms (--alarms) at their own periods, and reads the table, not inputs\n"},
		{[]string{"--sql", "--period", "600"}, "trailwatch replay: --sql and --period are exclusive: the query is for catalog alarms (--alarms) at their own periods, and reads the table, not inputs\n"},
		{[]string{"--sql", "--alarms", "nope"}, "trailwatch replay: --alarms: "},
		{[]string{"--sql", "--organization", "o-abcdefghij"}, "trailwatch replay: --organization: an organization trail's table reads only the accounts a query names: give --accounts\n"},
		{[]string{"--sql", "--organization", "org", "--accounts", "111122223333"}, "trailwatch replay: --organization: \"org\" is not an organization ID (o- and 10 to 32 lower-case letters or digits)\n"},
		{[]string{"--sql", "--accounts", "12"}, "trailwatch replay: --accounts: \"12\" is not an account ID (12 digits)\n"},
		{[]string{"--sql", "--since", "2024-05-02", "--until", "2024-05-01"}, "trailwatch replay: --until 2024-05-01T00:00:00Z is not after --since 2024-05-02T00:00:00Z\n"},
		// The translator's own message, through the command line.
		{[]string{"--sql", "--athena-table", "a.b.c"}, "trailwatch replay: no query: table \"a.b.c\": want NAME or DATABASE.NAME of letters, digits and '_'\n"},
		{[]string{"--athena-table", "t", "testdata/input"}, "trailwatch replay: --athena-table is for the Athena table and query: use it with --sql or --athena\n"},
		{[]string{"--sql", "--athena"}, "trailwatch replay: --sql and --athena are exclusive: --sql prints the query, --athena runs it\n"},
		{[]string{"--sql", "--athena-workgroup", "wg"}, "trailwatch replay: --sql and --athena-workgroup are exclusive: "},
		{[]string{"--athena"}, "trailwatch replay: --athena needs --athena-workgroup: the workgroup that runs the query and holds its results\n"},
		{[]string{"--athena", "--athena-workgroup", "wg", "x.json"}, "trailwatch replay: --athena reads no input (the query reads the table): drop x.json\n"},
		{[]string{"--athena", "--athena-workgroup", "wg", "--workers", "2"}, "trailwatch replay: --athena and --workers are exclusive: "},
	} {
		code, out, errs := replayCmd(t, "", tc.args...)
		if code != cli.ExitUsage || out != "" || !strings.HasPrefix(errs, tc.want) {
			t.Errorf("replay %q: exit %d, stdout %q, stderr %q; want exit 2, no stdout, stderr %q", tc.args, code, out, errs, tc.want)
		}
	}
}

// TestSQLNamesTheRefusedConstruct: a pattern without an exact translation is refused with the
// translator's message, naming the alarm and the construct. No catalog pattern is refused, so the
// row is made here.
func TestSQLNamesTheRefusedConstruct(t *testing.T) {
	rows := []catalog.Alarm{{ID: "Lower", Pattern: `{ $.eventname = "x" }`}, {ID: "Null", Pattern: `{ $.requestParameters IS NULL }`}}
	_, want := athena.SQL(rows, athena.Options{})
	if want == nil {
		t.Fatal("athena.SQL translated both patterns; pick refused ones")
	}
	_, err := querySQL(rows, athena.Options{})
	if err == nil || err.Error() != "no query: "+want.Error() {
		t.Fatalf("querySQL error = %v, want %q", err, "no query: "+want.Error())
	}
	for _, s := range []string{"Lower: ", "Null: "} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %q", err, s)
		}
	}
}
