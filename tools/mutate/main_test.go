package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mutantList(ms []mutant) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.String() + "\n")
	}
	return b.String()
}

func TestListsTheMutantsOfAFile(t *testing.T) {
	src := []byte(`package p

var allowed = []int{1, 3, 5}

var rows = []struct{ ID, Name string }{
	{ID: "A", Name: "alpha"},
	{ID: "B", Name: "beta"},
}

func f(xs []int, ok bool) ([]int, error) {
	if len(xs) < 2 && !ok {
		return nil, errors.New("short")
	}
	xs = append(xs, 7)
	return xs, nil
}
`)
	ms, err := fileMutants("p.go", src)
	if err != nil {
		t.Fatal(err)
	}
	// In source order; at one offset, the shorter change first.
	want := `p.go:3: constant: 1 → 0
p.go:3: constant: 1 → 2
p.go:3: table: delete element ` + "`1`" + `
p.go:3: constant: 3 → 2
p.go:3: constant: 3 → 4
p.go:3: table: delete element ` + "`3`" + `
p.go:3: table: delete element ` + "`5`" + `
p.go:3: constant: 5 → 4
p.go:3: constant: 5 → 6
p.go:6: swap: swap "A" and "B"
p.go:6: swap: swap "alpha" and "beta"
p.go:11: negation: ` + "`len(xs) < 2 && !ok` → `!(len(xs) < 2 && !ok)`" + `
p.go:11: operator: ` + "`<` → `<=`" + `
p.go:11: constant: 2 → 1
p.go:11: constant: 2 → 3
p.go:11: operator: ` + "`&&` → `||`" + `
p.go:11: negation: drop ` + "`!`" + `
p.go:12: statement: drop return of an error ` + "`return nil, errors.New(\"short\")`" + `
p.go:14: statement: drop append ` + "`xs = append(xs, 7)`" + `
p.go:14: constant: 7 → 6
p.go:14: constant: 7 → 8
`
	if got := mutantList(ms); got != want {
		t.Errorf("mutants:\n%s\nwant:\n%s", got, want)
	}
	// Each mutant changes the source where it says.
	for _, m := range ms {
		if string(m.apply(src)) == string(src) {
			t.Errorf("%s: leaves the source unchanged", m)
		}
	}
}

// The tool kills the mutant the fixture's test catches, reports the one it cannot, never touches
// the source, and an equivalents entry moves a survivor out of the rate with its reason.
func TestKillsOneMutantAndReportsTheSurvivor(t *testing.T) {
	const file = "testdata/fixture/max.go"
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out, errs strings.Builder
	code := run(context.Background(), []string{"-v", "-timeout", "5m", "-equivalent", os.DevNull, "./testdata/fixture"}, &out, &errs)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errs.String())
	}
	for _, want := range []string{
		"killed: testdata/fixture/max.go:7: negation: `a > b` → `!(a > b)`",
		"SURVIVED: testdata/fixture/max.go:7: operator: `>` → `>=`",
		"testdata/fixture (tests: ./testdata/fixture): 2 mutants: 1 killed (0 by timeout), 1 survived, 0 equivalent, 0 did not compile; kill rate 50.0% (1 of 2)",
		"  survived: testdata/fixture/max.go:7: operator: `>` → `>=`",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	after, err := os.ReadFile(file)
	if err != nil || string(after) != string(before) {
		t.Errorf("the source changed (err %v)", err)
	}

	equiv := filepath.Join(t.TempDir(), "equivalent.txt")
	entry := "testdata/fixture/max.go :: operator: `>` → `>=` :: if a > b { :: when a == b both branches return the same number\n"
	if err := os.WriteFile(equiv, []byte(entry), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(context.Background(), []string{"-timeout", "5m", "-equivalent", equiv, "./testdata/fixture"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errs.String())
	}
	for _, want := range []string{
		"1 killed (0 by timeout), 0 survived, 1 equivalent, 0 did not compile; kill rate 100.0% (1 of 1)",
		"  equivalent: testdata/fixture/max.go:7: operator: `>` → `>=` (when a == b both branches return the same number)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRefusesAMalformedEquivalentsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "equivalent.txt")
	if err := os.WriteFile(path, []byte("# comment\nfile.go :: operator: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs strings.Builder
	if code := run(context.Background(), []string{"-timeout", "5m", "-equivalent", path, "./testdata/fixture"}, &out, &errs); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if want := path + ":2: want FILE :: MUTATION :: SOURCE LINE :: WHY"; !strings.Contains(errs.String(), want) {
		t.Errorf("stderr %q lacks %q", errs.String(), want)
	}
}

// A package without tests of its own is an error, not a list of survivors.
func TestRefusesAPackageWithoutTests(t *testing.T) {
	dir := filepath.Join("testdata", "notests")
	var out, errs strings.Builder
	if code := run(context.Background(), []string{"-timeout", "5m", "-equivalent", os.DevNull, "./" + dir}, &out, &errs); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if want := "mutate: ./" + dir + ": ./" + dir + " has no tests; name the package whose tests cover it with -tests"; !strings.Contains(errs.String(), want) {
		t.Errorf("stderr %q lacks %q", errs.String(), want)
	}
}
