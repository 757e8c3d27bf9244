package main

import (
	"context"
	"os"
	"os/signal"
	"time"

	"errors"
	"flag"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/aws"
	athenasvc "github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/trailwatch/trailwatch/internal/replay"
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
	sql, run            bool
	table, organization string
	workgroup, database string
	timeout, poll       time.Duration
}

func addAthenaFlags(fs *flag.FlagSet) *athenaFlags {
	f := &athenaFlags{}
	fs.BoolVar(&f.sql, "sql", false, "print the Athena (Trino) query that replays the selected catalog alarms over the CloudTrail table, and read no input (docs/athena.md)")
	fs.StringVar(&f.table, "athena-table", "cloudtrail_logs", "--sql, --athena: the CloudTrail table, TABLE or DATABASE.TABLE")
	fs.StringVar(&f.organization, "organization", "", "--sql, --athena: the table is this organization trail's (o-...): its account partition is injected, so --accounts is required")
	fs.BoolVar(&f.run, "athena", false, "run that query on Amazon Athena in --athena-workgroup and print the report, with the bytes it scanned and their cost")
	fs.StringVar(&f.workgroup, "athena-workgroup", "", "--athena: the workgroup that runs the query (the stack's is trailwatch-TRAIL)")
	fs.StringVar(&f.database, "athena-database", "", "--athena: the database of an unqualified --athena-table (default: the workgroup's)")
	fs.DurationVar(&f.timeout, "athena-timeout", 30*time.Minute, "--athena: stop the query if it has not finished after this long")
	fs.DurationVar(&f.poll, "athena-poll", time.Second, "first wait between GetQueryExecution calls (doubles up to 5s)")
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

// replayOnAthena is `replay --sql` and `replay --athena`. --sql: the query on stdout, exit 0.
// --athena: the report of the query's result. A usage error writes nothing to stdout.
func replayOnAthena(fs *flag.FlagSet, sys *cli.Stdio, alarms *alarmsFlag, af *athenaFlags, r *rangeFlags, s *s3Flags, format string, top int) int {
	usage := func(format string, a ...any) int {
		fmt.Fprintf(sys.Stderr, "trailwatch replay: "+format+"\n", a...)
		return cli.ExitUsage
	}
	mode := "--sql"
	if af.run {
		mode = "--athena"
	}
	if af.sql && af.run {
		return usage("--sql and --athena are exclusive: --sql prints the query, --athena runs it")
	}
	if len(fs.Args()) > 0 {
		return usage("%s reads no input (the query reads the table): drop %s", mode, printable(fs.Args()[0]))
	}
	set := setFlags(fs)
	exclusive := []string{"template", "period", "workers", "s3-concurrency"}
	if af.sql {
		exclusive = append(exclusive, "profile", "region", "endpoint-url", "athena-workgroup", "athena-database", "athena-timeout", "format", "top")
	}
	for _, name := range exclusive {
		if set[name] {
			return usage("%s and --%s are exclusive: the query is for catalog alarms (--alarms) at their own periods, and reads the table, not inputs", mode, name)
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
	if af.sql {
		if _, err := io.WriteString(sys.Stdout, q); err != nil {
			fmt.Fprintf(sys.Stderr, "trailwatch replay: writing the query: %v\n", err)
			return cli.ExitOutput
		}
		return cli.ExitOK
	}
	if af.workgroup == "" {
		return usage("%v", errNoWorkgroup)
	}
	if af.timeout <= 0 || af.poll <= 0 {
		return usage("--athena-timeout and --athena-poll: want a positive duration")
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	cfg, err := loadAWSConfig(ctx, s, "--athena")
	if err != nil {
		return usage("%v", err)
	}
	client := athenasvc.NewFromConfig(cfg, func(o *athenasvc.Options) {
		if s.endpoint != "" {
			o.BaseEndpoint = aws.String(s.endpoint)
		}
	})
	res, err := runAthenaQuery(ctx, client, q, af.workgroup, af.database, af.poll, af.timeout)
	var rep *replay.Report
	if err == nil {
		rep, err = athenaReport(rows, o, res, top)
	}
	if err != nil {
		fmt.Fprintf(sys.Stderr, "trailwatch replay: %v\n", err)
		return cli.ExitListing
	}
	fmt.Fprintf(sys.Stderr, "trailwatch replay: Athena query %s scanned %d bytes: $%.4f at $%g per TB\n", res.id, res.scanned, athena.Cost(res.scanned), athena.PricePerTB)
	return writeReport(sys, rep, format)
}
