package doctor

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
)

// clients are the service clients doctor uses, all built from one aws.Config.
type clients struct {
	region string
	sts    *sts.Client
	cfn    *cloudformation.Client
	trail  *cloudtrail.Client
	logs   *cloudwatchlogs.Client
	cw     *cloudwatch.Client
	sns    *sns.Client
	kms    *kms.Client
	org    *organizations.Client
	s3     *s3.Client
	ssm    *ssm.Client
}

// Hooks for tests: extra middleware on every client (to record the operations called) and a
// retryer without backoff delays. Production leaves both nil: the SDK's standard retryer (3
// attempts, exponential backoff with jitter, throttling errors retried) applies.
var (
	testAPIOptions []func(*middleware.Stack) error
	testRetryer    func() aws.Retryer
)

// loadConfig loads the standard credential chain (environment, shared config and credentials
// files with --profile, SSO, web identity, container and instance roles). endpointURL, when set,
// sends every service to one URL (tests and local emulators).
func loadConfig(ctx context.Context, profile, region, endpointURL string) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if testRetryer != nil {
		opts = append(opts, config.WithRetryer(testRetryer))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return cfg, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return cfg, fmt.Errorf("no AWS Region: pass --region, set AWS_REGION, or set region in the profile")
	}
	cfg.APIOptions = append(cfg.APIOptions, testAPIOptions...)
	if endpointURL != "" {
		cfg.BaseEndpoint = aws.String(endpointURL)
	}
	return cfg, nil
}

// newClients builds every client from cfg.
func newClients(cfg aws.Config) *clients {
	pathStyle := cfg.BaseEndpoint != nil // a single endpoint URL has no bucket subdomains
	return &clients{
		region: cfg.Region,
		sts:    sts.NewFromConfig(cfg),
		cfn:    cloudformation.NewFromConfig(cfg),
		trail:  cloudtrail.NewFromConfig(cfg),
		logs:   cloudwatchlogs.NewFromConfig(cfg),
		cw:     cloudwatch.NewFromConfig(cfg),
		sns:    sns.NewFromConfig(cfg),
		kms:    kms.NewFromConfig(cfg),
		org:    organizations.NewFromConfig(cfg),
		s3:     s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = pathStyle }),
		ssm:    ssm.NewFromConfig(cfg),
	}
}
