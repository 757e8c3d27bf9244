// Command trailwatch is trailwatch's toolbox: match and replay evaluate CloudWatch Logs filter
// patterns on CloudTrail records offline, without an AWS account; doctor checks an account before
// and after deploying. It never links the AWS CDK.
//
// Each command lives in its own file; commands below lists them. Adding one is its file and a
// line in that list: it gets the shared stdio, exit codes, --alarms flag and input reader.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/trailwatch/trailwatch/internal/doctor"
)

// Exit codes shared by every command.
const (
	exitOK      = 0 // every input read and done
	exitSkipped = 1 // the output is complete for what was read, but some input was skipped or unreadable
	exitUsage   = 2 // bad command line: unknown command or flag, bad flag value, bad pattern
	exitListing = 3 // an s3:// input could not be listed (access denied, no such bucket, ...): no report
	exitOutput  = 4 // the output could not be written (a full disk) or encoded: it is incomplete
)

// stdio is all a command reads and writes: no other file than those it is given by name.
type stdio struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stdinIsTerminal and stderrIsTerminal say whether to wait for piped input and whether a
	// progress bar may be drawn.
	stdinIsTerminal, stderrIsTerminal bool
}

// command is one subcommand. run gets the arguments after the command's name.
type command struct {
	name    string
	summary string
	run     func(args []string, sys *stdio) int
}

// commands are every command, in the order help lists them.
var commands = []command{
	{"match", "report which alarms each CloudTrail record sets off", runMatch},
	{"replay", "replay the alarms over CloudTrail history: matches, ALARM periods, episodes", runReplay},
	{"doctor", doctor.Summary, runDoctor},
}

func main() {
	os.Exit(run(os.Args[1:], &stdio{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		stdinIsTerminal: isTerminal(os.Stdin), stderrIsTerminal: isTerminal(os.Stderr),
	}))
}

// run dispatches to a command and returns the process exit code.
func run(args []string, sys *stdio) int {
	if len(args) == 0 {
		usage(sys.stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(sys.stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], sys)
		}
	}
	fmt.Fprintf(sys.stderr, "trailwatch: unknown command %q\n\n", args[0])
	usage(sys.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: trailwatch <command> [flags] [FILE...]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "trailwatch <command> -h" for a command's flags.`)
}

// isTerminal reports whether f is a character device such as a terminal.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// parseFlags parses a command's flags. -h and --help print the command's usage to stdout (exit 0);
// a bad flag prints flag's message and the usage to stderr (exit 2), and nothing to stdout. ok is
// true when the command should go on.
func parseFlags(fs *flag.FlagSet, args []string, sys *stdio, text string) (code int, ok bool) {
	fs.SetOutput(sys.stderr)
	fs.Usage = func() {} // printed below, to the right stream
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		printUsage(sys.stdout, fs, text)
		return exitOK, false
	default:
		printUsage(sys.stderr, fs, text) // flag has printed what is wrong
		return exitUsage, false
	}
}

func printUsage(w io.Writer, fs *flag.FlagSet, text string) {
	fmt.Fprint(w, text)
	printFlags(fs, w)
}
