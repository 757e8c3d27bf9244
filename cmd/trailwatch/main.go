// Command trailwatch is trailwatch's toolbox: match and replay evaluate CloudWatch Logs filter
// patterns on CloudTrail records offline, without an AWS account; doctor checks an account before
// and after deploying. It never links the AWS CDK.
//
// Each command lives in its own file; commands below lists them. Adding one is its file and a
// line in that list: it gets the shared stdio and exit codes (internal/cli), --alarms flag and
// input reader (internal/cloudtrail).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/trailwatch/trailwatch/internal/cli"
	"github.com/trailwatch/trailwatch/internal/doctor"
)

// command is one subcommand. run gets the arguments after the command's name.
type command struct {
	name    string
	summary string
	run     func(args []string, sys *cli.Stdio) int
}

// commands are every command, in the order help lists them.
var commands = []command{
	{"match", "report which alarms each CloudTrail record sets off", runMatch},
	{"replay", "replay the alarms over CloudTrail history: matches, ALARM periods, episodes", runReplay},
	{"doctor", doctor.Summary, runDoctor},
}

func main() {
	os.Exit(run(os.Args[1:], &cli.Stdio{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		StdinIsTerminal: isTerminal(os.Stdin), StderrIsTerminal: isTerminal(os.Stderr),
	}))
}

// run dispatches to a command and returns the process exit code.
func run(args []string, sys *cli.Stdio) int {
	if len(args) == 0 {
		usage(sys.Stderr)
		return cli.ExitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(sys.Stdout)
		return cli.ExitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], sys)
		}
	}
	fmt.Fprintf(sys.Stderr, "trailwatch: unknown command %q\n\n", args[0])
	usage(sys.Stderr)
	return cli.ExitUsage
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
func parseFlags(fs *flag.FlagSet, args []string, sys *cli.Stdio, text string) (code int, ok bool) {
	fs.SetOutput(sys.Stderr)
	fs.Usage = func() {} // printed below, to the right stream
	err := fs.Parse(args)
	switch {
	case err == nil:
		return cli.ExitOK, true
	case errors.Is(err, flag.ErrHelp):
		printUsage(sys.Stdout, fs, text)
		return cli.ExitOK, false
	default:
		printUsage(sys.Stderr, fs, text) // flag has printed what is wrong
		return cli.ExitUsage, false
	}
}

func printUsage(w io.Writer, fs *flag.FlagSet, text string) {
	fmt.Fprint(w, text)
	printFlags(fs, w)
}
