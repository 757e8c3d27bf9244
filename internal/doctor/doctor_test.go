package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/trailwatch/trailwatch/internal/cli"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/google/go-cmp/cmp"
)

func TestMain(m *testing.M) {
	// Retries without waiting, so throttling tests take no time; the retry decision is the SDK's.
	testRetryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	}
	m.Run()
}

// testEnv points the standard credential chain at static test keys and nothing else.
func testEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", testRegion)
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv(EndpointEnv, "")
}

type run struct {
	code           int
	stdout, stderr string
}

// runDoctor runs doctor against the fake with the golden template name.
func runDoctor(t *testing.T, f *fakeAWS, golden string, args ...string) run {
	t.Helper()
	return runDoctorPath(t, f, filepath.Join("..", "..", "test", "testdata", golden+".template.json"), args...)
}

// runDoctorPath runs doctor against the fake with the template at path.
func runDoctorPath(t *testing.T, f *fakeAWS, path string, args ...string) run {
	t.Helper()
	testEnv(t)
	args = append([]string{"--template", path, "--endpoint-url", f.srv.URL}, args...)
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return run{code, out.String(), errOut.String()}
}

// setup returns a fake serving a healthy account for the golden template, and the world to break.
func setup(t *testing.T, golden string) (*fakeAWS, *world, *Expected) {
	t.Helper()
	exp, _ := loadGolden(t, golden)
	f := newFakeAWS(t)
	w := healthyWorld(exp, time.Now())
	w.serve(f)
	return f, w, exp
}

func mustContain(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("output lacks %q; got:\n%s", w, got)
		}
	}
}

func TestHealthyStackPasses(t *testing.T) {
	for _, golden := range []string{"default", "cis", "aws-cis", "alarms-only", "organization-trail", "encryption-none", "all-two-emails", "custom-alarms", "object-lock-compliance", "plain/default", "plain/alarms-only"} {
		t.Run(golden, func(t *testing.T) {
			f, _, exp := setup(t, golden)
			r := runDoctor(t, f, golden)
			if r.code != cli.ExitOK {
				t.Fatalf("exit %d, want 0; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			if strings.Contains(r.stdout, "✗") {
				t.Errorf("a check failed:\n%s", r.stdout)
			}
			mustContain(t, r.stdout, "account 123456789012, Region us-east-1, stack Trailwatch", "checks passed")
			for _, a := range exp.Alarms {
				mustContain(t, r.stdout, "✓ alarm "+a.Name+": OK, actions enabled, notifies the topic")
			}
			for _, addr := range exp.Emails {
				mustContain(t, r.stdout, "✓ subscription "+addr+": confirmed")
			}
			if exp.AlarmsOnly {
				mustContain(t, r.stdout, "- trail: alarms-only stack")
			} else {
				mustContain(t, r.stdout, "✓ trail.logging trailwatch: logging", "✓ trail.s3-delivery trailwatch: latest S3 delivery 4m0s ago, no error",
					"✓ bucket.public-access "+testBucket, "✓ bucket.policy "+testBucket)
			}
			// Pagination: more stack resources, filters, alarms and subscriptions than one page.
			if n := f.called("cloudformation:ListStackResources"); n < 2 {
				t.Errorf("ListStackResources called %d times, want every page", n)
			}
			if want := (len(exp.Filters) + 2) / 3; f.called("logs:DescribeMetricFilters") != want {
				t.Errorf("DescribeMetricFilters called %d times, want %d pages", f.called("logs:DescribeMetricFilters"), want)
			}
			if want := (len(exp.Emails) + 1); f.called("sns:ListSubscriptionsByTopic") != want {
				t.Errorf("ListSubscriptionsByTopic called %d times, want %d pages", f.called("sns:ListSubscriptionsByTopic"), want)
			}
		})
	}
}

func TestJSONFormat(t *testing.T) {
	f, w, _ := setup(t, "default")
	w.alarms["CloudTrailVpcChanges"].actionsEnabled = false
	r := runDoctor(t, f, "default", "--format", "json")
	if r.code != cli.ExitProblems {
		t.Fatalf("exit %d, want 1; stderr: %s", r.code, r.stderr)
	}
	var rep Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if rep.Account != testAccount || rep.Region != testRegion || rep.Stack != "Trailwatch" || rep.Mode != "post-deploy" {
		t.Errorf("header = %+v", rep)
	}
	var failed []Result
	for _, res := range rep.Results {
		if res.Status == Fail {
			failed = append(failed, res)
		}
	}
	want := Result{Check: "alarm", Subject: "CloudTrailVpcChanges", Status: Fail, Detail: "actions disabled", Fix: "aws cloudwatch enable-alarm-actions --alarm-names CloudTrailVpcChanges"}
	if diff := cmp.Diff([]Result{want}, failed); diff != "" {
		t.Errorf("failed results (-want +got):\n%s", diff)
	}
}

func TestHelpHidesEndpointAndShowsDefaults(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Main(context.Background(), []string{"--help"}, nil, &out, &errOut); code != cli.ExitOK {
		t.Errorf("exit %d, want 0", code)
	}
	if errOut.Len() != 0 {
		t.Errorf("--help wrote to stderr: %q", errOut.String())
	}
	help := out.String() // help goes to stdout, as for every trailwatch command
	mustContain(t, help, "Usage: trailwatch doctor", "Exit status: 0 all checks passed, 1 a check failed, 2 usage or credentials error.",
		"--max-age\n    \tlatest trail delivery and log ingestion must be newer than this (default 2h0m0s)", "--concurrency\n    \twith --all: how many stacks are checked at once (default 4)")
	if strings.Contains(help, "endpoint-url") {
		t.Errorf("help shows the hidden --endpoint-url:\n%s", help)
	}
}
