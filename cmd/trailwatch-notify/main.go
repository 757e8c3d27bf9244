// Command trailwatch-notify is the alarm-email Lambda function (runtime provided.al2023, the
// binary named bootstrap). It reads its settings from TRAILWATCH_* environment variables and uses
// the SDK's default configuration, so AWS_ENDPOINT_URL_CLOUDWATCH_LOGS and AWS_ENDPOINT_URL_SNS
// point it at other endpoints (tests do). See docs/notifications.md.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/trailwatch/trailwatch/internal/notify"
)

func main() {
	cfg, err := notify.ConfigFromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "trailwatch-notify:", err)
		os.Exit(1)
	}
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "trailwatch-notify:", err)
		os.Exit(1)
	}
	h := &notify.Handler{
		Config: cfg,
		Logs:   cloudwatchlogs.NewFromConfig(awsCfg),
		SNS:    sns.NewFromConfig(awsCfg),
	}
	lambda.Start(h.Handle)
}
