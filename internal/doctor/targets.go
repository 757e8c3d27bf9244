package doctor

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/trailwatch/trailwatch/internal/cli"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Target is one stack of a cloud assembly: what `cdk synth` wrote for one account and Region.
type Target struct {
	Stack    string `json:"stack"`
	Account  string `json:"account,omitempty"`
	Region   string `json:"region,omitempty"`
	Template string `json:"template"`
}

// ReadManifest lists the CloudFormation stacks of the cloud assembly in dir (cdk.out/manifest.json),
// sorted by stack name, then template. An environment-agnostic stack has no account or Region.
func ReadManifest(dir string) ([]Target, error) {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("%w: %v; run cdk synth first", ErrTemplate, err)
	}
	var m struct {
		Artifacts map[string]struct {
			Type        string `json:"type"`
			Environment string `json:"environment"`
			Properties  struct {
				TemplateFile string `json:"templateFile"`
				StackName    string `json:"stackName"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %s/manifest.json: %v", ErrTemplate, dir, err)
	}
	var out []Target
	for id, a := range m.Artifacts {
		if a.Type != "aws:cloudformation:stack" {
			continue
		}
		t := Target{Stack: id, Template: filepath.Join(dir, a.Properties.TemplateFile)}
		if a.Properties.StackName != "" {
			t.Stack = a.Properties.StackName
		}
		if env, ok := strings.CutPrefix(a.Environment, "aws://"); ok {
			account, region, _ := strings.Cut(env, "/")
			if account != "unknown-account" {
				t.Account = account
			}
			if region != "unknown-region" {
				t.Region = region
			}
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %s/manifest.json lists no CloudFormation stack", ErrTemplate, dir)
	}
	// Stacks of one name (the same stack in several accounts) keep the order of their templates,
	// so the lines do not change order from run to run.
	slices.SortFunc(out, func(a, b Target) int {
		return cmp.Or(strings.Compare(a.Stack, b.Stack), strings.Compare(a.Template, b.Template))
	})
	return out, nil
}

// TargetResult is one line of `doctor --all`.
type TargetResult struct {
	Target
	// Error says why the stack could not be checked (template, credentials); Report is then nil.
	Error  string  `json:"error,omitempty"`
	Report *Report `json:"report,omitempty"`
	code   int
}

// runAll checks every stack of the cloud assembly, at most o.Concurrency at once, and prints one
// line per stack in stack order.
func runAll(ctx context.Context, o *Options, stdout, stderr io.Writer) int {
	targets, err := ReadManifest(o.CdkOut)
	if err != nil {
		fmt.Fprintf(stderr, "trailwatch doctor: %v\n", err)
		return cli.ExitUsage
	}
	base, err := loadConfig(ctx, o.Profile, o.Region, o.EndpointURL)
	if err != nil {
		fmt.Fprintf(stderr, "trailwatch doctor: %v\n", err)
		return cli.ExitUsage
	}
	id, err := sts.NewFromConfig(base).GetCallerIdentity(ctx, nil)
	if err != nil {
		fmt.Fprintf(stderr, "trailwatch doctor: credentials: %s\n", oneLine(err))
		fmt.Fprintln(stderr, "  fix: sign in (aws sso login, or set AWS_PROFILE / --profile) and rerun")
		return cli.ExitUsage
	}
	caller := deref(id.Account)
	partition := "aws"
	if parts := strings.SplitN(deref(id.Arn), ":", 3); len(parts) == 3 {
		partition = parts[1]
	}

	results := make([]TargetResult, len(targets))
	sem := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = checkTarget(ctx, base, caller, partition, t, o)
		}()
	}
	wg.Wait()

	code := cli.ExitOK
	for _, r := range results {
		code = max(code, r.code)
	}
	if o.Format == "json" {
		if err := writeJSON(stdout, struct {
			Targets []TargetResult `json:"targets"`
		}{results}); err != nil {
			fmt.Fprintf(stderr, "trailwatch doctor: %v\n", err)
			return cli.ExitUsage
		}
		return code
	}
	for _, r := range results {
		fmt.Fprintln(stdout, r.line())
	}
	return code
}

func (r TargetResult) line() string {
	where := fmt.Sprintf("%s (%s %s)", r.Stack, orDefault(r.Account, "caller's account"), orDefault(r.Region, "default Region"))
	switch {
	case r.Error != "":
		return fmt.Sprintf("✗ %s: not checked: %s", where, r.Error)
	case r.Report.Failed() == 0:
		return fmt.Sprintf("✓ %s: all %d checks passed", where, len(r.Report.Results))
	}
	var failed []string
	for _, res := range r.Report.Results {
		if res.Status == Fail {
			failed = append(failed, strings.TrimSpace(res.Check+" "+res.Subject))
		}
	}
	return fmt.Sprintf("✗ %s: %d of %d checks failed: %s (rerun with --template %s for the fixes)",
		where, len(failed), len(r.Report.Results), strings.Join(failed, ", "), r.Template)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checkTarget checks one stack with the caller's credentials, or a role assumed in the target's
// account when it is another.
func checkTarget(ctx context.Context, base aws.Config, caller, partition string, t Target, o *Options) TargetResult {
	res := TargetResult{Target: t}
	exp, _, err := LoadTemplate("", t.Template)
	if err == nil {
		err = exp.stackSetOnlyPreflight(t.Template, o.Preflight)
	}
	if err != nil {
		res.Error, res.code = err.Error(), cli.ExitUsage
		return res
	}
	exp.StackName = t.Stack
	cfg := base.Copy()
	if t.Region != "" {
		cfg.Region = t.Region
	}
	account := caller
	if t.Account != "" && t.Account != caller {
		if o.RoleName == "" {
			res.Error, res.code = fmt.Sprintf("the credentials are for account %s; pass --role-name ROLE to assume a role in %s", caller, t.Account), cli.ExitUsage
			return res
		}
		arn := fmt.Sprintf("arn:%s:iam::%s:role/%s", partition, t.Account, o.RoleName)
		cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), arn, func(ao *stscreds.AssumeRoleOptions) {
			ao.RoleSessionName = "trailwatch-doctor"
		}))
		account = t.Account
	}
	c := newClients(cfg)
	if account != caller {
		// Assume the role once up front, so a denied role is one clear line, not a failure per check.
		id, err := c.sts.GetCallerIdentity(ctx, nil)
		if err != nil {
			res.Error, res.code = "credentials: "+oneLine(err), cli.ExitUsage
			return res
		}
		if got := deref(id.Account); got != t.Account {
			res.Error, res.code = fmt.Sprintf("credentials: the role answered for account %s, not %s", got, t.Account), cli.ExitUsage
			return res
		}
	}
	res.Report = check(ctx, c, account, exp, t.Template, o)
	if res.Report.Failed() > 0 {
		res.code = cli.ExitProblems
	}
	return res
}
