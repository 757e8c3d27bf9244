package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// With runMainEnv set, this test binary is trailwatch: TestMain runs main with the arguments
// after "--".
const runMainEnv = "TRAILWATCH_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		for i, a := range os.Args {
			if a == "--" {
				os.Args = append([]string{os.Args[0]}, os.Args[i+1:]...)
				break
			}
		}
		main()
		os.Exit(0) // main returned: a binary would exit 0
	}
	os.Exit(m.Run())
}

// trailwatch runs the command as a process: args, stdin (nil: the null device), its output and
// exit code.
func trailwatch(t *testing.T, stdin *os.File, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
	}
	return cmd.ProcessState.ExitCode(), out.String(), errs.String()
}

// The binary passes its arguments (without its own name) to the command and exits with the
// command's code; standard input counts as a terminal when it is a character device.
func TestTheBinary(t *testing.T) {
	if code, out, errs := trailwatch(t, nil, "help"); code != cli.ExitOK || out != helpText || errs != "" {
		t.Errorf("help: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, out, errs := trailwatch(t, nil, "frobnicate"); code != cli.ExitUsage || out != "" || errs != "trailwatch: unknown command \"frobnicate\"\n\n"+helpText {
		t.Errorf("frobnicate: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// The null device is a character device, as a terminal is: replay wants inputs named.
	if code, _, errs := trailwatch(t, nil, "replay"); code != cli.ExitUsage || errs != "trailwatch replay: no input: give files, directories or - (standard input)\n" {
		t.Errorf("replay with no input from a terminal: exit %d, stderr %q", code, errs)
	}
	// A file on standard input is read.
	in, err := os.Open(writeTemp(t, "in.jsonl", `{"eventVersion":"1.08","eventTime":"2024-05-01T12:00:00Z","eventName":"ConsoleLogin"}`+"\n"+"{"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if code, out, errs := trailwatch(t, in, "replay"); code != cli.ExitProblems || !strings.HasPrefix(out, "Replayed 1 records from 1 files") || errs != "" {
		t.Errorf("replay < file: exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
}

// On a terminal, replay draws a progress bar on stderr for 64 MiB of input or more, and erases
// it before the report.
func TestReplayDrawsProgressOnATerminal(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 64<<20); err != nil { // sparse: neither JSON nor CSV, skipped early
		t.Fatal(err)
	}
	var out, diag bytes.Buffer
	code := run([]string{"replay", big}, &cli.Stdio{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &diag, StderrIsTerminal: true})
	errs := diag.String()
	if code != cli.ExitProblems || !strings.HasPrefix(out.String(), "Replayed 0 records from 1 files") ||
		!strings.HasPrefix(errs, "\r[") || !strings.Contains(errs, " / 64.0 MiB  ") || !strings.HasSuffix(errs, "\r"+strings.Repeat(" ", 79)+"\r") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errs, out.String())
	}
}
