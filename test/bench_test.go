package test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/stacks"
)

// BenchmarkSynthDefault measures a full synthesis of the default stack to a cloud assembly, as
// `cdk synth` does after the Go build: config parse, construct tree, template and manifest files.
// Run: bench/synth.sh (median of 10), or go test -run '^$' -bench SynthDefault ./test/
func BenchmarkSynthDefault(b *testing.B) {
	ctx := cliContext(b, map[string]any{"notificationEmails": "ops@example.com"})
	for b.Loop() {
		cfg, err := config.Parse(ctx, pinnedEnv)
		if err != nil {
			b.Fatal(err)
		}
		app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(b.TempDir())})
		stacks.Build(app, cfg)
		app.Synth(nil)
	}
}
