// Command trailwatch-notify is the alarm-email Lambda function (runtime provided.al2023, the
// binary named bootstrap). It reads its settings from TRAILWATCH_* environment variables and uses
// the SDK's default configuration, so AWS_ENDPOINT_URL_CLOUDWATCH_LOGS and AWS_ENDPOINT_URL_SNS
// point it at other endpoints (tests do). See docs/notifications.md.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/trailwatch/trailwatch/internal/notify"
)

func main() {
	os.Exit(run(os.Getenv, os.Stderr, func(h *notify.Handler) { lambda.Start(h.Handle) }))
}

// run reads the settings and the AWS configuration and hands the handler to start, which serves
// invocations until Lambda stops the process. A bad setting or AWS configuration is written to
// stderr (a line each) with exit 1, which Lambda reports as an init error.
func run(getenv func(string) string, stderr io.Writer, start func(*notify.Handler)) int {
	cfg, err := notify.ConfigFromEnv(getenv)
	if err != nil {
		fmt.Fprintln(stderr, "trailwatch-notify:", err)
		return 1
	}
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		fmt.Fprintln(stderr, "trailwatch-notify:", err)
		return 1
	}
	start(&notify.Handler{
		Config: cfg,
		Logs:   cloudwatchlogs.NewFromConfig(awsCfg),
		SNS:    sns.NewFromConfig(awsCfg),
	})
	return 0
}
