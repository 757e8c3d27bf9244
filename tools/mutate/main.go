// Command mutate plants realistic bugs in a package, one at a time, and reports which ones its
// tests do not catch.
//
// Each mutant (an operator flip such as `<` → `<=`, a negated condition, a constant off by one, a
// dropped append or `return err`, two table strings swapped, an element deleted from a list of
// allowed values) is written to a temporary file and handed to `go test -overlay`, so the source
// tree is never modified, even when the run is interrupted. A mutant whose tests fail is killed;
// one whose tests pass survived and is listed with its file, line and change; one that does not
// compile is counted apart and is not part of the kill rate.
//
//	go run ./tools/mutate ./pkg/catalog ./internal/cfn
//	go run ./tools/mutate -max 40 -seed 1 ./pkg/filterpattern
//	go run ./tools/mutate -max 10 -timeout 10m ./stacks ./constructs/trailalarms   # tested by ./test
//
// See CONTRIBUTING.md ("Mutation testing").
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	only    string
	equiv   string
	max     int
	seed    int64
	timeout time.Duration
	tests   string
	list    bool
	run     string
	verbose bool
}

// testedBy says which packages' tests stand guard over a package whose own tests are not enough:
// the stacks and the construct are proven by the template tests in ./test, the stacks' helpers
// that make no resources (module lookup, function build, names) also by their own tests.
var testedBy = map[string]string{
	"stacks":                 "./stacks ./test",
	"constructs/trailalarms": "./test",
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mutate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.max, "max", 0, "test at most `N` mutants per package, sampled with -seed (0: all)")
	fs.Int64Var(&o.seed, "seed", 1, "seed for the sample when -max is set")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "time budget per mutant; a mutant whose tests run longer is killed (timeout)")
	fs.StringVar(&o.tests, "tests", "", "run the tests of these `packages` (space-separated) instead of the mutated package's own (default: its own; ./test for constructs, ./stacks and ./test for stacks)")
	fs.StringVar(&o.only, "only", "", "only the mutants whose report line (file:line: kind: change) matches `regexp`, e.g. to check that a new test kills a survivor")
	fs.BoolVar(&o.list, "list", false, "list the mutants and exit without running tests")
	fs.StringVar(&o.run, "run", "", "pass -run `regexp` to go test")
	fs.BoolVar(&o.verbose, "v", false, "print every mutant's result as it finishes")
	fs.StringVar(&o.equiv, "equivalent", "tools/mutate/equivalent.txt", "`file` of survivors explained as equivalent (reported apart, not counted)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./tools/mutate [flags] PACKAGE_DIR...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	if o.max < 0 || o.timeout <= 0 {
		fmt.Fprintln(stderr, "mutate: -max must be ≥ 0 and -timeout > 0")
		return 2
	}
	equiv, err := readEquivalents(o.equiv)
	if err != nil {
		fmt.Fprintln(stderr, "mutate:", err)
		return 2
	}
	tmp, err := os.MkdirTemp("", "mutate-")
	if err != nil {
		fmt.Fprintln(stderr, "mutate:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	var results []pkgResult
	code := 0
	for _, dir := range fs.Args() {
		r, err := mutatePackage(ctx, dir, o, equiv, tmp, stdout)
		if err != nil {
			fmt.Fprintf(stderr, "mutate: %s: %v\n", dir, err)
			code = 1
			if ctx.Err() != nil {
				break
			}
			continue
		}
		results = append(results, r)
	}
	if !o.list {
		report(stdout, results)
	}
	return code
}

type outcome int

const (
	killed outcome = iota
	timedOut
	survived
	notCompiled
	equivalent
)

func (o outcome) String() string {
	return [...]string{"killed", "killed (timeout)", "SURVIVED", "does not compile", "survived (equivalent)"}[o]
}

type pkgResult struct {
	dir, tests string
	total      int // mutants the package has; len(ran) were sampled
	ran        []mutant
	outcomes   []outcome
	why        []string // for each equivalent mutant, in order
}

func mutatePackage(ctx context.Context, dir string, o options, equiv equivalents, tmp string, stdout io.Writer) (pkgResult, error) {
	dir = filepath.Clean(dir)
	tests := o.tests
	if tests == "" {
		tests = testedBy[filepath.ToSlash(dir)]
	}
	if tests == "" {
		tests = "./" + filepath.ToSlash(dir)
	}
	all, err := packageMutants(dir)
	if err != nil {
		return pkgResult{}, err
	}
	if o.only != "" {
		re, err := regexp.Compile(o.only)
		if err != nil {
			return pkgResult{}, fmt.Errorf("-only: %v", err)
		}
		var kept []mutant
		for _, m := range all {
			if re.MatchString(m.String()) {
				kept = append(kept, m)
			}
		}
		all = kept
	}
	if len(all) == 0 {
		return pkgResult{}, errors.New("no mutants (no non-test Go files?)")
	}
	sample := all
	if o.max > 0 && o.max < len(all) {
		sample = append([]mutant(nil), all...)
		rand.New(rand.NewSource(o.seed)).Shuffle(len(sample), func(i, j int) { sample[i], sample[j] = sample[j], sample[i] })
		sample = sample[:o.max]
	}
	r := pkgResult{dir: dir, tests: tests, total: len(all), ran: sample}
	if o.list {
		for _, m := range sample {
			fmt.Fprintln(stdout, m)
		}
		return r, nil
	}
	// The tests must pass before anything is planted, or every mutant looks killed.
	out, err := goTest(ctx, tests, "", o)
	if err != nil {
		return pkgResult{}, fmt.Errorf("the tests of %s fail without a mutant:\n%s", tests, tail(out))
	}
	if strings.Contains(out, "[no test files]") {
		return pkgResult{}, fmt.Errorf("%s has no tests; name the package whose tests cover it with -tests", tests)
	}
	for i, m := range sample {
		if ctx.Err() != nil {
			return pkgResult{}, ctx.Err()
		}
		res, err := runMutant(ctx, m, tests, o, tmp)
		if err != nil {
			return pkgResult{}, err
		}
		if res == survived {
			if why, ok := equiv.explain(m); ok {
				res = equivalent
				r.why = append(r.why, why)
			}
		}
		r.outcomes = append(r.outcomes, res)
		if o.verbose {
			fmt.Fprintf(stdout, "[%d/%d] %s: %s\n", i+1, len(sample), res, m)
		}
	}
	return r, nil
}

// runMutant plants m through an overlay file and runs the tests.
func runMutant(ctx context.Context, m mutant, tests string, o options, tmp string) (outcome, error) {
	src, err := os.ReadFile(m.file)
	if err != nil {
		return 0, err
	}
	abs, err := filepath.Abs(m.file)
	if err != nil {
		return 0, err
	}
	mutated := filepath.Join(tmp, "mutant.go")
	if err := os.WriteFile(mutated, m.apply(src), 0o644); err != nil {
		return 0, err
	}
	overlay := filepath.Join(tmp, "overlay.json")
	b, _ := json.Marshal(map[string]map[string]string{"Replace": {abs: mutated}})
	if err := os.WriteFile(overlay, b, 0o644); err != nil {
		return 0, err
	}
	out, err := goTest(ctx, tests, overlay, o)
	switch {
	case ctx.Err() != nil:
		return 0, ctx.Err()
	case err == nil:
		return survived, nil
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(out, "panic: test timed out"):
		return timedOut, nil
	case strings.Contains(out, "[build failed]") || strings.Contains(out, "[setup failed]"):
		return notCompiled, nil
	}
	return killed, nil
}

// goTest runs the tests of each package in pkgs (space-separated) in turn, uncached, without vet
// (a vet complaint is not a test catching a bug), stopping at the first failing test: one failure
// kills the mutant, and the template tests in ./test take minutes to run in full, so a package
// whose tests are quick goes first and spares them.
func goTest(ctx context.Context, pkgs, overlay string, o options) (string, error) {
	var all strings.Builder
	for _, pkg := range strings.Fields(pkgs) {
		out, err := goTestOne(ctx, pkg, overlay, o)
		all.WriteString(out)
		if err != nil {
			return all.String(), err
		}
	}
	return all.String(), nil
}

func goTestOne(ctx context.Context, pkg, overlay string, o options) (string, error) {
	args := []string{"test", "-count=1", "-vet=off", "-failfast", "-timeout", o.timeout.String()}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	if o.run != "" {
		args = append(args, "-run", o.run)
	}
	args = append(args, pkg)
	// A little over the test binary's own -timeout, so go test reports the timeout itself.
	ctx, cancel := context.WithTimeout(ctx, o.timeout+time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil && err != nil {
		return string(out), context.DeadlineExceeded
	}
	return string(out), err
}

func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}

// report prints the kill rate per package and every survivor. Equivalent mutants (explained in
// the equivalents file) are listed with their reason and left out of the rate.
func report(w io.Writer, results []pkgResult) {
	for _, r := range results {
		var n [5]int
		for _, oc := range r.outcomes {
			n[oc]++
		}
		counted := n[killed] + n[timedOut] + n[survived]
		rate := 0.0
		if counted > 0 {
			rate = 100 * float64(n[killed]+n[timedOut]) / float64(counted)
		}
		sampled := ""
		if len(r.ran) < r.total {
			sampled = fmt.Sprintf(" (a sample of %d of %d)", len(r.ran), r.total)
		}
		fmt.Fprintf(w, "%s (tests: %s): %d mutants%s: %d killed (%d by timeout), %d survived, %d equivalent, %d did not compile; kill rate %.1f%% (%d of %d)\n",
			r.dir, r.tests, len(r.outcomes), sampled, n[killed]+n[timedOut], n[timedOut], n[survived], n[equivalent], n[notCompiled], rate, n[killed]+n[timedOut], counted)
		e := 0
		for i, oc := range r.outcomes {
			switch oc {
			case survived:
				fmt.Fprintf(w, "  survived: %s\n", r.ran[i])
			case equivalent:
				fmt.Fprintf(w, "  equivalent: %s (%s)\n", r.ran[i], r.why[e])
				e++
			}
		}
	}
}
