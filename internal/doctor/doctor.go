package doctor

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/trailwatch/trailwatch/internal/cli"
)

// Doctor's exit codes are the shared ones (internal/cli, documented in docs/cli.md#exit-status):
// cli.ExitOK every check passed, cli.ExitProblems at least one failed, cli.ExitUsage a bad
// command line, an unreadable template or no usable credentials.

// EndpointEnv, when set, sends every AWS call to one URL, like the hidden --endpoint-url flag:
// for tests and local emulators.
const EndpointEnv = "TRAILWATCH_DOCTOR_ENDPOINT_URL"

// Options are doctor's command-line settings; parseFlags documents each (and docs/doctor.md).
// Only the package reads them: the exported entry points are Main and Run.
type Options struct {
	Template     string
	Stack        string
	Profile      string
	Region       string
	EndpointURL  string
	Format       string
	MaxAge       time.Duration
	TestPatterns bool
	Preflight    bool
	FireDrill    string
	All          bool
	CdkOut       string
	Concurrency  int
	RoleName     string
}

// Run is `trailwatch doctor` in the trailwatch command list: the signature and stdio every
// trailwatch command has, with a context that ends on Ctrl-C.
func Run(args []string, sys *cli.Stdio) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return Main(ctx, args, sys.Stdin, sys.Stdout, sys.Stderr)
}

// Summary is the one-line description for the command list.
const Summary = "check an AWS account before deploying (--preflight) and prove a deployment works"

// parseFlags reads doctor's flags. As for every trailwatch command, -h prints the usage to stdout;
// a bad flag prints what is wrong and the usage to stderr.
func parseFlags(args []string, stdout, stderr io.Writer) (*Options, error) {
	o := &Options{}
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Template, "template", "", "synthesized template to check against (default: the newest cdk.out/*.template.json)")
	fs.StringVar(&o.Stack, "stack", "", "deployed stack name (default: from the template's aws:cdk:path metadata)")
	fs.StringVar(&o.Profile, "profile", "", "shared config profile (default: AWS_PROFILE or default)")
	fs.StringVar(&o.Region, "region", "", "AWS Region (default: AWS_REGION or the profile's region)")
	fs.StringVar(&o.EndpointURL, "endpoint-url", os.Getenv(EndpointEnv), "")
	fs.StringVar(&o.Format, "format", "text", "output format: text or json")
	fs.DurationVar(&o.MaxAge, "max-age", 2*time.Hour, "latest trail delivery and log ingestion must be newer than this")
	fs.BoolVar(&o.TestPatterns, "test-patterns", false, "run CloudWatch Logs TestMetricFilter on every alarm's proof records and compare with trailwatch's engine")
	fs.BoolVar(&o.Preflight, "preflight", false, "read-only checks before the first deploy: existing trails, name collisions, CDK bootstrap")
	fs.StringVar(&o.FireDrill, "fire-drill", "", "set the named alarm to ALARM (writes!) so its email arrives end to end; it returns to its actual state by itself")
	fs.BoolVar(&o.All, "all", false, "check every stack of cdk.out/manifest.json (a targets file synthesizes one per account and Region), concurrently, one line each")
	fs.StringVar(&o.CdkOut, "cdk-out", "cdk.out", "the cloud assembly directory --all reads")
	fs.IntVar(&o.Concurrency, "concurrency", 4, "with --all: how many stacks are checked at once")
	fs.StringVar(&o.RoleName, "role-name", "", "with --all: the IAM role doctor assumes in each account other than the caller's, e.g. OrganizationAccountAccessRole")
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "Usage: trailwatch doctor [--preflight] [--test-patterns] [--fire-drill ALARM] [flags]")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Asks the account whether the trailwatch stack synthesized in cdk.out is deployed and works.")
		fmt.Fprintln(w, "Exit status: 0 all checks passed, 1 a check failed, 2 usage or credentials error.")
		fmt.Fprintln(w)
		fs.VisitAll(func(f *flag.Flag) {
			if f.Usage == "" { // hidden
				return
			}
			def := ""
			if f.DefValue != "" && f.DefValue != "false" {
				def = " (default " + f.DefValue + ")"
			}
			fmt.Fprintf(w, "  --%s\n    \t%s%s\n", f.Name, f.Usage, def)
		})
	}
	fs.Usage = func() {} // printed below, to the right stream
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
		} else {
			usage(stderr) // flag has printed what is wrong
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.Format != "text" && o.Format != "json" {
		return nil, fmt.Errorf("--format %q: allowed: text, json", o.Format)
	}
	if o.MaxAge <= 0 {
		return nil, fmt.Errorf("--max-age %s: must be positive", o.MaxAge)
	}
	if o.Concurrency < 1 {
		return nil, fmt.Errorf("--concurrency %d: must be at least 1", o.Concurrency)
	}
	if o.All && (o.Template != "" || o.Stack != "" || o.FireDrill != "") {
		return nil, errors.New("--all reads every stack of cdk.out; it takes no --template, --stack or --fire-drill")
	}
	if o.Preflight && (o.TestPatterns || o.FireDrill != "") {
		return nil, errors.New("--preflight checks an account before deploying; --test-patterns and --fire-drill need the deployed stack")
	}
	return o, nil
}

