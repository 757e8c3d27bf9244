// Package cli is what every trailwatch command shares, whichever package implements it: the
// standard streams it is given and the exit codes it returns. docs/cli.md#exit-status documents
// the codes in one table; each command's -h names those it returns (a test in cmd/trailwatch
// checks both against the code).
package cli

import "io"

// Stdio is all a command reads and writes: no other file than those it is given by name.
type Stdio struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// StdinIsTerminal and StderrIsTerminal say whether to wait for piped input and whether a
	// progress bar may be drawn.
	StdinIsTerminal, StderrIsTerminal bool
}

// Exit codes, one set for every command. Each command returns a subset: match 0, 1, 2, 4;
// replay 0 to 4; doctor 0, 1, 2.
const (
	// ExitOK: the command did all it was asked and found nothing wrong: every input read
	// (match, replay), every check passed (doctor).
	ExitOK = 0
	// ExitProblems: the command ran to the end and its output is complete for what it covers,
	// but it found problems: input it skipped or could not read (match, replay; the output says
	// where and why), or a check that failed (doctor).
	ExitProblems = 1
	// ExitUsage: nothing was done and nothing written to stdout: a bad command line (unknown
	// command or flag, bad value, bad pattern, exclusive flags), or what it names cannot be used
	// (an unreadable template; no AWS Region or credentials for s3:// inputs or doctor).
	ExitUsage = 2
	// ExitListing: an s3:// input could not be listed, or the Athena query (replay --athena)
	// could not be run, failed or timed out: no report, since it could not say what it covers.
	ExitListing = 3
	// ExitOutput: the output could not be written (a full disk) or encoded (match, replay): it
	// is incomplete.
	ExitOutput = 4
)
