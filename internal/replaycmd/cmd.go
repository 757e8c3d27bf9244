// Package replaycmd is the `trailwatch replay` command: flags, output and exit codes over
// internal/replay. It takes the filter-pattern engine as a replay.Compile, so it can be tested
// and built without knowing how patterns are evaluated.
package replaycmd

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/trailwatch/trailwatch/internal/replay"
	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Exit codes.
const (
	ExitClean   = 0 // every input byte was replayed
	ExitSkipped = 1 // the report is complete for what was read, but something was skipped
	ExitUsage   = 2 // bad flags, unknown alarm, unreadable or unsupported template
)

// Env is what the command reads and writes: nothing else, never a file.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// StdinIsTerminal and StderrIsTerminal decide whether to wait for piped input and whether to
	// draw a progress bar.
	StdinIsTerminal, StderrIsTerminal bool
}

// Usage is the command's help text.
const Usage = `usage: trailwatch replay [flags] [FILE|DIR|-]...

Replays CloudWatch alarms over CloudTrail history offline and reports, per alarm, the matching
records, the periods the alarm would have been in ALARM, its episodes (one notification each) and
who, what and from where behind the matches.

Inputs are read by content, mixed freely: CloudTrail S3 log files (gzip or not, e.g. an
AWSLogs/... tree from 'aws s3 sync'), 'aws cloudtrail lookup-events' output, the console's Event
history JSON download, JSON lines of records or of EventBridge events. Directories are read
recursively; with no arguments, or "-", standard input is read.

Exit status: 0 all input replayed, 1 some input skipped (listed in the report), 2 usage error.

flags:
`

// Main runs `trailwatch replay args...` and returns the exit code.
func Main(args []string, env Env, compile replay.Compile) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	alarms := fs.String("alarms", "aws", "catalog alarms to replay: profiles (aws, cis) and/or alarm IDs, comma-separated")
	template := fs.String("template", "", "replay the metric filters and alarms of this synthesized CloudFormation template (e.g. cdk.out/Audit.template.json) instead of catalog alarms")
	format := fs.String("format", "table", "output format: table or json")
	period := fs.Int64("period", replay.DefaultPeriod, "period in seconds for catalog alarms and for filters no alarm watches (a multiple of 60)")
	top := fs.Int("top", 5, "length of the top principals / event names / source IPs lists")
	workers := fs.Int("workers", 0, "files read and match workers at once (default: number of CPUs)")
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, Usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitClean
		}
		return ExitUsage
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "trailwatch replay: "+format+"\n", a...)
		return ExitUsage
	}
	if *format != "table" && *format != "json" {
		return usage("--format %q: want table or json", *format)
	}
	if *period < 60 || *period%60 != 0 {
		return usage("--period %d: want a multiple of 60 seconds", *period)
	}
	alarmsSet := false
	fs.Visit(func(f *flag.Flag) { alarmsSet = alarmsSet || f.Name == "alarms" })
	var rules []replay.Rule
	if *template != "" {
		if alarmsSet {
			return usage("--alarms and --template are exclusive: a template brings its own alarms")
		}
		doc, err := os.ReadFile(*template)
		if err != nil {
			return usage("%v", err)
		}
		if rules, err = replay.FromTemplate(doc); err != nil {
			return usage("%s: %v", *template, err)
		}
	} else {
		rows, err := selectAlarms(*alarms)
		if err != nil {
			return usage("%v", err)
		}
		rules = replay.FromCatalog(rows, *period)
	}

	inputs := fs.Args()
	if len(inputs) == 0 {
		if env.StdinIsTerminal {
			return usage("no input: give files, directories or - (standard input)")
		}
		inputs = []string{"-"}
	}
	o := replay.Options{
		Rules: rules, Compile: compile, Inputs: inputs, Stdin: env.Stdin,
		Workers: *workers, UnwatchedPeriod: *period, TopN: *top,
	}
	var bar *progressBar
	if env.StderrIsTerminal {
		bar = &progressBar{w: env.Stderr}
		o.Progress = bar.update
	}
	rep, err := replay.Run(o)
	if bar != nil {
		bar.clear()
	}
	if err != nil {
		return usage("%v", err)
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(env.Stderr, "trailwatch replay: %v\n", err)
		}
	} else {
		writeTable(env.Stdout, rep)
	}
	if rep.Totals.RecordsSkipped > 0 {
		if *format == "json" {
			// The table already lists skips; JSON readers may not look, so say it on stderr too.
			fmt.Fprintf(env.Stderr, "trailwatch replay: %d skipped (see totals.skipped)\n", rep.Totals.RecordsSkipped)
		}
		return ExitSkipped
	}
	return ExitClean
}

// selectAlarms resolves --alarms: profiles (aws, cis) and/or alarm IDs, as catalog.Resolve reads them.
func selectAlarms(spec string) ([]catalog.Alarm, error) {
	rows, err := catalog.Resolve(spec)
	if err != nil {
		return nil, fmt.Errorf("--alarms: %w", err)
	}
	return rows, nil
}
