package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/trailwatch/trailwatch/internal/athena"
	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// replay's Athena flags: --sql prints the one query that replays the selected catalog alarms over
// the CloudTrail table (internal/athena.SQL, docs/athena.md) instead of reading any input.

type athenaFlags struct {
	sql          bool
	table        string
	organization string
}

func addAthenaFlags(fs *flag.FlagSet) *athenaFlags {
	f := &athenaFlags{}
	fs.BoolVar(&f.sql, "sql", false, "print the Athena (Trino) query that replays the selected catalog alarms over the CloudTrail table, and read no input (docs/athena.md)")
	fs.StringVar(&f.table, "athena-table", "cloudtrail_logs", "--sql: the CloudTrail table, TABLE or DATABASE.TABLE")
	fs.StringVar(&f.organization, "organization", "", "--sql: the table is this organization trail's (o-...): its account partition is injected, so --accounts is required")
	return f
}

var organizationID = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)

// athenaOptions turns the command line into the query's options. The error is a usage problem.
func athenaOptions(f *athenaFlags, r *rangeFlags, s *s3Flags) (athena.Options, error) {
	o := athena.Options{Table: f.table, Since: r.since.t, Until: r.until.t, Accounts: s.accounts, Regions: s.regions}
	if r.since.given && r.until.given && !o.Until.After(o.Since) {
		return o, fmt.Errorf("--until %s is not after --since %s", r.until.String(), r.since.String())
	}
	for _, a := range s.accounts {
		if !accountIDFlag.MatchString(a) {
			return o, fmt.Errorf("--accounts: %q is not an account ID (12 digits)", a)
		}
	}
	for _, rg := range s.regions {
		if !regionFlag.MatchString(rg) {
			return o, fmt.Errorf("--regions: %q is not a Region name (like us-east-1)", rg)
		}
	}
	if f.organization != "" {
		if !organizationID.MatchString(f.organization) {
			return o, fmt.Errorf("--organization: %q is not an organization ID (o- and 10 to 32 lower-case letters or digits)", f.organization)
		}
		if len(s.accounts) == 0 {
			return o, errors.New("--organization: an organization trail's table reads only the accounts a query names: give --accounts")
		}
		o.Organization = true
	}
	return o, nil
}

// querySQL is athena.SQL with the flags' names in its error: every refused construct, one a line.
func querySQL(rows []catalog.Alarm, o athena.Options) (string, error) {
	q, err := athena.SQL(rows, o)
	if err != nil {
		lines := strings.Split(err.Error(), "\n")
		for i, l := range lines {
			lines[i] = printable(l)
		}
		return "", fmt.Errorf("no query: %s", strings.Join(lines, "\n"))
	}
	return q, nil
}

// setFlags are the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// printSQL is `replay --sql`: the query on stdout, exit 0; or a usage error and nothing on stdout.
func printSQL(fs *flag.FlagSet, sys *cli.Stdio, alarms *alarmsFlag, af *athenaFlags, r *rangeFlags, s *s3Flags) int {
	usage := func(format string, a ...any) int {
		fmt.Fprintf(sys.Stderr, "trailwatch replay: "+format+"\n", a...)
		return cli.ExitUsage
	}
	if len(fs.Args()) > 0 {
		return usage("--sql prints the query and reads no input: drop %s", printable(fs.Args()[0]))
	}
	set := setFlags(fs)
	for _, name := range []string{"template", "period", "workers", "s3-concurrency", "profile", "region", "endpoint-url"} {
		if set[name] {
			return usage("--sql and --%s are exclusive: the query is for catalog alarms (--alarms) at their own periods, and nothing is read", name)
		}
	}
	rows, err := alarms.rows()
	if err != nil {
		return usage("%v", err)
	}
	o, err := athenaOptions(af, r, s)
	if err != nil {
		return usage("%v", err)
	}
	q, err := querySQL(rows, o)
	if err != nil {
		return usage("%v", err)
	}
	if _, err := io.WriteString(sys.Stdout, q); err != nil {
		fmt.Fprintf(sys.Stderr, "trailwatch replay: writing the query: %v\n", err)
		return cli.ExitOutput
	}
	return cli.ExitOK
}
