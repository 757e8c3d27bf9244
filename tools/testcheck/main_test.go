package main

import (
	"strings"
	"testing"
)

func events(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func TestPassesWhenEverythingPasses(t *testing.T) {
	var out strings.Builder
	in := events(
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Output":"ok  \tp\t0.1s\n"}`,
		`{"Action":"pass","Package":"p"}`,
		`{"Action":"skip","Package":"q"}`,
	)
	if code := check(strings.NewReader(in), &out); code != 0 {
		t.Fatalf("exit %d, output:\n%s", code, out.String())
	}
	if out.String() != "ok  \tp\t0.1s\n" {
		t.Errorf("output %q, want only the package result", out.String())
	}
}

func TestFailsOnASkipForAMissingFixture(t *testing.T) {
	var out strings.Builder
	in := events(
		`{"Action":"output","Package":"p","Test":"TestData","Output":"    data_test.go:9: testdata/records.jsonl is absent\n"}`,
		`{"Action":"output","Package":"p","Test":"TestData","Output":"--- SKIP: TestData (0.00s)\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestData"}`,
	)
	if code := check(strings.NewReader(in), &out); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	want := "testcheck: 1 tests skipped for a reason that is not allowed (a missing fixture fails, never skips):\n  p TestData\n"
	if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "testdata/records.jsonl is absent") {
		t.Errorf("output %q, want the skip message and %q", out.String(), want)
	}
}

func TestAllowsASkipForAbsentSharedEvidence(t *testing.T) {
	var out strings.Builder
	in := events(
		`{"Action":"output","Package":"p","Test":"TestCorpus","Output":"    corpus_test.go:29: ../../../shared/corpus/events.jsonl is absent; extra evidence\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestCorpus"}`,
	)
	if code := check(strings.NewReader(in), &out); code != 0 {
		t.Fatalf("exit %d, output:\n%s", code, out.String())
	}
	if want := "testcheck: skipped (evidence outside the repository is absent): p TestCorpus\n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

// Near-copy of the test above: one event stream per test, each pinning its own output.
func TestFailsAndShowsAFailingTest(t *testing.T) {
	var out strings.Builder
	in := events(
		`{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:3: got 1, want 2\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestB"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t0.1s\n"}`,
		`{"Action":"fail","Package":"p"}`,
	)
	if code := check(strings.NewReader(in), &out); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{"b_test.go:3: got 1, want 2", "FAIL\tp\t0.1s", "testcheck: 2 failed: p TestB, p"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output %q lacks %q", out.String(), want)
		}
	}
}
