package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/internal/cloudtrail"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

const matchUsage = `Usage: trailwatch match [--format text|jsonl] [--alarms SELECTION | --pattern PATTERN] [FILE|DIR|-]...

Reads CloudTrail records from each FILE ("-" or no FILE: standard input) and reports which
catalog alarms (by default AWS's ten recommended CloudTrail alarms) each record sets off, in
catalog order. Inputs are those replay reads, read and walked the same way: JSON lines of records
or of EventBridge events, CloudTrail S3 log files (gzip or not), 'aws cloudtrail lookup-events'
output, the console's Event history JSON download, and its CSV download only when a column holds
the whole record. Directories are read recursively, symlinks followed; a file named twice is read
once. A JSON object is a record when it looks like one (eventVersion, or eventName and
eventSource), so hand-written records need one of these; unlike replay, match needs no eventTime.
A record is located by line and, inside an array (Records, Events), by its position (#N). What
cannot be read is reported as an error and reading goes on. Flags come before the FILEs.

Exit status: 0 if every input was read, 1 otherwise (something was skipped or a FILE cannot be
read), 2 for a usage error such as an unknown flag or a pattern that does not parse, 4 if the
output could not be written (a full disk). Limits (line size, nesting): see docs/cli.md.

Flags:
`

// matcher is what match evaluates: a Set and the name to print for each of its patterns.
type matcher struct {
	set   *filterpattern.Set
	names []string
}

func runMatch(args []string, sys *cli.Stdio) int {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	format := fs.String("format", "text", "output `format`: text (readable) or jsonl (one JSON object per record or problem)")
	var pattern *string
	fs.Func("pattern", "match this one filter `PATTERN` instead of the catalog; it is named \"pattern\" in the output; excludes --alarms", func(s string) error {
		pattern = &s
		return nil
	})
	alarms := addAlarmsFlag(fs, "match")
	if code, ok := parseFlags(fs, args, sys, matchUsage); !ok {
		return code
	}
	if *format != "text" && *format != "jsonl" {
		fmt.Fprintf(sys.Stderr, "trailwatch match: --format must be text or jsonl, not %q\n", *format)
		return cli.ExitUsage
	}
	if pattern != nil && alarms.given {
		fmt.Fprintln(sys.Stderr, "trailwatch match: --alarms and --pattern are exclusive: --pattern matches one pattern instead of catalog alarms")
		return cli.ExitUsage
	}
	m, err := newMatcher(pattern, alarms)
	if err != nil {
		fmt.Fprintf(sys.Stderr, "trailwatch match: %v\n", err)
		return cli.ExitUsage
	}
	names := fs.Args()
	if len(names) == 0 {
		names = []string{"-"}
	}
	code := cli.ExitOK
	// The walk replay uses: directories recursively, symlinks followed, each file read once.
	inputs := cloudtrail.ListInputs(names, func(p cloudtrail.Problem) {
		fmt.Fprintf(sys.Stderr, "trailwatch match: %s\n", printable(p.Detail))
		code = cli.ExitProblems
	}, func(i cloudtrail.Ignored) {
		fmt.Fprintf(sys.Stderr, "trailwatch match: %s: %s\n", printable(i.File), printable(i.Reason))
	})
	out := bufio.NewWriter(sys.Stdout)
	// Lines name their file when there are several inputs, or one found inside a directory.
	named := len(inputs) > 1 || len(names) > 1 || len(inputs) == 1 && inputs[0].Path != names[0]
	w := &resultWriter{w: out, jsonl: *format == "jsonl", named: named}
	skipped := 0
	var reader cloudtrail.Reader
	for _, in := range inputs {
		n, err := m.matchInput(&reader, in.Path, sys, w)
		skipped += n
		if err != nil {
			fmt.Fprintf(sys.Stderr, "trailwatch match: %s\n", printable(err.Error()))
			code = cli.ExitProblems
		}
		if w.err != nil {
			break
		}
	}
	if err := out.Flush(); err != nil || w.err != nil {
		fmt.Fprintf(sys.Stderr, "trailwatch match: writing output: %v\n", errors.Join(w.err, err))
		return cli.ExitOutput
	}
	if skipped > 0 {
		fmt.Fprintf(sys.Stderr, "trailwatch match: %d skipped (the error lines say where and why)\n", skipped)
		code = cli.ExitProblems
	}
	return code
}

// newMatcher builds a Set of the selected catalog alarms, or of the one --pattern.
func newMatcher(pattern *string, selection *alarmsFlag) (*matcher, error) {
	if pattern != nil {
		p, err := filterpattern.Parse(*pattern)
		if err != nil {
			return nil, fmt.Errorf("--pattern: %v%s", err, caret(*pattern, err))
		}
		return &matcher{set: filterpattern.NewSet(p), names: []string{"pattern"}}, nil
	}
	alarms, err := selection.rows()
	if err != nil {
		return nil, err
	}
	ps := make([]*filterpattern.Pattern, len(alarms))
	names := make([]string, len(alarms))
	for i, a := range alarms {
		p, err := filterpattern.Parse(a.Pattern)
		if err != nil {
			return nil, fmt.Errorf("catalog alarm %s: %v", a.ID, err) // the catalog tests rule this out
		}
		ps[i], names[i] = p, a.ID
	}
	return &matcher{set: filterpattern.NewSet(ps...), names: names}, nil
}

// caret draws the pattern with a '^' under the error's column, when the pattern fits on one line.
func caret(pattern string, err error) string {
	var se *filterpattern.SyntaxError
	if !errors.As(err, &se) || strings.IndexFunc(pattern, unicode.IsControl) >= 0 {
		return ""
	}
	return "\n  " + pattern + "\n  " + strings.Repeat(" ", se.Col-1) + "^"
}

// matchInput reads one input with the CloudTrail reader replay uses and writes a result per
// record and an error per skipped piece. It returns how many pieces were skipped, and an error
// if the input could not be opened.
func (m *matcher) matchInput(reader *cloudtrail.Reader, name string, sys *cli.Stdio, w *resultWriter) (skipped int, err error) {
	in := sys.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		in = f
	}
	w.file = name
	hits := make([]bool, m.set.Len())
	var alarms []string
	reader.Read(name, in, cloudtrail.Handler{
		Record: func(rec []byte, loc cloudtrail.Location) {
			if err := m.set.Match(rec, hits); err != nil {
				skipped++
				w.error(loc, err.Error())
				return
			}
			alarms = alarms[:0]
			for i, hit := range hits {
				if hit {
					alarms = append(alarms, m.names[i])
				}
			}
			w.result(loc, eventName(rec), alarms)
		},
		Problem: func(p cloudtrail.Problem) {
			skipped++
			w.error(p.Location, p.Detail)
		},
		Ignore: func(cloudtrail.Ignored) {}, // no records by design (an empty file, a digest file)
	})
	return skipped, nil
}

// eventName returns the record's top-level eventName string, or "" when it has none. Like the
// engine, it takes the last of duplicate keys and compares names exactly.
func eventName(record []byte) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(record, &fields) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(fields["eventName"], &s) != nil {
		return ""
	}
	return s
}
