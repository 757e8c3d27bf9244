package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// call runs the command line in-process and returns exit code, stdout and stderr.
func call(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &cli.Stdio{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		args      []string
		code      int
		out, diag string // substrings expected in stdout / stderr
		quietOut  bool
	}{
		{nil, cli.ExitUsage, "", "Usage: trailwatch <command>", true},
		{[]string{"help"}, cli.ExitOK, "match    report which alarms", "", false},
		{[]string{"--help"}, cli.ExitOK, "Usage: trailwatch <command>", "", false},
		{[]string{"frobnicate"}, cli.ExitUsage, "", `trailwatch: unknown command "frobnicate"`, true},
	}
	for _, tt := range tests {
		code, out, diag := call(t, "", tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d", tt.args, code, tt.code)
		}
		if !strings.Contains(out, tt.out) || !strings.Contains(diag, tt.diag) {
			t.Errorf("%v:\nstdout: %s\nstderr: %s\nwant stdout containing %q, stderr containing %q", tt.args, out, diag, tt.out, tt.diag)
		}
		if tt.quietOut && out != "" {
			t.Errorf("%v wrote to stdout: %s", tt.args, out)
		}
	}
}