// Main runs doctor with args (the arguments after "doctor") and returns the exit status.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return cli.ExitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "trailwatch doctor: %v\n", err)
		return cli.ExitUsage
	}
	if o.All {
		return runAll(ctx, o, stdout, stderr)
	}
	exp, path, err := LoadTemplate(".", o.Template)
	if err == nil {
		err = exp.stackSetOnlyPreflight(path, o.Preflight)
	}
	if err == nil {
		err = checkFireDrillName(exp, o.FireDrill)
	}
	if err != nil {
		fmt.Fprintf(stderr, "trailwatch doctor: %v\n", err)
		return cli.ExitUsage
	}
	if o.Stack != "" {
		exp.StackName = o.Stack
	}
	cfg, err := loadConfig(ctx, o.Profile, o.Region, o.EndpointURL)
	if err != nil {
		fmt.Fprintf(stderr, "trailwatch doctor: %v\n", err)
		return cli.ExitUsage
	}
	c := newClients(cfg)
	id, err := c.sts.GetCallerIdentity(ctx, nil)
	if err != nil {
		fmt.Fprintf(stderr, "trailwatch doctor: credentials: %s\n", oneLine(err))
		fmt.Fprintln(stderr, "  fix: sign in (aws sso login, or set AWS_PROFILE / --profile) and rerun")
		return cli.ExitUsage
	}
	rep := check(ctx, c, deref(id.Account), exp, path, o)
	if o.Format == "json" {
		if err := writeJSON(stdout, rep); err != nil {
			fmt.Fprintf(stderr, "trailwatch doctor: %v\n", err)
			return cli.ExitUsage
		}
	} else {
		rep.writeText(stdout)
	}
	if rep.Failed() > 0 {
		return cli.ExitProblems
	}
	return cli.ExitOK
}

// check runs the mode o selects on one stack.
func check(ctx context.Context, c *clients, account string, exp *Expected, path string, o *Options) *Report {
	rep := &Report{Account: account, Region: c.region, Stack: exp.StackName, Template: path, Mode: "post-deploy"}
	d := &doctor{c: c, exp: exp, opts: o, account: account, now: time.Now()}
	switch {
	case o.Preflight:
		rep.Mode = "preflight"
		rep.add(d.preflight(ctx)...)
	case o.FireDrill != "":
		rep.Mode = "fire-drill"
		rep.add(d.fireDrill(ctx, o.FireDrill)...)
	default:
		rep.add(d.postDeploy(ctx)...)
		if o.TestPatterns {
			rep.add(d.testPatterns(ctx)...)
		}
	}
	return rep
}

// doctor holds one run's clients and expectations.
type doctor struct {
	c       *clients
	exp     *Expected
	opts    *Options
	account string
	now     time.Time
	// physical maps the stack's logical IDs to physical IDs, filled by stackResources.
	physical map[string]string
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
