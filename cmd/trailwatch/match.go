package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"

	"github.com/trailwatch/trailwatch/internal/lineio"
	"github.com/trailwatch/trailwatch/pkg/catalog"
	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

const matchUsage = `Usage: trailwatch match [--format text|jsonl] [--pattern PATTERN] [FILE...]

Reads CloudTrail records, one JSON object per line, from each FILE ("-" or no FILE: standard
input) and reports which of AWS's ten recommended CloudTrail alarms each record sets off, in
catalog order. Blank lines are skipped; line numbers count every line. A line that is not a JSON
object is reported as an error and reading goes on. Flags come before the FILEs.

Exit status: 0 if every line was a JSON object, 1 otherwise (or if a FILE cannot be read),
2 for a usage error such as an unknown flag or a pattern that does not parse.

Flags:
`

// matcher is what match evaluates: a Set and the name to print for each of its patterns.
type matcher struct {
	set   *filterpattern.Set
	names []string
}

func runMatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output `format`: text (readable) or jsonl (one JSON object per input line)")
	var pattern *string
	fs.Func("pattern", "match this one filter `PATTERN` instead of the catalog; it is named \"pattern\" in the output", func(s string) error {
		pattern = &s
		return nil
	})
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), matchUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *format != "text" && *format != "jsonl" {
		fmt.Fprintf(stderr, "trailwatch match: --format must be text or jsonl, not %q\n", *format)
		return exitUsage
	}
	m, err := newMatcher(pattern)
	if err != nil {
		fmt.Fprintf(stderr, "trailwatch match: %v\n", err)
		return exitUsage
	}
	inputs := fs.Args()
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	out := bufio.NewWriter(stdout)
	w := &resultWriter{w: out, jsonl: *format == "jsonl", named: len(inputs) > 1}
	code := exitOK
	bad := 0
	for _, name := range inputs {
		n, err := m.matchInput(name, stdin, w)
		bad += n
		if err != nil {
			fmt.Fprintf(stderr, "trailwatch match: %v\n", err)
			code = exitBadRecord
		}
		if w.err != nil {
			break
		}
	}
	if err := out.Flush(); err != nil || w.err != nil {
		fmt.Fprintf(stderr, "trailwatch match: writing output: %v\n", errors.Join(w.err, err))
		return exitBadRecord
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "trailwatch match: %d line(s) were not JSON objects\n", bad)
		code = exitBadRecord
	}
	return code
}

// newMatcher builds the catalog's Set, or a Set of the one --pattern.
func newMatcher(pattern *string) (*matcher, error) {
	if pattern != nil {
		p, err := filterpattern.Parse(*pattern)
		if err != nil {
			return nil, fmt.Errorf("--pattern: %v%s", err, caret(*pattern, err))
		}
		return &matcher{set: filterpattern.NewSet(p), names: []string{"pattern"}}, nil
	}
	alarms := catalog.AWS()
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

// matchInput reads one input and writes a result per non-blank line. It returns the number of
// lines that were not JSON objects, and an error if the input could not be read.
func (m *matcher) matchInput(name string, stdin io.Reader, w *resultWriter) (bad int, err error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		r = f
	}
	w.file = name
	hits := make([]bool, m.set.Len())
	lines := lineio.NewReader(r)
	for w.err == nil {
		line, n, err := lines.Next()
		if err == io.EOF {
			return bad, nil
		}
		if err != nil {
			return bad, fmt.Errorf("%s: %v", name, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if err := m.set.Match(line, hits); err != nil {
			bad++
			w.error(n, err)
			continue
		}
		alarms := []string{}
		for i, hit := range hits {
			if hit {
				alarms = append(alarms, m.names[i])
			}
		}
		w.result(n, eventName(line), alarms)
	}
	return bad, nil
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
