package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/internal/replay"
)

// replayUsage is the command's help text.
const replayUsage = `usage: trailwatch replay [flags] [FILE|DIR|-]...

Replays CloudWatch alarms over CloudTrail history offline and reports, per alarm, the matching
records, the periods the alarm would have been in ALARM, its episodes (one notification each) and
who, what and from where behind the matches.

Inputs are read by content, mixed freely, as match reads them: CloudTrail S3 log files (gzip or
not, e.g. an AWSLogs/... tree from 'aws s3 sync'), 'aws cloudtrail lookup-events' output, the
console's Event history JSON download (its CSV only when a column holds the whole record), JSON
lines of records or of EventBridge events. A record needs an eventTime. Directories are read
recursively, symlinks followed; a file named twice is read once. With no arguments, or "-",
standard input is read. s3://BUCKET/[PREFIX] reads a trail's bucket in place
(AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/), listing only the day, account and
Region folders --since/--until, --accounts and --regions allow.

--sql prints the Athena query that replays the selected catalog alarms over the CloudTrail table
and reads nothing; --athena runs it in --athena-workgroup and prints the same report, with the
bytes the query scanned and their cost (docs/athena.md).

Exit status: 0 all input replayed, 1 some input skipped (listed in the report), 2 usage error
(also: no AWS Region or credentials for s3:// inputs or --athena), 3 an s3:// input could not be
listed, or the Athena query could not be run or failed, 4 the report could not be written or
encoded. Limits (record size, nesting, workers, report
lists): see docs/cli.md.

flags:
`

// runReplay is `trailwatch replay`: flags and output over internal/replay.
func runReplay(args []string, sys *cli.Stdio) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	alarms := addAlarmsFlag(fs, "replay")
	template := fs.String("template", "", "replay the metric filters and alarms of this synthesized CloudFormation template (e.g. cdk.out/Trailwatch.template.json) instead of catalog alarms; at most 1 MiB")
	format := fs.String("format", "table", "output format: table or json")
	period := fs.Int64("period", replay.DefaultPeriod, "period in seconds for catalog alarms that set none and for filters no alarm watches (a multiple of 60, at most 604800: 7 days)")
	top := fs.Int("top", 5, fmt.Sprintf("length of the top principals / event names / source IPs lists (1 to %d)", replay.MaxTopN))
	workers := fs.Int("workers", 0, fmt.Sprintf("files read and match workers at once (default: number of CPUs; at most %d, 4 per CPU)", replay.MaxWorkers()))
	timeRange := addRangeFlags(fs)
	s3f := addS3Flags(fs)
	af := addAthenaFlags(fs)
	if code, ok := parseFlags(fs, args, sys, replayUsage); !ok {
		return code
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(sys.Stderr, "trailwatch replay: "+format+"\n", a...)
		return cli.ExitUsage
	}
	if *format != "table" && *format != "json" {
		return usage("--format %q: want table or json", *format)
	}
	// 0 means "the default" to replay.Options; on the command line it is a value like any other.
	if *top == 0 {
		return usage("--top 0: want 1 to %d", replay.MaxTopN)
	}
	if *period == 0 {
		return usage("--period 0: want a multiple of 60 seconds from 60 to %d", replay.MaxPeriod)
	}
	if af.sql || af.run {
		return replayOnAthena(fs, sys, alarms, af, timeRange, s3f, *format, *top)
	}
	set := setFlags(fs)
	for _, name := range []string{"athena-table", "organization", "athena-workgroup", "athena-database", "athena-timeout"} {
		if set[name] {
			return usage("--%s is for the Athena table and query: use it with --sql or --athena", name)
		}
	}
	var rules []replay.Rule
	if *template != "" {
		if alarms.given {
			return usage("--alarms and --template are exclusive: a template brings its own alarms")
		}
		var err error
		if rules, err = replay.ReadTemplate(*template); err != nil {
			return usage("%s", printable(err.Error()))
		}
	} else {
		rows, err := alarms.rows()
		if err != nil {
			return usage("%v", err)
		}
		rules = replay.FromCatalog(rows, *period)
	}

	inputs, urls := splitS3(fs.Args())
	if len(inputs) == 0 && len(urls) == 0 {
		if sys.StdinIsTerminal {
			return usage("no input: give files, directories or - (standard input)")
		}
		inputs = []string{"-"}
	}
	o := replay.Options{
		Rules: rules, Inputs: inputs, Stdin: sys.Stdin,
		Workers: *workers, UnwatchedPeriod: *period, TopN: *top,
	}
	if err := configureInputs(&o, urls, timeRange, s3f); err != nil {
		return usage("%v", err)
	}
	var bar *progressBar
	if sys.StderrIsTerminal {
		bar = &progressBar{w: sys.Stderr}
		o.Progress = bar.update
	}
	rep, err := replay.Run(o)
	if bar != nil {
		bar.clear()
	}
	if le := (listingError{}); errors.As(err, &le) {
		fmt.Fprintf(sys.Stderr, "trailwatch replay: %v\n", le)
		return cli.ExitListing
	}
	if err != nil {
		return usage("%s", printable(err.Error()))
	}
	return writeReport(sys, rep, *format)
}

// writeReport prints the report in format; the exit code says whether input was skipped.
func writeReport(sys *cli.Stdio, rep *replay.Report, format string) int {
	// The report is built whole before a byte goes out, so a report that cannot be encoded
	// prints nothing rather than half a document, and a write error is caught at the end.
	var out bytes.Buffer
	if format == "json" {
		enc := json.NewEncoder(&out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(sys.Stderr, "trailwatch replay: cannot encode the report: %v\n", err)
			return cli.ExitOutput
		}
	} else {
		writeTable(&out, rep)
	}
	if _, err := out.WriteTo(sys.Stdout); err != nil {
		fmt.Fprintf(sys.Stderr, "trailwatch replay: writing the report: %v\n", err)
		return cli.ExitOutput
	}
	if rep.Totals.RecordsSkipped > 0 {
		if format == "json" {
			// The table already lists skips; JSON readers may not look, so say it on stderr too.
			fmt.Fprintf(sys.Stderr, "trailwatch replay: %d skipped (see totals.skipped)\n", rep.Totals.RecordsSkipped)
		}
		return cli.ExitProblems
	}
	return cli.ExitOK
}
