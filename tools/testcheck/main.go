// Command testcheck reads `go test -json` on its standard input, prints what `go test` prints (each
// package's result, and the output of every failing test), and exits non-zero when a test failed
// or when a test skipped for a reason that is not allowed.
//
//	go test -json ./... | go run ./tools/testcheck
//
// A test may skip only when evidence from outside the repository is absent (the team's shared
// reference and corpus beside the checkout: extra evidence, never the only proof of a claim) or
// for a limitation of the race detector. Any other skip — a fixture missing from the repository, a
// tool not found — fails the run, so nothing that backs a claim in the docs can silently not run.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

// allowedSkips are the skip messages that do not fail the run.
var allowedSkips = []*regexp.Regexp{
	// ../shared (REFERENCE.md, corpus/) sits beside a team checkout, not in a clone of the repository.
	regexp.MustCompile(`\.\./shared/\S* is absent`),
	// sync.Pool deliberately drops items under -race; the pooling test runs without it.
	regexp.MustCompile(`sync\.Pool drops items under the race detector`),
}

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func main() {
	os.Exit(check(os.Stdin, os.Stdout))
}

func check(in io.Reader, out io.Writer) int {
	type key struct{ pkg, test string }
	outputs := map[key][]string{}
	var failed, badSkips, okSkips []string
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil || e.Action == "" {
			// Not an event (go vet or the go command itself printing): pass it on.
			fmt.Fprintln(out, string(line))
			continue
		}
		k := key{e.Package, e.Test}
		switch e.Action {
		case "output", "build-output":
			if e.Test == "" {
				if e.Output != "PASS\n" && !strings.HasPrefix(e.Output, "=== ") {
					fmt.Fprint(out, e.Output)
				}
				continue
			}
			outputs[k] = append(outputs[k], e.Output)
		case "fail":
			if e.Test != "" {
				fmt.Fprint(out, strings.Join(outputs[k], ""))
				failed = append(failed, e.Package+" "+e.Test)
			} else {
				failed = append(failed, e.Package)
			}
			delete(outputs, k)
		case "skip":
			if e.Test == "" {
				continue // a package with no test files
			}
			text := strings.Join(outputs[k], "")
			if allowed(text) {
				okSkips = append(okSkips, e.Package+" "+e.Test)
			} else {
				fmt.Fprint(out, text)
				badSkips = append(badSkips, e.Package+" "+e.Test)
			}
			delete(outputs, k)
		case "pass":
			delete(outputs, k)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(out, "testcheck:", err)
		return 1
	}
	sort.Strings(okSkips)
	for _, s := range okSkips {
		fmt.Fprintf(out, "testcheck: skipped (evidence outside the repository is absent): %s\n", s)
	}
	code := 0
	if len(badSkips) > 0 {
		sort.Strings(badSkips)
		fmt.Fprintf(out, "testcheck: %d tests skipped for a reason that is not allowed (a missing fixture fails, never skips):\n  %s\n",
			len(badSkips), strings.Join(badSkips, "\n  "))
		code = 1
	}
	if len(failed) > 0 {
		fmt.Fprintf(out, "testcheck: %d failed: %s\n", len(failed), strings.Join(failed, ", "))
		code = 1
	}
	return code
}

func allowed(skipOutput string) bool {
	for _, re := range allowedSkips {
		if re.MatchString(skipOutput) {
			return true
		}
	}
	return false
}
